#pragma once

/// @file
/// Reading and writing circuits in the `papillon.circuit.v1` JSON format (docs/interfaces.md
/// section 2). Compiled in src/papillon/io/circuit_json.cpp, so only callers that build JSON
/// values themselves need <nlohmann/json.hpp>.
///
/// Reading is strict: every malformed document is refused with a data_error (document shape and
/// field types) or circuit_error (gate semantics: unknown gate, qubit out of range, repeated
/// target, parameter index out of range, non-finite angle) whose message names the gate's
/// position and the field, e.g.
/// "papillon::circuit_from_json: qubit 7 out of range for 4 qubits (gates[2] (rbs), field
/// 'targets')". Unknown top-level keys are ignored (room for metadata); unknown keys inside a gate
/// are refused, so a misspelt "scale" never silently becomes 1.
///
/// Writing is lossless: angles are printed with 17 significant digits, the declared parameter
/// count is kept, and circuit_from_json(circuit_to_json(c)) == c.

#include <papillon/circuit/circuit.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace papillon {

/// The format tag written to and required in the "format" field.
inline constexpr std::string_view circuit_json_format = "papillon.circuit.v1";

/// Deepest nesting of arrays and objects accepted in circuit JSON text (a circuit document needs
/// four levels); deeper text is refused before any document is built.
inline constexpr std::size_t max_circuit_json_depth = 64;

/// Builds a circuit from a `papillon.circuit.v1` document.
/// @throws data_error for a malformed document (missing or mistyped field, wrong format tag);
///         circuit_error for an invalid gate (unknown name, qubit out of range, repeated target,
///         parameter index out of range of "parameters", both or neither of theta and param,
///         non-finite angle). Messages name the gate position ("gates[i]") and the field.
circuit circuit_from_json(const nlohmann::json& doc);

/// Same, for an insertion-ordered document.
circuit circuit_from_json(const nlohmann::ordered_json& doc);

/// The `papillon.circuit.v1` document of a circuit, keys in the order of docs/interfaces.md
/// (format, qubits, parameters, gates). Converts implicitly to nlohmann::json.
nlohmann::ordered_json circuit_to_json(const circuit& c);

/// Parses JSON text and builds the circuit.
/// @throws data_error if the text is not JSON, nests deeper than max_circuit_json_depth or holds
///         a number out of range (naming the path of the value and the byte offset), else as
///         circuit_from_json. Quoted text is sanitised and bounded (core/text.hpp).
circuit parse_circuit_json(std::string_view text);

/// The document as text: pretty-printed with `indent` spaces, or compact when indent < 0.
std::string circuit_to_json_string(const circuit& c, int indent = 2);

/// Reads a circuit file.
/// @throws data_error if the path is a directory, the file cannot be read, or as
///         parse_circuit_json (every message names the path), else as circuit_from_json.
circuit read_circuit_file(const std::filesystem::path& path);

/// Writes a circuit file (pretty-printed, trailing newline), replacing any existing file.
/// @throws data_error if the file cannot be written.
void write_circuit_file(const std::filesystem::path& path, const circuit& c);

}  // namespace papillon
