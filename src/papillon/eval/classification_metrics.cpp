// AUROC and average precision.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/classification_metrics.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <string>
#include <vector>

namespace papillon::eval {

namespace {

/// Validates scores and labels; returns the number of positives.
index_t check_binary(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels,
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
std::vector<Eigen::Index> order_descending(const Eigen::VectorXd& scores) {
  std::vector<Eigen::Index> idx(static_cast<std::size_t>(scores.size()));
  std::iota(idx.begin(), idx.end(), Eigen::Index{0});
  std::stable_sort(idx.begin(), idx.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return scores(a) > scores(b); });
  return idx;
}

}  // namespace

double auroc(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels) {
  const index_t pos = check_binary(scores, labels, "eval::auroc");
  const index_t neg = static_cast<index_t>(labels.size()) - pos;
  if (pos == 0 || neg == 0)
    throw data_error("eval::auroc", "both classes are needed",
                     std::to_string(pos) + " positives, " + std::to_string(neg) + " negatives");
  // Walk groups of tied scores from the top: each positive in a group beats every negative
  // below the group and ties with the negatives inside it.
  const auto idx = order_descending(scores);
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

double average_precision(const Eigen::VectorXd& scores, const Eigen::VectorXd& labels) {
  const index_t pos = check_binary(scores, labels, "eval::average_precision");
  if (pos == 0) throw data_error("eval::average_precision", "no positive label");
  const auto idx = order_descending(scores);
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
