#pragma once

/// @file
/// What a gradient call returns: the objective, the gradient, the method and the evaluation
/// ledger (what was sent to the backend).

#include <papillon/backend/evaluation_ledger.hpp>
#include <papillon/core/enum_names.hpp>
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

/// The names of the methods as the CLI and JSON output spell them.
inline constexpr enum_table<gradient_method, 4> gradient_method_names{
    "gradient method",
    {{{gradient_method::adjoint, "adjoint"},
      {gradient_method::shift, "shift"},
      {gradient_method::parallel, "parallel"},
      {gradient_method::finite, "finite"}}}};
constexpr const auto& enum_names_of(gradient_method) noexcept { return gradient_method_names; }

/// The name of a method as the CLI and JSON output spell it.
constexpr std::string_view method_name(gradient_method m) noexcept {
  return gradient_method_names.name_of(m);
}

/// Parses a method name.
/// @throws data_error for an unknown name, listing the valid ones.
inline gradient_method parse_gradient_method(std::string_view name) {
  return gradient_method_names.parse(name, "parse_gradient_method");
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
