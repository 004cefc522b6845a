// The imputation benchmark driver.

#include <papillon/data/masking.hpp>
#include <papillon/data/random.hpp>
#include <papillon/data/standardizer.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/impute/mean_imputer.hpp>

#include <Eigen/Core>

#include <chrono>
#include <cmath>
#include <cstddef>
#include <utility>

namespace papillon::eval {

std::string mask_file_name(double rate, std::uint64_t seed) {
  return "mask_rate" + std::to_string(static_cast<int>(std::lround(rate * 1000))) + "pm_seed" +
         std::to_string(seed) + ".csv";
}

benchmark_report run_imputation_benchmark(const data::table& data,
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
