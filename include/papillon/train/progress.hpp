#pragma once

/// @file
/// Training progress output: a redrawn bar with ETA on a terminal, plain lines otherwise.

#include <papillon/core/types.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#if defined(__unix__) || defined(__APPLE__)
#  include <unistd.h>
#endif

namespace papillon::train {

/// How the trainer reports progress.
enum class progress_mode {
  automatic,  ///< bar if stderr is a terminal (and no custom sink is set), lines otherwise
  bar,        ///< a bar redrawn in place with loss and ETA, then one line per epoch
  lines,      ///< one plain line per epoch (logs, CI)
  silent,     ///< nothing
};

}  // namespace papillon::train

namespace papillon::detail {

/// True if stderr is a terminal.
inline bool stderr_is_terminal() noexcept {
#if defined(__unix__) || defined(__APPLE__)
  return ::isatty(::fileno(stderr)) != 0;
#else
  return false;
#endif
}

/// Formats seconds as m:ss or h:mm:ss.
inline std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto s = static_cast<long long>(std::llround(seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

/// Draws the trainer's progress. The sink receives ready-made text (default: stderr).
class progress_printer {
 public:
  using sink_type = std::function<void(std::string_view)>;

  progress_printer(train::progress_mode mode, sink_type sink) : m_sink(std::move(sink)) {
    if (mode == train::progress_mode::automatic)
      mode =
          !m_sink && stderr_is_terminal() ? train::progress_mode::bar : train::progress_mode::lines;
    m_mode = mode;
    if (!m_sink)
      m_sink = [](std::string_view text) {
        std::fwrite(text.data(), 1, text.size(), stderr);
        std::fflush(stderr);
      };
  }

  /// Starts an epoch of `steps` mini-batches; `label` is e.g. "stage 1/2 'sim' epoch 3/10".
  void begin_epoch(std::string label, index_t steps) {
    m_label = std::move(label);
    m_steps = steps;
    m_start = clock::now();
    m_last_draw = m_start - std::chrono::seconds(1);
  }

  /// Reports `done` finished steps and the running mean loss.
  void step(index_t done, double running_loss) {
    if (m_mode != train::progress_mode::bar) return;
    const auto now = clock::now();
    // Redraw at most ten times a second, and always for the last step.
    if (done < m_steps && now - m_last_draw < std::chrono::milliseconds(100)) return;
    m_last_draw = now;
    const double elapsed = seconds_since(m_start, now);
    const double eta =
        done == 0 ? -1.0
                  : elapsed / static_cast<double>(done) * static_cast<double>(m_steps - done);
    constexpr index_t width = 24;
    const index_t filled = m_steps == 0 ? width : width * done / m_steps;
    std::string bar(filled, '=');
    if (filled < width) bar += '>' + std::string(width - filled - 1, ' ');
    char loss[32];
    std::snprintf(loss, sizeof loss, "%.6g", running_loss);
    draw("\r" + m_label + " [" + bar + "] " + std::to_string(done) + "/" + std::to_string(m_steps) +
         " loss " + loss + " ETA " + format_duration(eta));
  }

  /// Ends the epoch with a summary (losses) appended to the label.
  void end_epoch(std::string_view summary) {
    if (m_mode == train::progress_mode::silent) return;
    const std::string line = m_label + " " + std::string(summary) + " (" +
                             format_duration(seconds_since(m_start, clock::now())) + ")";
    if (m_mode == train::progress_mode::bar)
      draw("\r" + line + "\n");
    else
      m_sink(line + "\n");
    m_drawn = 0;
  }

  [[nodiscard]] train::progress_mode mode() const noexcept { return m_mode; }

 private:
  using clock = std::chrono::steady_clock;
  static double seconds_since(clock::time_point a, clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
  }
  // Pads with spaces so a shorter redraw fully covers the previous one.
  void draw(std::string text) {
    const bool newline = !text.empty() && text.back() == '\n';
    if (newline) text.pop_back();
    const std::size_t len = text.size();
    if (len < m_drawn) text += std::string(m_drawn - len, ' ');
    m_drawn = len;
    if (newline) text += '\n';
    m_sink(text);
  }

  train::progress_mode m_mode;
  sink_type m_sink;
  std::string m_label;
  index_t m_steps = 0;
  clock::time_point m_start{};
  clock::time_point m_last_draw{};
  std::size_t m_drawn = 0;
};

}  // namespace papillon::detail
