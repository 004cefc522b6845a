#pragma once

/// @file
/// Portable seeded randomness. The engine is std::mt19937_64, whose output sequence the
/// standard fixes; the standard distributions are implementation-defined, so these helpers map
/// raw engine output themselves, and a seed gives the same draws with every standard library.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <utility>
#include <vector>

namespace papillon {

/// The random engine used throughout papillon.
using rng_type = std::mt19937_64;

/// The SplitMix64 increment (the golden ratio in 64-bit fixed point).
inline constexpr std::uint64_t splitmix64_increment = 0x9e3779b97f4a7c15ULL;

/// The SplitMix64 finaliser: a bijective mix of 64 bits.
[[nodiscard]] constexpr std::uint64_t splitmix64_mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Mixes a base seed and a stream number into an independent seed (SplitMix64 finaliser), so
/// parallel tasks and sub-components get fixed streams whatever the thread count.
[[nodiscard]] constexpr std::uint64_t derive_seed(std::uint64_t seed,
                                                  std::uint64_t stream) noexcept {
  return splitmix64_mix(seed + splitmix64_increment * (stream + 1));
}

/// SplitMix64: a tiny, fast, well-mixed generator, seeded by derive_seed. Seeding costs nothing,
/// unlike a Mersenne Twister, which matters at one noisy trajectory per shot.
struct splitmix64 {
  std::uint64_t state;

  std::uint64_t operator()() noexcept { return splitmix64_mix(state += splitmix64_increment); }
  /// Uniform in [0, 1) from 53 random bits.
  double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, bound) (bound small: the modulo bias is below 2^-60).
  std::uint64_t below(std::uint64_t bound) noexcept { return (*this)() % bound; }
};

/// A uniform double in [0, 1) with 53 random bits.
[[nodiscard]] inline double uniform01(rng_type& rng) noexcept {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/// A uniform integer in [0, n); n must be positive. Rejection sampling: no modulo bias.
[[nodiscard]] inline std::uint64_t uniform_below(rng_type& rng, std::uint64_t n) noexcept {
  // Largest multiple of n that fits: draws at or above it would favour small values.
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
  std::uint64_t draw = rng();
  while (draw >= limit) draw = rng();
  return draw % n;
}

/// A standard normal draw (Box-Muller, one value per call).
[[nodiscard]] inline double standard_normal(rng_type& rng) noexcept {
  const double u1 = 1.0 - uniform01(rng);  // in (0, 1]: the log is finite
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// Shuffles a vector in place (Fisher-Yates with uniform_below()).
template <class T>
void shuffle(std::vector<T>& v, rng_type& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform_below(rng, i));
    std::swap(v[i - 1], v[j]);
  }
}

}  // namespace papillon
