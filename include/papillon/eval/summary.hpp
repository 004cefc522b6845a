#pragma once

/// @file
/// Summaries of a metric over repeated runs (mask seeds): mean, sample standard deviation and a
/// seeded percentile-bootstrap confidence interval for the mean.

#include <papillon/core/types.hpp>
#include <papillon/data/random.hpp>
#include <papillon/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace papillon::eval {

/// Settings of summarize().
struct summary_options {
  /// Bootstrap resamples for the confidence interval (0 = no interval).
  index_t bootstrap_resamples = 2000;
  /// Coverage of the interval, in (0, 1).
  double confidence = 0.95;
  /// Seed of the resampling.
  std::uint64_t seed = 0;
};

/// Mean, spread and confidence interval of a sample of metric values.
struct summary_stats {
  /// Number of values.
  index_t n = 0;
  /// Arithmetic mean (NaN if n = 0).
  double mean = std::numeric_limits<double>::quiet_NaN();
  /// Sample standard deviation, n - 1 in the denominator (NaN if n < 2).
  double sd = std::numeric_limits<double>::quiet_NaN();
  /// Lower end of the percentile-bootstrap interval for the mean (NaN if not computed).
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  /// Upper end of the percentile-bootstrap interval for the mean (NaN if not computed).
  double ci_high = std::numeric_limits<double>::quiet_NaN();
};

/// The q-quantile (0 <= q <= 1) of sorted values, by linear interpolation between order
/// statistics (the "type 7" definition of R and NumPy).
/// @throws data_error if the values are empty or q is outside [0, 1]
[[nodiscard]] inline double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) throw data_error("eval::quantile_sorted", "no values");
  if (!(q >= 0 && q <= 1)) throw data_error("eval::quantile_sorted", "q must be in [0, 1]");
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

/// Summarises metric values: mean, sd and (with n >= 2 and resamples > 0) a percentile
/// bootstrap interval for the mean. NaN values are rejected.
/// @throws data_error on a NaN value or a confidence outside (0, 1)
[[nodiscard]] inline summary_stats summarize(std::span<const double> values,
                                             const summary_options& options = {}) {
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
