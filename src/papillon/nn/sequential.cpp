// The sequential model and its model files.

#include <papillon/nn/sequential.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace papillon::nn {

layer& sequential::add(std::unique_ptr<layer> l) {
  if (!l) throw data_error("nn::sequential::add", "null layer");
  if (l->name().empty()) l->set_name(std::string(l->kind()) + "_" + std::to_string(size()));
  if (contains(l->name()))
    throw data_error("nn::sequential::add", "layer name already used", "'" + l->name() + "'");
  m_layers.push_back(std::move(l));
  return *m_layers.back();
}

bool sequential::contains(std::string_view name) const noexcept {
  for (const auto& l : m_layers)
    if (l->name() == name) return true;
  return false;
}

layer& sequential::find(std::string_view name) {
  return const_cast<layer&>(std::as_const(*this).find(name));
}

const layer& sequential::find(std::string_view name) const {
  for (const auto& l : m_layers)
    if (l->name() == name) return *l;
  std::string known;
  for (const auto& l : m_layers) known += (known.empty() ? "" : ", ") + l->name();
  throw data_error("nn::sequential::find", "no layer of that name",
                   "'" + std::string(name) + "'; layers: " + known);
}

index_t sequential::output_size(index_t input_size) const {
  for (const auto& l : m_layers) input_size = l->output_size(input_size);
  return input_size;
}

matrix sequential::forward(const matrix& input, bool training) {
  constexpr std::string_view where = "nn::sequential::forward";
  if (m_layers.empty()) throw data_error(where, "the model has no layers");
  if (!input.allFinite()) throw data_error(where, "input holds NaN or infinity");
  (void)output_size(static_cast<index_t>(input.cols()));  // clear error before any work
  matrix x = input;
  for (auto& l : m_layers) x = l->forward(x, training);
  return x;
}

matrix sequential::backward(const matrix& grad_output) {
  if (m_layers.empty()) throw data_error("nn::sequential::backward", "the model has no layers");
  matrix g = grad_output;
  for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) g = (*it)->backward(g);
  return g;
}

void sequential::zero_gradients() noexcept {
  for (auto& l : m_layers) l->zero_gradients();
}

index_t sequential::num_parameters() const noexcept {
  index_t n = 0;
  for (const auto& l : m_layers) n += l->num_parameters();
  return n;
}

index_t sequential::num_trainable_parameters() const noexcept {
  index_t n = 0;
  for (const auto& l : m_layers) n += l->num_trainable();
  return n;
}

void sequential::set_trainable(bool trainable) {
  for (auto& l : m_layers) l->set_trainable(trainable);
}

std::vector<parameter_view> sequential::parameter_views() {
  std::vector<parameter_view> views;
  for (auto& l : m_layers) {
    if (l->num_parameters() == 0) continue;
    views.push_back({l->name(), l->group(), l->parameters(), l->gradients(), l->trainable_mask()});
  }
  return views;
}

Eigen::VectorXd sequential::flat_parameters() const {
  Eigen::VectorXd out(static_cast<Eigen::Index>(num_parameters()));
  Eigen::Index k = 0;
  for (const auto& l : m_layers)
    for (double p : l->parameters()) out[k++] = p;
  return out;
}

Eigen::VectorXd sequential::flat_gradients() const {
  Eigen::VectorXd out(static_cast<Eigen::Index>(num_parameters()));
  Eigen::Index k = 0;
  for (const auto& l : m_layers)
    for (double g : l->gradients()) out[k++] = g;
  return out;
}

void sequential::set_flat_parameters(const Eigen::VectorXd& values) {
  if (static_cast<index_t>(values.size()) != num_parameters())
    throw dimension_error(
        "nn::sequential::set_flat_parameters", "length differs",
        "expected " + std::to_string(num_parameters()) + ", got " + std::to_string(values.size()));
  Eigen::Index k = 0;
  for (auto& l : m_layers)
    for (double& p : l->parameters()) p = values[k++];
}

nlohmann::json sequential::to_json() const {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : m_layers) layers.push_back(l->to_json());
  return {{"format", std::string(model_format)}, {"layers", layers}};
}

const nlohmann::json& sequential::layers_of(const nlohmann::json& j, std::string_view where) {
  if (!j.is_object()) throw data_error(where, "model is not a JSON object");
  if (!j.contains("format") || !j.at("format").is_string() ||
      j.at("format").get<std::string>() != model_format)
    throw data_error(where, "not a papillon model file",
                     "expected format '" + std::string(model_format) + "'");
  if (!j.contains("layers") || !j.at("layers").is_array())
    throw data_error(where, "model has no \"layers\" array");
  return j.at("layers");
}

sequential sequential::from_json(const nlohmann::json& j, const layer_factory& factory) {
  sequential model;
  for (const auto& entry : layers_of(j, "nn::sequential::from_json"))
    model.add(factory.create(entry));
  return model;
}

void sequential::load_state(const nlohmann::json& j) {
  constexpr std::string_view where = "nn::sequential::load_state";
  const auto& layers = layers_of(j, where);
  if (layers.size() != m_layers.size())
    throw data_error(
        where, "layer count differs",
        "model " + std::to_string(m_layers.size()) + ", file " + std::to_string(layers.size()));
  // Check every name first, so a mismatch leaves the model untouched.
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (!layers[i].is_object() || layers[i].value("name", std::string()) != m_layers[i]->name())
      throw data_error(where, "layer name differs",
                       "layer " + std::to_string(i) + ", model '" + m_layers[i]->name() + "'");
  for (std::size_t i = 0; i < layers.size(); ++i) m_layers[i]->load_json(layers[i]);
}

void sequential::save(const std::filesystem::path& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw data_error("nn::sequential::save", "cannot open file", path.string());
  out << to_json().dump(1) << '\n';
  if (!out.flush()) throw data_error("nn::sequential::save", "write failed", path.string());
}

sequential sequential::load(const std::filesystem::path& path, const layer_factory& factory) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error("nn::sequential::load", "cannot open file", path.string());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw data_error("nn::sequential::load", "invalid JSON", path.string() + ": " + e.what());
  }
  return from_json(j, factory);
}

}  // namespace papillon::nn
