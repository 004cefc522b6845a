// Mean, sd and bootstrap interval of a metric over runs.

#include <papillon/data/random.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/summary.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace papillon::eval {

double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) throw data_error("eval::quantile_sorted", "no values");
  if (!(q >= 0 && q <= 1)) throw data_error("eval::quantile_sorted", "q must be in [0, 1]");
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

summary_stats summarize(std::span<const double> values, const summary_options& options) {
  if (!(options.confidence > 0 && options.confidence < 1))
    throw data_error("eval::summarize", "confidence must be in (0, 1)");
  summary_stats s;
  s.n = values.size();
  if (values.empty()) return s;
  double sum = 0;
  for (const double v : values) {
    if (std::isnan(v)) throw data_error("eval::summarize", "a value is NaN");
    sum += v;
  }
  s.mean = sum / static_cast<double>(s.n);
  if (s.n < 2) return s;
  double ss = 0;
  for (const double v : values) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / static_cast<double>(s.n - 1));
  if (options.bootstrap_resamples == 0) return s;
  data::rng_type rng(options.seed);
  std::vector<double> means(options.bootstrap_resamples);
  for (auto& m : means) {
    double b = 0;
    for (index_t k = 0; k < s.n; ++k) b += values[data::uniform_below(rng, s.n)];
    m = b / static_cast<double>(s.n);
  }
  std::sort(means.begin(), means.end());
  const double alpha = 1 - options.confidence;
  s.ci_low = quantile_sorted(means, alpha / 2);
  s.ci_high = quantile_sorted(means, 1 - alpha / 2);
  return s;
}

}  // namespace papillon::eval
