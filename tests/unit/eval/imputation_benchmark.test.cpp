#include <papillon/data/synthetic_icu.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/eval/report_json.hpp>
#include <papillon/impute/knn_imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>
#include <papillon/impute/mice_imputer.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/catch.hpp"

namespace pd = papillon::data;
namespace pe = papillon::eval;
namespace pi = papillon::impute;

namespace {

std::vector<pe::imputer_factory> methods() {
  return {
      {"mean", [](std::uint64_t) { return std::make_unique<pi::mean_imputer>(); }},
      {"knn", [](std::uint64_t) { return std::make_unique<pi::knn_imputer>(pi::knn_options{10}); }},
      {"mice",
       [](std::uint64_t seed) {
         return std::make_unique<pi::mice_imputer>(
             pi::mice_options{.iterations = 5, .imputations = 3, .seed = seed});
       }},
  };
}

pe::benchmark_options options() {
  pe::benchmark_options o;
  o.targets = pd::synthetic_icu_targets();
  o.covariates = {"Age", "Gender", "ICUType"};
  o.outcome = "In-hospital_death";
  o.log1p_columns = pd::synthetic_icu_skewed();
  o.mask_rate = 0.3;
  o.seeds = {1, 2};
  o.summary.bootstrap_resamples = 200;
  return o;
}

}  // namespace

TEST_CASE("imputation_benchmark: runs every method on every seed", "[eval][benchmark]") {
  const auto data = pd::make_synthetic_icu({.rows = 600, .seed = 7});
  const auto ms = methods();
  const auto report = pe::run_imputation_benchmark(data, ms, options());
  REQUIRE(report.methods.size() == 3);
  CHECK(report.rows == 600);
  CHECK(report.natural_missing_fraction > 0.0);
  CHECK(report.reference_auroc.n == 2);
  for (const auto& m : report.methods) {
    INFO(m.method);
    REQUIRE(m.runs.size() == 2);
    CHECK(m.per_variable.size() == 14);
    CHECK(m.evaluations.at("imputer_fits") == 2);
    CHECK(m.evaluations.at("classifier_fits") == 6);
    for (const auto& r : m.runs) {
      CHECK(r.classifier_converged);
      CHECK(r.auroc > 0.6);
      CHECK(r.auroc < 1.0);
      CHECK(r.auprc > 0.14);  // above the base rate
      CHECK(r.error_original.cells == r.error_z.cells);
    }
    // Mean imputation on z-scores: RMSE about 1 by construction.
    if (m.method == "mean") CHECK(m.rmse.mean > 0.9);
  }
  // Every method scored exactly the same cells.
  CHECK(report.methods[0].runs[0].error_z.cells == report.methods[2].runs[0].error_z.cells);
  // Chained equations use the BUN-Creatinine-K-Urine correlations: better than the mean.
  CHECK(report.methods[2].rmse.mean < report.methods[0].rmse.mean);

  SECTION("the JSON report has the interface's fields") {
    const nlohmann::json j = report.methods[2];
    for (const char* key : {"method", "mask_rate", "seeds", "rmse", "mae", "auroc", "evaluations",
                            "wall_seconds", "per_variable"})
      CHECK(j.contains(key));
    CHECK(j["method"] == "mice");
    CHECK(j["rmse"]["per_seed"].size() == 2);
    CHECK(j["auroc"]["ci"].size() == 2);
    CHECK(j["per_variable"].contains("BUN"));
    const nlohmann::json all = report;
    CHECK(all["methods"].size() == 3);
    CHECK(all["reference_auroc"]["n"] == 2);
  }
}

TEST_CASE("imputation_benchmark: saved masks are reused", "[eval][benchmark]") {
  const auto data = pd::make_synthetic_icu({.rows = 300, .seed = 8});
  const auto dir = std::filesystem::temp_directory_path() / "papillon_benchmark_masks";
  std::filesystem::remove_all(dir);
  auto o = options();
  o.outcome.clear();  // imputation only
  o.mask_dir = dir;
  const std::vector<pe::imputer_factory> mean{methods()[0]};
  const auto first = pe::run_imputation_benchmark(data, mean, o);
  REQUIRE(std::filesystem::exists(dir / pe::mask_file_name(0.3, 1)));
  // A different rate with the same directory would use other files; the same settings reuse
  // the saved masks, so the scores repeat exactly.
  const auto second = pe::run_imputation_benchmark(data, mean, o);
  CHECK(second.methods[0].runs[1].error_z.rmse == first.methods[0].runs[1].error_z.rmse);
  CHECK(std::isnan(first.methods[0].runs[0].auroc));
  std::filesystem::remove_all(dir);

  SECTION("unknown target columns are reported") {
    auto bad = options();
    bad.targets.push_back("Lactate");
    CHECK_THROWS_WITH(pe::run_imputation_benchmark(data, mean, bad),
                      papillon::test::contains_substring("unknown column 'Lactate'"));
  }
}
