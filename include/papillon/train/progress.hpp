#pragma once

/// @file
/// Training progress output: a redrawn bar with ETA on a terminal, plain lines otherwise.

#include <papillon/core/types.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

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
bool stderr_is_terminal() noexcept;

/// Formats seconds as m:ss or h:mm:ss.
std::string format_duration(double seconds);

/// Draws the trainer's progress. The sink receives ready-made text (default: stderr).
class progress_printer {
 public:
  using sink_type = std::function<void(std::string_view)>;

  progress_printer(train::progress_mode mode, sink_type sink);

  /// Starts an epoch of `steps` mini-batches; `label` is e.g. "stage 1/2 'sim' epoch 3/10".
  void begin_epoch(std::string label, index_t steps);

  /// Reports `done` finished steps and the running mean loss.
  void step(index_t done, double running_loss);

  /// Ends the epoch with a summary (losses) appended to the label.
  void end_epoch(std::string_view summary);

  [[nodiscard]] train::progress_mode mode() const noexcept { return m_mode; }

 private:
  using clock = std::chrono::steady_clock;
  static double seconds_since(clock::time_point a, clock::time_point b);
  // Pads with spaces so a shorter redraw fully covers the previous one.
  void draw(std::string text);

  train::progress_mode m_mode;
  sink_type m_sink;
  std::string m_label;
  index_t m_steps = 0;
  clock::time_point m_start{};
  clock::time_point m_last_draw{};
  std::size_t m_drawn = 0;
};

}  // namespace papillon::detail
