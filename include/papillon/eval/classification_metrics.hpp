#pragma once

/// @file
/// Ranking metrics of a binary classifier: the area under the ROC curve (tied scores count one
/// half, the Mann-Whitney form) and the average precision (area under the precision-recall
/// step curve, one step per distinct score, as scikit-learn's average_precision_score).

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

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

namespace detail {

/// Validates scores and labels; returns the number of positives.
inline index_t check_binary(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels,
                            const char* where) {
  if (scores.size() != labels.size())
    throw dimension_error(
        where, "one label per score is needed",
        std::to_string(scores.size()) + " scores, " + std::to_string(labels.size()) + " labels");
  index_t pos = 0;
  for (Eigen::Index i = 0; i < labels.size(); ++i) {
    if (labels(i) != 0.0 && labels(i) != 1.0)
      throw data_error(where, "labels must be 0 or 1", "index " + std::to_string(i));
    if (!std::isfinite(scores(i)))
      throw data_error(where, "scores must be finite", "index " + std::to_string(i));
    if (labels(i) == 1.0) ++pos;
  }
  return pos;
}

/// Indices sorting the scores in descending order (stable).
inline std::vector<Eigen::Index> order_descending(const Eigen::VectorXd& scores) {
  std::vector<Eigen::Index> idx(static_cast<std::size_t>(scores.size()));
  std::iota(idx.begin(), idx.end(), Eigen::Index{0});
  std::stable_sort(idx.begin(), idx.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return scores(a) > scores(b); });
  return idx;
}

}  // namespace detail

// ---- Definitions --------------------------------------------------------------------------------

inline double auroc(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels) {
  const index_t pos = detail::check_binary(scores, labels, "eval::auroc");
  const index_t neg = static_cast<index_t>(labels.size()) - pos;
  if (pos == 0 || neg == 0)
    throw data_error("eval::auroc", "both classes are needed",
                     std::to_string(pos) + " positives, " + std::to_string(neg) + " negatives");
  // Walk groups of tied scores from the top: each positive in a group beats every negative
  // below the group and ties with the negatives inside it.
  const auto idx = detail::order_descending(scores);
  double wins = 0;
  double neg_above = 0;
  std::size_t g = 0;
  while (g < idx.size()) {
    std::size_t e = g;
    double gp = 0, gn = 0;
    while (e < idx.size() && scores(idx[e]) == scores(idx[g])) {
      (labels(idx[e]) == 1.0 ? gp : gn) += 1;
      ++e;
    }
    // Positives in this group beat negatives below; count pairs as (negatives not above).
    wins += gp * (static_cast<double>(neg) - neg_above - gn) + 0.5 * gp * gn;
    neg_above += gn;
    g = e;
  }
  return wins / (static_cast<double>(pos) * static_cast<double>(neg));
}

inline double average_precision(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels) {
  const index_t pos = detail::check_binary(scores, labels, "eval::average_precision");
  if (pos == 0) throw data_error("eval::average_precision", "no positive label");
  const auto idx = detail::order_descending(scores);
  double tp = 0, fp = 0, prev_recall = 0, ap = 0;
  std::size_t g = 0;
  while (g < idx.size()) {
    std::size_t e = g;
    while (e < idx.size() && scores(idx[e]) == scores(idx[g])) {
      (labels(idx[e]) == 1.0 ? tp : fp) += 1;
      ++e;
    }
    const double recall = tp / static_cast<double>(pos);
    ap += (recall - prev_recall) * (tp / (tp + fp));
    prev_recall = recall;
    g = e;
  }
  return ap;
}

}  // namespace papillon::eval
