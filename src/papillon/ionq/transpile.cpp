// Transpilation to IonQ's gate sets, and the IonQ `input` object of a transpiled program
// (docs/ionq-api.md section 3).

#include <papillon/ionq/transpile.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <numbers>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace papillon {

namespace detail::transpile {

using cplx = std::complex<double>;
using mat2 = std::array<cplx, 4>;  // row-major

inline constexpr double pi = std::numbers::pi;
inline constexpr double eps = 1e-12;

inline mat2 mul(const mat2& a, const mat2& b) noexcept {
  return {a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
          a[2] * b[1] + a[3] * b[3]};
}
inline mat2 adjoint(const mat2& a) noexcept {
  return {std::conj(a[0]), std::conj(a[2]), std::conj(a[1]), std::conj(a[3])};
}
inline mat2 identity() noexcept { return {cplx(1), cplx(0), cplx(0), cplx(1)}; }
inline mat2 rz(double beta) noexcept {
  return {std::polar(1.0, -beta / 2), cplx(0), cplx(0), std::polar(1.0, beta / 2)};
}
inline mat2 hadamard() noexcept { return one_qubit_matrix<double>(gate_kind::h, 0); }
/// sigma_phi = cos(2 pi phi) X + sin(2 pi phi) Y.
inline mat2 sigma(double phi) noexcept { return one_qubit_matrix<double>(gate_kind::gpi, phi); }

/// Wraps a value into [0, 1) turns, snapping values within eps of an integer to 0.
inline double wrap_turns(double t) noexcept {
  t -= std::floor(t);
  if (t > 1 - eps || t < eps) t = 0;
  return t;
}

/// Wraps an angle into (-pi, pi].
inline double wrap_angle(double a) noexcept {
  a = std::remainder(a, 2 * pi);
  if (a <= -pi) a += 2 * pi;
  return a;
}

/// A Pauli axis: Z, or the equatorial sigma_phi.
struct axis {
  bool z = false;
  double phi = 0;  // turns, when !z
};

/// Builds a native program: one-qubit unitaries are buffered per qubit and merged; Z rotations
/// live in a per-qubit frame (the true state is Rz(frame) applied after the emitted gates).
class native_builder {
 public:
  native_builder(index_t n, ionq_gateset g, const transpile_options& opt)
      : m_pending(n, identity()), m_dirty(n, false), m_frame(n, 0.0), m_opt(opt) {
    m_out.qubits = n;
    m_out.gateset = g;
  }

  /// Appends a one-qubit unitary (true frame) on q.
  void unitary(index_t q, const mat2& u) {
    m_pending[q] = mul(u, m_pending[q]);
    m_dirty[q] = true;
    if (!m_opt.merge_single_qubit) flush(q);
  }

  /// Appends exp(-i theta/2 sigma_a (x) sigma_b) on (a, b).
  void interaction(index_t a, index_t b, axis sa, axis sb, double theta) {
    theta = wrap_angle(theta);
    if (std::abs(theta) < eps) return;
    // |theta| > pi/2: exp(-i theta/2 P) = exp(-i (theta -+ pi)/2 P) (-i P); P commutes with the
    // rotation, so the Pauli goes after it, into the next one-qubit unitaries.
    bool correction = false;
    if (std::abs(theta) > pi / 2 + eps) {
      theta -= theta > 0 ? pi : -pi;
      correction = true;
    }
    if (std::abs(theta) > eps) {
      if (m_out.gateset == ionq_gateset::native_ms)
        emit_ms(a, b, sa, sb, theta);
      else
        emit_zz(a, b, sa, sb, theta);
    }
    if (correction) {
      m_corrections.push_back({a, axis_matrix(sa)});
      m_corrections.push_back({b, axis_matrix(sb)});
    }
    if (m_defer == 0) apply_corrections();
  }

  /// Between begin_group() and end_group(), the Pauli corrections of interactions wait until
  /// the end of the group. Use it for commuting interactions (the two terms of RBS), where the
  /// corrections commute with the whole group and often multiply to a free Z (X Y = i Z).
  void begin_group() noexcept { ++m_defer; }
  void end_group() {
    --m_defer;
    if (m_defer == 0) apply_corrections();
  }

  /// Emits everything pending and returns the program.
  ionq_program finish() {
    for (index_t q = 0; q < m_pending.size(); ++q) flush(q);
    if (!m_opt.drop_final_z)
      for (index_t q = 0; q < m_frame.size(); ++q) {
        const double beta = wrap_angle(m_frame[q]);
        if (std::abs(beta) < eps) continue;
        // GPI(0) then GPI(t) = sigma_t sigma_0 = Rz(4 pi t) up to a global phase.
        one(q, "gpi", 0.0);
        one(q, "gpi", beta / (4 * pi));
      }
    return std::move(m_out);
  }

 private:
  void apply_corrections() {
    for (const auto& [q, m] : m_corrections) unitary(q, m);
    m_corrections.clear();
  }

  static mat2 axis_matrix(axis s) noexcept {
    return s.z ? one_qubit_matrix<double>(gate_kind::z, 0) : sigma(s.phi);
  }

  /// W with W Z W^dagger = sigma: H maps Z to X, then Rz(2 pi phi) turns X into sigma_phi.
  static mat2 to_z_basis(axis s) noexcept {
    return s.z ? identity() : mul(rz(2 * pi * s.phi), hadamard());
  }

  void emit_ms(index_t a, index_t b, axis sa, axis sb, double theta) {
    // A Z axis becomes X by conjugation with H (H X H = Z).
    if (sa.z) unitary(a, hadamard());
    if (sb.z) unitary(b, hadamard());
    flush(a);
    flush(b);
    const double pa = sa.z ? 0.0 : sa.phi;
    double pb = sb.z ? 0.0 : sb.phi;
    if (theta < 0) pb += 0.5;  // sigma_{phi + 1/2} = -sigma_phi flips the sign of the angle
    ionq_gate g;
    g.gate = "ms";
    g.targets = {a, b};
    // Through the frame: phase phi - beta / 2 pi.
    g.phases = {wrap_turns(pa - m_frame[a] / (2 * pi)), wrap_turns(pb - m_frame[b] / (2 * pi))};
    g.angle = std::abs(theta) / (2 * pi);
    m_out.gates.push_back(std::move(g));
    if (sa.z) unitary(a, hadamard());
    if (sb.z) unitary(b, hadamard());
  }

  void emit_zz(index_t a, index_t b, axis sa, axis sb, double theta) {
    const mat2 wa = to_z_basis(sa);
    const mat2 wb = to_z_basis(sb);
    // sigma_a sigma_b = (Wa (x) Wb) Z Z (Wa (x) Wb)^dagger; a negative angle is made positive
    // by conjugating with X on a (X Z X = -Z), keeping angles in [0, 0.25] turns.
    const mat2 x = one_qubit_matrix<double>(gate_kind::x, 0);
    unitary(a, theta < 0 ? mul(x, adjoint(wa)) : adjoint(wa));
    unitary(b, adjoint(wb));
    flush(a);
    flush(b);
    ionq_gate g;
    g.gate = "zz";
    g.targets = {a, b};
    g.angle = std::abs(theta) / (2 * pi);
    m_out.gates.push_back(std::move(g));  // ZZ commutes with the Z frame
    unitary(a, theta < 0 ? mul(wa, x) : wa);
    unitary(b, wb);
  }

  void one(index_t q, const char* name, double phase) {
    ionq_gate g;
    g.gate = name;
    g.targets = {q};
    g.phase = wrap_turns(phase);
    m_out.gates.push_back(std::move(g));
  }

  /// Emits R_phi(gamma) = exp(-i gamma/2 sigma_phi), phi in turns in the true frame.
  void rotation(index_t q, double phi, double gamma) {
    gamma = wrap_angle(gamma);
    if (gamma < 0) {
      gamma = -gamma;
      phi += 0.5;
    }
    if (gamma < eps) return;
    const double p = phi - m_frame[q] / (2 * pi);
    if (std::abs(gamma - pi / 2) < eps) {
      one(q, "gpi2", p);
    } else if (std::abs(gamma - pi) < eps) {
      one(q, "gpi", p);  // GPI(phi) = sigma_phi = i R_phi(pi)
    } else {
      // R_phi(g) = Rz(2 pi phi) Ry(pi/2) Rz(g) Ry(-pi/2) Rz(-2 pi phi), Ry(pi/2) = GPI2(1/4).
      m_frame[q] -= 2 * pi * phi;
      rotation(q, 0.25, -pi / 2);
      m_frame[q] += gamma;
      rotation(q, 0.25, pi / 2);
      m_frame[q] += 2 * pi * phi;
    }
  }

  /// Emits the pending unitary of q: U = e^{i alpha} Rz(beta) Ry(gamma) Rz(delta).
  void flush(index_t q) {
    if (!m_dirty[q]) return;
    const mat2 u = m_pending[q];
    m_pending[q] = identity();
    m_dirty[q] = false;
    const double c = std::abs(u[0]);
    const double s = std::abs(u[2]);
    const double gamma = 2 * std::atan2(s, c);
    double beta = 0;
    double delta = 0;
    if (s < eps) {
      beta = std::arg(u[3]) - std::arg(u[0]);
    } else if (c < eps) {
      beta = std::arg(u[2]) - std::arg(-u[1]);
    } else {
      beta = std::arg(u[2]) - std::arg(u[0]);
      delta = std::arg(u[3]) - std::arg(u[0]) - beta;
    }
    m_frame[q] += delta;
    rotation(q, 0.25, gamma);
    m_frame[q] += beta;
  }

  std::vector<mat2> m_pending;
  std::vector<bool> m_dirty;
  std::vector<double> m_frame;
  transpile_options m_opt;
  ionq_program m_out;
  unsigned m_defer = 0;
  std::vector<std::pair<index_t, mat2>> m_corrections;
};

inline ionq_program native(const circuit& c, std::span<const double> params, ionq_gateset g,
                           const transpile_options& opt) {
  native_builder nb(c.num_qubits(), g, opt);
  const axis ax{false, 0.0};
  const axis ay{false, 0.25};
  const axis az{true, 0.0};
  const auto cnot = [&](index_t a, index_t b) {
    // GPI2(1/4)@a; MS(0,0,1/4); GPI2(1/2)@a; GPI2(1/2)@b; GPI2(-1/4)@a (docs/ionq-api.md 3.2).
    nb.unitary(a, one_qubit_matrix<double>(gate_kind::gpi2, 0.25));
    nb.interaction(a, b, ax, ax, pi / 2);
    nb.unitary(a, one_qubit_matrix<double>(gate_kind::gpi2, 0.5));
    nb.unitary(b, one_qubit_matrix<double>(gate_kind::gpi2, 0.5));
    nb.unitary(a, one_qubit_matrix<double>(gate_kind::gpi2, -0.25));
  };
  const auto cz = [&](index_t a, index_t b) {
    nb.unitary(b, hadamard());
    cnot(a, b);
    nb.unitary(b, hadamard());
  };
  const auto rbs = [&](index_t a, index_t b, double theta) {
    // X_a Y_b and Y_a X_b commute: both corrections go after the pair.
    nb.begin_group();
    nb.interaction(a, b, ax, ay, theta);
    nb.interaction(a, b, ay, ax, -theta);
    nb.end_group();
  };
  for (const auto& op : c.operations()) {
    const index_t a = op.qubits[0];
    const index_t b = op.qubits[1];
    const double theta = op.angle(params);
    switch (op.kind) {
      case gate_kind::cnot:
        cnot(a, b);
        break;
      case gate_kind::cz:
        cz(a, b);
        break;
      case gate_kind::swap:
        // SWAP = e^{i pi/4} exp(-i pi/4 (XX + YY + ZZ)).
        nb.interaction(a, b, ax, ax, pi / 2);
        nb.interaction(a, b, ay, ay, pi / 2);
        nb.interaction(a, b, az, az, pi / 2);
        break;
      case gate_kind::rbs:
        rbs(a, b, theta);
        break;
      case gate_kind::fbs: {
        const index_t lo = std::min(a, b);
        const index_t hi = std::max(a, b);
        for (index_t m = lo + 1; m < hi; ++m) cz(m, a);
        rbs(a, b, theta);
        for (index_t m = lo + 1; m < hi; ++m) cz(m, a);
        break;
      }
      case gate_kind::xx:
        nb.interaction(a, b, ax, ax, theta);
        break;
      case gate_kind::yy:
        nb.interaction(a, b, ay, ay, theta);
        break;
      case gate_kind::zz:
        nb.interaction(a, b, az, az, theta);
        break;
      case gate_kind::ms:
        // exp(-i pi t sigma sigma) = exp(-i (2 pi t)/2 sigma sigma).
        nb.interaction(a, b, axis{false, op.turns[0]}, axis{false, op.turns[1]},
                       2 * pi * op.turns[2]);
        break;
      case gate_kind::gpi:
      case gate_kind::gpi2:
        nb.unitary(a, one_qubit_matrix<double>(op.kind, op.turns[0]));
        break;
      default:
        nb.unitary(a, one_qubit_matrix<double>(op.kind, theta));
        break;
    }
  }
  return nb.finish();
}

inline ionq_gate qis_gate(std::string name, std::vector<index_t> targets,
                          std::optional<double> rotation = std::nullopt,
                          std::vector<index_t> controls = {}) {
  ionq_gate g;
  g.gate = std::move(name);
  g.targets = std::move(targets);
  g.controls = std::move(controls);
  g.rotation = rotation;
  return g;
}

inline ionq_program qis(const circuit& c, std::span<const double> params) {
  ionq_program p;
  p.qubits = c.num_qubits();
  p.gateset = ionq_gateset::qis;
  auto& out = p.gates;
  const auto rbs = [&](index_t a, index_t b, double theta) {
    out.push_back(qis_gate("rz", {b}, -pi / 2));
    out.push_back(qis_gate("xx", {a, b}, theta));
    out.push_back(qis_gate("yy", {a, b}, theta));
    out.push_back(qis_gate("rz", {b}, pi / 2));
  };
  const auto cz = [&](index_t a, index_t b) { out.push_back(qis_gate("z", {b}, {}, {a})); };
  // An equatorial rotation by way of Z rotations: R_phi = Rz(2 pi phi) R_X Rz(-2 pi phi).
  const auto frame = [&](index_t q, double phi, auto&& body) {
    if (phi != 0) out.push_back(qis_gate("rz", {q}, -2 * pi * phi));
    body();
    if (phi != 0) out.push_back(qis_gate("rz", {q}, 2 * pi * phi));
  };
  for (const auto& op : c.operations()) {
    const index_t a = op.qubits[0];
    const index_t b = op.qubits[1];
    const double theta = op.angle(params);
    switch (op.kind) {
      case gate_kind::x:
      case gate_kind::y:
      case gate_kind::z:
      case gate_kind::h:
      case gate_kind::s:
      case gate_kind::t:
        out.push_back(qis_gate(std::string(gate_name(op.kind)), {a}));
        break;
      case gate_kind::sdg:
        out.push_back(qis_gate("si", {a}));
        break;
      case gate_kind::tdg:
        out.push_back(qis_gate("ti", {a}));
        break;
      case gate_kind::rx:
      case gate_kind::ry:
      case gate_kind::rz:
        out.push_back(qis_gate(std::string(gate_name(op.kind)), {a}, theta));
        break;
      case gate_kind::cnot:
        out.push_back(qis_gate("cnot", {b}, {}, {a}));
        break;
      case gate_kind::cz:
        cz(a, b);
        break;
      case gate_kind::swap:
        out.push_back(qis_gate("swap", {a, b}));
        break;
      case gate_kind::xx:
      case gate_kind::yy:
      case gate_kind::zz:
        out.push_back(qis_gate(std::string(gate_name(op.kind)), {a, b}, theta));
        break;
      case gate_kind::rbs:
        rbs(a, b, theta);
        break;
      case gate_kind::fbs: {
        const index_t lo = std::min(a, b);
        const index_t hi = std::max(a, b);
        for (index_t m = lo + 1; m < hi; ++m) cz(m, a);
        rbs(a, b, theta);
        for (index_t m = lo + 1; m < hi; ++m) cz(m, a);
        break;
      }
      case gate_kind::gpi:
        frame(a, op.turns[0], [&] { out.push_back(qis_gate("x", {a})); });
        break;
      case gate_kind::gpi2:
        frame(a, op.turns[0], [&] { out.push_back(qis_gate("rx", {a}, pi / 2)); });
        break;
      case gate_kind::ms:
        frame(a, op.turns[0], [&] {
          frame(b, op.turns[1], [&] {
            out.push_back(qis_gate("xx", {a, b}, 2 * pi * op.turns[2]));
          });
        });
        break;
    }
  }
  return p;
}

}  // namespace detail::transpile

ionq_program transpile(const circuit& c, std::span<const double> params, ionq_gateset target,
                       const transpile_options& opt) {
  check_parameters(c, params, "transpile");
  if (target == ionq_gateset::qis) return detail::transpile::qis(c, params);
  return detail::transpile::native(c, params, target, opt);
}

circuit to_circuit(const ionq_program& p) {
  constexpr double pi = detail::transpile::pi;
  circuit c(p.qubits);
  for (std::size_t i = 0; i < p.gates.size(); ++i) {
    const ionq_gate& g = p.gates[i];
    const auto bad = [&](std::string_view what) {
      return circuit_error("to_circuit", what, "gate " + std::to_string(i) + ": " + g.gate);
    };
    const auto t = [&](std::size_t k) {
      if (k >= g.targets.size()) throw bad("missing target");
      return g.targets[k];
    };
    if (!g.controls.empty()) {
      if (g.controls.size() != 1 || g.targets.size() != 1)
        throw bad("only singly-controlled one-target gates are supported");
      if (g.gate == "cnot" || g.gate == "x" || g.gate == "not")
        c.cnot(g.controls[0], t(0));
      else if (g.gate == "z")
        c.cz(g.controls[0], t(0));
      else
        throw bad("unsupported controlled gate");
      continue;
    }
    const double rot = g.rotation.value_or(0.0);
    if (g.gate == "gpi") {
      c.gpi(t(0), g.phase.value_or(0.0));
    } else if (g.gate == "gpi2") {
      c.gpi2(t(0), g.phase.value_or(0.0));
    } else if (g.gate == "ms") {
      if (g.phases.size() != 2) throw bad("ms needs two phases");
      c.ms(t(0), t(1), g.phases[0], g.phases[1], g.angle.value_or(0.25));
    } else if (g.gate == "zz" && p.gateset != ionq_gateset::qis) {
      c.zz(t(0), t(1), 2 * pi * g.angle.value_or(0.0));
    } else if (g.gate == "si") {
      c.sdg(t(0));
    } else if (g.gate == "ti") {
      c.tdg(t(0));
    } else if (g.gate == "not") {
      c.x(t(0));
    } else if (auto k = gate_from_name(g.gate)) {
      operation op = make_operation(*k, t(0), traits(*k).arity == 2 ? t(1) : 0);
      op.theta = rot;
      if (traits(*k).native_ionq || *k == gate_kind::rbs || *k == gate_kind::fbs)
        throw bad("not an IonQ gate");
      c.append(op);
    } else {
      throw bad("unknown IonQ gate");
    }
  }
  return c;
}

gate_counts count_gates(const ionq_program& p) {
  gate_counts out;
  for (const auto& g : p.gates) {
    ++out.by_gate[g.gate];
    ++out.total;
    if (g.targets.size() + g.controls.size() >= 2) ++out.two_qubit;
  }
  return out;
}

std::string ionq_input_json(const ionq_program& p, int indent) {
  using json = nlohmann::ordered_json;
  json circ = json::array();
  for (const auto& g : p.gates) {
    json j;
    j["gate"] = g.gate;
    // Singular forms for one qubit, as IonQ's own examples write them.
    if (g.controls.size() == 1)
      j["control"] = g.controls[0];
    else if (!g.controls.empty())
      j["controls"] = g.controls;
    if (g.targets.size() == 1)
      j["target"] = g.targets[0];
    else
      j["targets"] = g.targets;
    if (g.rotation) j["rotation"] = *g.rotation;
    if (g.phase) j["phase"] = *g.phase;
    if (!g.phases.empty()) j["phases"] = g.phases;
    if (g.angle) j["angle"] = *g.angle;
    circ.push_back(std::move(j));
  }
  json doc;
  doc["qubits"] = p.qubits;
  doc["gateset"] = std::string(ionq_gateset_field(p.gateset));
  doc["circuit"] = std::move(circ);
  return doc.dump(indent);
}

}  // namespace papillon
