#include <papillon/data/random.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/cross_validation.hpp>

#include <vector>

#include "support/catch.hpp"

namespace pd = papillon::data;
namespace pe = papillon::eval;

TEST_CASE("cross_validation: stratified folds keep the class balance", "[eval][cv]") {
  Eigen::VectorXd y = Eigen::VectorXd::Zero(100);
  y.head(13).setOnes();
  const auto folds = pe::stratified_folds(y, 3, 5);
  std::vector<int> pos(3, 0), all(3, 0);
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const auto f = folds[static_cast<std::size_t>(i)];
    REQUIRE(f < 3);
    all[f] += 1;
    pos[f] += y(i) == 1.0 ? 1 : 0;
  }
  for (int f = 0; f < 3; ++f) {
    CHECK(pos[f] >= 4);
    CHECK(pos[f] <= 5);
    CHECK(all[f] >= 33);
    CHECK(all[f] <= 34);
  }
  CHECK(pe::stratified_folds(y, 3, 5) == folds);
  CHECK(pe::stratified_folds(y, 3, 6) != folds);
  CHECK_THROWS_AS(pe::stratified_folds(y, 1, 0), papillon::data_error);
  CHECK_THROWS_AS(pe::stratified_folds(y, 20, 0), papillon::data_error);  // 13 positives
}

TEST_CASE("cross_validation: an informative feature scores well above chance", "[eval][cv]") {
  pd::rng_type rng(1);
  Eigen::MatrixXd x(600, 2);
  Eigen::VectorXd y(600);
  for (Eigen::Index i = 0; i < 600; ++i) {
    y(i) = i % 4 == 0 ? 1.0 : 0.0;
    x(i, 0) = pd::standard_normal(rng) + 1.5 * y(i);
    x(i, 1) = pd::standard_normal(rng);  // noise
  }
  const auto cv = pe::cross_validate_logistic(x, y, {.folds = 3, .seed = 2});
  REQUIRE(cv.auroc.size() == 3);
  CHECK(cv.converged);
  CHECK(cv.mean_auroc > 0.8);  // population AUROC of a 1.5-sd shift: 0.86
  CHECK(cv.mean_auprc > 0.5);  // base rate 0.25
}
