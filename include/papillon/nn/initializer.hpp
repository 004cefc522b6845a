#pragma once

/// @file
/// Weight initialisers for dense layers, seeded and platform-independent.

#include <papillon/core/enum_names.hpp>
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

/// The initialisers' names in model files.
inline constexpr enum_table<initializer, 5> initializer_names{
    "initializer",
    {{{initializer::zeros, "zeros"},
      {initializer::xavier_uniform, "xavier_uniform"},
      {initializer::xavier_normal, "xavier_normal"},
      {initializer::he_uniform, "he_uniform"},
      {initializer::he_normal, "he_normal"}}}};
constexpr const auto& enum_names_of(initializer) noexcept { return initializer_names; }

/// The initialiser's name in model files ("zeros", "xavier_uniform", ...).
[[nodiscard]] constexpr std::string_view to_string(initializer init) noexcept {
  return initializer_names.name_of(init);
}

/// Parses to_string() output. @throws data_error for an unknown name, listing the valid ones.
[[nodiscard]] inline initializer initializer_from_string(std::string_view name) {
  return initializer_names.parse(name, "nn::initializer_from_string");
}

/// Fills `values` by the initialiser, drawing from `rng` in index order.
void initialize(std::span<double> values, initializer init, index_t fan_in, index_t fan_out,
                rng_type& rng);

}  // namespace papillon::nn
