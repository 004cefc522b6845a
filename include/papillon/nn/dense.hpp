#pragma once

/// @file
/// The fully connected layer y = x W^T + b.

#include <papillon/nn/initializer.hpp>
#include <papillon/nn/layer.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace papillon::nn {

/// Options of a dense layer.
struct dense_options {
  initializer weight_init = initializer::xavier_uniform;  ///< weight initialiser
  initializer bias_init = initializer::zeros;             ///< bias initialiser
  std::uint64_t seed = 0;                                 ///< initialiser seed
  bool use_bias = true;                                   ///< false: y = x W^T
};

/// Fully connected layer: y = x W^T + b for a batch x (rows are samples).
///
/// Parameter layout: W (outputs x inputs, column-major, block "weight"), then b (outputs, block
/// "bias", absent without bias).
class dense final : public layer {
 public:
  /// @throws dimension_error if inputs or outputs is 0.
  dense(index_t inputs, index_t outputs, const dense_options& options = {});

  [[nodiscard]] std::string_view kind() const noexcept override { return "dense"; }
  [[nodiscard]] index_t output_size(index_t input_size) const override;
  matrix forward(const matrix& input, bool training) override;
  matrix backward(const matrix& grad_output) override;
  [[nodiscard]] std::vector<parameter_block> parameter_blocks() const override;
  [[nodiscard]] nlohmann::json config() const override;

  [[nodiscard]] index_t inputs() const noexcept { return m_in; }
  [[nodiscard]] index_t outputs() const noexcept { return m_out; }
  [[nodiscard]] bool has_bias() const noexcept { return m_options.use_bias; }

  /// Views of the weight matrix (outputs x inputs) and bias inside parameters().
  [[nodiscard]] Eigen::Map<Eigen::MatrixXd> weight() noexcept {
    return {m_params.data(), rows(), cols()};
  }
  [[nodiscard]] Eigen::Map<const Eigen::MatrixXd> weight() const noexcept {
    return {m_params.data(), rows(), cols()};
  }
  [[nodiscard]] Eigen::Map<Eigen::VectorXd> bias() noexcept {
    return {m_params.data() + rows() * cols(), has_bias() ? rows() : 0};
  }
  [[nodiscard]] Eigen::Map<const Eigen::VectorXd> bias() const noexcept {
    return {m_params.data() + rows() * cols(), has_bias() ? rows() : 0};
  }

  /// Rebuilds a dense layer from config() output. @throws data_error if malformed.
  static std::unique_ptr<layer> from_config(const nlohmann::json& config);

 private:
  [[nodiscard]] Eigen::Index rows() const noexcept { return static_cast<Eigen::Index>(m_out); }
  [[nodiscard]] Eigen::Index cols() const noexcept { return static_cast<Eigen::Index>(m_in); }

  index_t m_in;
  index_t m_out;
  dense_options m_options;
  matrix m_input;  // cached for backward
};

}  // namespace papillon::nn
