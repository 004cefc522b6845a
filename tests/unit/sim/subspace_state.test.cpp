#include <papillon/sim/simulator.hpp>
#include <papillon/sim/subspace_state.hpp>

#include <Eigen/Dense>

#include <numeric>

#include "../../support/reference.hpp"
#include "support/catch.hpp"

using namespace papillon;

namespace {
// A Butterfly on n = 2^m qubits with coupling-last order, built here by hand so these tests do
// not depend on the topology builders.
circuit hand_butterfly(index_t n, gate_kind g) {
  circuit c(n);
  index_t p = 0;
  for (index_t s = 1; s < n; s *= 2)
    for (index_t i = 0; i < n; ++i)
      if ((i / s) % 2 == 0) {
        operation op = make_operation(g, i, i + s);
        op.param = param(p++);
        c.append(op);
      }
  return c;
}

Eigen::MatrixXd unary_matrix(const circuit& c, const std::vector<double>& p) {
  const index_t n = c.num_qubits();
  Eigen::MatrixXd u(n, n);
  for (index_t j = 0; j < n; ++j) {
    const std::vector<index_t> occ{j};
    real_subspace_state<double> st(n, occ);
    st.apply(c, p);
    u.col(static_cast<Eigen::Index>(j)) = st.amplitudes();
  }
  return u;
}

// k-th compound matrix: entry (S, T) = det U[S, T], subsets in colex order.
Eigen::MatrixXd compound(const Eigen::MatrixXd& u, index_t k) {
  const index_t n = static_cast<index_t>(u.rows());
  combination_indexer ix(n, k);
  const auto sets = ix.enumerate();
  Eigen::MatrixXd c(sets.size(), sets.size());
  for (std::size_t r = 0; r < sets.size(); ++r)
    for (std::size_t s = 0; s < sets.size(); ++s) {
      Eigen::MatrixXd sub(k, k);
      index_t i = 0;
      for (basis_state a = sets[r]; a; a &= a - 1, ++i) {
        index_t j = 0;
        for (basis_state b = sets[s]; b; b &= b - 1, ++j)
          sub(i, j) = u(std::countr_zero(a), std::countr_zero(b));
      }
      c(r, s) = sub.determinant();
    }
  return c;
}
}  // namespace

TEST_CASE("subspace: every weight-preserving gate matches its dense matrix", "[sim][subspace]") {
  std::mt19937_64 rng(99);
  for (index_t n = 2; n <= 7; ++n)
    for (index_t k = 0; k <= n; ++k)
      for (auto kind : test::weight_preserving_kinds()) {
        const operation op = test::random_operation(kind, n, rng);
        // A random state inside weight k.
        test::cvec psi = test::random_state(index_t{1} << n, rng);
        for (Eigen::Index i = 0; i < psi.size(); ++i)
          if (std::popcount(std::uint64_t(i)) != int(k)) psi[i] = 0;
        psi.normalize();
        auto st = subspace_state<double>::from_full(statevector<double>(test::cvec(psi)), k);
        st.apply(op);
        const test::cvec expected = test::full_matrix(op, n, op.theta) * psi;
        INFO("n = " << n << ", k = " << k << ", " << gate_name(kind));
        REQUIRE((st.to_full().amplitudes() - expected).norm() < 1e-12);
      }
}

TEST_CASE("subspace: agrees with full simulation on random weight-preserving circuits",
          "[sim][subspace][property]") {
  std::mt19937_64 rng(1234);
  for (index_t n = 2; n <= 8; ++n)
    for (index_t k = 1; k < n; ++k) {
      const circuit c = test::random_circuit(n, 25, test::weight_preserving_kinds(), rng);
      std::vector<index_t> qubits(n);
      std::iota(qubits.begin(), qubits.end(), index_t{0});
      std::shuffle(qubits.begin(), qubits.end(), rng);
      basis_state init = 0;
      for (index_t q = 0; q < k; ++q) init |= basis_state{1} << qubits[q];
      subspace_state<double> sub(n, init);
      statevector<double> full(n, init);
      sub.apply(c);
      full.apply(c);
      INFO("n = " << n << ", k = " << sub.weight());
      REQUIRE((sub.to_full().amplitudes() - full.amplitudes()).norm() < 1e-12);
      REQUIRE(std::abs(sub.squared_norm() - 1.0) < 1e-12);
    }
}

TEST_CASE("subspace: FBS Butterfly acts on weight k as the k-th compound matrix",
          "[sim][subspace]") {
  const index_t n = 8;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> ang(-3.1, 3.1);
  std::vector<double> p(12);
  for (auto& v : p) v = ang(rng);
  const circuit fbs = hand_butterfly(n, gate_kind::fbs);
  const circuit rbs = hand_butterfly(n, gate_kind::rbs);
  const Eigen::MatrixXd u = unary_matrix(fbs, p);
  REQUIRE((u - unary_matrix(rbs, p)).norm() < 1e-14);  // same on weight 1
  REQUIRE((u.transpose() * u - Eigen::MatrixXd::Identity(n, n)).norm() < 1e-12);
  for (index_t k : {2, 3}) {
    const Eigen::MatrixXd expected = compound(u, k);
    const auto dim = static_cast<index_t>(expected.rows());
    Eigen::MatrixXd got_fbs(dim, dim), got_rbs(dim, dim);
    combination_indexer ix(n, k);
    for (index_t r = 0; r < dim; ++r) {
      real_subspace_state<double> a(n, ix.unrank(r)), b(n, ix.unrank(r));
      a.apply(fbs, p);
      b.apply(rbs, p);
      got_fbs.col(Eigen::Index(r)) = a.amplitudes();
      got_rbs.col(Eigen::Index(r)) = b.amplitudes();
    }
    INFO("k = " << k);
    REQUIRE((got_fbs - expected).norm() < 1e-12);
    // RBS on non-adjacent qubits lacks the sign that a particle hopping over occupied
    // qubits picks up in the determinant, so it is not the compound matrix.
    REQUIRE((got_rbs - expected).norm() > 1e-3);
  }
}

TEST_CASE("subspace: unary states scale to 4096 qubits", "[sim][subspace]") {
  const index_t n = 4096;
  const circuit c = hand_butterfly(n, gate_kind::rbs);
  REQUIRE(c.num_parameters() == n / 2 * 12);
  std::vector<double> p(c.num_parameters());
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> ang(-3.1, 3.1);
  for (auto& v : p) v = ang(rng);
  const std::vector<index_t> o0{0}, o1{4095};
  real_subspace_state<double> a(n, o0), b(n, o1);
  a.apply(c, p);
  b.apply(c, p);
  REQUIRE(a.size() == n);
  REQUIRE(std::abs(a.squared_norm() - 1.0) < 1e-12);
  REQUIRE(std::abs(a.amplitudes().dot(b.amplitudes())) < 1e-12);  // orthogonal columns
  // Every output amplitude of a full Butterfly is a product of 12 cosines or sines: nonzero.
  REQUIRE(a.amplitudes().cwiseAbs().minCoeff() > 0);
}

TEST_CASE("subspace: conversions and bad input", "[sim][subspace][errors]") {
  SECTION("a gate that leaves the subspace is refused with its name and qubits") {
    subspace_state<double> st(4, basis_state{0b0011});
    circuit c(4);
    c.rbs(0, 1, 0.3).cnot(2, 3);
    REQUIRE_THROWS_MATCHES(
        st.apply(c), circuit_error,
        Catch::Matchers::Message("papillon::subspace_state::apply: gate does not preserve Hamming "
                                 "weight (operation 1: cnot on qubits 2,3)"));
  }
  SECTION("projection fails when weight lies outside") {
    statevector<double> sv(3);
    sv.apply(make_operation(gate_kind::h, 0));
    REQUIRE_THROWS_WITH(subspace_state<double>::from_full(sv, 1),
                        test::contains_substring("outside the subspace"));
    REQUIRE_NOTHROW(subspace_state<double>::from_full(sv, 1, 0.6));
  }
  SECTION("sizes") {
    REQUIRE_THROWS_WITH(subspace_state<double>(65, std::vector<index_t>{1, 2}),
                        test::contains_substring("at most 64 qubits"));
    REQUIRE_NOTHROW(subspace_state<double>(64, basis_state{0b11}));
    REQUIRE_THROWS_WITH(
        subspace_state<double>(64, basis_state{0xFFFFFFFF}, memory_options{1 << 20}),
        test::contains_substring("above the memory limit"));
    REQUIRE_THROWS_AS(subspace_state<double>(4, std::vector<index_t>{1, 1}), dimension_error);
    REQUIRE_THROWS_AS(subspace_state<double>(4, basis_state{16}), dimension_error);
  }
}
