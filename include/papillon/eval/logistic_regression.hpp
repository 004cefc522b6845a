#pragma once

/// @file
/// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
/// squares) with a backtracking line search: the downstream mortality classifier of the
/// imputation benchmark. Features are standardised internally, so the penalty treats every
/// feature alike; the returned coefficients are on the original feature scale.

#include <papillon/core/types.hpp>

#include <Eigen/Core>

namespace papillon::eval {

/// Settings of fit_logistic().
struct logistic_options {
  /// Penalty strength lambda: the objective is mean log-loss + lambda / 2 * ||w||^2 on the
  /// standardised features. The intercept is not penalised. 0 = unpenalised.
  double l2 = 1e-3;
  /// Standardise the features (mean 0, sd 1 over the training rows) before fitting.
  bool standardize = true;
  /// Newton iterations before giving up (converged = false).
  index_t max_iterations = 100;
  /// Stop when the largest gradient component falls below this.
  double tolerance = 1e-8;
};

/// A fitted logistic model: P(y = 1 | x) = 1 / (1 + exp(-(intercept + coefficients . x))).
struct logistic_model {
  /// One weight per feature, on the original feature scale.
  Eigen::VectorXd coefficients;
  /// The intercept, on the original feature scale.
  double intercept = 0.0;
  /// Newton iterations used.
  index_t iterations = 0;
  /// Whether the gradient tolerance was met.
  bool converged = false;

  /// The linear predictor for each row of `x`.
  /// @throws dimension_error on a feature-count mismatch
  [[nodiscard]] Eigen::VectorXd decision_function(const Eigen::MatrixXd& x) const;
  /// P(y = 1) for each row of `x`.
  /// @throws dimension_error on a feature-count mismatch
  [[nodiscard]] Eigen::VectorXd predict_proba(const Eigen::MatrixXd& x) const;
};

/// Fits an L2-regularised logistic regression.
/// @param x rows x features, all finite
/// @param y one 0/1 label per row
/// @throws dimension_error on mismatched sizes; data_error on a non-finite feature, a label
///   other than 0/1, or fewer than two rows
[[nodiscard]] logistic_model fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                          const logistic_options& options = {});

}  // namespace papillon::eval
