#pragma once

/// @file
/// Ranking metrics of a binary classifier: the area under the ROC curve (tied scores count one
/// half, the Mann-Whitney form) and the average precision (area under the precision-recall
/// step curve, one step per distinct score, as scikit-learn's average_precision_score).

#include <Eigen/Core>

namespace papillon::eval {

/// Area under the ROC curve: the probability that a random positive scores above a random
/// negative, ties counting 1/2.
/// @param scores higher = more likely positive; finite
/// @param labels 0 or 1, one per score
/// @throws dimension_error on a size mismatch; data_error on a bad label, a non-finite score,
///   or labels of one class only
[[nodiscard]] double auroc(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels);

/// Average precision: sum over distinct score thresholds t (descending) of
/// (recall(t) - recall(previous t)) * precision(t).
/// @throws as auroc(); needs at least one positive
[[nodiscard]] double average_precision(const Eigen::VectorXd& scores,
                                       const Eigen::VectorXd& labels);

}  // namespace papillon::eval
