#pragma once

/// @file
/// The imputation benchmark as one self-contained HTML page: the run's settings, a results table
/// and four inline SVG plots (training curves, pooled RMSE, RMSE per variable, AUROC). The page
/// loads nothing (no scripts, fonts, style sheets or images), so it can be mailed or archived
/// next to the JSON report. Compiled in papillon::papillon (src/papillon/eval/report_html.cpp).
///
/// The plots are `<svg>` elements with the ids `plot-training`, `plot-rmse`, `plot-variables`
/// and `plot-auroc`. Text from user data (method and column names, the command line) is
/// escaped; undefined values (the sd of one seed, no outcome) are shown as "n/a" or not drawn.
/// The output depends only on the report and the options (no clock, no locale).

#include <filesystem>
#include <string>

namespace papillon::eval {

struct benchmark_report;  // papillon/eval/imputation_benchmark.hpp

/// Settings of render_html_report().
struct html_report_options {
  /// The page title and heading.
  std::string title = "papillon imputation report";
  /// The command that produced the report, shown verbatim for reproducibility (empty: omitted).
  std::string command_line{};
};

/// Renders the report as one HTML document (UTF-8).
[[nodiscard]] std::string render_html_report(const benchmark_report& report,
                                             const html_report_options& options = {});

/// Writes render_html_report() to `path` atomically (a temporary file renamed over `path`).
/// @throws data_error naming the path if the file cannot be written
void write_html_report(const std::filesystem::path& path, const benchmark_report& report,
                       const html_report_options& options = {});

}  // namespace papillon::eval
