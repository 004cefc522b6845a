#include <papillon/sim/statevector.hpp>

#include "support/catch.hpp"
#ifdef _OPENMP
#  include <omp.h>
#endif

#include "../../support/reference.hpp"

using namespace papillon;

TEST_CASE("statevector: every gate matches its dense matrix on random states", "[sim]") {
  std::mt19937_64 rng(2024);
  for (index_t n = 1; n <= 8; ++n) {
    for (auto k : test::all_kinds()) {
      if (traits(k).arity > n) continue;
      for (int trial = 0; trial < 3; ++trial) {
        const operation op = test::random_operation(k, n, rng);
        const test::cvec psi = test::random_state(index_t{1} << n, rng);
        const test::cvec expected = test::full_matrix(op, n, op.theta) * psi;
        INFO("n = " << n << ", gate " << gate_name(k) << " on " << op.qubits[0] << ","
                    << op.qubits[1]);
        statevector<double> sv{test::cvec(psi)};
        sv.apply(op);
        REQUIRE((sv.amplitudes() - expected).norm() < 1e-12);
        if (traits(k).real) {
          real_statevector<double> rs{Eigen::VectorXd(psi.real())};
          rs.apply(op);
          const test::cvec expected_re = test::full_matrix(op, n, op.theta) *
                                         test::cvec(psi.real().cast<std::complex<double>>());
          REQUIRE((rs.amplitudes().cast<std::complex<double>>() - expected_re).norm() < 1e-12);
        }
      }
    }
  }
}

TEMPLATE_TEST_CASE("statevector: circuits preserve the norm and match the dense product",
                   "[sim][property]", float, double) {
  std::mt19937_64 rng(7);
  const double tol = std::is_same_v<TestType, float> ? 1e-5 : 1e-12;
  for (int trial = 0; trial < 20; ++trial) {
    const index_t n = 2 + static_cast<index_t>(trial % 5);
    const circuit c = test::random_circuit(n, 30, test::all_kinds(), rng);
    statevector<TestType> sv(n, basis_state{1});
    sv.apply(c);
    REQUIRE(std::abs(double(sv.squared_norm()) - 1.0) < tol * 10);
    const test::cvec expected = test::circuit_matrix(c, {}).col(1);
    REQUIRE((sv.amplitudes().template cast<std::complex<double>>() - expected).norm() < tol * 10);
  }
}

TEST_CASE("statevector: parameters are bound at run time", "[sim]") {
  circuit c(2);
  c.x(0).rbs(0, 1, param(1, 2.0));
  const std::vector<double> p{9.0, 0.25};
  statevector<double> sv(2);
  sv.apply(c, p);
  // e_0 -> cos(0.5) e_0 + sin(0.5) e_1
  REQUIRE(std::abs(sv.amplitude(1) - std::cos(0.5)) < 1e-15);
  REQUIRE(std::abs(sv.amplitude(2) - std::sin(0.5)) < 1e-15);
}

TEST_CASE("statevector: bad input gives clear errors", "[sim][errors]") {
  statevector<double> sv(3);
  SECTION("circuit of another size") {
    REQUIRE_THROWS_WITH(sv.apply(circuit(4)), test::contains_substring("qubit counts differ"));
  }
  SECTION("parameters missing or not finite") {
    circuit c(3);
    c.ry(0, param(2));
    REQUIRE_THROWS_AS(sv.apply(c, std::vector<double>{0.1}), dimension_error);
    REQUIRE_THROWS_WITH(sv.apply(c, std::vector<double>{0.1, 0.2, NAN}),
                        test::contains_substring("non-finite parameter value (parameter 2)"));
  }
  SECTION("operation qubit out of range") {
    REQUIRE_THROWS_WITH(sv.apply(make_operation(gate_kind::cz, 0, 5)),
                        test::contains_substring("qubit out of range"));
  }
  SECTION("complex gate on real amplitudes") {
    real_statevector<double> rs(2);
    circuit c(2);
    c.ry(0, 0.2).rx(1, 0.3);
    REQUIRE_THROWS_WITH(rs.apply(c),
                        test::contains_substring("complex gate on a real-amplitude state") &&
                            test::contains_substring("operation 1: rx"));
  }
  SECTION("too large for memory, refused before allocating") {
    REQUIRE_THROWS_WITH(statevector<double>(34, 0, memory_options{std::uint64_t{1} << 30}),
                        test::contains_substring("above the memory limit") &&
                            test::contains_substring("34 qubits"));
    REQUIRE_THROWS_AS(statevector<double>(41), dimension_error);
    REQUIRE_THROWS_AS(statevector<double>(0), dimension_error);
    REQUIRE_THROWS_AS(statevector<double>(3, 8), dimension_error);
  }
}

#ifdef _OPENMP
TEST_CASE("statevector: results are identical for any thread count", "[sim][threads]") {
  std::mt19937_64 rng(5);
  const index_t n = 17;  // above the OpenMP threshold
  const circuit c = test::random_circuit(n, 40, test::all_kinds(), rng);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  statevector<double> one(n, 3);
  one.apply(c);
  omp_set_num_threads(2);
  statevector<double> two(n, 3);
  two.apply(c);
  omp_set_num_threads(saved);
  REQUIRE(one.amplitudes() == two.amplitudes());
}
#endif
