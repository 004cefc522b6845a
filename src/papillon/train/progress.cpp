// Training progress output.

#include <papillon/train/progress.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#if defined(__unix__) || defined(__APPLE__)
#  include <unistd.h>
#endif

namespace papillon::detail {

bool stderr_is_terminal() noexcept {
#if defined(__unix__) || defined(__APPLE__)
  return ::isatty(::fileno(stderr)) != 0;
#else
  return false;
#endif
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto s = static_cast<long long>(std::llround(seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

progress_printer::progress_printer(train::progress_mode mode, sink_type sink)
    : m_sink(std::move(sink)) {
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

void progress_printer::begin_epoch(std::string label, index_t steps) {
  m_label = std::move(label);
  m_steps = steps;
  m_start = clock::now();
  m_last_draw = m_start - std::chrono::seconds(1);
}

void progress_printer::step(index_t done, double running_loss) {
  if (m_mode != train::progress_mode::bar) return;
  const auto now = clock::now();
  // Redraw at most ten times a second, and always for the last step.
  if (done < m_steps && now - m_last_draw < std::chrono::milliseconds(100)) return;
  m_last_draw = now;
  const double elapsed = seconds_since(m_start, now);
  const double eta =
      done == 0 ? -1.0 : elapsed / static_cast<double>(done) * static_cast<double>(m_steps - done);
  constexpr index_t width = 24;
  const index_t filled = m_steps == 0 ? width : width * done / m_steps;
  std::string bar(filled, '=');
  if (filled < width) bar += '>' + std::string(width - filled - 1, ' ');
  char loss[32];
  std::snprintf(loss, sizeof loss, "%.6g", running_loss);
  draw("\r" + m_label + " [" + bar + "] " + std::to_string(done) + "/" + std::to_string(m_steps) +
       " loss " + loss + " ETA " + format_duration(eta));
}

void progress_printer::end_epoch(std::string_view summary) {
  if (m_mode == train::progress_mode::silent) return;
  const std::string line = m_label + " " + std::string(summary) + " (" +
                           format_duration(seconds_since(m_start, clock::now())) + ")";
  if (m_mode == train::progress_mode::bar)
    draw("\r" + line + "\n");
  else
    m_sink(line + "\n");
  m_drawn = 0;
}

double progress_printer::seconds_since(clock::time_point a, clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

void progress_printer::draw(std::string text) {
  const bool newline = !text.empty() && text.back() == '\n';
  if (newline) text.pop_back();
  const std::size_t len = text.size();
  if (len < m_drawn) text += std::string(m_drawn - len, ' ');
  m_drawn = len;
  if (newline) text += '\n';
  m_sink(text);
}

}  // namespace papillon::detail
