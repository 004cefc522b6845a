#include <papillon/core/random.hpp>
#include <papillon/sim/trajectory.hpp>

#include <complex>
#include <random>
#include <string>
#include <vector>

#include "../../support/reference.hpp"
#include "support/catch.hpp"

using namespace papillon;

namespace {

// The Pauli matrices, written out here rather than taken from the gate table.
test::dense pauli(unsigned code) {
  using C = std::complex<double>;
  test::dense p(2, 2);
  switch (code) {
    case 0:
      p << 1, 0, 0, 1;
      break;
    case 1:
      p << 0, 1, 1, 0;
      break;
    case 2:
      p << 0, C(0, -1), C(0, 1), 0;
      break;
    default:
      p << 1, 0, 0, -1;
      break;
  }
  return p;
}

// A 2x2 matrix on qubit q of n, applied to a dense vector by its definition.
test::cvec on_qubit(const test::dense& m, index_t q, const test::cvec& psi) {
  test::cvec out = test::cvec::Zero(psi.size());
  const basis_state bq = basis_state{1} << q;
  for (basis_state i = 0; i < static_cast<basis_state>(psi.size()); ++i)
    for (basis_state j = 0; j < static_cast<basis_state>(psi.size()); ++j)
      if ((i & ~bq) == (j & ~bq))
        out[static_cast<Eigen::Index>(i)] +=
            m((i & bq) ? 1 : 0, (j & bq) ? 1 : 0) * psi[static_cast<Eigen::Index>(j)];
  return out;
}

// The trajectory by dense matrices: every gate's full unitary, then the drawn Paulis exactly.
test::cvec dense_trajectory(const circuit& c, const std::vector<double>& params,
                            const std::vector<pauli_event>& events) {
  const index_t n = c.num_qubits();
  test::cvec psi = test::cvec::Zero(static_cast<Eigen::Index>(index_t{1} << n));
  psi[0] = 1;
  std::size_t e = 0;
  for (index_t i = 0; i < c.size(); ++i) {
    psi = test::full_matrix(c[i], n, c[i].angle(params)) * psi;
    for (; e < events.size() && events[e].position == i; ++e) {
      if (c[i].arity() == 1) {
        psi = on_qubit(pauli(events[e].code), c[i].qubits[0], psi);
      } else {
        psi = on_qubit(pauli(events[e].code >> 2), c[i].qubits[0], psi);
        psi = on_qubit(pauli(events[e].code & 3U), c[i].qubits[1], psi);
      }
    }
  }
  return psi;
}

template <class State>
void check_against_dense(const circuit& c, const std::vector<double>& params, State& state,
                         std::uint64_t seed) {
  const noise_model m{"test", 0.3, 0.5, 0.0};
  std::vector<pauli_event> events;
  std::size_t with_errors = 0;
  // One state serves every trajectory, as in the simulator backend.
  for (std::uint64_t t = 0; t < 20; ++t) {
    splitmix64 rng{derive_seed(seed, t)};
    draw_errors(c, m, rng, events);
    with_errors += events.empty() ? 0 : 1;
    run_trajectory(c, params, events, state);
    const test::cvec expected = dense_trajectory(c, params, events);
    const test::cvec got = state.amplitudes().template cast<std::complex<double>>();
    INFO("trajectory " << t << ", " << events.size() << " errors");
    // Y runs as Z then X: equal up to a global phase.
    REQUIRE(std::abs(1.0 - std::abs(expected.dot(got))) < 1e-12);
    REQUIRE((expected.cwiseAbs2() - got.cwiseAbs2()).norm() < 1e-12);
  }
  CHECK(with_errors > 10);
}

}  // namespace

TEST_CASE("run_trajectory: matches dense gates with the drawn Pauli errors", "[sim][noise]") {
  std::mt19937_64 rng(99);
  std::vector<gate_kind> real_kinds;
  for (auto k : test::all_kinds())
    if (traits(k).real) real_kinds.push_back(k);
  for (index_t n = 2; n <= 5; ++n) {
    INFO("n = " << n);
    SECTION("complex amplitudes, every gate kind, n = " + std::to_string(n)) {
      circuit c = test::random_circuit(n, 14, test::all_kinds(), rng);
      c.rx(0, param(0)).rbs(0, n - 1, param(1));
      statevector<double> state(n);
      check_against_dense(c, {0.7, -1.9}, state, 1000 + n);
    }
    SECTION("real amplitudes, real gates, n = " + std::to_string(n)) {
      circuit c = test::random_circuit(n, 14, real_kinds, rng);
      c.ry(n - 1, param(0)).fbs(n - 1, 0, param(1));
      real_statevector<double> state(n);
      check_against_dense(c, {0.4, 2.2}, state, 2000 + n);
    }
  }
}

TEST_CASE("run_trajectory: refuses what does not fit", "[sim][noise]") {
  circuit c(2);
  c.h(0).cnot(0, 1).ry(1, param(0));
  const std::vector<double> params{0.5};
  statevector<double> state(2);
  statevector<double> three(3);
  CHECK_THROWS_WITH(run_trajectory(c, params, {}, three),
                    "papillon::run_trajectory: circuit and state qubit counts differ (2 vs 3)");
  CHECK_THROWS_AS(run_trajectory(c, {}, {}, state), dimension_error);
  const std::vector<pauli_event> beyond{{3, 1}};
  CHECK_THROWS_WITH(run_trajectory(c, params, beyond, state),
                    test::contains_substring("event does not fit the circuit"));
  const std::vector<pauli_event> unordered{{2, 1}, {1, 1}};
  CHECK_THROWS_AS(run_trajectory(c, params, unordered, state), circuit_error);
  const std::vector<pauli_event> bad_code{{0, 4}};
  CHECK_THROWS_AS(run_trajectory(c, params, bad_code, state), circuit_error);
  circuit z(2);
  z.rz(0, 0.3);
  real_statevector<double> real(2);
  CHECK_THROWS_WITH(run_trajectory(z, {}, {}, real),
                    test::contains_substring("complex gate on a real-amplitude state"));
}

TEST_CASE("statevector: reset returns to a basis state and keeps the buffer", "[sim]") {
  statevector<double> s(3);
  circuit c(3);
  c.h(0).h(2);
  s.apply(c);
  const auto* data = s.amplitudes().data();
  s.reset(5);
  CHECK(s.amplitudes().data() == data);
  CHECK(s.amplitude(5) == std::complex<double>(1));
  CHECK(s.squared_norm() == 1.0);
  CHECK_THROWS_AS(s.reset(8), dimension_error);
}
