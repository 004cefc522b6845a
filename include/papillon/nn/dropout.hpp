#pragma once

/// @file
/// Inverted dropout, seeded.

#include <papillon/nn/layer.hpp>
#include <papillon/nn/random.hpp>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

namespace papillon::nn {

/// Inverted dropout: in training each entry is zeroed with probability `rate` and the survivors
/// are scaled by 1 / (1 - rate), so evaluation is the identity. The mask comes from the layer's
/// own engine, seeded at construction; its state is saved in model files and checkpoints.
class dropout final : public layer {
 public:
  /// @throws data_error unless 0 <= rate < 1.
  explicit dropout(double rate, std::uint64_t seed = 0);

  [[nodiscard]] std::string_view kind() const noexcept override { return "dropout"; }
  matrix forward(const matrix& input, bool training) override;
  matrix backward(const matrix& grad_output) override;
  [[nodiscard]] nlohmann::json config() const override {
    return {{"rate", m_rate}, {"seed", m_seed}};
  }
  [[nodiscard]] nlohmann::json runtime_state() const override {
    return {{"rng", rng_state(m_rng)}};
  }
  void set_runtime_state(const nlohmann::json& state) override;

  [[nodiscard]] double rate() const noexcept { return m_rate; }

  /// Rebuilds the layer from config() output. @throws data_error if malformed.
  static std::unique_ptr<layer> from_config(const nlohmann::json& config);

 private:
  double m_rate;
  std::uint64_t m_seed;
  rng_type m_rng;
  matrix m_scale;  // mask / (1 - rate) of the last training forward; empty at evaluation
  Eigen::Index m_rows = 0;
  Eigen::Index m_cols = 0;
  bool m_have_forward = false;
};

// ---- Definitions ------------------------------------------------------------------------------

inline dropout::dropout(double rate, std::uint64_t seed) : m_rate(rate), m_seed(seed), m_rng(seed) {
  if (!(rate >= 0.0 && rate < 1.0))
    throw data_error("nn::dropout", "rate must be in [0, 1)", "rate " + std::to_string(rate));
}

inline matrix dropout::forward(const matrix& input, bool training) {
  m_rows = input.rows();
  m_cols = input.cols();
  m_have_forward = true;
  if (!training || m_rate == 0.0) {
    m_scale.resize(0, 0);
    return input;
  }
  const double keep_scale = 1.0 / (1.0 - m_rate);
  m_scale.resize(input.rows(), input.cols());
  // Fill row by row so the mask of a sample does not depend on the batch's column layout.
  for (Eigen::Index r = 0; r < input.rows(); ++r)
    for (Eigen::Index c = 0; c < input.cols(); ++c)
      m_scale(r, c) = uniform01(m_rng) < m_rate ? 0.0 : keep_scale;
  return input.cwiseProduct(m_scale);
}

inline matrix dropout::backward(const matrix& grad_output) {
  if (!m_have_forward)
    throw dimension_error("nn::dropout::backward", "backward called before forward");
  check_grad_shape(grad_output, m_rows, m_cols, "nn::dropout::backward");
  if (m_scale.size() == 0) return grad_output;
  return grad_output.cwiseProduct(m_scale);
}

inline void dropout::set_runtime_state(const nlohmann::json& state) {
  if (state.is_null()) return;
  if (!state.is_object() || !state.contains("rng") || !state.at("rng").is_string())
    throw data_error("nn::dropout::set_runtime_state", "malformed dropout state");
  set_rng_state(m_rng, state.at("rng").get<std::string>());
}

inline std::unique_ptr<layer> dropout::from_config(const nlohmann::json& config) {
  try {
    return std::make_unique<dropout>(config.at("rate").get<double>(),
                                     config.value("seed", std::uint64_t{0}));
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::dropout::from_config", "malformed dropout config", e.what());
  }
}

}  // namespace papillon::nn
