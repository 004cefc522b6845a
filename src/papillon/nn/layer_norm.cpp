// Layer normalisation.

#include <papillon/nn/layer_norm.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace papillon::nn {

std::vector<parameter_block> layer_norm::parameter_blocks() const {
  return {{"gain", 0, m_features}, {"bias", m_features, m_features}};
}

nlohmann::json layer_norm::config() const {
  return {{"features", m_features}, {"epsilon", m_epsilon}};
}

layer_norm::layer_norm(index_t features, double epsilon)
    : layer(2 * features), m_features(features), m_epsilon(epsilon) {
  if (features == 0) throw dimension_error("nn::layer_norm", "features must be positive");
  if (!(epsilon > 0.0) || !std::isfinite(epsilon))
    throw data_error("nn::layer_norm", "epsilon must be positive and finite",
                     "epsilon " + std::to_string(epsilon));
  m_params.head(n()).setOnes();
}

index_t layer_norm::output_size(index_t input_size) const {
  if (input_size != m_features)
    throw dimension_error("nn::layer_norm", "input width differs from the layer's features",
                          "layer '" + name() + "', expected " + std::to_string(m_features) +
                              ", got " + std::to_string(input_size));
  return m_features;
}

matrix layer_norm::forward(const matrix& input, bool /*training*/) {
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

matrix layer_norm::backward(const matrix& grad_output) {
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

std::unique_ptr<layer> layer_norm::from_config(const nlohmann::json& config) {
  try {
    return std::make_unique<layer_norm>(config.at("features").get<index_t>(),
                                        config.value("epsilon", 1e-5));
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::layer_norm::from_config", "malformed layer_norm config", e.what());
  }
}

}  // namespace papillon::nn
