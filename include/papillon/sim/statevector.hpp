#pragma once

/// @file
/// The full state vector: 2^n amplitudes indexed by basis state (bit i = qubit i).
/// basic_statevector<Scalar> holds complex amplitudes (statevector<Float>) or, for circuits made
/// only of real gates, real ones (real_statevector<Float>): half the memory and traffic.

#include <papillon/circuit/circuit.hpp>
#include <papillon/sim/detail/apply.hpp>
#include <papillon/sim/detail/fusion.hpp>
#include <papillon/sim/detail/validated_circuit.hpp>
#include <papillon/sim/memory.hpp>

#include <Eigen/Core>

#include <span>
#include <string>

namespace papillon {

/// Largest qubit count of a full state vector (before the memory check).
inline constexpr index_t max_statevector_qubits = 40;

/// True when every operation of the circuit has a real matrix, so it can run on real amplitudes.
inline bool is_real_circuit(const circuit& c) noexcept {
  for (const auto& op : c.operations())
    if (!traits(op.kind).real) return false;
  return true;
}

template <class Scalar>
class basic_statevector {
 public:
  using scalar_type = Scalar;
  using real_type = detail::real_of_t<Scalar>;
  using vector_type = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  static constexpr bool is_complex = detail::is_complex_v<Scalar>;

  /// The basis state `initial` on `num_qubits` qubits.
  /// @throws dimension_error if num_qubits is 0 or too large for the memory limit, or `initial`
  ///         has a bit at or above num_qubits.
  explicit basic_statevector(index_t num_qubits, basis_state initial = 0,
                             const memory_options& mem = {})
      : m_qubits(num_qubits) {
    check_size(num_qubits, mem);
    check_basis(initial);
    m_amps = vector_type::Zero(static_cast<Eigen::Index>(basis_state{1} << num_qubits));
    m_amps[static_cast<Eigen::Index>(initial)] = Scalar(1);
  }

  /// A state with the given amplitudes (not renormalised).
  /// @throws dimension_error if the length is not a power of two.
  explicit basic_statevector(vector_type amplitudes) : m_amps(std::move(amplitudes)) {
    const auto len = static_cast<basis_state>(m_amps.size());
    if (len < 2 || (len & (len - 1)) != 0)
      throw dimension_error("statevector", "amplitude count is not a power of two >= 2",
                            "length " + std::to_string(len));
    m_qubits = static_cast<index_t>(std::countr_zero(len));
  }

  [[nodiscard]] index_t num_qubits() const noexcept { return m_qubits; }
  [[nodiscard]] const vector_type& amplitudes() const noexcept { return m_amps; }
  [[nodiscard]] vector_type& amplitudes() noexcept { return m_amps; }
  [[nodiscard]] Scalar amplitude(basis_state s) const noexcept {
    return m_amps[static_cast<Eigen::Index>(s)];
  }

  /// Returns to the basis state `initial`, reusing the amplitude buffer (one state serves many
  /// trajectories).
  /// @throws dimension_error if `initial` has a bit at or above num_qubits().
  void reset(basis_state initial = 0) {
    check_basis(initial);
    m_amps.setZero();
    m_amps[static_cast<Eigen::Index>(initial)] = Scalar(1);
  }

  /// Applies one operation under the given parameters.
  /// @throws circuit_error for a qubit out of range or a complex gate on a real state;
  ///         dimension_error for a missing parameter.
  void apply(const operation& op, std::span<const double> params = {}) {
    validate_op(op, 0);
    if (op.param && op.param->index >= params.size())
      throw dimension_error("statevector::apply", "parameter index out of range",
                            "parameter " + std::to_string(op.param->index) + ", got " +
                                std::to_string(params.size()) + " values");
    detail::apply_operation(m_amps.data(), m_qubits, op, op.angle(params));
  }

  /// Applies every operation of a circuit in order.
  /// @throws dimension_error if the circuit's qubit count differs or params are too short;
  ///         circuit_error for a complex gate on a real state (naming its position).
  void apply(const circuit& c, std::span<const double> params = {},
             const fusion_options& fusion = {}) {
    if (c.num_qubits() != m_qubits)
      throw dimension_error("statevector::apply", "circuit and state qubit counts differ",
                            std::to_string(c.num_qubits()) + " vs " + std::to_string(m_qubits));
    check_parameters(c, params, "statevector::apply");
    for (index_t i = 0; i < c.size(); ++i) validate_op(c[i], i);
    apply(detail::assume_validated(c, params), fusion);
  }

  /// Applies the operations of an already validated circuit (detail/validated_circuit.hpp lists
  /// what the caller vouches for); nothing is checked. Every full-state circuit application
  /// (the simulator, trajectories, the public apply above) ends here. Complex states fuse gates
  /// (sim/fusion_options.hpp); real ones run gate by gate.
  void apply(const detail::validated_circuit& run, const fusion_options& fusion = {}) {
    if constexpr (is_complex) {
      if (fusion.enabled && m_qubits >= fusion.min_state_qubits && run.ops.size() > 1) {
        detail::apply_fused(m_amps.data(), m_qubits, run, fusion);
        return;
      }
    }
    for (const auto& op : run.ops)
      detail::apply_operation(m_amps.data(), m_qubits, op, op.angle(run.params));
  }

  /// |amplitude|^2 for every basis state.
  [[nodiscard]] Eigen::Matrix<real_type, Eigen::Dynamic, 1> probabilities() const {
    if constexpr (is_complex)
      return m_amps.cwiseAbs2();
    else
      return m_amps.cwiseAbs2();
  }

  /// The squared norm (computed in index order: deterministic).
  [[nodiscard]] real_type squared_norm() const noexcept { return m_amps.squaredNorm(); }

  /// The same state with complex amplitudes.
  [[nodiscard]] basic_statevector<std::complex<real_type>> to_complex() const {
    return basic_statevector<std::complex<real_type>>(
        m_amps.template cast<std::complex<real_type>>().eval());
  }

 private:
  static void check_size(index_t n, const memory_options& mem) {
    if (n == 0 || n > max_statevector_qubits)
      throw dimension_error("statevector", "qubit count must be in 1..40",
                            "n = " + std::to_string(n));
    detail::check_memory(
        "statevector", static_cast<long double>(basis_state{1} << n), sizeof(Scalar), mem,
        std::to_string(n) + " qubits, " + std::to_string(sizeof(Scalar)) + " bytes per amplitude");
  }

  void check_basis(basis_state initial) const {
    if (m_qubits < 64 && (initial >> m_qubits) != 0)
      throw dimension_error(
          "statevector", "initial basis state has a bit beyond the qubits",
          "state " + std::to_string(initial) + ", " + std::to_string(m_qubits) + " qubits");
  }

  void validate_op(const operation& op, index_t position) const {
    const auto& tr = traits(op.kind);
    for (unsigned i = 0; i < tr.arity; ++i)
      if (op.qubits[i] >= m_qubits)
        throw circuit_error("statevector::apply", "qubit out of range",
                            "operation " + std::to_string(position) + ": " + std::string(tr.name));
    if constexpr (!is_complex) {
      if (!tr.real)
        throw circuit_error("statevector::apply", "complex gate on a real-amplitude state",
                            "operation " + std::to_string(position) + ": " + std::string(tr.name));
    }
  }

  index_t m_qubits = 0;
  vector_type m_amps;
};

/// Complex state vector.
template <class Float = double>
using statevector = basic_statevector<std::complex<Float>>;

/// Real state vector for circuits of real gates.
template <class Float = double>
using real_statevector = basic_statevector<Float>;

}  // namespace papillon
