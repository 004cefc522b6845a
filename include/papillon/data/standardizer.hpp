#pragma once

/// @file
/// Per-column feature scaling for imputation: an optional log1p for skewed columns, then a
/// z-score. The means and standard deviations are fitted on observed cells only (and, when
/// asked, on training rows only), so neither naturally missing cells nor cells hidden for
/// scoring leak into the scale. The inverse maps imputed values back to original units.

#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>

#include <cmath>
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
[[nodiscard]] inline std::vector<bool> log1p_flags(const table& t,
                                                   std::span<const std::string> skewed) {
  std::vector<bool> flags(t.cols(), false);
  for (const auto j : t.column_indices(skewed)) flags[j] = true;
  return flags;
}

// ---- Definitions --------------------------------------------------------------------------------

inline void standardizer::fit(const Eigen::MatrixXd& x, const cell_mask& observed,
                              const standardizer_options& options, std::span<const index_t> rows) {
  const auto p = x.cols();
  if (observed.rows() != x.rows() || observed.cols() != p)
    throw dimension_error("data::standardizer::fit", "mask size differs from the data size");
  if (!options.log1p.empty() && static_cast<Eigen::Index>(options.log1p.size()) != p)
    throw dimension_error(
        "data::standardizer::fit", "one log1p flag per column is needed",
        std::to_string(options.log1p.size()) + " flags, " + std::to_string(p) + " columns");
  std::vector<index_t> all;
  if (rows.empty()) {
    all.resize(static_cast<std::size_t>(x.rows()));
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    rows = all;
  }
  m_log1p =
      options.log1p.empty() ? std::vector<bool>(static_cast<std::size_t>(p), false) : options.log1p;
  m_mean = Eigen::VectorXd::Zero(p);
  m_sd = Eigen::VectorXd::Ones(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const bool lg = m_log1p[static_cast<std::size_t>(j)];
    // Two passes (mean, then squared deviations): stable for large offsets such as Na ~ 140.
    double sum = 0;
    index_t n = 0;
    for (const auto r : rows) {
      if (r >= static_cast<index_t>(x.rows()))
        throw dimension_error("data::standardizer::fit", "row index out of range",
                              std::to_string(r));
      const auto i = static_cast<Eigen::Index>(r);
      if (!observed(i, j) || is_missing(x(i, j))) continue;
      if (lg && x(i, j) < -1.0)
        throw data_error("data::standardizer::fit", "log1p of a value below -1",
                         "row " + std::to_string(r) + ", column " + std::to_string(j));
      sum += lg ? std::log1p(x(i, j)) : x(i, j);
      ++n;
    }
    if (n == 0) continue;
    const double mean = sum / static_cast<double>(n);
    double ss = 0;
    for (const auto r : rows) {
      const auto i = static_cast<Eigen::Index>(r);
      if (!observed(i, j) || is_missing(x(i, j))) continue;
      const double d = (lg ? std::log1p(x(i, j)) : x(i, j)) - mean;
      ss += d * d;
    }
    m_mean(j) = mean;
    if (n >= 2) {
      const double sd = std::sqrt(ss / static_cast<double>(n - 1));
      if (sd > 0 && std::isfinite(sd)) m_sd(j) = sd;
    }
  }
  m_fitted = true;
}

inline void standardizer::check(Eigen::Index cols, const char* where) const {
  if (!m_fitted) throw data_error(where, "the standardizer is not fitted");
  if (cols != m_mean.size())
    throw dimension_error(where, "column count differs from the fitted one",
                          std::to_string(cols) + " vs " + std::to_string(m_mean.size()));
}

inline Eigen::MatrixXd standardizer::transform(const Eigen::MatrixXd& x) const {
  check(x.cols(), "data::standardizer::transform");
  Eigen::MatrixXd z(x.rows(), x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const bool lg = m_log1p[static_cast<std::size_t>(j)];
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      double v = x(i, j);
      if (lg && v < -1.0)
        throw data_error("data::standardizer::transform", "log1p of a value below -1",
                         "row " + std::to_string(i) + ", column " + std::to_string(j));
      if (lg) v = std::log1p(v);
      z(i, j) = (v - m_mean(j)) / m_sd(j);  // NaN stays NaN
    }
  }
  return z;
}

inline Eigen::MatrixXd standardizer::inverse_transform(const Eigen::MatrixXd& z) const {
  check(z.cols(), "data::standardizer::inverse_transform");
  Eigen::MatrixXd x(z.rows(), z.cols());
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    const bool lg = m_log1p[static_cast<std::size_t>(j)];
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      const double v = z(i, j) * m_sd(j) + m_mean(j);
      x(i, j) = lg ? std::expm1(v) : v;
    }
  }
  return x;
}

}  // namespace papillon::data
