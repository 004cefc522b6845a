// The built-in layer kinds and building a layer from its model-file entry.

#include <papillon/nn/layer_factory.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace papillon::nn {

layer_factory::layer_factory() {
  add("dense", &dense::from_config);
  add("relu", [](const nlohmann::json&) { return std::make_unique<relu>(); });
  add("tanh", [](const nlohmann::json&) { return std::make_unique<tanh_activation>(); });
  add("gelu", [](const nlohmann::json&) { return std::make_unique<gelu>(); });
  add("layer_norm", &layer_norm::from_config);
  add("dropout", &dropout::from_config);
  add("l2_normalize", &l2_normalize::from_config);
}

std::unique_ptr<layer> layer_factory::create(const nlohmann::json& entry) const {
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
