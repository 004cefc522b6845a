#pragma once

/// @file
/// Gate occurrences: shift rules act on one gate at a time, while a parameter may drive several
/// gates (with scales). The engine therefore rewrites the circuit privately: every
/// parameterised operation gets its own slot in an expanded parameter vector holding its bound
/// angle (scale 1). Shifting slot k shifts exactly one gate; the chain rule then gives
/// df/dp_j = sum over occurrences k of p_j of scale_k * df/dangle_k.

#include <papillon/circuit/circuit.hpp>
#include <papillon/error.hpp>

#include <span>
#include <string>
#include <vector>

namespace papillon {

/// One parameterised operation of a circuit.
struct occurrence {
  index_t position = 0;   ///< index of the operation in the circuit
  index_t parameter = 0;  ///< the parameter it reads
  double scale = 1.0;     ///< angle = scale * params[parameter]
};

/// A circuit with one parameter slot per parameterised operation.
struct occurrence_expansion {
  /// Same operations; operation occurrences[k].position reads slot k with scale 1.
  circuit expanded{1};
  /// The bound angle of every slot: slot k holds scale_k * params[parameter_k].
  std::vector<double> angles;
  /// Slot k's origin.
  std::vector<occurrence> occurrences;
  /// For each operation position, its slot or npos.
  std::vector<index_t> slot_of;
  static constexpr index_t npos = static_cast<index_t>(-1);
};

/// Builds the expansion of a circuit at the given parameters.
/// @throws dimension_error, data_error for a bad parameter vector.
inline occurrence_expansion expand_occurrences(const circuit& c, std::span<const double> params) {
  check_parameters(c, params, "expand_occurrences");
  occurrence_expansion out;
  out.expanded = circuit(c.num_qubits());
  out.slot_of.assign(c.size(), occurrence_expansion::npos);
  for (index_t i = 0; i < c.size(); ++i) {
    operation op = c[i];
    if (op.param) {
      out.slot_of[i] = out.occurrences.size();
      out.occurrences.push_back({i, op.param->index, op.param->scale});
      out.angles.push_back(op.angle(params));
      op.param = parameter_ref{out.slot_of[i], 1.0};
    }
    out.expanded.append(op);
  }
  return out;
}

/// The parameters to differentiate: `wrt`, or every parameter when it is empty.
/// @throws dimension_error for an index out of range or repeated.
inline std::vector<index_t> resolve_wrt(const circuit& c, const std::vector<index_t>& wrt,
                                        std::string_view where) {
  if (wrt.empty()) {
    std::vector<index_t> all(c.num_parameters());
    for (index_t i = 0; i < all.size(); ++i) all[i] = i;
    return all;
  }
  std::vector<bool> seen(c.num_parameters(), false);
  for (index_t p : wrt) {
    if (p >= c.num_parameters())
      throw dimension_error(
          where, "parameter index out of range",
          "parameter " + std::to_string(p) + ", circuit has " + std::to_string(c.num_parameters()));
    if (seen[p])
      throw dimension_error(where, "parameter listed twice", "parameter " + std::to_string(p));
    seen[p] = true;
  }
  return wrt;
}

}  // namespace papillon
