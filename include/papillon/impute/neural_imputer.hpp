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
#include <papillon/circuit/butterfly.hpp>
#include <papillon/core/random.hpp>
#include <papillon/core/types.hpp>
#include <papillon/data/random.hpp>
#include <papillon/error.hpp>
#include <papillon/impute/imputer.hpp>
#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/nn/sequential.hpp>
#include <papillon/train/hybrid_schedules.hpp>
#include <papillon/train/trainer.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// ---- Definitions ------------------------------------------------------------------------------

inline neural_imputer_options mlp_imputer_options(index_t width) {
  neural_imputer_options o;
  o.name = "mlp";
  o.width = width;
  return o;
}

inline neural_imputer_options wide_imputer_options(index_t width) {
  neural_imputer_options o;
  o.name = "wide";
  o.width = width;
  return o;
}

inline neural_imputer_options qnn_imputer_options(index_t qubits) {
  neural_imputer_options o;
  o.name = "qnn";
  o.central = central_layer::quantum;
  o.width = qubits;
  return o;
}

inline neural_imputer::neural_imputer(neural_imputer_options options) : m_opt(std::move(options)) {
  const std::string where = "impute::neural_imputer";
  auto fraction = [&](double v, const char* what, bool allow_zero) {
    if (!(v < 1.0) || !(allow_zero ? v >= 0.0 : v > 0.0))
      throw data_error(where,
                       std::string(what) + " must be in " + (allow_zero ? "[0, 1)" : "(0, 1)"),
                       std::to_string(v));
  };
  fraction(m_opt.corruption, "corruption", false);
  fraction(m_opt.validation_fraction, "validation_fraction", true);
  if (m_opt.width < 1) throw data_error(where, "width must be at least 1");
  if (m_opt.central == central_layer::quantum && (!is_power_of_two(m_opt.width) || m_opt.width < 2))
    throw data_error(where, "the quantum central layer needs a power-of-two width >= 2",
                     "width " + std::to_string(m_opt.width));
  if (m_opt.epochs < 1 || m_opt.batch_size < 1 || m_opt.copies < 1)
    throw data_error(where, "epochs, batch_size and copies must be at least 1");
  if (!(m_opt.learning_rate > 0.0) || !(m_opt.quantum_learning_rate > 0.0))
    throw data_error(where, "learning rates must be positive");
  if (!(m_opt.visible_weight >= 0.0) || !(m_opt.weight_decay >= 0.0))
    throw data_error(where, "visible_weight and weight_decay must be non-negative");
}

inline train::hybrid_schedule_options neural_imputer::effective_schedule_options() const {
  if (m_opt.schedule_options) return *m_opt.schedule_options;
  train::hybrid_schedule_options s;
  s.quantum_layer = "quantum";
  s.epochs = m_opt.epochs;
  s.learning_rate = m_opt.learning_rate;
  s.quantum_learning_rate = m_opt.quantum_learning_rate;
  return s;
}

inline nn::matrix neural_imputer::encode(const Eigen::MatrixXd& x, const data::cell_mask& visible) {
  const Eigen::Index f = x.cols();
  nn::matrix in(x.rows(), 2 * f);
  for (Eigen::Index j = 0; j < f; ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      in(i, j) = visible(i, j) ? x(i, j) : 0.0;
      in(i, f + j) = visible(i, j) ? 1.0 : 0.0;
    }
  return in;
}

inline void neural_imputer::build(index_t features) {
  m_model = nn::sequential();
  const index_t w = m_opt.width;
  auto seed = [&](std::uint64_t k) { return data::derive_seed(m_opt.seed, 100 + k); };
  m_model.emplace<nn::dense>(2 * features, w, nn::dense_options{.seed = seed(1)})
      .set_name("encoder");
  m_model.emplace<nn::tanh_activation>().set_name("encoder_tanh");
  if (m_opt.central == central_layer::dense) {
    m_model.emplace<nn::dense>(w, w, nn::dense_options{.seed = seed(2)}).set_name("central");
    m_model.emplace<nn::tanh_activation>().set_name("central_tanh");
  } else {
    nn::quantum_layer_options q;
    q.qubits = w;
    q.readout = m_opt.readout;
    q.init = m_opt.init;
    q.seed = seed(2);
    q.shots = m_opt.shots;
    m_model.emplace<nn::quantum_orthogonal>(q).set_name("quantum");
  }
  m_model.emplace<nn::dense>(w, features, nn::dense_options{.seed = seed(3)}).set_name("decoder");
}

inline nn::quantum_orthogonal* neural_imputer::quantum() const {
  if (m_opt.central != central_layer::quantum || !m_model.contains("quantum")) return nullptr;
  return dynamic_cast<nn::quantum_orthogonal*>(&m_model.find("quantum"));
}

inline train::dataset neural_imputer::make_dataset(const Eigen::MatrixXd& x,
                                                   const data::cell_mask& observed) const {
  const Eigen::Index n = x.rows();
  const Eigen::Index f = x.cols();
  const auto copies = static_cast<Eigen::Index>(m_opt.copies);
  train::dataset d;
  d.inputs.resize(n * copies, 2 * f);
  d.targets.resize(n * copies, f);
  d.mask = nn::matrix::Zero(n * copies, f);
  rng_type rng(data::derive_seed(m_opt.seed, 0xC0887ULL));
  for (Eigen::Index c = 0; c < copies; ++c) {
    data::cell_mask visible = observed;
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index j = 0; j < f; ++j)
        if (observed(i, j) && uniform01(rng) < m_opt.corruption) visible(i, j) = false;
    const auto rows = Eigen::seqN(c * n, n);
    d.inputs(rows, Eigen::all) = encode(x, visible);
    for (Eigen::Index j = 0; j < f; ++j)
      for (Eigen::Index i = 0; i < n; ++i) {
        d.targets(c * n + i, j) = observed(i, j) ? x(i, j) : 0.0;
        if (observed(i, j)) d.mask(c * n + i, j) = visible(i, j) ? m_opt.visible_weight : 1.0;
      }
  }
  return d;
}

inline void neural_imputer::fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) {
  build(static_cast<index_t>(x.cols()));
  const train::dataset all = make_dataset(x, observed);

  nn::optimizer_options oo;
  oo.learning_rate = m_opt.learning_rate;
  oo.group_learning_rates["quantum"] = m_opt.quantum_learning_rate;
  oo.weight_decay = m_opt.weight_decay;
  oo.clip_norm = m_opt.clip_norm;
  nn::adam opt(oo);
  nn::masked_mse loss;

  train::trainer_options to;
  to.batch_size = m_opt.batch_size;
  to.seed = data::derive_seed(m_opt.seed, 0x7A1ULL);
  to.progress = m_opt.progress;
  to.progress_sink = m_opt.progress_sink;
  to.checkpoint_path = m_opt.checkpoint;
  to.epochs = m_opt.epochs;
  if (m_opt.validation_fraction > 0.0) {
    to.early_stopping.enabled = true;
    to.early_stopping.patience = m_opt.patience;
    to.early_stopping.restore_best = true;
  }
  if (m_opt.central == central_layer::quantum) {
    const auto so = effective_schedule_options();
    to.stages = train::make_hybrid_stages(m_model, m_opt.schedule, so);
    train::attach_stage_backends(to, m_model, m_opt.schedule, so, m_opt.training_backend);
  } else {
    train::stage s;
    s.name = "train";
    s.epochs = m_opt.epochs;
    s.trainable = std::vector<std::string>{"*"};
    to.stages = {s};
  }

  // Validation rows are whole data rows (all their copies), so no row is seen on both sides.
  train::dataset training = all;
  train::dataset validation;
  if (m_opt.validation_fraction > 0.0) {
    const auto n = static_cast<index_t>(x.rows());
    rng_type rng(data::derive_seed(m_opt.seed, 0x5A11DULL));
    const auto order = train::shuffled_indices(n, rng);
    const auto n_val = static_cast<index_t>(static_cast<double>(n) * m_opt.validation_fraction);
    if (n_val >= 1 && n_val < n) {
      std::vector<index_t> tr, va;
      for (index_t c = 0; c < m_opt.copies; ++c)
        for (index_t k = 0; k < n; ++k) (k < n_val ? va : tr).push_back(c * n + order[k]);
      training = all.rows(tr);
      validation = all.rows(va);
    } else {
      for (auto& s : to.stages) s.early_stopping = train::early_stopping_options{};
      to.early_stopping.enabled = false;
    }
  }

  train::trainer t(m_model, opt, loss, to);
  const bool resume = !m_opt.checkpoint.empty() && std::filesystem::exists(m_opt.checkpoint);
  const bool validate = validation.size() > 0;
  if (resume)
    m_report = validate ? t.resume(m_opt.checkpoint, training, validation)
                        : t.resume(m_opt.checkpoint, training);
  else
    m_report = validate ? t.fit(training, validation) : t.fit(training);

  m_curve = {};
  for (const auto& e : m_report.history) {
    m_curve.train_loss.push_back(e.train_loss);
    if (e.validation_loss) m_curve.validation_loss.push_back(*e.validation_loss);
    m_curve.stage.push_back(e.stage_name);
  }
  if (m_curve.validation_loss.size() != m_curve.train_loss.size()) m_curve.validation_loss.clear();

  m_counts = {};
  m_counts["epochs"] = m_report.history.size();
  m_counts["optimizer_steps"] = m_report.global_steps;
  m_counts["parameters"] = m_model.num_parameters();
  if (const auto* q = quantum()) m_counts["quantum_parameters"] = q->num_parameters();
}

inline evaluation_counts neural_imputer::evaluations() const {
  evaluation_counts c = m_counts;
  if (const auto* q = quantum()) {
    c["circuits"] = q->ledger().circuits;
    c["shots"] = q->ledger().shots;
    c["backend_calls"] = q->ledger().batches;
  }
  return c;
}

inline Eigen::MatrixXd neural_imputer::transform_impl(const Eigen::MatrixXd& x,
                                                      const data::cell_mask& observed) const {
  auto* q = quantum();
  std::shared_ptr<backend> previous;
  if (q) {
    previous = q->current_backend();
    q->set_backend(m_opt.inference_backend);
  }
  nn::matrix out;
  try {
    out = m_model.forward(encode(x, observed), false);
  } catch (...) {
    if (q) q->set_backend(previous);
    throw;
  }
  if (q) q->set_backend(previous);
  return out;
}

}  // namespace papillon::impute
