// The denoising-autoencoder imputers (classical or quantum central layer).

#include <papillon/circuit/butterfly.hpp>
#include <papillon/core/random.hpp>
#include <papillon/data/random.hpp>
#include <papillon/error.hpp>
#include <papillon/impute/neural_imputer.hpp>
#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace papillon::impute {

neural_imputer_options mlp_imputer_options(index_t width) {
  neural_imputer_options o;
  o.name = "mlp";
  o.width = width;
  return o;
}

neural_imputer_options wide_imputer_options(index_t width) {
  neural_imputer_options o;
  o.name = "wide";
  o.width = width;
  return o;
}

neural_imputer_options qnn_imputer_options(index_t qubits) {
  neural_imputer_options o;
  o.name = "qnn";
  o.central = central_layer::quantum;
  o.width = qubits;
  return o;
}

neural_imputer::neural_imputer(neural_imputer_options options) : m_opt(std::move(options)) {
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

train::hybrid_schedule_options neural_imputer::effective_schedule_options() const {
  if (m_opt.schedule_options) return *m_opt.schedule_options;
  train::hybrid_schedule_options s;
  s.quantum_layer = "quantum";
  s.epochs = m_opt.epochs;
  s.learning_rate = m_opt.learning_rate;
  s.quantum_learning_rate = m_opt.quantum_learning_rate;
  return s;
}

nn::matrix neural_imputer::encode(const Eigen::MatrixXd& x, const data::cell_mask& visible) {
  const Eigen::Index f = x.cols();
  nn::matrix in(x.rows(), 2 * f);
  for (Eigen::Index j = 0; j < f; ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      in(i, j) = visible(i, j) ? x(i, j) : 0.0;
      in(i, f + j) = visible(i, j) ? 1.0 : 0.0;
    }
  return in;
}

void neural_imputer::build(index_t features) {
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
    // A row with every input hidden is 0; before the first step (zero encoder bias) tanh keeps
    // it 0, and the exact layer passes it through instead of stopping the training.
    q.zero_rows = nn::zero_row_policy::zero_output;
    m_model.emplace<nn::quantum_orthogonal>(q).set_name("quantum");
  }
  m_model.emplace<nn::dense>(w, features, nn::dense_options{.seed = seed(3)}).set_name("decoder");
}

nn::quantum_orthogonal* neural_imputer::quantum() const {
  if (m_opt.central != central_layer::quantum || !m_model.contains("quantum")) return nullptr;
  return dynamic_cast<nn::quantum_orthogonal*>(&m_model.find("quantum"));
}

train::dataset neural_imputer::make_dataset(const Eigen::MatrixXd& x,
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

void neural_imputer::fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) {
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
  to.chunk_size = m_opt.chunk_size;
  to.executor = m_opt.executor;
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
  // Hardware use per epoch: the difference of the cumulative counters between epoch ends.
  std::vector<evaluation_counts> usage;
  evaluation_counts last = hardware_counts();
  const evaluation_counts at_start = last;
  if (quantum())
    to.on_epoch = [&](const train::epoch_report&) {
      evaluation_counts now = hardware_counts();
      evaluation_counts d;
      for (const auto& [k, v] : now) d[k] = v - (last.count(k) ? last.at(k) : 0);
      usage.push_back(std::move(d));
      last = std::move(now);
    };
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
  if (usage.size() == m_curve.train_loss.size()) m_curve.usage = std::move(usage);

  m_counts = {};
  m_counts["epochs"] = m_report.history.size();
  m_counts["optimizer_steps"] = m_report.global_steps;
  m_counts["parameters"] = m_model.num_parameters();
  if (const auto* q = quantum()) m_counts["quantum_parameters"] = q->num_parameters();
  // The backend's counters are cumulative and may be shared by several fits: keep this fit's.
  if (m_opt.training_backend)
    for (const auto& [k, v] : m_opt.training_backend->usage())
      m_counts[k] = v - (at_start.count(k) ? at_start.at(k) : 0);
}

evaluation_counts neural_imputer::hardware_counts() const {
  evaluation_counts c;
  if (const auto* q = quantum()) {
    c["circuits"] = q->ledger().circuits;
    c["shots"] = q->ledger().shots;
    c["backend_calls"] = q->ledger().batches;
  }
  if (m_opt.training_backend)
    for (const auto& [k, v] : m_opt.training_backend->usage()) c[k] = v;
  return c;
}

evaluation_counts neural_imputer::evaluations() const {
  evaluation_counts c = m_counts;
  if (const auto* q = quantum()) {
    c["circuits"] = q->ledger().circuits;
    c["shots"] = q->ledger().shots;
    c["backend_calls"] = q->ledger().batches;
  }
  return c;
}

Eigen::MatrixXd neural_imputer::transform_impl(const Eigen::MatrixXd& x,
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
