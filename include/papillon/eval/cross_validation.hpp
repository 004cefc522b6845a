#pragma once

/// @file
/// Stratified k-fold cross-validation of the downstream classifier: every fold keeps the
/// class balance of the whole set, the split is seeded, and each fold reports AUROC and
/// average precision on its held-out rows. The classifier is the L2 logistic regression or,
/// when papillon was built with it, XGBoost (xgboost_classifier.hpp); both see the same folds.

#include <papillon/core/enum_names.hpp>
#include <papillon/core/types.hpp>
#include <papillon/eval/logistic_regression.hpp>
#include <papillon/eval/xgboost_classifier.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace papillon::eval {

/// The downstream classifier of cross_validate() and of the imputation benchmark.
enum class downstream_classifier {
  /// L2 logistic regression (logistic_regression.hpp); always available.
  logistic,
  /// XGBoost gradient-boosted trees (xgboost_classifier.hpp); only when built with XGBoost.
  xgboost,
};

/// The names of the classifiers: "logistic", "xgboost".
inline constexpr enum_table<downstream_classifier, 2> downstream_classifier_names{
    "classifier",
    {{{downstream_classifier::logistic, "logistic"}, {downstream_classifier::xgboost, "xgboost"}}}};
constexpr const auto& enum_names_of(downstream_classifier) noexcept {
  return downstream_classifier_names;
}

/// "logistic" or "xgboost".
[[nodiscard]] std::string downstream_classifier_name(downstream_classifier c);

/// The classifier of a name given by downstream_classifier_name().
/// @throws data_error on any other name
[[nodiscard]] downstream_classifier downstream_classifier_from(std::string_view name);

/// Settings of cross_validate() and cross_validate_logistic().
struct cross_validation_options {
  /// Number of folds (at least 2). 3 follows the protocol of the group's earlier MIMIC study.
  index_t folds = 3;
  /// Seed of the stratified split.
  std::uint64_t seed = 0;
  /// The logistic regression's settings.
  logistic_options logistic{};
  /// The classifier cross_validate() uses (cross_validate_logistic() always uses logistic).
  downstream_classifier classifier = downstream_classifier::logistic;
  /// XGBoost's settings, used when classifier is xgboost.
  xgboost_options xgboost{};
};

/// Held-out scores of a cross-validation, one entry per fold.
struct cross_validation_result {
  /// AUROC on each fold's held-out rows.
  std::vector<double> auroc;
  /// Average precision on each fold's held-out rows.
  std::vector<double> auprc;
  /// Mean of auroc over folds.
  double mean_auroc = 0.0;
  /// Mean of auprc over folds.
  double mean_auprc = 0.0;
  /// Whether every fold's fit converged (always true for XGBoost: a fixed number of rounds).
  bool converged = true;
};

/// Assigns each row to a fold so that every fold holds floor or ceil of (class size / k) rows
/// of each class. Rows of each class are shuffled with the seed, then dealt round-robin.
/// @param labels 0/1 per row
/// @return the fold (0 .. folds-1) of every row
/// @throws data_error if folds < 2, a label is not 0/1, or a class has fewer rows than folds
[[nodiscard]] std::vector<index_t> stratified_folds(const Eigen::VectorXd& labels, index_t folds,
                                                    std::uint64_t seed);

/// Cross-validates options.classifier: for each fold, fit on the other folds and score the
/// held-out rows. The folds depend only on the labels, the fold count and the seed, so both
/// classifiers see the same splits.
/// @param x rows x features, finite (impute before calling)
/// @param y 0/1 per row
/// @throws as stratified_folds(), fit_logistic() and fit_predict_xgboost() (data_error
///   "built without XGBoost" when xgboost is asked for but not built in)
[[nodiscard]] cross_validation_result cross_validate(const Eigen::MatrixXd& x,
                                                     const Eigen::VectorXd& y,
                                                     const cross_validation_options& options = {});

/// Cross-validates an L2 logistic regression, whatever options.classifier says.
/// @throws as stratified_folds() and fit_logistic()
[[nodiscard]] cross_validation_result cross_validate_logistic(
    const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
    const cross_validation_options& options = {});

}  // namespace papillon::eval
