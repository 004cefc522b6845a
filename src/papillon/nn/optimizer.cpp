// The optimisers: the shared step (validation, clipping, decay) and the update rules.

#include <papillon/nn/optimizer.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace papillon::nn {

nlohmann::json optimizer::extra_options() const { return nlohmann::json::object(); }

optimizer::optimizer(optimizer_options options) : m_options(std::move(options)) {
  checked_lr(m_options.learning_rate);
  for (const auto& [g, lr] : m_options.group_learning_rates) checked_lr(lr);
  if (!(m_options.weight_decay >= 0.0) || !std::isfinite(m_options.weight_decay))
    throw data_error("nn::optimizer", "weight decay must be non-negative and finite");
  if (!(m_options.clip_norm >= 0.0) || !std::isfinite(m_options.clip_norm))
    throw data_error("nn::optimizer", "clip_norm must be non-negative and finite (0 = off)");
}

optimizer_step_report optimizer::step(std::span<const parameter_view> views) {
  constexpr std::string_view where = "nn::optimizer::step";
  optimizer_step_report report;
  // Validate everything and take the global norm before touching any parameter.
  double sq = 0.0;
  for (std::size_t k = 0; k < views.size(); ++k) {
    const auto& v = views[k];
    if (v.gradients.size() != v.values.size() || v.trainable.size() != v.values.size())
      throw dimension_error(where, "parameter, gradient and mask lengths differ",
                            "view '" + std::string(v.name) + "'");
    for (std::size_t other = 0; other < k; ++other)
      if (views[other].name == v.name)
        throw data_error(where, "two parameter views share a name", std::string(v.name));
    const auto it = m_slots.find(v.name);
    if (it != m_slots.end() && it->second.steps.size() != v.values.size())
      throw dimension_error(where, "parameter count differs from the optimiser state",
                            "view '" + std::string(v.name) + "', state " +
                                std::to_string(it->second.steps.size()) + ", now " +
                                std::to_string(v.values.size()));
    for (std::size_t i = 0; i < v.values.size(); ++i)
      if (v.trainable[i] != 0) sq += v.gradients[i] * v.gradients[i];
  }
  report.gradient_norm = std::sqrt(sq);
  if (!std::isfinite(report.gradient_norm)) throw data_error(where, "non-finite gradient");
  double scale = 1.0;
  if (m_options.clip_norm > 0.0 && report.gradient_norm > m_options.clip_norm) {
    scale = m_options.clip_norm / report.gradient_norm;
    report.clipped = true;
  }
  const double wd = m_options.weight_decay;
  for (const auto& v : views) {
    if (v.values.empty()) continue;
    auto it = m_slots.find(v.name);
    if (it == m_slots.end()) {
      const auto n = static_cast<Eigen::Index>(v.values.size());
      it =
          m_slots
              .emplace(std::string(v.name), slot{Eigen::VectorXd::Zero(n), Eigen::VectorXd::Zero(n),
                                                 std::vector<std::uint64_t>(v.values.size(), 0)})
              .first;
    }
    const double lr = learning_rate(v.group);
    for (std::size_t i = 0; i < v.values.size(); ++i) {
      if (v.trainable[i] == 0) continue;
      double& p = v.values[i];
      double g = scale * v.gradients[i];
      if (wd > 0.0) {
        if (decoupled_decay())
          p -= lr * wd * p;
        else
          g += wd * p;
      }
      ++it->second.steps[i];
      update(p, g, lr, it->second, static_cast<Eigen::Index>(i));
      ++report.updated;
    }
  }
  return report;
}

nlohmann::json optimizer::state() const {
  nlohmann::json j;
  j["kind"] = std::string(kind());
  nlohmann::json o;
  o["learning_rate"] = m_options.learning_rate;
  o["group_learning_rates"] = m_options.group_learning_rates;
  o["weight_decay"] = m_options.weight_decay;
  o["clip_norm"] = m_options.clip_norm;
  o["extra"] = extra_options();
  j["options"] = o;
  nlohmann::json slots = nlohmann::json::object();
  for (const auto& [name, s] : m_slots) {
    slots[name] = {{"m", std::vector<double>(s.m.data(), s.m.data() + s.m.size())},
                   {"v", std::vector<double>(s.v.data(), s.v.data() + s.v.size())},
                   {"steps", s.steps}};
  }
  j["slots"] = slots;
  return j;
}

void optimizer::load_state(const nlohmann::json& j) {
  constexpr std::string_view where = "nn::optimizer::load_state";
  try {
    if (j.at("kind").get<std::string>() != kind())
      throw data_error(
          where, "optimiser kind differs",
          "expected '" + std::string(kind()) + "', got '" + j.at("kind").get<std::string>() + "'");
    const auto& o = j.at("options");
    optimizer_options opts;
    opts.learning_rate = o.at("learning_rate").get<double>();
    for (const auto& [g, lr] : o.at("group_learning_rates").items())
      opts.group_learning_rates[g] = lr.get<double>();
    opts.weight_decay = o.at("weight_decay").get<double>();
    opts.clip_norm = o.at("clip_norm").get<double>();
    std::map<std::string, slot, std::less<>> slots;
    for (const auto& [name, s] : j.at("slots").items()) {
      const auto m = s.at("m").get<std::vector<double>>();
      const auto v = s.at("v").get<std::vector<double>>();
      auto steps = s.at("steps").get<std::vector<std::uint64_t>>();
      if (m.size() != v.size() || m.size() != steps.size())
        throw data_error(where, "state vectors of different lengths", name);
      slot sl{Eigen::Map<const Eigen::VectorXd>(m.data(), static_cast<Eigen::Index>(m.size())),
              Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size())),
              std::move(steps)};
      slots.emplace(name, std::move(sl));
    }
    load_extra_options(o.at("extra"));
    m_options = std::move(opts);
    m_slots = std::move(slots);
  } catch (const nlohmann::json::exception& e) {
    throw data_error(where, "malformed optimiser state", e.what());
  }
}

sgd::sgd(optimizer_options options, double momentum)
    : optimizer(std::move(options)), m_momentum(momentum) {
  if (!(momentum >= 0.0 && momentum < 1.0))
    throw data_error("nn::sgd", "momentum must be in [0, 1)", std::to_string(momentum));
}

void sgd::update(double& p, double g, double lr, slot& s, Eigen::Index i) {
  if (m_momentum == 0.0) {
    p -= lr * g;
    return;
  }
  s.m[i] = m_momentum * s.m[i] + g;
  p -= lr * s.m[i];
}

adam::adam(optimizer_options options, adam_options settings)
    : optimizer(std::move(options)), m_adam(settings) {
  if (!(settings.beta1 >= 0.0 && settings.beta1 < 1.0) ||
      !(settings.beta2 >= 0.0 && settings.beta2 < 1.0))
    throw data_error("nn::adam", "betas must be in [0, 1)");
  if (!(settings.epsilon > 0.0)) throw data_error("nn::adam", "epsilon must be positive");
}

void adam::update(double& p, double g, double lr, slot& s, Eigen::Index i) {
  const auto t = static_cast<double>(s.steps[static_cast<std::size_t>(i)]);
  s.m[i] = m_adam.beta1 * s.m[i] + (1.0 - m_adam.beta1) * g;
  s.v[i] = m_adam.beta2 * s.v[i] + (1.0 - m_adam.beta2) * g * g;
  const double m_hat = s.m[i] / (1.0 - std::pow(m_adam.beta1, t));
  const double v_hat = s.v[i] / (1.0 - std::pow(m_adam.beta2, t));
  p -= lr * m_hat / (std::sqrt(v_hat) + m_adam.epsilon);
}

nlohmann::json adam::extra_options() const {
  return {{"beta1", m_adam.beta1}, {"beta2", m_adam.beta2}, {"epsilon", m_adam.epsilon}};
}

void adam::load_extra_options(const nlohmann::json& j) {
  m_adam.beta1 = j.value("beta1", m_adam.beta1);
  m_adam.beta2 = j.value("beta2", m_adam.beta2);
  m_adam.epsilon = j.value("epsilon", m_adam.epsilon);
}

nlohmann::json sgd::extra_options() const { return {{"momentum", m_momentum}}; }

void sgd::load_extra_options(const nlohmann::json& j) {
  m_momentum = j.value("momentum", m_momentum);
}

}  // namespace papillon::nn
