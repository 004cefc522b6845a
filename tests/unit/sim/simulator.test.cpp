#include <papillon/sim/simulator.hpp>

#include "../../support/reference.hpp"
#include "support/catch.hpp"

using namespace papillon;

TEST_CASE("simulator: automatic mode picks the subspace for weight-preserving circuits", "[sim]") {
  circuit c(5);
  c.x(1).x(3).rbs(1, 2, param(0)).cz(0, 3).fbs(0, 4, param(1)).rz(2, 0.4);
  const std::vector<double> p{0.7, -1.1};
  subspace_analysis a;
  REQUIRE(choose_mode(c, {}, &a) == simulation_mode::subspace);
  REQUIRE(a.weight == 2);
  REQUIRE(a.occupied == std::vector<index_t>{1, 3});
  REQUIRE(a.prefix_length == 2);
  const auto sub = simulate_probabilities(c, p);
  const auto full = simulate_probabilities(c, p, {simulation_mode::full});
  REQUIRE(sub.mode == simulation_mode::subspace);
  REQUIRE(sub.values.size() == 10);
  REQUIRE(full.values.size() == 32);
  double total = 0;
  for (index_t i = 0; i < sub.values.size(); ++i) {
    REQUIRE(std::abs(sub.values[i] - full.values[sub.basis_of(i)]) < 1e-14);
    total += sub.values[i];
  }
  REQUIRE(std::abs(total - 1.0) < 1e-14);
  REQUIRE(sub.to_map(1e-14) == full.to_map(1e-14));
}

TEST_CASE("simulator: forced subspace mode names the first offending gate", "[sim][errors]") {
  circuit c(3);
  c.x(0).rbs(0, 1, 0.2).h(2).rbs(1, 2, 0.1);
  REQUIRE(choose_mode(c, {}) == simulation_mode::full);
  REQUIRE_THROWS_WITH(simulate_probabilities(c, {}, {simulation_mode::subspace}),
                      test::contains_substring("operation 2 (h) does not preserve Hamming weight"));
}

TEST_CASE("simulator: real fast path equals complex simulation", "[sim]") {
  std::mt19937_64 rng(17);
  std::vector<gate_kind> real_kinds;
  for (auto k : test::all_kinds())
    if (traits(k).real) real_kinds.push_back(k);
  for (int trial = 0; trial < 10; ++trial) {
    const circuit c = test::random_circuit(6, 30, real_kinds, rng);
    const auto fast = simulate_probabilities(c, {}, {simulation_mode::full, true});
    const auto slow = simulate_probabilities(c, {}, {simulation_mode::full, false});
    for (index_t i = 0; i < fast.values.size(); ++i)
      REQUIRE(std::abs(fast.values[i] - slow.values[i]) < 1e-13);
  }
}

TEST_CASE("simulator: labels of unary outcomes beyond 64 qubits", "[sim]") {
  circuit c(100);
  c.x(99).rbs(70, 99, 0.5);
  const auto r = simulate_probabilities(c, {});
  REQUIRE(r.mode == simulation_mode::subspace);
  REQUIRE(r.basis_label(70) == "1180591620717411303424");  // 2^70
  REQUIRE(std::abs(r.values[70] - std::sin(0.5) * std::sin(0.5)) < 1e-15);
  REQUIRE(r.basis_label(3) == "8");
}

TEST_CASE("simulator: expectation of a diagonal observable", "[sim]") {
  circuit c(2);
  c.h(0).cnot(0, 1);
  const auto r = simulate_probabilities(c, {});
  REQUIRE(std::abs(expectation(r, {{0, 1.0}, {3, -3.0}, {1, 100.0}}) - (-1.0)) < 1e-14);
}

TEST_CASE("sampling: chi-square goodness of fit at a fixed seed", "[sim][sampling]") {
  const std::vector<double> p{0.05, 0.1, 0.0, 0.25, 0.2, 0.15, 0.05, 0.2};
  const std::uint64_t shots = 200000;
  const auto counts = sample_outcomes(std::span<const double>(p), shots, 42);
  std::vector<double> observed(p.size(), 0.0);
  std::uint64_t total = 0;
  for (auto [i, n] : counts) {
    observed[i] = double(n);
    total += n;
  }
  REQUIRE(total == shots);
  REQUIRE(observed[2] == 0.0);  // zero-probability outcome never drawn
  double chi2 = 0;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i] > 0) chi2 += std::pow(observed[i] - shots * p[i], 2) / (shots * p[i]);
  REQUIRE(chi2 < 22.46);  // 6 degrees of freedom, p = 0.001
  // Deterministic per seed, different across seeds.
  REQUIRE(sample_outcomes(std::span<const double>(p), shots, 42) == counts);
  REQUIRE(sample_outcomes(std::span<const double>(p), shots, 43) != counts);
}

TEST_CASE("sampling: bad distributions are refused", "[sim][sampling][errors]") {
  const std::vector<double> neg{0.5, -0.1};
  const std::vector<double> nan{0.5, NAN};
  const std::vector<double> zero{0.0, 0.0};
  REQUIRE_THROWS_WITH(sample_outcomes(std::span<const double>(neg), 10, 1),
                      test::contains_substring("outcome 1"));
  REQUIRE_THROWS_AS(sample_outcomes(std::span<const double>(nan), 10, 1), data_error);
  REQUIRE_THROWS_WITH(sample_outcomes(std::span<const double>(zero), 10, 1),
                      test::contains_substring("sum to zero"));
}

TEST_CASE("sampling: simulate_counts draws from the circuit's distribution", "[sim][sampling]") {
  circuit c(3);
  c.x(0).rbs(0, 1, 0.6).rbs(1, 2, 0.9);
  const auto r = simulate_counts(c, {}, 50000, 9);
  REQUIRE(r.exact.mode == simulation_mode::subspace);
  std::uint64_t total = 0;
  for (auto [i, n] : r.counts) {
    total += n;
    const double freq = double(n) / 50000.0;
    const double sd = std::sqrt(r.exact.values[i] * (1 - r.exact.values[i]) / 50000.0);
    REQUIRE(std::abs(freq - r.exact.values[i]) < 5 * sd + 1e-12);
  }
  REQUIRE(total == 50000);
  REQUIRE(derive_seed(1, 0) != derive_seed(1, 1));
}
