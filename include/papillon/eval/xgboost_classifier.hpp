#pragma once

/// @file
/// XGBoost gradient-boosted trees as the optional downstream mortality classifier of the
/// imputation benchmark: the classifier of the group's earlier MIMIC-III study (XGBoost with
/// default parameters, 3 folds; docs/method.md section 5.1). The L2 logistic regression of
/// logistic_regression.hpp is always available; this one only when papillon was built with
/// XGBoost (Debian: libxgboost-dev; CMake option PAPILLON_WITH_XGBOOST).
///
/// Settings: objective binary:logistic and XGBoost's default parameters otherwise (learning
/// rate 0.3, depth 6, L2 leaf penalty 1, no subsampling, tree_method auto, which XGBoost 1.7
/// resolves to the exact greedy algorithm at these data sizes), a fixed number of boosting rounds
/// (100, the n_estimators default of the xgboost Python package's scikit-learn interface the study
/// used; the native API's default is 10), a fixed seed and one thread (see xgboost_options).
///
/// The definitions are compiled into papillon::papillon (link it to call these functions): from
/// src/papillon/eval/xgboost_classifier.cpp when XGBoost was found, which also defines
/// PAPILLON_HAVE_XGBOOST=1 for its users, and otherwise from xgboost_unavailable.cpp, where
/// xgboost_available() returns false and fit_predict_xgboost() throws data_error "built without
/// XGBoost". One definition either way, so every translation unit of a program agrees.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <string>

namespace papillon::eval {

/// Settings of fit_predict_xgboost(). Everything else is XGBoost's default.
struct xgboost_options {
  /// Boosting rounds (trees), at least 1. 100 is the default of XGBClassifier (n_estimators).
  index_t rounds = 100;
  /// XGBoost's "seed" (the top bit is dropped: XGBoost takes a signed 64-bit value). The
  /// default parameters draw no random numbers (no row or column subsampling), so the seed only
  /// matters if XGBoost's defaults change; it is fixed so that runs stay reproducible if they do.
  std::uint64_t seed = 0;
  /// XGBoost's "nthread", at least 1. The default 1 makes the result independent of the
  /// machine's core count (with more threads the gradient sums of tree building are split
  /// between threads, which can change the last bits) and keeps the benchmark, which already
  /// runs imputers, off the other cores.
  index_t threads = 1;
};

/// Whether papillon was built with XGBoost.
[[nodiscard]] bool xgboost_available() noexcept;

/// The XGBoost library version ("1.7.4"), or an empty string without XGBoost.
[[nodiscard]] std::string xgboost_version();

/// Trains an XGBoost binary classifier on the training rows and returns P(y = 1) for each test
/// row. NaN features are missing values, handled by XGBoost's default split directions.
/// @param x_train rows x features (at least 2 rows and 1 feature); finite or NaN
/// @param y_train one 0/1 label per training row
/// @param x_test rows to score, with the training feature count; finite or NaN
/// @throws data_error without XGBoost ("built without XGBoost"), on a label other than 0/1, an
///   infinite feature or one beyond float range (XGBoost stores floats), fewer than 2 rows, no
///   features, rounds or threads of 0, or when XGBoost reports an error (its message is the
///   context); dimension_error on a label count or test feature count that does not match
[[nodiscard]] Eigen::VectorXd fit_predict_xgboost(const Eigen::MatrixXd& x_train,
                                                  const Eigen::VectorXd& y_train,
                                                  const Eigen::MatrixXd& x_test,
                                                  const xgboost_options& options = {});

}  // namespace papillon::eval
