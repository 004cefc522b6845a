#include <papillon/data/standardizer.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>

#include <cmath>
#include <vector>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
namespace pd = papillon::data;

TEST_CASE("standardizer: z-scores use observed cells only and invert exactly",
          "[data][standardizer]") {
  Eigen::MatrixXd x(4, 2);
  x << 1, 0, 2, 9, 3, pd::missing_value, 100, 99;  // row 3 is held out below
  pd::cell_mask use = x.array() == x.array();
  use(3, 0) = false;  // a hidden cell: must not move the mean
  pd::standardizer s;
  s.fit(x, use, {{false, true}});
  CHECK_THAT(s.means()(0), WithinAbs(2.0, 1e-12));
  CHECK_THAT(s.sds()(0), WithinAbs(1.0, 1e-12));
  const double m1 = (std::log1p(0.0) + std::log1p(9.0) + std::log1p(99.0)) / 3;
  CHECK_THAT(s.means()(1), WithinAbs(m1, 1e-12));
  const Eigen::MatrixXd z = s.transform(x);
  CHECK_THAT(z(0, 0), WithinAbs(-1.0, 1e-12));
  CHECK(std::isnan(z(2, 1)));
  const Eigen::MatrixXd back = s.inverse_transform(z);
  CHECK_THAT(back(1, 1), WithinAbs(9.0, 1e-12));
  CHECK_THAT(back(3, 0), WithinAbs(100.0, 1e-12));

  SECTION("training rows restrict the fit") {
    const std::vector<papillon::index_t> rows{0, 1};
    pd::standardizer r;
    r.fit(x, use, {}, rows);
    CHECK_THAT(r.means()(0), WithinAbs(1.5, 1e-12));
  }
  SECTION("log1p of a value below -1 is an error") {
    Eigen::MatrixXd bad = x;
    bad(0, 1) = -2;
    CHECK_THROWS_AS(s.transform(bad), papillon::data_error);
  }
  SECTION("an unfitted standardizer refuses to transform") {
    CHECK_THROWS_AS(pd::standardizer{}.transform(x), papillon::data_error);
  }
}
