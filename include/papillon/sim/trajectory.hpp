#pragma once

/// @file
/// Monte Carlo trajectories of a depolarising noise model on the full state: each trajectory
/// draws its Pauli errors up front, from its own seeded stream, then runs the circuit with the
/// errors inserted. The simulator backend runs its noisy batches with these.

#include <papillon/circuit/circuit.hpp>
#include <papillon/core/random.hpp>
#include <papillon/sim/detail/apply.hpp>
#include <papillon/sim/noise.hpp>
#include <papillon/sim/sampling.hpp>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace papillon {

/// A Pauli error after operation `position`: code 1..3 (X, Y, Z) for one-qubit gates on
/// qubits[0]; 1..15 for two-qubit gates, high two bits on qubits[0], low two bits on qubits[1]
/// (0 = I, 1 = X, 2 = Y, 3 = Z).
struct pauli_event {
  index_t position = 0;
  unsigned code = 0;
};

/// Draws the errors of one trajectory (events in gate order).
inline void draw_errors(const circuit& c, const noise_model& m, splitmix64& rng,
                        std::vector<pauli_event>& out) {
  out.clear();
  const double q1 = m.error_probability(1);
  const double q2 = m.error_probability(2);
  if (q1 == 0 && q2 == 0) return;
  for (index_t i = 0; i < c.size(); ++i) {
    const unsigned arity = c[i].arity();
    const double q = arity == 1 ? q1 : q2;
    if (q > 0 && rng.uniform() < q)
      out.push_back({i, static_cast<unsigned>(1 + rng.below(arity == 1 ? 3 : 15))});
  }
}

/// Applies Pauli `code` (0 I, 1 X, 2 Y, 3 Z) to qubit q up to a global phase: Y = i X Z, so it
/// runs as Z then X and real states stay real.
template <class Scalar>
void apply_pauli(Scalar* a, index_t n, index_t q, unsigned code) {
  if (code == 2 || code == 3) detail::apply_operation(a, n, make_operation(gate_kind::z, q), 0.0);
  if (code == 1 || code == 2) detail::apply_operation(a, n, make_operation(gate_kind::x, q), 0.0);
}

/// Runs one trajectory from |0...0> into `amps` (resized to 2^n), inserting the events.
template <class Scalar>
void run_trajectory(const circuit& c, std::span<const double> params,
                    std::span<const pauli_event> events,
                    Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& amps) {
  const index_t n = c.num_qubits();
  amps.setZero(static_cast<Eigen::Index>(basis_state{1} << n));
  amps[0] = Scalar(1);
  std::size_t e = 0;
  for (index_t i = 0; i < c.size(); ++i) {
    const operation& op = c[i];
    detail::apply_operation(amps.data(), n, op, op.angle(params));
    for (; e < events.size() && events[e].position == i; ++e) {
      const unsigned code = events[e].code;
      if (op.arity() == 1) {
        apply_pauli(amps.data(), n, op.qubits[0], code);
      } else {
        apply_pauli(amps.data(), n, op.qubits[0], code >> 2);
        apply_pauli(amps.data(), n, op.qubits[1], code & 3U);
      }
    }
  }
}

/// Flips each of the n low bits of x with probability p.
inline basis_state flip_bits(basis_state x, index_t n, double p, splitmix64& rng) noexcept {
  for (index_t q = 0; q < n; ++q)
    if (rng.uniform() < p) x ^= basis_state{1} << q;
  return x;
}

/// Applies the readout bit-flip channel to a full probability vector, exactly.
template <class Vec>
void apply_readout_channel(Vec& p, index_t n, double r) {
  if (r == 0) return;
  for (index_t q = 0; q < n; ++q) {
    const basis_state bit = basis_state{1} << q;
    for (basis_state x = 0; x < static_cast<basis_state>(p.size()); ++x) {
      if (x & bit) continue;
      const auto i0 = static_cast<Eigen::Index>(x);
      const auto i1 = static_cast<Eigen::Index>(x | bit);
      const double a = p[i0];
      const double b = p[i1];
      p[i0] = (1 - r) * a + r * b;
      p[i1] = (1 - r) * b + r * a;
    }
  }
}

}  // namespace papillon
