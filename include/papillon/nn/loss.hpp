#pragma once

/// @file
/// Loss functions: masked mean squared error (imputation) and binary cross-entropy with logits.

#include <papillon/error.hpp>
#include <papillon/nn/layer.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

namespace papillon::nn {

/// A loss value and its gradient with respect to the prediction.
struct loss_result {
  double value = 0.0;  ///< the mean loss over the counted entries
  matrix gradient;     ///< dvalue/dprediction, same shape as the prediction
  double count = 0.0;  ///< the sum of the mask weights (entries counted); 0 when none count
};

/// Base class of losses. A loss compares a prediction and a target of the same shape (rows are
/// samples). An optional mask of the same shape weights each entry (usually 0 or 1: which
/// entries count); an empty mask counts every entry. The value is the weighted mean
/// sum(w * l) / sum(w); with sum(w) = 0 the value and gradient are 0.
class loss {
 public:
  virtual ~loss() = default;

  /// The loss name ("masked_mse", "bce_with_logits").
  [[nodiscard]] virtual std::string_view kind() const noexcept = 0;

  /// Value and gradient.
  /// @throws dimension_error for shape mismatches; data_error for non-finite values, negative
  ///         mask weights or invalid targets.
  [[nodiscard]] loss_result evaluate(const matrix& prediction, const matrix& target,
                                     const matrix& mask = {}) const;

 protected:
  loss() = default;
  loss(const loss&) = default;
  loss& operator=(const loss&) = default;

  /// Per-entry loss and its derivative with respect to the prediction.
  virtual void entry(double prediction, double target, double& value, double& derivative) const = 0;
  /// Checks one target value; the default accepts every finite value.
  virtual void check_target(double /*target*/) const {}
};

/// Mean squared error over the masked entries: sum(w (p - t)^2) / sum(w). Use the mask to count
/// only observed (or artificially hidden) entries when training an imputer.
class masked_mse final : public loss {
 public:
  [[nodiscard]] std::string_view kind() const noexcept override { return "masked_mse"; }

 protected:
  void entry(double p, double t, double& value, double& derivative) const override {
    const double d = p - t;
    value = d * d;
    derivative = 2.0 * d;
  }
};

/// Binary cross-entropy on logits z with targets t in [0, 1]:
/// l = max(z, 0) - z t + log(1 + exp(-|z|)), the stable form of
/// -t log sigmoid(z) - (1 - t) log(1 - sigmoid(z)); dl/dz = sigmoid(z) - t.
class bce_with_logits final : public loss {
 public:
  [[nodiscard]] std::string_view kind() const noexcept override { return "bce_with_logits"; }

 protected:
  void entry(double z, double t, double& value, double& derivative) const override {
    value = std::max(z, 0.0) - z * t + std::log1p(std::exp(-std::abs(z)));
    // Both branches avoid exp of a large positive number.
    const double sig = z >= 0.0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
    derivative = sig - t;
  }
  void check_target(double t) const override {
    if (!(t >= 0.0 && t <= 1.0))
      throw data_error("nn::bce_with_logits::evaluate", "target outside [0, 1]",
                       "target " + std::to_string(t));
  }
};

// ---- Definitions ------------------------------------------------------------------------------

inline loss_result loss::evaluate(const matrix& prediction, const matrix& target,
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

}  // namespace papillon::nn
