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
  [[nodiscard]] nlohmann::json config() const override;
  [[nodiscard]] nlohmann::json runtime_state() const override;
  void set_runtime_state(const nlohmann::json& state) override;
  /// Reseeds the engine from (seed, key): the chunk's masks depend on nothing else.
  void set_random_stream(std::uint64_t key) override { m_rng.seed(derive_seed(m_seed, key)); }

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

}  // namespace papillon::nn
