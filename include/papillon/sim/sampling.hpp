#pragma once

/// @file
/// Shot sampling from a probability vector by the cumulative method: one 64-bit Mersenne
/// Twister stream per call, seeded by the caller, so the same seed gives the same counts on
/// every machine and for every thread count (the draw is sequential; it is cheap next to
/// simulation).

#include <papillon/core/random.hpp>
#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace papillon {

/// A cumulative distribution for repeated draws from one probability vector: the one
/// inverse-CDF sampler of the library (shot sampling and noisy trajectories).
class cdf_sampler {
 public:
  /// Builds the table; probabilities need not be normalised.
  template <class Range>
  void assign(const Range& probs) {
    m_cdf.resize(static_cast<std::size_t>(probs.size()));
    double total = 0;
    for (std::size_t i = 0; i < m_cdf.size(); ++i) {
      total += static_cast<double>(probs[static_cast<decltype(probs.size())>(i)]);
      m_cdf[i] = total;
    }
    m_total = total;
  }

  /// The sum of the probabilities.
  [[nodiscard]] double total() const noexcept { return m_total; }

  /// The outcome at uniform u in [0, 1): the first index whose cumulative sum exceeds u * total.
  [[nodiscard]] std::size_t index_at(double u) const noexcept {
    const double x = u * m_total;
    auto it = std::upper_bound(m_cdf.begin(), m_cdf.end(), x);
    if (it == m_cdf.end()) --it;
    auto idx = static_cast<std::size_t>(it - m_cdf.begin());
    // Never land on a zero-probability outcome (x at a flat stretch of the table).
    while (idx > 0 && m_cdf[idx] == m_cdf[idx - 1]) --idx;
    return idx;
  }

  /// One draw from a SplitMix64 stream.
  std::size_t draw(splitmix64& rng) const noexcept { return index_at(rng.uniform()); }
  /// One draw from the library's Mersenne Twister.
  std::size_t draw(rng_type& rng) const noexcept { return index_at(uniform01(rng)); }

 private:
  std::vector<double> m_cdf;
  double m_total = 0;
};

/// Counts per outcome index, sorted by index, zero counts omitted.
using outcome_counts = std::vector<std::pair<index_t, std::uint64_t>>;

/// Draws `shots` outcomes with probabilities proportional to `probs`.
/// @throws data_error if a probability is negative or not finite, or all are zero.
template <class Float>
outcome_counts sample_outcomes(std::span<const Float> probs, std::uint64_t shots,
                               std::uint64_t seed) {
  for (std::size_t i = 0; i < probs.size(); ++i) {
    const double p = static_cast<double>(probs[i]);
    if (!(p >= 0) || !std::isfinite(p))
      throw data_error("sample_outcomes", "probability is negative or not finite",
                       "outcome " + std::to_string(i));
  }
  cdf_sampler cdf;
  cdf.assign(probs);
  if (!(cdf.total() > 0))
    throw data_error("sample_outcomes", "probabilities sum to zero",
                     std::to_string(probs.size()) + " outcomes");
  rng_type rng(seed);
  std::vector<std::uint64_t> counts(probs.size(), 0);
  for (std::uint64_t s = 0; s < shots; ++s) ++counts[cdf.draw(rng)];
  outcome_counts out;
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (counts[i] != 0) out.emplace_back(i, counts[i]);
  return out;
}

}  // namespace papillon
