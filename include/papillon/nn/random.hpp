#pragma once

/// @file
/// Seeded random numbers for initialisers, dropout and shuffling.
///
/// The engine is std::mt19937_64, whose output sequence the standard fixes. The standard
/// distributions are implementation-defined, so the helpers below map raw engine output to
/// numbers themselves: the same seed gives the same weights, masks and batch orders with every
/// standard library.

#include <papillon/core/random.hpp>
#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>

namespace papillon::nn {

using papillon::derive_seed;
using papillon::rng_type;
using papillon::standard_normal;
using papillon::uniform01;
using papillon::uniform_below;

/// The full engine state as text (the standard's stream format), for checkpoints.
[[nodiscard]] std::string rng_state(const rng_type& rng);

/// Restores an engine from rng_state() text.
/// @throws data_error if the text is not a valid engine state.
void set_rng_state(rng_type& rng, const std::string& state);

}  // namespace papillon::nn
