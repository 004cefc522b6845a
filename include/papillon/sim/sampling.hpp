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

/// Counts per outcome index, sorted by index, zero counts omitted.
using outcome_counts = std::vector<std::pair<index_t, std::uint64_t>>;

/// Draws `shots` outcomes with probabilities proportional to `probs`.
/// @throws data_error if a probability is negative or not finite, or all are zero.
template <class Float>
outcome_counts sample_outcomes(std::span<const Float> probs, std::uint64_t shots,
                               std::uint64_t seed) {
  std::vector<double> cdf(probs.size());
  double total = 0;
  for (std::size_t i = 0; i < probs.size(); ++i) {
    const double p = static_cast<double>(probs[i]);
    if (!(p >= 0) || !std::isfinite(p))
      throw data_error("sample_outcomes", "probability is negative or not finite",
                       "outcome " + std::to_string(i));
    total += p;
    cdf[i] = total;
  }
  if (!(total > 0))
    throw data_error("sample_outcomes", "probabilities sum to zero",
                     std::to_string(probs.size()) + " outcomes");
  rng_type rng(seed);
  std::vector<std::uint64_t> counts(probs.size(), 0);
  for (std::uint64_t s = 0; s < shots; ++s) {
    const double u = uniform01(rng) * total;
    auto it = std::upper_bound(cdf.begin(), cdf.end(), u);
    if (it == cdf.end()) --it;
    auto idx = static_cast<std::size_t>(it - cdf.begin());
    while (probs[idx] <= 0 && idx > 0) --idx;  // never land on a zero-probability outcome
    ++counts[idx];
  }
  outcome_counts out;
  for (std::size_t i = 0; i < counts.size(); ++i)
    if (counts[i] != 0) out.emplace_back(i, counts[i]);
  return out;
}

}  // namespace papillon
