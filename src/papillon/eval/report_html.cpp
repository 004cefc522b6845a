#include <papillon/error.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/eval/report_html.hpp>
#include <papillon/eval/svg.hpp>
#include <papillon/train/checkpoint.hpp>
#include <papillon/version.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

// The charts are plain SVG written here: Debian 12 packages no C++ plotting library, and the page
// must not load a JavaScript one. Numbers go through fmt, which ignores the C locale.

namespace papillon::eval {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr std::string_view plus_minus = "\xC2\xB1";

// Okabe-Ito colours (distinguishable with the usual colour-vision deficiencies); the pale yellow
// comes last because it is hard to see on white.
constexpr std::array<const char*, 8> palette = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                "#CC79A7", "#56B4E9", "#000000", "#F0E442"};

const char* color_of(std::size_t method) { return palette[method % palette.size()]; }

using svg::escape;
using svg::px;

std::string fixed(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("n/a");
}

std::string significant(double v, int digits) {
  return std::isfinite(v) ? fmt::format("{:.{}g}", v, digits) : std::string("n/a");
}

std::string fixed3(double v) { return fixed(v, 3); }
std::string significant4(double v) { return significant(v, 4); }

/// "mean ± sd", "mean" when the sd is undefined (one seed), "n/a" without a mean.
template <class Format>
std::string mean_sd(const summary_stats& s, Format format) {
  if (!std::isfinite(s.mean)) return "n/a";
  std::string out = format(s.mean);
  if (std::isfinite(s.sd)) out.append(" ").append(plus_minus).append(" ").append(format(s.sd));
  return out;
}

std::string interval(double low, double high) {
  if (!std::isfinite(low) || !std::isfinite(high)) return "n/a";
  return "[" + fixed3(low) + ", " + fixed3(high) + "]";
}

std::string join(const std::vector<std::string>& items, std::string_view none = "none") {
  if (items.empty()) return std::string(none);
  std::string out;
  for (const auto& s : items) out.append(out.empty() ? "" : ", ").append(s);
  return out;
}

// ---- Axes ---------------------------------------------------------------------------------------

/// A linear axis with "nice" ticks (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi].
struct axis {
  double lo = 0.0, hi = 1.0;
  std::vector<double> ticks{};
  int decimals = 0;
};

axis nice_axis(double lo, double hi, double min_step = 0.0) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = 0.0;
    hi = 1.0;
  }
  if (hi < lo) std::swap(lo, hi);
  if (hi - lo <= 1e-12 * std::max(1.0, std::abs(hi))) {  // a flat series
    const double pad = lo == 0.0 ? 1.0 : 0.1 * std::abs(lo);
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / 5.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10.0 * magnitude;
  int extra_decimals = 0;
  for (const double m : {1.0, 2.0, 2.5, 5.0}) {
    if (m * magnitude >= raw * (1 - 1e-9)) {
      step = m * magnitude;
      extra_decimals = m == 2.5 ? 1 : 0;
      break;
    }
  }
  if (step < min_step) {
    step = min_step;
    extra_decimals = 0;
  }
  axis a;
  const double k0 = std::floor(lo / step + 1e-9);
  const double k1 = std::ceil(hi / step - 1e-9);
  a.lo = k0 * step;
  a.hi = k1 * step;
  for (double k = k0; k <= k1 && a.ticks.size() < 50; k += 1.0) {  // bounded, whatever the data
    const double t = k * step;
    a.ticks.push_back(std::abs(t) < 1e-9 * step ? 0.0 : t);  // no "-0.0" label
  }
  a.decimals =
      std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)) + extra_decimals, 0, 8);
  return a;
}

/// The plotting rectangle, in pixels.
struct area {
  double left, top, right, bottom;
};

double map_x(const area& p, const axis& a, double v) {
  return p.left + (v - a.lo) / (a.hi - a.lo) * (p.right - p.left);
}

double map_y(const area& p, const axis& a, double v) {
  return p.bottom - (v - a.lo) / (a.hi - a.lo) * (p.bottom - p.top);
}

std::string segment(double x1, double y1, double x2, double y2) {
  return "M" + px(x1) + " " + px(y1) + "L" + px(x2) + " " + px(y2);
}

/// Grid lines, ticks, tick labels and the rotated label of the vertical axis.
void y_axis(std::string& out, const area& p, const axis& a, std::string_view label) {
  std::string grid, ticks, labels;
  for (const double t : a.ticks) {
    const double y = map_y(p, a, t);
    grid += segment(p.left, y, p.right, y);
    ticks += segment(p.left - 4, y, p.left, y);
    labels += "<text x=\"" + px(p.left - 7) + "\" y=\"" + px(y + 4) + "\" text-anchor=\"end\">" +
              fixed(t, a.decimals) + "</text>\n";
  }
  out += "<path d=\"" + grid + "\" stroke=\"#e4e4e4\" fill=\"none\"/>\n";
  out += "<path d=\"" + ticks + segment(p.left, p.top, p.left, p.bottom) +
         "\" stroke=\"#333\" fill=\"none\"/>\n";
  out += labels;
  out += "<text transform=\"translate(16 " + px((p.top + p.bottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + escape(label) + "</text>\n";
}

/// The horizontal axis line, plus numeric ticks and a label when `a` is given.
void x_axis(std::string& out, const area& p, const axis* a, std::string_view label) {
  std::string d = segment(p.left, p.bottom, p.right, p.bottom);
  std::string labels;
  if (a != nullptr) {
    for (const double t : a->ticks) {
      const double x = map_x(p, *a, t);
      d += segment(x, p.bottom, x, p.bottom + 4);
      labels += "<text x=\"" + px(x) + "\" y=\"" + px(p.bottom + 17) +
                "\" text-anchor=\"middle\">" + fixed(t, a->decimals) + "</text>\n";
    }
  }
  out += "<path d=\"" + d + "\" stroke=\"#333\" fill=\"none\"/>\n" + labels;
  if (!label.empty())
    out += "<text x=\"" + px((p.left + p.right) / 2) + "\" y=\"" + px(p.bottom + 36) +
           "\" text-anchor=\"middle\">" + escape(label) + "</text>\n";
}

// Text width is estimated at 7 px per character of the 12 px sans-serif font.
constexpr double char_width = 7.0;
constexpr std::size_t max_label_chars = 16;

/// Characters (code points) of UTF-8 text.
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

/// A category label of at most max_label_chars characters, cut with an ellipsis.
std::string short_label(const std::string& s) {
  if (code_points(s) <= max_label_chars) return s;
  std::size_t kept = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (kept == max_label_chars - 1) break;
    ++kept;
  }
  return s.substr(0, i) + "\xE2\x80\xA6";
}

/// Whether category labels must be rotated to fit their bands.
bool labels_rotated(const std::vector<std::string>& names, double band) {
  std::size_t longest = 0;
  for (const auto& n : names) longest = std::max(longest, code_points(short_label(n)));
  return static_cast<double>(longest) * char_width > band;
}

/// Room under the horizontal axis for category labels.
double label_room(bool rotated) { return rotated ? 90.0 : 36.0; }

/// Category names under the axis (the full name as a tooltip when cut).
void category_labels(std::string& out, const area& p, const std::vector<std::string>& names,
                     const std::vector<double>& centres, bool rotated) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string label = short_label(names[i]);
    const std::string tooltip =
        label == names[i] ? std::string() : "<title>" + escape(names[i]) + "</title>";
    if (rotated)
      out += "<text transform=\"translate(" + px(centres[i] + 4) + " " + px(p.bottom + 12) +
             ") rotate(-35)\" text-anchor=\"end\">" + tooltip + escape(label) + "</text>\n";
    else
      out += "<text x=\"" + px(centres[i]) + "\" y=\"" + px(p.bottom + 17) +
             "\" text-anchor=\"middle\">" + tooltip + escape(label) + "</text>\n";
  }
}

// ---- Legend and frame ---------------------------------------------------------------------------

enum class swatch { box, line, dashed, dotted, point, whisker };

struct legend_entry {
  swatch kind;
  std::string color;
  std::string label;
  double opacity = 1.0;
};

/// Draws the legend at (x, y) and returns its right edge (estimated from the text length).
double legend(std::string& out, double x, double y, const std::vector<legend_entry>& entries) {
  std::size_t longest = 0;
  for (const auto& e : entries) longest = std::max(longest, code_points(e.label));
  out += "<g class=\"legend\">\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const double yi = y + 18.0 * static_cast<double>(i);
    const std::string stroke = "\" stroke=\"" + e.color + "\" stroke-opacity=\"" +
                               fixed(e.opacity, 2) + "\" fill=\"none\"";
    switch (e.kind) {
      case swatch::box:
        out += "<rect x=\"" + px(x + 4) + "\" y=\"" + px(yi - 10) +
               "\" width=\"14\" height=\"10\" fill=\"" + e.color + "\"/>\n";
        break;
      case swatch::line:
        out +=
            "<path d=\"" + segment(x, yi - 5, x + 22, yi - 5) + stroke + " stroke-width=\"2\"/>\n";
        break;
      case swatch::dashed:
        out += "<path d=\"" + segment(x, yi - 5, x + 22, yi - 5) + stroke +
               " stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n";
        break;
      case swatch::dotted:
        out += "<path d=\"" + segment(x, yi - 5, x + 22, yi - 5) + stroke +
               " stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>\n";
        break;
      case swatch::point:
        out += "<circle cx=\"" + px(x + 11) + "\" cy=\"" + px(yi - 5) + "\" r=\"4\" fill=\"" +
               e.color + "\"/>\n";
        break;
      case swatch::whisker:
        out += "<path d=\"" + segment(x + 11, yi - 11, x + 11, yi + 1) +
               segment(x + 7, yi - 11, x + 15, yi - 11) + segment(x + 7, yi + 1, x + 15, yi + 1) +
               stroke + "/>\n";
        break;
    }
    out += "<text x=\"" + px(x + 28) + "\" y=\"" + px(yi) + "\">" + escape(e.label) + "</text>\n";
  }
  out += "</g>\n";
  return x + 28 + char_width * static_cast<double>(longest);
}

/// The <svg> element around `body`.
std::string svg_element(std::string_view id, double width, double height, std::string_view title,
                        std::string_view description, const std::string& body) {
  const auto w = static_cast<long>(std::ceil(width));
  const auto h = static_cast<long>(std::ceil(height));
  std::string out = svg::open_tag(w, h, id);
  out += fmt::format("<title id=\"{}-title\">{}</title>\n", id, escape(title));
  out += fmt::format("<desc id=\"{}-desc\">{}</desc>\n", id, escape(description));
  return out + body + "</svg>\n";
}

/// A message in place of a plot that has nothing to show.
void empty_plot(std::string& out, double width, double height, std::string_view message) {
  out += "<text x=\"" + px(width / 2) + "\" y=\"" + px(height / 2) +
         "\" text-anchor=\"middle\" font-size=\"14\" fill=\"#555\">" + escape(message) +
         "</text>\n";
}

// ---- The four plots -----------------------------------------------------------------------------

// Plot areas end at plot_right; the legend goes right of it and may widen the svg.
constexpr double plot_width = 760, plot_height = 340, plot_right = 560, empty_height = 60;
// Bottom of the plot area of the bar and point charts.
constexpr double plot_bottom = 276;

/// One loss series as polylines over its finite stretches (a lone point becomes a dot).
void curve(std::string& out, const area& p, const axis& xa, const axis& ya,
           const std::vector<double>& loss, const std::string& tooltip, const char* color,
           double opacity, double stroke_width, bool dashed) {
  if (loss.empty()) return;
  out += "<g fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-opacity=\"" +
         fixed(opacity, 2) + "\" stroke-width=\"" + fixed(stroke_width, 1) + "\"" +
         (dashed ? " stroke-dasharray=\"6 3\"" : "") + "><title>" + escape(tooltip) + "</title>\n";
  std::vector<std::string> points;
  const auto flush = [&] {
    if (points.size() == 1) {
      const auto comma = points[0].find(',');
      out += "<circle cx=\"" + points[0].substr(0, comma) + "\" cy=\"" +
             points[0].substr(comma + 1) + "\" r=\"2\" fill=\"" + color + "\" fill-opacity=\"" +
             fixed(opacity, 2) + "\"/>\n";
    } else if (points.size() > 1) {
      std::string list;
      for (const auto& pt : points) list.append(list.empty() ? "" : " ").append(pt);
      out += "<polyline points=\"" + list + "\"/>\n";
    }
    points.clear();
  };
  for (std::size_t e = 0; e < loss.size(); ++e) {
    if (!std::isfinite(loss[e])) {
      flush();
      continue;
    }
    points.push_back(px(map_x(p, xa, static_cast<double>(e + 1))) + "," +
                     px(map_y(p, ya, loss[e])));
  }
  flush();
  out += "</g>\n";
}

/// The training curves of a report and their extent.
struct training_series {
  struct series {
    std::size_t method;
    const seed_result* run;
    bool first;  // the method's first seed with a curve
  };
  std::vector<series> all{};
  std::vector<std::size_t> methods{};  // methods with a curve
  std::size_t epochs = 0;
  double lo = infinity, hi = -infinity;  // finite losses only
  bool validation = false;               // any finite validation loss
  bool faint = false;                    // any seed after a method's first
};

training_series collect_training(const benchmark_report& r) {
  training_series t;
  for (std::size_t m = 0; m < r.methods.size(); ++m) {
    bool first = true;
    for (const auto& run : r.methods[m].runs) {
      const auto& c = run.training;
      if (c.empty()) continue;
      if (first) t.methods.push_back(m);
      t.all.push_back({m, &run, first});
      t.faint = t.faint || !first;
      first = false;
      t.epochs = std::max({t.epochs, c.train_loss.size(), c.validation_loss.size()});
      for (const auto* losses : {&c.train_loss, &c.validation_loss}) {
        for (const double v : *losses) {
          if (!std::isfinite(v)) continue;
          t.lo = std::min(t.lo, v);
          t.hi = std::max(t.hi, v);
          t.validation = t.validation || losses == &c.validation_loss;
        }
      }
    }
  }
  return t;
}

/// Dotted lines where the schedule stage changes; returns whether there was any.
bool stage_marks(std::string& out, const area& p, const axis& xa, const std::string& method,
                 const char* color, const std::vector<std::string>& stage) {
  bool any = false;
  for (std::size_t e = 1; e < stage.size(); ++e) {
    if (stage[e] == stage[e - 1]) continue;
    any = true;
    const double x = map_x(p, xa, static_cast<double>(e) + 0.5);
    out += "<g><title>" +
           escape(method + ": stage '" + stage[e] + "' from epoch " + std::to_string(e + 1)) +
           "</title>\n<path d=\"" + segment(x, p.top, x, p.bottom) + "\" stroke=\"" + color +
           "\" stroke-dasharray=\"2 3\" fill=\"none\"/>\n<text x=\"" + px(x + 3) + "\" y=\"" +
           px(p.top + 10) + "\" font-size=\"10\" fill=\"" + color + "\">" + escape(stage[e]) +
           "</text>\n</g>\n";
  }
  return any;
}

std::string plot_training(const benchmark_report& r) {
  std::string out;
  const auto finish = [&](double width, double height) {
    return svg_element("plot-training", width, height, "Training curves",
                       "Training loss per epoch (solid) and validation loss (dashed) of the "
                       "methods that train by epochs; the first seed strong, the other seeds "
                       "faint.",
                       out);
  };
  const training_series t = collect_training(r);
  if (t.all.empty()) {
    empty_plot(out, plot_width, empty_height, "no trained models in this run");
    return finish(plot_width, empty_height);
  }
  if (!(t.lo <= t.hi)) {
    empty_plot(out, plot_width, empty_height, "no finite loss values in this run");
    return finish(plot_width, empty_height);
  }
  const area p{64, 16, plot_right, plot_height - 48};
  const axis ya = nice_axis(t.lo, t.hi);
  const axis xa = nice_axis(1.0, static_cast<double>(t.epochs), 1.0);
  y_axis(out, p, ya, "loss");
  x_axis(out, p, &xa, "epoch");

  // Faint seeds first, so the first seed of each method is drawn on top.
  for (const bool strong : {false, true}) {
    for (const auto& s : t.all) {
      if (s.first != strong) continue;
      const auto& name = r.methods[s.method].method;
      const std::string seed = "seed " + std::to_string(s.run->seed);
      const double opacity = strong ? 1.0 : 0.3;
      const double stroke = strong ? 2.0 : 1.0;
      curve(out, p, xa, ya, s.run->training.train_loss, name + ", " + seed + ": training loss",
            color_of(s.method), opacity, stroke, false);
      curve(out, p, xa, ya, s.run->training.validation_loss,
            name + ", " + seed + ": validation loss", color_of(s.method), opacity, stroke, true);
    }
  }

  // Schedule stage changes of each method's first seed.
  bool stages = false;
  for (const auto& s : t.all)
    if (s.first)
      stages = stage_marks(out, p, xa, r.methods[s.method].method, color_of(s.method),
                           s.run->training.stage) ||
               stages;

  std::vector<legend_entry> entries;
  for (const auto m : t.methods) entries.push_back({swatch::box, color_of(m), r.methods[m].method});
  entries.push_back({swatch::line, "#555", "training loss"});
  if (t.validation) entries.push_back({swatch::dashed, "#555", "validation loss"});
  if (t.faint) entries.push_back({swatch::line, "#555", "other seeds", 0.3});
  if (stages) entries.push_back({swatch::dotted, "#555", "stage change"});
  const double right = legend(out, p.right + 20, p.top + 12, entries);
  return finish(std::max(plot_width, right + 10), plot_height);
}

std::string plot_rmse(const benchmark_report& r) {
  std::string out;
  const auto finish = [&](double width, double height) {
    return svg_element("plot-rmse", width, height, "Pooled RMSE by method",
                       "RMSE on the hidden cells in z-score units, mean over seeds with whiskers "
                       "of one standard deviation.",
                       out);
  };
  const std::size_t n = r.methods.size();
  double hi = 0.0;
  bool any_sd = false;
  for (const auto& m : r.methods) {
    if (!std::isfinite(m.rmse.mean)) continue;
    const bool sd = std::isfinite(m.rmse.sd);
    any_sd = any_sd || sd;
    hi = std::max(hi, m.rmse.mean + (sd ? m.rmse.sd : 0.0));
  }
  if (n == 0 || !(hi > 0.0)) {
    empty_plot(out, plot_width, empty_height, "no RMSE values in this run");
    return finish(plot_width, empty_height);
  }
  const area p{64, 16, plot_right, plot_bottom};
  const axis ya = nice_axis(0.0, hi * 1.08);
  y_axis(out, p, ya, "RMSE (z-score)");
  const double band = (p.right - p.left) / static_cast<double>(n);
  std::vector<std::string> names;
  for (const auto& m : r.methods) names.push_back(m.method);
  const bool rotated = labels_rotated(names, band);
  std::vector<double> centres;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& m = r.methods[i];
    const double cx = p.left + band * (static_cast<double>(i) + 0.5);
    centres.push_back(cx);
    if (!std::isfinite(m.rmse.mean)) continue;
    const double bw = std::min(0.6 * band, 80.0);
    const double y = map_y(p, ya, m.rmse.mean);
    out += "<rect x=\"" + px(cx - bw / 2) + "\" y=\"" + px(y) + "\" width=\"" + px(bw) +
           "\" height=\"" + px(p.bottom - y) + "\" fill=\"" + color_of(i) + "\"><title>" +
           escape(m.method + ": RMSE " + mean_sd(m.rmse, fixed3) + " (" + std::to_string(m.rmse.n) +
                  " seeds)") +
           "</title></rect>\n";
    double top = y;
    if (std::isfinite(m.rmse.sd)) {
      const double y_hi = map_y(p, ya, m.rmse.mean + m.rmse.sd);
      const double y_lo = map_y(p, ya, std::max(m.rmse.mean - m.rmse.sd, ya.lo));
      const double w = std::min(bw / 4, 8.0);
      out += "<path d=\"" + segment(cx, y_lo, cx, y_hi) + segment(cx - w, y_hi, cx + w, y_hi) +
             segment(cx - w, y_lo, cx + w, y_lo) + "\" stroke=\"#222\" fill=\"none\"/>\n";
      top = y_hi;
    }
    out += "<text x=\"" + px(cx) + "\" y=\"" + px(top - 5) +
           "\" text-anchor=\"middle\" font-size=\"10\">" + fixed3(m.rmse.mean) + "</text>\n";
  }
  x_axis(out, p, nullptr, "");
  category_labels(out, p, names, centres, rotated);
  std::vector<legend_entry> entries{{swatch::box, "#888", "mean over seeds"}};
  if (any_sd) entries.push_back({swatch::whisker, "#222", std::string(plus_minus) + " 1 sd"});
  const double right = legend(out, p.right + 20, p.top + 12, entries);
  return finish(std::max(plot_width, right + 10), plot_bottom + label_room(rotated));
}

std::string plot_variables(const benchmark_report& r) {
  std::vector<std::string> columns;
  for (const auto& m : r.methods)
    for (const auto& v : m.per_variable)
      if (std::find(columns.begin(), columns.end(), v.column) == columns.end())
        columns.push_back(v.column);
  const std::size_t n_methods = std::max<std::size_t>(r.methods.size(), 1);
  const double band = std::max(36.0, 12.0 * static_cast<double>(n_methods) + 14.0);
  const double left = 64;
  std::string out;
  const auto finish = [&](double width, double height) {
    return svg_element("plot-variables", width, height, "RMSE per variable by method",
                       "RMSE on the hidden cells of each target variable in z-score units, mean "
                       "over seeds, one bar per method.",
                       out);
  };
  const auto value = [](const method_report& m, const std::string& column) {
    for (const auto& v : m.per_variable)
      if (v.column == column) return v.rmse;
    return std::numeric_limits<double>::quiet_NaN();
  };
  double hi = 0.0;
  for (const auto& m : r.methods)
    for (const auto& c : columns)
      if (const double v = value(m, c); std::isfinite(v)) hi = std::max(hi, v);
  if (columns.empty() || !(hi > 0.0)) {
    empty_plot(out, plot_width, empty_height, "no per-variable RMSE values in this run");
    return finish(plot_width, empty_height);
  }
  const area p{left, 16, std::max(plot_right, left + band * static_cast<double>(columns.size())),
               plot_bottom};
  const axis ya = nice_axis(0.0, hi * 1.05);
  y_axis(out, p, ya, "RMSE (z-score)");
  const double group = (p.right - p.left) / static_cast<double>(columns.size());
  const bool rotated = labels_rotated(columns, group);
  const double bw = std::min(12.0, (group - 10.0) / static_cast<double>(n_methods));
  std::vector<double> centres;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const double cx = p.left + group * (static_cast<double>(j) + 0.5);
    centres.push_back(cx);
    const double x0 = cx - bw * static_cast<double>(r.methods.size()) / 2;
    for (std::size_t i = 0; i < r.methods.size(); ++i) {
      const double v = value(r.methods[i], columns[j]);
      if (!std::isfinite(v)) continue;
      const double y = map_y(p, ya, v);
      out += "<rect x=\"" + px(x0 + bw * static_cast<double>(i)) + "\" y=\"" + px(y) +
             "\" width=\"" + px(bw) + "\" height=\"" + px(p.bottom - y) + "\" fill=\"" +
             color_of(i) + "\"><title>" +
             escape(r.methods[i].method + ", " + columns[j] + ": RMSE " + fixed3(v)) +
             "</title></rect>\n";
    }
  }
  x_axis(out, p, nullptr, "");
  category_labels(out, p, columns, centres, rotated);
  std::vector<legend_entry> entries;
  for (std::size_t i = 0; i < r.methods.size(); ++i)
    entries.push_back({swatch::box, color_of(i), r.methods[i].method});
  const double right = legend(out, p.right + 20, p.top + 12, entries);
  return finish(std::max(plot_width, right + 10), plot_bottom + label_room(rotated));
}

std::string plot_auroc(const benchmark_report& r) {
  std::string out;
  const auto finish = [&](double width, double height) {
    return svg_element("plot-auroc", width, height, "Downstream AUROC by method",
                       "AUROC of the mortality classifier on the completed data, mean over seeds "
                       "with the bootstrap confidence interval; the dashed line is the reference "
                       "AUROC on the unmasked data.",
                       out);
  };
  double lo = infinity, hi = -infinity;
  const auto include = [&](double v) {
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  };
  bool any_ci = false;
  for (const auto& m : r.methods) {
    include(m.auroc.mean);
    if (std::isfinite(m.auroc.mean) && std::isfinite(m.auroc.ci_low) &&
        std::isfinite(m.auroc.ci_high)) {
      include(m.auroc.ci_low);
      include(m.auroc.ci_high);
      any_ci = true;
    }
  }
  if (r.outcome.empty() || !(lo <= hi)) {
    empty_plot(out, plot_width, empty_height, "no outcome column: no AUROC in this run");
    return finish(plot_width, empty_height);
  }
  const double reference = r.reference_auroc.mean;
  include(reference);
  const double pad = std::max(0.01, 0.1 * (hi - lo));
  const area p{64, 16, plot_right, plot_bottom};
  const axis ya = nice_axis(std::max(0.0, lo - pad), std::min(1.0, hi + pad));
  y_axis(out, p, ya, "AUROC");
  const std::size_t n = r.methods.size();
  const double band = (p.right - p.left) / static_cast<double>(n);
  std::vector<std::string> names;
  for (const auto& m : r.methods) names.push_back(m.method);
  const bool rotated = labels_rotated(names, band);
  if (std::isfinite(reference)) {
    const double y = map_y(p, ya, reference);
    out += "<g><title>" + escape("reference AUROC (unmasked data): " + fixed3(reference)) +
           "</title>\n<path d=\"" + segment(p.left, y, p.right, y) +
           "\" stroke=\"#555\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\" fill=\"none\"/>\n"
           "<text x=\"" +
           px(p.right - 4) + "\" y=\"" + px(y - 5) +
           "\" text-anchor=\"end\" font-size=\"10\" fill=\"#555\">reference " + fixed3(reference) +
           "</text>\n</g>\n";
  }
  std::vector<double> centres;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& m = r.methods[i];
    const double cx = p.left + band * (static_cast<double>(i) + 0.5);
    centres.push_back(cx);
    if (!std::isfinite(m.auroc.mean)) continue;
    const double y = map_y(p, ya, m.auroc.mean);
    if (std::isfinite(m.auroc.ci_low) && std::isfinite(m.auroc.ci_high)) {
      const double y_lo = map_y(p, ya, m.auroc.ci_low);
      const double y_hi = map_y(p, ya, m.auroc.ci_high);
      out += "<path d=\"" + segment(cx, y_lo, cx, y_hi) + segment(cx - 6, y_hi, cx + 6, y_hi) +
             segment(cx - 6, y_lo, cx + 6, y_lo) + "\" stroke=\"" + color_of(i) +
             "\" stroke-width=\"1.5\" fill=\"none\"/>\n";
    }
    out += "<circle cx=\"" + px(cx) + "\" cy=\"" + px(y) + "\" r=\"5\" fill=\"" + color_of(i) +
           "\"><title>" +
           escape(m.method + ": AUROC " + mean_sd(m.auroc, fixed3) + ", bootstrap CI " +
                  interval(m.auroc.ci_low, m.auroc.ci_high)) +
           "</title></circle>\n";
    out += "<text x=\"" + px(cx + 9) + "\" y=\"" + px(y + 4) + "\" font-size=\"10\">" +
           fixed3(m.auroc.mean) + "</text>\n";
  }
  x_axis(out, p, nullptr, "");
  category_labels(out, p, names, centres, rotated);
  std::vector<legend_entry> entries{{swatch::point, "#888", "mean over seeds"}};
  if (any_ci) entries.push_back({swatch::whisker, "#222", "bootstrap CI of the mean"});
  if (std::isfinite(reference))
    entries.push_back({swatch::dashed, "#555", "reference (unmasked data)"});
  const double right = legend(out, p.right + 20, p.top + 12, entries);
  return finish(std::max(plot_width, right + 10), plot_bottom + label_room(rotated));
}

// ---- The page -----------------------------------------------------------------------------------

constexpr std::string_view style =
    R"(body{font-family:sans-serif;margin:2em auto;max-width:80em;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1em}
th,td{border-bottom:1px solid #ddd;padding:0.3em 0.7em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
thead th{border-bottom:2px solid #888}
pre{background:#f4f4f4;margin:0;padding:0.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
figure{margin:1em 0 2em}
figcaption{color:#444;font-size:0.9em;max-width:60em}
svg{max-width:100%;height:auto}
.note{color:#444;font-size:0.9em}
.wide{overflow-x:auto}
)";

void setting(std::string& out, std::string_view name, const std::string& value_html) {
  out += "<tr><th scope=\"row\">" + escape(name) + "</th><td>" + value_html + "</td></tr>\n";
}

std::string seeds_text(const std::vector<std::uint64_t>& seeds) {
  std::vector<std::string> s;
  for (const auto v : seeds) s.push_back(std::to_string(v));
  return std::to_string(seeds.size()) + " (" + join(s) + ")";
}

void settings_section(std::string& out, const benchmark_report& r,
                      const html_report_options& options) {
  out += "<section id=\"settings\">\n<h2>Settings</h2>\n<table class=\"settings\">\n";
  setting(out, "Rows", std::to_string(r.rows));
  setting(out, "Targets",
          escape(std::to_string(r.targets.size()) + " (" + join(r.targets, "") + ")"));
  setting(out, "Covariates", escape(join(r.covariates)));
  setting(out, "Outcome", escape(r.outcome.empty() ? std::string("none") : r.outcome));
  setting(out, "Mask rate",
          escape(significant(r.mask_rate, 4) + " of the observed target cells per seed"));
  setting(out, "Seeds", escape(seeds_text(r.seeds)));
  setting(out, "Downstream classifier",
          r.outcome.empty() ? "n/a" : escape(downstream_classifier_name(r.classifier)));
  setting(out, "Classifier folds", r.outcome.empty() ? "n/a" : std::to_string(r.folds));
  setting(out, "Natural missing fraction",
          escape(fixed(100.0 * r.natural_missing_fraction, 2) + " % of the target cells"));
  if (!r.outcome.empty())
    setting(out, "Reference AUROC (unmasked data)",
            escape(mean_sd(r.reference_auroc, fixed3) + ", bootstrap CI " +
                   interval(r.reference_auroc.ci_low, r.reference_auroc.ci_high)));
  setting(out, "Wall time", escape(fixed(r.wall_seconds, 2) + " s"));
  if (!options.command_line.empty())
    setting(out, "Command line",
            "<pre id=\"command-line\"><code>" + escape(options.command_line) + "</code></pre>");
  out += "</table>\n</section>\n";
}

// What the benchmark found doubtful about the data, above the numbers it qualifies.
void warnings_section(std::string& out, const benchmark_report& r) {
  if (r.warnings.empty()) return;
  out += "<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul class=\"warnings\">\n";
  for (const auto& w : r.warnings) out += "<li>" + escape(w) + "</li>\n";
  out += "</ul>\n</section>\n";
}

void results_section(std::string& out, const benchmark_report& r) {
  out +=
      "<section id=\"results\">\n<h2>Results</h2>\n<div class=\"wide\"><table "
      "class=\"results\">\n<thead><tr>"
      "<th scope=\"col\">Method</th><th scope=\"col\">RMSE (z-score)</th>"
      "<th scope=\"col\">RMSE (original units)</th><th scope=\"col\">MAE (z-score)</th>"
      "<th scope=\"col\">MAE (original units)</th><th scope=\"col\">AUROC</th>"
      "<th scope=\"col\">AUROC bootstrap CI</th><th scope=\"col\">AUPRC</th>"
      "<th scope=\"col\">Wall time (s)</th></tr></thead>\n<tbody>\n";
  bool unconverged = false;
  for (const auto& m : r.methods) {
    bool converged = true;
    for (const auto& run : m.runs) converged = converged && run.classifier_converged;
    const bool mark = !r.outcome.empty() && !converged;
    unconverged = unconverged || mark;
    const auto cell = [](const std::string& text) {
      return "<td class=\"num\">" + escape(text) + "</td>";
    };
    out += "<tr><th scope=\"row\">" + escape(m.method) + "</th>" + cell(mean_sd(m.rmse, fixed3)) +
           cell(mean_sd(m.rmse_original, significant4)) + cell(mean_sd(m.mae, fixed3)) +
           cell(mean_sd(m.mae_original, significant4)) +
           cell(mean_sd(m.auroc, fixed3) + (mark ? " *" : "")) +
           cell(interval(m.auroc.ci_low, m.auroc.ci_high)) + cell(mean_sd(m.auprc, fixed3)) +
           cell(fixed(m.wall_seconds, 2)) + "</tr>\n";
  }
  out += "</tbody>\n</table></div>\n";
  out +=
      "<p class=\"note\">RMSE and MAE on the hidden cells (pooled over the targets), in "
      "z-score units (log1p where configured, then scaled on the visible cells) and in the "
      "original units; mean " +
      std::string(plus_minus) +
      " sample sd over the seeds. AUROC and AUPRC: mean over the cross-validation folds "
      "of each seed, then over the seeds; the interval is the percentile bootstrap of the "
      "mean over seeds. n/a: not defined (a single seed, or no outcome).</p>\n";
  if (unconverged)
    out += "<p class=\"note\">* the classifier did not converge on some folds.</p>\n";
  out += "</section>\n";
}

void per_variable_section(std::string& out, const benchmark_report& r) {
  std::vector<std::string> columns;
  for (const auto& m : r.methods)
    for (const auto& v : m.per_variable)
      if (std::find(columns.begin(), columns.end(), v.column) == columns.end())
        columns.push_back(v.column);
  if (columns.empty()) return;
  out +=
      "<section id=\"per-variable\">\n<h2>RMSE per variable</h2>\n<div class=\"wide\"><table "
      "class=\"per-variable\">\n<thead><tr><th scope=\"col\">Variable</th>";
  for (const auto& m : r.methods) out += "<th scope=\"col\">" + escape(m.method) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& c : columns) {
    out += "<tr><th scope=\"row\">" + escape(c) + "</th>";
    for (const auto& m : r.methods) {
      std::string text = "n/a";
      for (const auto& v : m.per_variable)
        if (v.column == c && std::isfinite(v.rmse))
          text = fixed3(v.rmse) + " (" + significant4(v.rmse_original) + ")";
      out += "<td class=\"num\">" + escape(text) + "</td>";
    }
    out += "</tr>\n";
  }
  out +=
      "</tbody>\n</table></div>\n<p class=\"note\">z-score units (original units in parentheses), "
      "mean over the seeds whose mask hid cells of the variable.</p>\n</section>\n";
}

// Money counters are named "<what>_<unit>_micros" (integer millionths of the unit).
std::string money_cell(const impute::evaluation_counts& c, std::string_view what) {
  std::string text;
  for (const auto& [k, v] : c) {
    const std::string prefix = std::string(what) + "_";
    const std::string suffix = "_micros";
    if (k.rfind(prefix, 0) != 0 || k.size() <= prefix.size() + suffix.size() ||
        k.compare(k.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string unit = k.substr(prefix.size(), k.size() - prefix.size() - suffix.size());
    text += (text.empty() ? "" : ", ") + fixed(static_cast<double>(v) / 1e6, 2) + " " + unit;
  }
  return text.empty() ? "n/a" : text;
}

std::uint64_t count_of(const impute::evaluation_counts& c, const std::string& key) {
  const auto it = c.find(key);
  return it == c.end() ? 0 : it->second;
}

// Circuits, shots, jobs and money per epoch and per run, for the methods whose training sent
// circuits to a backend (absent otherwise).
void hardware_section(std::string& out, const benchmark_report& r) {
  bool any = false;
  for (const auto& m : r.methods)
    for (const auto& run : m.runs) any = any || !run.training.usage.empty();
  if (!any) return;
  out +=
      "<section id=\"hardware\">\n<h2>Hardware use</h2>\n<div class=\"wide\"><table "
      "class=\"results\">\n<thead><tr><th scope=\"col\">Method</th><th scope=\"col\">Seed</th>"
      "<th scope=\"col\">Epoch</th><th scope=\"col\">Stage</th>"
      "<th scope=\"col\">Circuits</th><th scope=\"col\">Shots</th>"
      "<th scope=\"col\">Backend calls</th><th scope=\"col\">IonQ jobs</th>"
      "<th scope=\"col\">Quoted</th><th scope=\"col\">Cost</th></tr></thead>\n<tbody>\n";
  const auto num = [](std::uint64_t v) {
    return "<td class=\"num\">" + std::to_string(v) + "</td>";
  };
  const auto row = [&](const std::string& method, const std::string& seed, const std::string& epoch,
                       const std::string& stage, const impute::evaluation_counts& c) {
    out += "<tr><th scope=\"row\">" + escape(method) + "</th><td>" + escape(seed) + "</td><td>" +
           escape(epoch) + "</td><td>" + escape(stage) + "</td>" + num(count_of(c, "circuits")) +
           num(count_of(c, "shots")) + num(count_of(c, "backend_calls")) +
           num(count_of(c, "ionq_jobs")) + "<td class=\"num\">" +
           escape(money_cell(c, "ionq_quote")) + "</td><td class=\"num\">" +
           escape(money_cell(c, "ionq_cost")) + "</td></tr>\n";
  };
  for (const auto& m : r.methods)
    for (const auto& run : m.runs) {
      const auto& t = run.training;
      if (t.usage.empty()) continue;
      impute::evaluation_counts total;
      for (std::size_t e = 0; e < t.usage.size(); ++e) {
        for (const auto& [k, v] : t.usage[e]) total[k] += v;
        row(m.method, std::to_string(run.seed), std::to_string(e + 1),
            e < t.stage.size() ? t.stage[e] : std::string(), t.usage[e]);
      }
      row(m.method, std::to_string(run.seed), "run", "all epochs", total);
    }
  out +=
      "</tbody>\n</table></div>\n<p class=\"note\">What each epoch of training sent to the "
      "backend: circuits, shots and run_batch calls of the quantum layer, and on IonQ the jobs "
      "submitted, IonQ's quotes before sending and the costs it reported after (n/a without "
      "cost tracking). The run rows are the sums over the epochs.</p>\n</section>\n";
}

void figure(std::string& out, const std::string& svg, std::string_view caption) {
  out += "<figure>\n" + svg + "<figcaption>" + escape(caption) + "</figcaption>\n</figure>\n";
}

}  // namespace

std::string render_html_report(const benchmark_report& report, const html_report_options& options) {
  std::string out;
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"papillon " PAPILLON_VERSION_STRING "\">\n<title>" +
      escape(options.title) + "</title>\n<style>\n" + std::string(style) +
      "</style>\n</head>\n<body>\n<h1>" + escape(options.title) + "</h1>\n";
  settings_section(out, report, options);
  warnings_section(out, report);
  results_section(out, report);
  hardware_section(out, report);
  out += "<section id=\"plots\">\n<h2>Plots</h2>\n";
  figure(out, plot_training(report),
         "Training curves: loss per epoch of the methods that train by epochs (training loss "
         "solid, validation loss dashed; other seeds faint).");
  figure(out, plot_rmse(report),
         "Pooled RMSE on the hidden cells (z-score), mean over seeds with " +
             std::string(plus_minus) + " 1 sd whiskers.");
  figure(out, plot_variables(report), "RMSE per target variable (z-score), mean over seeds.");
  figure(out, plot_auroc(report),
         "Downstream AUROC, mean over seeds with the bootstrap CI; dashed: the reference AUROC "
         "of the same classifier on the unmasked data.");
  out += "</section>\n";
  per_variable_section(out, report);
  out += "</body>\n</html>\n";
  return out;
}

void write_html_report(const std::filesystem::path& path, const benchmark_report& report,
                       const html_report_options& options) {
  const std::string html = render_html_report(report, options);
  try {
    train::write_file_atomically(path, html);
  } catch (const data_error& e) {
    throw data_error("eval::write_html_report", "cannot write the report",
                     path.string() + ": " + e.what());
  }
}

}  // namespace papillon::eval
