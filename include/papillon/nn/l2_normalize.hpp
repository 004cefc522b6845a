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
  [[nodiscard]] nlohmann::json config() const override;

  [[nodiscard]] double min_norm() const noexcept { return m_min_norm; }

  /// Rebuilds the layer from config() output. @throws data_error if malformed.
  static std::unique_ptr<layer> from_config(const nlohmann::json& config);

 private:
  double m_min_norm;
  matrix m_output;          // y, cached
  Eigen::VectorXd m_norms;  // ||x|| per row
};

}  // namespace papillon::nn
