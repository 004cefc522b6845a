#include <papillon/data/table.hpp>
#include <papillon/error.hpp>
#include <papillon/impute/knn_imputer.hpp>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
namespace pd = papillon::data;
namespace pi = papillon::impute;

TEST_CASE("knn_imputer: a hand-computed example", "[impute][knn]") {
  // Three features; row 0 misses feature 2. Unstandardised distances to the donors over
  // the co-observed features 0 and 1 (scaled by 3/2):
  //   row 1: (0^2 + 1^2) * 1.5 = 1.5     row 2: (1^2 + 0^2) * 1.5 = 1.5
  //   row 3: (5^2 + 5^2) * 1.5 = 75      row 4 misses feature 1: (0^2) * 3 / 1 = 0
  // but row 4 also misses feature 2, so it is no donor for it.
  const double na = pd::missing_value;
  Eigen::MatrixXd x(5, 3);
  x << 0, 0, na,  //
      0, 1, 10,   //
      1, 0, 20,   //
      5, 5, 100,  //
      0, na, na;
  const pd::cell_mask obs = x.array() == x.array();
  SECTION("k = 2 averages the two nearest donors") {
    pi::knn_imputer knn({.k = 2, .standardize = false});
    const Eigen::MatrixXd out = knn.fit_transform(x, obs);
    CHECK_THAT(out(0, 2), WithinAbs(15.0, 1e-12));
    // Row 4 (feature 1 and 2 missing): only feature 0 is shared. Distances 0 to rows 0, 1;
    // 1 to row 2; 25 to row 3. Feature 1 donors: rows 0, 1 (distance 0) -> (0 + 1) / 2.
    CHECK_THAT(out(4, 1), WithinAbs(0.5, 1e-12));
    // Feature 2 donors: rows 1 (0), 2 (1) -> (10 + 20) / 2.
    CHECK_THAT(out(4, 2), WithinAbs(15.0, 1e-12));
  }
  SECTION("k = 1 with ties takes the lower row index") {
    pi::knn_imputer knn({.k = 1, .standardize = false});
    CHECK_THAT(knn.fit_transform(x, obs)(0, 2), WithinAbs(10.0, 1e-12));
  }
  SECTION("k larger than the donor pool uses every donor") {
    pi::knn_imputer knn({.k = 50, .standardize = false});
    CHECK_THAT(knn.fit_transform(x, obs)(0, 2), WithinAbs((10.0 + 20 + 100) / 3, 1e-12));
  }
  SECTION("standardised distances give results in the original units") {
    pi::knn_imputer knn({.k = 2});
    const Eigen::MatrixXd out = knn.fit_transform(x, obs);
    CHECK(out(0, 2) >= 10.0);
    CHECK(out(0, 2) <= 100.0);
  }
  SECTION("k = 0 is rejected") { CHECK_THROWS_AS(pi::knn_imputer({.k = 0}), papillon::data_error); }
}
