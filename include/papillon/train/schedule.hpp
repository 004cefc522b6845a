#pragma once

/// @file
/// Layer-wise training schedules: a list of stages, each choosing which parameters train, for
/// how many epochs and at which learning rates.
///
/// Selectors name what a stage trains (everything else is frozen at the stage's start):
/// - "*"                 every parameter;
/// - "<layer>"           every parameter of the layer of that name;
/// - "<layer>/<block>"   one parameter block of a layer (e.g. "bfly/stride_8");
/// - "group:<group>"     every layer of a parameter group (e.g. "group:quantum").

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>
#include <papillon/nn/sequential.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace papillon::train {

/// Early stopping on the validation loss.
struct early_stopping_options {
  bool enabled = false;
  /// Epochs without improvement tolerated before the stage stops.
  index_t patience = 5;
  /// An epoch improves when its validation loss is below best - min_delta.
  double min_delta = 0.0;
  /// At the end of a stopped or completed stage, restore the parameters of the best epoch.
  bool restore_best = true;
};

/// One stage of a schedule.
struct stage {
  /// Label shown in progress output and reports.
  std::string name{};
  /// Epochs to run (fewer if early stopping ends the stage).
  index_t epochs = 1;
  /// Selectors of the parameters this stage trains; all others are frozen at the stage's
  /// start. nullopt keeps the model's masks as they are (the default stage of a plain fit).
  std::optional<std::vector<std::string>> trainable{};
  /// Learning rates set at the stage's start: "*" sets the default rate, any other key a
  /// parameter group's rate. Rates not listed keep their current value.
  std::map<std::string, double> learning_rates{};
  /// Clear the optimiser's moments when the stage starts.
  bool reset_optimizer = false;
  /// Overrides the trainer's early stopping settings for this stage.
  std::optional<early_stopping_options> early_stopping{};
};

/// Sets the model's trainable masks from selectors: everything selected trains, everything
/// else is frozen.
/// @throws data_error for a selector naming no layer, block or group.
void apply_selectors(nn::sequential& model, const std::vector<std::string>& selectors);

// ---- Definitions ------------------------------------------------------------------------------

inline void apply_selectors(nn::sequential& model, const std::vector<std::string>& selectors) {
  constexpr std::string_view where = "train::apply_selectors";
  // Validate every selector before changing any mask.
  for (const auto& s : selectors) {
    if (s == "*") continue;
    if (s.rfind("group:", 0) == 0) {
      const auto g = std::string_view(s).substr(6);
      bool found = false;
      for (index_t i = 0; i < model.size(); ++i) found = found || model[i].group() == g;
      if (!found) throw data_error(where, "no layer in that group", "'" + s + "'");
      continue;
    }
    const auto slash = s.find('/');
    const auto layer_name = std::string_view(s).substr(0, slash);
    if (!model.contains(layer_name))
      throw data_error(where, "no layer of that name", "'" + s + "'");
    if (slash == std::string::npos) continue;
    const auto block = std::string_view(s).substr(slash + 1);
    bool found = false;
    for (const auto& b : model.find(layer_name).parameter_blocks())
      found = found || b.name == block;
    if (!found) throw data_error(where, "no parameter block of that name", "'" + s + "'");
  }
  model.set_trainable(false);
  for (const auto& s : selectors) {
    if (s == "*") {
      model.set_trainable(true);
    } else if (s.rfind("group:", 0) == 0) {
      for (index_t i = 0; i < model.size(); ++i)
        if (model[i].group() == std::string_view(s).substr(6)) model[i].set_trainable(true);
    } else if (const auto slash = s.find('/'); slash == std::string::npos) {
      model.find(s).set_trainable(true);
    } else {
      model.find(std::string_view(s).substr(0, slash))
          .set_trainable(std::string_view(s).substr(slash + 1), true);
    }
  }
}

}  // namespace papillon::train
