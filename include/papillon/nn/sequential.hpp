#pragma once

/// @file
/// A sequential model: a chain of layers with forward/backward, freezing, parameter access and
/// JSON model files ("papillon.model.v1").

#include <papillon/error.hpp>
#include <papillon/nn/layer.hpp>
#include <papillon/nn/layer_factory.hpp>
#include <papillon/nn/optimizer.hpp>

#include <Eigen/Core>
// Full JSON, not json_fwd: model files are this header's API (sequential.test.cpp dumps, parses
// and compares to_json() with it).
#include <nlohmann/json.hpp>

#include <filesystem>
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

}  // namespace papillon::nn
