#include <papillon/nn/loss.hpp>

#include <cmath>
#include <limits>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using papillon::test::contains_substring;
namespace nn = papillon::nn;

TEST_CASE("nn losses: masked MSE matches hand-computed values", "[nn][loss]") {
  nn::matrix p(2, 2);
  p << 1.0, 2.0, 3.0, 4.0;
  nn::matrix t(2, 2);
  t << 0.0, 2.0, 1.0, 10.0;
  const nn::masked_mse mse;

  SECTION("without a mask every entry counts") {
    const auto r = mse.evaluate(p, t);
    // errors 1, 0, 2, -6: (1 + 0 + 4 + 36) / 4
    REQUIRE(r.value == 41.0 / 4.0);
    REQUIRE(r.count == 4.0);
    REQUIRE(r.gradient == (nn::matrix(2, 2) << 0.5, 0.0, 1.0, -3.0).finished());
  }
  SECTION("the mask selects the entries that count") {
    nn::matrix m(2, 2);
    m << 1.0, 0.0, 1.0, 0.0;
    t(1, 1) = std::numeric_limits<double>::quiet_NaN();  // hidden entries may be anything
    const auto r = mse.evaluate(p, t, m);
    REQUIRE(r.value == 5.0 / 2.0);
    REQUIRE(r.count == 2.0);
    REQUIRE(r.gradient == (nn::matrix(2, 2) << 1.0, 0.0, 2.0, 0.0).finished());
  }
  SECTION("an all-zero mask gives zero loss and gradient") {
    const auto r = mse.evaluate(p, t, nn::matrix::Zero(2, 2));
    REQUIRE(r.value == 0.0);
    REQUIRE(r.count == 0.0);
    REQUIRE(r.gradient.isZero());
  }
}

TEST_CASE("nn losses: BCE with logits matches hand-computed values", "[nn][loss]") {
  const nn::bce_with_logits bce;
  nn::matrix z(1, 3);
  z << 2.0, -1.0, 0.5;
  nn::matrix t(1, 3);
  t << 1.0, 0.25, 0.0;
  const auto r = bce.evaluate(z, t);
  // -t log s(z) - (1 - t) log(1 - s(z)), computed independently.
  const double expected = (0.12692801104297263 + 0.5632616875182228 + 0.9740769841801068) / 3.0;
  REQUIRE_THAT(r.value, WithinRel(expected, 1e-14));
  const auto sig = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  REQUIRE_THAT(r.gradient(0, 0), WithinAbs((sig(2.0) - 1.0) / 3.0, 1e-16));
  REQUIRE_THAT(r.gradient(0, 1), WithinAbs((sig(-1.0) - 0.25) / 3.0, 1e-16));
  REQUIRE_THAT(r.gradient(0, 2), WithinAbs(sig(0.5) / 3.0, 1e-16));

  SECTION("large logits stay finite (the stable form)") {
    nn::matrix big(1, 2);
    big << 1000.0, -1000.0;
    nn::matrix tt(1, 2);
    tt << 0.0, 1.0;
    const auto s = bce.evaluate(big, tt);
    REQUIRE_THAT(s.value, WithinRel(1000.0, 1e-12));
    REQUIRE_THAT(s.gradient(0, 0), WithinAbs(0.5, 1e-15));
    REQUIRE_THAT(s.gradient(0, 1), WithinAbs(-0.5, 1e-15));
  }
  SECTION("targets outside [0, 1] are rejected") {
    nn::matrix bad = t;
    bad(0, 0) = 2.0;
    REQUIRE_THROWS_WITH(bce.evaluate(z, bad), contains_substring("target outside [0, 1]"));
  }
}

TEST_CASE("nn losses: bad inputs give clear errors", "[nn][loss][error]") {
  const nn::masked_mse mse;
  REQUIRE_THROWS_MATCHES(
      mse.evaluate(nn::matrix::Zero(2, 3), nn::matrix::Zero(3, 2)), papillon::dimension_error,
      Catch::Matchers::Message(
          "papillon::nn::masked_mse::evaluate: prediction and target shapes differ (2x3 vs 3x2)"));
  REQUIRE_THROWS_AS(
      mse.evaluate(nn::matrix::Zero(2, 2), nn::matrix::Zero(2, 2), nn::matrix::Ones(2, 3)),
      papillon::dimension_error);
  nn::matrix nan = nn::matrix::Zero(2, 2);
  nan(0, 1) = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_WITH(mse.evaluate(nan, nn::matrix::Zero(2, 2)),
                      contains_substring("non-finite prediction"));
  REQUIRE_THROWS_WITH(mse.evaluate(nn::matrix::Zero(2, 2), nan),
                      contains_substring("non-finite target"));
  REQUIRE_THROWS_WITH(
      mse.evaluate(nn::matrix::Zero(2, 2), nn::matrix::Zero(2, 2), -nn::matrix::Ones(2, 2)),
      contains_substring("non-negative"));
}
