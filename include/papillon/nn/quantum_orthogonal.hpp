#pragma once

/// @file
/// The quantum orthogonal layer: input row x -> x / ||x|| -> unary loader -> Butterfly ->
/// readout. On the weight-1 subspace the Butterfly is an n x n orthogonal matrix W(theta), so
/// the ideal output is y = W x / ||x||.
///
/// Readouts:
/// - probabilities: p_i = y_i^2, measured as Hamming-weight-1 post-selected outcome
///   frequencies (hardware-native; the parallel shift of the trailing layer is exact for it);
/// - amplitudes: ||x|| y, an orthogonal linear map; on a backend measured with the ancilla
///   reference-state circuit (docs/method.md 2.5).
///
/// Execution: without a backend the layer is simulated exactly as 2x2 rotations on a batch,
/// O(n log n) per sample, and differentiated by a reverse-mode (adjoint) sweep: both are
/// papillon::unary_program (circuit/unary.hpp), the one way papillon applies a unary circuit.
/// With a backend, every sample's circuit goes to the backend in one batch per forward call,
/// and the parameter gradient comes from the gradient engine in one batch per backward call
/// (batch_shift_vjp, grad/parameter_shift.hpp): the engine plans the parallel shift (4
/// circuits per sample, or 2 with the reduced rule) when grad/layers.hpp proves it exact, which
/// for this layer means that only the trailing Butterfly layer is trainable and the readout is
/// probabilities, and the serial four-term shift otherwise. A frozen layer runs no gradient
/// circuits. The input gradient always comes from the ideal model W(theta), which is known
/// classically: the loader's angles are functions of the data, not parameters, so no shift rule
/// reaches them.
///
/// Active layers (layer-wise "grow" training): set_active_layers(k) keeps only the first k
/// Butterfly layers, in circuit order, in the exact simulation and in every circuit sent to a
/// backend. The others act as the identity whatever their angles, and their parameters get a
/// zero gradient. The last active layer is then the trailing layer, so the parallel shift
/// applies to it. By default every layer is active.

#include <papillon/backend/backend.hpp>
#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/grad/gradient_options.hpp>
#include <papillon/nn/layer.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace papillon {
class unary_program;
}  // namespace papillon

namespace papillon::nn {

/// What the quantum layer outputs.
enum class quantum_readout {
  probabilities,  ///< p_i = y_i^2 (post-selected on weight 1)
  amplitudes,     ///< ||x|| y_i (signed)
};

/// How the Butterfly angles start.
enum class quantum_init {
  uniform,        ///< theta ~ U(-pi, pi) (the group's default)
  small,          ///< theta ~ U(-0.1, 0.1) so W starts near the identity
  zero_coupling,  ///< small angles, and 0 on the coupling layer (RBS(0) = I), for stage B
};

/// The names of the readouts, as model files and the command line spell them.
inline constexpr enum_table<quantum_readout, 2> quantum_readout_names{
    "readout",
    {{{quantum_readout::probabilities, "probabilities"},
      {quantum_readout::amplitudes, "amplitudes"}}}};
constexpr const auto& enum_names_of(quantum_readout) noexcept { return quantum_readout_names; }

/// The names of the initialisations, as model files spell them.
inline constexpr enum_table<quantum_init, 3> quantum_init_names{
    "init",
    {{{quantum_init::uniform, "uniform"},
      {quantum_init::small, "small"},
      {quantum_init::zero_coupling, "zero_coupling"}}}};
constexpr const auto& enum_names_of(quantum_init) noexcept { return quantum_init_names; }

/// What the layer does with an input row that is the zero vector, which no unary loader encodes.
enum class zero_row_policy {
  refuse,  ///< throw data_error naming the row (the default)
  /// Exact simulation only: output the zero row. Its gradient is the limit along the row: W^T g
  /// for the amplitude readout (the output ||x|| W x-hat is W x, linear), 0 for the
  /// probabilities. A model whose first layer can output zeros (a zero-initialised bias before
  /// the first step) trains through such rows. On a backend zero rows are still refused.
  zero_output,
};

/// The names of the zero-row policies, as model files spell them.
inline constexpr enum_table<zero_row_policy, 2> zero_row_policy_names{
    "zero_rows",
    {{{zero_row_policy::refuse, "refuse"}, {zero_row_policy::zero_output, "zero_output"}}}};
constexpr const auto& enum_names_of(zero_row_policy) noexcept { return zero_row_policy_names; }

/// Options of the quantum orthogonal layer.
struct quantum_layer_options {
  index_t qubits = 16;  ///< width n (a power of two): input and output width
  butterfly_order order = butterfly_order::coupling_last;
  loader_kind loader = loader_kind::parallel;
  quantum_readout readout = quantum_readout::probabilities;
  quantum_init init = quantum_init::uniform;
  std::uint64_t seed = 0;      ///< initialisation and shot sampling
  std::uint64_t shots = 1000;  ///< shots per circuit on a backend (0: exact, if it can)
  rbs_shift_rule shift_rule = rbs_shift_rule::four_term;
  /// The most circuits sent in one run_batch call; 0 sends each forward or gradient call's
  /// circuits in one call. As gradient_options::max_batch_circuits: bounds the memory of pending
  /// results and changes no result.
  std::uint64_t max_batch_circuits = 0;
  zero_row_policy zero_rows = zero_row_policy::refuse;
};

class quantum_orthogonal final : public layer {
 public:
  static constexpr std::string_view kind_name = "quantum_orthogonal";

  /// @throws circuit_error if qubits is not a power of two >= 2 (docs/method.md 2.3.2 pads
  /// instead).
  explicit quantum_orthogonal(const quantum_layer_options& options = {});

  [[nodiscard]] std::string_view kind() const noexcept override { return kind_name; }
  [[nodiscard]] index_t output_size(index_t input_size) const override;
  matrix forward(const matrix& input, bool training) override;
  matrix backward(const matrix& grad_output) override;

  /// forward() on the transposed layout: column s of `input` is sample s (n x batch, which is
  /// the memory of a row-major batch x n array, as numpy and torch hold it), and the output is
  /// written to `output` (n x batch, not aliasing `input`). The same computation as forward();
  /// the layout changes only how rows are read and written, so callers holding row-major data
  /// need no transposed copy.
  /// @throws dimension_error if input.rows() is not the qubit count or output's shape differs
  ///         from input's; data_error as forward().
  void forward_transposed(const Eigen::Ref<const Eigen::MatrixXd>& input,
                          Eigen::Ref<Eigen::MatrixXd> output, bool training);
  /// backward() on the transposed layout of forward_transposed(): grad_output and grad_input
  /// are n x batch (grad_input not aliasing grad_output). Follows either forward entry point.
  /// @throws dimension_error as backward(), for the transposed shape.
  void backward_transposed(const Eigen::Ref<const Eigen::MatrixXd>& grad_output,
                           Eigen::Ref<Eigen::MatrixXd> grad_input);
  [[nodiscard]] std::vector<parameter_block> parameter_blocks() const override;
  [[nodiscard]] nlohmann::json config() const override;
  [[nodiscard]] nlohmann::json runtime_state() const override;
  void set_runtime_state(const nlohmann::json& state) override;
  /// Seeds the shots of the following calls from (seed, key, call within the stream) instead of
  /// the running call count, which is then left alone (see layer::set_random_stream).
  void set_random_stream(std::uint64_t key) override {
    m_stream = key;
    m_stream_calls = 0;
  }
  /// The ledger: circuits, shots, batches.
  [[nodiscard]] std::vector<std::uint64_t> counters() const override {
    return {m_ledger.circuits, m_ledger.shots, m_ledger.batches};
  }
  void set_counters(std::span<const std::uint64_t> values) override;

  /// Runs circuits on `b` from now on; nullptr returns to exact simulation. The backend is
  /// shared, not owned exclusively: the trainer swaps it between stages.
  void set_backend(std::shared_ptr<backend> b) { m_backend = std::move(b); }
  [[nodiscard]] const std::shared_ptr<backend>& current_backend() const noexcept {
    return m_backend;
  }

  [[nodiscard]] const quantum_layer_options& options() const noexcept { return m_opt; }
  /// The Butterfly (parameters numbered as the layer's parameter vector).
  [[nodiscard]] const layered_circuit& butterfly_circuit() const noexcept { return m_butterfly; }
  /// The current n x n orthogonal matrix W(theta) of the active layers (column j = image of
  /// e_j).
  [[nodiscard]] Eigen::MatrixXd unary_matrix() const;

  /// The number of Butterfly layers (log2 of the qubit count).
  [[nodiscard]] index_t num_layers() const noexcept { return m_butterfly.depth(); }
  /// How many Butterfly layers, counted from the first in circuit order, are in use.
  [[nodiscard]] index_t active_layers() const noexcept { return m_active; }
  /// Uses only the first k Butterfly layers (0 <= k <= num_layers()); the rest act as the
  /// identity and get zero gradient. Parameters and trainable masks are left as they are. The
  /// count is part of runtime_state(), so model files and checkpoints keep it. Changing it
  /// discards the cached forward pass (call forward() again before backward()).
  /// @throws data_error if k > num_layers().
  void set_active_layers(index_t k);
  /// The active part of the Butterfly, as appended to the loader in sample_circuit(); it reads
  /// the whole parameter vector.
  [[nodiscard]] const circuit& active_circuit() const noexcept { return m_active_body; }
  /// Circuits, shots and batches this layer sent to backends.
  [[nodiscard]] const evaluation_ledger& ledger() const noexcept { return m_ledger; }
  /// The circuit of one input row as it is sent to a backend (loader + Butterfly, or the
  /// ancilla reference circuit for the amplitude readout).
  [[nodiscard]] circuit sample_circuit(std::span<const double> row) const;

  /// Builds a layer from config() output.
  static std::unique_ptr<layer> from_config(const nlohmann::json& config);

 private:
  void init_parameters();
  [[nodiscard]] std::span<const double> theta() const noexcept {
    return {m_params.data(), static_cast<std::size_t>(m_params.size())};
  }
  // The active Butterfly compiled under the current angles.
  [[nodiscard]] unary_program program() const;
  // Checks a batch (one sample per row, or per column if transposed), fills the cache of the
  // forward pass and runs the exact simulation into m_y.
  void forward_exact(const Eigen::Ref<const Eigen::MatrixXd>& input, bool transposed,
                     std::string_view where);
  // The readout of every cached sample from the backend (rows = samples).
  [[nodiscard]] matrix backend_outputs();
  // Through the circuit and the normalisation: leaves m_gy and m_coef such that dL/dx =
  // (m_gy - m_xhat .* m_coef) ./ m_norms, row by row.
  void backward_exact(const Eigen::Ref<const Eigen::MatrixXd>& grad_output, bool transposed);
  [[nodiscard]] std::vector<circuit> sample_circuits() const;
  [[nodiscard]] std::vector<double> readout_row(const run_result& r, index_t qubits) const;
  void backward_backend_params(const matrix& g_out);
  [[nodiscard]] std::uint64_t next_seed() {
    if (m_stream) return derive_seed(derive_seed(m_opt.seed, *m_stream), m_stream_calls++);
    return derive_seed(m_opt.seed, m_calls++);
  }

  quantum_layer_options m_opt;
  layered_circuit m_butterfly;
  index_t m_active = 0;      // active Butterfly layers (the first m_active in circuit order)
  circuit m_active_body{1};  // their gates: the Butterfly prefix every run uses
  std::shared_ptr<backend> m_backend;
  evaluation_ledger m_ledger;
  std::uint64_t m_calls = 0;  // backend calls so far: seeds each call's shots
  // Set by set_random_stream (chunked training): seeds come from the stream instead.
  std::optional<std::uint64_t> m_stream;
  std::uint64_t m_stream_calls = 0;

  // Cache of the last forward pass (rows = samples).
  matrix m_xhat;            // normalised inputs
  Eigen::VectorXd m_norms;  // ||x|| per row
  matrix m_y;               // ideal outputs y = W xhat
  bool m_cached = false;
  // Work buffers of backward, kept between calls: a batch of 128 KiB or more would otherwise
  // be allocated, and by glibc's default mapped and faulted in, on every call.
  matrix m_gy;             // dL/dy, then dL/dxhat
  matrix m_ywork;          // the outputs undone gate by gate; results to transpose
  Eigen::VectorXd m_coef;  // per row: xhat . dL/dxhat, less r dL/dr for amplitudes
};

}  // namespace papillon::nn
