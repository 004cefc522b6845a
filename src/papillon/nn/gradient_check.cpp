// Finite-difference gradient checks.

#include <papillon/nn/gradient_check.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace papillon::nn {

namespace {

double gradient_error(double analytic, double numeric) noexcept {
  return std::abs(analytic - numeric) / std::max({1.0, std::abs(analytic), std::abs(numeric)});
}

/// Compares analytic gradients with central differences of `objective(input)`, which reads the
/// current parameters. `analytic_params` must hold the analytic gradients of `views`.
template <class Objective>
gradient_check_report compare_gradients(Objective&& objective, matrix input,
                                        const matrix& analytic_input,
                                        const std::vector<parameter_view>& views,
                                        const std::vector<std::vector<double>>& analytic,
                                        const gradient_check_options& opt) {
  gradient_check_report r;
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

}  // namespace

gradient_check_report check_layer_gradients(layer& l, const matrix& input,
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
  return compare_gradients(
      [&](const matrix& x) { return l.forward(x, opt.training).cwiseProduct(weights).sum(); },
      input, analytic_input, views, analytic, opt);
}

gradient_check_report check_model_gradients(sequential& model, const loss& fn, const matrix& input,
                                            const matrix& target, const matrix& mask,
                                            const gradient_check_options& opt) {
  model.zero_gradients();
  const auto first = fn.evaluate(model.forward(input, opt.training), target, mask);
  const matrix analytic_input = model.backward(first.gradient);
  const auto views = model.parameter_views();
  std::vector<std::vector<double>> analytic;
  for (const auto& v : views) analytic.emplace_back(v.gradients.begin(), v.gradients.end());
  return compare_gradients(
      [&](const matrix& x) {
        return fn.evaluate(model.forward(x, opt.training), target, mask).value;
      },
      input, analytic_input, views, analytic, opt);
}

}  // namespace papillon::nn
