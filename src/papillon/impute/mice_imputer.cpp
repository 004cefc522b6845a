// MICE with Bayesian linear regression per column.

#include <papillon/error.hpp>
#include <papillon/impute/mice_imputer.hpp>

#include <Eigen/Eigenvalues>  // eigenvectors of the small (features x features) normal equations

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace papillon::impute {

namespace {

// A Bayesian ridge regression of centred y on standardised predictors, in the eigenbasis of
// X'X = V diag(e) V': beta(r) = V diag(1 / (e + r)) V'X'y with r = lambda / alpha (prior over
// noise precision). Everything the draws need comes from the same decomposition.
struct ridge_solution {
  Eigen::VectorXd beta;  // standardised coefficients
  double r = 0.0;        // the ridge lambda / alpha
  double rss = 0.0;      // residual sum of squares
};

// The coefficients and RSS for a given r, from b = V'X'y and yy = y'y (O(k), no pass over rows).
void solve_ridge(const Eigen::VectorXd& e, const Eigen::MatrixXd& v, const Eigen::VectorXd& b,
                 double yy, double r, ridge_solution& out) {
  const Eigen::ArrayXd d = e.array() + r;
  out.beta = v * (b.array() / d).matrix();
  out.rss = std::max(0.0, yy - (b.array().square() * (e.array() + 2 * r) / d.square()).sum());
  out.r = r;
}

// Evidence maximisation (MacKay 1992; the fixed point of scikit-learn's BayesianRidge, with its
// vague Gamma(1e-6, 1e-6) hyperpriors on both precisions).
ridge_solution evidence_ridge(const Eigen::VectorXd& e, const Eigen::MatrixXd& v,
                              const Eigen::VectorXd& b, double yy, double n, double floor) {
  constexpr double h = 1e-6;
  double alpha = 1.0 / std::max(yy / n, 1e-12);  // noise precision
  double lambda = 1.0;                           // coefficient precision
  ridge_solution s;
  Eigen::VectorXd previous;
  for (int it = 0; it < 300; ++it) {
    solve_ridge(e, v, b, yy, lambda / alpha + floor, s);
    const double gamma = (alpha * e.array() / (lambda + alpha * e.array())).sum();
    lambda = (gamma + 2 * h) / (s.beta.squaredNorm() + 2 * h);
    alpha = (n - gamma + 2 * h) / (s.rss + 2 * h);
    if (it > 0 && (s.beta - previous).cwiseAbs().sum() < 1e-3) break;
    previous = s.beta;
  }
  solve_ridge(e, v, b, yy, lambda / alpha + floor, s);
  return s;
}

}  // namespace

mice_imputer::mice_imputer(const mice_options& options) : m_options(options) {
  if (m_options.iterations == 0 || m_options.imputations == 0 || m_options.donors == 0)
    throw data_error("impute::mice_imputer", "iterations, imputations and donors must be >= 1");
  for (const auto& [what, v] : {std::pair{"ridge", m_options.ridge},
                                std::pair{"prior_precision", m_options.prior_precision},
                                std::pair{"tolerance", m_options.tolerance}})
    if (!(v >= 0) || !std::isfinite(v))
      throw data_error("impute::mice_imputer", std::string(what) + " must be finite and >= 0");
}

evaluation_counts mice_imputer::evaluations() const {
  return {{"sweeps", static_cast<std::uint64_t>(m_convergence.sweeps)},
          {"converged", m_convergence.converged ? 1U : 0U}};
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
      // The prior keeps the regression defined on few rows; three leave two degrees of
      // freedom for the noise draw.
      m.usable = n_obs >= 3;
      if (m.usable) {
        const Eigen::MatrixXd xo = design(rows, Eigen::all);
        const Eigen::VectorXd yo = z(rows, j);
        const auto k = q - 1;
        const double nn = static_cast<double>(n_obs);
        const Eigen::RowVectorXd mu = xo.rightCols(k).colwise().mean();
        Eigen::MatrixXd xs = xo.rightCols(k).rowwise() - mu;
        Eigen::RowVectorXd sd = (xs.colwise().squaredNorm() / nn).cwiseSqrt();
        for (Eigen::Index c = 0; c < k; ++c)
          if (!(sd(c) > 1e-12)) sd(c) = 1.0;  // a constant predictor stays 0 after centring
        xs.array().rowwise() /= sd.array();
        const double ybar = yo.mean();
        const Eigen::VectorXd yc = yo.array() - ybar;
        Eigen::VectorXd e(k);
        Eigen::MatrixXd v(k, k);
        if (k > 0) {
          const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(xs.transpose() * xs);
          e = eig.eigenvalues().cwiseMax(0.0);
          v = eig.eigenvectors();
        }
        const Eigen::VectorXd bproj = v.transpose() * (xs.transpose() * yc);
        // Standardised columns have X'X diagonal n: the relative ridge is ridge * n.
        const double floor = m_options.ridge * nn + 1e-12;
        ridge_solution sol;
        if (m_options.prior_precision > 0)
          solve_ridge(e, v, bproj, yc.squaredNorm(), m_options.prior_precision + floor, sol);
        else
          sol = evidence_ridge(e, v, bproj, yc.squaredNorm(), nn, floor);
        const auto dof = static_cast<std::uint64_t>(n_obs - 1);
        m.sigma_draw = std::sqrt((sol.rss + sol.r * sol.beta.squaredNorm()) /
                                 std::max(data::chi_squared(rng, dof), 1e-12));
        Eigen::VectorXd g(k);
        for (Eigen::Index c = 0; c < k; ++c) g(c) = data::standard_normal(rng);
        // A = V diag(e + r) V', so V diag(e + r)^-1/2 g has covariance A^-1.
        const Eigen::VectorXd beta_draw =
            sol.beta + m.sigma_draw * v * (g.array() / (e.array() + sol.r).sqrt()).matrix();
        const double intercept_draw = m.sigma_draw * data::standard_normal(rng) / std::sqrt(nn);
        // Back to the raw design: intercept first, slopes divided by the predictors' sd.
        const auto to_raw = [&](const Eigen::VectorXd& bs, double shift) {
          Eigen::VectorXd raw(q);
          raw.tail(k) = bs.array() / sd.transpose().array();
          raw(0) = ybar + shift - mu.dot(raw.tail(k));
          return raw;
        };
        m.beta_hat = to_raw(sol.beta, 0.0);
        m.beta_draw = to_raw(beta_draw, intercept_draw);
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
      z(i, j) = std::clamp(fill(m, pred_draw, pred_hat, rng), m_low(j), m_high(j));
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
      out(i, j) = std::clamp(design.dot(m.beta_hat), m_low(j), m_high(j));
    }
  }
  return out;
}

namespace {

// Each column's mean over its missing cells, per chain state, summed over chains.
Eigen::VectorXd missing_means(const std::vector<Eigen::MatrixXd>& states,
                              const data::cell_mask& observed) {
  const auto p = observed.cols();
  Eigen::VectorXd out = Eigen::VectorXd::Zero(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    const auto missing = static_cast<double>((!observed.col(j).array()).count());
    if (missing == 0) continue;
    for (const auto& z : states)
      for (Eigen::Index i = 0; i < z.rows(); ++i)
        if (!observed(i, j)) out(j) += z(i, j) / missing;
  }
  return out / static_cast<double>(states.size());
}

}  // namespace

void mice_imputer::fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) {
  const auto p = x.cols();
  m_means = Eigen::VectorXd::Zero(p);
  m_low = Eigen::VectorXd::Zero(p);
  m_high = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd sd = Eigen::VectorXd::Ones(p);
  m_observed_values.assign(static_cast<std::size_t>(p), {});
  for (Eigen::Index j = 0; j < p; ++j) {
    auto& vals = m_observed_values[static_cast<std::size_t>(j)];
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (observed(i, j)) vals.push_back(x(i, j));
    if (vals.empty()) continue;
    double s = 0;
    for (const double v : vals) s += v;
    m_means(j) = s / static_cast<double>(vals.size());
    double ss = 0;
    for (const double v : vals) ss += (v - m_means(j)) * (v - m_means(j));
    if (ss > 0) sd(j) = std::sqrt(ss / static_cast<double>(vals.size()));
    const auto [lo, hi] = std::minmax_element(vals.begin(), vals.end());
    m_low(j) = *lo;
    m_high(j) = *hi;
  }
  const auto chains = static_cast<std::size_t>(m_options.imputations);
  m_chains.assign(chains, chain(static_cast<std::size_t>(p)));
  std::vector<data::rng_type> rngs;
  std::vector<Eigen::MatrixXd> states;
  for (std::size_t c = 0; c < chains; ++c) {
    rngs.emplace_back(data::derive_seed(m_options.seed, c));
    Eigen::MatrixXd z = x;
    for (Eigen::Index j = 0; j < p; ++j) {
      const auto& vals = m_observed_values[static_cast<std::size_t>(j)];
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        if (!observed(i, j))
          z(i, j) = vals.empty() ? 0.0 : vals[data::uniform_below(rngs[c], vals.size())];
    }
    states.push_back(std::move(z));
  }
  m_convergence = {};
  m_convergence.last_change = std::numeric_limits<double>::quiet_NaN();
  Eigen::VectorXd before;
  for (index_t it = 0; it < m_options.iterations; ++it) {
    for (std::size_t c = 0; c < chains; ++c) sweep(states[c], observed, m_chains[c], true, rngs[c]);
    m_convergence.sweeps = it + 1;
    const Eigen::VectorXd now = missing_means(states, observed);
    if (it > 0) {
      const double change = ((now - before).array() / sd.array()).abs().maxCoeff();
      m_convergence.changes.push_back(change);
      m_convergence.last_change = change;
      if (change < m_options.tolerance) {
        m_convergence.converged = true;
        break;
      }
    }
    before = now;
  }
  m_sweeps = m_convergence.sweeps;
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
    for (index_t it = 0; it < m_sweeps; ++it) sweep(z, observed, models, false, rng);
    if (m_options.method == mice_method::regression_mean) z = predict_means(z, observed, models);
    total += z;
  }
  return total / static_cast<double>(m_options.imputations);
}

}  // namespace papillon::impute
