// The benchmark's checkpoint directory (an interrupted run resumes to the same report) and its
// checks of degenerate data (refused, or scored with a warning).

#include <papillon/data/synthetic_icu.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/eval/report_html.hpp>
#include <papillon/eval/report_json.hpp>
#include <papillon/impute/knn_imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>
#include <papillon/impute/neural_imputer.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "support/catch.hpp"

namespace pd = papillon::data;
namespace pe = papillon::eval;
namespace pi = papillon::impute;
using papillon::index_t;
using papillon::test::contains_substring;

namespace {

// Thrown by the tests to stand in for a kill.
struct interrupted : std::runtime_error {
  interrupted() : std::runtime_error("interrupted") {}
};

// mean, kNN and a small MLP; the MLP's progress sink calls `on_epoch` after every epoch.
std::vector<pe::imputer_factory> methods(const std::shared_ptr<std::function<void()>>& on_epoch) {
  return {
      {"mean", [](std::uint64_t) { return std::make_unique<pi::mean_imputer>(); }},
      {"knn", [](std::uint64_t) { return std::make_unique<pi::knn_imputer>(pi::knn_options{5}); }},
      {"mlp",
       [on_epoch](std::uint64_t seed) {
         auto o = pi::mlp_imputer_options(4);
         o.epochs = 5;
         o.copies = 2;
         o.patience = 100;
         o.seed = seed;
         o.progress = papillon::train::progress_mode::lines;
         o.progress_sink = [on_epoch](std::string_view) {
           if (*on_epoch) (*on_epoch)();
         };
         return std::make_unique<pi::neural_imputer>(o);
       }},
  };
}

pe::benchmark_options options() {
  pe::benchmark_options o;
  o.targets = {"HR", "NIMAP", "Temp", "BUN"};
  o.covariates = {"Age"};
  o.outcome = "In-hospital_death";
  o.log1p_columns = {"BUN"};
  o.seeds = {3, 4};
  o.folds = 2;
  o.summary.bootstrap_resamples = 50;
  return o;
}

const pd::table& cohort() {
  static const auto data = pd::make_synthetic_icu({.rows = 120, .seed = 11});
  return data;
}

// The report as JSON without its wall times, which differ between any two runs.
nlohmann::json without_times(const pe::benchmark_report& r) {
  nlohmann::json j = r;
  j.erase("wall_seconds");
  for (auto& m : j["methods"]) {
    m.erase("wall_seconds");
    for (auto& run : m["runs"]) run.erase("impute_seconds");
  }
  return j;
}

std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("benchmark checkpoint: a run stopped between units resumes to the same report",
          "[eval][benchmark][checkpoint]") {
  auto hook = std::make_shared<std::function<void()>>();
  const auto ms = methods(hook);
  const auto whole = pe::run_imputation_benchmark(cohort(), ms, options());

  const auto dir = fresh_dir("papillon_benchmark_resume_units");
  auto o = options();
  o.checkpoint.directory = dir;
  int started = 0;
  o.on_progress = [&](const std::string&) {
    if (++started == 4) throw interrupted();  // seed 3 done, the second seed not begun
  };
  CHECK_THROWS_AS(pe::run_imputation_benchmark(cohort(), ms, o), interrupted);
  CHECK(std::filesystem::exists(dir / "run.json"));
  CHECK(std::filesystem::exists(dir / pe::benchmark_unit_file_name(2, "mlp", 3)));
  CHECK_FALSE(std::filesystem::exists(dir / pe::benchmark_unit_file_name(0, "mean", 4)));

  o.on_progress = {};
  const auto resumed = pe::run_imputation_benchmark(cohort(), ms, o);
  CHECK(resumed.resumed_units == 3);
  CHECK(without_times(resumed) == without_times(whole));
  // Every unit on disk now: a third run runs nothing and still gives the same report.
  const auto again = pe::run_imputation_benchmark(cohort(), ms, o);
  CHECK(again.resumed_units == 6);
  CHECK(without_times(again) == without_times(whole));
  std::filesystem::remove_all(dir);
}

TEST_CASE("benchmark checkpoint: a neural unit stopped mid-training resumes its trainer",
          "[eval][benchmark][checkpoint]") {
  auto hook = std::make_shared<std::function<void()>>();
  const auto ms = methods(hook);
  const auto whole = pe::run_imputation_benchmark(cohort(), ms, options());

  const auto dir = fresh_dir("papillon_benchmark_resume_training");
  auto o = options();
  o.checkpoint.directory = dir;
  int epochs = 0;
  *hook = [&] {
    if (++epochs == 3) throw interrupted();  // the first MLP unit, in its third epoch
  };
  CHECK_THROWS_AS(pe::run_imputation_benchmark(cohort(), ms, o), interrupted);
  const auto train_file = dir / "train-2-mlp-seed3.json";
  REQUIRE(std::filesystem::exists(train_file));
  CHECK_FALSE(std::filesystem::exists(dir / pe::benchmark_unit_file_name(2, "mlp", 3)));

  *hook = {};
  const auto resumed = pe::run_imputation_benchmark(cohort(), ms, o);
  CHECK(resumed.resumed_units == 2);  // mean and kNN of seed 3
  CHECK(without_times(resumed) == without_times(whole));
  // A finished unit's trainer checkpoint is removed; its result stays.
  CHECK_FALSE(std::filesystem::exists(train_file));
  CHECK(std::filesystem::exists(dir / pe::benchmark_unit_file_name(2, "mlp", 3)));
  std::filesystem::remove_all(dir);
}

TEST_CASE("benchmark checkpoint: a directory from another run is refused",
          "[eval][benchmark][checkpoint]") {
  auto hook = std::make_shared<std::function<void()>>();
  const auto ms = methods(hook);
  const std::vector<pe::imputer_factory> mean{ms[0]};
  const auto dir = fresh_dir("papillon_benchmark_resume_other");
  auto o = options();
  o.checkpoint.directory = dir;
  o.checkpoint.label = "--checkpoint";
  o.checkpoint.settings = "knn 5";
  (void)pe::run_imputation_benchmark(cohort(), mean, o);

  SECTION("other seeds") {
    auto other = o;
    other.seeds = {3, 5};
    CHECK_THROWS_WITH(pe::run_imputation_benchmark(cohort(), mean, other),
                      contains_substring("holds a run with other data or settings") &&
                          contains_substring("--checkpoint") &&
                          contains_substring("differs in 'seeds'"));
  }
  SECTION("other data") {
    const auto data = pd::make_synthetic_icu({.rows = 120, .seed = 12});
    CHECK_THROWS_WITH(pe::run_imputation_benchmark(data, mean, o),
                      contains_substring("differs in 'data'"));
  }
  SECTION("other imputer settings") {
    auto other = o;
    other.checkpoint.settings = "knn 6";
    CHECK_THROWS_WITH(pe::run_imputation_benchmark(cohort(), mean, other),
                      contains_substring("differs in 'settings'"));
  }
  SECTION("other methods") {
    CHECK_THROWS_WITH(pe::run_imputation_benchmark(cohort(), ms, o),
                      contains_substring("differs in 'methods'"));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("benchmark: degenerate data is refused before any imputer runs",
          "[eval][benchmark][degenerate]") {
  int fits = 0;
  const std::vector<pe::imputer_factory> counting{{"mean", [&](std::uint64_t) {
                                                     ++fits;
                                                     return std::make_unique<pi::mean_imputer>();
                                                   }}};
  const double na = std::numeric_limits<double>::quiet_NaN();
  const auto table = [](index_t rows, auto cell) {
    Eigen::MatrixXd v(rows, 3);
    for (index_t i = 0; i < rows; ++i)
      for (index_t j = 0; j < 3; ++j) v(i, j) = cell(i, j);
    return pd::table({"a", "b", "died"}, v);
  };
  const auto plain = [](index_t i, index_t j) {
    return j == 2 ? static_cast<double>(i % 2) : static_cast<double>(i * (j + 1) % 7);
  };
  pe::benchmark_options o;
  o.targets = {"a", "b"};
  o.outcome = "died";
  o.folds = 2;
  o.seeds = {0};
  o.source = "small.csv";

  SECTION("too few rows") {
    CHECK_THROWS_WITH(pe::run_imputation_benchmark(table(2, plain), counting, o),
                      contains_substring("too few rows") && contains_substring("small.csv") &&
                          contains_substring("2 row(s), at least 10"));
  }
  SECTION("an all-missing target column") {
    const auto t = table(12, [&](index_t i, index_t j) { return j == 1 ? na : plain(i, j); });
    CHECK_THROWS_WITH(pe::run_imputation_benchmark(t, counting, o),
                      contains_substring("target column 'b' has no observed value"));
  }
  SECTION("an outcome class with fewer rows than folds") {
    const auto t = table(12, [&](index_t i, index_t j) { return j == 2 ? (i == 0) : plain(i, j); });
    o.folds = 3;
    CHECK_THROWS_WITH(pe::run_imputation_benchmark(t, counting, o),
                      contains_substring("outcome column 'died' has too few rows of class 1") &&
                          contains_substring("1 labelled row(s), 3 folds"));
  }
  SECTION("a mask that hides nothing") {
    // One observed target cell: 30 % of it rounds to none.
    const auto t =
        table(12, [&](index_t i, index_t j) { return j == 0 && i > 0 ? na : plain(i, j); });
    o.targets = {"a"};
    CHECK_THROWS_WITH(pe::run_imputation_benchmark(t, counting, o),
                      contains_substring("the mask hides no target cell"));
  }
  CHECK(fits == 0);
}

TEST_CASE("benchmark: doubtful data is scored with warnings in the report",
          "[eval][benchmark][degenerate]") {
  const std::vector<pe::imputer_factory> mean{
      {"mean", [](std::uint64_t) { return std::make_unique<pi::mean_imputer>(); }}};
  Eigen::MatrixXd v(12, 3);
  for (Eigen::Index i = 0; i < 12; ++i) {
    v(i, 0) = static_cast<double>(i % 5);
    v(i, 1) = 4.0;  // constant
    v(i, 2) = (i < 4) ? static_cast<double>(i) : std::numeric_limits<double>::quiet_NaN();
  }
  pe::benchmark_options o;
  o.targets = {"a", "b", "c"};
  o.seeds = {0};
  const auto r = pe::run_imputation_benchmark(pd::table({"a", "b", "c"}, v), mean, o);
  const auto has = [&](const std::string& text) {
    for (const auto& w : r.warnings)
      if (w.find(text) != std::string::npos) return true;
    return false;
  };
  CHECK(has("target column 'b' is constant (every observed value is 4)"));
  CHECK(has("target column 'c' has only 4 observed cell(s)"));
  CHECK_FALSE(has("'a'"));
  REQUIRE(r.methods.size() == 1);
  CHECK(std::isfinite(r.methods[0].rmse.mean));
  const nlohmann::json j = r;
  CHECK(j.at("warnings").size() == r.warnings.size());
  const auto html = pe::render_html_report(r);
  CHECK(html.find("<section id=\"warnings\">") != std::string::npos);
  CHECK(html.find("target column &#39;b&#39; is constant") != std::string::npos);
}
