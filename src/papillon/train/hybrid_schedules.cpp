// The stages of the hybrid schedules and the callback that moves the quantum layer between
// simulation and a backend.

#include <papillon/train/hybrid_schedules.hpp>

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon::train {

namespace {

constexpr std::string_view hybrid_simulation_stage = "simulation";
constexpr std::string_view hybrid_stage_a = "A:simulation";
constexpr std::string_view hybrid_stage_b = "B:coupling";
constexpr std::string_view hybrid_grow_prefix = "grow:";
constexpr std::string_view hybrid_coupling_block = "coupling";

const nn::quantum_orthogonal& hybrid_quantum_layer(const nn::sequential& model,
                                                   const std::string& name,
                                                   std::string_view where) {
  const auto* q = model.contains(name)
                      ? dynamic_cast<const nn::quantum_orthogonal*>(&model.find(name))
                      : nullptr;
  if (q == nullptr) {
    std::string found;
    for (index_t i = 0; i < model.size(); ++i)
      if (model[i].kind() == nn::quantum_orthogonal::kind_name)
        found += (found.empty() ? "" : ", ") + ("'" + model[i].name() + "'");
    throw data_error(where, "the model has no quantum_orthogonal layer of that name",
                     "'" + name + "'; quantum_orthogonal layers: " +
                         (found.empty() ? std::string("none") : found));
  }
  return *q;
}

/// Selectors of every layer with parameters other than the quantum layer.
std::vector<std::string> classical_selectors(const nn::sequential& model,
                                             const std::string& quantum) {
  std::vector<std::string> out;
  for (index_t i = 0; i < model.size(); ++i)
    if (model[i].name() != quantum && model[i].num_parameters() > 0) out.push_back(model[i].name());
  return out;
}

/// What a stage of schedule `s` asks of the quantum layer; nullopt for a stage the schedule
/// does not know (left alone).
struct hybrid_stage_setting {
  bool on_backend = false;
  index_t active_layers = 0;
};

std::optional<hybrid_stage_setting> hybrid_stage_setting_for(hybrid_schedule s,
                                                             std::string_view stage,
                                                             const std::vector<std::string>& blocks,
                                                             const nn::quantum_orthogonal& q) {
  const index_t all = q.num_layers();
  switch (s) {
    case hybrid_schedule::simulation:
      if (stage == hybrid_simulation_stage) return hybrid_stage_setting{false, all};
      break;
    case hybrid_schedule::hardware:
      if (stage == hybrid_stage_a) return hybrid_stage_setting{false, all};
      if (stage == hybrid_stage_b) return hybrid_stage_setting{true, all};
      break;
    case hybrid_schedule::grow: {
      if (stage.substr(0, hybrid_grow_prefix.size()) != hybrid_grow_prefix) break;
      const auto block = stage.substr(hybrid_grow_prefix.size());
      for (index_t k = 0; k < blocks.size(); ++k)
        if (blocks[k] == block) return hybrid_stage_setting{true, k + 1};
      throw data_error("train::attach_stage_backends", "grow stage names no Butterfly layer",
                       "stage '" + std::string(stage) + "', layer '" + q.name() + "'");
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<stage> make_hybrid_stages(const nn::sequential& model, hybrid_schedule s,
                                      const hybrid_schedule_options& options) {
  constexpr std::string_view where = "train::make_hybrid_stages";
  const auto& q = hybrid_quantum_layer(model, options.quantum_layer, where);
  if (options.epochs == 0) throw data_error(where, "epochs must be positive");
  if (s == hybrid_schedule::hardware && options.hardware_epochs == 0)
    throw data_error(where, "hardware_epochs must be positive");
  for (double lr : {options.learning_rate, options.quantum_learning_rate})
    if (!(lr > 0.0 && std::isfinite(lr)))
      throw data_error(where, "learning rates must be positive and finite",
                       "learning_rate " + std::to_string(options.learning_rate) +
                           ", quantum_learning_rate " +
                           std::to_string(options.quantum_learning_rate));

  const std::string& qname = options.quantum_layer;
  const std::vector<std::string> classical = classical_selectors(model, qname);
  const std::map<std::string, double> rates{{"*", options.learning_rate},
                                            {q.group(), options.quantum_learning_rate}};
  auto make = [&](std::string name, index_t epochs, std::vector<std::string> trainable) {
    stage st;
    st.name = std::move(name);
    st.epochs = epochs;
    st.trainable = std::move(trainable);
    st.learning_rates = rates;
    return st;
  };
  auto with_classical = [&](bool classical_too, std::vector<std::string> quantum) {
    std::vector<std::string> out = classical_too ? classical : std::vector<std::string>{};
    out.insert(out.end(), quantum.begin(), quantum.end());
    return out;
  };

  std::vector<stage> out;
  switch (s) {
    case hybrid_schedule::simulation:
      out.push_back(make(std::string(hybrid_simulation_stage), options.epochs, {"*"}));
      break;
    case hybrid_schedule::grow:
      for (const auto& b : q.parameter_blocks())
        out.push_back(
            make(std::string(hybrid_grow_prefix) + b.name, options.epochs,
                 with_classical(options.train_classical_in_stage_b, {qname + "/" + b.name})));
      break;
    case hybrid_schedule::hardware: {
      std::vector<std::string> subs;
      for (const auto& b : q.parameter_blocks())
        if (b.name != hybrid_coupling_block) subs.push_back(qname + "/" + b.name);
      out.push_back(make(std::string(hybrid_stage_a), options.epochs, with_classical(true, subs)));
      out.push_back(make(std::string(hybrid_stage_b), options.hardware_epochs,
                         with_classical(options.train_classical_in_stage_b,
                                        {qname + "/" + std::string(hybrid_coupling_block)})));
      break;
    }
  }
  return out;
}

void attach_stage_backends(trainer_options& trainer_opts, nn::sequential& model, hybrid_schedule s,
                           const hybrid_schedule_options& options,
                           std::shared_ptr<backend> stage_backend) {
  (void)hybrid_quantum_layer(model, options.quantum_layer, "train::attach_stage_backends");
  // A pointer to the layer, not to the model: layers live behind unique_ptrs, so it survives
  // moving the model.
  auto* q = dynamic_cast<nn::quantum_orthogonal*>(&model.find(options.quantum_layer));
  std::vector<std::string> blocks;
  for (const auto& b : q->parameter_blocks()) blocks.push_back(b.name);

  auto chained = std::move(trainer_opts.on_stage_begin);
  trainer_opts.on_stage_begin = [q, s, blocks = std::move(blocks), hw = std::move(stage_backend),
                                 chained = std::move(chained)](const stage_event& e) {
    if (e.current != nullptr) {
      if (const auto set = hybrid_stage_setting_for(s, e.current->name, blocks, *q)) {
        q->set_active_layers(set->active_layers);
        q->set_backend(set->on_backend ? hw : nullptr);
      }
    }
    if (chained) chained(e);
  };
}

}  // namespace papillon::train
