#pragma once

/// @file
/// Multivariate imputation by chained equations (MICE, van Buuren & Groothuis-Oudshoorn 2011),
/// with a Bayesian linear regression per column.
///
/// fit(): missing cells start as random draws from their column's observed values. Then, for a
/// number of iterations, each column j in turn is regressed on all other columns (current
/// completions) over the rows where j is observed, and its missing cells are redrawn:
///   1. Ridge-stabilised least squares: A = X'X + ridge * diag(X'X), beta_hat = A^-1 X'y.
///   2. Posterior draw: sigma*^2 = RSS / chi2(n_obs - q), beta* = beta_hat + sigma* A^{-1/2} z.
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
  /// Ridge factor on the normal equations, relative to their diagonal (mice's default).
  double ridge = 1e-5;
  /// Seed of the initial draws, posterior draws and donor choices.
  std::uint64_t seed = 0;
};

/// MICE with Bayesian linear regression per column (see the file comment).
class mice_imputer final : public imputer {
 public:
  /// @throws data_error if iterations, imputations or donors is 0, or ridge is negative
  explicit mice_imputer(const mice_options& options = {});
  /// "mice".
  [[nodiscard]] std::string name() const override { return "mice"; }

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
  Eigen::VectorXd m_means;
  std::vector<std::vector<double>> m_observed_values;  // per column, for the initial draws
};

}  // namespace papillon::impute
