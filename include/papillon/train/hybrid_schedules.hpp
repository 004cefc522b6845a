#pragma once

/// @file
/// Layer-wise training schedules for hybrid models holding a quantum orthogonal layer
/// (docs/method.md 4): the stages of each schedule, and the stage callback that moves the
/// quantum layer between exact simulation and a backend.
///
/// - simulation: one stage training everything by exact simulation (adjoint gradients).
/// - grow: one stage per Butterfly layer, in circuit order. Stage k appends layer k (layers
///   after it act as the identity), so the layer being trained is always the trailing one and
///   the parallel shift is exact on a backend (docs/method.md 3.3).
/// - hardware: the protocol of the 16-qubit experiment. Stage A trains the classical layers and
///   the sub-butterflies in simulation, with the coupling layer kept at its initial angles
///   (quantum_init::zero_coupling makes it the identity); stage B freezes the sub-butterflies and
///   trains the coupling layer on the backend, 4 circuits per sample (parallel shift).
///
/// The trainer stays agnostic of quantum layers: make_hybrid_stages() returns ordinary stages
/// and attach_stage_backends() acts through trainer_options::on_stage_begin.

#include <papillon/backend/backend.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/core/types.hpp>
#include <papillon/error.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/nn/sequential.hpp>
#include <papillon/train/schedule.hpp>
#include <papillon/train/trainer.hpp>

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon::train {

/// How a hybrid model trains.
enum class hybrid_schedule {
  simulation,  ///< everything at once, in exact simulation
  grow,        ///< one Butterfly layer per stage, each the trailing layer, on the stage backend
  hardware,    ///< A: all but the coupling layer in simulation; B: the coupling layer on a backend
};

/// The names of the schedules: "simulation", "grow", "hardware".
inline constexpr enum_table<hybrid_schedule, 3> hybrid_schedule_names{
    "hybrid schedule",
    {{{hybrid_schedule::simulation, "simulation"},
      {hybrid_schedule::grow, "grow"},
      {hybrid_schedule::hardware, "hardware"}}}};
constexpr const auto& enum_names_of(hybrid_schedule) noexcept { return hybrid_schedule_names; }

/// "simulation", "grow" or "hardware".
[[nodiscard]] std::string hybrid_schedule_name(hybrid_schedule s);

/// Parses hybrid_schedule_name() output.
/// @throws data_error for any other name, listing the valid ones.
[[nodiscard]] hybrid_schedule hybrid_schedule_from(std::string_view name);

/// Stage lengths and learning rates of a hybrid schedule.
struct hybrid_schedule_options {
  /// Name of the nn::quantum_orthogonal layer in the model.
  std::string quantum_layer = "quantum";
  /// simulation: all epochs; grow: epochs per Butterfly layer; hardware: stage A epochs.
  index_t epochs = 20;
  /// hardware: stage B epochs (the coupling layer on the chosen backend).
  index_t hardware_epochs = 2;
  /// The default rate ("*"): every layer outside the quantum layer's group.
  double learning_rate = 1e-2;
  /// The rate of the quantum layer's group ("quantum" unless the layer was given another).
  double quantum_learning_rate = 2e-2;
  /// hardware (stage B) and grow (every stage): the classical layers keep training alongside
  /// the quantum block. They always train in the simulation schedule and in stage A.
  bool train_classical_in_stage_b = true;
};

/// The stages of schedule `s` for a model holding a quantum_orthogonal layer named
/// options.quantum_layer. "Classical layers" are all other layers with parameters.
/// - simulation: one stage "simulation" training "*".
/// - grow: one stage "grow:<block>" per Butterfly layer in circuit order (blocks as in
///   parameter_blocks(): "stride_1", ..., "coupling"); stage k trains block k only, plus the
///   classical layers if train_classical_in_stage_b. attach_stage_backends() activates layers
///   0..k in it.
/// - hardware: "A:simulation" trains the classical layers and every quantum block but
///   "coupling"; "B:coupling" trains "<quantum_layer>/coupling" only, plus the classical layers
///   if train_classical_in_stage_b.
/// Every stage sets the "*" rate and the quantum group's rate; none resets the optimiser (Adam
/// counts steps per parameter, so a block unfrozen later starts with a correct bias correction).
/// @throws data_error if the model has no quantum_orthogonal layer of that name, or for zero
///         epochs or a learning rate that is not positive and finite.
[[nodiscard]] std::vector<stage> make_hybrid_stages(const nn::sequential& model, hybrid_schedule s,
                                                    const hybrid_schedule_options& options);

/// Installs trainer_options::on_stage_begin (the callback already there, if any, runs after
/// it) so that the quantum layer runs on `stage_backend` (nullptr: exact simulation) in the
/// stages meant for hardware (hardware: "B:coupling"; grow: every stage) and on exact
/// simulation in the others, with every Butterfly layer active; in stage "grow:<block>" it
/// activates the layers up to and including that block's. Stages are recognised by the names
/// make_hybrid_stages() gives them; other stages leave the layer as it is. After fit() the layer
/// stays as the last stage left it (on `stage_backend` after a hardware or grow run).
/// The model must outlive the trainer (the callback holds its quantum layer).
/// @throws data_error if the model has no quantum_orthogonal layer of that name.
void attach_stage_backends(trainer_options& trainer_opts, nn::sequential& model, hybrid_schedule s,
                           const hybrid_schedule_options& options,
                           std::shared_ptr<backend> stage_backend);

// ---- Definitions ------------------------------------------------------------------------------

inline std::string hybrid_schedule_name(hybrid_schedule s) {
  return std::string(hybrid_schedule_names.name_of(s));
}

inline hybrid_schedule hybrid_schedule_from(std::string_view name) {
  return hybrid_schedule_names.parse(name, "train::hybrid_schedule_from");
}

}  // namespace papillon::train
