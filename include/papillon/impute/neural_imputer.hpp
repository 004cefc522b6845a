#pragma once

/// @file
/// Neural imputers: a denoising autoencoder whose central layer is either classical (a dense
/// layer of a given width: the "mlp" of the same width as the quantum layer, or the wide
/// 128-unit model) or a quantum orthogonal layer (the hybrid QNN of docs/method.md 5.2).
///
/// Model (F features): input [x with hidden cells set to 0 (the z-score mean), visibility
/// indicator] (2F) -> dense(2F -> w) -> tanh -> central(w) -> dense(w -> F). The classical
/// central block is dense(w -> w) -> tanh; the quantum one is the w-qubit Butterfly layer.
///
/// Training (denoising): every training row appears `copies` times, each time with a seeded
/// fraction `corruption` of its observed cells hidden from the input. The masked MSE counts the
/// hidden observed cells with weight 1 and the visible ones with `visible_weight`, so the model
/// learns to predict a cell from the others; cells missing in the data never count. A seeded
/// validation split drives early stopping (best epoch restored). The hybrid model trains by a
/// schedule of train/hybrid_schedules.hpp: all in simulation, grow, or the hardware protocol
/// (stage B on `backend`).

#include <papillon/backend/backend.hpp>
#include <papillon/core/types.hpp>
#include <papillon/impute/imputer.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>  // quantum_readout, quantum_init
#include <papillon/nn/sequential.hpp>
#include <papillon/train/chunk_executor.hpp>
#include <papillon/train/dataset.hpp>
#include <papillon/train/hybrid_schedules.hpp>
#include <papillon/train/progress.hpp>
#include <papillon/train/trainer.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace papillon::impute {

/// The central (bottleneck) block of a neural imputer.
enum class central_layer {
  dense,    ///< dense(w -> w) -> tanh
  quantum,  ///< a w-qubit quantum orthogonal layer (Butterfly)
};

/// Settings of neural_imputer.
struct neural_imputer_options {
  /// Report name ("mlp", "wide", "qnn" ...).
  std::string name = "mlp";
  central_layer central = central_layer::dense;
  /// Central width: neurons, or qubits (a power of two >= 2) for the quantum layer.
  index_t width = 16;

  /// Epochs (the simulation schedule; per stage for the others, see schedule_options).
  index_t epochs = 60;
  index_t batch_size = 64;
  /// Samples per chunk of a mini-batch (0: none; see train::trainer_options::chunk_size). The
  /// trained model depends on it, not on the number of processes sharing the chunks.
  index_t chunk_size = 0;
  /// Where the chunks are computed (null: here; papillon::mpi spreads them over MPI ranks).
  std::shared_ptr<train::chunk_executor> executor{};
  double learning_rate = 2e-3;
  double quantum_learning_rate = 2e-2;
  double weight_decay = 1e-5;
  /// Gradient clipping by global norm (0: none).
  double clip_norm = 5.0;

  /// Fraction of each row's observed cells hidden from the input in a training copy.
  double corruption = 0.3;
  /// Training copies of every row, each with its own corruption.
  index_t copies = 8;
  /// Loss weight of the observed cells left visible (the hidden ones weigh 1).
  double visible_weight = 0.05;
  /// Rows held out for validation and early stopping (0: none, train for all epochs).
  double validation_fraction = 0.1;
  /// Epochs without validation improvement before a stage stops.
  index_t patience = 8;

  /// Seed of initialisation, corruption, shuffling and shots.
  std::uint64_t seed = 0;

  /// Quantum layer settings (used when central == quantum; qubits come from `width`).
  nn::quantum_readout readout = nn::quantum_readout::probabilities;
  /// Angle initialisation; the hardware and grow schedules want zero_coupling.
  nn::quantum_init init = nn::quantum_init::small;
  /// Shots per circuit on a backend (0: exact probabilities where the backend can).
  std::uint64_t shots = 1000;
  /// How the hybrid model trains.
  train::hybrid_schedule schedule = train::hybrid_schedule::simulation;
  /// Stage lengths and rates of the schedule; epochs and rates are taken from above when this
  /// is left at its defaults (see neural_imputer::effective_schedule_options()).
  std::optional<train::hybrid_schedule_options> schedule_options{};
  /// The backend of the hardware stages (nullptr: exact simulation).
  std::shared_ptr<backend> training_backend{};
  /// The backend transform() runs the quantum layer on (nullptr: exact simulation).
  std::shared_ptr<backend> inference_backend{};

  /// Training progress (default: silent; the library does not print unless asked).
  train::progress_mode progress = train::progress_mode::silent;
  std::function<void(std::string_view)> progress_sink{};
  /// If set, a checkpoint written every epoch; an existing checkpoint from the same settings
  /// and data resumes the run instead of starting over.
  std::filesystem::path checkpoint{};
};

/// A denoising autoencoder imputer with a classical or quantum central layer.
class neural_imputer final : public imputer {
 public:
  /// @throws data_error for invalid settings (bad fractions, zero sizes, a quantum width that
  ///         is not a power of two).
  explicit neural_imputer(neural_imputer_options options);

  [[nodiscard]] std::string name() const override { return m_opt.name; }
  /// Epochs, optimiser steps, parameters, and for the quantum layer the circuits, shots and
  /// backend calls of training and of every transform() since (0 for exact simulation).
  [[nodiscard]] evaluation_counts evaluations() const override;
  [[nodiscard]] training_curve history() const override { return m_curve; }
  /// Sets options().checkpoint (see neural_imputer_options::checkpoint).
  bool use_checkpoint(const std::filesystem::path& file) override {
    m_opt.checkpoint = file;
    return true;
  }

  [[nodiscard]] const neural_imputer_options& options() const noexcept { return m_opt; }
  /// The trained model (empty before fit()).
  [[nodiscard]] const nn::sequential& model() const noexcept { return m_model; }
  /// The full report of the last training run.
  [[nodiscard]] const train::training_report& report() const noexcept { return m_report; }
  /// The schedule settings actually used.
  [[nodiscard]] train::hybrid_schedule_options effective_schedule_options() const;

  /// The model's input for a data matrix: [x with unobserved cells 0, indicator].
  [[nodiscard]] static nn::matrix encode(const Eigen::MatrixXd& x, const data::cell_mask& visible);

 protected:
  void fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) override;
  [[nodiscard]] Eigen::MatrixXd transform_impl(const Eigen::MatrixXd& x,
                                               const data::cell_mask& observed) const override;

 private:
  void build(index_t features);
  [[nodiscard]] nn::quantum_orthogonal* quantum() const;
  /// The quantum layer's ledger and the training backend's usage now (cumulative).
  [[nodiscard]] evaluation_counts hardware_counts() const;
  [[nodiscard]] train::dataset make_dataset(const Eigen::MatrixXd& x,
                                            const data::cell_mask& observed) const;

  neural_imputer_options m_opt;
  mutable nn::sequential m_model;  // forward() caches activations; transform() is logically const
  train::training_report m_report;
  training_curve m_curve;
  evaluation_counts m_counts;
};

/// The three neural imputers of the benchmark, with the report names the CLI uses.
/// "mlp": classical central layer of `width`; "wide": classical, 128 units; "qnn": quantum.
[[nodiscard]] neural_imputer_options mlp_imputer_options(index_t width = 16);
[[nodiscard]] neural_imputer_options wide_imputer_options(index_t width = 128);
[[nodiscard]] neural_imputer_options qnn_imputer_options(index_t qubits = 16);

}  // namespace papillon::impute
