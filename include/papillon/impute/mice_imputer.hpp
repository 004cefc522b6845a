#pragma once

/// @file
/// Multivariate imputation by chained equations (MICE, van Buuren & Groothuis-Oudshoorn 2011),
/// with a Bayesian linear regression per column.
///
/// fit(): missing cells start as random draws from their column's observed values. Then, for a
/// number of iterations, each column j in turn is regressed on all other columns (current
/// completions) over the rows where j is observed, and its missing cells are redrawn:
///   1. Bayesian ridge regression on standardised predictors: beta ~ N(0, sigma^2 / lambda I),
///      so A = X'X + lambda I and beta_hat = A^-1 X'y. lambda is fixed (`prior_precision`) or,
///      by default, chosen per regression by maximising the evidence (MacKay's empirical Bayes,
///      as scikit-learn's BayesianRidge, the model of its IterativeImputer). On small or wide
///      tables (rows near or below the column count) this keeps the coefficients finite where
///      least squares would blow the chain up.
///   2. Posterior draw (normal-inverse-chi^2 conjugate prior): sigma*^2 = (RSS + lambda
///      |beta_hat|^2) / chi2(n_obs - 1), beta* = beta_hat + sigma* A^{-1/2} z.
///   3. Fill, by the chosen method:
///      - pmm (predictive mean matching): the prediction X beta* of a missing cell is
///        matched to the k donors whose X beta_hat is closest, and a random donor's observed
///        value is taken (van Buuren's "type 1" matching); imputations are always real values.
///      - bayesian_draw ("norm"): X beta* + sigma* * noise.
///      - regression_mean: the chain moves by posterior draws as bayesian_draw, and the output
///        is the posterior mean prediction X beta_hat given the final completion of the other
///        columns. (Filling with X beta_hat *inside* the chain would make imputed columns exact
///        linear functions of each other and inflate the regressions from one sweep to the
///        next, which is why MICE draws.)
/// Every fill is clipped to the range of the column's observed values, so no chain can leave
/// the data's range whatever the regressions do.
///
/// Convergence: the chains sweep in lockstep; after each sweep the mean of every column's
/// imputed cells (averaged over chains, in units of the column's observed sd) is compared with
/// the previous sweep's, and fit() stops early once no column moved more than `tolerance`.
/// convergence() reports the sweeps run, the last change and whether it converged.
///
/// Several independent chains (`imputations`) are run and their completions averaged: the
/// average is the point estimate the benchmark scores. The default, regression_mean, is that
/// pooled conditional mean; pmm and bayesian_draw keep the draws' noise (their average over m
/// chains has about (1 + 1/m) times the conditional variance as squared error), which is what
/// multiple imputation wants for inference but costs RMSE.
///
/// transform() continues each fitted chain on the new data with the last iteration's models
/// (as scikit-learn's IterativeImputer does), so fit() then transform() on the training data is
/// the ordinary MICE result, and new rows can be completed without refitting.

#include <papillon/core/enum_names.hpp>
#include <papillon/core/types.hpp>
#include <papillon/data/random.hpp>
#include <papillon/data/table.hpp>
#include <papillon/impute/imputer.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <string>
#include <vector>

namespace papillon::impute {

/// How MICE fills a missing cell from its column's regression (see the file comment).
enum class mice_method {
  pmm,             ///< predictive mean matching with `donors` candidates (canonical MICE)
  bayesian_draw,   ///< posterior predictive draw (mice's "norm")
  regression_mean  ///< chain by posterior draws, output the posterior mean prediction
};

/// The names of the methods, as options spell them.
inline constexpr enum_table<mice_method, 3> mice_method_names{
    "MICE method",
    {{{mice_method::pmm, "pmm"},
      {mice_method::bayesian_draw, "bayesian-draw"},
      {mice_method::regression_mean, "regression-mean"}}}};
constexpr const auto& enum_names_of(mice_method) noexcept { return mice_method_names; }

/// Settings of mice_imputer.
struct mice_options {
  /// Gibbs iterations (sweeps over all columns) per chain.
  index_t iterations = 10;
  /// Independent chains; their completions are averaged.
  index_t imputations = 5;
  /// Fill method.
  mice_method method = mice_method::regression_mean;
  /// Donor pool size of predictive mean matching.
  index_t donors = 5;
  /// Extra ridge on the normal equations, relative to their diagonal (numerical safety).
  double ridge = 1e-5;
  /// Prior precision lambda of the standardised coefficients (a fixed ridge penalty); 0 (the
  /// default) chooses it per regression by maximising the evidence.
  double prior_precision = 0.0;
  /// Early stop: largest change, in observed-sd units, of a column's mean imputed value between
  /// two sweeps below which the chains count as converged (0: always run every iteration).
  double tolerance = 1e-2;
  /// Seed of the initial draws, posterior draws and donor choices.
  std::uint64_t seed = 0;
};

/// How the last fit() ended (see the file comment).
struct mice_convergence {
  /// Sweeps run by every chain.
  index_t sweeps = 0;
  /// Largest change of a column's mean imputed value over the last sweep, in observed-sd units
  /// (NaN after a single sweep, or without missing cells: nothing to compare).
  double last_change = 0.0;
  /// Whether the change fell below the tolerance before the iterations ran out.
  bool converged = false;
  /// The change after each sweep from the second on.
  std::vector<double> changes{};
};

/// MICE with Bayesian linear regression per column (see the file comment).
class mice_imputer final : public imputer {
 public:
  /// @throws data_error if iterations, imputations or donors is 0, or ridge, prior_precision
  ///   or tolerance is negative or not finite
  explicit mice_imputer(const mice_options& options = {});
  /// "mice".
  [[nodiscard]] std::string name() const override { return "mice"; }
  /// How the last fit() ended.
  [[nodiscard]] const mice_convergence& convergence() const noexcept { return m_convergence; }
  /// "sweeps" and "converged" (1 or 0) of the last fit().
  [[nodiscard]] evaluation_counts evaluations() const override;

 protected:
  void fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) override;
  [[nodiscard]] Eigen::MatrixXd transform_impl(const Eigen::MatrixXd& x,
                                               const data::cell_mask& observed) const override;

 private:
  /// One column's regression in one chain, from the last fitted iteration.
  struct column_model {
    Eigen::VectorXd beta_hat;   // intercept first, then the other columns in order
    Eigen::VectorXd beta_draw;  // posterior draw
    double sigma_draw = 0.0;
    std::vector<double> donor_pred;   // X beta_hat of the donors, sorted
    std::vector<double> donor_value;  // their observed values, in the same order
    bool usable = false;              // false: too few observed cells; fill with the mean
  };
  using chain = std::vector<column_model>;

  /// Runs one chain's Gibbs sweeps on `z` (completed in place). When `refit`, each sweep fits
  /// and stores the models; otherwise it applies the stored ones.
  void sweep(Eigen::MatrixXd& z, const data::cell_mask& observed, chain& models, bool refit,
             data::rng_type& rng) const;
  /// Replaces every missing cell by its posterior mean prediction X beta_hat given the current
  /// completion of the other columns (all cells computed from the same state).
  [[nodiscard]] Eigen::MatrixXd predict_means(const Eigen::MatrixXd& z,
                                              const data::cell_mask& observed,
                                              const chain& models) const;
  [[nodiscard]] double fill(const column_model& m, double pred_draw, double pred_hat,
                            data::rng_type& rng) const;

  mice_options m_options;
  std::vector<chain> m_chains;
  mice_convergence m_convergence;
  index_t m_sweeps = 0;                    // sweeps of the fitted chains, replayed by transform()
  Eigen::VectorXd m_means, m_low, m_high;  // observed mean and range per column
  std::vector<std::vector<double>> m_observed_values;  // per column, for the initial draws
};

}  // namespace papillon::impute
