#pragma once

/// @file
/// The layer-wise trainer: mini-batch training of an nn::sequential model through a schedule of
/// stages, with validation, early stopping, callbacks, progress output and resumable
/// checkpoints.
///
/// The trainer sees only layers with parameters, gradients, trainable masks and groups; it
/// knows nothing about quantum layers. Backend switches between stages (simulation, then
/// hardware) go through the on_stage_begin callback.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>
#include <papillon/train/checkpoint.hpp>
#include <papillon/train/chunk_executor.hpp>
#include <papillon/train/dataset.hpp>
#include <papillon/train/progress.hpp>
#include <papillon/train/schedule.hpp>

#include <Eigen/Core>
// Full JSON, not json_fwd: trainer_options and training_report hold json members with defaults.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon::train {

/// One optimiser step, passed to trainer_options::on_step.
struct step_report {
  index_t stage = 0;           ///< stage index (0-based)
  index_t epoch = 0;           ///< epoch within the stage (1-based)
  index_t step = 0;            ///< step within the epoch (1-based)
  index_t global_step = 0;     ///< steps since the run began (1-based)
  double loss = 0.0;           ///< the mini-batch loss before the step
  double gradient_norm = 0.0;  ///< global norm of the trainable gradients before clipping
  bool clipped = false;        ///< true if the gradients were clipped
};

/// One finished epoch.
struct epoch_report {
  index_t stage = 0;  ///< stage index (0-based)
  std::string stage_name{};
  index_t epoch = 0;                        ///< epoch within the stage (1-based)
  index_t global_epoch = 0;                 ///< epochs since the run began (1-based)
  index_t steps = 0;                        ///< optimiser steps in the epoch
  double train_loss = 0.0;                  ///< mean training loss over the epoch's mini-batches
  std::optional<double> validation_loss{};  ///< loss on the validation set after the epoch
  bool improved = false;  ///< the validation loss improved (early stopping's sense)
  double seconds = 0.0;   ///< wall time of the epoch
};

/// One finished (or early-stopped) stage.
struct stage_report {
  std::string name{};
  index_t epochs_run = 0;
  bool stopped_early = false;
  std::optional<double> best_validation_loss{};  ///< only with early stopping
  index_t best_epoch = 0;                        ///< epoch within the stage of the best loss
  bool restored_best = false;                    ///< parameters were reset to the best epoch
};

/// The whole run. After a resume it also holds the epochs run before the interruption.
struct training_report {
  std::vector<epoch_report> history{};
  std::vector<stage_report> stages{};
  index_t global_steps = 0;
  bool resumed = false;     ///< the run continued a checkpoint
  nlohmann::json ledger{};  ///< the ledger at the end of the run
};

/// What on_stage_begin receives.
struct stage_event {
  index_t index = 0;               ///< stage index (0-based)
  const stage* current = nullptr;  ///< the stage
  bool resumed_mid_stage = false;  ///< true when a checkpoint resumes inside this stage
};

/// Trainer settings.
struct trainer_options {
  /// Samples per mini-batch (the last batch of an epoch may be smaller).
  index_t batch_size = 32;
  /// Samples per chunk. 0 (the default): a mini-batch is one forward/backward pass. Positive:
  /// each mini-batch is cut into chunks of this size (the last may be smaller), computed
  /// separately (by `executor`) and added in chunk order: gradient sums, loss sums and counts,
  /// layer counters. Random layers then draw from streams keyed by (step, chunk). The result
  /// depends on the chunk size, never on the number of processes computing the chunks.
  index_t chunk_size = 0;
  /// Where chunks are computed when chunk_size > 0; null computes them here, in order. A
  /// distributed executor (papillon::mpi) also makes only its root process write checkpoints
  /// and progress, and starts every process from the root's parameters.
  std::shared_ptr<chunk_executor> executor{};
  /// Reshuffle the training set every epoch (seeded).
  bool shuffle = true;
  /// Seed of shuffling and of the validation split.
  std::uint64_t seed = 0;
  /// If positive (and no explicit validation set is given), this fraction of the data is split
  /// off, by a seeded shuffle, as the validation set.
  double validation_split = 0.0;
  /// The schedule. Empty: one stage of `epochs` epochs that keeps the model's masks.
  std::vector<stage> stages{};
  /// Epochs of the default stage (used only when `stages` is empty).
  index_t epochs = 10;
  /// Early stopping, for every stage that does not override it. Needs validation data.
  early_stopping_options early_stopping{};
  /// Progress output (default: none; a library must not print unless asked), and where it
  /// goes (default: stderr).
  progress_mode progress = progress_mode::silent;
  std::function<void(std::string_view)> progress_sink{};
  /// Checkpoint file, rewritten atomically every `checkpoint_every` epochs and at the end of
  /// every stage. Empty: no checkpoints.
  std::filesystem::path checkpoint_path{};
  index_t checkpoint_every = 1;
  /// A user JSON blob stored in every checkpoint and restored on resume (e.g. hardware job
  /// ids and costs). Callbacks may update it through trainer::ledger().
  nlohmann::json ledger = nlohmann::json::object();
  /// Called after every optimiser step.
  std::function<void(const step_report&)> on_step{};
  /// Called after every epoch, before its checkpoint is written.
  std::function<void(const epoch_report&)> on_epoch{};
  /// Called when a stage starts (after its masks and learning rates are set) and when a
  /// resumed run re-enters a stage. Use it to point a quantum layer at the stage's backend.
  std::function<void(const stage_event&)> on_stage_begin{};
};

/// Trains a model with an optimiser and a loss through a schedule of stages.
///
/// Determinism: with the same seed, data and single-threaded layers, a run is bit-for-bit
/// reproducible, and a run resumed from a checkpoint continues exactly as the uninterrupted run
/// would have (model, optimiser state, random engines, early-stopping state and position are
/// all in the checkpoint).
class trainer {
 public:
  /// Keeps references to the model, optimiser and loss, which must outlive the trainer.
  /// @throws data_error for invalid options (batch size 0, a stage with 0 epochs, a bad
  ///         validation fraction, checkpoint_every 0).
  trainer(nn::sequential& model, nn::optimizer& optimizer, const nn::loss& loss,
          trainer_options options = {});

  /// Trains on `train`, validating on a split of it if options().validation_split > 0.
  /// @throws dimension_error / data_error for invalid data; data_error if early stopping is
  ///         enabled without validation data. Exceptions from callbacks propagate.
  training_report fit(const dataset& train);
  /// Trains on `train`, validating on `validation`.
  training_report fit(const dataset& train, const dataset& validation);

  /// Continues the run saved in a checkpoint, with the same data and options.
  /// @throws data_error if the checkpoint is unreadable or from a different schedule or model.
  training_report resume(const std::filesystem::path& checkpoint, const dataset& train);
  training_report resume(const std::filesystem::path& checkpoint, const dataset& train,
                         const dataset& validation);

  /// The mean loss over a data set (evaluation mode, in mini-batches).
  [[nodiscard]] double evaluate(const dataset& data);

  /// The ledger saved in checkpoints; callbacks may modify it.
  [[nodiscard]] nlohmann::json& ledger() noexcept { return m_ledger; }
  [[nodiscard]] const trainer_options& options() const noexcept { return m_options; }

 private:
  struct early_state {
    std::optional<double> best;
    index_t best_epoch = 0;
    index_t bad_epochs = 0;
    Eigen::VectorXd best_parameters;
  };
  struct run_state {
    index_t stage = 0;
    index_t epoch_in_stage = 0;  // epochs finished in the current stage
    index_t global_epoch = 0;
    index_t global_step = 0;
    nn::rng_type rng;
    early_state early;
    training_report report;
  };

  training_report run(const dataset& train, const dataset* validation,
                      const nlohmann::json* checkpoint);
  [[nodiscard]] std::vector<stage> effective_stages() const;
  [[nodiscard]] early_stopping_options early_for(const stage& s) const {
    return s.early_stopping ? *s.early_stopping : m_options.early_stopping;
  }
  void check_data(const dataset& data, std::string_view what) const;
  void set_random_streams(std::uint64_t key);
  /// One optimiser step's gradients, loss sum and count over chunks of `mb`.
  [[nodiscard]] std::pair<double, double> chunked_gradients(const dataset& mb, index_t global_step);
  epoch_report run_epoch(const dataset& train, const dataset* validation, run_state& st,
                         const stage& s, index_t num_stages, detail::progress_printer& printer);
  [[nodiscard]] nlohmann::json checkpoint_json(const run_state& st,
                                               const std::vector<stage>& stages) const;
  void restore(const nlohmann::json& j, run_state& st, const std::vector<stage>& stages);
  [[nodiscard]] static nlohmann::json schedule_fingerprint(const std::vector<stage>& stages,
                                                           const trainer_options& o);

  nn::sequential& m_model;
  nn::optimizer& m_optimizer;
  const nn::loss& m_loss;
  trainer_options m_options;
  nlohmann::json m_ledger;
};

/// JSON form of an epoch report (used in checkpoints).
void to_json(nlohmann::json& j, const epoch_report& r);
void from_json(const nlohmann::json& j, epoch_report& r);
/// JSON form of a stage report (used in checkpoints).
void to_json(nlohmann::json& j, const stage_report& r);
void from_json(const nlohmann::json& j, stage_report& r);

}  // namespace papillon::train
