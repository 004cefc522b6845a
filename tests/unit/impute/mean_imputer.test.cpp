#include <papillon/data/table.hpp>
#include <papillon/error.hpp>
#include <papillon/impute/imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>

#include <cmath>

#include "support/catch.hpp"

namespace pd = papillon::data;
namespace pi = papillon::impute;

TEST_CASE("mean_imputer: fills with the observed column means, exactly", "[impute][mean]") {
  Eigen::MatrixXd x(4, 2);
  x << 1, pd::missing_value, pd::missing_value, 10, 5, 20, 3, 1000;
  pd::cell_mask obs = x.array() == x.array();
  obs(3, 1) = false;  // a hidden cell: its value (1000) must not be used
  pi::mean_imputer m;
  CHECK(m.name() == "mean");
  const Eigen::MatrixXd out = m.fit_transform(x, obs);
  CHECK(out(1, 0) == 3.0);   // (1 + 5 + 3) / 3
  CHECK(out(0, 1) == 15.0);  // (10 + 20) / 2
  CHECK(out(3, 1) == 15.0);
  CHECK(out(2, 0) == 5.0);  // observed cells unchanged

  SECTION("the interface checks its inputs") {
    pi::mean_imputer fresh;
    CHECK_THROWS_AS(fresh.transform(x, obs), papillon::data_error);  // not fitted
    const pd::cell_mask wrong = pd::cell_mask::Constant(3, 2, true);
    CHECK_THROWS_AS(fresh.fit(x, wrong), papillon::dimension_error);
    pd::cell_mask lies = obs;
    lies(0, 1) = true;  // claims a NaN cell is observed
    CHECK_THROWS_AS(fresh.fit(x, lies), papillon::data_error);
    m.fit(x, obs);
    CHECK_THROWS_AS(m.transform(Eigen::MatrixXd::Zero(2, 3), pd::cell_mask::Constant(2, 3, true)),
                    papillon::dimension_error);
  }
  SECTION("impute_table completes a table") {
    const pd::table t({"a", "b"}, x);
    const auto done = pi::impute_table(m, t);
    CHECK(done.missing_fraction() == 0.0);
    CHECK(done(1, 0) == 3.0);
  }
}
