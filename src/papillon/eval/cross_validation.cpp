// Stratified k-fold cross-validation of the downstream classifier.

#include <papillon/data/random.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/classification_metrics.hpp>
#include <papillon/eval/cross_validation.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace papillon::eval {

std::string downstream_classifier_name(downstream_classifier c) {
  return std::string(downstream_classifier_names.name_of(c));
}

downstream_classifier downstream_classifier_from(std::string_view name) {
  return downstream_classifier_names.parse(name, "eval::downstream_classifier_from");
}

std::vector<index_t> stratified_folds(const Eigen::VectorXd& labels, index_t folds,
                                      std::uint64_t seed) {
  if (folds < 2) throw data_error("eval::stratified_folds", "at least 2 folds are needed");
  std::vector<index_t> by_class[2];
  for (Eigen::Index i = 0; i < labels.size(); ++i) {
    if (labels(i) != 0.0 && labels(i) != 1.0)
      throw data_error("eval::stratified_folds", "labels must be 0 or 1",
                       "row " + std::to_string(i));
    by_class[labels(i) == 1.0 ? 1 : 0].push_back(static_cast<index_t>(i));
  }
  for (int c = 0; c < 2; ++c)
    if (by_class[c].size() < folds)
      throw data_error("eval::stratified_folds", "a class has fewer rows than folds",
                       "class " + std::to_string(c) + ": " + std::to_string(by_class[c].size()) +
                           " rows, " + std::to_string(folds) + " folds");
  std::vector<index_t> fold(static_cast<std::size_t>(labels.size()), 0);
  data::rng_type rng(seed);
  index_t next = 0;  // continue dealing across classes, so fold sizes also balance overall
  for (auto& rows : by_class) {
    data::shuffle(rows, rng);
    for (const auto r : rows) {
      fold[r] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

cross_validation_result cross_validate(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                       const cross_validation_options& options) {
  if (x.rows() != y.size())
    throw dimension_error(
        "eval::cross_validate", "one label per row is needed",
        std::to_string(y.size()) + " labels, " + std::to_string(x.rows()) + " rows");
  const bool xgb = options.classifier == downstream_classifier::xgboost;
  const auto fold = stratified_folds(y, options.folds, options.seed);
  cross_validation_result out;
  for (index_t f = 0; f < options.folds; ++f) {
    std::vector<Eigen::Index> train, test;
    for (std::size_t i = 0; i < fold.size(); ++i)
      (fold[i] == f ? test : train).push_back(static_cast<Eigen::Index>(i));
    const Eigen::MatrixXd x_train = x(train, Eigen::all);
    const Eigen::VectorXd y_train = y(train);
    const Eigen::MatrixXd x_test = x(test, Eigen::all);
    Eigen::VectorXd scores;
    if (xgb) {
      // Boosting has no convergence criterion: a fixed number of rounds.
      scores = fit_predict_xgboost(x_train, y_train, x_test, options.xgboost);
    } else {
      const auto model = fit_logistic(x_train, y_train, options.logistic);
      out.converged = out.converged && model.converged;
      scores = model.predict_proba(x_test);
    }
    const Eigen::VectorXd y_test = y(test);
    out.auroc.push_back(auroc(scores, y_test));
    out.auprc.push_back(average_precision(scores, y_test));
  }
  for (index_t f = 0; f < options.folds; ++f) {
    out.mean_auroc += out.auroc[f] / static_cast<double>(options.folds);
    out.mean_auprc += out.auprc[f] / static_cast<double>(options.folds);
  }
  return out;
}

cross_validation_result cross_validate_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                                const cross_validation_options& options) {
  auto logistic = options;
  logistic.classifier = downstream_classifier::logistic;
  return cross_validate(x, y, logistic);
}

}  // namespace papillon::eval
