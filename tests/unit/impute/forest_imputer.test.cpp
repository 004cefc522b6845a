#include <papillon/data/masking.hpp>
#include <papillon/data/random.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_error.hpp>
#include <papillon/impute/forest_imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>
#include <papillon/impute/mice_imputer.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "support/catch.hpp"

namespace pd = papillon::data;
namespace pi = papillon::impute;
using papillon::test::contains_substring;

namespace {

// 500 rows: x0, x1 standard normal; x2 = x0 * x1 and x3 = |x0| + noise, relations no linear
// model captures; x4 = x0 + x1 + noise, a linear one.
Eigen::MatrixXd nonlinear(std::uint64_t seed) {
  pd::rng_type rng(seed);
  Eigen::MatrixXd x(500, 5);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const double a = pd::standard_normal(rng);
    const double b = pd::standard_normal(rng);
    x(i, 0) = a;
    x(i, 1) = b;
    x(i, 2) = a * b + 0.1 * pd::standard_normal(rng);
    x(i, 3) = std::abs(a) + 0.1 * pd::standard_normal(rng);
    x(i, 4) = a + b + 0.1 * pd::standard_normal(rng);
  }
  return x;
}

}  // namespace

TEST_CASE("forest_imputer: learns non-linear relations that MICE misses", "[impute][forest]") {
  if (!pi::forest_available()) {
    CHECK_THROWS_WITH(pi::forest_imputer(), contains_substring("built without XGBoost"));
    return;
  }
  const Eigen::MatrixXd truth = nonlinear(1);
  const pd::cell_mask all = pd::cell_mask::Constant(truth.rows(), truth.cols(), true);
  const std::vector<papillon::index_t> cols{2, 3, 4};
  const auto hidden = pd::make_mcar_mask(all, cols, {.rate = 0.3, .seed = 2});
  const pd::cell_mask visible = !hidden;

  pi::mice_imputer mice({.iterations = 5, .imputations = 2, .seed = 1});
  const double rmse_mice = papillon::eval::rmse(truth, mice.fit_transform(truth, visible), hidden);
  pi::forest_imputer forest({.rounds = 100, .seed = 3});
  CHECK(forest.name() == "forest");
  const Eigen::MatrixXd out = forest.fit_transform(truth, visible);
  const double rmse_forest = papillon::eval::rmse(truth, out, hidden);
  INFO("forest " << rmse_forest << ", mice " << rmse_mice << ", sweeps " << forest.sweeps());
  CHECK(rmse_forest < 0.8 * rmse_mice);
  CHECK(forest.sweeps() >= 1);
  CHECK(forest.changes().size() == static_cast<std::size_t>(forest.sweeps()));
  CHECK(forest.evaluations().at("trees") == 100 * 3 * static_cast<std::uint64_t>(forest.sweeps()));

  SECTION("seeded and deterministic: the same settings give the same completion") {
    pi::forest_imputer again({.rounds = 100, .seed = 3});
    CHECK(again.fit_transform(truth, visible) == out);
  }
  SECTION("transform replays the fitted sweeps on new rows") {
    const Eigen::MatrixXd fresh = nonlinear(7);
    const auto hidden2 = pd::make_mcar_mask(all, cols, {.rate = 0.3, .seed = 8});
    const double rmse_new = papillon::eval::rmse(fresh, forest.transform(fresh, !hidden2), hidden2);
    CHECK(rmse_new < 0.8 * rmse_mice);
  }
  SECTION("chained features: early stop on convergence, or every sweep with tolerance 0") {
    const auto chained = pi::forest_features::chained;
    pi::forest_imputer loose(
        {.rounds = 20, .features = chained, .iterations = 30, .tolerance = 0.05});
    (void)loose.fit_transform(truth, visible);
    CHECK(loose.converged());
    CHECK(loose.sweeps() < 30);
    CHECK(loose.evaluations().at("converged") == 1);
    pi::forest_imputer all_sweeps(
        {.rounds = 5, .features = chained, .iterations = 3, .tolerance = 0.0});
    (void)all_sweeps.fit_transform(truth, visible);
    CHECK_FALSE(all_sweeps.converged());
    CHECK(all_sweeps.sweeps() == 3);
    // fit_transform is the fit's own completion, replayed by transform
    pi::forest_imputer again({.rounds = 5, .features = chained, .iterations = 3, .tolerance = 0});
    CHECK(again.fit_transform(truth, visible) == all_sweeps.transform(truth, visible));
  }
  SECTION("native features: one sweep is the fixed point") {
    CHECK(forest.sweeps() == 1);
    CHECK(forest.converged());
  }
}

TEST_CASE("forest_imputer: degenerate columns keep their mean", "[impute][forest]") {
  if (!pi::forest_available()) return;
  Eigen::MatrixXd x = nonlinear(4).topRows(20);
  pd::cell_mask observed = pd::cell_mask::Constant(20, 5, true);
  for (Eigen::Index i = 1; i < 20; ++i) observed(i, 0) = false;  // one observed cell
  observed(3, 2) = false;
  pi::forest_imputer forest({.rounds = 10});
  const Eigen::MatrixXd out = forest.fit_transform(x, observed);
  for (Eigen::Index i = 1; i < 20; ++i) CHECK(out(i, 0) == x(0, 0));
  CHECK(std::isfinite(out(3, 2)));
}

TEST_CASE("forest_imputer: bad settings are rejected", "[impute][forest]") {
  if (!pi::forest_available()) return;
  CHECK_THROWS_AS(pi::forest_imputer({.rounds = 0}), papillon::data_error);
  CHECK_THROWS_AS(pi::forest_imputer({.max_depth = 0}), papillon::data_error);
  CHECK_THROWS_AS(pi::forest_imputer({.learning_rate = 0.0}), papillon::data_error);
  CHECK_THROWS_AS(pi::forest_imputer({.learning_rate = 1.5}), papillon::data_error);
  CHECK_THROWS_AS(pi::forest_imputer({.min_child_weight = -1}), papillon::data_error);
  CHECK_THROWS_AS(pi::forest_imputer({.subsample = 0.0}), papillon::data_error);
  CHECK_THROWS_AS(pi::forest_imputer({.iterations = 0}), papillon::data_error);
  CHECK_THROWS_AS(pi::forest_imputer({.tolerance = -1}), papillon::data_error);
}
