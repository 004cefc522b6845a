// The losses.

#include <papillon/nn/loss.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace papillon::nn {

loss_result loss::evaluate(const matrix& prediction, const matrix& target,
                           const matrix& mask) const {
  const std::string where = "nn::" + std::string(kind()) + "::evaluate";
  auto shape = [](const matrix& m) {
    return std::to_string(m.rows()) + "x" + std::to_string(m.cols());
  };
  if (prediction.rows() != target.rows() || prediction.cols() != target.cols())
    throw dimension_error(where, "prediction and target shapes differ",
                          shape(prediction) + " vs " + shape(target));
  const bool masked = mask.size() != 0;
  if (masked && (mask.rows() != target.rows() || mask.cols() != target.cols()))
    throw dimension_error(where, "mask shape differs from the target",
                          shape(mask) + " vs " + shape(target));
  if (!prediction.allFinite()) throw data_error(where, "non-finite prediction");
  loss_result r;
  r.gradient = matrix::Zero(prediction.rows(), prediction.cols());
  double sum = 0.0;
  // Column-major order: the order of the reduction is fixed, so results are reproducible.
  for (Eigen::Index c = 0; c < prediction.cols(); ++c)
    for (Eigen::Index i = 0; i < prediction.rows(); ++i) {
      const double w = masked ? mask(i, c) : 1.0;
      if (!(w >= 0.0) || !std::isfinite(w))
        throw data_error(where, "mask weights must be finite and non-negative",
                         "entry (" + std::to_string(i) + ", " + std::to_string(c) + ")");
      if (w == 0.0) continue;  // an unobserved target may hold anything, even NaN
      const double t = target(i, c);
      if (!std::isfinite(t))
        throw data_error(where, "non-finite target in a counted entry",
                         "entry (" + std::to_string(i) + ", " + std::to_string(c) + ")");
      check_target(t);
      double v = 0.0;
      double d = 0.0;
      entry(prediction(i, c), t, v, d);
      sum += w * v;
      r.count += w;
      r.gradient(i, c) = w * d;
    }
  if (r.count > 0.0) {
    r.value = sum / r.count;
    r.gradient /= r.count;
  }
  return r;
}

void masked_mse::entry(double p, double t, double& value, double& derivative) const {
  const double d = p - t;
  value = d * d;
  derivative = 2.0 * d;
}

void bce_with_logits::entry(double z, double t, double& value, double& derivative) const {
  value = std::max(z, 0.0) - z * t + std::log1p(std::exp(-std::abs(z)));
  // Both branches avoid exp of a large positive number.
  const double sig = z >= 0.0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
  derivative = sig - t;
}

void bce_with_logits::check_target(double t) const {
  if (!(t >= 0.0 && t <= 1.0))
    throw data_error("nn::bce_with_logits::evaluate", "target outside [0, 1]",
                     "target " + std::to_string(t));
}

}  // namespace papillon::nn
