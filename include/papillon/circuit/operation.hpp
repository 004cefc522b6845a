#pragma once

/// @file
/// One operation of a circuit: a gate kind, its qubits, and its angle, either a constant or a
/// reference into the parameter vector bound at run time.

#include <papillon/circuit/gate.hpp>
#include <papillon/core/types.hpp>

#include <array>
#include <optional>
#include <span>

namespace papillon {

/// A reference to entry `index` of the parameter vector; the gate's angle is scale * p[index].
struct parameter_ref {
  index_t index = 0;
  double scale = 1.0;
  bool operator==(const parameter_ref&) const = default;
};

/// Shorthand for a parameter reference: `c.rbs(0, 1, param(3))`.
constexpr parameter_ref param(index_t index, double scale = 1.0) noexcept { return {index, scale}; }

/// One gate applied to specific qubits.
struct operation {
  gate_kind kind = gate_kind::x;
  /// Qubits: {target} for one-qubit gates, {a, b} for two-qubit gates, {control, target} for cnot.
  std::array<index_t, 2> qubits{};
  /// Constant angle in radians for rotations without a parameter.
  double theta = 0.0;
  /// Set when the angle is bound at run time.
  std::optional<parameter_ref> param;
  /// IonQ native gates, in turns: gpi/gpi2 {phase, -, -}; ms {phase0, phase1, angle}.
  std::array<double, 3> turns{};

  bool operator==(const operation&) const = default;

  /// Number of qubits the gate acts on.
  [[nodiscard]] unsigned arity() const noexcept { return traits(kind).arity; }

  /// The rotation angle in radians under the given parameters. Precondition: a bound parameter
  /// index is in range (circuit validation and simulator entry points check it).
  [[nodiscard]] double angle(std::span<const double> params) const noexcept {
    return param ? param->scale * params[param->index] : theta;
  }
};

/// An operation of kind `k` on qubits (a, b) (b is ignored by one-qubit gates), angle 0.
constexpr operation make_operation(gate_kind k, index_t a, index_t b = 0) noexcept {
  operation op;
  op.kind = k;
  op.qubits = {a, b};
  return op;
}

}  // namespace papillon
