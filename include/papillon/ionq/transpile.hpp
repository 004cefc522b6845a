#pragma once

/// @file
/// Transpilation of a papillon circuit with bound parameters to IonQ's gate sets:
///
/// - `qis`: IonQ's abstract gates (rotations in radians); one papillon gate maps to a few QIS
///   gates, and IonQ's compiler does the rest. RBS(theta) = rz(-pi/2)@b, xx(theta), yy(theta),
///   rz(pi/2)@b (docs/ionq-api.md section 7).
/// - `native_ms` (Aria): gpi, gpi2 and ms (phases and angles in turns).
/// - `native_zz` (Forte): gpi, gpi2 and zz (angle in turns).
///
/// The native passes write every two-qubit gate as exp(-i theta/2 sigma_a (x) sigma_b), with
/// sigma an equatorial axis (cos 2 pi phi X + sin 2 pi phi Y) or Z, emitted as one MS or one ZZ
/// plus one-qubit basis changes. RBS(theta) = exp(-i theta/2 X_a Y_b) exp(+i theta/2 Y_a X_b)
/// (docs/method.md 2.2.2) therefore costs two MS or two ZZ. Angles are reduced to [0, 0.25] turns
/// (|theta| <= pi/2) using exp(-i pi/2 P) = -i P, whose Pauli correction is absorbed into
/// neighbouring one-qubit gates. Consecutive one-qubit gates on a qubit are merged into one
/// unitary and emitted as at most two GPI2 (one GPI2 or GPI for quarter and half turns, none for
/// Z rotations). Z rotations are virtual: they are tracked as a frame per qubit and folded into
/// the phases of later gates (IonQ's rule: R_Z(beta) before a gate of phase phi equals the gate
/// with phase phi - beta/2pi followed by R_Z(beta)); the final frame is dropped because it
/// commutes with measurement (transpile_options::drop_final_z).
///
/// FBS(theta) on (a, b) is RBS(theta) conjugated by CZ(m, a) for every qubit m strictly between
/// a and b (CZ maps X_a -> X_a Z_m and Y_a -> Y_a Z_m).

#include <papillon/circuit/circuit.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/error.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace papillon {

/// The target gate sets.
enum class ionq_gateset {
  qis,        ///< IonQ QIS gates, compiled by IonQ
  native_ms,  ///< gpi, gpi2, ms (Aria)
  native_zz,  ///< gpi, gpi2, zz (Forte)
};

/// The `gateset` field of the IonQ input object: "qis" or "native".
constexpr std::string_view ionq_gateset_field(ionq_gateset g) noexcept {
  return g == ionq_gateset::qis ? "qis" : "native";
}

/// The names of the gate sets: the short names of `papillon run --gateset`, with the
/// "ionq-" names of `papillon transpile --target` as aliases.
inline constexpr enum_table<ionq_gateset, 3> ionq_gateset_names{
    "IonQ gate set",
    {{{ionq_gateset::qis, "qis", {"ionq-qis"}},
      {ionq_gateset::native_ms, "native-ms", {"ionq-native-ms"}},
      {ionq_gateset::native_zz, "native-zz", {"ionq-native-zz"}}}}};
constexpr const auto& enum_names_of(ionq_gateset) noexcept { return ionq_gateset_names; }

/// The short name: "qis", "native-ms", "native-zz" (as in `papillon run --gateset`).
constexpr std::string_view ionq_gateset_name(ionq_gateset g) noexcept {
  return ionq_gateset_names.name_of(g);
}

/// The `--target` name: "ionq-qis", "ionq-native-ms", "ionq-native-zz".
inline std::string ionq_target_name(ionq_gateset g) {
  return "ionq-" + std::string(ionq_gateset_name(g));
}

/// Parses "qis", "native-ms", "native-zz", optionally prefixed "ionq-" (the `--target` names).
/// @throws data_error for anything else, listing the valid names.
inline ionq_gateset parse_ionq_gateset(std::string_view name) {
  if (const auto g = ionq_gateset_names.try_parse(name)) return *g;
  std::string valid;
  for (const auto& e : ionq_gateset_names.entries)
    valid += (valid.empty() ? "" : ", ") + ionq_target_name(e.value);
  throw data_error("parse_ionq_gateset", "unknown IonQ gate set '" + std::string(name) + "'",
                   "valid: " + valid);
}

/// One gate of an IonQ circuit, with the fields of the IonQ circuit JSON.
struct ionq_gate {
  std::string gate;                ///< IonQ gate name: "rx", "cnot", "gpi2", "ms", "zz", ...
  std::vector<index_t> targets;    ///< written as "target" when there is one, else "targets"
  std::vector<index_t> controls;   ///< written as "control" when there is one
  std::optional<double> rotation;  ///< QIS rotations, radians
  std::optional<double> phase;     ///< gpi, gpi2: phase in turns, in [0, 1)
  std::vector<double> phases;      ///< ms: phases in turns, in [0, 1)
  std::optional<double> angle;     ///< ms, zz: angle in turns, in [0, 0.25]
  bool operator==(const ionq_gate&) const = default;
};

/// An IonQ circuit: the content of a job's `input` object.
struct ionq_program {
  index_t qubits = 0;
  ionq_gateset gateset = ionq_gateset::qis;
  std::vector<ionq_gate> gates;
  bool operator==(const ionq_program&) const = default;
};

/// Gate counts of a program.
struct gate_counts {
  std::map<std::string, std::size_t> by_gate;  ///< count per IonQ gate name
  std::size_t total = 0;
  std::size_t two_qubit = 0;  ///< gates on two or more qubits (targets + controls)
  bool operator==(const gate_counts&) const = default;
};

/// Options of transpile.
struct transpile_options {
  /// Drop the Z rotations left in the virtual frame at the end (they commute with measurement).
  /// When false, native passes emit each as GPI(0) then GPI(beta / 4 pi), so the program equals
  /// the input unitary up to a global phase.
  bool drop_final_z = true;
  /// Native passes: merge consecutive one-qubit gates on a qubit before emitting them.
  bool merge_single_qubit = true;
};

/// Transpiles a circuit under bound parameters.
/// @throws dimension_error, data_error for a bad parameter vector.
ionq_program transpile(const circuit& c, std::span<const double> params, ionq_gateset target,
                       const transpile_options& opt = {});

/// The program as a papillon circuit (for simulation): IonQ's ZZ(a turns) = exp(-i pi a Z Z)
/// becomes papillon zz with theta = 2 pi a; a controlled z becomes cz; si/ti become sdg/tdg.
/// @throws circuit_error for a gate papillon cannot represent.
circuit to_circuit(const ionq_program& p);

/// Counts the gates of a program.
gate_counts count_gates(const ionq_program& p);

/// The IonQ job `input` object, {"qubits", "gateset", "circuit": [...]}, as JSON text
/// (docs/ionq-api.md section 3). Defined in the compiled library.
/// @param indent pretty-print indent; -1 for compact output
std::string ionq_input_json(const ionq_program& p, int indent = -1);

}  // namespace papillon
