// Per-column log1p and z-score scaling fitted on observed cells.

#include <papillon/data/standardizer.hpp>
#include <papillon/error.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace papillon::data {

std::vector<bool> log1p_flags(const table& t, std::span<const std::string> skewed) {
  std::vector<bool> flags(t.cols(), false);
  for (const auto j : t.column_indices(skewed)) flags[j] = true;
  return flags;
}

void standardizer::fit(const Eigen::MatrixXd& x, const cell_mask& observed,
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

void standardizer::check(Eigen::Index cols, const char* where) const {
  if (!m_fitted) throw data_error(where, "the standardizer is not fitted");
  if (cols != m_mean.size())
    throw dimension_error(where, "column count differs from the fitted one",
                          std::to_string(cols) + " vs " + std::to_string(m_mean.size()));
}

Eigen::MatrixXd standardizer::transform(const Eigen::MatrixXd& x) const {
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

Eigen::MatrixXd standardizer::inverse_transform(const Eigen::MatrixXd& z) const {
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
