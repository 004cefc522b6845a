// Writes an HTML benchmark report for the headless-browser test (run_browser_test.sh): a small
// real run with a classical imputer, kNN and a fake model that reports a training curve, so
// that all four plots have something to draw.
//
// Usage: papillon_browser_report <output.html>

#include <papillon/data/synthetic_icu.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/eval/report_html.hpp>
#include <papillon/impute/imputer.hpp>
#include <papillon/impute/knn_imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace pd = papillon::data;
namespace pe = papillon::eval;
namespace pi = papillon::impute;

namespace {

/// The mean imputer with a made-up, seed-dependent training curve.
class curve_imputer final : public pi::imputer {
 public:
  explicit curve_imputer(std::uint64_t seed) : m_seed(seed) {}
  [[nodiscard]] std::string name() const override { return "curve"; }
  [[nodiscard]] pi::training_curve history() const override {
    pi::training_curve c;
    for (int e = 0; e < 20; ++e) {
      const double base = 1.0 / (1.0 + 0.3 * e) + 0.02 * static_cast<double>(m_seed);
      c.train_loss.push_back(base);
      c.validation_loss.push_back(base + 0.05);
      c.stage.emplace_back(e < 8 ? "pre-train" : "fine-tune");
    }
    return c;
  }

 protected:
  void fit_impl(const Eigen::MatrixXd& x, const pd::cell_mask& observed) override {
    m_inner.fit(x, observed);
  }
  [[nodiscard]] Eigen::MatrixXd transform_impl(const Eigen::MatrixXd& x,
                                               const pd::cell_mask& observed) const override {
    return m_inner.transform(x, observed);
  }

 private:
  std::uint64_t m_seed;
  pi::mean_imputer m_inner;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: papillon_browser_report <output.html>\n";
    return 2;
  }
  try {
    const auto data = pd::make_synthetic_icu({.rows = 300, .seed = 11});
    const std::vector<pe::imputer_factory> methods = {
        {"mean", [](std::uint64_t) { return std::make_unique<pi::mean_imputer>(); }},
        {"knn <k=5>", [](std::uint64_t) { return std::make_unique<pi::knn_imputer>(); }},
        {"curve & co", [](std::uint64_t s) { return std::make_unique<curve_imputer>(s); }},
    };
    pe::benchmark_options o;
    o.targets = pd::synthetic_icu_targets();
    o.covariates = {"Age", "Gender", "ICUType"};
    o.outcome = "In-hospital_death";
    o.log1p_columns = pd::synthetic_icu_skewed();
    o.seeds = {1, 2, 3};
    o.summary.bootstrap_resamples = 200;
    const auto report = pe::run_imputation_benchmark(data, methods, o);
    pe::write_html_report(
        argv[1], report,
        {.title = "papillon browser test", .command_line = "papillon_browser_report"});
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
  return 0;
}
