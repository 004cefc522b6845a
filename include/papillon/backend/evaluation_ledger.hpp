#pragma once

/// @file
/// The one count of what was sent to a backend.

#include <cstdint>

namespace papillon {

/// What was sent to a backend: circuits, shots and run_batch calls. A backend keeps one for
/// everything it ran (backend::stats()); the gradient engine and the quantum layer keep one
/// for what they sent.
struct evaluation_ledger {
  std::uint64_t circuits = 0;  ///< distinct circuit executions (0 for adjoint)
  std::uint64_t shots = 0;     ///< shots over all of them (0 for exact runs)
  std::uint64_t batches = 0;   ///< run_batch calls
  /// Counts one run_batch call of `tasks` circuits of `shots_each` shots.
  constexpr void add(std::uint64_t tasks, std::uint64_t shots_each) noexcept {
    circuits += tasks;
    shots += shots_each * tasks;
    batches += 1;
  }
  constexpr evaluation_ledger& operator+=(const evaluation_ledger& o) noexcept {
    circuits += o.circuits;
    shots += o.shots;
    batches += o.batches;
    return *this;
  }
  bool operator==(const evaluation_ledger&) const = default;
};

}  // namespace papillon
