#include <papillon/data/random.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/logistic_regression.hpp>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
namespace pd = papillon::data;
namespace pe = papillon::eval;

TEST_CASE("logistic_regression: recovers known coefficients", "[eval][logistic]") {
  // y ~ Bernoulli(sigmoid(-1 + 0.5 x0 - 1 x1 + 2 x2)), x2 on a large scale and offset.
  constexpr Eigen::Index n = 20000;
  pd::rng_type rng(42);
  Eigen::MatrixXd x(n, 3);
  Eigen::VectorXd y(n);
  const Eigen::Vector3d w(0.5, -1.0, 2.0);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = pd::standard_normal(rng);
    x(i, 1) = pd::standard_normal(rng) * 2.0;
    x(i, 2) = 0.1 * pd::standard_normal(rng) + 5.0;  // small spread: a stiff direction
    const double eta = -1.0 + x.row(i).dot(w) - 2.0 * 5.0;
    y(i) = pd::uniform01(rng) < 1.0 / (1.0 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  const auto model = pe::fit_logistic(x, y, {.l2 = 0.0});
  REQUIRE(model.converged);
  CHECK(model.iterations < 30);
  CHECK_THAT(model.coefficients(0), WithinAbs(0.5, 0.06));
  CHECK_THAT(model.coefficients(1), WithinAbs(-1.0, 0.06));
  CHECK_THAT(model.coefficients(2), WithinAbs(2.0, 0.6));  // 0.1 spread: SE ~ 0.25
  CHECK_THAT(model.intercept, WithinAbs(-11.0, 3.0));

  SECTION("standardisation does not change the unpenalised optimum") {
    const auto raw = pe::fit_logistic(x, y, {.l2 = 0.0, .standardize = false});
    REQUIRE(raw.converged);
    CHECK((raw.coefficients - model.coefficients).cwiseAbs().maxCoeff() < 1e-5);
  }
  SECTION("the penalty shrinks the weights") {
    const auto ridge = pe::fit_logistic(x, y, {.l2 = 1.0});
    REQUIRE(ridge.converged);
    CHECK(ridge.coefficients.norm() < model.coefficients.norm());
  }
  SECTION("probabilities are in (0, 1)") {
    const Eigen::VectorXd p = model.predict_proba(x.topRows(100));
    CHECK(p.minCoeff() > 0.0);
    CHECK(p.maxCoeff() < 1.0);
  }
}

TEST_CASE("logistic_regression: separable data converges with a penalty", "[eval][logistic]") {
  Eigen::MatrixXd x(6, 1);
  x << -3, -2, -1, 1, 2, 3;
  Eigen::VectorXd y(6);
  y << 0, 0, 0, 1, 1, 1;
  const auto model = pe::fit_logistic(x, y, {.l2 = 1e-2});
  CHECK(model.converged);
  CHECK(model.coefficients(0) > 0);
  CHECK_THROWS_AS(pe::fit_logistic(x, Eigen::VectorXd::Constant(6, 2.0)), papillon::data_error);
}
