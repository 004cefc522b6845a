#pragma once

/// @file
/// The gradient engine's entry point: one call, any method, one result with its ledger.
/// Include this header for everything in papillon/grad.

#include <papillon/backend/backend.hpp>
#include <papillon/grad/adjoint.hpp>
#include <papillon/grad/finite_difference.hpp>
#include <papillon/grad/gradient_options.hpp>
#include <papillon/grad/gradient_result.hpp>
#include <papillon/grad/layers.hpp>
#include <papillon/grad/observable.hpp>
#include <papillon/grad/occurrences.hpp>
#include <papillon/grad/parameter_shift.hpp>
#include <papillon/grad/shift_rule.hpp>

#include <span>

namespace papillon {

/// Differentiates f(params) = sum_x w_x p_x(params) with opt.method: adjoint on the exact
/// simulator (the backend is not used), shift, parallel or finite on the backend.
/// @throws as adjoint_gradient, shift_gradient, parallel_shift_gradient or
///         finite_difference_gradient.
inline gradient_result gradient(const circuit& c, std::span<const double> params,
                                const diagonal_observable& obs, backend& b,
                                const gradient_options& opt = {}) {
  switch (opt.method) {
    case gradient_method::shift:
      return shift_gradient(c, params, obs, b, opt);
    case gradient_method::parallel:
      return parallel_shift_gradient(c, params, obs, b, opt);
    case gradient_method::finite:
      return finite_difference_gradient(c, params, obs, b, opt);
    case gradient_method::adjoint:
      break;
  }
  return adjoint_gradient(c, params, obs, opt);
}

}  // namespace papillon
