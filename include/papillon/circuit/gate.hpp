#pragma once

/// @file
/// The gate table: every gate of the circuit JSON format with its traits (arity, whether it
/// takes an angle, preserves Hamming weight, is real), its generator spectrum for shift rules,
/// and its matrix.
///
/// Matrix conventions. One-qubit matrices act on (|0>, |1>). Two-qubit matrices act on the
/// ordered pair (a, b) = (first target, second target) in the basis |q_a q_b> = |00>, |01>,
/// |10>, |11>, q_a being the most significant bit of the local index (docs/method.md 2.1). For
/// cnot, a is the control and b the target. Rotation angles are radians; the IonQ native gates
/// gpi, gpi2 and ms take phases and angles in turns (1 turn = 2 pi).
///
///  gate   matrix
///  x y z  Pauli matrices; h = (X + Z)/sqrt2; s = diag(1, i); sdg = s^dagger; t = diag(1, e^{i
///  pi/4}) rx ry rz   exp(-i theta/2 P) cnot   |a b> -> |a, b xor a>;  cz = diag(1, 1, 1, -1); swap
///  exchanges |01> and |10> rbs    [[1,0,0,0],[0,c,s,0],[0,-s,c,0],[0,0,0,1]], c = cos theta, s =
///  sin theta: on unary
///         states e_a -> c e_a + s e_b, e_b -> -s e_a + c e_b; generator (X_a Y_b - Y_a X_b)/2
///  fbs    rbs with both sine terms times (-1)^(number of set qubits strictly between a and b)
///  xx yy zz   exp(-i theta/2 P_a P_b)
///  gpi    [[0, e^{-i 2 pi phi}], [e^{i 2 pi phi}, 0]]
///  gpi2   [[1, -i e^{-i 2 pi phi}], [-i e^{i 2 pi phi}, 1]] / sqrt2
///  ms     exp(-i pi theta sigma_{phi0} (x) sigma_{phi1}), sigma_phi = cos(2 pi phi) X + sin(2 pi
///  phi) Y

#include <papillon/core/assert.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/core/types.hpp>

#include <array>
#include <cmath>
#include <complex>
#include <cstdint>
#include <numbers>
#include <optional>
#include <string_view>

namespace papillon {

/// Every gate the library knows.
enum class gate_kind : std::uint8_t {
  x,
  y,
  z,
  h,
  s,
  sdg,
  t,
  tdg,
  rx,
  ry,
  rz,
  cnot,
  cz,
  swap,
  rbs,
  fbs,
  xx,
  yy,
  zz,
  gpi,
  gpi2,
  ms,
};

/// Number of gate kinds.
inline constexpr std::size_t gate_kind_count = 22;

/// The distinct eigenvalues of a gate's generator G, where U(theta) = exp(-i theta G), in
/// ascending order. Their positive differences are the frequencies of <O>(theta), which fix the
/// shift rule: {1} for Pauli rotations, {1, 2} for RBS and FBS.
struct generator_spectrum {
  std::array<double, 4> eigenvalues{};
  unsigned count = 0;
  bool operator==(const generator_spectrum&) const = default;
};

/// Static facts about one gate kind.
struct gate_traits {
  gate_kind kind;
  std::string_view name;        ///< the circuit JSON name
  unsigned arity;               ///< number of qubits
  bool rotation;                ///< takes an angle theta (radians), constant or parameter
  bool preserves_weight;        ///< commutes with the total Hamming weight
  bool real;                    ///< real matrix for every angle
  bool diagonal;                ///< diagonal in the computational basis
  bool native_ionq;             ///< IonQ native gate with angles in turns
  generator_spectrum spectrum;  ///< for rotations; empty otherwise
};

namespace detail {
inline constexpr generator_spectrum pauli_spectrum{{-0.5, 0.5, 0.0, 0.0}, 2};
inline constexpr generator_spectrum rbs_spectrum{{-1.0, 0.0, 1.0, 0.0}, 3};
inline constexpr generator_spectrum no_spectrum{};

// Order matches gate_kind.
inline constexpr std::array<gate_traits, gate_kind_count> gate_table{{
    {gate_kind::x, "x", 1, false, false, true, false, false, no_spectrum},
    {gate_kind::y, "y", 1, false, false, false, false, false, no_spectrum},
    {gate_kind::z, "z", 1, false, true, true, true, false, no_spectrum},
    {gate_kind::h, "h", 1, false, false, true, false, false, no_spectrum},
    {gate_kind::s, "s", 1, false, true, false, true, false, no_spectrum},
    {gate_kind::sdg, "sdg", 1, false, true, false, true, false, no_spectrum},
    {gate_kind::t, "t", 1, false, true, false, true, false, no_spectrum},
    {gate_kind::tdg, "tdg", 1, false, true, false, true, false, no_spectrum},
    {gate_kind::rx, "rx", 1, true, false, false, false, false, pauli_spectrum},
    {gate_kind::ry, "ry", 1, true, false, true, false, false, pauli_spectrum},
    {gate_kind::rz, "rz", 1, true, true, false, true, false, pauli_spectrum},
    {gate_kind::cnot, "cnot", 2, false, false, true, false, false, no_spectrum},
    {gate_kind::cz, "cz", 2, false, true, true, true, false, no_spectrum},
    {gate_kind::swap, "swap", 2, false, true, true, false, false, no_spectrum},
    {gate_kind::rbs, "rbs", 2, true, true, true, false, false, rbs_spectrum},
    {gate_kind::fbs, "fbs", 2, true, true, true, false, false, rbs_spectrum},
    {gate_kind::xx, "xx", 2, true, false, false, false, false, pauli_spectrum},
    {gate_kind::yy, "yy", 2, true, false, false, false, false, pauli_spectrum},
    {gate_kind::zz, "zz", 2, true, true, false, true, false, pauli_spectrum},
    {gate_kind::gpi, "gpi", 1, false, false, false, false, true, no_spectrum},
    {gate_kind::gpi2, "gpi2", 1, false, false, false, false, true, no_spectrum},
    {gate_kind::ms, "ms", 2, false, false, false, false, true, no_spectrum},
}};
}  // namespace detail

/// Traits of a gate kind.
constexpr const gate_traits& traits(gate_kind k) noexcept {
  return detail::gate_table[static_cast<std::size_t>(k)];
}

/// The names of the gates, read off the gate table (the one place they are spelt).
inline constexpr auto gate_names = [] {
  enum_table<gate_kind, gate_kind_count> t{"gate", {}};
  for (std::size_t i = 0; i < gate_kind_count; ++i)
    t.entries[i] = {detail::gate_table[i].kind, detail::gate_table[i].name};
  return t;
}();
constexpr const auto& enum_names_of(gate_kind) noexcept { return gate_names; }

/// The circuit JSON name of a gate kind.
constexpr std::string_view gate_name(gate_kind k) noexcept { return traits(k).name; }

/// Looks a gate up by its circuit JSON name.
constexpr std::optional<gate_kind> gate_from_name(std::string_view name) noexcept {
  return gate_names.try_parse(name);
}

/// A 2x2 complex matrix, row-major.
template <class Float>
using matrix2 = std::array<complex_t<Float>, 4>;

/// A 4x4 complex matrix, row-major, in the |q_a q_b> basis.
template <class Float>
using matrix4 = std::array<complex_t<Float>, 16>;

/// The matrix of a one-qubit gate. `angle` is theta in radians for rotations and the phase in
/// turns for gpi/gpi2; it is ignored by fixed gates.
template <class Float = double>
matrix2<Float> one_qubit_matrix(gate_kind k, double angle) {
  using c = complex_t<Float>;
  const auto f = [](double v) { return static_cast<Float>(v); };
  const double r2 = 1.0 / std::sqrt(2.0);
  constexpr double pi = std::numbers::pi;
  const double ch = std::cos(angle / 2);
  const double sh = std::sin(angle / 2);
  switch (k) {
    case gate_kind::x:
      return {c(0), c(1), c(1), c(0)};
    case gate_kind::y:
      return {c(0), c(0, -1), c(0, 1), c(0)};
    case gate_kind::z:
      return {c(1), c(0), c(0), c(-1)};
    case gate_kind::h:
      return {c(f(r2)), c(f(r2)), c(f(r2)), c(f(-r2))};
    case gate_kind::s:
      return {c(1), c(0), c(0), c(0, 1)};
    case gate_kind::sdg:
      return {c(1), c(0), c(0), c(0, -1)};
    case gate_kind::t:
      return {c(1), c(0), c(0), c(f(r2), f(r2))};
    case gate_kind::tdg:
      return {c(1), c(0), c(0), c(f(r2), f(-r2))};
    case gate_kind::rx:
      return {c(f(ch)), c(0, f(-sh)), c(0, f(-sh)), c(f(ch))};
    case gate_kind::ry:
      return {c(f(ch)), c(f(-sh)), c(f(sh)), c(f(ch))};
    case gate_kind::rz:
      return {c(f(ch), f(-sh)), c(0), c(0), c(f(ch), f(sh))};
    case gate_kind::gpi: {
      const double p = 2 * pi * angle;
      return {c(0), c(f(std::cos(p)), f(-std::sin(p))), c(f(std::cos(p)), f(std::sin(p))), c(0)};
    }
    case gate_kind::gpi2: {
      const double p = 2 * pi * angle;
      // -i e^{-ip} = -sin p - i cos p ; -i e^{ip} = sin p - i cos p
      return {c(f(r2)), c(f(-r2 * std::sin(p)), f(-r2 * std::cos(p))),
              c(f(r2 * std::sin(p)), f(-r2 * std::cos(p))), c(f(r2))};
    }
    default:
      break;
  }
  // Callers check the arity first: a two-qubit gate here is a bug, not an identity.
  PAPILLON_UNREACHABLE("one_qubit_matrix", "not a one-qubit gate");
}

/// The matrix of a two-qubit gate in the |q_a q_b> basis. For rotations `angle` is theta in
/// radians. For ms, `angle` is the MS angle in turns and `phase0`, `phase1` the phases in turns.
/// For fbs this is the rbs matrix; the parity sign is applied by the simulator.
template <class Float = double>
matrix4<Float> two_qubit_matrix(gate_kind k, double angle, double phase0 = 0, double phase1 = 0) {
  using c = complex_t<Float>;
  const auto f = [](double v) { return static_cast<Float>(v); };
  constexpr double pi = std::numbers::pi;
  matrix4<Float> m{};
  const auto at = [&m](int r, int col) -> c& { return m[static_cast<std::size_t>(r * 4 + col)]; };
  switch (k) {
    case gate_kind::cnot:
      at(0, 0) = at(1, 1) = c(1);
      at(2, 3) = at(3, 2) = c(1);
      break;
    case gate_kind::cz:
      at(0, 0) = at(1, 1) = at(2, 2) = c(1);
      at(3, 3) = c(-1);
      break;
    case gate_kind::swap:
      at(0, 0) = at(3, 3) = c(1);
      at(1, 2) = at(2, 1) = c(1);
      break;
    case gate_kind::rbs:
    case gate_kind::fbs: {
      const double cs = std::cos(angle);
      const double sn = std::sin(angle);
      at(0, 0) = at(3, 3) = c(1);
      at(1, 1) = at(2, 2) = c(f(cs));
      at(1, 2) = c(f(sn));
      at(2, 1) = c(f(-sn));
      break;
    }
    case gate_kind::xx:
    case gate_kind::yy: {
      // exp(-i t/2 P P) = cos(t/2) I - i sin(t/2) P P; XX has +1 anti-diagonal, YY has
      // -1 on |00><11| and |11><00| and +1 on |01><10| and |10><01|.
      const double ch = std::cos(angle / 2);
      const double sh = std::sin(angle / 2);
      const double outer = (k == gate_kind::xx) ? 1.0 : -1.0;
      at(0, 0) = at(1, 1) = at(2, 2) = at(3, 3) = c(f(ch));
      at(0, 3) = at(3, 0) = c(0, f(-sh * outer));
      at(1, 2) = at(2, 1) = c(0, f(-sh));
      break;
    }
    case gate_kind::zz: {
      const double ch = std::cos(angle / 2);
      const double sh = std::sin(angle / 2);
      at(0, 0) = at(3, 3) = c(f(ch), f(-sh));
      at(1, 1) = at(2, 2) = c(f(ch), f(sh));
      break;
    }
    case gate_kind::ms: {
      // exp(-i pi t S0 S1) with S0 S1 = sigma_{phi0} (x) sigma_{phi1}; (S0 S1)^2 = I.
      const double ct = std::cos(pi * angle);
      const double st = std::sin(pi * angle);
      const double sum = 2 * pi * (phase0 + phase1);
      const double diff = 2 * pi * (phase0 - phase1);
      at(0, 0) = at(1, 1) = at(2, 2) = at(3, 3) = c(f(ct));
      // sigma_phi = [[0, e^{-i phi}], [e^{i phi}, 0]]
      at(0, 3) = c(0, f(-st)) * c(f(std::cos(sum)), f(-std::sin(sum)));
      at(3, 0) = c(0, f(-st)) * c(f(std::cos(sum)), f(std::sin(sum)));
      at(1, 2) = c(0, f(-st)) * c(f(std::cos(diff)), f(-std::sin(diff)));
      at(2, 1) = c(0, f(-st)) * c(f(std::cos(diff)), f(std::sin(diff)));
      break;
    }
    default:
      // Callers check the arity first: a one-qubit gate here is a bug, not an identity.
      PAPILLON_UNREACHABLE("two_qubit_matrix", "not a two-qubit gate");
  }
  return m;
}

}  // namespace papillon
