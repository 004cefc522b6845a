// The layer base class: parameter masks, checks and the model-file entry of a layer.

#include <papillon/nn/layer.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace papillon::nn {

nlohmann::json layer::config() const { return nlohmann::json::object(); }

nlohmann::json layer::runtime_state() const { return nullptr; }

void layer::set_counters(std::span<const std::uint64_t> values) {
  if (!values.empty())
    throw dimension_error("nn::layer::set_counters", "this layer keeps no counters",
                          std::to_string(values.size()) + " values");
}

void layer::check_width(const matrix& x, index_t cols, std::string_view where) {
  if (static_cast<index_t>(x.cols()) != cols)
    throw dimension_error(where, "input has the wrong number of features",
                          "expected " + std::to_string(cols) + ", got " + std::to_string(x.cols()));
}

void layer::check_grad_shape(const matrix& grad_output, Eigen::Index rows, Eigen::Index cols,
                             std::string_view where) {
  if (rows == 0 && cols == 0) throw dimension_error(where, "backward called before forward");
  if (grad_output.rows() != rows || grad_output.cols() != cols)
    throw dimension_error(where, "gradient shape differs from the last output",
                          "expected " + std::to_string(rows) + "x" + std::to_string(cols) +
                              ", got " + std::to_string(grad_output.rows()) + "x" +
                              std::to_string(grad_output.cols()));
}

void layer::set_trainable(std::string_view block, bool trainable) {
  for (const auto& b : parameter_blocks()) {
    if (b.name != block) continue;
    std::fill_n(m_trainable.begin() + static_cast<std::ptrdiff_t>(b.offset), b.size,
                trainable ? 1 : 0);
    return;
  }
  std::string known;
  for (const auto& b : parameter_blocks()) known += (known.empty() ? "" : ", ") + b.name;
  throw data_error("nn::layer::set_trainable", "no parameter block of that name",
                   "layer '" + m_name + "', block '" + std::string(block) +
                       "', blocks: " + (known.empty() ? "none" : known));
}

void layer::set_trainable_mask(std::span<const std::uint8_t> mask) {
  if (mask.size() != m_trainable.size())
    throw dimension_error("nn::layer::set_trainable_mask", "mask length differs",
                          "layer '" + m_name + "', expected " + std::to_string(m_trainable.size()) +
                              ", got " + std::to_string(mask.size()));
  for (std::size_t i = 0; i < mask.size(); ++i) m_trainable[i] = mask[i] != 0 ? 1 : 0;
}

nlohmann::json layer::to_json() const {
  nlohmann::json j;
  j["kind"] = std::string(kind());
  j["name"] = m_name;
  j["group"] = m_group;
  j["config"] = config();
  // Doubles are written in shortest round-trip form, so loading restores them bit for bit.
  j["parameters"] = std::vector<double>(m_params.data(), m_params.data() + m_params.size());
  j["trainable"] = std::vector<int>(m_trainable.begin(), m_trainable.end());
  j["state"] = runtime_state();
  return j;
}

void layer::load_json(const nlohmann::json& j) {
  constexpr std::string_view where = "nn::layer::load_json";
  if (!j.is_object()) throw data_error(where, "layer entry is not a JSON object");
  try {
    if (j.at("kind").get<std::string>() != kind())
      throw data_error(
          where, "layer kind differs",
          "expected '" + std::string(kind()) + "', got '" + j.at("kind").get<std::string>() + "'");
    auto params = j.at("parameters").get<std::vector<double>>();
    if (params.size() != m_trainable.size())
      throw dimension_error(where, "parameter count differs",
                            "layer '" + j.value("name", std::string()) + "', expected " +
                                std::to_string(m_trainable.size()) + ", got " +
                                std::to_string(params.size()));
    for (double p : params)
      if (!std::isfinite(p))
        throw data_error(where, "non-finite parameter", "layer '" + j.value("name", "") + "'");
    std::vector<std::uint8_t> mask(params.size(), 1);
    if (j.contains("trainable")) {
      auto t = j.at("trainable").get<std::vector<int>>();
      if (t.size() != params.size())
        throw dimension_error(where, "trainable mask length differs",
                              "layer '" + j.value("name", std::string()) + "'");
      for (std::size_t i = 0; i < t.size(); ++i) mask[i] = t[i] != 0 ? 1 : 0;
    }
    if (j.contains("state")) set_runtime_state(j.at("state"));
    m_name = j.value("name", m_name);
    m_group = j.value("group", m_group);
    std::copy(params.begin(), params.end(), m_params.data());
    m_trainable = std::move(mask);
    m_grads.setZero();
  } catch (const nlohmann::json::exception& e) {
    throw data_error(where, "malformed layer entry", e.what());
  }
}

}  // namespace papillon::nn
