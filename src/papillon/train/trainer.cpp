// The trainer: epochs, stages, early stopping, checkpoints and resuming.

#include <papillon/core/assert.hpp>
#include <papillon/train/trainer.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace papillon::train {

namespace {

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
std::optional<double> read_optional(const nlohmann::json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<double>();
}

}  // namespace

void to_json(nlohmann::json& j, const epoch_report& r) {
  j = {{"stage", r.stage},
       {"stage_name", r.stage_name},
       {"epoch", r.epoch},
       {"global_epoch", r.global_epoch},
       {"steps", r.steps},
       {"train_loss", r.train_loss},
       {"validation_loss", optional_number(r.validation_loss)},
       {"improved", r.improved},
       {"seconds", r.seconds}};
}

void from_json(const nlohmann::json& j, epoch_report& r) {
  r.stage = j.at("stage").get<index_t>();
  r.stage_name = j.at("stage_name").get<std::string>();
  r.epoch = j.at("epoch").get<index_t>();
  r.global_epoch = j.at("global_epoch").get<index_t>();
  r.steps = j.at("steps").get<index_t>();
  r.train_loss = j.at("train_loss").get<double>();
  r.validation_loss = read_optional(j.at("validation_loss"));
  r.improved = j.at("improved").get<bool>();
  r.seconds = j.at("seconds").get<double>();
}

void to_json(nlohmann::json& j, const stage_report& r) {
  j = {{"name", r.name},
       {"epochs_run", r.epochs_run},
       {"stopped_early", r.stopped_early},
       {"best_validation_loss", optional_number(r.best_validation_loss)},
       {"best_epoch", r.best_epoch},
       {"restored_best", r.restored_best}};
}

void from_json(const nlohmann::json& j, stage_report& r) {
  r.name = j.at("name").get<std::string>();
  r.epochs_run = j.at("epochs_run").get<index_t>();
  r.stopped_early = j.at("stopped_early").get<bool>();
  r.best_validation_loss = read_optional(j.at("best_validation_loss"));
  r.best_epoch = j.at("best_epoch").get<index_t>();
  r.restored_best = j.at("restored_best").get<bool>();
}

trainer::trainer(nn::sequential& model, nn::optimizer& optimizer, const nn::loss& loss,
                 trainer_options options)
    : m_model(model),
      m_optimizer(optimizer),
      m_loss(loss),
      m_options(std::move(options)),
      m_ledger(m_options.ledger) {
  constexpr std::string_view where = "train::trainer";
  if (m_options.batch_size == 0) throw data_error(where, "batch size must be positive");
  if (m_options.checkpoint_every == 0) throw data_error(where, "checkpoint_every must be positive");
  if (!(m_options.validation_split >= 0.0 && m_options.validation_split < 1.0))
    throw data_error(where, "validation_split must be in [0, 1)",
                     std::to_string(m_options.validation_split));
  if (m_options.executor && m_options.chunk_size == 0)
    throw data_error(where, "a chunk executor needs a positive chunk_size",
                     "without chunks every process would compute the whole mini-batch");
  if (m_options.stages.empty() && m_options.epochs == 0)
    throw data_error(where, "epochs must be positive");
  for (std::size_t i = 0; i < m_options.stages.size(); ++i)
    if (m_options.stages[i].epochs == 0)
      throw data_error(where, "a stage has 0 epochs",
                       "stage " + std::to_string(i) + " '" + m_options.stages[i].name + "'");
}

std::vector<stage> trainer::effective_stages() const {
  if (!m_options.stages.empty()) return m_options.stages;
  stage s;
  s.name = "train";
  s.epochs = m_options.epochs;
  return {s};
}

void trainer::check_data(const dataset& data, std::string_view what) const {
  const std::string where = "train::trainer (" + std::string(what) + " set)";
  data.validate(where);
  if (data.size() == 0) throw data_error(where, "the data set is empty");
  if (m_model.empty()) throw data_error(where, "the model has no layers");
  const index_t out = m_model.output_size(static_cast<index_t>(data.inputs.cols()));
  if (out != static_cast<index_t>(data.targets.cols()))
    throw dimension_error(
        where, "model output width differs from the target width",
        "model " + std::to_string(out) + ", targets " + std::to_string(data.targets.cols()));
}

training_report trainer::fit(const dataset& train) {
  if (m_options.validation_split > 0.0) {
    check_data(train, "training");
    const auto split =
        split_validation(train, m_options.validation_split, nn::derive_seed(m_options.seed, 0));
    return run(split.training, &split.validation, nullptr);
  }
  return run(train, nullptr, nullptr);
}

training_report trainer::fit(const dataset& train, const dataset& validation) {
  return run(train, &validation, nullptr);
}

training_report trainer::resume(const std::filesystem::path& checkpoint, const dataset& train) {
  const auto j = load_checkpoint(checkpoint);
  if (m_options.validation_split > 0.0) {
    check_data(train, "training");
    const auto split =
        split_validation(train, m_options.validation_split, nn::derive_seed(m_options.seed, 0));
    return run(split.training, &split.validation, &j);
  }
  return run(train, nullptr, &j);
}

training_report trainer::resume(const std::filesystem::path& checkpoint, const dataset& train,
                                const dataset& validation) {
  const auto j = load_checkpoint(checkpoint);
  return run(train, &validation, &j);
}

double trainer::evaluate(const dataset& data) {
  double sum = 0.0;
  double count = 0.0;
  for (const auto& batch : make_batches(data.size(), m_options.batch_size, nullptr)) {
    const dataset mb = data.rows(batch);
    const auto r = m_loss.evaluate(m_model.forward(mb.inputs, false), mb.targets, mb.mask);
    sum += r.value * r.count;
    count += r.count;
  }
  return count > 0.0 ? sum / count : 0.0;
}

training_report trainer::run(const dataset& train, const dataset* validation,
                             const nlohmann::json* checkpoint) {
  const auto stages = effective_stages();
  check_data(train, "training");
  if (validation != nullptr) check_data(*validation, "validation");
  for (const auto& s : stages)
    if (early_for(s).enabled && validation == nullptr)
      throw data_error("train::trainer::fit", "early stopping needs validation data",
                       "stage '" + s.name + "'; set validation_split or pass a validation set");

  run_state st;
  st.rng.seed(nn::derive_seed(m_options.seed, 1));
  if (checkpoint != nullptr) {
    restore(*checkpoint, st, stages);
    st.report.resumed = true;
  }
  const bool root = !m_options.executor || m_options.executor->is_root();
  if (m_options.executor) {
    // Every process starts from the root's parameters, whatever its model was built with.
    const Eigen::VectorXd p = m_model.flat_parameters();
    std::vector<double> values(p.data(), p.data() + p.size());
    m_options.executor->share_from_root(values);
    m_model.set_flat_parameters(
        Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size())));
  }
  // Only the root process prints; the others would repeat the same lines.
  detail::progress_printer printer(root ? m_options.progress : progress_mode::silent,
                                   m_options.progress_sink);

  while (st.stage < stages.size()) {
    const stage& s = stages[st.stage];
    const bool fresh = st.epoch_in_stage == 0;
    if (fresh) {
      if (s.trainable) apply_selectors(m_model, *s.trainable);
      if (s.reset_optimizer) m_optimizer.reset();
      st.early = {};
      stage_report sr;
      sr.name = s.name;
      st.report.stages.push_back(sr);
    }
    for (const auto& [group, lr] : s.learning_rates) {
      if (group == "*")
        m_optimizer.set_learning_rate(lr);
      else
        m_optimizer.set_learning_rate(group, lr);
    }
    if (m_options.on_stage_begin) m_options.on_stage_begin({st.stage, &s, !fresh});

    const auto es = early_for(s);
    while (true) {
      auto rep = run_epoch(train, validation, st, s, stages.size(), printer);
      ++st.epoch_in_stage;
      ++st.global_epoch;
      bool stop = false;
      if (es.enabled) {
        const double val = *rep.validation_loss;
        rep.improved = !st.early.best || val < *st.early.best - es.min_delta;
        if (rep.improved) {
          st.early.best = val;
          st.early.best_epoch = st.epoch_in_stage;
          st.early.bad_epochs = 0;
          if (es.restore_best) st.early.best_parameters = m_model.flat_parameters();
        } else {
          ++st.early.bad_epochs;
          stop = st.early.bad_epochs >= es.patience;
        }
      }
      st.report.history.push_back(rep);
      if (m_options.on_epoch) m_options.on_epoch(rep);

      const bool stage_done = stop || st.epoch_in_stage >= s.epochs;
      if (stage_done) {
        auto& sr = st.report.stages.back();
        sr.epochs_run = st.epoch_in_stage;
        sr.stopped_early = stop;
        sr.best_validation_loss = st.early.best;
        sr.best_epoch = st.early.best_epoch;
        if (es.enabled && es.restore_best && st.early.best_parameters.size() != 0 &&
            st.early.best_epoch != st.epoch_in_stage) {
          m_model.set_flat_parameters(st.early.best_parameters);
          sr.restored_best = true;
        }
        ++st.stage;
        st.epoch_in_stage = 0;
        st.early = {};
      }
      if (root && !m_options.checkpoint_path.empty() &&
          (stage_done || st.global_epoch % m_options.checkpoint_every == 0))
        write_file_atomically(m_options.checkpoint_path, checkpoint_json(st, stages).dump());
      if (stage_done) break;
    }
  }
  // Predictions after a chunked run draw from a stream of the run's end, the same in every
  // process.
  if (m_options.chunk_size != 0) set_random_streams(nn::derive_seed(st.global_step, ~1ULL));
  st.report.global_steps = st.global_step;
  st.report.ledger = m_ledger;
  return st.report;
}

epoch_report trainer::run_epoch(const dataset& train, const dataset* validation, run_state& st,
                                const stage& s, index_t num_stages,
                                detail::progress_printer& printer) {
  const auto start = std::chrono::steady_clock::now();
  epoch_report rep;
  rep.stage = st.stage;
  rep.stage_name = s.name;
  rep.epoch = st.epoch_in_stage + 1;
  rep.global_epoch = st.global_epoch + 1;

  const auto batches =
      make_batches(train.size(), m_options.batch_size, m_options.shuffle ? &st.rng : nullptr);
  std::string label = "epoch " + std::to_string(rep.epoch) + "/" + std::to_string(s.epochs);
  if (num_stages > 1)
    label = "stage " + std::to_string(st.stage + 1) + "/" + std::to_string(num_stages) +
            (s.name.empty() ? "" : " '" + s.name + "'") + " " + label;
  if (m_options.executor && m_options.executor->size() > 1)
    label += " [" + std::to_string(m_options.executor->size()) + " ranks]";
  printer.begin_epoch(label, batches.size());

  double sum = 0.0;
  double count = 0.0;
  for (const auto& batch : batches) {
    const dataset mb = train.rows(batch);
    double batch_loss = 0.0;
    if (m_options.chunk_size == 0) {
      m_model.zero_gradients();
      const auto result = m_loss.evaluate(m_model.forward(mb.inputs, true), mb.targets, mb.mask);
      m_model.backward(result.gradient);
      sum += result.value * result.count;
      count += result.count;
      batch_loss = result.value;
    } else {
      const auto [loss_sum, loss_count] = chunked_gradients(mb, st.global_step);
      sum += loss_sum;
      count += loss_count;
      batch_loss = loss_count > 0.0 ? loss_sum / loss_count : 0.0;
    }
    const auto views = m_model.parameter_views();
    const auto step = m_optimizer.step(views);
    ++rep.steps;
    ++st.global_step;
    if (m_options.on_step)
      m_options.on_step({st.stage, rep.epoch, rep.steps, st.global_step, batch_loss,
                         step.gradient_norm, step.clipped});
    printer.step(rep.steps, count > 0.0 ? sum / count : 0.0);
  }
  rep.train_loss = count > 0.0 ? sum / count : 0.0;
  if (validation != nullptr) {
    // Chunked runs: validation draws from a stream of the step, not from whichever chunk this
    // process computed last.
    if (m_options.chunk_size != 0) set_random_streams(nn::derive_seed(st.global_step, ~0ULL));
    rep.validation_loss = evaluate(*validation);
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  char summary[96];
  if (rep.validation_loss)
    std::snprintf(summary, sizeof summary, "loss %.6g val_loss %.6g", rep.train_loss,
                  *rep.validation_loss);
  else
    std::snprintf(summary, sizeof summary, "loss %.6g", rep.train_loss);
  printer.end_epoch(summary);
  return rep;
}

void trainer::set_random_streams(std::uint64_t key) {
  for (index_t l = 0; l < m_model.size(); ++l) m_model[l].set_random_stream(key);
}

std::pair<double, double> trainer::chunked_gradients(const dataset& mb, index_t global_step) {
  const index_t rows = mb.size();
  const index_t size = m_options.chunk_size;
  const index_t chunks = (rows + size - 1) / size;
  const index_t layers = m_model.size();
  // Result vector of a chunk: gradient sums (flat_gradients order), loss sum, loss count, then
  // every layer's counter increments. Counters travel as doubles: exact below 2^53.
  std::vector<std::vector<std::uint64_t>> start(layers);
  index_t num_counters = 0;
  for (index_t l = 0; l < layers; ++l) {
    start[l] = m_model[l].counters();
    num_counters += start[l].size();
  }
  const auto num_parameters = static_cast<std::size_t>(m_model.num_parameters());

  const auto compute = [&](index_t c) {
    std::vector<index_t> idx(std::min(size, rows - c * size));
    std::iota(idx.begin(), idx.end(), c * size);
    const dataset chunk = mb.rows(idx);
    std::vector<std::vector<std::uint64_t>> before(layers);
    const std::uint64_t key = nn::derive_seed(global_step, c);
    for (index_t l = 0; l < layers; ++l) before[l] = m_model[l].counters();
    set_random_streams(key);
    m_model.zero_gradients();
    const auto result =
        m_loss.evaluate(m_model.forward(chunk.inputs, true), chunk.targets, chunk.mask);
    // The gradient of the chunk's loss sum, so chunks add up to the batch's.
    m_model.backward(result.gradient * result.count);
    std::vector<double> out;
    out.reserve(num_parameters + 2 + num_counters);
    const Eigen::VectorXd g = m_model.flat_gradients();
    out.assign(g.data(), g.data() + g.size());
    out.push_back(result.value * result.count);
    out.push_back(result.count);
    for (index_t l = 0; l < layers; ++l) {
      const auto after = m_model[l].counters();
      for (std::size_t k = 0; k < after.size(); ++k)
        out.push_back(static_cast<double>(after[k] - before[l][k]));
    }
    return out;
  };

  serial_chunk_executor serial;
  chunk_executor& exec = m_options.executor ? *m_options.executor : serial;
  const auto results = exec.run(chunks, compute);
  PAPILLON_ASSERT(results.size() == chunks, "train::trainer", "one result per chunk");

  // Added in chunk order, the same in every process whoever computed what.
  std::vector<double> total(num_parameters + 2 + num_counters, 0.0);
  for (const auto& r : results) {
    PAPILLON_ASSERT(r.size() == total.size(), "train::trainer", "chunk results of one length");
    for (std::size_t i = 0; i < total.size(); ++i) total[i] += r[i];
  }
  const double loss_sum = total[num_parameters];
  const double loss_count = total[num_parameters + 1];
  const double scale = loss_count > 0.0 ? 1.0 / loss_count : 0.0;
  std::size_t at = 0;
  std::size_t counter_at = num_parameters + 2;
  for (index_t l = 0; l < layers; ++l) {
    auto grads = m_model[l].gradients();
    for (double& v : grads) v = total[at++] * scale;
    auto counts = start[l];
    for (auto& v : counts) v += static_cast<std::uint64_t>(total[counter_at++]);
    m_model[l].set_counters(counts);
  }
  return {loss_sum, loss_count};
}

nlohmann::json trainer::schedule_fingerprint(const std::vector<stage>& stages,
                                             const trainer_options& o) {
  nlohmann::json s = nlohmann::json::array();
  for (const auto& st : stages) s.push_back({{"name", st.name}, {"epochs", st.epochs}});
  nlohmann::json j = {{"stages", s},
                      {"batch_size", o.batch_size},
                      {"shuffle", o.shuffle},
                      {"seed", o.seed},
                      {"validation_split", o.validation_split}};
  // Only when set, so checkpoints written before chunks existed still resume.
  if (o.chunk_size != 0) j["chunk_size"] = o.chunk_size;
  return j;
}

nlohmann::json trainer::checkpoint_json(const run_state& st,
                                        const std::vector<stage>& stages) const {
  nlohmann::json j;
  j["format"] = std::string(checkpoint_format);
  j["schedule"] = schedule_fingerprint(stages, m_options);
  j["position"] = {{"stage", st.stage},
                   {"epoch_in_stage", st.epoch_in_stage},
                   {"global_epoch", st.global_epoch},
                   {"global_step", st.global_step}};
  j["rng"] = nn::rng_state(st.rng);
  const auto& bp = st.early.best_parameters;
  j["early_stopping"] = {
      {"best", optional_number(st.early.best)},
      {"best_epoch", st.early.best_epoch},
      {"bad_epochs", st.early.bad_epochs},
      {"best_parameters", std::vector<double>(bp.data(), bp.data() + bp.size())}};
  j["history"] = st.report.history;
  j["stages"] = st.report.stages;
  j["ledger"] = m_ledger;
  j["model"] = m_model.to_json();
  j["optimizer"] = m_optimizer.state();
  return j;
}

void trainer::restore(const nlohmann::json& j, run_state& st, const std::vector<stage>& stages) {
  constexpr std::string_view where = "train::trainer::resume";
  try {
    if (j.at("schedule") != schedule_fingerprint(stages, m_options))
      throw data_error(where, "checkpoint was written with a different schedule or options",
                       "checkpoint " + j.at("schedule").dump() + ", now " +
                           schedule_fingerprint(stages, m_options).dump());
    const auto& pos = j.at("position");
    st.stage = pos.at("stage").get<index_t>();
    st.epoch_in_stage = pos.at("epoch_in_stage").get<index_t>();
    st.global_epoch = pos.at("global_epoch").get<index_t>();
    st.global_step = pos.at("global_step").get<index_t>();
    if (st.stage > stages.size() ||
        (st.stage < stages.size() && st.epoch_in_stage >= stages[st.stage].epochs))
      throw data_error(where, "checkpoint position is outside the schedule", pos.dump());
    nn::set_rng_state(st.rng, j.at("rng").get<std::string>());
    const auto& es = j.at("early_stopping");
    st.early.best = read_optional(es.at("best"));
    st.early.best_epoch = es.at("best_epoch").get<index_t>();
    st.early.bad_epochs = es.at("bad_epochs").get<index_t>();
    const auto bp = es.at("best_parameters").get<std::vector<double>>();
    st.early.best_parameters =
        Eigen::Map<const Eigen::VectorXd>(bp.data(), static_cast<Eigen::Index>(bp.size()));
    st.report.history = j.at("history").get<std::vector<epoch_report>>();
    st.report.stages = j.at("stages").get<std::vector<stage_report>>();
    // Model and optimiser last: a malformed checkpoint fails before either is modified.
    m_model.load_state(j.at("model"));
    m_optimizer.load_state(j.at("optimizer"));
    m_ledger = j.at("ledger");
  } catch (const nlohmann::json::exception& e) {
    throw data_error(where, "malformed checkpoint", e.what());
  }
}

}  // namespace papillon::train
