// Inverted dropout.

#include <papillon/nn/dropout.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace papillon::nn {

nlohmann::json dropout::config() const { return {{"rate", m_rate}, {"seed", m_seed}}; }

nlohmann::json dropout::runtime_state() const { return {{"rng", rng_state(m_rng)}}; }

dropout::dropout(double rate, std::uint64_t seed) : m_rate(rate), m_seed(seed), m_rng(seed) {
  if (!(rate >= 0.0 && rate < 1.0))
    throw data_error("nn::dropout", "rate must be in [0, 1)", "rate " + std::to_string(rate));
}

matrix dropout::forward(const matrix& input, bool training) {
  m_rows = input.rows();
  m_cols = input.cols();
  m_have_forward = true;
  if (!training || m_rate == 0.0) {
    m_scale.resize(0, 0);
    return input;
  }
  const double keep_scale = 1.0 / (1.0 - m_rate);
  m_scale.resize(input.rows(), input.cols());
  // Fill row by row so the mask of a sample does not depend on the batch's column layout.
  for (Eigen::Index r = 0; r < input.rows(); ++r)
    for (Eigen::Index c = 0; c < input.cols(); ++c)
      m_scale(r, c) = uniform01(m_rng) < m_rate ? 0.0 : keep_scale;
  return input.cwiseProduct(m_scale);
}

matrix dropout::backward(const matrix& grad_output) {
  if (!m_have_forward)
    throw dimension_error("nn::dropout::backward", "backward called before forward");
  check_grad_shape(grad_output, m_rows, m_cols, "nn::dropout::backward");
  if (m_scale.size() == 0) return grad_output;
  return grad_output.cwiseProduct(m_scale);
}

void dropout::set_runtime_state(const nlohmann::json& state) {
  if (state.is_null()) return;
  if (!state.is_object() || !state.contains("rng") || !state.at("rng").is_string())
    throw data_error("nn::dropout::set_runtime_state", "malformed dropout state");
  set_rng_state(m_rng, state.at("rng").get<std::string>());
}

std::unique_ptr<layer> dropout::from_config(const nlohmann::json& config) {
  try {
    return std::make_unique<dropout>(config.at("rate").get<double>(),
                                     config.value("seed", std::uint64_t{0}));
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::dropout::from_config", "malformed dropout config", e.what());
  }
}

}  // namespace papillon::nn
