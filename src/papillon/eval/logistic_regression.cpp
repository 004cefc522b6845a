// L2-regularised logistic regression by Newton's method.

#include <papillon/error.hpp>
#include <papillon/eval/logistic_regression.hpp>

#include <Eigen/Cholesky>  // LDLT for the Newton step; the Hessian is small (features + 1)

#include <algorithm>
#include <cmath>
#include <string>

namespace papillon::eval {

namespace {

/// log(1 + exp(t)) without overflow.
[[nodiscard]] double log1p_exp(double t) noexcept {
  return t > 0 ? t + std::log1p(std::exp(-t)) : std::log1p(std::exp(t));
}

/// The logistic function without overflow.
[[nodiscard]] double sigmoid(double t) noexcept {
  if (t >= 0) return 1.0 / (1.0 + std::exp(-t));
  const double e = std::exp(t);
  return e / (1.0 + e);
}

}  // namespace

Eigen::VectorXd logistic_model::decision_function(const Eigen::MatrixXd& x) const {
  if (x.cols() != coefficients.size())
    throw dimension_error("eval::logistic_model", "feature count differs from the model",
                          std::to_string(x.cols()) + " vs " + std::to_string(coefficients.size()));
  return (x * coefficients).array() + intercept;
}

Eigen::VectorXd logistic_model::predict_proba(const Eigen::MatrixXd& x) const {
  return decision_function(x).unaryExpr([](double t) { return sigmoid(t); });
}

logistic_model fit_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                            const logistic_options& options) {
  const auto n = x.rows();
  const auto p = x.cols();
  if (y.size() != n)
    throw dimension_error("eval::fit_logistic", "one label per row is needed",
                          std::to_string(y.size()) + " labels, " + std::to_string(n) + " rows");
  if (n < 2) throw data_error("eval::fit_logistic", "at least two rows are needed");
  if (!x.allFinite()) throw data_error("eval::fit_logistic", "features must be finite");
  for (Eigen::Index i = 0; i < n; ++i)
    if (y(i) != 0.0 && y(i) != 1.0)
      throw data_error("eval::fit_logistic", "labels must be 0 or 1",
                       "row " + std::to_string(i) + ": " + std::to_string(y(i)));
  if (!(options.l2 >= 0)) throw data_error("eval::fit_logistic", "l2 must be non-negative");

  // Standardise; a constant column keeps sd 1 (its weight is then driven to 0 by the penalty).
  Eigen::VectorXd mu = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd sd = Eigen::VectorXd::Ones(p);
  if (options.standardize) {
    mu = x.colwise().mean();
    for (Eigen::Index j = 0; j < p; ++j) {
      const double s =
          std::sqrt((x.col(j).array() - mu(j)).square().sum() / static_cast<double>(n));
      if (s > 0) sd(j) = s;
    }
  }
  // Design matrix with the intercept in column 0.
  Eigen::MatrixXd a(n, p + 1);
  a.col(0).setOnes();
  for (Eigen::Index j = 0; j < p; ++j) a.col(j + 1) = (x.col(j).array() - mu(j)) / sd(j);

  const double inv_n = 1.0 / static_cast<double>(n);
  Eigen::VectorXd penalty = Eigen::VectorXd::Constant(p + 1, options.l2);
  penalty(0) = 0.0;
  const auto objective = [&](const Eigen::VectorXd& w) {
    const Eigen::VectorXd eta = a * w;
    double loss = 0;
    for (Eigen::Index i = 0; i < n; ++i) loss += log1p_exp(eta(i)) - y(i) * eta(i);
    return loss * inv_n + 0.5 * (penalty.array() * w.array().square()).sum();
  };

  // Start from the base rate, which is the optimum of the intercept-only model.
  Eigen::VectorXd w = Eigen::VectorXd::Zero(p + 1);
  const double rate = std::clamp(y.mean(), 1e-6, 1 - 1e-6);
  w(0) = std::log(rate / (1 - rate));
  double f = objective(w);
  logistic_model out;
  for (index_t it = 0; it < options.max_iterations; ++it) {
    const Eigen::VectorXd eta = a * w;
    Eigen::VectorXd prob(n), weight(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      prob(i) = sigmoid(eta(i));
      weight(i) = prob(i) * (1 - prob(i));
    }
    const Eigen::VectorXd grad =
        a.transpose() * (prob - y) * inv_n + (penalty.array() * w.array()).matrix();
    out.iterations = it;
    if (grad.cwiseAbs().maxCoeff() < options.tolerance) {
      out.converged = true;
      break;
    }
    Eigen::MatrixXd hess = a.transpose() * weight.asDiagonal() * a * inv_n;
    hess.diagonal() += penalty;
    // A tiny ridge keeps the solve defined when lambda = 0 and the data nearly separate.
    hess.diagonal().array() += 1e-10;
    const Eigen::VectorXd step = hess.ldlt().solve(grad);
    // Backtracking (Armijo): a full Newton step can overshoot far from the optimum.
    double t = 1.0;
    Eigen::VectorXd w_new = w - step;
    double f_new = objective(w_new);
    const double slope = grad.dot(step);
    while (!(f_new <= f - 1e-4 * t * slope) && t > 1e-10) {
      t *= 0.5;
      w_new = w - t * step;
      f_new = objective(w_new);
    }
    if (!(f_new <= f)) {
      // No decrease even for tiny steps: numerically at the optimum.
      out.converged = grad.cwiseAbs().maxCoeff() < std::sqrt(options.tolerance);
      break;
    }
    w = w_new;
    f = f_new;
    out.iterations = it + 1;
  }
  // Back to the original feature scale.
  out.coefficients = w.tail(p).cwiseQuotient(sd);
  out.intercept = w(0) - out.coefficients.dot(mu);
  return out;
}

}  // namespace papillon::eval
