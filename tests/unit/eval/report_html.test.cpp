#include <papillon/data/synthetic_icu.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/eval/report_html.hpp>
#include <papillon/eval/report_json.hpp>
#include <papillon/impute/imputer.hpp>
#include <papillon/impute/knn_imputer.hpp>
#include <papillon/impute/mean_imputer.hpp>

#include <Eigen/Core>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/catch.hpp"

namespace pd = papillon::data;
namespace pe = papillon::eval;
namespace pi = papillon::impute;

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
const std::string plus_minus = "\xC2\xB1";
const std::vector<std::string> plot_ids = {"plot-training", "plot-rmse", "plot-variables",
                                           "plot-auroc"};

/// The mean imputer with a made-up training curve, as a model trained by epochs reports it.
class curve_imputer final : public pi::imputer {
 public:
  explicit curve_imputer(std::uint64_t seed) : m_scale(1.0 + 0.1 * static_cast<double>(seed)) {}
  [[nodiscard]] std::string name() const override { return "curve"; }
  [[nodiscard]] pi::training_curve history() const override {
    return {{1.0 * m_scale, 0.6 * m_scale, 0.45 * m_scale, 0.4 * m_scale},
            {1.1 * m_scale, 0.7 * m_scale, not_a_number, 0.5 * m_scale},
            {"warm-up", "warm-up", "fine<tune>", "fine<tune>"}};
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
  double m_scale;
  pi::mean_imputer m_inner;
};

pe::imputer_factory mean_method(std::string name) {
  return {std::move(name), [](std::uint64_t) { return std::make_unique<pi::mean_imputer>(); }};
}

pe::imputer_factory knn_method(std::string name = "knn") {
  return {std::move(name), [](std::uint64_t) { return std::make_unique<pi::knn_imputer>(); }};
}

pe::imputer_factory curve_method() {
  return {"curve", [](std::uint64_t seed) { return std::make_unique<curve_imputer>(seed); }};
}

/// A small but real benchmark run (a few targets of the synthetic cohort).
pe::benchmark_report run(const std::vector<pe::imputer_factory>& methods,
                         std::vector<std::uint64_t> seeds = {1, 2}, bool outcome = true) {
  static const auto data = pd::make_synthetic_icu({.rows = 300, .seed = 5});
  pe::benchmark_options o;
  o.targets = {"HR", "GCS", "BUN", "Creatinine", "Urine"};
  o.covariates = {"Age", "Gender"};
  if (outcome) o.outcome = "In-hospital_death";
  o.log1p_columns = {"BUN", "Creatinine", "Urine"};
  o.seeds = std::move(seeds);
  o.summary.bootstrap_resamples = 200;
  return pe::run_imputation_benchmark(data, methods, o);
}

/// The <svg> element with the given id, from its start tag to its end tag (empty if absent).
std::string svg_with_id(const std::string& html, const std::string& id) {
  const auto at = html.find("id=\"" + id + "\"");
  if (at == std::string::npos) return {};
  const auto begin = html.rfind("<svg", at);
  const auto end = html.find("</svg>", at);
  if (begin == std::string::npos || end == std::string::npos) return {};
  return html.substr(begin, end + 6 - begin);
}

/// The table row whose header cell is `name` (already escaped).
std::string row_of(const std::string& html, const std::string& name) {
  const auto begin = html.find("<tr><th scope=\"row\">" + name + "</th>");
  if (begin == std::string::npos) return {};
  return html.substr(begin, html.find("</tr>", begin) - begin);
}

/// Empty when `xml` is a well-formed fragment: every tag closed in order, attribute values
/// quoted without '<', only the five predefined entities (and numeric ones); else the problem.
std::string xml_problem(std::string_view xml) {
  std::vector<std::string> open;
  for (std::size_t i = 0; i < xml.size();) {
    if (xml[i] == '&') {
      const auto semi = xml.find(';', i);
      if (semi == std::string_view::npos) return "'&' without ';'";
      const auto entity = xml.substr(i, semi + 1 - i);
      if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;" &&
          entity != "&apos;" && !entity.starts_with("&#"))
        return "unknown entity " + std::string(entity);
      i = semi + 1;
      continue;
    }
    if (xml[i] != '<') {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    char quote = 0;
    for (; end < xml.size(); ++end) {
      const char c = xml[end];
      if (quote != 0) {
        if (c == quote) quote = 0;
        if (c == '<') return "'<' in an attribute value";
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '<') {
        return "'<' inside a tag";
      } else if (c == '>') {
        break;
      }
    }
    if (end >= xml.size()) return "unterminated tag";
    const std::string_view tag = xml.substr(i + 1, end - i - 1);
    // Entities inside the tag (attribute values) are checked by the outer loop.
    if (tag.starts_with('/')) {
      const std::string name(tag.substr(1));
      if (open.empty() || open.back() != name) return "unexpected </" + name + ">";
      open.pop_back();
    } else {
      const auto name_end = tag.find_first_of(" \t\n/");
      const std::string name(tag.substr(0, name_end));
      if (name.empty()) return "a tag without a name";
      if (!tag.ends_with('/')) open.push_back(name);
    }
    for (std::size_t k = i + 1; k < end; ++k) {
      if (xml[k] != '&') continue;
      const auto semi = xml.find(';', k);
      if (semi == std::string_view::npos || semi > end) return "'&' in a tag without ';'";
    }
    i = end + 1;
  }
  if (!open.empty()) return "<" + open.back() + "> not closed";
  return {};
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

void check_no_undefined_numbers(const std::string& html) {
  for (const char* bad : {"nan", "NaN", "NAN", "inf", "Inf", "INF"}) {
    INFO(bad);
    CHECK(html.find(bad) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("report_html: a benchmark run renders settings, table and four plots", "[eval][report]") {
  const auto report = run({mean_method("a<b&c"), knn_method()});
  pe::html_report_options options;
  options.title = "run <1>";
  options.command_line = "papillon impute --columns \"HR,BUN\" --method 'knn' --seeds 2 > r.json";
  const std::string html = pe::render_html_report(report, options);

  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("<title>run &lt;1&gt;</title>") != std::string::npos);
  // Self-contained: nothing is loaded from elsewhere.
  for (const char* external : {"<script", "<link", "<img", "src=", "href=", "url(", "@import"}) {
    INFO(external);
    CHECK(html.find(external) == std::string::npos);
  }
  check_no_undefined_numbers(html);
  CHECK(pe::render_html_report(report, options) == html);  // deterministic

  SECTION("user text is escaped") {
    CHECK(html.find("a<b&c") == std::string::npos);
    CHECK(count(html, "a&lt;b&amp;c") >= 5);  // table, per-variable table, three plots
    CHECK(html.find("papillon impute --columns &quot;HR,BUN&quot; --method &#39;knn&#39; "
                    "--seeds 2 &gt; r.json") != std::string::npos);
  }

  SECTION("the settings show the run") {
    CHECK(row_of(html, "Rows").find("<td>300</td>") != std::string::npos);
    CHECK(row_of(html, "Seeds").find("2 (1, 2)") != std::string::npos);
    CHECK(row_of(html, "Targets").find("5 (HR, GCS, BUN, Creatinine, Urine)") != std::string::npos);
    CHECK(row_of(html, "Outcome").find("In-hospital_death") != std::string::npos);
    CHECK(row_of(html, "Classifier folds").find("<td>3</td>") != std::string::npos);
    CHECK(row_of(html, "Downstream classifier").find("<td>logistic</td>") != std::string::npos);
    CHECK(row_of(html, "Natural missing fraction")
              .find(fmt::format("{:.2f} %", 100 * report.natural_missing_fraction)) !=
          std::string::npos);
    CHECK(row_of(html, "Reference AUROC (unmasked data)")
              .find(fmt::format("{:.3f} {} {:.3f}", report.reference_auroc.mean, plus_minus,
                                report.reference_auroc.sd)) != std::string::npos);
  }

  SECTION("the table shows the report's numbers") {
    for (const auto& m : report.methods) {
      const std::string row = row_of(html, m.method == "knn" ? "knn" : "a&lt;b&amp;c");
      INFO(m.method << ": " << row);
      REQUIRE(!row.empty());
      const auto cell = [](const std::string& text) {
        return "<td class=\"num\">" + text + "</td>";
      };
      CHECK(row.find(cell(fmt::format("{:.3f} {} {:.3f}", m.rmse.mean, plus_minus, m.rmse.sd))) !=
            std::string::npos);
      CHECK(row.find(cell(fmt::format("{:.4g} {} {:.4g}", m.rmse_original.mean, plus_minus,
                                      m.rmse_original.sd))) != std::string::npos);
      CHECK(row.find(fmt::format("{:.3f} {} {:.3f}", m.mae.mean, plus_minus, m.mae.sd)) !=
            std::string::npos);
      CHECK(row.find(fmt::format("{:.3f} {} {:.3f}", m.auroc.mean, plus_minus, m.auroc.sd)) !=
            std::string::npos);
      CHECK(row.find(cell(fmt::format("[{:.3f}, {:.3f}]", m.auroc.ci_low, m.auroc.ci_high))) !=
            std::string::npos);
      CHECK(row.find(fmt::format("{:.3f} {} {:.3f}", m.auprc.mean, plus_minus, m.auprc.sd)) !=
            std::string::npos);
      CHECK(row.find(cell(fmt::format("{:.2f}", m.wall_seconds))) != std::string::npos);
      // Per-variable table and bar labels.
      CHECK(html.find(fmt::format("{:.3f} ({:.4g})", m.per_variable[2].rmse,
                                  m.per_variable[2].rmse_original)) != std::string::npos);
      CHECK(svg_with_id(html, "plot-rmse").find(fmt::format(">{:.3f}</text>", m.rmse.mean)) !=
            std::string::npos);
      CHECK(svg_with_id(html, "plot-auroc").find(fmt::format(">{:.3f}</text>", m.auroc.mean)) !=
            std::string::npos);
    }
  }

  SECTION("four well-formed plots with titles, axes and legends") {
    for (const auto& id : plot_ids) {
      INFO(id);
      const std::string svg = svg_with_id(html, id);
      REQUIRE(!svg.empty());
      CHECK(xml_problem(svg).empty());
      INFO(xml_problem(svg));
      CHECK(svg.find("<title id=\"" + id + "-title\">") != std::string::npos);
      CHECK(count(html, "id=\"" + id + "\"") == 1);
      if (id != "plot-training") {
        CHECK(svg.find("class=\"legend\"") != std::string::npos);
        CHECK(svg.find("<path") != std::string::npos);
      }
    }
    CHECK(svg_with_id(html, "plot-training").find("no trained models in this run") !=
          std::string::npos);
    CHECK(count(svg_with_id(html, "plot-rmse"), "<rect") >= 2);
    // 5 variables x 2 methods, plus the legend's two swatches.
    CHECK(count(svg_with_id(html, "plot-variables"), "<rect") == 12);
    const std::string auroc = svg_with_id(html, "plot-auroc");
    CHECK(count(auroc, "<circle") >= 2);
    CHECK(auroc.find(fmt::format("reference {:.3f}", report.reference_auroc.mean)) !=
          std::string::npos);
    CHECK(auroc.find("stroke-dasharray") != std::string::npos);
  }

  SECTION("the SVG helpers' output is well-formed in the checker's eyes") {
    CHECK(!xml_problem("<svg><g></svg>").empty());
    CHECK(!xml_problem("<svg><text>a<b</text></svg>").empty());
    CHECK(!xml_problem("<svg><text>a & b</text></svg>").empty());
    CHECK(
        xml_problem("<svg a=\"1\"><g><path d=\"M0 0\"/></g><text>a &amp; b</text></svg>").empty());
  }
}

TEST_CASE("report_html: training curves of a model trained by epochs", "[eval][report]") {
  const auto report = run({mean_method("mean"), curve_method()});
  REQUIRE(report.methods[1].runs[0].training.train_loss.size() == 4);
  REQUIRE(report.methods[0].runs[0].training.empty());
  const std::string html = pe::render_html_report(report);
  check_no_undefined_numbers(html);
  const std::string svg = svg_with_id(html, "plot-training");
  CHECK(xml_problem(svg).empty());
  CHECK(svg.find("no trained models") == std::string::npos);
  // Seed 1 and seed 2, training and validation; the NaN epoch splits each validation curve
  // into a line and a lone point.
  CHECK(count(svg, "<polyline") == 4);
  CHECK(count(svg, "<circle") == 2);
  CHECK(count(svg, "stroke-dasharray=\"6 3\"") >= 3);  // two validation curves and the legend
  CHECK(svg.find("stroke-opacity=\"0.30\"") != std::string::npos);  // the second seed, faint
  CHECK(svg.find("curve, seed 1: training loss") != std::string::npos);
  CHECK(svg.find("curve, seed 2: validation loss") != std::string::npos);
  CHECK(svg.find("mean, seed") == std::string::npos);
  // The stage change after epoch 2, escaped.
  CHECK(svg.find(">fine&lt;tune&gt;</text>") != std::string::npos);
  CHECK(svg.find(">epoch</text>") != std::string::npos);
  CHECK(svg.find(">loss</text>") != std::string::npos);
}

TEST_CASE("report_html: one seed and no outcome show n/a, never NaN", "[eval][report]") {
  const auto report = run({mean_method("mean"), knn_method("k nearest neighbours")}, {3}, false);
  REQUIRE(std::isnan(report.methods[0].rmse.sd));
  REQUIRE(std::isnan(report.methods[0].auroc.mean));
  const std::string html = pe::render_html_report(report);
  check_no_undefined_numbers(html);
  for (const auto& id : plot_ids) {
    INFO(id);
    CHECK(xml_problem(svg_with_id(html, id)).empty());
  }
  CHECK(svg_with_id(html, "plot-auroc").find("no outcome") != std::string::npos);
  const std::string row = row_of(html, "mean");
  CHECK(row.find(fmt::format("<td class=\"num\">{:.3f}</td>", report.methods[0].rmse.mean)) !=
        std::string::npos);
  CHECK(row.find("<td class=\"num\">n/a</td>") != std::string::npos);
  CHECK(row_of(html, "Outcome").find("<td>none</td>") != std::string::npos);
  // No whiskers without an sd.
  const std::string rmse = svg_with_id(html, "plot-rmse");
  CHECK(rmse.find("1 sd") == std::string::npos);
  // A long name is cut under the axis (the full name is its tooltip) but whole in the legend.
  CHECK(rmse.find("<title>k nearest neighbours</title>k nearest neigh\xE2\x80\xA6</text>") !=
        std::string::npos);
  CHECK(svg_with_id(html, "plot-variables").find(">k nearest neighbours</text>") !=
        std::string::npos);
}

TEST_CASE("report_html: write_html_report writes the page atomically", "[eval][report]") {
  const auto report = run({mean_method("mean")}, {1}, false);
  const auto dir = std::filesystem::temp_directory_path() / "papillon_report_html_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "report.html";
  pe::write_html_report(path, report, {.title = "t", .command_line = "x"});
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == pe::render_html_report(report, {.title = "t", .command_line = "x"}));
  CHECK(std::distance(std::filesystem::directory_iterator(dir),
                      std::filesystem::directory_iterator()) == 1);  // no temporary left

  const auto bad = dir / "no_such_dir" / "report.html";
  CHECK_THROWS_AS(pe::write_html_report(bad, report), papillon::data_error);
  CHECK_THROWS_WITH(pe::write_html_report(bad, report),
                    papillon::test::contains_substring("papillon::eval::write_html_report") &&
                        papillon::test::contains_substring(bad.string()));
  std::filesystem::remove_all(dir);
}

TEST_CASE("report_json: training curves per seed for models trained by epochs", "[eval][report]") {
  const auto report = run({mean_method("mean"), curve_method()});
  const nlohmann::json mean = report.methods[0];
  CHECK(!mean.contains("training"));
  const nlohmann::json curve = report.methods[1];
  for (const char* key :
       {"method", "mask_rate", "seeds", "rmse", "mae", "rmse_original", "mae_original", "auroc",
        "auprc", "per_variable", "evaluations", "wall_seconds", "runs"})
    CHECK(curve.contains(key));
  REQUIRE(curve.contains("training"));
  const auto& training = curve["training"];
  REQUIRE(training.size() == 2);
  CHECK(training[0]["seed"] == 1);
  CHECK(training[1]["seed"] == 2);
  const auto expected = report.methods[1].runs[1].training;
  REQUIRE(training[1]["train_loss"].size() == 4);
  for (std::size_t e = 0; e < 4; ++e)
    CHECK(training[1]["train_loss"][e].get<double>() == expected.train_loss[e]);
  CHECK(training[1]["validation_loss"][0].get<double>() == expected.validation_loss[0]);
  CHECK(training[1]["validation_loss"][2].is_null());  // NaN is not JSON
  CHECK(training[1]["stage"] ==
        nlohmann::json::array({"warm-up", "warm-up", "fine<tune>", "fine<tune>"}));
  // The whole benchmark carries it too.
  const nlohmann::json all = report;
  CHECK(all["methods"][1]["training"].size() == 2);
  CHECK(!all["methods"][0].contains("training"));
  CHECK(all.dump().find("NaN") == std::string::npos);
}
