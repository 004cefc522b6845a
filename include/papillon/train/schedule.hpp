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

}  // namespace papillon::train
