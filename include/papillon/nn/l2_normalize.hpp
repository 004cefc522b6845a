#pragma once

/// @file
/// Row-wise L2 normalisation, the step before the quantum layer's unary amplitude loader.

#include <papillon/nn/layer.hpp>

#include <cmath>
#include <memory>
#include <string>

namespace papillon::nn {

/// Scales each sample (row) to unit Euclidean norm: y = x / ||x||.
///
/// Backward uses the exact Jacobian (I - y y^T) / ||x||, i.e.
/// dx = (g - y (y . g)) / ||x||. A row whose norm is at most `min_norm` has no direction, so
/// forward throws data_error for it instead of dividing by (nearly) zero; no epsilon is added,
/// so the outputs are exactly unit vectors as the loader requires.
class l2_normalize final : public layer {
 public:
  /// @throws data_error if min_norm is negative or not finite.
  explicit l2_normalize(double min_norm = 1e-12);

  [[nodiscard]] std::string_view kind() const noexcept override { return "l2_normalize"; }
  matrix forward(const matrix& input, bool training) override;
  matrix backward(const matrix& grad_output) override;
  [[nodiscard]] nlohmann::json config() const override { return {{"min_norm", m_min_norm}}; }

  [[nodiscard]] double min_norm() const noexcept { return m_min_norm; }

  /// Rebuilds the layer from config() output. @throws data_error if malformed.
  static std::unique_ptr<layer> from_config(const nlohmann::json& config);

 private:
  double m_min_norm;
  matrix m_output;          // y, cached
  Eigen::VectorXd m_norms;  // ||x|| per row
};

// ---- Definitions ------------------------------------------------------------------------------

inline l2_normalize::l2_normalize(double min_norm) : m_min_norm(min_norm) {
  if (!(min_norm >= 0.0) || !std::isfinite(min_norm))
    throw data_error("nn::l2_normalize", "min_norm must be non-negative and finite",
                     "min_norm " + std::to_string(min_norm));
}

inline matrix l2_normalize::forward(const matrix& input, bool /*training*/) {
  m_norms = input.rowwise().norm();
  for (Eigen::Index r = 0; r < input.rows(); ++r)
    if (!(m_norms[r] > m_min_norm))
      throw data_error("nn::l2_normalize::forward", "cannot normalise a (near-)zero row",
                       "layer '" + name() + "', row " + std::to_string(r) + ", norm " +
                           std::to_string(m_norms[r]));
  m_output = m_norms.cwiseInverse().asDiagonal() * input;
  return m_output;
}

inline matrix l2_normalize::backward(const matrix& grad_output) {
  check_grad_shape(grad_output, m_output.rows(), m_output.cols(), "nn::l2_normalize::backward");
  const Eigen::VectorXd yg = m_output.cwiseProduct(grad_output).rowwise().sum();
  matrix dx = grad_output - yg.asDiagonal() * m_output;
  return m_norms.cwiseInverse().asDiagonal() * dx;
}

inline std::unique_ptr<layer> l2_normalize::from_config(const nlohmann::json& config) {
  try {
    return std::make_unique<l2_normalize>(config.value("min_norm", 1e-12));
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::l2_normalize::from_config", "malformed l2_normalize config", e.what());
  }
}

}  // namespace papillon::nn
