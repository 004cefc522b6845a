// The imputation benchmark driver, its checks of degenerate data, and its checkpoint directory.

#include <papillon/data/masking.hpp>
#include <papillon/data/random.hpp>
#include <papillon/data/standardizer.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/impute/mean_imputer.hpp>
#include <papillon/train/checkpoint.hpp>

#include <Eigen/Core>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <sstream>
#include <utility>

namespace papillon::eval {

namespace {

constexpr const char* where = "eval::run_imputation_benchmark";

// ---- Fingerprints -------------------------------------------------------------------------------

// FNV-1a, 64 bits: a stable hash of the data and the masks (not a security measure).
struct fnv1a {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= c[i];
      h *= 0x100000001b3ULL;
    }
  }
  void u64(std::uint64_t v) { bytes(&v, sizeof v); }
  void text(const std::string& s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
};

std::string hex(std::uint64_t v) { return fmt::format("{:016x}", v); }

std::uint64_t table_hash(const data::table& t) {
  fnv1a f;
  f.u64(static_cast<std::uint64_t>(t.rows()));
  for (const auto& c : t.columns()) f.text(c);
  for (Eigen::Index j = 0; j < t.values().cols(); ++j)
    for (Eigen::Index i = 0; i < t.values().rows(); ++i) {
      const double v = t.values()(i, j);
      // Every missing cell hashes alike, whatever NaN payload the reader produced.
      f.u64(data::is_missing(v) ? 0x7ff8000000000000ULL : std::bit_cast<std::uint64_t>(v));
    }
  return f.h;
}

std::uint64_t mask_hash(const data::cell_mask& m) {
  fnv1a f;
  f.u64(static_cast<std::uint64_t>(m.rows()));
  f.u64(static_cast<std::uint64_t>(m.cols()));
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      const unsigned char b = m(i, j) ? 1 : 0;
      f.bytes(&b, 1);
    }
  return f.h;
}

// Everything that changes a unit's result; the summary settings are left out, since summaries
// are recomputed from the units on every run.
nlohmann::json fingerprint(const data::table& data, std::span<const imputer_factory> methods,
                           const benchmark_options& o) {
  nlohmann::json names = nlohmann::json::array();
  for (const auto& m : methods) names.push_back(m.name);
  return {
      {"data", hex(table_hash(data))},
      {"targets", o.targets},
      {"covariates", o.covariates},
      {"outcome", o.outcome},
      {"log1p", o.log1p_columns},
      {"mask_rate", o.mask_rate},
      {"seeds", o.seeds},
      {"folds", o.folds},
      {"classifier", downstream_classifier_name(o.classifier)},
      {"logistic",
       {o.logistic.l2, o.logistic.standardize, o.logistic.max_iterations, o.logistic.tolerance}},
      {"xgboost", {o.xgboost.rounds, o.xgboost.seed, o.xgboost.threads}},
      {"methods", std::move(names)},
      {"settings", o.checkpoint.settings}};
}

// ---- Units on disk ------------------------------------------------------------------------------

// Doubles round-trip exactly through JSON numbers (shortest representation, parsed back by
// strtod); JSON has no NaN or infinity, so those are written as strings.
nlohmann::json number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

double number_from(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  const auto s = j.get<std::string>();
  if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "inf") return std::numeric_limits<double>::infinity();
  if (s == "-inf") return -std::numeric_limits<double>::infinity();
  throw data_error(where, "not a number in a checkpoint unit", s.substr(0, 40));
}

nlohmann::json numbers(const auto& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const double x : v) a.push_back(number(x));
  return a;
}

std::vector<double> numbers_from(const nlohmann::json& a) {
  std::vector<double> v;
  for (const auto& x : a) v.push_back(number_from(x));
  return v;
}

nlohmann::json error_json(const imputation_error& e) {
  return {{"rmse", number(e.rmse)},
          {"mae", number(e.mae)},
          {"cells", e.cells},
          {"rmse_per_column", numbers(e.rmse_per_column)},
          {"mae_per_column", numbers(e.mae_per_column)},
          {"cells_per_column", e.cells_per_column}};
}

imputation_error error_from(const nlohmann::json& j) {
  imputation_error e;
  e.rmse = number_from(j.at("rmse"));
  e.mae = number_from(j.at("mae"));
  e.cells = j.at("cells").get<index_t>();
  const auto vec = [](const std::vector<double>& v) {
    return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(v.data(), std::ssize(v)));
  };
  e.rmse_per_column = vec(numbers_from(j.at("rmse_per_column")));
  e.mae_per_column = vec(numbers_from(j.at("mae_per_column")));
  e.cells_per_column = j.at("cells_per_column").get<std::vector<index_t>>();
  return e;
}

constexpr const char* unit_format = "papillon.benchmark-unit.v1";
constexpr const char* run_format = "papillon.benchmark-run.v1";

// A finished unit: the seed's result, the unit's work counters and its wall time.
struct unit {
  seed_result result;
  impute::evaluation_counts evaluations;
  double seconds = 0.0;
};

std::string unit_json(const unit& u, const std::string& method, std::uint64_t mask) {
  const auto& r = u.result;
  nlohmann::json j = {{"format", unit_format},
                      {"method", method},
                      {"seed", r.seed},
                      {"mask", hex(mask)},
                      {"error_z", error_json(r.error_z)},
                      {"error_original", error_json(r.error_original)},
                      {"auroc", number(r.auroc)},
                      {"auprc", number(r.auprc)},
                      {"fold_auroc", numbers(r.fold_auroc)},
                      {"classifier_converged", r.classifier_converged},
                      {"impute_seconds", number(r.impute_seconds)},
                      {"training",
                       {{"train_loss", numbers(r.training.train_loss)},
                        {"validation_loss", numbers(r.training.validation_loss)},
                        {"stage", r.training.stage},
                        {"usage", r.training.usage}}},
                      {"evaluations", u.evaluations},
                      {"seconds", number(u.seconds)}};
  return j.dump(1) + "\n";
}

// A unit from its JSON text; `source` names where the text came from in errors.
unit unit_from_text(const std::string& text, const std::string& method, std::uint64_t seed,
                    std::uint64_t mask, const std::string& source) {
  try {
    const auto j = nlohmann::json::parse(text);
    if (j.at("format") != unit_format || j.at("method") != method ||
        j.at("seed").get<std::uint64_t>() != seed)
      throw data_error(where, "a checkpoint unit belongs to another run", source);
    if (j.at("mask") != hex(mask))
      throw data_error(where, "the mask differs from the one the checkpoint was made with",
                       source + "; seed " + std::to_string(seed));
    unit u;
    auto& r = u.result;
    r.seed = seed;
    r.error_z = error_from(j.at("error_z"));
    r.error_original = error_from(j.at("error_original"));
    r.auroc = number_from(j.at("auroc"));
    r.auprc = number_from(j.at("auprc"));
    r.fold_auroc = numbers_from(j.at("fold_auroc"));
    r.classifier_converged = j.at("classifier_converged").get<bool>();
    r.impute_seconds = number_from(j.at("impute_seconds"));
    const auto& t = j.at("training");
    r.training.train_loss = numbers_from(t.at("train_loss"));
    r.training.validation_loss = numbers_from(t.at("validation_loss"));
    r.training.stage = t.at("stage").get<std::vector<std::string>>();
    // Units written before per-epoch usage was recorded have none.
    if (t.contains("usage"))
      r.training.usage = t.at("usage").get<std::vector<impute::evaluation_counts>>();
    u.evaluations = j.at("evaluations").get<impute::evaluation_counts>();
    u.seconds = number_from(j.at("seconds"));
    return u;
  } catch (const nlohmann::json::exception&) {
    throw data_error(where, "a checkpoint unit is not readable", source);
  }
}

unit unit_from(const std::filesystem::path& path, const std::string& method, std::uint64_t seed,
               std::uint64_t mask, const std::string& label) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw data_error(where, "cannot read a checkpoint unit", label + ": " + path.string());
  return unit_from_text(text.str(), method, seed, mask, label + ": " + path.string());
}

// Creates the directory and its run.json, or checks that run.json is this run's.
void open_checkpoint(const benchmark_checkpoint_options& c, const nlohmann::json& print,
                     const std::string& label) {
  const auto file = c.directory / "run.json";
  std::error_code ec;
  std::filesystem::create_directories(c.directory, ec);
  if (ec || !std::filesystem::is_directory(c.directory))
    throw data_error(where, "cannot create the checkpoint directory",
                     label + ": " + c.directory.string());
  if (!std::filesystem::exists(file)) {
    const nlohmann::json run = {{"format", run_format}, {"fingerprint", print}};
    train::write_file_atomically(file, run.dump(1) + "\n");
    return;
  }
  nlohmann::json stored;
  try {
    std::ifstream in(file, std::ios::binary);
    stored = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    throw data_error(where, "the checkpoint directory's run.json is not readable",
                     label + ": " + c.directory.string());
  }
  if (!stored.is_object() || stored.value("format", "") != run_format)
    throw data_error(where, "not a benchmark checkpoint directory",
                     label + ": " + c.directory.string());
  const auto& old = stored.contains("fingerprint") ? stored["fingerprint"] : nlohmann::json();
  for (const auto& [key, value] : print.items())
    if (!old.is_object() || !old.contains(key) || old[key] != value)
      throw data_error(where, "the checkpoint directory holds a run with other data or settings",
                       label + ": " + c.directory.string() + " differs in '" + key +
                           "'; use a new directory or the same arguments");
}

// ---- Degenerate data ----------------------------------------------------------------------------

std::string value_text(double v) { return fmt::format("{:g}", v); }

// Refusals (data_error) and warnings about the data, before any mask is drawn.
std::vector<std::string> check_data(const data::table& x, const data::cell_mask& observed,
                                    std::size_t n_targets, const benchmark_options& o) {
  const std::string source = o.source.empty() ? std::string("the data") : o.source;
  if (x.rows() < benchmark_min_rows)
    throw data_error(where, "too few rows for the benchmark",
                     source + ": " + std::to_string(x.rows()) + " row(s), at least " +
                         std::to_string(benchmark_min_rows) + " are needed");
  std::vector<std::string> warnings;
  for (Eigen::Index j = 0; j < x.values().cols(); ++j) {
    const auto& name = x.columns()[static_cast<std::size_t>(j)];
    const bool target = static_cast<std::size_t>(j) < n_targets;
    const std::string kind = target ? "target column '" : "covariate column '";
    const auto count = static_cast<index_t>(observed.col(j).count());
    if (count == 0)
      throw data_error(
          where, kind + name + "' has no observed value",
          source + ": every one of its " + std::to_string(x.rows()) + " cells is missing");
    double first = 0.0;
    bool constant = true, seen = false;
    for (Eigen::Index i = 0; i < x.values().rows(); ++i) {
      if (!observed(i, j)) continue;
      if (!seen) first = x.values()(i, j);
      constant = constant && x.values()(i, j) == first;
      seen = true;
    }
    if (constant && count >= 2)
      warnings.push_back(kind + name + "' is constant (every observed value is " +
                         value_text(first) +
                         (target ? "): its z-scores are not scaled and its errors say little"
                                 : "): it tells the imputers nothing"));
    if (target && count < benchmark_few_observed)
      warnings.push_back(kind + name + "' has only " + std::to_string(count) +
                         " observed cell(s): its errors rest on very few hidden cells");
  }
  return warnings;
}

// An outcome class with fewer labelled rows than folds cannot be cross-validated.
void check_outcome(const Eigen::VectorXd& y, const benchmark_options& o) {
  const std::string source = o.source.empty() ? std::string("the data") : o.source;
  for (const double c : {0.0, 1.0}) {
    const auto rows = static_cast<index_t>((y.array() == c).count());
    if (rows < o.folds)
      throw data_error(where,
                       "outcome column '" + o.outcome + "' has too few rows of class " +
                           value_text(c) + " for the folds",
                       source + ": " + std::to_string(rows) + " labelled row(s), " +
                           std::to_string(o.folds) + " folds need at least " +
                           std::to_string(o.folds));
  }
}

// Refusals and warnings about one seed's mask.
void check_mask_cells(const data::cell_mask& hidden, const data::cell_mask& observed,
                      std::span<const std::string> targets, std::uint64_t seed,
                      const benchmark_options& o, std::vector<std::string>& warnings) {
  const auto n_targets = static_cast<Eigen::Index>(targets.size());
  if (!hidden.leftCols(n_targets).any())
    throw data_error(where, "the mask hides no target cell, so nothing can be scored",
                     (o.source.empty() ? std::string("the data") : o.source) + ": seed " +
                         std::to_string(seed) + ", mask rate " + value_text(o.mask_rate) + " of " +
                         std::to_string(observed.leftCols(n_targets).count()) +
                         " observed target cell(s)");
  for (Eigen::Index j = 0; j < n_targets; ++j) {
    const auto& name = targets[static_cast<std::size_t>(j)];
    const auto hidden_cells = hidden.col(j).count();
    const auto visible_cells = (observed.col(j) && !hidden.col(j)).count();
    if (hidden_cells == 0)
      warnings.push_back("seed " + std::to_string(seed) + " hides no cell of target column '" +
                         name + "': its per-variable errors leave this seed out");
    if (visible_cells < 2)
      warnings.push_back("seed " + std::to_string(seed) + " leaves " +
                         std::to_string(visible_cells) + " visible cell(s) of target column '" +
                         name + "': its scale cannot be fitted (z-scores in raw units)");
  }
}

std::string file_safe(const std::string& name) {
  std::string out = name.empty() ? std::string("method") : name;
  for (auto& c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) c = '_';
  return out;
}

}  // namespace

std::string mask_file_name(double rate, std::uint64_t seed) {
  return "mask_rate" + std::to_string(static_cast<int>(std::lround(rate * 1000))) + "pm_seed" +
         std::to_string(seed) + ".csv";
}

std::string benchmark_unit_file_name(std::size_t method, const std::string& name,
                                     std::uint64_t seed) {
  return "unit-" + std::to_string(method) + "-" + file_safe(name) + "-seed" + std::to_string(seed) +
         ".json";
}

benchmark_report run_imputation_benchmark(const data::table& data,
                                          std::span<const imputer_factory> methods,
                                          const benchmark_options& options) {
  using clock = std::chrono::steady_clock;
  const auto seconds_since = [](clock::time_point t0) {
    return std::chrono::duration<double>(clock::now() - t0).count();
  };
  const auto t_start = clock::now();
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
  std::vector<std::string> warnings = check_data(x, observed, options.targets.size(), options);

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
    check_outcome(y, options);
  }

  // 1. Every seed's mask, loaded or drawn (and saved when a directory is given), before any
  //    imputer runs, so a mask that cannot be scored is refused up front.
  std::vector<data::cell_mask> masks;
  for (const auto seed : options.seeds) {
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
    }
    check_mask_cells(hidden, observed, options.targets, seed, options, warnings);
    masks.push_back(std::move(hidden));
  }

  // The checkpoint directory: a rerun must be the same run.
  const bool keep = !options.checkpoint.directory.empty();
  const std::string label =
      options.checkpoint.label.empty() ? std::string("checkpoint") : options.checkpoint.label;
  if (options.executor && options.executor->size() > 1 && (keep || !options.mask_dir.empty()))
    throw data_error(where, "checkpoints and mask directories need one process",
                     std::to_string(options.executor->size()) +
                         " processes would write the same files; run with one");
  if (keep) open_checkpoint(options.checkpoint, fingerprint(data, methods, options), label);

  if (!options.mask_dir.empty())
    for (std::size_t s = 0; s < options.seeds.size(); ++s) {
      const auto mask_path = options.mask_dir / mask_file_name(options.mask_rate, options.seeds[s]);
      if (std::filesystem::exists(mask_path)) continue;
      std::filesystem::create_directories(options.mask_dir);
      data::save_mask(mask_path, masks[s], x.columns());
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
  report.warnings = std::move(warnings);
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

  // 2. A seed's data: the scale fitted on the visible cells only; hidden cells are blanked
  //    before the imputer.
  struct seed_data {
    std::uint64_t hidden_hash = 0;
    data::cell_mask visible;
    data::standardizer scaler;
    Eigen::MatrixXd z_truth;
    Eigen::MatrixXd z_input;
    data::cell_mask scored;
  };
  const auto prepare = [&](std::size_t s) {
    seed_data d;
    const data::cell_mask& hidden = masks[s];
    d.hidden_hash = mask_hash(hidden);
    d.visible = observed && !hidden;
    d.scaler.fit(x.values(), d.visible, scale_options);
    d.z_truth = d.scaler.transform(x.values());
    d.z_input = d.z_truth;
    for (Eigen::Index j = 0; j < d.z_input.cols(); ++j)
      for (Eigen::Index i = 0; i < n; ++i)
        if (!d.visible(i, j)) d.z_input(i, j) = data::missing_value;
    d.scored = hidden;
    d.scored.rightCols(x.cols() - static_cast<index_t>(n_targets)).setConstant(false);
    return d;
  };
  // Reference classifier on the unmasked data (natural gaps mean-imputed), same folds.
  const auto add_reference = [&](const seed_data& d, std::uint64_t seed) {
    impute::mean_imputer ref;
    const Eigen::MatrixXd completed = ref.fit_transform(d.z_truth, observed);
    reference.push_back(
        cross_validate(completed(labelled, Eigen::all), y, cv_options(seed)).mean_auroc);
  };
  const auto unit_path_of = [&](std::size_t s, std::size_t m) {
    return keep ? options.checkpoint.directory /
                      benchmark_unit_file_name(m, methods[m].name, options.seeds[s])
                : std::filesystem::path();
  };

  // One (method, seed) unit: fit, impute, score, classify; kept on disk when a path is given.
  const auto run_unit = [&](const seed_data& d, std::size_t s, std::size_t m,
                            const std::filesystem::path& unit_path) {
    const auto seed = options.seeds[s];
    if (options.on_progress)
      options.on_progress(methods[m].name + ": seed " + std::to_string(seed));
    unit u;
    const auto t_method = clock::now();
    seed_result& r = u.result;
    r.seed = seed;
    auto model = methods[m].make(seed);
    if (!model) throw data_error(where, "imputer factory returned no imputer", methods[m].name);
    std::filesystem::path train_path;
    if (!unit_path.empty()) {
      auto name = unit_path.filename().string();
      name.replace(0, 4, "train");  // "unit-..." -> "train-..."
      if (model->use_checkpoint(unit_path.parent_path() / name))
        train_path = unit_path.parent_path() / name;
    }
    const auto t_impute = clock::now();
    model->fit(d.z_input, d.visible);
    const Eigen::MatrixXd z_done = model->transform(d.z_input, d.visible);
    r.impute_seconds = seconds_since(t_impute);
    u.evaluations = model->evaluations();
    r.training = model->history();

    // 3. Errors on the hidden target cells, z-score and original units.
    r.error_z = score_imputation(d.z_truth.leftCols(n_targets), z_done.leftCols(n_targets),
                                 d.scored.leftCols(n_targets));
    const Eigen::MatrixXd x_done = d.scaler.inverse_transform(z_done);
    r.error_original = score_imputation(x.values().leftCols(n_targets), x_done.leftCols(n_targets),
                                        d.scored.leftCols(n_targets));
    u.evaluations["imputer_fits"] += 1;
    u.evaluations["cells_scored"] += r.error_z.cells;

    // 4. Downstream classification on the completed features.
    if (classify) {
      const auto cv = cross_validate(z_done(labelled, Eigen::all), y, cv_options(seed));
      r.auroc = cv.mean_auroc;
      r.auprc = cv.mean_auprc;
      r.fold_auroc = cv.auroc;
      r.classifier_converged = cv.converged;
      u.evaluations["classifier_fits"] += options.folds;
    }
    u.seconds = seconds_since(t_method);
    if (!unit_path.empty()) {
      // The unit first, then its trainer checkpoint: a kill in between loses nothing.
      train::write_file_atomically(unit_path, unit_json(u, methods[m].name, d.hidden_hash));
      if (!train_path.empty()) {
        std::error_code ec;
        std::filesystem::remove(train_path, ec);
      }
    }
    return u;
  };

  const std::size_t n_methods = methods.size();
  std::vector<unit> units(options.seeds.size() * n_methods);
  const auto& exec = options.executor;
  if (!exec || exec->size() == 1) {
    for (std::size_t s = 0; s < options.seeds.size(); ++s) {
      const auto d = prepare(s);
      if (classify) add_reference(d, options.seeds[s]);
      for (std::size_t m = 0; m < n_methods; ++m) {
        const auto unit_path = unit_path_of(s, m);
        if (keep && std::filesystem::exists(unit_path)) {
          if (options.on_progress)
            options.on_progress(methods[m].name + ": seed " + std::to_string(options.seeds[s]) +
                                " (from the checkpoint)");
          units[s * n_methods + m] =
              unit_from(unit_path, methods[m].name, options.seeds[s], d.hidden_hash, label);
          report.resumed_units += 1;
        } else {
          units[s * n_methods + m] = run_unit(d, s, m, unit_path);
        }
      }
    }
  } else {
    // Units spread over the executor's processes: unit i (seed i / methods, method i % methods)
    // runs in one process, and every process reads every unit back from the same JSON text,
    // so every process holds the same report.
    for (std::size_t s = 0; classify && s < options.seeds.size(); ++s)
      add_reference(prepare(s), options.seeds[s]);
    std::size_t cached = options.seeds.size();
    seed_data cache;
    const auto texts = exec->run_text(units.size(), [&](index_t i) {
      const std::size_t s = i / n_methods, m = i % n_methods;
      if (cached != s) {
        cache = prepare(s);
        cached = s;
      }
      return unit_json(run_unit(cache, s, m, {}), methods[m].name, cache.hidden_hash);
    });
    for (std::size_t i = 0; i < units.size(); ++i) {
      const std::size_t s = i / n_methods, m = i % n_methods;
      units[i] = unit_from_text(texts[i], methods[m].name, options.seeds[s], mask_hash(masks[s]),
                                "the unit of process " + std::to_string(i % exec->size()));
    }
  }
  for (std::size_t s = 0; s < options.seeds.size(); ++s)
    for (std::size_t m = 0; m < n_methods; ++m) {
      auto& u = units[s * n_methods + m];
      auto& mr = report.methods[m];
      for (const auto& [key, count] : u.evaluations) mr.evaluations[key] += count;
      mr.runs.push_back(std::move(u.result));
      method_seconds[m] += u.seconds;
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
