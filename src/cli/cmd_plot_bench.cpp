// `papillon plot-bench`: a log-log plot of Google Benchmark results against their last
// argument (the width n), one line per benchmark family, each with its fitted power-law
// exponent, as a standalone SVG. It reads the CSV that `--benchmark_out_format=csv` writes, so
// the scaling study's plots come from its recipe without a plotting script.

#include <papillon/data/csv.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/svg.hpp>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"

namespace papillon::cli {
namespace {

struct plot_bench_options {
  std::vector<std::string> inputs;
  std::string output;
  std::string filter;
  std::string y = "cpu_time";
  std::string title = "Benchmark time against width";
  std::string x_label = "n (qubits)";
  double fit_from = 0.0;
  bool x_pow2 = false;  // the width axis is 2^argument (full states: the amplitude count)
};

struct point {
  double x = 0;
  double y = 0;
};

double to_ms(double v, const std::string& unit) {
  if (unit == "ns") return v * 1e-6;
  if (unit == "us") return v * 1e-3;
  if (unit == "ms") return v;
  if (unit == "s") return v * 1e3;
  throw data_error("plot-bench", "unknown time unit '" + unit + "'");
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Series name -> points, from every input. Uses the `_median` aggregates when a file has any,
// else the plain runs; skips other aggregates and runs that reported an error.
std::map<std::string, std::vector<point>> read_series(const plot_bench_options& o) {
  std::map<std::string, std::vector<point>> series;
  const std::regex filter(o.filter.empty() ? std::string(".*") : o.filter);
  for (const auto& path : o.inputs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw data_error("plot-bench", "cannot read the input file", path);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    // Google Benchmark quotes names and free text with '"' and doubles '"' inside, and may print
    // free-text context lines before the header: CSV starts at the first line beginning "name,".
    std::string_view body(text);
    if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
    std::size_t start = body.substr(0, 5) == "name," ? 0 : body.find("\nname,");
    if (start == std::string_view::npos)
      throw data_error("plot-bench", "no Google Benchmark CSV header (a line starting \"name,\")",
                       path);
    if (start > 0) ++start;
    // The context lines become empty lines, so the splitter's line numbers are the file's.
    const auto skipped =
        static_cast<std::size_t>(std::count(body.begin(), body.begin() + start, '\n'));
    auto rows =
        data::split_csv_records(std::string(skipped, '\n').append(body.substr(start)), path);
    while (!rows.empty() && (rows.front().fields.empty() || rows.front().fields[0] != "name"))
      rows.erase(rows.begin());
    std::vector<std::string> header = std::move(rows.front().fields);
    rows.erase(rows.begin());
    const auto column = [&](const std::string& name) {
      const auto it = std::find(header.begin(), header.end(), name);
      if (it == header.end())
        throw data_error("plot-bench", "column '" + name + "' not found", path);
      return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t y_col = column(o.y);
    const bool is_time = o.y == "cpu_time" || o.y == "real_time";
    const std::size_t unit_col = column("time_unit");
    const auto error_it = std::find(header.begin(), header.end(), "error_occurred");
    const bool medians = std::any_of(rows.begin(), rows.end(), [](const data::csv_record& r) {
      return !r.fields.empty() && ends_with(r.fields[0], "_median");
    });
    for (const auto& row : rows) {
      const auto& r = row.fields;
      if (r.size() < header.size() || r[0].empty()) continue;
      std::string name = r[0];
      if (medians) {
        if (!ends_with(name, "_median")) continue;
        name.resize(name.size() - 7);
      } else if (ends_with(name, "_mean") || ends_with(name, "_stddev") || ends_with(name, "_cv")) {
        continue;
      }
      if (error_it != header.end() &&
          r[static_cast<std::size_t>(error_it - header.begin())] == "true")
        continue;
      // Google Benchmark appends run settings ("/iterations:1", "/real_time", ...).
      for (auto cut = name.rfind('/'); cut != std::string::npos; cut = name.rfind('/')) {
        const std::string last = name.substr(cut + 1);
        if (last.find(':') == std::string::npos && last != "real_time" && last != "process_time" &&
            last != "manual_time")
          break;
        name.resize(cut);
      }
      if (!std::regex_search(name, filter)) continue;
      const auto slash = name.rfind('/');
      if (slash == std::string::npos) continue;
      const std::string where = path + ", row " + std::to_string(row.line) + " (" + name + ")";
      double x = 0, y = 0;
      try {
        x = std::stod(name.substr(slash + 1));
        if (o.x_pow2) x = std::exp2(x);
        y = std::stod(r[y_col]);
      } catch (const std::exception&) {
        throw data_error("plot-bench", "the width or the value is not a number", where);
      }
      if (is_time) y = to_ms(y, r[unit_col]);
      if (!(x > 0) || !(y > 0) || !std::isfinite(x) || !std::isfinite(y))
        throw data_error("plot-bench", "a log-log plot needs positive values", where);
      series[name.substr(0, slash)].push_back({x, y});
    }
  }
  if (series.empty())
    throw data_error("plot-bench", "no benchmark rows matched",
                     o.filter.empty() ? std::string("no filter") : "--filter " + o.filter);
  for (auto& [name, pts] : series)
    std::sort(pts.begin(), pts.end(), [](const point& a, const point& b) { return a.x < b.x; });
  return series;
}

// Least-squares slope of log y against log x over the points with x >= from (NaN if fewer
// than two).
double fitted_exponent(const std::vector<point>& pts, double from) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  int n = 0;
  for (const auto& p : pts)
    if (p.x >= from) {
      const double lx = std::log(p.x), ly = std::log(p.y);
      sx += lx;
      sy += ly;
      sxx += lx * lx;
      sxy += lx * ly;
      ++n;
    }
  const double den = n * sxx - sx * sx;
  if (n < 2 || den == 0) return std::nan("");
  return (n * sxy - sx * sy) / den;
}

using eval::svg::escape;
using eval::svg::px;

std::string tick_label(double v) {
  if (v >= 1e4 || v < 1e-2)
    return fmt::format("1e{}", static_cast<int>(std::lround(std::log10(v))));
  return fmt::format("{:g}", v);
}

std::string render(const std::map<std::string, std::vector<point>>& series,
                   const plot_bench_options& o) {
  constexpr std::array<const char*, 8> palette{"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                               "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
  constexpr double width = 860, height = 480, left = 70, right = 300, top = 40, bottom = 50;
  double x0 = std::numeric_limits<double>::infinity(), x1 = 0;
  double y0 = std::numeric_limits<double>::infinity(), y1 = 0;
  for (const auto& [name, pts] : series)
    for (const auto& p : pts) {
      x0 = std::min(x0, p.x);
      x1 = std::max(x1, p.x);
      y0 = std::min(y0, p.y);
      y1 = std::max(y1, p.y);
    }
  // x: powers of two; y: decades, both widened to whole ticks.
  const double lx0 = std::floor(std::log2(x0)), lx1 = std::max(std::ceil(std::log2(x1)), lx0 + 1);
  const double ly0 = std::floor(std::log10(y0)), ly1 = std::max(std::ceil(std::log10(y1)), ly0 + 1);
  const double pw = width - left - right, ph = height - top - bottom;
  const auto mx = [&](double x) { return left + (std::log2(x) - lx0) / (lx1 - lx0) * pw; };
  const auto my = [&](double y) { return top + ph - (std::log10(y) - ly0) / (ly1 - ly0) * ph; };
  std::ostringstream s;
  s << eval::svg::open_tag(std::lround(width), std::lround(height));
  s << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s << fmt::format("<text x=\"{}\" y=\"22\" font-size=\"15\">{}</text>\n", left, escape(o.title));
  // Grid and ticks.
  const int x_step = lx1 - lx0 > 10 ? 2 : 1;
  for (double e = lx0; e <= lx1; e += x_step) {
    const double x = mx(std::exp2(e));
    s << fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>\n"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>\n",
        x, top, top + ph, top + ph + 16,
        e >= 13 ? fmt::format("2^{}", static_cast<int>(e)) : tick_label(std::exp2(e)));
  }
  for (double e = ly0; e <= ly1; e += 1) {
    const double y = my(std::pow(10.0, e));
    s << fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>\n"
        "<text x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        left, y, left + pw, left - 6, y + 4, tick_label(std::pow(10.0, e)));
  }
  s << fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>\n", left,
      top, pw, ph);
  s << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                   left + pw / 2, height - 12, escape(o.x_label + " (log scale)"));
  const std::string y_label = (o.y == "cpu_time" || o.y == "real_time")
                                  ? o.y + " per iteration, ms (log scale)"
                                  : o.y + " (log scale)";
  s << fmt::format(
      "<text transform=\"translate(16 {:.1f}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
      top + ph / 2, escape(y_label));
  // Series with their exponents; the legend drops the names' common prefix (up to a '/' or
  // '_') and shows it once above the entries.
  std::string prefix;
  if (series.size() > 1) {
    prefix = series.begin()->first;
    for (const auto& [name, pts] : series) {
      std::size_t i = 0;
      while (i < prefix.size() && i < name.size() && prefix[i] == name[i]) ++i;
      prefix.resize(i);
    }
    const auto cut = prefix.find_last_of("/_");
    prefix.resize(cut == std::string::npos ? 0 : cut + 1);
  }
  const double first_row = prefix.empty() ? 0.0 : 1.0;
  if (!prefix.empty())
    s << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#555\">{}…</text>\n", left + pw + 12,
                     top + 14, escape(prefix));
  std::size_t k = 0;
  for (const auto& [name, pts] : series) {
    const char* color = palette[k % palette.size()];
    std::string path;
    for (const auto& p : pts) path += px(mx(p.x)) + "," + px(my(p.y)) + " ";
    s << fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\" points=\"{}\"/>\n",
                     color, path);
    for (const auto& p : pts)
      s << fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", mx(p.x),
                       my(p.y), color);
    const double slope = fitted_exponent(pts, o.fit_from);
    const std::string label =
        name.substr(prefix.size()) +
        (std::isnan(slope) ? std::string() : fmt::format(": slope {:.2f}", slope));
    const double ly = top + 10 + 18 * (static_cast<double>(k) + first_row);
    s << fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" stroke=\"{3}\" "
        "stroke-width=\"2\"/>\n<text x=\"{4:.1f}\" y=\"{5:.1f}\">{6}</text>\n",
        left + pw + 12, ly, left + pw + 30, color, left + pw + 36, ly + 4, escape(label));
    ++k;
  }
  if (o.fit_from > 0)
    s << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#555\">slopes fitted from {}</text>\n",
                     left + pw + 12, top + 14 + 18 * (static_cast<double>(k) + first_row),
                     o.x_pow2 ? fmt::format("2^{:g}", std::log2(o.fit_from))
                              : fmt::format("n = {:g}", o.fit_from));
  s << "</svg>\n";
  return s.str();
}

command_runner make_plot_bench(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "plot-bench", "Log-log SVG plot of Google Benchmark CSV results against their width");
  auto o = std::make_shared<plot_bench_options>();
  sub->add_option("csv", o->inputs, "Google Benchmark CSV files (--benchmark_out_format=csv)")
      ->required();
  sub->add_option("--output", o->output, "Write the SVG to this file (default: standard output)");
  sub->add_option("--filter", o->filter, "Only benchmark names matching this regular expression");
  sub->add_option("--y", o->y, "Column to plot: cpu_time (default), real_time or a counter");
  sub->add_option("--title", o->title, "Plot title");
  sub->add_option("--x-label", o->x_label, "Label of the width axis");
  add_bounded(sub, "--fit-from", o->fit_from,
              "Fit the exponents over widths from this value (on the plotted axis; 0: all)", 0.0,
              limits::fit_from);
  sub->add_flag("--x-pow2", o->x_pow2,
                "Plot against 2^argument (full states: the amplitude count) instead of the "
                "argument");
  return [o] {
    // Everything is checked before any work or output.
    for (const auto& path : o->inputs) check_readable("input file", path);
    try {
      (void)std::regex(o->filter);
    } catch (const std::regex_error& e) {
      throw data_error("plot-bench", "--filter is not a valid regular expression",
                       quote_input(o->filter) + ": " + e.what());
    }
    check_writable("--output file", o->output);
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& path : o->inputs) files.emplace_back("input file", path);
    files.emplace_back("--output file", o->output);
    check_distinct(files);
    const auto series = read_series(*o);
    const std::string svg = render(series, *o);
    for (const auto& [name, pts] : series)
      std::cerr << "papillon plot-bench: " << name << ": " << pts.size() << " points, slope "
                << fmt::format("{:.2f}", fitted_exponent(pts, o->fit_from)) << '\n';
    write_text(svg, o->output);
    return 0;
  };
}

const register_command plot_bench_command{"plot-bench", &make_plot_bench};

}  // namespace
}  // namespace papillon::cli
