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
#include <papillon/data/table.hpp>
#include <papillon/eval/cross_validation.hpp>
#include <papillon/eval/imputation_error.hpp>
#include <papillon/eval/logistic_regression.hpp>
#include <papillon/eval/summary.hpp>
#include <papillon/eval/xgboost_classifier.hpp>
#include <papillon/impute/imputer.hpp>
#include <papillon/train/chunk_executor.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
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

/// Tables with fewer rows are refused: the neural imputers hold out 10 % of the rows for
/// validation, so 10 rows is the least that gives them one (docs/imputation.md, "Degenerate
/// data").
inline constexpr index_t benchmark_min_rows = 10;
/// A target column with fewer observed cells is scored, with a warning in the report.
inline constexpr index_t benchmark_few_observed = 10;

/// Where and how run_imputation_benchmark() keeps finished work (docs/imputation.md,
/// "Checkpoints and resuming").
///
/// Every (method, seed) unit is written to `directory` as it completes, atomically, as
/// `unit-<method index>-<method>-seed<seed>.json`; a neural imputer's trainer checkpoints to
/// `train-<method index>-<method>-seed<seed>.json` beside it while it trains. A rerun with
/// the same directory, data and settings loads the finished units, resumes the unfinished
/// trainer, and returns a report equal to an uninterrupted run's (wall times aside).
/// `run.json` holds the run's fingerprint (data hash and every setting that changes results);
/// a directory written by another run is refused.
struct benchmark_checkpoint_options {
  /// The directory (created if missing). Empty: no checkpoints.
  std::filesystem::path directory{};
  /// Settings that change results but are hidden in the imputer makers (the imputers' own
  /// options); part of the fingerprint.
  std::string settings{};
  /// How errors name the directory (a command-line option, say); empty: "checkpoint".
  std::string label{};
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
  /// Finished work kept on disk and resumed (see benchmark_checkpoint_options).
  benchmark_checkpoint_options checkpoint{};
  /// How refusals name the data (a file name, say); empty: "the data".
  std::string source{};
  /// Where the (method, seed) units run; null or one process: here, in order. With more
  /// processes (mpi::chunk_executor) unit i runs in process i mod size and every process gets
  /// every unit, so every process returns the same report, equal to one process's (wall times
  /// aside). The imputers must then train on their own (no distributed executor of theirs),
  /// and checkpoints and mask directories are refused.
  std::shared_ptr<train::chunk_executor> executor{};
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
  /// What is doubtful about the data or the masks (constant columns, few observed cells, a
  /// seed that hides no cell of a column ...); found before any imputer runs.
  std::vector<std::string> warnings;
  /// (method, seed) units loaded from the checkpoint directory instead of run.
  index_t resumed_units = 0;
  /// Total wall time, seconds.
  double wall_seconds = 0.0;
};

/// Runs the benchmark (see the file comment).
/// @param data the table; targets, covariates and the outcome are looked up by name
/// @param methods the imputers to compare
/// @throws data_error before any imputer runs on unknown columns, an empty target list, a bad
///   rate, degenerate data (fewer than benchmark_min_rows rows, a target or covariate column
///   without an observed value, an outcome class with fewer labelled rows than folds, a mask
///   that hides no cell), a checkpoint directory written by another run, an outcome that is
///   not 0/1, a loaded mask that hides a naturally missing or non-target cell, an outcome with
///   classifier xgboost in a build without XGBoost ("built without XGBoost", before any
///   imputer runs), or any error of the imputers and the classifier
[[nodiscard]] benchmark_report run_imputation_benchmark(const data::table& data,
                                                        std::span<const imputer_factory> methods,
                                                        const benchmark_options& options);

/// The file name of a seed's mask in benchmark_options::mask_dir.
[[nodiscard]] std::string mask_file_name(double rate, std::uint64_t seed);

/// The file name of a finished (method, seed) unit in the checkpoint directory; `method` is
/// the method's index in the factory list, `name` its name (characters other than letters,
/// digits, '-' and '_' become '_').
[[nodiscard]] std::string benchmark_unit_file_name(std::size_t method, const std::string& name,
                                                   std::uint64_t seed);

}  // namespace papillon::eval
