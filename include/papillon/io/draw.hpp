#pragma once

/// @file
/// A plain-text (ASCII) drawing of a circuit: one row per qubit, one column per moment, for
/// documentation, debugging and the `--draw` flag of the command-line tool.
///
/// Moments are filled as early as possible; a two-qubit gate occupies every row between its
/// qubits in its column, so its vertical connection never crosses another gate. Labels:
/// - one-qubit gates: upper-case name, with the angle for rotations (`RY(0.5)`, `RZ(p2)`) and
///   the phase in turns for `GPI`/`GPI2`;
/// - rbs, fbs, xx, yy, zz, ms: the label on the first target (`RBS(p3)`, `FBS(-p1)`,
///   `RBS(0.25)`), `*` on the second, joined by `|`. For RBS the first target is a in
///   e_a -> cos(theta) e_a + sin(theta) e_b;
/// - cnot: `@` on the control, `X` on the target; cz: `@` on both; swap: `x` on both.
/// Parameter angles print as `p<k>`, with the scale as a prefix unless it is 1 (`-p3`,
/// `0.5*p3`).
///
/// @code
/// q0: -X--RBS(p0)--RBS(p2)-
///           |        |
/// q1: ------*--------+-----
/// @endcode

#include <papillon/circuit/circuit.hpp>

#include <string>

namespace papillon {

/// Options of draw_circuit().
struct draw_options {
  int precision = 4;  ///< significant digits of constant angles and phases
};

/// The drawing, lines separated by '\n' (with a trailing newline).
/// @note O(qubits x moments) characters.
std::string draw_circuit(const circuit& c, const draw_options& options = {});

}  // namespace papillon
