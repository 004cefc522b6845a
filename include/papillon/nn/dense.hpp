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

// ---- Definitions ------------------------------------------------------------------------------

inline dense::dense(index_t inputs, index_t outputs, const dense_options& options)
    : layer(inputs * outputs + (options.use_bias ? outputs : 0)),
      m_in(inputs),
      m_out(outputs),
      m_options(options) {
  if (inputs == 0 || outputs == 0)
    throw dimension_error("nn::dense", "layer sizes must be positive",
                          std::to_string(inputs) + " -> " + std::to_string(outputs));
  rng_type rng(options.seed);
  const auto nw = static_cast<std::size_t>(inputs * outputs);
  initialize(parameters().first(nw), options.weight_init, inputs, outputs, rng);
  if (options.use_bias)
    initialize(parameters().subspan(nw), options.bias_init, inputs, outputs, rng);
}

inline index_t dense::output_size(index_t input_size) const {
  if (input_size != m_in)
    throw dimension_error("nn::dense", "input width differs from the layer's inputs",
                          "layer '" + name() + "', expected " + std::to_string(m_in) + ", got " +
                              std::to_string(input_size));
  return m_out;
}

inline matrix dense::forward(const matrix& input, bool /*training*/) {
  check_width(input, m_in, "nn::dense::forward");
  m_input = input;
  matrix out = input * weight().transpose();
  if (has_bias()) out.rowwise() += bias().transpose();
  return out;
}

inline matrix dense::backward(const matrix& grad_output) {
  check_grad_shape(grad_output, m_input.rows(), m_input.cols() == 0 ? 0 : rows(),
                   "nn::dense::backward");
  if (any_trainable()) {
    Eigen::Map<Eigen::MatrixXd> gw(m_grads.data(), rows(), cols());
    gw.noalias() += grad_output.transpose() * m_input;
    if (has_bias()) {
      Eigen::Map<Eigen::VectorXd> gb(m_grads.data() + rows() * cols(), rows());
      gb += grad_output.colwise().sum().transpose();
    }
  }
  return grad_output * weight();
}

inline std::vector<parameter_block> dense::parameter_blocks() const {
  std::vector<parameter_block> blocks{{"weight", 0, m_in * m_out}};
  if (has_bias()) blocks.push_back({"bias", m_in * m_out, m_out});
  return blocks;
}

inline nlohmann::json dense::config() const {
  return {{"inputs", m_in},
          {"outputs", m_out},
          {"use_bias", m_options.use_bias},
          {"weight_init", std::string(to_string(m_options.weight_init))},
          {"bias_init", std::string(to_string(m_options.bias_init))},
          {"seed", m_options.seed}};
}

inline std::unique_ptr<layer> dense::from_config(const nlohmann::json& config) {
  try {
    dense_options o;
    o.use_bias = config.value("use_bias", true);
    o.weight_init = initializer_from_string(config.value("weight_init", "xavier_uniform"));
    o.bias_init = initializer_from_string(config.value("bias_init", "zeros"));
    o.seed = config.value("seed", std::uint64_t{0});
    return std::make_unique<dense>(config.at("inputs").get<index_t>(),
                                   config.at("outputs").get<index_t>(), o);
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::dense::from_config", "malformed dense config", e.what());
  }
}

}  // namespace papillon::nn
