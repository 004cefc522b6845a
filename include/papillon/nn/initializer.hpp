#pragma once

/// @file
/// Weight initialisers for dense layers, seeded and platform-independent.

#include <papillon/error.hpp>
#include <papillon/nn/random.hpp>

#include <cmath>
#include <span>
#include <string>
#include <string_view>

namespace papillon::nn {

/// How a weight matrix (or bias) is initialised. fan_in / fan_out are the layer's input and
/// output widths.
enum class initializer {
  zeros,           ///< all 0
  xavier_uniform,  ///< Glorot: U(-a, a), a = sqrt(6 / (fan_in + fan_out))
  xavier_normal,   ///< Glorot: N(0, 2 / (fan_in + fan_out))
  he_uniform,      ///< He/Kaiming for ReLU: U(-a, a), a = sqrt(6 / fan_in)
  he_normal,       ///< He/Kaiming for ReLU: N(0, 2 / fan_in)
};

/// The initialiser's name in model files ("zeros", "xavier_uniform", ...).
[[nodiscard]] constexpr std::string_view to_string(initializer init) noexcept {
  switch (init) {
    case initializer::zeros:
      return "zeros";
    case initializer::xavier_uniform:
      return "xavier_uniform";
    case initializer::xavier_normal:
      return "xavier_normal";
    case initializer::he_uniform:
      return "he_uniform";
    case initializer::he_normal:
      return "he_normal";
  }
  return "unknown";
}

/// Parses to_string() output. @throws data_error for an unknown name.
[[nodiscard]] inline initializer initializer_from_string(std::string_view name) {
  for (auto init : {initializer::zeros, initializer::xavier_uniform, initializer::xavier_normal,
                    initializer::he_uniform, initializer::he_normal})
    if (to_string(init) == name) return init;
  throw data_error("nn::initializer_from_string", "unknown initializer",
                   "'" + std::string(name) + "'");
}

/// Fills `values` by the initialiser, drawing from `rng` in index order.
void initialize(std::span<double> values, initializer init, index_t fan_in, index_t fan_out,
                rng_type& rng);

}  // namespace papillon::nn
