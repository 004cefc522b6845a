#pragma once

/// @file
/// Imputation error on the hidden (masked) cells only: RMSE and MAE pooled over all scored
/// cells and per column. Naturally missing cells carry no truth and are never in the mask.

#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>

#include <Eigen/Core>

#include <limits>
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
[[nodiscard]] imputation_error score_imputation(const Eigen::MatrixXd& truth,
                                                const Eigen::MatrixXd& imputed,
                                                const data::cell_mask& scored);

/// Pooled RMSE on the scored cells (see score_imputation()).
[[nodiscard]] double rmse(const Eigen::MatrixXd& truth, const Eigen::MatrixXd& imputed,
                          const data::cell_mask& scored);

/// Pooled MAE on the scored cells (see score_imputation()).
[[nodiscard]] double mae(const Eigen::MatrixXd& truth, const Eigen::MatrixXd& imputed,
                         const data::cell_mask& scored);

}  // namespace papillon::eval
