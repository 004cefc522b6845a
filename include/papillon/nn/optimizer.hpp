#pragma once

/// @file
/// Optimisers: SGD with momentum, Adam and AdamW, with weight decay, global-norm gradient
/// clipping, per-group learning rates and serialisable state.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace papillon::nn {

/// What an optimiser updates: one layer's flat parameters, gradients and trainable mask.
/// sequential::parameter_views() builds these; any other owner of parameters can too.
struct parameter_view {
  std::string_view name;                    ///< unique key of the optimiser state (layer name)
  std::string_view group;                   ///< parameter group, for the learning rate
  std::span<double> values;                 ///< parameters, updated in place
  std::span<const double> gradients;        ///< dL/dparameters, same length
  std::span<const std::uint8_t> trainable;  ///< 1 trainable, 0 frozen; same length
};

/// Options common to every optimiser.
struct optimizer_options {
  /// Learning rate of parameters whose group is not in group_learning_rates.
  double learning_rate = 1e-2;
  /// Learning rate per parameter group (e.g. {"classical", 1e-2}, {"quantum", 5e-2}).
  std::map<std::string, double, std::less<>> group_learning_rates{};
  /// Weight decay. SGD and Adam add weight_decay * p to the gradient (L2 regularisation);
  /// AdamW shrinks p by lr * weight_decay * p, decoupled from the adaptive step.
  double weight_decay = 0.0;
  /// If positive, gradients are scaled by clip_norm / ||g|| when the global norm ||g|| over
  /// every trainable parameter exceeds clip_norm (before weight decay is added).
  double clip_norm = 0.0;
};

/// What one optimiser step did.
struct optimizer_step_report {
  double gradient_norm = 0.0;  ///< global norm of the trainable gradients before clipping
  bool clipped = false;        ///< true if the gradients were scaled down
  index_t updated = 0;         ///< number of parameters updated (trainable ones)
};

/// Base class of optimisers. Frozen parameters (mask 0) are left bit-identical and their
/// state is not advanced. Adam's bias correction counts steps per parameter, so a parameter
/// unfrozen in a later training stage starts with a correct correction.
class optimizer {
 public:
  optimizer(const optimizer&) = delete;
  optimizer& operator=(const optimizer&) = delete;
  virtual ~optimizer() = default;

  /// "sgd", "adam" or "adamw".
  [[nodiscard]] virtual std::string_view kind() const noexcept = 0;

  /// Applies one update to every view.
  /// @throws dimension_error if a view's spans differ in length or differ from the state
  ///         stored under its name; data_error if a trainable gradient is not finite or two
  ///         views share a name.
  optimizer_step_report step(std::span<const parameter_view> views);

  [[nodiscard]] const optimizer_options& options() const noexcept { return m_options; }
  /// The learning rate used for a parameter group.
  [[nodiscard]] double learning_rate(std::string_view group) const {
    const auto it = m_options.group_learning_rates.find(group);
    return it == m_options.group_learning_rates.end() ? m_options.learning_rate : it->second;
  }
  /// Sets the default learning rate. @throws data_error unless positive and finite.
  void set_learning_rate(double lr) { m_options.learning_rate = checked_lr(lr); }
  /// Sets one group's learning rate. @throws data_error unless positive and finite.
  void set_learning_rate(std::string_view group, double lr) {
    m_options.group_learning_rates[std::string(group)] = checked_lr(lr);
  }

  /// Forgets moments and step counts (the options are kept).
  void reset() noexcept { m_slots.clear(); }

  /// Options and the per-parameter state, as JSON (for checkpoints).
  [[nodiscard]] nlohmann::json state() const;
  /// Restores state() output. @throws data_error if malformed or of another kind.
  void load_state(const nlohmann::json& j);

 protected:
  /// Per-view state: first and second moments (SGD keeps its velocity in m) and step counts.
  struct slot {
    Eigen::VectorXd m;
    Eigen::VectorXd v;
    std::vector<std::uint64_t> steps;
  };

  explicit optimizer(optimizer_options options);

  /// Updates parameter i of a view. g already includes clipping and coupled weight decay.
  virtual void update(double& p, double g, double lr, slot& s, Eigen::Index i) = 0;
  /// True for decoupled (AdamW-style) weight decay.
  [[nodiscard]] virtual bool decoupled_decay() const noexcept { return false; }
  /// Optimiser-specific options for state(), and their restoration.
  [[nodiscard]] virtual nlohmann::json extra_options() const { return nlohmann::json::object(); }
  virtual void load_extra_options(const nlohmann::json& /*j*/) {}

 private:
  static double checked_lr(double lr) {
    if (!(lr > 0.0) || !std::isfinite(lr))
      throw data_error("nn::optimizer", "learning rate must be positive and finite",
                       "lr " + std::to_string(lr));
    return lr;
  }

  optimizer_options m_options;
  std::map<std::string, slot, std::less<>> m_slots;
};

/// Stochastic gradient descent with momentum (PyTorch convention):
/// v <- momentum v + g; p <- p - lr v. With momentum 0: p <- p - lr g.
class sgd final : public optimizer {
 public:
  /// @throws data_error unless 0 <= momentum < 1 and the options are valid.
  explicit sgd(optimizer_options options = {}, double momentum = 0.0);
  [[nodiscard]] std::string_view kind() const noexcept override { return "sgd"; }
  [[nodiscard]] double momentum() const noexcept { return m_momentum; }

 protected:
  void update(double& p, double g, double lr, slot& s, Eigen::Index i) override;
  [[nodiscard]] nlohmann::json extra_options() const override { return {{"momentum", m_momentum}}; }
  void load_extra_options(const nlohmann::json& j) override {
    m_momentum = j.value("momentum", m_momentum);
  }

 private:
  double m_momentum;
};

/// Adam's moment decay rates and denominator offset.
struct adam_options {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
};

/// Adam (Kingma & Ba): m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
/// p <- p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps), with t the parameter's own
/// step count. weight_decay is coupled (added to g), as in torch.optim.Adam.
class adam : public optimizer {
 public:
  /// @throws data_error unless 0 <= beta < 1 and epsilon > 0.
  explicit adam(optimizer_options options = {}, adam_options settings = {});
  [[nodiscard]] std::string_view kind() const noexcept override { return "adam"; }
  [[nodiscard]] const adam_options& moments() const noexcept { return m_adam; }

 protected:
  void update(double& p, double g, double lr, slot& s, Eigen::Index i) override;
  [[nodiscard]] nlohmann::json extra_options() const override;
  void load_extra_options(const nlohmann::json& j) override;

 private:
  adam_options m_adam;
};

/// AdamW (Loshchilov & Hutter): p <- p (1 - lr weight_decay), then the Adam step on the
/// gradient without decay.
class adamw final : public adam {
 public:
  using adam::adam;
  [[nodiscard]] std::string_view kind() const noexcept override { return "adamw"; }

 protected:
  [[nodiscard]] bool decoupled_decay() const noexcept override { return true; }
};

// ---- Definitions ------------------------------------------------------------------------------

inline optimizer::optimizer(optimizer_options options) : m_options(std::move(options)) {
  checked_lr(m_options.learning_rate);
  for (const auto& [g, lr] : m_options.group_learning_rates) checked_lr(lr);
  if (!(m_options.weight_decay >= 0.0) || !std::isfinite(m_options.weight_decay))
    throw data_error("nn::optimizer", "weight decay must be non-negative and finite");
  if (!(m_options.clip_norm >= 0.0) || !std::isfinite(m_options.clip_norm))
    throw data_error("nn::optimizer", "clip_norm must be non-negative and finite (0 = off)");
}

inline optimizer_step_report optimizer::step(std::span<const parameter_view> views) {
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

inline nlohmann::json optimizer::state() const {
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

inline void optimizer::load_state(const nlohmann::json& j) {
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

inline sgd::sgd(optimizer_options options, double momentum)
    : optimizer(std::move(options)), m_momentum(momentum) {
  if (!(momentum >= 0.0 && momentum < 1.0))
    throw data_error("nn::sgd", "momentum must be in [0, 1)", std::to_string(momentum));
}

inline void sgd::update(double& p, double g, double lr, slot& s, Eigen::Index i) {
  if (m_momentum == 0.0) {
    p -= lr * g;
    return;
  }
  s.m[i] = m_momentum * s.m[i] + g;
  p -= lr * s.m[i];
}

inline adam::adam(optimizer_options options, adam_options settings)
    : optimizer(std::move(options)), m_adam(settings) {
  if (!(settings.beta1 >= 0.0 && settings.beta1 < 1.0) ||
      !(settings.beta2 >= 0.0 && settings.beta2 < 1.0))
    throw data_error("nn::adam", "betas must be in [0, 1)");
  if (!(settings.epsilon > 0.0)) throw data_error("nn::adam", "epsilon must be positive");
}

inline void adam::update(double& p, double g, double lr, slot& s, Eigen::Index i) {
  const auto t = static_cast<double>(s.steps[static_cast<std::size_t>(i)]);
  s.m[i] = m_adam.beta1 * s.m[i] + (1.0 - m_adam.beta1) * g;
  s.v[i] = m_adam.beta2 * s.v[i] + (1.0 - m_adam.beta2) * g * g;
  const double m_hat = s.m[i] / (1.0 - std::pow(m_adam.beta1, t));
  const double v_hat = s.v[i] / (1.0 - std::pow(m_adam.beta2, t));
  p -= lr * m_hat / (std::sqrt(v_hat) + m_adam.epsilon);
}

inline nlohmann::json adam::extra_options() const {
  return {{"beta1", m_adam.beta1}, {"beta2", m_adam.beta2}, {"epsilon", m_adam.epsilon}};
}

inline void adam::load_extra_options(const nlohmann::json& j) {
  m_adam.beta1 = j.value("beta1", m_adam.beta1);
  m_adam.beta2 = j.value("beta2", m_adam.beta2);
  m_adam.epsilon = j.value("epsilon", m_adam.epsilon);
}

}  // namespace papillon::nn
