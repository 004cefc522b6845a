#pragma once

/// @file
/// Seeded randomness of the data, imputation and evaluation code: the portable helpers of
/// core/random.hpp plus the draws only the imputers need.

#include <papillon/core/random.hpp>

#include <cstdint>

namespace papillon::data {

using papillon::derive_seed;
using papillon::rng_type;
using papillon::shuffle;
using papillon::standard_normal;
using papillon::uniform01;
using papillon::uniform_below;

/// A chi-squared draw with `dof` degrees of freedom, dof a positive integer (sum of squares of
/// standard normals: exact, and cheap for the small dof the imputers need).
[[nodiscard]] inline double chi_squared(rng_type& rng, std::uint64_t dof) noexcept {
  double s = 0;
  for (std::uint64_t k = 0; k < dof; ++k) {
    const double z = standard_normal(rng);
    s += z * z;
  }
  return s;
}

}  // namespace papillon::data
