// RMSE and MAE of an imputation on the hidden cells.

#include <papillon/error.hpp>
#include <papillon/eval/imputation_error.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

namespace papillon::eval {

imputation_error score_imputation(const Eigen::MatrixXd& truth, const Eigen::MatrixXd& imputed,
                                  const data::cell_mask& scored) {
  if (truth.rows() != imputed.rows() || truth.cols() != imputed.cols() ||
      scored.rows() != truth.rows() || scored.cols() != truth.cols())
    throw dimension_error("eval::score_imputation", "truth, imputation and mask sizes differ");
  const auto p = truth.cols();
  imputation_error e;
  e.rmse_per_column = Eigen::VectorXd::Constant(p, std::numeric_limits<double>::quiet_NaN());
  e.mae_per_column = e.rmse_per_column;
  e.cells_per_column.assign(static_cast<std::size_t>(p), 0);
  double se = 0, ae = 0;
  for (Eigen::Index j = 0; j < p; ++j) {
    double cse = 0, cae = 0;
    index_t n = 0;
    for (Eigen::Index i = 0; i < truth.rows(); ++i) {
      if (!scored(i, j)) continue;
      if (std::isnan(truth(i, j)) || std::isnan(imputed(i, j)))
        throw data_error("eval::score_imputation", "a scored cell is missing",
                         "row " + std::to_string(i) + ", column " + std::to_string(j) +
                             (std::isnan(truth(i, j)) ? " (truth)" : " (imputed)"));
      const double d = imputed(i, j) - truth(i, j);
      cse += d * d;
      cae += std::abs(d);
      ++n;
    }
    e.cells_per_column[static_cast<std::size_t>(j)] = n;
    if (n > 0) {
      e.rmse_per_column(j) = std::sqrt(cse / static_cast<double>(n));
      e.mae_per_column(j) = cae / static_cast<double>(n);
    }
    se += cse;
    ae += cae;
    e.cells += n;
  }
  if (e.cells > 0) {
    e.rmse = std::sqrt(se / static_cast<double>(e.cells));
    e.mae = ae / static_cast<double>(e.cells);
  }
  return e;
}

double rmse(const Eigen::MatrixXd& truth, const Eigen::MatrixXd& imputed,
            const data::cell_mask& scored) {
  return score_imputation(truth, imputed, scored).rmse;
}

double mae(const Eigen::MatrixXd& truth, const Eigen::MatrixXd& imputed,
           const data::cell_mask& scored) {
  return score_imputation(truth, imputed, scored).mae;
}

}  // namespace papillon::eval
