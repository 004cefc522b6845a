#include <papillon/data/masking.hpp>
#include <papillon/data/random.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_error.hpp>
#include <papillon/impute/knn_imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>
#include <papillon/impute/mice_imputer.hpp>

#include <Eigen/Cholesky>

#include <vector>

#include "support/catch.hpp"

namespace pd = papillon::data;
namespace pi = papillon::impute;

namespace {

// 400 rows of 4 standard normal features with pairwise correlation 0.8.
Eigen::MatrixXd correlated(std::uint64_t seed) {
  Eigen::MatrixXd c = Eigen::MatrixXd::Constant(4, 4, 0.8);
  c.diagonal().setOnes();
  const Eigen::MatrixXd l = c.llt().matrixL();
  pd::rng_type rng(seed);
  Eigen::MatrixXd x(400, 4);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    Eigen::VectorXd z(4);
    for (auto& v : z) v = pd::standard_normal(rng);
    x.row(i) = (l * z).transpose();
  }
  return x;
}

}  // namespace

TEST_CASE("mice_imputer: beats mean imputation on correlated data", "[impute][mice]") {
  const Eigen::MatrixXd truth = correlated(1);
  const pd::cell_mask all = pd::cell_mask::Constant(truth.rows(), truth.cols(), true);
  const std::vector<papillon::index_t> cols{0, 1, 2, 3};
  const auto hidden = pd::make_mcar_mask(all, cols, {.rate = 0.3, .seed = 2});
  const pd::cell_mask visible = !hidden;

  pi::mean_imputer mean;
  const double rmse_mean = papillon::eval::rmse(truth, mean.fit_transform(truth, visible), hidden);
  CHECK(rmse_mean > 0.9);  // about the standard deviation

  const auto method = GENERATE(pi::mice_method::pmm, pi::mice_method::bayesian_draw,
                               pi::mice_method::regression_mean);
  pi::mice_imputer mice({.iterations = 5, .imputations = 3, .method = method, .seed = 9});
  CHECK(mice.name() == "mice");
  const Eigen::MatrixXd out = mice.fit_transform(truth, visible);
  const double rmse_mice = papillon::eval::rmse(truth, out, hidden);
  INFO("method " << static_cast<int>(method) << ": mice " << rmse_mice << ", mean " << rmse_mean);
  CHECK(rmse_mice < 0.8 * rmse_mean);

  SECTION("seeded: the same seed gives the same completion") {
    pi::mice_imputer again({.iterations = 5, .imputations = 3, .method = method, .seed = 9});
    CHECK(again.fit_transform(truth, visible) == out);
  }
  SECTION("kNN also beats the mean here") {
    pi::knn_imputer knn({.k = 10});
    CHECK(papillon::eval::rmse(truth, knn.fit_transform(truth, visible), hidden) < 0.9 * rmse_mean);
  }
}

TEST_CASE("mice_imputer: PMM imputes only values seen in the column", "[impute][mice]") {
  Eigen::MatrixXd x = correlated(3);
  x.col(0) = x.col(0).array().round();  // a discrete column
  const pd::cell_mask all = pd::cell_mask::Constant(x.rows(), x.cols(), true);
  const std::vector<papillon::index_t> cols{0};
  const auto hidden = pd::make_mcar_mask(all, cols, {.rate = 0.2, .seed = 4});
  pi::mice_imputer mice({.iterations = 3, .imputations = 1, .method = pi::mice_method::pmm});
  const Eigen::MatrixXd out = mice.fit_transform(x, !hidden);
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    if (hidden(i, 0)) CHECK(out(i, 0) == std::round(out(i, 0)));
}

TEST_CASE("mice_imputer: bad settings are rejected", "[impute][mice]") {
  CHECK_THROWS_AS(pi::mice_imputer({.iterations = 0}), papillon::data_error);
  CHECK_THROWS_AS(pi::mice_imputer({.ridge = -1}), papillon::data_error);
}
