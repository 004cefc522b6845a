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

#include <nlohmann/json_fwd.hpp>

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

}  // namespace papillon::nn
