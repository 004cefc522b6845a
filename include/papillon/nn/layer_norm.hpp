#pragma once

/// @file
/// Layer normalisation with a learnable gain and bias.

#include <papillon/nn/layer.hpp>

#include <cmath>
#include <memory>
#include <string>

namespace papillon::nn {

/// Layer normalisation (Ba, Kiros & Hinton 2016), per sample (row):
/// y = gain * (x - mean(x)) / sqrt(var(x) + epsilon) + bias, with the biased variance.
///
/// Parameter layout: gain (features, block "gain", initialised to 1), then bias (features,
/// block "bias", initialised to 0).
class layer_norm final : public layer {
 public:
  /// @throws dimension_error if features is 0; data_error if epsilon is not positive.
  explicit layer_norm(index_t features, double epsilon = 1e-5);

  [[nodiscard]] std::string_view kind() const noexcept override { return "layer_norm"; }
  [[nodiscard]] index_t output_size(index_t input_size) const override;
  matrix forward(const matrix& input, bool training) override;
  matrix backward(const matrix& grad_output) override;
  [[nodiscard]] std::vector<parameter_block> parameter_blocks() const override;
  [[nodiscard]] nlohmann::json config() const override;

  [[nodiscard]] index_t features() const noexcept { return m_features; }
  [[nodiscard]] double epsilon() const noexcept { return m_epsilon; }

  /// Rebuilds the layer from config() output. @throws data_error if malformed.
  static std::unique_ptr<layer> from_config(const nlohmann::json& config);

 private:
  [[nodiscard]] Eigen::Index n() const noexcept { return static_cast<Eigen::Index>(m_features); }

  index_t m_features;
  double m_epsilon;
  matrix m_xhat;              // normalised input, cached
  Eigen::VectorXd m_inv_std;  // 1 / sqrt(var + eps) per row
};

}  // namespace papillon::nn
