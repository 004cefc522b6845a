#pragma once

// Circuits and oracles shared by the gradient tests.

#include <papillon/circuit/circuit.hpp>
#include <papillon/grad/observable.hpp>
#include <papillon/sim/simulator.hpp>

#include <random>
#include <vector>

#include "support/reference.hpp"

namespace papillon::test {

/// Appends a coupling-last Butterfly on n = 2^m qubits reading parameters first, first+1, ...
inline index_t append_butterfly(circuit& c, index_t n, index_t first = 0) {
  index_t p = first;
  for (index_t s = 1; s < n; s *= 2)
    for (index_t i = 0; i < n; ++i)
      if ((i / s) % 2 == 0) c.rbs(i, i + s, param(p++));
  return p;
}

/// X(0), a diagonal-loader chain of constant RBS angles, then a parameterised Butterfly.
inline circuit unary_butterfly(index_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> ang(-1.5, 1.5);
  circuit c(n);
  c.x(0);
  for (index_t i = 0; i + 1 < n; ++i) c.rbs(i, i + 1, ang(rng));
  append_butterfly(c, n);
  return c;
}

/// The circuit of docs/method.md section 8: parallel loader of (1..8)/norm, then the n = 8
/// Butterfly.
inline circuit section8_circuit() {
  circuit c(8);
  c.x(0);
  c.rbs(0, 4, 1.1772321915);
  c.rbs(0, 2, 1.1502619915);
  c.rbs(4, 6, 0.9371421418);
  c.rbs(0, 1, 1.1071487178);
  c.rbs(2, 3, 0.9272952180);
  c.rbs(4, 5, 0.8760580506);
  c.rbs(6, 7, 0.8519663272);
  append_butterfly(c, 8);
  return c;
}

/// A random circuit of all gate kinds where some rotations read one of `num_params`
/// parameters with a scale in {1, -0.5, 2}.
inline circuit random_param_circuit(index_t n, index_t length, index_t num_params,
                                    const std::vector<gate_kind>& kinds, std::mt19937_64& rng) {
  circuit c(n);
  std::uniform_int_distribution<std::size_t> pick(0, kinds.size() - 1);
  std::uniform_int_distribution<index_t> par(0, num_params - 1);
  std::uniform_int_distribution<int> coin(0, 3);
  const double scales[3] = {1.0, -0.5, 2.0};
  for (index_t i = 0; i < length; ++i) {
    const gate_kind k = kinds[pick(rng)];
    if (traits(k).arity == 2 && n < 2) continue;
    operation op = random_operation(k, n, rng);
    if (traits(k).rotation && coin(rng) != 0)
      op.param = parameter_ref{par(rng), scales[coin(rng) % 3]};
    c.append(op);
  }
  c.set_num_parameters(num_params);
  return c;
}

/// f(params) by exact simulation.
inline double exact_value(const circuit& c, const std::vector<double>& params,
                          const diagonal_observable& obs) {
  const auto p = simulate_probabilities(c, params);
  double f = 0;
  for (index_t i = 0; i < p.values.size(); ++i)
    f += p.values[i] * (p.mode == simulation_mode::subspace && p.weight == 1
                            ? obs.unary_weight_of(i)
                            : obs.weight_of(p.basis_of(i)));
  return f;
}

}  // namespace papillon::test
