#pragma once

/// @file
/// A circuit that a public entry point has already validated, for the internal entry points
/// that apply it without checking again.

#include <papillon/circuit/circuit.hpp>

#include <span>

namespace papillon::detail {

/// A circuit, its parameters and the run of its operations to apply, vouched for by whoever
/// builds it. A task is validated once, where it enters (backend::run_batch, simulate_*,
/// run_trajectory, a state's apply(circuit)); everything past that point takes this view and
/// checks nothing, so a task is not re-validated on every layer it passes through.
///
/// Preconditions, established by the builder:
/// - check_parameters(*circ, params) passes (covering references, finite values);
/// - the state it runs on has circ->num_qubits() qubits (so every qubit index is in range:
///   circuit::append checked them against that count);
/// - every operation in `ops` fits that state: only real gates on real amplitudes, only
///   weight-preserving gates on a Hamming-weight subspace.
///
/// `ops` is a span into the circuit, so a part of it (the subspace path skips the X gates that
/// prepare its basis state; a trajectory stops after each gate that draws an error) is applied
/// without copying the circuit.
struct validated_circuit {
  const circuit* circ = nullptr;
  std::span<const double> params;
  std::span<const operation> ops;

  [[nodiscard]] index_t num_qubits() const noexcept { return circ->num_qubits(); }

  /// The operations [first, last) of `ops`.
  [[nodiscard]] validated_circuit slice(index_t first, index_t last) const noexcept {
    return {circ, params, ops.subspan(first, last - first)};
  }
};

/// The whole of `c` with `params`, which the caller has validated as validated_circuit requires.
inline validated_circuit assume_validated(const circuit& c,
                                          std::span<const double> params) noexcept {
  return {&c, params, c.operations()};
}

}  // namespace papillon::detail
