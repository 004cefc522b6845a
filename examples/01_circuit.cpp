// Example 01: one circuit simulated in the full 2^n state and in its Hamming-weight subspace.
//
// X gates put two particles on qubits 0 and 3; every later gate (RBS, RZ, CZ) keeps the Hamming
// weight, so the state never leaves the C(6, 2) = 15 states of weight 2 and the subspace
// simulator needs 15 amplitudes instead of 64. Both give the same outcome probabilities.

#include <papillon/sim/simulator.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

int main() {
  using papillon::param;
  papillon::circuit c(6);
  c.x(0).x(3);
  c.rbs(0, 1, param(0)).rbs(2, 3, param(1)).rbs(4, 5, param(2));
  c.rbs(1, 2, param(3)).rbs(3, 4, param(4)).rz(2, param(5)).cz(1, 4).rbs(0, 5, param(6));
  const std::vector<double> theta{0.3, -0.8, 1.1, 0.5, 2.0, 0.7, -1.3};

  const auto full =
      papillon::simulate_probabilities(c, theta, {.mode = papillon::simulation_mode::full});
  const auto sub =
      papillon::simulate_probabilities(c, theta, {.mode = papillon::simulation_mode::subspace});
  const auto picked = papillon::simulate_probabilities(c, theta);  // automatic mode
  std::printf("full state: %zu amplitudes, subspace of weight %zu: %zu amplitudes\n",
              full.values.size(), static_cast<std::size_t>(sub.weight), sub.values.size());
  std::printf("automatic mode picks: %s\n",
              picked.mode == papillon::simulation_mode::subspace ? "subspace" : "full");

  // Basis states are little-endian (qubit i = bit i); printed qubit 0 first.
  std::printf("q0..q5  full      subspace\n");
  double max_diff = 0.0, inside = 0.0;
  for (std::size_t r = 0; r < sub.values.size(); ++r) {
    const papillon::basis_state s = sub.basis_of(r);
    std::string bits(6, '0');
    for (std::size_t q = 0; q < 6; ++q)
      if ((s >> q) & 1U) bits[q] = '1';
    std::printf("%s  %.6f  %.6f\n", bits.c_str(), full.values[s], sub.values[r]);
    max_diff = std::max(max_diff, std::abs(full.values[s] - sub.values[r]));
    inside += full.values[s];
  }
  // The full state must also put no probability outside weight 2.
  const bool agree = max_diff < 1e-12 && std::abs(1.0 - inside) < 1e-12;
  std::printf("max difference %.1e, full-state probability outside weight 2: %.1e\n", max_diff,
              std::abs(1.0 - inside));
  std::printf("full and subspace agree: %s\n", agree ? "yes" : "no");
  return agree ? 0 : 1;
}
