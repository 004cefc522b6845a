#pragma once

/// @file
/// Noise models of the simulator backend: a depolarising channel after every gate, as in IonQ's
/// cloud simulator, plus an optional classical readout bit flip, and the named presets that
/// mirror IonQ's simulator noise models (docs/noise.md gives the sources).
///
/// Channel convention (IonQ's Kraus form). With depolarising parameter r, a one-qubit gate is
/// followed by rho -> (1 - 3r/4) rho + (r/4) sum_{P in X,Y,Z} P rho P, and a two-qubit gate by
/// rho -> (1 - 15r/16) rho + (r/16) sum_{P != II} P rho P over the 15 non-identity two-qubit
/// Paulis. So r is the weight of the fully depolarising part; the probability that some Pauli
/// error happens is 3r/4 (one qubit) or 15r/16 (two qubits).

#include <papillon/error.hpp>

#include <array>
#include <cmath>
#include <span>
#include <string>
#include <string_view>

namespace papillon {

/// A gate-level noise model.
struct noise_model {
  std::string name = "ideal";
  /// Depolarising parameter r_1q applied after every one-qubit gate, in [0, 1].
  double p1 = 0.0;
  /// Depolarising parameter r_2q applied after every two-qubit gate, in [0, 1].
  double p2 = 0.0;
  /// Probability that a measured bit is flipped, independently per qubit and shot, in [0, 1].
  double readout = 0.0;

  bool operator==(const noise_model&) const = default;

  /// True when the model changes nothing (every rate is 0).
  [[nodiscard]] bool is_ideal() const noexcept { return p1 == 0 && p2 == 0 && readout == 0; }

  /// Probability that a Pauli error follows a gate of the given arity (3r/4 or 15r/16).
  [[nodiscard]] double error_probability(unsigned arity) const noexcept {
    return arity == 1 ? 0.75 * p1 : 0.9375 * p2;
  }
};

/// The named presets: "ideal", "aria-1", "aria-2", "forte-1", "forte-enterprise-1".
///
/// Rates are the r_1q and r_2q IonQ publishes for its cloud simulator's noise models. IonQ has
/// not published rates for forte-enterprise-1; it uses the forte-1 rates (same generation of
/// hardware) until it does. IonQ's simulator models no readout error, so readout is 0 in every
/// preset; set it explicitly to study SPAM.
inline std::span<const noise_model> noise_presets() noexcept {
  static const std::array<noise_model, 5> presets{{
      {"ideal", 0.0, 0.0, 0.0},
      {"aria-1", 0.0005, 0.0133, 0.0},
      {"aria-2", 0.0006573333333333332, 0.01856, 0.0},
      {"forte-1", 0.0002666666666666667, 0.004949333333333333, 0.0},
      {"forte-enterprise-1", 0.0002666666666666667, 0.004949333333333333, 0.0},
  }};
  return presets;
}

/// The names of the presets, comma-separated (for messages and help texts).
inline std::string noise_preset_names() {
  std::string out;
  for (const auto& m : noise_presets()) {
    if (!out.empty()) out += ", ";
    out += m.name;
  }
  return out;
}

/// Looks a preset up by name.
/// @throws data_error for an unknown name; the message lists the valid names.
inline noise_model find_noise_model(std::string_view name) {
  for (const auto& m : noise_presets())
    if (m.name == name) return m;
  throw data_error("find_noise_model", "unknown noise model '" + std::string(name) + "'",
                   "valid: " + noise_preset_names());
}

/// Checks that every rate of a model is a probability.
/// @throws data_error naming the model and the offending rate.
inline void validate_noise_model(const noise_model& m) {
  const auto check = [&](double v, std::string_view what) {
    if (!(v >= 0.0 && v <= 1.0))
      throw data_error("noise_model", std::string(what) + " must be in [0, 1]",
                       "model '" + m.name + "', " + std::string(what) + " = " + std::to_string(v));
  };
  check(m.p1, "p1");
  check(m.p2, "p2");
  check(m.readout, "readout");
}

}  // namespace papillon
