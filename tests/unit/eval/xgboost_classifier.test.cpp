// The XGBoost downstream classifier. With XGBoost (PAPILLON_HAVE_XGBOOST, a public definition of
// papillon::papillon) the tests train it; without, they check the "built without XGBoost" error
// at every level (function, cross-validation, benchmark).

#include <papillon/data/random.hpp>
#include <papillon/data/synthetic_icu.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/classification_metrics.hpp>
#include <papillon/eval/cross_validation.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/eval/logistic_regression.hpp>
#include <papillon/eval/report_json.hpp>
#include <papillon/eval/xgboost_classifier.hpp>
#include <papillon/impute/mean_imputer.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "support/catch.hpp"

namespace pd = papillon::data;
namespace pe = papillon::eval;
namespace pi = papillon::impute;
using papillon::test::contains_substring;

namespace {

// Rows with two standard-normal features and a noise feature. XOR labels (y = 1 when x0 and x1
// have the same sign) carry no linear signal, so a linear model stays at chance while trees
// split on both features; otherwise y = 1 when x0 > 0 (separable by one feature).
struct problem {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
};

problem make_problem(Eigen::Index n, std::uint64_t seed, bool xor_labels) {
  pd::rng_type rng(seed);
  problem p{Eigen::MatrixXd(n, 3), Eigen::VectorXd(n)};
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < 3; ++j) p.x(i, j) = pd::standard_normal(rng);
    const bool positive = xor_labels ? p.x(i, 0) * p.x(i, 1) > 0 : p.x(i, 0) > 0;
    p.y(i) = positive ? 1.0 : 0.0;
  }
  return p;
}

pe::benchmark_options benchmark_options(pe::downstream_classifier c) {
  pe::benchmark_options o;
  o.targets = pd::synthetic_icu_targets();
  o.covariates = {"Age", "Gender", "ICUType"};
  o.outcome = "In-hospital_death";
  o.log1p_columns = pd::synthetic_icu_skewed();
  o.seeds = {3};
  o.folds = 2;
  o.summary.bootstrap_resamples = 50;
  o.classifier = c;
  return o;
}

std::vector<pe::imputer_factory> mean_only() {
  return {{"mean", [](std::uint64_t) { return std::make_unique<pi::mean_imputer>(); }}};
}

}  // namespace

TEST_CASE("xgboost_classifier: classifier names round-trip", "[eval][xgboost]") {
  for (auto c : {pe::downstream_classifier::logistic, pe::downstream_classifier::xgboost})
    CHECK(pe::downstream_classifier_from(pe::downstream_classifier_name(c)) == c);
  CHECK(pe::downstream_classifier_name(pe::downstream_classifier::xgboost) == "xgboost");
  REQUIRE_THROWS_WITH(pe::downstream_classifier_from("forest"),
                      contains_substring("unknown classifier 'forest'"));
  CHECK(pe::cross_validation_options{}.classifier == pe::downstream_classifier::logistic);
  CHECK(pe::benchmark_options{}.classifier == pe::downstream_classifier::logistic);
}

#if defined(PAPILLON_HAVE_XGBOOST) && PAPILLON_HAVE_XGBOOST

TEST_CASE("xgboost_classifier: available, with a version", "[eval][xgboost]") {
  CHECK(pe::xgboost_available());
  const auto v = pe::xgboost_version();
  INFO(v);
  CHECK(v.find('.') != std::string::npos);
  CHECK(v.front() >= '1');
}

TEST_CASE("xgboost_classifier: separates a one-feature threshold", "[eval][xgboost]") {
  const auto train = make_problem(400, 1, false);
  const auto test = make_problem(300, 2, false);
  const Eigen::VectorXd p = pe::fit_predict_xgboost(train.x, train.y, test.x);
  REQUIRE(p.size() == 300);
  CHECK(p.allFinite());
  CHECK(p.minCoeff() > 0.0);
  CHECK(p.maxCoeff() < 1.0);
  CHECK(pe::auroc(p, test.y) > 0.99);
}

TEST_CASE("xgboost_classifier: trees find an interaction a linear model cannot",
          "[eval][xgboost]") {
  const auto train = make_problem(1000, 3, true);
  const auto test = make_problem(500, 4, true);
  const double xgb = pe::auroc(pe::fit_predict_xgboost(train.x, train.y, test.x), test.y);
  const double linear = pe::auroc(pe::fit_logistic(train.x, train.y).predict_proba(test.x), test.y);
  INFO("xgboost " << xgb << ", logistic " << linear);
  CHECK(xgb > 0.95);
  CHECK(std::abs(linear - 0.5) < 0.1);  // chance
}

TEST_CASE("xgboost_classifier: deterministic with a fixed seed", "[eval][xgboost]") {
  const auto train = make_problem(300, 5, true);
  const auto test = make_problem(100, 6, true);
  const pe::xgboost_options o{.rounds = 30, .seed = 17, .threads = 1};
  const Eigen::VectorXd a = pe::fit_predict_xgboost(train.x, train.y, test.x, o);
  const Eigen::VectorXd b = pe::fit_predict_xgboost(train.x, train.y, test.x, o);
  CHECK(a == b);  // bitwise
  // More rounds fit the training rows more closely (the rounds setting is applied).
  const Eigen::VectorXd one =
      pe::fit_predict_xgboost(train.x, train.y, train.x, {.rounds = 1, .seed = 17});
  const Eigen::VectorXd many =
      pe::fit_predict_xgboost(train.x, train.y, train.x, {.rounds = 50, .seed = 17});
  const auto log_loss = [&](const Eigen::VectorXd& p) {
    double s = 0;
    for (Eigen::Index i = 0; i < p.size(); ++i)
      s -= train.y(i) == 1.0 ? std::log(p(i)) : std::log(1 - p(i));
    return s / static_cast<double>(p.size());
  };
  CHECK(log_loss(many) < 0.5 * log_loss(one));
}

TEST_CASE("xgboost_classifier: NaN features are missing values", "[eval][xgboost]") {
  auto train = make_problem(400, 7, false);
  auto test = make_problem(200, 8, false);
  for (Eigen::Index i = 0; i < train.x.rows(); i += 5) train.x(i, 2) = std::nan("");
  for (Eigen::Index i = 0; i < test.x.rows(); i += 7) test.x(i, 2) = std::nan("");
  const Eigen::VectorXd p = pe::fit_predict_xgboost(train.x, train.y, test.x);
  CHECK(p.allFinite());
  CHECK(pe::auroc(p, test.y) > 0.99);
}

TEST_CASE("xgboost_classifier: bad input throws", "[eval][xgboost]") {
  const auto d = make_problem(50, 9, false);
  SECTION("labels other than 0/1") {
    Eigen::VectorXd y = d.y;
    y(3) = 2.0;
    REQUIRE_THROWS_AS(pe::fit_predict_xgboost(d.x, y, d.x), papillon::data_error);
    REQUIRE_THROWS_WITH(pe::fit_predict_xgboost(d.x, y, d.x),
                        contains_substring("labels must be 0 or 1 (row 3"));
    y(3) = std::nan("");
    REQUIRE_THROWS_AS(pe::fit_predict_xgboost(d.x, y, d.x), papillon::data_error);
  }
  SECTION("size mismatches") {
    REQUIRE_THROWS_AS(pe::fit_predict_xgboost(d.x, d.y.head(49), d.x), papillon::dimension_error);
    REQUIRE_THROWS_AS(pe::fit_predict_xgboost(d.x, d.y, d.x.leftCols(2)),
                      papillon::dimension_error);
  }
  SECTION("infinite features, too few rows, bad settings") {
    Eigen::MatrixXd x = d.x;
    x(4, 1) = std::numeric_limits<double>::infinity();
    REQUIRE_THROWS_WITH(pe::fit_predict_xgboost(x, d.y, d.x),
                        contains_substring("training data, row 4, column 1"));
    REQUIRE_THROWS_AS(pe::fit_predict_xgboost(d.x, d.y, x), papillon::data_error);
    x(4, 1) = 1e300;  // beyond float
    REQUIRE_THROWS_AS(pe::fit_predict_xgboost(x, d.y, d.x), papillon::data_error);
    REQUIRE_THROWS_AS(pe::fit_predict_xgboost(d.x.topRows(1), d.y.head(1), d.x),
                      papillon::data_error);
    REQUIRE_THROWS_AS(pe::fit_predict_xgboost(d.x, d.y, d.x, {.rounds = 0}), papillon::data_error);
    REQUIRE_THROWS_AS(pe::fit_predict_xgboost(d.x, d.y, d.x, {.threads = 0}), papillon::data_error);
  }
  SECTION("no test rows is an empty answer") {
    CHECK(pe::fit_predict_xgboost(d.x, d.y, d.x.topRows(0)).size() == 0);
  }
}

TEST_CASE("xgboost_classifier: cross-validation on the same folds as logistic",
          "[eval][xgboost][cv]") {
  const auto d = make_problem(600, 10, true);
  pe::cross_validation_options o{.folds = 3, .seed = 2};
  o.classifier = pe::downstream_classifier::xgboost;
  const auto xgb = pe::cross_validate(d.x, d.y, o);
  const auto linear = pe::cross_validate_logistic(d.x, d.y, o);  // ignores o.classifier
  REQUIRE(xgb.auroc.size() == 3);
  CHECK(xgb.converged);
  for (const double a : xgb.auroc) CHECK(a > 0.9);
  CHECK(xgb.mean_auroc > linear.mean_auroc + 0.3);
  CHECK(pe::cross_validate(d.x, d.y, o).auroc == xgb.auroc);  // deterministic
}

TEST_CASE("xgboost_classifier: the imputation benchmark with xgboost", "[eval][xgboost]") {
  const auto data = pd::make_synthetic_icu({.rows = 400, .seed = 11});
  const auto ms = mean_only();
  const auto report =
      pe::run_imputation_benchmark(data, ms, benchmark_options(pe::downstream_classifier::xgboost));
  CHECK(report.classifier == pe::downstream_classifier::xgboost);
  REQUIRE(report.methods.size() == 1);
  const auto& run = report.methods[0].runs.at(0);
  REQUIRE(run.fold_auroc.size() == 2);
  for (const double a : run.fold_auroc) CHECK(std::isfinite(a));
  CHECK(run.auroc > 0.5);
  CHECK(run.auroc < 1.0);
  CHECK(std::isfinite(report.reference_auroc.mean));
  CHECK(report.methods[0].evaluations.at("classifier_fits") == 2);
  const nlohmann::json j = report;
  CHECK(j.at("classifier") == "xgboost");

  // Same masks and folds, other classifier: the imputation is identical, the AUROC is not.
  const auto logistic = pe::run_imputation_benchmark(
      data, ms, benchmark_options(pe::downstream_classifier::logistic));
  CHECK(nlohmann::json(logistic).at("classifier") == "logistic");
  CHECK(logistic.methods[0].runs[0].error_z.rmse == run.error_z.rmse);
  CHECK(logistic.methods[0].runs[0].auroc != run.auroc);
}

#else

TEST_CASE("xgboost_classifier: built without XGBoost, a clear error", "[eval][xgboost]") {
  CHECK_FALSE(pe::xgboost_available());
  CHECK(pe::xgboost_version().empty());
  const auto d = make_problem(60, 1, false);
  REQUIRE_THROWS_AS(pe::fit_predict_xgboost(d.x, d.y, d.x), papillon::data_error);
  REQUIRE_THROWS_WITH(pe::fit_predict_xgboost(d.x, d.y, d.x),
                      contains_substring("built without XGBoost"));
  pe::cross_validation_options o;
  o.classifier = pe::downstream_classifier::xgboost;
  REQUIRE_THROWS_WITH(pe::cross_validate(d.x, d.y, o), contains_substring("built without XGBoost"));
  CHECK(pe::cross_validate_logistic(d.x, d.y, o).auroc.size() == 3);  // logistic still works

  const auto data = pd::make_synthetic_icu({.rows = 100, .seed = 11});
  const auto ms = mean_only();
  REQUIRE_THROWS_WITH(
      pe::run_imputation_benchmark(data, ms, benchmark_options(pe::downstream_classifier::xgboost)),
      contains_substring("papillon::eval::run_imputation_benchmark: built without XGBoost"));
}

#endif
