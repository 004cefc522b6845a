#pragma once

/// @file
/// Finite-difference gradient checks for layers and models (test and debugging utilities).

#include <papillon/nn/layer.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

namespace papillon::nn {

/// Settings of a gradient check.
struct gradient_check_options {
  double step = 1e-6;       ///< central-difference step h: (f(x + h) - f(x - h)) / 2h
  double tolerance = 1e-6;  ///< largest accepted error (see gradient_check_report)
  bool training = false;    ///< forward mode; keep false unless the layer is deterministic
  std::uint64_t seed = 1;   ///< seed of the random output weights of check_layer_gradients
};

/// Result of a gradient check. An entry's error is |analytic - numeric| / max(1, |analytic|,
/// |numeric|): absolute for small gradients, relative for large ones.
struct gradient_check_report {
  double max_input_error = 0.0;      ///< worst error over dL/dinput
  double max_parameter_error = 0.0;  ///< worst error over the trainable parameters
  index_t parameters_checked = 0;
  bool passed = false;  ///< both maxima <= tolerance
};

/// Checks a layer's backward() against central differences of L = sum(R .* forward(x)), with
/// R a fixed random matrix: both dL/dinput and dL/dparameters (trainable ones).
[[nodiscard]] gradient_check_report check_layer_gradients(layer& l, const matrix& input,
                                                          const gradient_check_options& opt = {});

/// Checks a model's backward() against central differences of the loss, over the input and
/// every trainable parameter.
[[nodiscard]] gradient_check_report check_model_gradients(sequential& model, const loss& fn,
                                                          const matrix& input, const matrix& target,
                                                          const matrix& mask = {},
                                                          const gradient_check_options& opt = {});

}  // namespace papillon::nn
