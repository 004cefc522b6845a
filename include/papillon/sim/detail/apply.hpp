#pragma once

/// @file
/// Dispatch from an operation to the full-state kernel that applies it.

#include <papillon/circuit/operation.hpp>
#include <papillon/core/assert.hpp>
#include <papillon/sim/detail/kernels.hpp>

#include <cmath>

namespace papillon::detail {

/// Applies one operation with its angle already bound (radians; turns for IonQ native gates are
/// read from op.turns). Precondition: the operation is valid for n qubits, and a real Scalar
/// only receives real gates.
template <class Scalar>
void apply_operation(Scalar* a, index_t n, const operation& op, double theta) {
  using F = real_of_t<Scalar>;
  using C = std::complex<F>;
  const index_t q0 = op.qubits[0];
  const index_t q1 = op.qubits[1];
  const auto cast = [](double v) { return static_cast<F>(v); };
  switch (op.kind) {
    case gate_kind::x:
      apply_x(a, n, q0);
      return;
    case gate_kind::z:
      apply_diagonal_1q(a, n, q0, F(1), F(-1), true);
      return;
    case gate_kind::h:
    case gate_kind::ry: {
      const auto m = one_qubit_matrix<F>(op.kind, theta);
      // On complex double amplitudes the vector dense kernel beats the real-coefficient loop
      // even though half its products are by zero.
      if constexpr (std::is_same_v<Scalar, std::complex<double>>) {
        if (best_simd_isa() != simd_isa::generic) {
          const C c[4] = {m[0], m[1], m[2], m[3]};
          apply_matrix_1q(a, n, q0, c);
          return;
        }
      }
      const F r[4] = {m[0].real(), m[1].real(), m[2].real(), m[3].real()};
      apply_matrix_1q(a, n, q0, r);
      return;
    }
    case gate_kind::cnot:
      apply_exchange(a, n, q0, q1, 2U, 3U);
      return;
    case gate_kind::cz:
      apply_phase_11(a, n, q0, q1, F(-1));
      return;
    case gate_kind::swap:
      apply_exchange(a, n, q0, q1, 1U, 2U);
      return;
    case gate_kind::rbs:
    case gate_kind::fbs:
      apply_rbs(a, n, q0, q1, cast(std::cos(theta)), cast(std::sin(theta)),
                op.kind == gate_kind::fbs);
      return;
    default:
      break;
  }
  if constexpr (is_complex_v<Scalar>) {
    switch (op.kind) {
      case gate_kind::s:
      case gate_kind::sdg:
      case gate_kind::t:
      case gate_kind::tdg: {
        const auto m = one_qubit_matrix<F>(op.kind, 0.0);
        apply_diagonal_1q(a, n, q0, C(1), m[3], true);
        return;
      }
      case gate_kind::rz: {
        const auto m = one_qubit_matrix<F>(op.kind, theta);
        apply_diagonal_1q(a, n, q0, m[0], m[3], false);
        return;
      }
      case gate_kind::y:
      case gate_kind::rx:
      case gate_kind::gpi:
      case gate_kind::gpi2: {
        const double arg =
            (op.kind == gate_kind::gpi || op.kind == gate_kind::gpi2) ? op.turns[0] : theta;
        const auto m = one_qubit_matrix<F>(op.kind, arg);
        const C c[4] = {m[0], m[1], m[2], m[3]};
        apply_matrix_1q(a, n, q0, c);
        return;
      }
      case gate_kind::zz: {
        const auto m = two_qubit_matrix<F>(op.kind, theta);
        const C d[4] = {m[0], m[5], m[10], m[15]};
        apply_diagonal_2q(a, n, q0, q1, d);
        return;
      }
      case gate_kind::xx:
      case gate_kind::yy:
      case gate_kind::ms: {
        const auto m = op.kind == gate_kind::ms
                           ? two_qubit_matrix<F>(op.kind, op.turns[2], op.turns[0], op.turns[1])
                           : two_qubit_matrix<F>(op.kind, theta);
        C c[16];
        for (int i = 0; i < 16; ++i) c[i] = m[static_cast<std::size_t>(i)];
        apply_matrix_2q(a, n, q0, q1, c);
        return;
      }
      default:
        break;
    }
  }
  // Every kind is handled above, and real states reject complex gates before dispatch.
  PAPILLON_UNREACHABLE("detail::apply_operation", "no kernel for this gate and scalar type");
}

}  // namespace papillon::detail
