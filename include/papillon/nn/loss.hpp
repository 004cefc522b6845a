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
  void entry(double p, double t, double& value, double& derivative) const override;
};

/// Binary cross-entropy on logits z with targets t in [0, 1]:
/// l = max(z, 0) - z t + log(1 + exp(-|z|)), the stable form of
/// -t log sigmoid(z) - (1 - t) log(1 - sigmoid(z)); dl/dz = sigmoid(z) - t.
class bce_with_logits final : public loss {
 public:
  [[nodiscard]] std::string_view kind() const noexcept override { return "bce_with_logits"; }

 protected:
  void entry(double z, double t, double& value, double& derivative) const override;
  void check_target(double t) const override;
};

}  // namespace papillon::nn
