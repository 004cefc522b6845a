#pragma once

/// @file
/// Finite-difference gradient checks for layers and models (test and debugging utilities).

#include <papillon/nn/layer.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

namespace papillon::nn {

/// Settings of a gradient check.
struct gradient_check_options {
  double step = 1e-6;       ///< central-difference step h: (f(x + h) - f(x - h)) / 2h
  double tolerance = 1e-6;  ///< largest accepted error (see gradient_check_report)
  bool training = false;    ///< forward mode; keep false unless the layer is deterministic
  std::uint64_t seed = 1;   ///< seed of the random output weights of check_layer_gradients
};

/// Result of a gradient check. An entry's error is |analytic - numeric| / max(1, |analytic|,
/// |numeric|): absolute for small gradients, relative for large ones.
struct gradient_check_report {
  double max_input_error = 0.0;      ///< worst error over dL/dinput
  double max_parameter_error = 0.0;  ///< worst error over the trainable parameters
  index_t parameters_checked = 0;
  bool passed = false;  ///< both maxima <= tolerance
};

}  // namespace papillon::nn

namespace papillon::detail {

inline double gradient_error(double analytic, double numeric) noexcept {
  return std::abs(analytic - numeric) / std::max({1.0, std::abs(analytic), std::abs(numeric)});
}

/// Compares analytic gradients with central differences of `objective(input)`, which reads the
/// current parameters. `analytic_params` must hold the analytic gradients of `views`.
template <class Objective>
nn::gradient_check_report compare_gradients(Objective&& objective, nn::matrix input,
                                            const nn::matrix& analytic_input,
                                            const std::vector<nn::parameter_view>& views,
                                            const std::vector<std::vector<double>>& analytic,
                                            const nn::gradient_check_options& opt) {
  nn::gradient_check_report r;
  const double h = opt.step;
  for (Eigen::Index i = 0; i < input.size(); ++i) {
    const double keep = input(i);
    input(i) = keep + h;
    const double up = objective(input);
    input(i) = keep - h;
    const double down = objective(input);
    input(i) = keep;
    r.max_input_error =
        std::max(r.max_input_error, gradient_error(analytic_input(i), (up - down) / (2.0 * h)));
  }
  for (std::size_t v = 0; v < views.size(); ++v)
    for (std::size_t k = 0; k < views[v].values.size(); ++k) {
      if (views[v].trainable[k] == 0) continue;
      double& p = views[v].values[k];
      const double keep = p;
      p = keep + h;
      const double up = objective(input);
      p = keep - h;
      const double down = objective(input);
      p = keep;
      r.max_parameter_error =
          std::max(r.max_parameter_error, gradient_error(analytic[v][k], (up - down) / (2.0 * h)));
      ++r.parameters_checked;
    }
  r.passed = r.max_input_error <= opt.tolerance && r.max_parameter_error <= opt.tolerance;
  return r;
}

}  // namespace papillon::detail

namespace papillon::nn {

/// Checks a layer's backward() against central differences of L = sum(R .* forward(x)), with
/// R a fixed random matrix: both dL/dinput and dL/dparameters (trainable ones).
[[nodiscard]] gradient_check_report check_layer_gradients(layer& l, const matrix& input,
                                                          const gradient_check_options& opt = {});

/// Checks a model's backward() against central differences of the loss, over the input and
/// every trainable parameter.
[[nodiscard]] gradient_check_report check_model_gradients(sequential& model, const loss& fn,
                                                          const matrix& input, const matrix& target,
                                                          const matrix& mask = {},
                                                          const gradient_check_options& opt = {});

// ---- Definitions ------------------------------------------------------------------------------

inline gradient_check_report check_layer_gradients(layer& l, const matrix& input,
                                                   const gradient_check_options& opt) {
  const matrix out = l.forward(input, opt.training);
  rng_type rng(opt.seed);
  matrix weights(out.rows(), out.cols());
  for (Eigen::Index i = 0; i < weights.size(); ++i) weights(i) = 2.0 * uniform01(rng) - 1.0;
  l.zero_gradients();
  l.forward(input, opt.training);
  const matrix analytic_input = l.backward(weights);
  const auto g = l.gradients();
  std::vector<parameter_view> views{
      {l.name(), l.group(), l.parameters(), l.gradients(), l.trainable_mask()}};
  const std::vector<std::vector<double>> analytic{std::vector<double>(g.begin(), g.end())};
  return detail::compare_gradients(
      [&](const matrix& x) { return l.forward(x, opt.training).cwiseProduct(weights).sum(); },
      input, analytic_input, views, analytic, opt);
}

inline gradient_check_report check_model_gradients(sequential& model, const loss& fn,
                                                   const matrix& input, const matrix& target,
                                                   const matrix& mask,
                                                   const gradient_check_options& opt) {
  model.zero_gradients();
  const auto first = fn.evaluate(model.forward(input, opt.training), target, mask);
  const matrix analytic_input = model.backward(first.gradient);
  const auto views = model.parameter_views();
  std::vector<std::vector<double>> analytic;
  for (const auto& v : views) analytic.emplace_back(v.gradients.begin(), v.gradients.end());
  return detail::compare_gradients(
      [&](const matrix& x) {
        return fn.evaluate(model.forward(x, opt.training), target, mask).value;
      },
      input, analytic_input, views, analytic, opt);
}

}  // namespace papillon::nn
