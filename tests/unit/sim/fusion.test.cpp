#include <papillon/sim/simulator.hpp>
#include <papillon/sim/statevector.hpp>

#include "../../support/reference.hpp"
#include "support/catch.hpp"

using namespace papillon;

namespace {

fusion_options fused(index_t k) {
  fusion_options f;
  f.max_qubits = k;
  f.min_state_qubits = 0;
  return f;
}

fusion_options unfused() {
  fusion_options f;
  f.enabled = false;
  return f;
}

// The hardware-efficient ansatz: layers of RY on every qubit, then a CZ ladder.
circuit hardware_efficient(index_t n, index_t layers) {
  circuit c(n);
  index_t p = 0;
  for (index_t l = 0; l < layers; ++l) {
    for (index_t q = 0; q < n; ++q) c.ry(q, param(p++));
    for (index_t q = 0; q + 1 < n; ++q) c.cz(q, q + 1);
  }
  return c;
}

}  // namespace

TEST_CASE("fusion: fused and unfused states agree on random circuits", "[sim][fusion]") {
  std::mt19937_64 rng(1717);
  for (int trial = 0; trial < 24; ++trial) {
    const index_t n = 2 + static_cast<index_t>(trial % 9);
    const circuit c = test::random_circuit(n, 60, test::all_kinds(), rng);
    const test::cvec psi = test::random_state(index_t{1} << n, rng);
    statevector<double> ref{test::cvec(psi)};
    ref.apply(c, {}, unfused());
    for (index_t k : {0, 2, 3, 4}) {
      INFO("trial " << trial << ", n = " << n << ", k = " << k);
      statevector<double> sv{test::cvec(psi)};
      sv.apply(c, {}, fused(k));
      REQUIRE((sv.amplitudes() - ref.amplitudes()).norm() < 1e-12);
    }
  }
}

TEST_CASE("fusion: the hardware-efficient ansatz agrees with the unfused path and the matrix",
          "[sim][fusion]") {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> ang(-3.2, 3.2);
  for (index_t n : {3, 6, 13}) {
    const circuit c = hardware_efficient(n, 4);
    std::vector<double> params(c.num_parameters());
    for (auto& v : params) v = ang(rng);
    statevector<double> ref(n, 5);
    ref.apply(c, params, unfused());
    if (n <= 6) {
      const test::cvec expected = test::circuit_matrix(c, params).col(5);
      REQUIRE((ref.amplitudes() - expected).norm() < 1e-12);
    }
    for (index_t k : {0, 2, 3, 4}) {
      statevector<double> sv(n, 5);
      sv.apply(c, params, fused(k));
      REQUIRE((sv.amplitudes() - ref.amplitudes()).norm() < 1e-12);
    }
    // The default options: fusion on from 12 qubits.
    statevector<double> dflt(n, 5);
    dflt.apply(c, params);
    REQUIRE((dflt.amplitudes() - ref.amplitudes()).norm() < 1e-12);
  }
}

TEST_CASE("fusion: RBS layers and diagonal runs keep their own kernels", "[sim][fusion]") {
  circuit c(6);
  c.rbs(0, 1, 0.3).rbs(2, 3, 0.4).rbs(4, 5, 0.5);  // a disjoint RBS layer
  c.cz(0, 1).cz(2, 3).rz(4, 0.2).zz(4, 5, 0.1);    // a diagonal run
  c.ry(0, 0.7).cz(0, 1).ry(1, 0.2);                // fusable: one block on (0, 1)
  const std::vector<double> none;
  const auto run = detail::assume_validated(c, none);
  for (index_t k = 2; k <= 4; ++k) {
    const auto plan = detail::plan_fusion<double>(run, 6, k, false);
    index_t native = 0;
    index_t dense = 0;
    for (const auto& s : plan) (s.k == 0 ? native : dense) += 1;
    REQUIRE(native == 7);
    REQUIRE(dense == 1);
  }
}

TEST_CASE("fusion: the chosen width merges the ansatz into fewer passes", "[sim][fusion]") {
  const circuit c = hardware_efficient(16, 10);
  std::vector<double> params(c.num_parameters(), 0.3);
  const auto run = detail::assume_validated(c, params);
  const index_t k = detail::choose_fusion_width<double>(run, 16, fusion_options{});
  const auto plan = detail::plan_fusion<double>(run, 16, k, false);
  REQUIRE(plan.size() * 2 < c.size());
  REQUIRE(detail::fusion_cost<double>(run, plan) <
          detail::fusion_cost<double>(run, detail::plan_fusion<double>(run, 16, 2, false)) + 1e-9);
}
