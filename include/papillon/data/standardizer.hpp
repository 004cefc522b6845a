#pragma once

/// @file
/// Per-column feature scaling for imputation: an optional log1p for skewed columns, then a
/// z-score. The means and standard deviations are fitted on observed cells only (and, when
/// asked, on training rows only), so neither naturally missing cells nor cells hidden for
/// scoring leak into the scale. The inverse maps imputed values back to original units.

#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>

#include <Eigen/Core>

#include <span>
#include <string>
#include <vector>

namespace papillon::data {

/// Which columns standardizer::fit() log-transforms.
struct standardizer_options {
  /// One flag per column (true = apply log1p before the z-score); empty = no log transform.
  std::vector<bool> log1p{};
};

/// log1p + z-score per column, fitted on observed cells; NaN (missing) passes through unchanged.
class standardizer {
 public:
  /// An unfitted standardizer.
  standardizer() = default;

  /// Fits the column means and standard deviations.
  /// @param x rows x columns data (NaN = missing)
  /// @param observed cells that may be used for fitting (true = use); a NaN cell is never used
  /// @param options log1p flags (empty, or one per column)
  /// @param rows the rows to fit on (empty = all rows)
  /// @throws dimension_error on mismatched sizes or an out-of-range row
  /// @throws data_error if a log1p column holds a value below -1
  /// @note A column with fewer than two usable cells, or zero spread, gets a standard deviation
  ///   of 1 (and mean 0 if it has no usable cell), so that transform() stays finite.
  void fit(const Eigen::MatrixXd& x, const cell_mask& observed,
           const standardizer_options& options = {}, std::span<const index_t> rows = {});

  /// Maps data to the standardised scale: z = (f(x) - mean) / sd with f = log1p or identity.
  /// @throws data_error if not fitted, or a log1p column holds a value below -1
  /// @throws dimension_error if the column count differs from the fitted one
  [[nodiscard]] Eigen::MatrixXd transform(const Eigen::MatrixXd& x) const;

  /// Maps standardised values back to original units: x = f^-1(z * sd + mean).
  /// @throws data_error if not fitted; dimension_error on a column-count mismatch
  [[nodiscard]] Eigen::MatrixXd inverse_transform(const Eigen::MatrixXd& z) const;

  /// Whether fit() has been called.
  [[nodiscard]] bool fitted() const noexcept { return m_fitted; }
  /// Fitted means, on the log1p scale for log-transformed columns.
  [[nodiscard]] const Eigen::VectorXd& means() const noexcept { return m_mean; }
  /// Fitted standard deviations (sample, n - 1), on the log1p scale where applicable.
  [[nodiscard]] const Eigen::VectorXd& sds() const noexcept { return m_sd; }
  /// The log1p flag of every column.
  [[nodiscard]] const std::vector<bool>& log1p() const noexcept { return m_log1p; }

 private:
  void check(Eigen::Index cols, const char* where) const;
  Eigen::VectorXd m_mean;
  Eigen::VectorXd m_sd;
  std::vector<bool> m_log1p;
  bool m_fitted = false;
};

/// Log1p flags for the columns of `t`: true for the columns named in `skewed`.
/// @throws data_error if a name in `skewed` is not a column of `t`
[[nodiscard]] std::vector<bool> log1p_flags(const table& t, std::span<const std::string> skewed);

}  // namespace papillon::data
