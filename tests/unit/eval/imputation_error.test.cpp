#include <papillon/data/table.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_error.hpp>

#include <cmath>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
namespace pd = papillon::data;
namespace pe = papillon::eval;

TEST_CASE("imputation_error: RMSE and MAE on the scored cells only", "[eval][metrics]") {
  Eigen::MatrixXd truth(2, 2), imputed(2, 2);
  truth << 1, 2, 3, 4;
  imputed << 2, 2, 100, 1;
  pd::cell_mask scored = pd::cell_mask::Constant(2, 2, true);
  scored(1, 0) = false;  // the 100 is not scored
  const auto e = pe::score_imputation(truth, imputed, scored);
  // Errors 1, 0, -3.
  CHECK(e.cells == 3);
  CHECK_THAT(e.rmse, WithinAbs(std::sqrt(10.0 / 3.0), 1e-15));
  CHECK_THAT(e.mae, WithinAbs(4.0 / 3.0, 1e-15));
  CHECK_THAT(e.rmse_per_column(0), WithinAbs(1.0, 1e-15));
  CHECK_THAT(e.rmse_per_column(1), WithinAbs(std::sqrt(4.5), 1e-15));
  CHECK_THAT(e.mae_per_column(1), WithinAbs(1.5, 1e-15));
  CHECK(e.cells_per_column[1] == 2);
  CHECK_THAT(pe::rmse(truth, imputed, scored), WithinAbs(e.rmse, 0));
  CHECK_THAT(pe::mae(truth, imputed, scored), WithinAbs(e.mae, 0));

  SECTION("a column without scored cells has NaN errors") {
    scored.col(0).setConstant(false);
    const auto f = pe::score_imputation(truth, imputed, scored);
    CHECK(std::isnan(f.rmse_per_column(0)));
    CHECK(f.cells_per_column[0] == 0);
  }
  SECTION("a scored cell must be filled") {
    imputed(0, 0) = pd::missing_value;
    CHECK_THROWS_AS(pe::score_imputation(truth, imputed, scored), papillon::data_error);
  }
}
