#pragma once

/// @file
/// Builds layers from their model-file entries, by kind. New layer types (the quantum
/// orthogonal layer) register a constructor here; there is no global registry.

#include <papillon/error.hpp>
#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/dropout.hpp>
#include <papillon/nn/l2_normalize.hpp>
#include <papillon/nn/layer.hpp>
#include <papillon/nn/layer_norm.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace papillon::nn {

/// Maps a layer kind to a function building the layer from its "config" object.
class layer_factory {
 public:
  /// Builds a layer (with initial parameters) from the "config" object of its model-file entry.
  using create_fn = std::function<std::unique_ptr<layer>(const nlohmann::json& config)>;

  /// A factory that knows the built-in kinds: dense, relu, tanh, gelu, layer_norm, dropout,
  /// l2_normalize.
  layer_factory();

  /// Registers (or replaces) the constructor of a kind.
  void add(std::string kind, create_fn create) { m_create[std::move(kind)] = std::move(create); }

  [[nodiscard]] bool contains(std::string_view kind) const {
    return m_create.find(kind) != m_create.end();
  }

  /// Builds a layer from a full model-file entry (layer::to_json() output): creates it from
  /// "config", then loads name, group, parameters, mask and state.
  /// @throws data_error for an unknown kind or a malformed entry.
  [[nodiscard]] std::unique_ptr<layer> create(const nlohmann::json& entry) const;

 private:
  std::map<std::string, create_fn, std::less<>> m_create;
};

// ---- Definitions ------------------------------------------------------------------------------

inline layer_factory::layer_factory() {
  add("dense", &dense::from_config);
  add("relu", [](const nlohmann::json&) { return std::make_unique<relu>(); });
  add("tanh", [](const nlohmann::json&) { return std::make_unique<tanh_activation>(); });
  add("gelu", [](const nlohmann::json&) { return std::make_unique<gelu>(); });
  add("layer_norm", &layer_norm::from_config);
  add("dropout", &dropout::from_config);
  add("l2_normalize", &l2_normalize::from_config);
}

inline std::unique_ptr<layer> layer_factory::create(const nlohmann::json& entry) const {
  constexpr std::string_view where = "nn::layer_factory::create";
  if (!entry.is_object() || !entry.contains("kind") || !entry.at("kind").is_string())
    throw data_error(where, "layer entry has no \"kind\" string");
  const auto kind = entry.at("kind").get<std::string>();
  const auto it = m_create.find(kind);
  if (it == m_create.end()) {
    std::string known;
    for (const auto& [k, f] : m_create) known += (known.empty() ? "" : ", ") + k;
    throw data_error(where, "unknown layer kind", "'" + kind + "'; known: " + known);
  }
  const nlohmann::json config =
      entry.contains("config") ? entry.at("config") : nlohmann::json::object();
  if (!config.is_object()) throw data_error(where, "layer \"config\" is not an object", kind);
  auto made = it->second(config);
  made->load_json(entry);
  return made;
}

}  // namespace papillon::nn
