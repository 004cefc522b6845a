#pragma once

/// @file
/// Options of gate fusion on full complex state vectors (sim/detail/fusion.hpp).

#include <papillon/core/types.hpp>

namespace papillon {

/// Gate fusion merges runs of gates on a few qubits into one dense matrix, so a circuit costs
/// fewer passes over the state. RBS/FBS and runs of diagonal gates keep their own kernels,
/// which beat a dense matrix.
struct fusion_options {
  bool enabled = true;
  /// Largest block, 2..4 qubits; 0 picks the cheapest of 2, 3 and 4 for each circuit from the
  /// measured kernel costs.
  index_t max_qubits = 0;
  /// Smaller states run unfused: building the matrices would cost more than it saves.
  index_t min_state_qubits = 12;
};

}  // namespace papillon
