// `papillon impute`: the imputation benchmark (docs/cli.md, docs/imputation.md).
// Masks a fraction of the observed target cells per seed, imputes them with each method, scores
// RMSE/MAE on the hidden cells and the downstream mortality AUROC, and prints the JSON report;
// optionally writes it to --report, an HTML report to --html and a completed CSV to --imputed.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/core/text.hpp>
#include <papillon/data/csv.hpp>
#include <papillon/data/standardizer.hpp>
#include <papillon/data/synthetic_icu.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/eval/report_html.hpp>
#include <papillon/eval/report_json.hpp>
#include <papillon/eval/xgboost_classifier.hpp>
#include <papillon/impute/forest_imputer.hpp>
#include <papillon/impute/knn_imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>
#include <papillon/impute/mice_imputer.hpp>
#include <papillon/impute/neural_imputer.hpp>
#include <papillon/ionq/ionq_backend.hpp>
#include <papillon/sim/noise.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "cli/distributed.hpp"
#include "cli/run_ionq.hpp"

namespace papillon::cli {
namespace {

const std::vector<std::string> all_methods = {"mean", "knn",  "mice", "forest",
                                              "mlp",  "wide", "qnn"};

struct impute_cli_options {
  std::string data;
  index_t synthetic = 0;
  std::uint64_t synthetic_seed = 0;
  std::string columns;
  std::string covariates;
  bool covariates_given = false;
  std::string outcome;
  bool outcome_given = false;
  std::string log1p;
  bool log1p_given = false;
  std::string method = "all";
  index_t qubits = 16;
  index_t wide_width = 128;
  double mask_rate = 0.3;
  index_t seeds = 5;
  std::uint64_t first_seed = 0;
  index_t folds = 3;
  std::string classifier{name_of(eval::downstream_classifier::logistic)};
  std::string mask_dir;
  // Neural and hybrid models.
  index_t epochs = 60;
  index_t hardware_epochs = 2;
  index_t copies = 8;
  index_t chunk_size = 0;
  std::string schedule{name_of(train::hybrid_schedule::simulation)};
  std::string readout{name_of(nn::quantum_readout::probabilities)};
  std::uint64_t shots = 1000;
  std::string backend = "sim";
  std::string noise = noise_model{}.name;
  bool infer_on_backend = false;
  ionq_run_options ionq;
  // Classical baselines.
  index_t knn_k = 10;
  index_t mice_iterations = 10;
  index_t mice_imputations = 5;
  impute::forest_options forest{};
  std::string forest_features{name_of(impute::forest_options{}.features)};
  // Outputs.
  std::string report;
  std::string html;
  std::string imputed;
  bool progress = false;
  std::string checkpoint;
};

std::vector<std::string> parse_methods(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& m : split_list(text)) {
    if (m == "all") {
      // Every method of this build: forest needs XGBoost.
      for (const auto& a : all_methods)
        if (std::find(out.begin(), out.end(), a) == out.end() &&
            (a != "forest" || impute::forest_available()))
          out.push_back(a);
      continue;
    }
    if (std::find(all_methods.begin(), all_methods.end(), m) == all_methods.end())
      throw data_error("impute", "unknown method " + quote_input(m),
                       "--method; valid: mean, knn, mice, forest, mlp, wide, qnn, all");
    if (m == "forest" && !impute::forest_available())
      throw data_error("impute", "built without XGBoost",
                       "--method forest; install libxgboost-dev and rebuild papillon, or use "
                       "--method mice");
    if (std::find(out.begin(), out.end(), m) != out.end())
      throw data_error("impute", "method " + quote_input(m) + " given twice", "--method");
    out.push_back(m);
  }
  if (out.empty()) throw data_error("impute", "no method given", "--method");
  return out;
}

// The options a method's settings come from, to name them in its errors.
std::string method_options(const std::string& method, const impute_cli_options& o) {
  const auto n = [](index_t v) { return std::to_string(v); };
  if (method == "knn") return "--knn " + n(o.knn_k);
  if (method == "mice")
    return "--mice-iterations " + n(o.mice_iterations) + ", --mice-imputations " +
           n(o.mice_imputations);
  if (method == "forest")
    return fmt::format(
        "--forest-rounds {}, --forest-depth {}, --forest-learning-rate {}, "
        "--forest-min-child-weight {}, --forest-iterations {}, --forest-tolerance {}",
        o.forest.rounds, o.forest.max_depth, o.forest.learning_rate, o.forest.min_child_weight,
        o.forest.iterations, o.forest.tolerance);
  if (method == "wide") return "--wide-width " + n(o.wide_width);
  if (method == "mlp" || method == "qnn") return "--qubits " + n(o.qubits) + " (" + method + ")";
  return "--method " + method;
}

// The backend of the hybrid model's hardware stages, or nullptr for exact simulation.
std::shared_ptr<backend> make_stage_backend(const impute_cli_options& o) {
  if (o.backend == "ionq") {
    if (o.ionq.dry_run)
      throw data_error("impute", "--dry-run cannot train (training needs results)",
                       "use `papillon run --dry-run` to inspect job payloads");
    return make_ionq_backend(o.ionq, o.noise == "ideal" ? std::string() : o.noise);
  }
  if (o.noise != "ideal" && o.shots == 0)
    throw data_error("impute", "a noisy backend needs shots",
                     "--noise " + o.noise + " with --shots 0");
  simulator_backend_options so;
  so.noise = o.noise;
  return std::make_shared<simulator_backend>(so);
}

eval::imputer_factory make_factory(const std::string& method, const impute_cli_options& o,
                                   const std::shared_ptr<backend>& stage_backend,
                                   bool chunks_over_ranks) {
  if (method == "mean")
    return {method, [](std::uint64_t) { return std::make_unique<impute::mean_imputer>(); }};
  if (method == "knn") {
    const impute::knn_options ko{o.knn_k};
    return {method, [ko](std::uint64_t) { return std::make_unique<impute::knn_imputer>(ko); }};
  }
  if (method == "mice") {
    const index_t it = o.mice_iterations;
    const index_t im = o.mice_imputations;
    return {method, [it, im](std::uint64_t seed) {
              return std::make_unique<impute::mice_imputer>(
                  impute::mice_options{.iterations = it, .imputations = im, .seed = seed});
            }};
  }
  if (method == "forest") {
    impute::forest_options fo = o.forest;
    fo.features = parse_enum<impute::forest_features>(o.forest_features, "impute");
    return {method, [fo](std::uint64_t seed) {
              auto opts = fo;
              opts.seed = seed;
              return std::make_unique<impute::forest_imputer>(opts);
            }};
  }
  impute::neural_imputer_options no;
  if (method == "mlp") no = impute::mlp_imputer_options(o.qubits);
  if (method == "wide") no = impute::wide_imputer_options(o.wide_width);
  if (method == "qnn") {
    no = impute::qnn_imputer_options(o.qubits);
    no.schedule = parse_enum<train::hybrid_schedule>(o.schedule, "impute");
    no.readout = parse_enum<nn::quantum_readout>(o.readout, "impute");
    no.shots = o.shots;
    if (no.schedule != train::hybrid_schedule::simulation) {
      // Stage B starts from RBS(0) = I on the coupling layer (docs/method.md section 4).
      no.init = nn::quantum_init::zero_coupling;
      train::hybrid_schedule_options so;
      so.epochs = o.epochs;
      so.hardware_epochs = o.hardware_epochs;
      so.learning_rate = no.learning_rate;
      so.quantum_learning_rate = no.quantum_learning_rate;
      no.schedule_options = so;
      no.training_backend = stage_backend;
    }
    if (o.infer_on_backend) no.inference_backend = stage_backend;
  }
  no.epochs = o.epochs;
  no.copies = o.copies;
  no.chunk_size = o.chunk_size;
  // Under mpirun the chunks are spread over the ranks (unless the benchmark's units are); the
  // model is the one of a serial run with the same chunk size.
  if (o.chunk_size > 0 && chunks_over_ranks) no.executor = distributed().executor;
  if (o.progress && distributed().is_root()) {
    no.progress = train::progress_mode::lines;
    no.progress_sink = [method](std::string_view line) {
      std::cerr << "  [" << method << "] " << line;
    };
  }
  return {method, [no](std::uint64_t seed) {
            auto opts = no;
            opts.seed = seed;
            return std::make_unique<impute::neural_imputer>(opts);
          }};
}

// The settings hidden in the imputer makers, for the checkpoint's fingerprint (the benchmark
// adds the data hash, the columns, rate, seeds, folds, classifier and methods itself).
std::string imputer_settings(const impute_cli_options& o) {
  const nlohmann::json j = {
      {"qubits", o.qubits},
      {"wide_width", o.wide_width},
      {"epochs", o.epochs},
      {"hardware_epochs", o.hardware_epochs},
      {"copies", o.copies},
      {"chunk_size", o.chunk_size},
      {"schedule", std::string(name_of(parse_enum<train::hybrid_schedule>(o.schedule)))},
      {"readout", std::string(name_of(parse_enum<nn::quantum_readout>(o.readout)))},
      {"shots", o.shots},
      {"backend", o.backend},
      {"noise", o.noise},
      {"infer_on_backend", o.infer_on_backend},
      {"knn", o.knn_k},
      {"mice_iterations", o.mice_iterations},
      {"mice_imputations", o.mice_imputations},
      {"forest",
       {{"rounds", o.forest.rounds},
        {"max_depth", o.forest.max_depth},
        {"learning_rate", o.forest.learning_rate},
        {"min_child_weight", o.forest.min_child_weight},
        {"iterations", o.forest.iterations},
        {"tolerance", o.forest.tolerance},
        {"features", o.forest_features}}}};
  return j.dump();
}

// The human-readable summary on standard error.
void print_table(const eval::benchmark_report& r) {
  const auto num = [](double v, const char* f) {
    return std::isfinite(v) ? fmt::format(fmt::runtime(f), v) : std::string("n/a");
  };
  std::cerr << fmt::format(
      "\n{} rows, {} targets, mask rate {:.0f}%, {} seed(s), {} folds, classifier {}\n", r.rows,
      r.targets.size(), 100.0 * r.mask_rate, r.seeds.size(), r.folds,
      eval::downstream_classifier_name(r.classifier));
  std::cerr << fmt::format("{:<8} {:>16} {:>16} {:>24} {:>9}\n", "method", "RMSE (z)", "MAE (z)",
                           "AUROC [95% CI]", "seconds");
  for (const auto& m : r.methods) {
    const std::string rmse = num(m.rmse.mean, "{:.4f}") + " ± " + num(m.rmse.sd, "{:.4f}");
    const std::string mae = num(m.mae.mean, "{:.4f}") + " ± " + num(m.mae.sd, "{:.4f}");
    const std::string auroc = num(m.auroc.mean, "{:.4f}") + " [" + num(m.auroc.ci_low, "{:.3f}") +
                              ", " + num(m.auroc.ci_high, "{:.3f}") + "]";
    std::cerr << fmt::format("{:<8} {:>16} {:>16} {:>24} {:>9.1f}\n", m.method, rmse, mae, auroc,
                             m.wall_seconds);
  }
  if (!r.outcome.empty())
    std::cerr << fmt::format("reference AUROC on the unmasked data: {}\n",
                             num(r.reference_auroc.mean, "{:.4f}"));
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << '\n';
  if (r.resumed_units > 0)
    std::cerr << fmt::format("{} of {} (method, seed) run(s) loaded from the checkpoint\n",
                             r.resumed_units, r.methods.size() * r.seeds.size());
  std::cerr << fmt::format("total {:.1f} s\n", r.wall_seconds);
}

// Fits one method on every observed cell and writes the completed table in original units.
void write_imputed(const std::string& path, const data::table& input,
                   const eval::benchmark_options& bo, const eval::imputer_factory& f,
                   std::uint64_t seed) {
  std::vector<std::string> features = bo.targets;
  features.insert(features.end(), bo.covariates.begin(), bo.covariates.end());
  const data::table x = input.select(features);
  const data::cell_mask observed = x.observed();
  data::standardizer scaler;
  scaler.fit(x.values(), observed, {data::log1p_flags(x, bo.log1p_columns)});
  auto model = f.make(seed);
  const Eigen::MatrixXd z = scaler.transform(x.values());
  const Eigen::MatrixXd done = scaler.inverse_transform(model->fit_transform(z, observed));
  Eigen::MatrixXd out = input.values();
  for (index_t j = 0; j < x.cols(); ++j) {
    const auto col = static_cast<Eigen::Index>(input.column_index(features[j]));
    for (Eigen::Index i = 0; i < out.rows(); ++i)
      if (!observed(i, static_cast<Eigen::Index>(j)))
        out(i, col) = done(i, static_cast<Eigen::Index>(j));
  }
  if (distributed().is_root()) data::write_csv(path, data::table(input.columns(), out));
}

// The options given, for the HTML report (the API key is never an option, only a file name).
std::string command_line(const CLI::App& sub) {
  std::string out = "papillon impute";
  for (const auto* op : sub.get_options()) {
    if (op->count() == 0 || op->get_lnames().empty()) continue;
    out += " --" + op->get_lnames().front();
    if (op->get_type_size() == 0) continue;  // a flag
    for (const auto& v : op->results())
      out += v.find_first_of(" \t\"'") == std::string::npos ? " " + v : " '" + v + "'";
  }
  return out;
}

command_runner make_impute(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "impute", "Compare imputers on masked clinical data: RMSE, MAE and downstream AUROC");
  auto o = std::make_shared<impute_cli_options>();
  auto* data_opt = sub->add_option("--data", o->data, "CSV file (empty, NA or NaN = missing)");
  auto* syn_opt = sub->add_option("--synthetic", o->synthetic,
                                  fmt::format("Use N rows of the built-in synthetic ICU cohort "
                                              "instead [1..{}]",
                                              limits::synthetic_rows))
                      ->check(bounded(index_t{1}, limits::synthetic_rows));
  data_opt->excludes(syn_opt);
  add_bounded(sub, "--synthetic-seed", o->synthetic_seed, "Seed of the synthetic cohort",
              std::uint64_t{0}, std::numeric_limits<std::uint64_t>::max());
  sub->add_option("--columns", o->columns,
                  "Target columns to mask, impute and score (default: the 14 PhysioNet 2012 "
                  "vitals and labs)");
  sub->add_option("--covariates", o->covariates,
                  "Extra input columns, never scored (synthetic default: Age,Gender,ICUType)")
      ->each([o](const std::string&) { o->covariates_given = true; });
  sub->add_option("--outcome", o->outcome,
                  "Binary outcome column for the AUROC (synthetic default: In-hospital_death; "
                  "'' for none)")
      ->each([o](const std::string&) { o->outcome_given = true; });
  sub->add_option("--log1p", o->log1p,
                  "Columns log1p-transformed before z-scoring (default: the skewed PhysioNet "
                  "variables present)")
      ->each([o](const std::string&) { o->log1p_given = true; });
  std::string method_names;
  for (const auto& m : all_methods) method_names += m + ", ";
  sub->add_option("--method", o->method,
                  with_default(method_names + "a comma list, or all", o->method));
  add_bounded(sub, "--qubits", o->qubits,
              "Central width of qnn (qubits, a power of two) and mlp (neurons)", index_t{1},
              limits::width);
  add_bounded(sub, "--wide-width", o->wide_width, "Hidden width of the wide model", index_t{1},
              limits::width);
  sub->add_option("--mask-rate", o->mask_rate,
                  fmt::format("Fraction of observed target cells hidden, in (0, 1) (default {})",
                              o->mask_rate))
      ->check(bounded(0.0, 1.0));  // the open ends are checked with the data
  add_bounded(sub, "--seeds", o->seeds, "Number of mask seeds", index_t{1}, limits::seeds);
  add_bounded(sub, "--first-seed", o->first_seed, "First mask seed", std::uint64_t{0},
              std::numeric_limits<std::uint64_t>::max() - limits::seeds);
  add_bounded(sub, "--folds", o->folds, "Cross-validation folds of the classifier", index_t{2},
              limits::folds);
  sub->add_option("--classifier", o->classifier,
                  with_default("Downstream mortality classifier: logistic (L2 logistic "
                               "regression) or xgboost (XGBoost, default parameters, 100 rounds, "
                               "1 thread; needs papillon built with XGBoost)",
                               o->classifier))
      ->check(one_of_enum<eval::downstream_classifier>());
  sub->add_option("--mask-dir", o->mask_dir,
                  "Directory of saved masks: loaded when present, else drawn and saved");
  add_bounded(sub, "--epochs", o->epochs,
              "Training epochs of the neural models (hardware schedule: stage A)", index_t{1},
              limits::epochs);
  add_bounded(sub, "--copies", o->copies,
              "Denoising copies of each training row for the neural models; every copy costs "
              "circuits in a hardware stage",
              index_t{1}, limits::copies);
  add_bounded(sub, "--chunk-size", o->chunk_size,
              "Samples per chunk of a neural model's mini-batch (0: none). Chunks are summed in "
              "order, so the model depends on this size and not on the number of MPI ranks; "
              "needed under mpirun with more ranks than (method, seed) units",
              index_t{0}, limits::chunk_size);
  add_bounded(sub, "--hardware-epochs", o->hardware_epochs,
              "Epochs of the hardware stage of the qnn schedule", index_t{1}, limits::epochs);
  sub->add_option(
         "--schedule", o->schedule,
         with_default("qnn training: " + train::hybrid_schedule_names.names_text(", ", " or "),
                      o->schedule))
      ->check(one_of_enum<train::hybrid_schedule>());
  sub->add_option("--readout", o->readout,
                  with_default("qnn readout: " + nn::quantum_readout_names.names_text(", ", " or "),
                               o->readout))
      ->check(one_of_enum<nn::quantum_readout>());
  add_bounded(sub, "--shots", o->shots,
              "Shots per circuit on the hardware-stage backend (0: exact on the simulator)",
              std::uint64_t{0}, limits::shots);
  sub->add_option("--backend", o->backend,
                  with_default("Backend of the hardware stages: sim or ionq", o->backend))
      ->check(CLI::IsMember({"sim", "ionq"}));
  sub->add_option(
      "--noise", o->noise,
      with_default("Noise model of the backend: the simulator's " + noise_preset_names() +
                       "; with --backend ionq, IonQ's cloud simulator models",
                   o->noise));
  sub->add_flag("--infer-on-backend", o->infer_on_backend,
                "Run the trained qnn's imputation on the backend too (default: exact)");
  add_ionq_run_options(sub, o->ionq);
  add_bounded(sub, "--knn", o->knn_k, "Neighbours of the kNN imputer", index_t{1}, limits::knn);
  add_bounded(sub, "--mice-iterations", o->mice_iterations, "MICE sweeps per chain", index_t{1},
              limits::mice_iterations);
  add_bounded(sub, "--mice-imputations", o->mice_imputations, "MICE chains averaged", index_t{1},
              limits::mice_imputations);
  add_bounded(sub, "--forest-rounds", o->forest.rounds,
              "Boosted trees per column model of the forest imputer", index_t{1},
              limits::forest_rounds);
  add_bounded(sub, "--forest-depth", o->forest.max_depth, "Tree depth of the forest imputer",
              index_t{1}, limits::forest_depth);
  sub->add_option("--forest-learning-rate", o->forest.learning_rate,
                  fmt::format("Shrinkage of each tree of the forest imputer, in (0, 1] "
                              "(default {})",
                              o->forest.learning_rate))
      ->check(bounded(0.0, 1.0));  // the open end is checked by the imputer
  add_bounded(sub, "--forest-min-child-weight", o->forest.min_child_weight,
              "Least rows in a leaf of the forest imputer's trees", 0.0, 1e9);
  sub->add_option("--forest-features", o->forest_features,
                  with_default("How the forest imputer's column models see the other columns' "
                               "missing cells: chained (their current completion, sweep after "
                               "sweep) or native (missing, XGBoost's default branches; one sweep)",
                               o->forest_features))
      ->check(one_of_enum<impute::forest_features>());
  add_bounded(sub, "--forest-iterations", o->forest.iterations, "Most sweeps of the forest imputer",
              index_t{1}, limits::forest_iterations);
  add_bounded(sub, "--forest-tolerance", o->forest.tolerance,
              "Early stop of the forest imputer: largest change of an imputed cell between "
              "sweeps, relative to the largest absolute observed value (0: never stop early)",
              0.0, 1.0);
  sub->add_option("--report", o->report,
                  "Also write the JSON report to this file (written before --html)");
  sub->add_option("--html", o->html, "Write a self-contained HTML report with plots");
  sub->add_option("--imputed", o->imputed,
                  "Write the data with every missing target and covariate filled by the (single) "
                  "method, fitted on all observed cells, in original units");
  sub->add_flag("--progress", o->progress, "Print the neural models' epochs to standard error");
  sub->add_option("--checkpoint", o->checkpoint,
                  "Directory that keeps every finished (method, seed) run and the neural "
                  "models' training; rerunning with the same arguments resumes there");

  return [o, sub] {
    const auto t0 = std::chrono::steady_clock::now();
    const auto& opt = *o;
    // Everything is checked before any work or output, down to "Validation ends".
    if (opt.data.empty() && opt.synthetic == 0)
      throw data_error("impute", "no data", "give --data FILE.csv or --synthetic N (N >= 1)");
    const bool synthetic = opt.data.empty();
    if (!synthetic) check_readable("--data file", opt.data);
    for (const auto& [what, path] :
         {std::pair{"--report file", &opt.report}, std::pair{"--html file", &opt.html},
          std::pair{"--imputed file", &opt.imputed}})
      check_writable(what, *path, path == &opt.html);
    check_distinct({{"--data file", opt.data},
                    {"--report file", opt.report},
                    {"--html file", opt.html},
                    {"--imputed file", opt.imputed},
                    {"--ionq-journal file", opt.ionq.journal}});
    // The options alone first, then the data they are checked against.
    const auto methods = parse_methods(opt.method);
    if (!opt.imputed.empty() && methods.size() != 1)
      throw data_error("impute", "--imputed needs exactly one --method", opt.method);
    if (!opt.mask_dir.empty() && std::filesystem::exists(opt.mask_dir) &&
        !std::filesystem::is_directory(opt.mask_dir))
      throw data_error("impute", "--mask-dir is not a directory", opt.mask_dir);
    if (!opt.checkpoint.empty() && std::filesystem::exists(opt.checkpoint) &&
        !std::filesystem::is_directory(opt.checkpoint))
      throw data_error("impute", "--checkpoint is not a directory", opt.checkpoint);
    // A file's header first: only the columns named below are parsed (text columns elsewhere in
    // the file, such as a care unit or a sex, are never read as numbers).
    std::optional<data::table> cohort;
    if (synthetic)
      cohort = data::make_synthetic_icu({.rows = opt.synthetic, .seed = opt.synthetic_seed});
    const std::vector<std::string> available =
        synthetic ? cohort->columns() : data::read_csv_header(opt.data);
    const auto has = [&](const std::string& c) {
      return std::find(available.begin(), available.end(), c) != available.end();
    };
    const auto column_list = [&] {
      std::string out;
      for (const auto& c : available) out += (out.empty() ? "" : ", ") + c;
      return sanitize_text(out);
    };

    eval::benchmark_options bo;
    bo.targets = opt.columns.empty() ? data::synthetic_icu_targets() : split_list(opt.columns);
    if (opt.covariates_given)
      bo.covariates = split_list(opt.covariates);
    else if (synthetic)
      bo.covariates = {"Age", "Gender", "ICUType"};
    if (opt.outcome_given)
      bo.outcome = opt.outcome;
    else if (synthetic)
      bo.outcome = "In-hospital_death";
    if (opt.log1p_given) {
      bo.log1p_columns = split_list(opt.log1p);
    } else {
      for (const auto& c : data::synthetic_icu_skewed())
        if (std::find(bo.targets.begin(), bo.targets.end(), c) != bo.targets.end() ||
            std::find(bo.covariates.begin(), bo.covariates.end(), c) != bo.covariates.end())
          bo.log1p_columns.push_back(c);
    }
    for (const auto& [name, list] :
         {std::pair{"--columns", &bo.targets}, std::pair{"--covariates", &bo.covariates},
          std::pair{"--log1p", &bo.log1p_columns}})
      for (const auto& c : *list)
        if (!has(c))
          throw data_error("impute", "no column '" + sanitize_text(c, 60) + "' in the data",
                           std::string(name) + "; columns: " + column_list());
    if (!bo.outcome.empty() && !has(bo.outcome))
      throw data_error("impute",
                       "no outcome column '" + sanitize_text(bo.outcome, 60) + "' in the data",
                       "--outcome; columns: " + column_list());
    std::vector<std::string> wanted;  // every column read, each once, in file order
    for (const auto& c : available) {
      const auto listed = [&](const std::vector<std::string>& l) {
        return std::find(l.begin(), l.end(), c) != l.end();
      };
      if ((listed(bo.targets) || listed(bo.covariates) || c == bo.outcome) &&
          std::find(wanted.begin(), wanted.end(), c) == wanted.end())
        wanted.push_back(c);
    }
    const data::table input =
        synthetic ? std::move(*cohort) : data::read_csv(opt.data, {.columns = wanted});
    {
      std::vector<std::string> features = bo.targets;
      features.insert(features.end(), bo.covariates.begin(), bo.covariates.end());
      about_option("--columns and --covariates", [&] { (void)input.select(features); });
    }
    if (!(opt.mask_rate > 0.0 && opt.mask_rate < 1.0))
      throw data_error("impute", "mask rate must be in (0, 1)",
                       "--mask-rate " + fmt::format("{}", opt.mask_rate));
    if (opt.seeds < 1) throw data_error("impute", "at least one seed is needed", "--seeds");
    if (opt.folds < 2) throw data_error("impute", "at least 2 folds are needed", "--folds");
    if (std::set<std::string>(bo.log1p_columns.begin(), bo.log1p_columns.end()).size() !=
        bo.log1p_columns.size())
      throw data_error("impute", "a column is listed twice", "--log1p " + opt.log1p);
    bo.mask_rate = opt.mask_rate;
    bo.seeds.clear();
    for (index_t s = 0; s < opt.seeds; ++s) bo.seeds.push_back(opt.first_seed + s);
    bo.folds = opt.folds;
    bo.classifier = parse_enum<eval::downstream_classifier>(opt.classifier, "impute");
    if (bo.classifier == eval::downstream_classifier::xgboost && !eval::xgboost_available())
      throw data_error("impute", "built without XGBoost",
                       "--classifier xgboost; install libxgboost-dev and rebuild papillon, or use "
                       "--classifier logistic");
    bo.mask_dir = opt.mask_dir;
    bo.source = synthetic ? "synthetic:" + std::to_string(opt.synthetic) : opt.data;
    bo.checkpoint.directory = opt.checkpoint;
    bo.checkpoint.settings = imputer_settings(opt);
    bo.checkpoint.label = "--checkpoint";
    const auto& job = distributed();
    if (job.is_root())
      bo.on_progress = [](const std::string& what) { std::cerr << "impute: " << what << '\n'; };
    if (job.size > 1 && !opt.mask_dir.empty())
      throw data_error("impute", "--mask-dir is not supported under mpirun with more than one rank",
                       "every rank would draw and save the masks; save them with one rank first");
    if (job.size > 1 && !opt.checkpoint.empty())
      throw data_error("impute",
                       "--checkpoint is not supported under mpirun with more than one rank",
                       "every rank would write the same files; resume with one rank");

    const bool needs_backend = std::find(methods.begin(), methods.end(), "qnn") != methods.end() &&
                               (parse_enum<train::hybrid_schedule>(opt.schedule, "impute") !=
                                    train::hybrid_schedule::simulation ||
                                opt.infer_on_backend);
    if (!needs_backend &&
        (sub->get_option("--backend")->count() > 0 || sub->get_option("--noise")->count() > 0))
      throw data_error("impute", "--backend and --noise are used only by qnn's hardware stages",
                       "give --method qnn (or all) with --schedule grow or hardware, or "
                       "--infer-on-backend");
    if (opt.backend != "ionq") {
      check_no_ionq_options(*sub);
      about_option("--noise " + opt.noise, [&] { (void)find_noise_model(opt.noise); });
    }
    // Under mpirun the benchmark's (method, seed) units are spread over the ranks when there are
    // at least as many units as ranks; otherwise the neural models' chunks are, which needs a
    // chunk size. Either way the results are those of one rank.
    const bool spread_units =
        job.size > 1 && methods.size() * bo.seeds.size() >= static_cast<std::size_t>(job.size);
    if (spread_units) bo.executor = job.executor;
    if (job.size > 1 && !spread_units && opt.chunk_size == 0)
      for (const auto& m : methods)
        if (m == "mlp" || m == "wide" || m == "qnn")
          throw data_error("impute",
                           "--chunk-size is needed under mpirun with more ranks than (method, "
                           "seed) units",
                           std::to_string(job.size) + " ranks; method " + m);
    const auto stage_backend = needs_backend ? make_stage_backend(opt) : nullptr;
    std::vector<eval::imputer_factory> factories;
    for (const auto& m : methods)
      factories.push_back(make_factory(m, opt, stage_backend, !spread_units));
    // The imputers' own checks of their settings (a qnn width that is not a power of two...),
    // by building each once; the message names the options it came from.
    for (const auto& f : factories)
      about_option(method_options(f.name, opt), [&] { (void)f.make(bo.seeds.front()); });
    // Validation ends: work and output start here.

    const eval::benchmark_report report = eval::run_imputation_benchmark(input, factories, bo);
    if (job.is_root()) print_table(report);

    nlohmann::json doc;
    if (report.methods.size() == 1) {
      doc = report.methods.front();
    } else {
      doc["methods"] = report.methods;
    }
    doc["format"] = "papillon.impute.v1";
    doc["data"] = {{"source", synthetic ? "synthetic:" + std::to_string(opt.synthetic) : opt.data},
                   {"rows", report.rows},
                   {"targets", report.targets},
                   {"covariates", report.covariates},
                   {"outcome", report.outcome},
                   {"log1p", bo.log1p_columns},
                   {"natural_missing_fraction", report.natural_missing_fraction}};
    doc["folds"] = report.folds;
    doc["warnings"] = report.warnings;
    doc["reference_auroc"] = report.reference_auroc;
    // Canonical names, whatever alias the command line used.
    const std::string schedule(name_of(parse_enum<train::hybrid_schedule>(opt.schedule)));
    const std::string readout(name_of(parse_enum<nn::quantum_readout>(opt.readout)));
    doc["settings"] = {{"schedule", schedule}, {"readout", readout},     {"epochs", opt.epochs},
                       {"qubits", opt.qubits}, {"backend", opt.backend}, {"noise", opt.noise},
                       {"shots", opt.shots}};
    if (opt.chunk_size > 0) doc["settings"]["chunk_size"] = opt.chunk_size;
    // How the hardware stages were mitigated and what they spent.
    if (const auto* ib = dynamic_cast<const ionq::ionq_backend*>(stage_backend.get()))
      doc["settings"]["ionq"] = ionq_report_json(*ib, opt.shots);
    if (job.size > 1) doc["settings"]["ranks"] = job.size;
    doc["settings"]["classifier"] = std::string(name_of(bo.classifier));
    if (std::find(methods.begin(), methods.end(), "forest") != methods.end())
      doc["settings"]["forest"] = {
          {"xgboost", eval::xgboost_version()},
          {"rounds", opt.forest.rounds},
          {"max_depth", opt.forest.max_depth},
          {"learning_rate", opt.forest.learning_rate},
          {"min_child_weight", opt.forest.min_child_weight},
          {"features",
           std::string(name_of(parse_enum<impute::forest_features>(opt.forest_features)))},
          {"iterations", opt.forest.iterations},
          {"tolerance", opt.forest.tolerance},
          {"threads", opt.forest.threads}};
    if (bo.classifier == eval::downstream_classifier::xgboost)
      doc["settings"]["xgboost"] = {{"version", eval::xgboost_version()},
                                    {"rounds", bo.xgboost.rounds},
                                    {"threads", bo.xgboost.threads},
                                    {"seed", bo.xgboost.seed}};

    // The JSON report first: a later output that fails (--imputed, --html) loses nothing.
    doc["wall_seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!opt.report.empty()) write_document(doc, opt.report);
    write_document(doc, "");
    std::cout.flush();
    if (!opt.imputed.empty()) {
      write_imputed(opt.imputed, input, bo, make_factory(methods.front(), opt, stage_backend, true),
                    bo.seeds.front());
      if (job.is_root()) std::cerr << "impute: completed data written to " << opt.imputed << '\n';
    }
    if (!opt.html.empty() && job.is_root()) {
      eval::html_report_options ho;
      ho.command_line = command_line(*sub);
      write_html_report(opt.html, report, ho);
      std::cerr << "impute: HTML report written to " << opt.html << '\n';
    }
    return 0;
  };
}

const register_command impute_command{"impute", &make_impute};

}  // namespace
}  // namespace papillon::cli
