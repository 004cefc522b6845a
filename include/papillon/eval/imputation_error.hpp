#pragma once

/// @file
/// Imputation error on the hidden (masked) cells only: RMSE and MAE pooled over all scored
/// cells and per column. Naturally missing cells carry no truth and are never in the mask.

#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace papillon::eval {

/// RMSE and MAE of an imputation, pooled and per column.
struct imputation_error {
  /// Root mean squared error over every scored cell (NaN if none).
  double rmse = std::numeric_limits<double>::quiet_NaN();
  /// Mean absolute error over every scored cell (NaN if none).
  double mae = std::numeric_limits<double>::quiet_NaN();
  /// Number of scored cells.
  index_t cells = 0;
  /// RMSE of each column (NaN for a column without scored cells).
  Eigen::VectorXd rmse_per_column;
  /// MAE of each column (NaN for a column without scored cells).
  Eigen::VectorXd mae_per_column;
  /// Scored cells in each column.
  std::vector<index_t> cells_per_column;
};

/// Scores an imputation on the cells where `scored` is true.
/// @param truth the values before masking (rows x columns)
/// @param imputed the completed matrix
/// @param scored true on the hidden cells to score
/// @throws dimension_error on mismatched sizes; data_error if a scored cell is NaN in either
///   matrix (the truth of a scored cell must be known and the imputer must have filled it)
[[nodiscard]] inline imputation_error score_imputation(const Eigen::MatrixXd& truth,
                                                       const Eigen::MatrixXd& imputed,
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

/// Pooled RMSE on the scored cells (see score_imputation()).
[[nodiscard]] inline double rmse(const Eigen::MatrixXd& truth, const Eigen::MatrixXd& imputed,
                                 const data::cell_mask& scored) {
  return score_imputation(truth, imputed, scored).rmse;
}

/// Pooled MAE on the scored cells (see score_imputation()).
[[nodiscard]] inline double mae(const Eigen::MatrixXd& truth, const Eigen::MatrixXd& imputed,
                                const data::cell_mask& scored) {
  return score_imputation(truth, imputed, scored).mae;
}

}  // namespace papillon::eval
