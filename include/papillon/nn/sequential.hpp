#pragma once

/// @file
/// A sequential model: a chain of layers with forward/backward, freezing, parameter access and
/// JSON model files ("papillon.model.v1").

#include <papillon/error.hpp>
#include <papillon/nn/layer.hpp>
#include <papillon/nn/layer_factory.hpp>
#include <papillon/nn/optimizer.hpp>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace papillon::nn {

/// The "format" field of model files written by sequential::to_json().
inline constexpr std::string_view model_format = "papillon.model.v1";

/// Layers applied in order. Owns its layers; movable, not copyable.
class sequential {
 public:
  sequential() = default;
  sequential(sequential&&) noexcept = default;
  sequential& operator=(sequential&&) noexcept = default;
  sequential(const sequential&) = delete;
  sequential& operator=(const sequential&) = delete;
  ~sequential() = default;

  /// Appends a layer. An empty name becomes "<kind>_<index>".
  /// @throws data_error for a null layer or a name already used in the model.
  layer& add(std::unique_ptr<layer> l);

  /// Constructs a layer in place and appends it: model.emplace<dense>(14, 16).
  template <class Layer, class... Args>
  Layer& emplace(Args&&... args) {
    static_assert(std::is_base_of_v<layer, Layer>, "Layer must derive from nn::layer");
    return static_cast<Layer&>(add(std::make_unique<Layer>(std::forward<Args>(args)...)));
  }

  [[nodiscard]] index_t size() const noexcept { return m_layers.size(); }
  [[nodiscard]] bool empty() const noexcept { return m_layers.empty(); }
  [[nodiscard]] layer& operator[](index_t i) { return *m_layers.at(i); }
  [[nodiscard]] const layer& operator[](index_t i) const { return *m_layers.at(i); }
  /// The layer of a given name. @throws data_error if there is none.
  [[nodiscard]] layer& find(std::string_view name);
  [[nodiscard]] const layer& find(std::string_view name) const;
  /// True if a layer has that name.
  [[nodiscard]] bool contains(std::string_view name) const noexcept;

  /// Output width for an input width, checking every layer. @throws dimension_error.
  [[nodiscard]] index_t output_size(index_t input_size) const;

  /// Runs every layer. @throws data_error if the input holds NaN or infinity or the model is
  /// empty; dimension_error for a wrong input width.
  matrix forward(const matrix& input, bool training = false);
  /// forward(input, false).
  matrix predict(const matrix& input) { return forward(input, false); }
  /// Back-propagates dL/doutput through every layer (last first), adding parameter gradients.
  /// @return dL/dinput
  matrix backward(const matrix& grad_output);
  void zero_gradients() noexcept;

  // ---- Parameters -----------------------------------------------------------------------------

  [[nodiscard]] index_t num_parameters() const noexcept;
  [[nodiscard]] index_t num_trainable_parameters() const noexcept;
  /// Freezes (false) or unfreezes (true) every parameter of every layer.
  void set_trainable(bool trainable);
  /// One view per layer with parameters, for optimizer::step().
  [[nodiscard]] std::vector<parameter_view> parameter_views();
  /// Every parameter, layer after layer, as one vector (a copy).
  [[nodiscard]] Eigen::VectorXd flat_parameters() const;
  /// Every gradient, in the order of flat_parameters().
  [[nodiscard]] Eigen::VectorXd flat_gradients() const;
  /// Sets every parameter from a flat_parameters()-shaped vector.
  /// @throws dimension_error on a length mismatch.
  void set_flat_parameters(const Eigen::VectorXd& values);

  // ---- Serialisation --------------------------------------------------------------------------

  /// {"format": "papillon.model.v1", "layers": [layer::to_json()...]}.
  [[nodiscard]] nlohmann::json to_json() const;
  /// Builds a model from to_json() output. @throws data_error if malformed, of another format,
  /// or holding an unknown kind.
  [[nodiscard]] static sequential from_json(const nlohmann::json& j,
                                            const layer_factory& factory = {});
  /// Loads parameters, masks and states from to_json() output into this model, whose layers
  /// must match in number, kind, name and size. Used to resume a checkpoint into a model that
  /// holds non-serialisable resources (a quantum layer's backend).
  /// @throws data_error / dimension_error on a mismatch.
  void load_state(const nlohmann::json& j);

  /// Writes to_json() to a file. @throws data_error if the file cannot be written.
  void save(const std::filesystem::path& path) const;
  /// Reads a model file. @throws data_error if unreadable or malformed.
  [[nodiscard]] static sequential load(const std::filesystem::path& path,
                                       const layer_factory& factory = {});

 private:
  static const nlohmann::json& layers_of(const nlohmann::json& j, std::string_view where);

  std::vector<std::unique_ptr<layer>> m_layers;
};

// ---- Definitions ------------------------------------------------------------------------------

inline layer& sequential::add(std::unique_ptr<layer> l) {
  if (!l) throw data_error("nn::sequential::add", "null layer");
  if (l->name().empty()) l->set_name(std::string(l->kind()) + "_" + std::to_string(size()));
  if (contains(l->name()))
    throw data_error("nn::sequential::add", "layer name already used", "'" + l->name() + "'");
  m_layers.push_back(std::move(l));
  return *m_layers.back();
}

inline bool sequential::contains(std::string_view name) const noexcept {
  for (const auto& l : m_layers)
    if (l->name() == name) return true;
  return false;
}

inline layer& sequential::find(std::string_view name) {
  return const_cast<layer&>(std::as_const(*this).find(name));
}

inline const layer& sequential::find(std::string_view name) const {
  for (const auto& l : m_layers)
    if (l->name() == name) return *l;
  std::string known;
  for (const auto& l : m_layers) known += (known.empty() ? "" : ", ") + l->name();
  throw data_error("nn::sequential::find", "no layer of that name",
                   "'" + std::string(name) + "'; layers: " + known);
}

inline index_t sequential::output_size(index_t input_size) const {
  for (const auto& l : m_layers) input_size = l->output_size(input_size);
  return input_size;
}

inline matrix sequential::forward(const matrix& input, bool training) {
  constexpr std::string_view where = "nn::sequential::forward";
  if (m_layers.empty()) throw data_error(where, "the model has no layers");
  if (!input.allFinite()) throw data_error(where, "input holds NaN or infinity");
  (void)output_size(static_cast<index_t>(input.cols()));  // clear error before any work
  matrix x = input;
  for (auto& l : m_layers) x = l->forward(x, training);
  return x;
}

inline matrix sequential::backward(const matrix& grad_output) {
  if (m_layers.empty()) throw data_error("nn::sequential::backward", "the model has no layers");
  matrix g = grad_output;
  for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) g = (*it)->backward(g);
  return g;
}

inline void sequential::zero_gradients() noexcept {
  for (auto& l : m_layers) l->zero_gradients();
}

inline index_t sequential::num_parameters() const noexcept {
  index_t n = 0;
  for (const auto& l : m_layers) n += l->num_parameters();
  return n;
}

inline index_t sequential::num_trainable_parameters() const noexcept {
  index_t n = 0;
  for (const auto& l : m_layers) n += l->num_trainable();
  return n;
}

inline void sequential::set_trainable(bool trainable) {
  for (auto& l : m_layers) l->set_trainable(trainable);
}

inline std::vector<parameter_view> sequential::parameter_views() {
  std::vector<parameter_view> views;
  for (auto& l : m_layers) {
    if (l->num_parameters() == 0) continue;
    views.push_back({l->name(), l->group(), l->parameters(), l->gradients(), l->trainable_mask()});
  }
  return views;
}

inline Eigen::VectorXd sequential::flat_parameters() const {
  Eigen::VectorXd out(static_cast<Eigen::Index>(num_parameters()));
  Eigen::Index k = 0;
  for (const auto& l : m_layers)
    for (double p : l->parameters()) out[k++] = p;
  return out;
}

inline Eigen::VectorXd sequential::flat_gradients() const {
  Eigen::VectorXd out(static_cast<Eigen::Index>(num_parameters()));
  Eigen::Index k = 0;
  for (const auto& l : m_layers)
    for (double g : l->gradients()) out[k++] = g;
  return out;
}

inline void sequential::set_flat_parameters(const Eigen::VectorXd& values) {
  if (static_cast<index_t>(values.size()) != num_parameters())
    throw dimension_error(
        "nn::sequential::set_flat_parameters", "length differs",
        "expected " + std::to_string(num_parameters()) + ", got " + std::to_string(values.size()));
  Eigen::Index k = 0;
  for (auto& l : m_layers)
    for (double& p : l->parameters()) p = values[k++];
}

inline nlohmann::json sequential::to_json() const {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : m_layers) layers.push_back(l->to_json());
  return {{"format", std::string(model_format)}, {"layers", layers}};
}

inline const nlohmann::json& sequential::layers_of(const nlohmann::json& j,
                                                   std::string_view where) {
  if (!j.is_object()) throw data_error(where, "model is not a JSON object");
  if (!j.contains("format") || !j.at("format").is_string() ||
      j.at("format").get<std::string>() != model_format)
    throw data_error(where, "not a papillon model file",
                     "expected format '" + std::string(model_format) + "'");
  if (!j.contains("layers") || !j.at("layers").is_array())
    throw data_error(where, "model has no \"layers\" array");
  return j.at("layers");
}

inline sequential sequential::from_json(const nlohmann::json& j, const layer_factory& factory) {
  sequential model;
  for (const auto& entry : layers_of(j, "nn::sequential::from_json"))
    model.add(factory.create(entry));
  return model;
}

inline void sequential::load_state(const nlohmann::json& j) {
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

inline void sequential::save(const std::filesystem::path& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw data_error("nn::sequential::save", "cannot open file", path.string());
  out << to_json().dump(1) << '\n';
  if (!out.flush()) throw data_error("nn::sequential::save", "write failed", path.string());
}

inline sequential sequential::load(const std::filesystem::path& path,
                                   const layer_factory& factory) {
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
