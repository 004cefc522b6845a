#pragma once

/// @file
/// A characterization of an IonQ QPU (`GET /backends/{backend}/characterizations`,
/// docs/ionq-api.md 2.7): the measured fidelities at one moment, and the local noise model
/// they imply. Compiled in src/papillon/ionq/characterization.cpp.

#include <papillon/core/types.hpp>
#include <papillon/sim/noise.hpp>

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace papillon::ionq {

/// What papillon reads of a characterization.
struct characterization {
  std::string id;
  std::string date;     ///< ISO 8601, as sent
  std::string backend;  ///< "qpu.forte-1", ...
  index_t qubits = 0;
  std::optional<double> spam;         ///< `fidelity.spam.median`
  std::optional<double> fidelity_1q;  ///< `fidelity.1q.median`
  std::optional<double> fidelity_2q;  ///< `fidelity.2q.median`
  bool operator==(const characterization&) const = default;
};

/// Parses one characterization object. Fidelities outside [0, 1] are refused.
/// @throws backend_error for a malformed answer.
characterization parse_characterization(const nlohmann::ordered_json& doc);

/// The depolarising model (docs/noise.md) whose average gate fidelities are the measured ones:
/// a one-qubit channel of parameter r has fidelity 1 - r/2 and a two-qubit one 1 - 3r/4, so
/// p1 = 2 (1 - F1q), p2 = 4/3 (1 - F2q); readout = 1 - SPAM fidelity. The model is named
/// "<backend>@<date>".
/// @throws data_error when the one- or two-qubit fidelity is missing.
noise_model noise_from_characterization(const characterization& c);

}  // namespace papillon::ionq
