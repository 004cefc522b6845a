#pragma once

/// @file
/// The layer interface of papillon's hybrid networks.
///
/// Conventions, shared by every layer, loss and the trainer:
/// - values are double; a batch is an Eigen::MatrixXd with one **sample per row**
///   (batch_size x features), the layout of a tabular data set;
/// - forward(input, training) caches what backward needs; backward(dL/doutput) returns
///   dL/dinput and **adds** dL/dparameters to gradients() (call zero_gradients() between steps);
/// - a layer owns its parameters as one flat vector, with a gradient vector and a per-parameter
///   trainable mask of the same length. Optimisers see only these three, so a new layer type
///   (the quantum orthogonal layer) plugs in by deriving from nn::layer.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>
// Full JSON, not json_fwd: layers defined in headers (quantum_orthogonal.hpp) build JSON inline.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon::nn {

/// A batch: one sample per row.
using matrix = Eigen::MatrixXd;

/// The parameter group of ordinary layers. Optimisers look learning rates up by group.
inline constexpr std::string_view classical_group = "classical";

/// A named, contiguous slice of a layer's flat parameter vector ("weight", "bias", or one
/// Butterfly sub-layer's angles). Schedules freeze and unfreeze parameters by block.
struct parameter_block {
  std::string name;    ///< unique within the layer
  index_t offset = 0;  ///< first parameter
  index_t size = 0;    ///< number of parameters
  bool operator==(const parameter_block&) const = default;
};

/// Base class of every layer. Non-copyable: layers are held by std::unique_ptr in a model.
class layer {
 public:
  layer(const layer&) = delete;
  layer& operator=(const layer&) = delete;
  layer(layer&&) = delete;
  layer& operator=(layer&&) = delete;
  virtual ~layer() = default;

  /// The layer type as written in model files ("dense", "relu", ...). Fixed per class.
  [[nodiscard]] virtual std::string_view kind() const noexcept = 0;

  /// The output width for a given input width.
  /// @throws dimension_error if the layer cannot take that input width.
  /// The default (element-wise layers) returns the input width.
  [[nodiscard]] virtual index_t output_size(index_t input_size) const { return input_size; }

  /// Applies the layer to a batch (one sample per row) and caches what backward() needs.
  /// @param training true in training (dropout active), false for evaluation
  /// @throws dimension_error for a batch of the wrong width; data_error for invalid values
  virtual matrix forward(const matrix& input, bool training) = 0;

  /// Back-propagates through the last forward() call.
  /// @param grad_output dL/doutput, same shape as the last output
  /// @return dL/dinput, same shape as the last input
  /// Adds dL/dparameters to gradients(). A layer may skip the parameter gradient of frozen
  /// parameters (their gradient entries are then left unchanged), which lets an expensive
  /// layer do no gradient work when it is frozen.
  /// @throws dimension_error if grad_output has the wrong shape or forward() was not called
  virtual matrix backward(const matrix& grad_output) = 0;

  /// Named slices of the parameter vector. Default: none (a layer without parameters).
  [[nodiscard]] virtual std::vector<parameter_block> parameter_blocks() const { return {}; }

  /// Hyper-parameters needed to rebuild the layer (sizes, options), as a JSON object.
  [[nodiscard]] virtual nlohmann::json config() const;

  /// Mutable state that is neither a parameter nor configuration (e.g. dropout's random
  /// engine), saved in model files and checkpoints so a resumed run is bit-identical.
  [[nodiscard]] virtual nlohmann::json runtime_state() const;

  /// Restores runtime_state(). @throws data_error on malformed state.
  virtual void set_runtime_state(const nlohmann::json& /*state*/) {}

  // ---- Chunked training -----------------------------------------------------------------------

  /// Makes the randomness of the next forward/backward pair (dropout masks, shot seeds) depend
  /// only on the layer's seed and `key`, not on the calls before it. The chunked trainer derives
  /// `key` from the step and the chunk, so a chunk gives the same result in whichever process
  /// computes it. The default does nothing: most layers draw no random numbers.
  virtual void set_random_stream(std::uint64_t /*key*/) {}

  /// Counts the layer keeps across calls (circuits, shots, batches sent to a backend), so the
  /// chunked trainer can sum every chunk's share into each process's copy. Default: none.
  [[nodiscard]] virtual std::vector<std::uint64_t> counters() const { return {}; }
  /// Replaces counters(). @throws dimension_error if the length differs from counters().
  virtual void set_counters(std::span<const std::uint64_t> values);

  // ---- Identity -------------------------------------------------------------------------------

  /// The layer's name, unique within a model (assigned by the model if left empty).
  [[nodiscard]] const std::string& name() const noexcept { return m_name; }
  void set_name(std::string name) { m_name = std::move(name); }

  /// The parameter group ("classical" by default; the quantum layer uses "quantum"), used for
  /// per-group learning rates and by schedule selectors "group:<name>".
  [[nodiscard]] const std::string& group() const noexcept { return m_group; }
  void set_group(std::string group) { m_group = std::move(group); }

  // ---- Parameters, gradients, trainable mask --------------------------------------------------

  [[nodiscard]] index_t num_parameters() const noexcept {
    return static_cast<index_t>(m_params.size());
  }
  [[nodiscard]] std::span<double> parameters() noexcept { return {m_params.data(), size()}; }
  [[nodiscard]] std::span<const double> parameters() const noexcept {
    return {m_params.data(), size()};
  }
  [[nodiscard]] std::span<double> gradients() noexcept { return {m_grads.data(), size()}; }
  [[nodiscard]] std::span<const double> gradients() const noexcept {
    return {m_grads.data(), size()};
  }
  void zero_gradients() noexcept { m_grads.setZero(); }

  /// One byte per parameter: 1 trainable, 0 frozen.
  [[nodiscard]] std::span<const std::uint8_t> trainable_mask() const noexcept {
    return m_trainable;
  }
  [[nodiscard]] bool is_trainable(index_t i) const { return m_trainable.at(i) != 0; }
  [[nodiscard]] index_t num_trainable() const noexcept {
    return static_cast<index_t>(std::count(m_trainable.begin(), m_trainable.end(), 1));
  }
  [[nodiscard]] bool any_trainable() const noexcept { return num_trainable() > 0; }

  /// Freezes (false) or unfreezes (true) every parameter of the layer.
  void set_trainable(bool trainable) {
    std::fill(m_trainable.begin(), m_trainable.end(), trainable ? 1 : 0);
  }
  /// Freezes or unfreezes one parameter block.
  /// @throws data_error if the layer has no block of that name.
  void set_trainable(std::string_view block, bool trainable);
  /// Sets the whole mask (nonzero = trainable).
  /// @throws dimension_error if the mask length differs from num_parameters().
  void set_trainable_mask(std::span<const std::uint8_t> mask);

  // ---- Serialisation --------------------------------------------------------------------------

  /// {"kind", "name", "group", "config", "parameters", "trainable", "state"}.
  [[nodiscard]] nlohmann::json to_json() const;

  /// Loads name, group, parameters, mask and runtime state from to_json() output into this
  /// already-configured layer. @throws data_error if the kind differs or fields are missing
  /// or malformed; dimension_error if the parameter count differs.
  void load_json(const nlohmann::json& j);

 protected:
  /// @param num_parameters length of the flat parameter vector, all trainable, all zero
  explicit layer(index_t num_parameters = 0)
      : m_params(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(num_parameters))),
        m_grads(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(num_parameters))),
        m_group(classical_group),
        m_trainable(num_parameters, 1) {}

  /// Throws dimension_error unless `x` has `cols` columns. `where` names the caller.
  static void check_width(const matrix& x, index_t cols, std::string_view where);
  /// Throws dimension_error unless grad_output has the shape of the cached output.
  static void check_grad_shape(const matrix& grad_output, Eigen::Index rows, Eigen::Index cols,
                               std::string_view where);

  Eigen::VectorXd m_params;  ///< the flat parameter vector
  Eigen::VectorXd m_grads;   ///< accumulated dL/dparameters, same layout

 private:
  [[nodiscard]] std::size_t size() const noexcept {
    return static_cast<std::size_t>(m_params.size());
  }

  std::string m_name;
  std::string m_group;
  std::vector<std::uint8_t> m_trainable;
};

}  // namespace papillon::nn
