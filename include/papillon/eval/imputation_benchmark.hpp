#pragma once

/// @file
/// The imputation benchmark driver: for every mask seed, hide a fraction of the observed target
/// cells (MCAR), standardise (log1p + z-score fitted on the cells left visible), fit and apply
/// each imputer, score RMSE/MAE on the hidden cells (z-score and original units), then
/// cross-validate a mortality classifier on the completed data (AUROC, average precision): the
/// L2 logistic regression by default, or XGBoost when papillon was built with it.
/// Results are summarised over seeds (mean, sd, bootstrap interval).
///
/// Protocol choices (docs/imputation.md):
/// - transductive imputation, as in the group's earlier MIMIC-III study: each imputer is fitted
///   on the whole masked data set and completes it; hidden cells never reach the imputer or the
///   scaler, so there is no leakage of scored values;
/// - every method sees the same mask and the same cross-validation folds for a given seed
///   (paired comparison); masks can be saved/loaded to share them between programs;
/// - the downstream classifier uses the completed targets and covariates, with rows whose
///   outcome is missing left out of the classification only; the same classifier scores every
///   method and the reference (unmasked data).

#include <papillon/core/types.hpp>
#include <papillon/data/masking.hpp>
#include <papillon/data/random.hpp>
#include <papillon/data/standardizer.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/cross_validation.hpp>
#include <papillon/eval/imputation_error.hpp>
#include <papillon/eval/logistic_regression.hpp>
#include <papillon/eval/summary.hpp>
#include <papillon/eval/xgboost_classifier.hpp>
#include <papillon/impute/imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>

#include <Eigen/Core>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace papillon::eval {

/// Makes a fresh, unfitted imputer for one run. The argument is the run's mask seed, for
/// imputers with their own randomness (MICE draws, network initialisation, shot noise).
using imputer_maker = std::function<std::unique_ptr<impute::imputer>(std::uint64_t seed)>;

/// A named way of making imputers: one entry per method of the benchmark.
struct imputer_factory {
  /// The method name used in the report.
  std::string name;
  /// Makes the imputer.
  imputer_maker make;
};

/// Settings of run_imputation_benchmark().
struct benchmark_options {
  /// Columns to mask, impute and score (at least one).
  std::vector<std::string> targets{};
  /// Extra columns given to the imputer and the classifier; never masked or scored (their
  /// natural missing cells are imputed). Categorical codes are used as numbers.
  std::vector<std::string> covariates{};
  /// Binary outcome column (0/1) for the downstream classifier; empty = no classification.
  std::string outcome{};
  /// Columns log1p-transformed before the z-score (right-skewed variables).
  std::vector<std::string> log1p_columns{};
  /// Fraction of the observed target cells hidden per seed.
  double mask_rate = 0.3;
  /// One run per seed: mask, imputer seeds and folds derive from it.
  std::vector<std::uint64_t> seeds = {0, 1, 2, 3, 4};
  /// Cross-validation folds of the classifier.
  index_t folds = 3;
  /// The downstream classifier, for the methods and the reference AUROC alike. xgboost needs
  /// papillon built with XGBoost (xgboost_available()).
  downstream_classifier classifier = downstream_classifier::logistic;
  /// The logistic regression's settings.
  logistic_options logistic{};
  /// XGBoost's settings (fixed seed and rounds, one thread; see xgboost_options).
  xgboost_options xgboost{};
  /// Summary (bootstrap) settings.
  summary_options summary{};
  /// If not empty: a directory of masks. The mask of a seed is loaded from
  /// `mask_rate<rate>_seed<seed>.csv` when that file exists, else drawn and saved there.
  std::filesystem::path mask_dir{};
  /// Optional progress messages (method, seed); the library never prints.
  std::function<void(const std::string&)> on_progress{};
};

/// One method on one mask seed.
struct seed_result {
  /// The mask seed.
  std::uint64_t seed = 0;
  /// Error on the hidden cells in z-score units (per column: targets only).
  imputation_error error_z;
  /// Error on the hidden cells in original units.
  imputation_error error_original;
  /// Mean AUROC over folds (NaN without an outcome).
  double auroc = std::numeric_limits<double>::quiet_NaN();
  /// Mean average precision over folds (NaN without an outcome).
  double auprc = std::numeric_limits<double>::quiet_NaN();
  /// Per-fold AUROC.
  std::vector<double> fold_auroc;
  /// Whether every fold's classifier converged.
  bool classifier_converged = true;
  /// Seconds in fit() and transform().
  double impute_seconds = 0.0;
  /// The imputer's training curve (empty for models that do not train by epochs).
  impute::training_curve training{};
};

/// Mean over seeds of one target column's errors.
struct variable_error {
  /// Column name.
  std::string column;
  /// Mean over seeds of the column's RMSE and MAE, z-score units.
  double rmse = 0.0, mae = 0.0;
  /// The same in original units.
  double rmse_original = 0.0, mae_original = 0.0;
};

/// One method over all seeds.
struct method_report {
  /// Method name (from the factory).
  std::string method;
  /// Mask rate and seeds of the benchmark (repeated here so a method report stands alone).
  double mask_rate = 0.0;
  /// The seeds, in run order.
  std::vector<std::uint64_t> seeds;
  /// One entry per seed.
  std::vector<seed_result> runs;
  /// Summaries over seeds: pooled RMSE and MAE in z-score and original units.
  summary_stats rmse, mae, rmse_original, mae_original;
  /// Summaries over seeds of the downstream AUROC and average precision.
  summary_stats auroc, auprc;
  /// Per-target errors, averaged over seeds.
  std::vector<variable_error> per_variable;
  /// Work counters: the imputer's own (summed over seeds) plus "imputer_fits",
  /// "cells_scored" and "classifier_fits".
  impute::evaluation_counts evaluations;
  /// Wall time of this method over all seeds, seconds.
  double wall_seconds = 0.0;
};

/// The whole benchmark.
struct benchmark_report {
  /// Rows of the input table.
  index_t rows = 0;
  /// Targets, covariates and outcome as given.
  std::vector<std::string> targets, covariates;
  /// The outcome column (empty if none).
  std::string outcome{};
  /// Mask rate, seeds and folds as given.
  double mask_rate = 0.0;
  /// The seeds.
  std::vector<std::uint64_t> seeds;
  /// Classifier folds.
  index_t folds = 0;
  /// The downstream classifier that ran (as given in the options).
  downstream_classifier classifier = downstream_classifier::logistic;
  /// Fraction of target cells missing before masking (natural missingness).
  double natural_missing_fraction = 0.0;
  /// Reference AUROC per seed: the classifier on the unmasked data (natural gaps mean-imputed),
  /// same folds. NaN-free only when there is an outcome.
  summary_stats reference_auroc;
  /// One report per method, in factory order.
  std::vector<method_report> methods;
  /// Total wall time, seconds.
  double wall_seconds = 0.0;
};

/// Runs the benchmark (see the file comment).
/// @param data the table; targets, covariates and the outcome are looked up by name
/// @param methods the imputers to compare
/// @throws data_error on unknown columns, an empty target list, a bad rate, an outcome that is
///   not 0/1, a loaded mask that hides a naturally missing or non-target cell, an outcome with
///   classifier xgboost in a build without XGBoost ("built without XGBoost", before any
///   imputer runs), or any error of the imputers and the classifier
[[nodiscard]] benchmark_report run_imputation_benchmark(const data::table& data,
                                                        std::span<const imputer_factory> methods,
                                                        const benchmark_options& options);

/// The file name of a seed's mask in benchmark_options::mask_dir.
[[nodiscard]] inline std::string mask_file_name(double rate, std::uint64_t seed) {
  return "mask_rate" + std::to_string(static_cast<int>(std::lround(rate * 1000))) + "pm_seed" +
         std::to_string(seed) + ".csv";
}

// ---- Definitions --------------------------------------------------------------------------------

inline benchmark_report run_imputation_benchmark(const data::table& data,
                                                 std::span<const imputer_factory> methods,
                                                 const benchmark_options& options) {
  using clock = std::chrono::steady_clock;
  const auto seconds_since = [](clock::time_point t0) {
    return std::chrono::duration<double>(clock::now() - t0).count();
  };
  const auto t_start = clock::now();
  constexpr const char* where = "eval::run_imputation_benchmark";
  if (options.targets.empty()) throw data_error(where, "no target columns");
  if (options.seeds.empty()) throw data_error(where, "no seeds");
  if (methods.empty()) throw data_error(where, "no imputation methods");
  for (const auto& m : methods)
    if (!m.make) throw data_error(where, "imputer factory without a maker", m.name);
  if (!options.outcome.empty() && options.classifier == downstream_classifier::xgboost &&
      !xgboost_available())
    throw data_error(where, "built without XGBoost",
                     "classifier xgboost; install libxgboost-dev and rebuild, or use logistic");

  // Feature table: targets, then covariates.
  std::vector<std::string> features = options.targets;
  features.insert(features.end(), options.covariates.begin(), options.covariates.end());
  const data::table x = data.select(features);  // rejects unknown and repeated names
  const auto n = static_cast<Eigen::Index>(x.rows());
  const auto n_targets = static_cast<Eigen::Index>(options.targets.size());
  const data::cell_mask observed = x.observed();
  std::vector<index_t> target_idx(options.targets.size());
  for (std::size_t k = 0; k < target_idx.size(); ++k) target_idx[k] = k;
  data::standardizer_options scale_options{data::log1p_flags(x, options.log1p_columns)};

  // Outcome: rows with a 0/1 label take part in classification.
  const bool classify = !options.outcome.empty();
  std::vector<Eigen::Index> labelled;
  Eigen::VectorXd y;
  if (classify) {
    const Eigen::VectorXd col = data.column(options.outcome);
    for (Eigen::Index i = 0; i < n; ++i) {
      if (data::is_missing(col(i))) continue;
      if (col(i) != 0.0 && col(i) != 1.0)
        throw data_error(where, "outcome must be 0 or 1",
                         "column '" + options.outcome + "', row " + std::to_string(i));
      labelled.push_back(i);
    }
    y = col(labelled);
  }

  benchmark_report report;
  report.rows = x.rows();
  report.targets = options.targets;
  report.covariates = options.covariates;
  report.outcome = options.outcome;
  report.mask_rate = options.mask_rate;
  report.seeds = options.seeds;
  report.folds = options.folds;
  report.classifier = options.classifier;
  report.natural_missing_fraction =
      1.0 - static_cast<double>(observed.leftCols(n_targets).count()) /
                static_cast<double>(n * n_targets);
  report.methods.resize(methods.size());
  for (std::size_t m = 0; m < methods.size(); ++m) {
    report.methods[m].method = methods[m].name;
    report.methods[m].mask_rate = options.mask_rate;
    report.methods[m].seeds = options.seeds;
  }
  std::vector<double> method_seconds(methods.size(), 0.0);
  std::vector<double> reference;

  const auto cv_options = [&](std::uint64_t seed) {
    return cross_validation_options{.folds = options.folds,
                                    .seed = data::derive_seed(seed, 7),
                                    .logistic = options.logistic,
                                    .classifier = options.classifier,
                                    .xgboost = options.xgboost};
  };

  for (const auto seed : options.seeds) {
    // 1. The mask: loaded, or drawn (and saved when a directory is given).
    data::cell_mask hidden;
    const auto mask_path = options.mask_dir.empty()
                               ? std::filesystem::path()
                               : options.mask_dir / mask_file_name(options.mask_rate, seed);
    if (!mask_path.empty() && std::filesystem::exists(mask_path)) {
      hidden = data::load_mask(mask_path, x.columns(), x.rows());
      data::check_mask(hidden, observed, x.columns());
      if (hidden.rightCols(x.cols() - static_cast<index_t>(n_targets)).any())
        throw data_error(where, "a loaded mask hides a covariate cell", mask_path.string());
    } else {
      hidden = data::make_mcar_mask(observed, target_idx, {options.mask_rate, seed});
      if (!mask_path.empty()) {
        std::filesystem::create_directories(options.mask_dir);
        data::save_mask(mask_path, hidden, x.columns());
      }
    }
    const data::cell_mask visible = observed && !hidden;

    // 2. Scale fitted on the visible cells only; hidden cells are blanked before the imputer.
    data::standardizer scaler;
    scaler.fit(x.values(), visible, scale_options);
    const Eigen::MatrixXd z_truth = scaler.transform(x.values());
    Eigen::MatrixXd z_input = z_truth;
    for (Eigen::Index j = 0; j < z_input.cols(); ++j)
      for (Eigen::Index i = 0; i < n; ++i)
        if (!visible(i, j)) z_input(i, j) = data::missing_value;
    data::cell_mask scored = hidden;
    scored.rightCols(x.cols() - static_cast<index_t>(n_targets)).setConstant(false);

    // Reference classifier on the unmasked data (natural gaps mean-imputed), same folds.
    if (classify) {
      impute::mean_imputer ref;
      const Eigen::MatrixXd completed = ref.fit_transform(z_truth, observed);
      reference.push_back(
          cross_validate(completed(labelled, Eigen::all), y, cv_options(seed)).mean_auroc);
    }

    for (std::size_t m = 0; m < methods.size(); ++m) {
      auto& mr = report.methods[m];
      if (options.on_progress)
        options.on_progress(methods[m].name + ": seed " + std::to_string(seed));
      const auto t_method = clock::now();
      seed_result r;
      r.seed = seed;
      auto model = methods[m].make(seed);
      if (!model) throw data_error(where, "imputer factory returned no imputer", methods[m].name);
      const auto t_impute = clock::now();
      model->fit(z_input, visible);
      const Eigen::MatrixXd z_done = model->transform(z_input, visible);
      r.impute_seconds = seconds_since(t_impute);
      for (const auto& [key, count] : model->evaluations()) mr.evaluations[key] += count;
      r.training = model->history();

      // 3. Errors on the hidden target cells, z-score and original units.
      r.error_z = score_imputation(z_truth.leftCols(n_targets), z_done.leftCols(n_targets),
                                   scored.leftCols(n_targets));
      const Eigen::MatrixXd x_done = scaler.inverse_transform(z_done);
      r.error_original = score_imputation(x.values().leftCols(n_targets),
                                          x_done.leftCols(n_targets), scored.leftCols(n_targets));
      mr.evaluations["imputer_fits"] += 1;
      mr.evaluations["cells_scored"] += r.error_z.cells;

      // 4. Downstream classification on the completed features.
      if (classify) {
        const auto cv = cross_validate(z_done(labelled, Eigen::all), y, cv_options(seed));
        r.auroc = cv.mean_auroc;
        r.auprc = cv.mean_auprc;
        r.fold_auroc = cv.auroc;
        r.classifier_converged = cv.converged;
        mr.evaluations["classifier_fits"] += options.folds;
      }
      mr.runs.push_back(std::move(r));
      method_seconds[m] += seconds_since(t_method);
    }
  }

  // 5. Summaries over seeds.
  const auto collect = [](const std::vector<seed_result>& runs, auto get) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(get(r));
    return v;
  };
  for (std::size_t m = 0; m < methods.size(); ++m) {
    auto& mr = report.methods[m];
    const auto& s = options.summary;
    mr.rmse = summarize(collect(mr.runs, [](const seed_result& r) { return r.error_z.rmse; }), s);
    mr.mae = summarize(collect(mr.runs, [](const seed_result& r) { return r.error_z.mae; }), s);
    mr.rmse_original =
        summarize(collect(mr.runs, [](const seed_result& r) { return r.error_original.rmse; }), s);
    mr.mae_original =
        summarize(collect(mr.runs, [](const seed_result& r) { return r.error_original.mae; }), s);
    if (classify) {
      mr.auroc = summarize(collect(mr.runs, [](const seed_result& r) { return r.auroc; }), s);
      mr.auprc = summarize(collect(mr.runs, [](const seed_result& r) { return r.auprc; }), s);
    }
    for (Eigen::Index j = 0; j < n_targets; ++j) {
      variable_error ve;
      ve.column = options.targets[static_cast<std::size_t>(j)];
      double runs_with_cells = 0;
      for (const auto& r : mr.runs) {
        if (r.error_z.cells_per_column[static_cast<std::size_t>(j)] == 0) continue;
        ve.rmse += r.error_z.rmse_per_column(j);
        ve.mae += r.error_z.mae_per_column(j);
        ve.rmse_original += r.error_original.rmse_per_column(j);
        ve.mae_original += r.error_original.mae_per_column(j);
        runs_with_cells += 1;
      }
      if (runs_with_cells > 0) {
        ve.rmse /= runs_with_cells;
        ve.mae /= runs_with_cells;
        ve.rmse_original /= runs_with_cells;
        ve.mae_original /= runs_with_cells;
      } else {
        ve.rmse = ve.mae = ve.rmse_original = ve.mae_original =
            std::numeric_limits<double>::quiet_NaN();
      }
      mr.per_variable.push_back(std::move(ve));
    }
    mr.wall_seconds = method_seconds[m];
  }
  if (classify) report.reference_auroc = summarize(reference, options.summary);
  report.wall_seconds = seconds_since(t_start);
  return report;
}

}  // namespace papillon::eval
