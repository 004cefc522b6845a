// The fully connected layer.

#include <papillon/nn/dense.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace papillon::nn {

dense::dense(index_t inputs, index_t outputs, const dense_options& options)
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

index_t dense::output_size(index_t input_size) const {
  if (input_size != m_in)
    throw dimension_error("nn::dense", "input width differs from the layer's inputs",
                          "layer '" + name() + "', expected " + std::to_string(m_in) + ", got " +
                              std::to_string(input_size));
  return m_out;
}

matrix dense::forward(const matrix& input, bool /*training*/) {
  check_width(input, m_in, "nn::dense::forward");
  m_input = input;
  matrix out = input * weight().transpose();
  if (has_bias()) out.rowwise() += bias().transpose();
  return out;
}

matrix dense::backward(const matrix& grad_output) {
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

std::vector<parameter_block> dense::parameter_blocks() const {
  std::vector<parameter_block> blocks{{"weight", 0, m_in * m_out}};
  if (has_bias()) blocks.push_back({"bias", m_in * m_out, m_out});
  return blocks;
}

nlohmann::json dense::config() const {
  return {{"inputs", m_in},
          {"outputs", m_out},
          {"use_bias", m_options.use_bias},
          {"weight_init", std::string(to_string(m_options.weight_init))},
          {"bias_init", std::string(to_string(m_options.bias_init))},
          {"seed", m_options.seed}};
}

std::unique_ptr<layer> dense::from_config(const nlohmann::json& config) {
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
