#pragma once

/// @file
/// Summaries of a metric over repeated runs (mask seeds): mean, sample standard deviation and a
/// seeded percentile-bootstrap confidence interval for the mean.

#include <papillon/core/types.hpp>

#include <cstdint>
#include <limits>
#include <span>

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
[[nodiscard]] double quantile_sorted(std::span<const double> sorted, double q);

/// Summarises metric values: mean, sd and (with n >= 2 and resamples > 0) a percentile
/// bootstrap interval for the mean. NaN values are rejected.
/// @throws data_error on a NaN value or a confidence outside (0, 1)
[[nodiscard]] summary_stats summarize(std::span<const double> values,
                                      const summary_options& options = {});

}  // namespace papillon::eval
