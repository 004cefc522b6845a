#pragma once

/// @file
/// The circuit value type: a qubit count, ordered operations and the length of the parameter
/// vector they read. Parameters are bound at run time, so shifted or batched evaluations change
/// vectors, never circuits. Every appender validates (qubit range, distinct targets, finite
/// angles) and throws circuit_error naming the operation's position.

#include <papillon/circuit/operation.hpp>
#include <papillon/error.hpp>

#include <cmath>
#include <span>
#include <string>
#include <vector>

namespace papillon {

/// The largest qubit count a circuit may declare.
inline constexpr index_t max_circuit_qubits = 4096;

class circuit {
 public:
  /// An empty circuit on `num_qubits` qubits.
  /// @throws circuit_error if num_qubits is 0 or above max_circuit_qubits.
  explicit circuit(index_t num_qubits) : m_qubits(num_qubits) {
    if (num_qubits == 0 || num_qubits > max_circuit_qubits)
      throw circuit_error("circuit", "qubit count must be in 1..4096",
                          "qubits = " + std::to_string(num_qubits));
  }

  [[nodiscard]] index_t num_qubits() const noexcept { return m_qubits; }
  /// Length of the parameter vector this circuit reads: at least the largest referenced index
  /// plus one, or more if declared with set_num_parameters().
  [[nodiscard]] index_t num_parameters() const noexcept { return m_parameters; }
  [[nodiscard]] std::span<const operation> operations() const noexcept { return m_ops; }
  [[nodiscard]] index_t size() const noexcept { return m_ops.size(); }
  [[nodiscard]] bool empty() const noexcept { return m_ops.empty(); }
  [[nodiscard]] const operation& operator[](index_t i) const noexcept { return m_ops[i]; }

  /// Declares a parameter vector length (for parameters no gate reads).
  /// @throws circuit_error if n is below the largest referenced index plus one.
  circuit& set_num_parameters(index_t n) {
    if (n < m_required)
      throw circuit_error(
          "circuit::set_num_parameters", "declared count is below a referenced parameter index",
          "declared " + std::to_string(n) + ", needed " + std::to_string(m_required));
    m_parameters = n;
    return *this;
  }

  /// Appends one operation after validating it.
  /// @throws circuit_error naming the operation's position and the problem.
  circuit& append(const operation& op) {
    validate(op, m_ops.size());
    m_ops.push_back(op);
    if (op.param) {
      m_required = std::max(m_required, op.param->index + 1);
      m_parameters = std::max(m_parameters, m_required);
    }
    return *this;
  }

  /// Appends every operation of another circuit, reading the same parameter vector.
  /// @throws circuit_error if `other` has more qubits than this circuit.
  circuit& append(const circuit& other) {
    if (other.m_qubits > m_qubits)
      throw circuit_error("circuit::append", "appended circuit has more qubits",
                          std::to_string(other.m_qubits) + " > " + std::to_string(m_qubits));
    m_ops.reserve(m_ops.size() + other.m_ops.size());
    for (const auto& op : other.m_ops) append(op);
    m_parameters = std::max(m_parameters, other.m_parameters);
    return *this;
  }

  /// The inverse circuit: operations reversed, each inverted. Parameterised angles are negated
  /// through their scale, so the inverse reads the same parameter vector.
  [[nodiscard]] circuit inverse() const {
    circuit out(m_qubits);
    out.m_ops.reserve(m_ops.size());
    for (auto it = m_ops.rbegin(); it != m_ops.rend(); ++it) out.m_ops.push_back(invert(*it));
    out.m_required = m_required;
    out.m_parameters = m_parameters;
    return out;
  }

  /// The inverse of one operation.
  static operation invert(operation op) noexcept {
    switch (op.kind) {
      case gate_kind::s:
        op.kind = gate_kind::sdg;
        break;
      case gate_kind::sdg:
        op.kind = gate_kind::s;
        break;
      case gate_kind::t:
        op.kind = gate_kind::tdg;
        break;
      case gate_kind::tdg:
        op.kind = gate_kind::t;
        break;
      case gate_kind::gpi2:
        op.turns[0] += 0.5;
        break;
      case gate_kind::ms:
        op.turns[2] = -op.turns[2];
        break;
      default:
        if (traits(op.kind).rotation) {
          if (op.param)
            op.param->scale = -op.param->scale;
          else
            op.theta = -op.theta;
        }
        break;
    }
    return op;
  }

  // Fluent appenders.
  circuit& x(index_t q) { return one(gate_kind::x, q); }
  circuit& y(index_t q) { return one(gate_kind::y, q); }
  circuit& z(index_t q) { return one(gate_kind::z, q); }
  circuit& h(index_t q) { return one(gate_kind::h, q); }
  circuit& s(index_t q) { return one(gate_kind::s, q); }
  circuit& sdg(index_t q) { return one(gate_kind::sdg, q); }
  circuit& t(index_t q) { return one(gate_kind::t, q); }
  circuit& tdg(index_t q) { return one(gate_kind::tdg, q); }
  circuit& rx(index_t q, double theta) { return rot1(gate_kind::rx, q, theta); }
  circuit& rx(index_t q, parameter_ref p) { return rot1(gate_kind::rx, q, p); }
  circuit& ry(index_t q, double theta) { return rot1(gate_kind::ry, q, theta); }
  circuit& ry(index_t q, parameter_ref p) { return rot1(gate_kind::ry, q, p); }
  circuit& rz(index_t q, double theta) { return rot1(gate_kind::rz, q, theta); }
  circuit& rz(index_t q, parameter_ref p) { return rot1(gate_kind::rz, q, p); }
  circuit& cnot(index_t control, index_t target) { return two(gate_kind::cnot, control, target); }
  circuit& cz(index_t a, index_t b) { return two(gate_kind::cz, a, b); }
  circuit& swap(index_t a, index_t b) { return two(gate_kind::swap, a, b); }
  circuit& rbs(index_t a, index_t b, double theta) { return rot2(gate_kind::rbs, a, b, theta); }
  circuit& rbs(index_t a, index_t b, parameter_ref p) { return rot2(gate_kind::rbs, a, b, p); }
  circuit& fbs(index_t a, index_t b, double theta) { return rot2(gate_kind::fbs, a, b, theta); }
  circuit& fbs(index_t a, index_t b, parameter_ref p) { return rot2(gate_kind::fbs, a, b, p); }
  circuit& xx(index_t a, index_t b, double theta) { return rot2(gate_kind::xx, a, b, theta); }
  circuit& xx(index_t a, index_t b, parameter_ref p) { return rot2(gate_kind::xx, a, b, p); }
  circuit& yy(index_t a, index_t b, double theta) { return rot2(gate_kind::yy, a, b, theta); }
  circuit& yy(index_t a, index_t b, parameter_ref p) { return rot2(gate_kind::yy, a, b, p); }
  circuit& zz(index_t a, index_t b, double theta) { return rot2(gate_kind::zz, a, b, theta); }
  circuit& zz(index_t a, index_t b, parameter_ref p) { return rot2(gate_kind::zz, a, b, p); }
  /// IonQ GPI with phase in turns.
  circuit& gpi(index_t q, double phase) {
    operation op = make_operation(gate_kind::gpi, q, 0);
    op.turns[0] = phase;
    return append(op);
  }
  /// IonQ GPI2 with phase in turns.
  circuit& gpi2(index_t q, double phase) {
    operation op = make_operation(gate_kind::gpi2, q, 0);
    op.turns[0] = phase;
    return append(op);
  }
  /// IonQ MS with phases and angle in turns (0.25 is fully entangling).
  circuit& ms(index_t a, index_t b, double phase0, double phase1, double angle = 0.25) {
    operation op = make_operation(gate_kind::ms, a, b);
    op.turns = {phase0, phase1, angle};
    return append(op);
  }

  bool operator==(const circuit&) const = default;

 private:
  circuit& one(gate_kind k, index_t q) { return append(make_operation(k, q, 0)); }
  circuit& rot1(gate_kind k, index_t q, double theta) {
    operation op = make_operation(k, q, 0);
    op.theta = theta;
    return append(op);
  }
  circuit& rot1(gate_kind k, index_t q, parameter_ref p) {
    operation op = make_operation(k, q, 0);
    op.param = p;
    return append(op);
  }
  circuit& two(gate_kind k, index_t a, index_t b) { return append(make_operation(k, a, b)); }
  circuit& rot2(gate_kind k, index_t a, index_t b, double theta) {
    operation op = make_operation(k, a, b);
    op.theta = theta;
    return append(op);
  }
  circuit& rot2(gate_kind k, index_t a, index_t b, parameter_ref p) {
    operation op = make_operation(k, a, b);
    op.param = p;
    return append(op);
  }

  void validate(const operation& op, index_t position) const {
    const auto& tr = traits(op.kind);
    const auto where = [&] {
      return "operation " + std::to_string(position) + ": " + std::string(tr.name);
    };
    if (static_cast<std::size_t>(op.kind) >= gate_kind_count)
      throw circuit_error("circuit::append", "unknown gate kind",
                          "operation " + std::to_string(position));
    for (unsigned i = 0; i < tr.arity; ++i)
      if (op.qubits[i] >= m_qubits)
        throw circuit_error("circuit::append",
                            "qubit " + std::to_string(op.qubits[i]) + " out of range for " +
                                std::to_string(m_qubits) + " qubits",
                            where());
    if (tr.arity == 2 && op.qubits[0] == op.qubits[1])
      throw circuit_error("circuit::append",
                          "repeated target qubit " + std::to_string(op.qubits[0]), where());
    if (tr.rotation) {
      if (op.param) {
        if (!std::isfinite(op.param->scale))
          throw circuit_error("circuit::append", "non-finite parameter scale", where());
      } else if (!std::isfinite(op.theta)) {
        throw circuit_error("circuit::append", "non-finite angle", where());
      }
    } else if (op.param) {
      throw circuit_error("circuit::append", "gate takes no angle parameter", where());
    }
    if (tr.native_ionq)
      for (double v : op.turns)
        if (!std::isfinite(v))
          throw circuit_error("circuit::append", "non-finite phase or angle", where());
  }

  index_t m_qubits;
  std::vector<operation> m_ops;
  index_t m_required = 0;    // largest referenced parameter index + 1
  index_t m_parameters = 0;  // declared or required parameter count
};

/// Checks a parameter vector against a circuit: length and finiteness.
/// @throws dimension_error if too short, data_error if a referenced value is not finite.
inline void check_parameters(const circuit& c, std::span<const double> params,
                             std::string_view where) {
  if (params.size() < c.num_parameters())
    throw dimension_error(where, "parameter vector too short",
                          "got " + std::to_string(params.size()) + ", circuit needs " +
                              std::to_string(c.num_parameters()));
  for (index_t i = 0; i < params.size(); ++i)
    if (!std::isfinite(params[i]))
      throw data_error(where, "non-finite parameter value", "parameter " + std::to_string(i));
}

}  // namespace papillon
