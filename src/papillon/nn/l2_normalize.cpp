// Row-wise L2 normalisation.

#include <papillon/nn/l2_normalize.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <string>

namespace papillon::nn {

nlohmann::json l2_normalize::config() const { return {{"min_norm", m_min_norm}}; }

l2_normalize::l2_normalize(double min_norm) : m_min_norm(min_norm) {
  if (!(min_norm >= 0.0) || !std::isfinite(min_norm))
    throw data_error("nn::l2_normalize", "min_norm must be non-negative and finite",
                     "min_norm " + std::to_string(min_norm));
}

matrix l2_normalize::forward(const matrix& input, bool /*training*/) {
  m_norms = input.rowwise().norm();
  for (Eigen::Index r = 0; r < input.rows(); ++r)
    if (!(m_norms[r] > m_min_norm))
      throw data_error("nn::l2_normalize::forward", "cannot normalise a (near-)zero row",
                       "layer '" + name() + "', row " + std::to_string(r) + ", norm " +
                           std::to_string(m_norms[r]));
  m_output = m_norms.cwiseInverse().asDiagonal() * input;
  return m_output;
}

matrix l2_normalize::backward(const matrix& grad_output) {
  check_grad_shape(grad_output, m_output.rows(), m_output.cols(), "nn::l2_normalize::backward");
  const Eigen::VectorXd yg = m_output.cwiseProduct(grad_output).rowwise().sum();
  matrix dx = grad_output - yg.asDiagonal() * m_output;
  return m_norms.cwiseInverse().asDiagonal() * dx;
}

std::unique_ptr<layer> l2_normalize::from_config(const nlohmann::json& config) {
  try {
    return std::make_unique<l2_normalize>(config.value("min_norm", 1e-12));
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::l2_normalize::from_config", "malformed l2_normalize config", e.what());
  }
}

}  // namespace papillon::nn
