#pragma once

/// @file
/// What a gradient call returns: the objective, the gradient, the method and the evaluation
/// ledger (what was sent to the backend).

#include <papillon/backend/evaluation_ledger.hpp>
#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace papillon {

/// How a gradient is computed.
enum class gradient_method {
  adjoint,   ///< reverse-mode on the simulator's state; no circuit executions
  shift,     ///< serial parameter shift, one shift set per gate occurrence
  parallel,  ///< parallel layer shift: a whole commuting layer shifted at once
  finite,    ///< central finite differences (oracle)
};

/// The name of a method as the CLI and JSON output spell it.
constexpr std::string_view method_name(gradient_method m) noexcept {
  switch (m) {
    case gradient_method::adjoint:
      return "adjoint";
    case gradient_method::shift:
      return "shift";
    case gradient_method::parallel:
      return "parallel";
    case gradient_method::finite:
      return "finite";
  }
  return "adjoint";
}

/// Parses a method name.
/// @throws data_error for an unknown name.
inline gradient_method parse_gradient_method(std::string_view name) {
  for (auto m : {gradient_method::adjoint, gradient_method::shift, gradient_method::parallel,
                 gradient_method::finite})
    if (method_name(m) == name) return m;
  throw data_error("parse_gradient_method", "unknown gradient method '" + std::string(name) + "'",
                   "expected adjoint, shift, parallel or finite");
}

/// The result of a gradient call.
struct gradient_result {
  /// f(params) = sum_x w_x p_x; NaN when the options asked not to evaluate it.
  double value = 0;
  /// The parameters differentiated, in the order of `gradient`.
  std::vector<index_t> parameters;
  /// df/dparams[parameters[i]].
  std::vector<double> gradient;
  gradient_method method = gradient_method::adjoint;
  /// True when the parallel shift ran on a layer where it is not exact (approximate mode).
  bool approximate = false;
  /// Why the result is approximate (empty otherwise).
  std::string approximation_note;
  evaluation_ledger evaluations;
};

}  // namespace papillon
