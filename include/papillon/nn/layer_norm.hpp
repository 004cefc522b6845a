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
  [[nodiscard]] std::vector<parameter_block> parameter_blocks() const override {
    return {{"gain", 0, m_features}, {"bias", m_features, m_features}};
  }
  [[nodiscard]] nlohmann::json config() const override {
    return {{"features", m_features}, {"epsilon", m_epsilon}};
  }

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

// ---- Definitions ------------------------------------------------------------------------------

inline layer_norm::layer_norm(index_t features, double epsilon)
    : layer(2 * features), m_features(features), m_epsilon(epsilon) {
  if (features == 0) throw dimension_error("nn::layer_norm", "features must be positive");
  if (!(epsilon > 0.0) || !std::isfinite(epsilon))
    throw data_error("nn::layer_norm", "epsilon must be positive and finite",
                     "epsilon " + std::to_string(epsilon));
  m_params.head(n()).setOnes();
}

inline index_t layer_norm::output_size(index_t input_size) const {
  if (input_size != m_features)
    throw dimension_error("nn::layer_norm", "input width differs from the layer's features",
                          "layer '" + name() + "', expected " + std::to_string(m_features) +
                              ", got " + std::to_string(input_size));
  return m_features;
}

inline matrix layer_norm::forward(const matrix& input, bool /*training*/) {
  check_width(input, m_features, "nn::layer_norm::forward");
  const auto nf = static_cast<double>(m_features);
  const Eigen::VectorXd mean = input.rowwise().sum() / nf;
  m_xhat = input.colwise() - mean;
  const Eigen::VectorXd var = m_xhat.rowwise().squaredNorm() / nf;
  m_inv_std = (var.array() + m_epsilon).rsqrt().matrix();
  m_xhat = m_inv_std.asDiagonal() * m_xhat;
  matrix out = m_xhat * m_params.head(n()).asDiagonal();
  out.rowwise() += m_params.tail(n()).transpose();
  return out;
}

inline matrix layer_norm::backward(const matrix& grad_output) {
  check_grad_shape(grad_output, m_xhat.rows(), m_xhat.cols(), "nn::layer_norm::backward");
  if (any_trainable()) {
    m_grads.head(n()) += grad_output.cwiseProduct(m_xhat).colwise().sum().transpose();
    m_grads.tail(n()) += grad_output.colwise().sum().transpose();
  }
  // dxhat = g * gain; dx = inv_std * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)).
  const auto nf = static_cast<double>(m_features);
  const matrix dxhat = grad_output * m_params.head(n()).asDiagonal();
  const Eigen::VectorXd mean_d = dxhat.rowwise().sum() / nf;
  const Eigen::VectorXd mean_dx = dxhat.cwiseProduct(m_xhat).rowwise().sum() / nf;
  matrix dx = dxhat.colwise() - mean_d;
  dx -= mean_dx.asDiagonal() * m_xhat;
  return m_inv_std.asDiagonal() * dx;
}

inline std::unique_ptr<layer> layer_norm::from_config(const nlohmann::json& config) {
  try {
    return std::make_unique<layer_norm>(config.at("features").get<index_t>(),
                                        config.value("epsilon", 1e-5));
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::layer_norm::from_config", "malformed layer_norm config", e.what());
  }
}

}  // namespace papillon::nn
