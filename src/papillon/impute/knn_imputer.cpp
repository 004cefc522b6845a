// k-nearest-neighbour imputation over co-observed features.

#include <papillon/error.hpp>
#include <papillon/impute/knn_imputer.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace papillon::impute {

knn_imputer::knn_imputer(const knn_options& options) : m_options(options) {
  if (m_options.k == 0) throw data_error("impute::knn_imputer", "k must be at least 1");
}

void knn_imputer::fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) {
  const auto p = x.cols();
  m_mean = Eigen::VectorXd::Zero(p);
  m_sd = Eigen::VectorXd::Ones(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    double s = 0, ss = 0;
    Eigen::Index n = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (observed(i, j)) {
        s += x(i, j);
        ++n;
      }
    if (n == 0) continue;
    m_mean(j) = s / static_cast<double>(n);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (observed(i, j)) ss += (x(i, j) - m_mean(j)) * (x(i, j) - m_mean(j));
    if (m_options.standardize && n > 1 && ss > 0)
      m_sd(j) = std::sqrt(ss / static_cast<double>(n - 1));
  }
  if (!m_options.standardize) m_sd.setOnes();
  m_donors = Eigen::MatrixXd::Zero(x.rows(), p);
  for (Eigen::Index j = 0; j < p; ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (observed(i, j))
        m_donors(i, j) = (x(i, j) - (m_options.standardize ? m_mean(j) : 0.0)) / m_sd(j);
  m_donor_observed = observed;
}

Eigen::MatrixXd knn_imputer::transform_impl(const Eigen::MatrixXd& x,
                                            const data::cell_mask& observed) const {
  const auto p = x.cols();
  const auto n_donors = m_donors.rows();
  const double shift_on = m_options.standardize ? 1.0 : 0.0;
  Eigen::MatrixXd out = x;
  std::vector<double> dist(static_cast<std::size_t>(n_donors));
  std::vector<std::pair<double, Eigen::Index>> cand;
  Eigen::VectorXd row(p);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    if (observed.row(i).all()) continue;
    for (Eigen::Index f = 0; f < p; ++f)
      row(f) = observed(i, f) ? (x(i, f) - shift_on * m_mean(f)) / m_sd(f) : 0.0;
    for (Eigen::Index d = 0; d < n_donors; ++d) {
      double s = 0;
      Eigen::Index c = 0;
      for (Eigen::Index f = 0; f < p; ++f)
        if (observed(i, f) && m_donor_observed(d, f)) {
          const double diff = row(f) - m_donors(d, f);
          s += diff * diff;
          ++c;
        }
      dist[static_cast<std::size_t>(d)] = c == 0
                                              ? std::numeric_limits<double>::infinity()
                                              : s * static_cast<double>(p) / static_cast<double>(c);
    }
    for (Eigen::Index j = 0; j < p; ++j) {
      if (observed(i, j)) continue;
      cand.clear();
      for (Eigen::Index d = 0; d < n_donors; ++d)
        if (m_donor_observed(d, j) && std::isfinite(dist[static_cast<std::size_t>(d)]))
          cand.emplace_back(dist[static_cast<std::size_t>(d)], d);
      if (cand.empty()) {
        out(i, j) = m_mean(j);
        continue;
      }
      const auto k = std::min<std::size_t>(m_options.k, cand.size());
      // Ties in distance are broken by donor index, so the result does not depend on the
      // partial sort's internals.
      std::nth_element(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(k - 1), cand.end());
      std::sort(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(k));
      double s = 0;
      for (std::size_t m = 0; m < k; ++m) s += m_donors(cand[m].second, j);
      out(i, j) = (s / static_cast<double>(k)) * m_sd(j) + shift_on * m_mean(j);
    }
  }
  return out;
}

}  // namespace papillon::impute
