#pragma once

/// @file
/// Monte Carlo trajectories of a depolarising noise model on the full state: each trajectory
/// draws its Pauli errors up front, from its own seeded stream, then runs the circuit with the
/// errors inserted. The simulator backend runs its noisy batches with these. A trajectory runs
/// on a basic_statevector (real amplitudes for real circuits), through the same apply as every
/// other full-state run.

#include <papillon/circuit/circuit.hpp>
#include <papillon/core/random.hpp>
#include <papillon/sim/detail/validated_circuit.hpp>
#include <papillon/sim/noise.hpp>
#include <papillon/sim/sampling.hpp>
#include <papillon/sim/statevector.hpp>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
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
/// @throws circuit_error if q is out of range.
template <class Scalar>
void apply_pauli(basic_statevector<Scalar>& state, index_t q, unsigned code) {
  if (code == 2 || code == 3) state.apply(make_operation(gate_kind::z, q));
  if (code == 1 || code == 2) state.apply(make_operation(gate_kind::x, q));
}

namespace detail {

/// run_trajectory on a validated circuit (the simulator backend validates its batch once):
/// `run` covers the whole circuit and the events are valid for it. The circuit runs in the
/// stretches between the gates that draw an error.
template <class Scalar>
void run_trajectory(const validated_circuit& run, std::span<const pauli_event> events,
                    basic_statevector<Scalar>& state) {
  state.reset();
  index_t done = 0;
  std::size_t e = 0;
  while (e < events.size()) {
    const index_t i = events[e].position;
    state.apply(run.slice(done, i + 1));
    const operation& op = run.ops[i];
    for (; e < events.size() && events[e].position == i; ++e) {
      const unsigned code = events[e].code;
      if (op.arity() == 1) {
        apply_pauli(state, op.qubits[0], code);
      } else {
        apply_pauli(state, op.qubits[0], code >> 2);
        apply_pauli(state, op.qubits[1], code & 3U);
      }
    }
    done = i + 1;
  }
  state.apply(run.slice(done, run.ops.size()));
}

}  // namespace detail

/// Runs one trajectory from |0...0> into `state`, inserting the events (from draw_errors).
/// @throws dimension_error if the state's qubit count differs or params are too short;
///         data_error for a non-finite parameter; circuit_error for a complex gate on a real
///         state or an event that does not follow an operation of the circuit (in gate order).
template <class Scalar>
void run_trajectory(const circuit& c, std::span<const double> params,
                    std::span<const pauli_event> events, basic_statevector<Scalar>& state) {
  if (c.num_qubits() != state.num_qubits())
    throw dimension_error(
        "run_trajectory", "circuit and state qubit counts differ",
        std::to_string(c.num_qubits()) + " vs " + std::to_string(state.num_qubits()));
  check_parameters(c, params, "run_trajectory");
  if constexpr (!detail::is_complex_v<Scalar>) {
    for (index_t i = 0; i < c.size(); ++i)
      if (!traits(c[i].kind).real)
        throw circuit_error(
            "run_trajectory", "complex gate on a real-amplitude state",
            "operation " + std::to_string(i) + ": " + std::string(gate_name(c[i].kind)));
  }
  for (std::size_t e = 0; e < events.size(); ++e) {
    const pauli_event& ev = events[e];
    const bool ordered = e == 0 || events[e - 1].position <= ev.position;
    if (ev.position >= c.size() || !ordered || ev.code == 0 ||
        ev.code > (c[ev.position].arity() == 1 ? 3U : 15U))
      throw circuit_error("run_trajectory", "event does not fit the circuit",
                          "event " + std::to_string(e) + ": position " +
                              std::to_string(ev.position) + ", code " + std::to_string(ev.code));
  }
  detail::run_trajectory(detail::assume_validated(c, params), events, state);
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
