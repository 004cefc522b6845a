#pragma once

/// @file
/// Options shared by every gradient method.

#include <papillon/backend/run_in_parts.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/core/types.hpp>
#include <papillon/grad/gradient_result.hpp>
#include <papillon/sim/simulator.hpp>

#include <cstdint>
#include <vector>

namespace papillon {

/// Which rule the shift methods use for RBS and FBS gates.
enum class rbs_shift_rule {
  four_term,  ///< the general rule (+-pi/4, +-pi/2), exact everywhere: the paper's counts
  automatic,  ///< the two-term +-pi/4 rule wherever the engine proves it exact, else four-term
};

/// The names of the RBS shift rules, as model files spell them.
inline constexpr enum_table<rbs_shift_rule, 2> rbs_shift_rule_names{
    "shift rule",
    {{{rbs_shift_rule::four_term, "four-term"}, {rbs_shift_rule::automatic, "automatic"}}}};
constexpr const auto& enum_names_of(rbs_shift_rule) noexcept { return rbs_shift_rule_names; }

/// Options of the gradient methods.
struct gradient_options {
  /// Method used by gradient(); the method-specific functions ignore it.
  gradient_method method = gradient_method::adjoint;
  /// Parameters to differentiate, by index; empty means all of them.
  std::vector<index_t> wrt;
  /// Shots per circuit for backend methods; 0 asks for exact probabilities.
  std::uint64_t shots = 0;
  /// Seed passed to the backend.
  std::uint64_t seed = 0;
  /// Backend methods: the most circuits sent in one run_batch call; 0 sends a gradient's
  /// circuits in one call. Splitting bounds the memory of the pending results (a serial shift of
  /// a 1024-qubit Butterfly is 20 480 circuits) and changes no result: the parts are seeded as
  /// the whole batch would be. The ledger counts every call.
  std::uint64_t max_batch_circuits = 0;
  /// Also evaluate f at the unshifted parameters (one more circuit for backend methods).
  bool with_value = true;
  /// RBS/FBS rule of the shift methods.
  rbs_shift_rule rbs_rule = rbs_shift_rule::four_term;
  /// Parallel shift: run layers where the rule is not exact, flagging the result approximate.
  bool allow_approximate = false;
  /// Finite differences: the step h of [f(p + h) - f(p - h)] / 2h.
  double finite_step = 1e-5;
  /// Adjoint: representation (full state or subspace) and real fast path.
  simulation_options simulation{};
};

/// The part of the options that says how a backend method sends its circuits.
[[nodiscard]] inline batch_options batch_of(const gradient_options& opt) noexcept {
  return {opt.shots, opt.seed, opt.max_batch_circuits};
}

}  // namespace papillon
