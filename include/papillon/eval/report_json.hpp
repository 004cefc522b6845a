#pragma once

/// @file
/// JSON form of the imputation benchmark's results (nlohmann::json ADL serialisers; opt-in, so
/// the other eval headers stay free of nlohmann). A method_report serialises to the document
/// `papillon impute` prints (docs/cli.md):
///
///     {"method", "mask_rate", "seeds",
///      "rmse": {"mean", "sd", "ci": [low, high], "per_seed": [...]}, "mae": {...},
///      "rmse_original": {...}, "mae_original": {...}, "auroc": {...}, "auprc": {...},
///      "per_variable": {"HR": {"rmse", "mae", "rmse_original", "mae_original"}, ...},
///      "evaluations": {...}, "wall_seconds", "runs": [...],
///      "training": [{"seed", "train_loss": [...], "validation_loss": [...], "stage": [...],
///                    "usage"?: [{"circuits", "shots", "ionq_jobs", ...} per epoch]}]}
///
/// RMSE and MAE without a suffix are in z-score units. A value that is not defined (no
/// outcome, a single seed's sd, a non-finite loss) is written as null. "training" holds the
/// per-epoch curves of the seeds whose imputer trains by epochs, and is absent for methods
/// without any (mean, kNN, MICE).

#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/eval/imputation_error.hpp>
#include <papillon/eval/summary.hpp>
#include <papillon/impute/imputer.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

namespace papillon::eval {

namespace detail {

/// A number, or null when it is not finite (JSON has no NaN).
[[nodiscard]] inline nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

/// {"mean", "sd", "ci", "n", "per_seed"} of one metric.
[[nodiscard]] inline nlohmann::json metric_json(const summary_stats& s,
                                                const std::vector<double>& per_seed) {
  nlohmann::json j;
  j["mean"] = number_or_null(s.mean);
  j["sd"] = number_or_null(s.sd);
  j["ci"] = nlohmann::json::array({number_or_null(s.ci_low), number_or_null(s.ci_high)});
  j["n"] = s.n;
  nlohmann::json values = nlohmann::json::array();
  for (const double v : per_seed) values.push_back(number_or_null(v));
  j["per_seed"] = std::move(values);
  return j;
}

/// {"seed", "train_loss", "validation_loss", "stage"} of one seed's training curve, and "usage"
/// (hardware use per epoch) when the curve has it.
[[nodiscard]] inline nlohmann::json training_json(std::uint64_t seed,
                                                  const impute::training_curve& t) {
  const auto numbers = [](const std::vector<double>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const double x : v) a.push_back(number_or_null(x));
    return a;
  };
  nlohmann::json j = {{"seed", seed},
                      {"train_loss", numbers(t.train_loss)},
                      {"validation_loss", numbers(t.validation_loss)},
                      {"stage", t.stage}};
  if (!t.usage.empty()) j["usage"] = t.usage;
  return j;
}

}  // namespace detail

/// {"mean", "sd", "ci": [low, high], "n"}; undefined values are null.
inline void to_json(nlohmann::json& j, const summary_stats& s) {
  j = detail::metric_json(s, {});
  j.erase("per_seed");
}

/// {"rmse", "mae", "cells", "per_column": [{"rmse", "mae", "cells"}, ...]}.
inline void to_json(nlohmann::json& j, const imputation_error& e) {
  j = {{"rmse", detail::number_or_null(e.rmse)},
       {"mae", detail::number_or_null(e.mae)},
       {"cells", e.cells}};
  nlohmann::json cols = nlohmann::json::array();
  for (Eigen::Index c = 0; c < e.rmse_per_column.size(); ++c)
    cols.push_back({{"rmse", detail::number_or_null(e.rmse_per_column(c))},
                    {"mae", detail::number_or_null(e.mae_per_column(c))},
                    {"cells", e.cells_per_column[static_cast<std::size_t>(c)]}});
  j["per_column"] = std::move(cols);
}

/// One seed's results: {"seed", "rmse", "mae", "rmse_original", "mae_original", "auroc",
/// "auprc", "fold_auroc", "classifier_converged", "impute_seconds"}.
inline void to_json(nlohmann::json& j, const seed_result& r) {
  nlohmann::json folds = nlohmann::json::array();
  for (const double a : r.fold_auroc) folds.push_back(detail::number_or_null(a));
  j = {{"seed", r.seed},
       {"rmse", detail::number_or_null(r.error_z.rmse)},
       {"mae", detail::number_or_null(r.error_z.mae)},
       {"rmse_original", detail::number_or_null(r.error_original.rmse)},
       {"mae_original", detail::number_or_null(r.error_original.mae)},
       {"cells", r.error_z.cells},
       {"auroc", detail::number_or_null(r.auroc)},
       {"auprc", detail::number_or_null(r.auprc)},
       {"fold_auroc", std::move(folds)},
       {"classifier_converged", r.classifier_converged},
       {"impute_seconds", r.impute_seconds}};
}

/// The `papillon impute` report of one method (see the file comment), plus "runs" with every
/// seed's details and, for models trained by epochs, "training" with every seed's curve.
inline void to_json(nlohmann::json& j, const method_report& m) {
  const auto per_seed = [&](auto get) {
    std::vector<double> v;
    for (const auto& r : m.runs) v.push_back(get(r));
    return v;
  };
  j = nlohmann::json::object();
  j["method"] = m.method;
  j["mask_rate"] = m.mask_rate;
  j["seeds"] = m.seeds;
  j["rmse"] =
      detail::metric_json(m.rmse, per_seed([](const seed_result& r) { return r.error_z.rmse; }));
  j["mae"] =
      detail::metric_json(m.mae, per_seed([](const seed_result& r) { return r.error_z.mae; }));
  j["rmse_original"] = detail::metric_json(
      m.rmse_original, per_seed([](const seed_result& r) { return r.error_original.rmse; }));
  j["mae_original"] = detail::metric_json(
      m.mae_original, per_seed([](const seed_result& r) { return r.error_original.mae; }));
  j["auroc"] = detail::metric_json(m.auroc, per_seed([](const seed_result& r) { return r.auroc; }));
  j["auprc"] = detail::metric_json(m.auprc, per_seed([](const seed_result& r) { return r.auprc; }));
  nlohmann::json vars = nlohmann::json::object();
  for (const auto& v : m.per_variable)
    vars[v.column] = {{"rmse", detail::number_or_null(v.rmse)},
                      {"mae", detail::number_or_null(v.mae)},
                      {"rmse_original", detail::number_or_null(v.rmse_original)},
                      {"mae_original", detail::number_or_null(v.mae_original)}};
  j["per_variable"] = std::move(vars);
  j["evaluations"] = nlohmann::json::object();
  for (const auto& [key, count] : m.evaluations) j["evaluations"][key] = count;
  j["wall_seconds"] = m.wall_seconds;
  j["runs"] = m.runs;
  nlohmann::json training = nlohmann::json::array();
  for (const auto& r : m.runs)
    if (!r.training.empty()) training.push_back(detail::training_json(r.seed, r.training));
  if (!training.empty()) j["training"] = std::move(training);
}

/// The whole benchmark: {"rows", "targets", "covariates", "outcome", "mask_rate", "seeds",
/// "folds", "classifier", "natural_missing_fraction", "reference_auroc", "methods": [...],
/// "warnings": [...], "wall_seconds"}. "classifier" is "logistic" or "xgboost".
inline void to_json(nlohmann::json& j, const benchmark_report& b) {
  j = nlohmann::json::object();
  j["rows"] = b.rows;
  j["targets"] = b.targets;
  j["covariates"] = b.covariates;
  j["outcome"] = b.outcome.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.outcome);
  j["mask_rate"] = b.mask_rate;
  j["seeds"] = b.seeds;
  j["folds"] = b.folds;
  j["classifier"] = downstream_classifier_name(b.classifier);
  j["natural_missing_fraction"] = b.natural_missing_fraction;
  j["reference_auroc"] = b.reference_auroc;
  j["methods"] = b.methods;
  j["warnings"] = b.warnings;
  j["wall_seconds"] = b.wall_seconds;
}

}  // namespace papillon::eval
