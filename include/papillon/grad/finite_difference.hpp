#pragma once

/// @file
/// Central finite differences on any backend: the oracle the other methods are tested against.

#include <papillon/backend/backend.hpp>
#include <papillon/backend/run_in_parts.hpp>
#include <papillon/grad/gradient_options.hpp>
#include <papillon/grad/gradient_result.hpp>
#include <papillon/grad/observable.hpp>
#include <papillon/grad/occurrences.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace papillon {

/// df/dp_j ~ [f(p + h e_j) - f(p - h e_j)] / 2h with h = opt.finite_step, for every listed
/// parameter: two circuits each (plus one for the value), in one run_batch call (or in parts of
/// gradient_options::max_batch_circuits). The error is
/// O(h^2) exactly, plus the backend's noise divided by h when sampled.
/// @throws data_error for a step that is not finite and positive; otherwise as the backend.
inline gradient_result finite_difference_gradient(const circuit& c, std::span<const double> params,
                                                  const diagonal_observable& obs, backend& b,
                                                  const gradient_options& opt = {}) {
  constexpr std::string_view where = "finite_difference_gradient";
  if (!(opt.finite_step > 0) || !std::isfinite(opt.finite_step))
    throw data_error(where, "finite-difference step must be finite and positive",
                     "step " + std::to_string(opt.finite_step));
  obs.check(c.num_qubits(), where);
  check_parameters(c, params, where);
  gradient_result out;
  out.method = gradient_method::finite;
  out.parameters = resolve_wrt(c, opt.wrt, where);
  const std::vector<double> base(params.begin(), params.end());
  // Circuit 2i shifts parameter i up, 2i + 1 down; the last is the value circuit if asked for.
  const std::size_t count = 2 * out.parameters.size() + (opt.with_value ? 1 : 0);
  std::vector<double> values(count);
  run_in_parts(
      b, count,
      [&](std::size_t i) {
        run_task t{&c, base};
        if (i / 2 < out.parameters.size())
          t.params[out.parameters[i / 2]] += (i % 2 == 0 ? 1.0 : -1.0) * opt.finite_step;
        return t;
      },
      [&](std::size_t i, run_result&& r) { values[i] = obs.expectation(r); }, batch_of(opt), out.evaluations);
  for (std::size_t i = 0; i < out.parameters.size(); ++i)
    out.gradient.push_back((values[2 * i] - values[2 * i + 1]) / (2 * opt.finite_step));
  out.value = opt.with_value ? values.back() : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace papillon
