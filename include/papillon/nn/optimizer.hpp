#pragma once

/// @file
/// Optimisers: SGD with momentum, Adam and AdamW, with weight decay, global-norm gradient
/// clipping, per-group learning rates and serialisable state.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>
// Full JSON, not json_fwd: callers use state() as a document (optimizer.test.cpp parses and
// dumps it with this header alone).
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
  [[nodiscard]] virtual nlohmann::json extra_options() const;
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
  [[nodiscard]] nlohmann::json extra_options() const override;
  void load_extra_options(const nlohmann::json& j) override;

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

}  // namespace papillon::nn
