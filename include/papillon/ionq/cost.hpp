#pragma once

/// @file
/// Money on IonQ: what `GET /jobs/estimate` quotes for a circuit before it is sent, what
/// `GET /jobs/{id}/cost` says a job cost after it ran, and the sum of a run's quotes
/// (docs/ionq-api.md 2.9). Compiled in src/papillon/ionq/cost.cpp.
///
/// Amounts are in the unit the API names (`cost_unit`, `unit`: "usd" today, "credits" for some
/// organisations); papillon never converts between units, and refuses to add amounts of
/// different units.

#include <papillon/core/types.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace papillon::ionq {

/// The size of one circuit as the estimate call wants it.
struct circuit_size {
  index_t qubits = 0;
  std::uint64_t gates_1q = 0;  ///< gates on one qubit
  std::uint64_t gates_2q = 0;  ///< gates on two or more qubits (targets plus controls)
  bool operator==(const circuit_size&) const = default;
};

/// The query of `GET /jobs/estimate` for one circuit.
struct estimate_query {
  std::string backend;  ///< "simulator", "qpu.forte-1", ...
  circuit_size size;
  std::uint64_t shots = 0;        ///< 0: not sent (exact jobs; the API then assumes its default)
  bool error_mitigation = false;  ///< whether debiasing will run
  bool operator==(const estimate_query&) const = default;
  /// The query string, "backend=...&type=ionq.circuit.v1&qubits=...&...".
  [[nodiscard]] std::string to_query() const;
};

/// What `GET /jobs/estimate` answers.
struct cost_estimate {
  double cost = 0;                ///< `estimated_cost`
  std::string unit;               ///< `cost_unit`, lower case
  std::optional<double> seconds;  ///< `estimated_execution_time`, when given
  bool operator==(const cost_estimate&) const = default;
};

/// What `GET /jobs/{id}/cost` answers.
struct job_cost {
  bool dry_run = false;
  std::optional<double> estimated;  ///< `estimated_cost.value`
  std::optional<double> actual;     ///< `cost.value`; absent until the job has run
  std::string unit;                 ///< the unit of `cost` (else of `estimated_cost`), lower case
  bool operator==(const job_cost&) const = default;
};

/// Parses an estimate answer.
/// @throws backend_error for a missing or non-finite, negative `estimated_cost`.
cost_estimate parse_cost_estimate(const nlohmann::ordered_json& doc);

/// Parses a job cost answer (null or missing amounts stay unset).
/// @throws backend_error for an amount that is not a finite non-negative number, or two
///         different units.
job_cost parse_job_cost(const nlohmann::ordered_json& doc);

/// The quote of a whole plan: one amount per planned job (the sum of its circuits' quotes:
/// IonQ bills each circuit of a multi-circuit job as a job of its own, minimum charge included).
struct run_estimate {
  std::vector<double> jobs;  ///< per planned job, in plan order
  double total = 0;
  std::string unit;          ///< empty when nothing was quoted
  std::size_t requests = 0;  ///< estimate calls made (identical circuits are asked once)
  bool operator==(const run_estimate&) const = default;
  /// {"total", "unit", "jobs": [...], "requests"}.
  [[nodiscard]] nlohmann::ordered_json to_json() const;
};

/// Formats an amount with its unit for people: "12.40 usd".
std::string format_money(double amount, const std::string& unit);

}  // namespace papillon::ionq
