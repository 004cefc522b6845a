// MICE with Bayesian linear regression per column.

#include <papillon/error.hpp>
#include <papillon/impute/mice_imputer.hpp>

#include <Eigen/Cholesky>  // LLT of the small (features x features) normal equations

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace papillon::impute {

mice_imputer::mice_imputer(const mice_options& options) : m_options(options) {
  if (m_options.iterations == 0 || m_options.imputations == 0 || m_options.donors == 0)
    throw data_error("impute::mice_imputer", "iterations, imputations and donors must be >= 1");
  if (!(m_options.ridge >= 0)) throw data_error("impute::mice_imputer", "ridge must be >= 0");
}

double mice_imputer::fill(const column_model& m, double pred_draw, double pred_hat,
                          data::rng_type& rng) const {
  switch (m_options.method) {
    case mice_method::regression_mean:  // the chain itself moves by posterior draws
    case mice_method::bayesian_draw:
      return pred_draw + m.sigma_draw * data::standard_normal(rng);
    case mice_method::pmm: {
      // The `donors` donors nearest in predicted mean: widen a window around the insertion
      // point of pred_draw in the sorted donor predictions.
      const auto& dp = m.donor_pred;
      const auto k = std::min<std::size_t>(m_options.donors, dp.size());
      std::size_t hi =
          static_cast<std::size_t>(std::lower_bound(dp.begin(), dp.end(), pred_draw) - dp.begin());
      std::size_t lo = hi;  // window [lo, hi)
      while (hi - lo < k) {
        if (lo == 0) {
          ++hi;
        } else if (hi == dp.size()) {
          --lo;
        } else if (pred_draw - dp[lo - 1] <= dp[hi] - pred_draw) {
          --lo;
        } else {
          ++hi;
        }
      }
      return m.donor_value[lo + static_cast<std::size_t>(data::uniform_below(rng, k))];
    }
  }
  static_cast<void>(pred_hat);
  return pred_draw;  // unreachable: every enumerator returns above
}

void mice_imputer::sweep(Eigen::MatrixXd& z, const data::cell_mask& observed, chain& models,
                         bool refit, data::rng_type& rng) const {
  const auto n = z.rows();
  const auto p = z.cols();
  const auto q = p;  // intercept + (p - 1) other columns
  Eigen::MatrixXd design(n, q);
  for (Eigen::Index j = 0; j < p; ++j) {
    const bool has_missing = !observed.col(j).all();
    if (!refit && !has_missing) continue;
    // Design: intercept, then every other column's current completion.
    design.col(0).setOnes();
    for (Eigen::Index f = 0, c = 1; f < p; ++f)
      if (f != j) design.col(c++) = z.col(f);
    auto& m = models[static_cast<std::size_t>(j)];
    if (refit) {
      std::vector<Eigen::Index> rows;
      for (Eigen::Index i = 0; i < n; ++i)
        if (observed(i, j)) rows.push_back(i);
      const auto n_obs = static_cast<Eigen::Index>(rows.size());
      m.usable = n_obs > q + 1;
      if (m.usable) {
        const Eigen::MatrixXd xo = design(rows, Eigen::all);
        const Eigen::VectorXd yo = z(rows, j);
        Eigen::MatrixXd a = xo.transpose() * xo;
        const Eigen::VectorXd diag = a.diagonal();
        a.diagonal() += m_options.ridge * diag;
        a.diagonal().array() += 1e-12;  // a column that is constant zero keeps A invertible
        const Eigen::LLT<Eigen::MatrixXd> llt(a);
        m.beta_hat = llt.solve(xo.transpose() * yo);
        const Eigen::VectorXd resid = yo - xo * m.beta_hat;
        const auto dof = static_cast<std::uint64_t>(n_obs - q);
        m.sigma_draw =
            std::sqrt(resid.squaredNorm() / std::max(data::chi_squared(rng, dof), 1e-12));
        Eigen::VectorXd g(q);
        for (Eigen::Index c = 0; c < q; ++c) g(c) = data::standard_normal(rng);
        // A = U'U, so U^-1 g has covariance A^-1.
        m.beta_draw = m.beta_hat + m.sigma_draw * llt.matrixU().solve(g);
        if (m_options.method == mice_method::pmm) {
          const Eigen::VectorXd pred = xo * m.beta_hat;
          std::vector<std::pair<double, double>> pool(rows.size());
          for (std::size_t r = 0; r < rows.size(); ++r)
            pool[r] = {pred(static_cast<Eigen::Index>(r)), yo(static_cast<Eigen::Index>(r))};
          std::sort(pool.begin(), pool.end());
          m.donor_pred.resize(pool.size());
          m.donor_value.resize(pool.size());
          for (std::size_t r = 0; r < pool.size(); ++r) {
            m.donor_pred[r] = pool[r].first;
            m.donor_value[r] = pool[r].second;
          }
        }
      }
    }
    if (!has_missing) continue;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (observed(i, j)) continue;
      if (!m.usable) {
        z(i, j) = m_means(j);
        continue;
      }
      const double pred_hat = design.row(i).dot(m.beta_hat);
      const double pred_draw = design.row(i).dot(m.beta_draw);
      z(i, j) = fill(m, pred_draw, pred_hat, rng);
    }
  }
}

Eigen::MatrixXd mice_imputer::predict_means(const Eigen::MatrixXd& z,
                                            const data::cell_mask& observed,
                                            const chain& models) const {
  const auto p = z.cols();
  Eigen::MatrixXd out = z;
  Eigen::VectorXd design(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const auto& m = models[static_cast<std::size_t>(j)];
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
      if (observed(i, j)) continue;
      if (!m.usable) {
        out(i, j) = m_means(j);
        continue;
      }
      design(0) = 1.0;
      for (Eigen::Index f = 0, c = 1; f < p; ++f)
        if (f != j) design(c++) = z(i, f);
      out(i, j) = design.dot(m.beta_hat);
    }
  }
  return out;
}

void mice_imputer::fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) {
  const auto p = x.cols();
  m_means = Eigen::VectorXd::Zero(p);
  m_observed_values.assign(static_cast<std::size_t>(p), {});
  for (Eigen::Index j = 0; j < p; ++j) {
    auto& vals = m_observed_values[static_cast<std::size_t>(j)];
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (observed(i, j)) vals.push_back(x(i, j));
    double s = 0;
    for (const double v : vals) s += v;
    if (!vals.empty()) m_means(j) = s / static_cast<double>(vals.size());
  }
  m_chains.assign(m_options.imputations, chain(static_cast<std::size_t>(p)));
  for (index_t c = 0; c < m_options.imputations; ++c) {
    data::rng_type rng(data::derive_seed(m_options.seed, c));
    Eigen::MatrixXd z = x;
    for (Eigen::Index j = 0; j < p; ++j) {
      const auto& vals = m_observed_values[static_cast<std::size_t>(j)];
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        if (!observed(i, j))
          z(i, j) = vals.empty() ? 0.0 : vals[data::uniform_below(rng, vals.size())];
    }
    for (index_t it = 0; it < m_options.iterations; ++it)
      sweep(z, observed, m_chains[c], true, rng);
  }
}

Eigen::MatrixXd mice_imputer::transform_impl(const Eigen::MatrixXd& x,
                                             const data::cell_mask& observed) const {
  const auto p = x.cols();
  Eigen::MatrixXd total = Eigen::MatrixXd::Zero(x.rows(), p);
  for (index_t c = 0; c < m_options.imputations; ++c) {
    // A stream separate from fit()'s, so transform() is deterministic on its own.
    data::rng_type rng(data::derive_seed(m_options.seed, 1'000'003 + c));
    Eigen::MatrixXd z = x;
    for (Eigen::Index j = 0; j < p; ++j) {
      const auto& vals = m_observed_values[static_cast<std::size_t>(j)];
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        if (!observed(i, j))
          z(i, j) = vals.empty() ? 0.0 : vals[data::uniform_below(rng, vals.size())];
    }
    auto models = m_chains[c];  // sweep() takes the chain mutably; it is not refitted here
    for (index_t it = 0; it < m_options.iterations; ++it) sweep(z, observed, models, false, rng);
    if (m_options.method == mice_method::regression_mean) z = predict_means(z, observed, models);
    total += z;
  }
  return total / static_cast<double>(m_options.imputations);
}

}  // namespace papillon::impute
