#include <papillon/error.hpp>
#include <papillon/eval/summary.hpp>

#include <cmath>
#include <vector>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
namespace pe = papillon::eval;

TEST_CASE("summary: mean, sd and a bootstrap interval", "[eval][summary]") {
  const std::vector<double> v{1, 2, 3, 4};
  const auto s = pe::summarize(v, {.bootstrap_resamples = 4000, .seed = 3});
  CHECK(s.n == 4);
  CHECK(s.mean == 2.5);
  CHECK_THAT(s.sd, WithinAbs(std::sqrt(5.0 / 3.0), 1e-15));
  CHECK(s.ci_low < s.mean);
  CHECK(s.ci_high > s.mean);
  CHECK(s.ci_low >= 1.0);
  CHECK(s.ci_high <= 4.0);
  // The bootstrap mean of 4 values has sd ~ 1.118 / 2 = 0.56; a 95 % interval is ~ +-1.1.
  CHECK_THAT(s.ci_high - s.ci_low, WithinAbs(2.1, 0.4));
  const auto again = pe::summarize(v, {.bootstrap_resamples = 4000, .seed = 3});
  CHECK(again.ci_low == s.ci_low);

  SECTION("one value: no spread, no interval") {
    const std::vector<double> one{0.7};
    const auto o = pe::summarize(one);
    CHECK(o.mean == 0.7);
    CHECK(std::isnan(o.sd));
    CHECK(std::isnan(o.ci_low));
  }
  SECTION("quantiles interpolate between order statistics") {
    const std::vector<double> sorted{10, 20, 30, 40, 50};
    CHECK(pe::quantile_sorted(sorted, 0.5) == 30);
    CHECK(pe::quantile_sorted(sorted, 0.1) == 14);
    CHECK(pe::quantile_sorted(sorted, 1.0) == 50);
  }
  SECTION("NaN is rejected") {
    const std::vector<double> bad{1, std::nan("")};
    CHECK_THROWS_AS(pe::summarize(bad), papillon::data_error);
  }
}
