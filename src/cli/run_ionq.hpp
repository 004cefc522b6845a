#pragma once

// `papillon run --backend ionq`: the IonQ part of the run subcommand, kept apart from
// cmd_run.cpp so the simulator path and the IonQ path can change independently.

#include <papillon/circuit/circuit.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace papillon::ionq {
class ionq_backend;
}  // namespace papillon::ionq

namespace papillon::cli {

/// The IonQ options of `papillon run`.
struct ionq_run_options {
  std::string url;                      ///< --ionq-url (default https://api.ionq.co/v0.4)
  std::string target = "simulator";     ///< --ionq-target
  std::string gateset = "qis";          ///< --gateset qis|native-ms|native-zz
  bool dry_run = false;                 ///< --dry-run
  std::string key_file;                 ///< --ionq-key-file (else IONQ_API_KEY)
  std::string journal;                  ///< --ionq-journal
  std::uint64_t max_shots = 1'000'000;  ///< --ionq-max-shots (budget guard)
  double timeout = 3600.0;              ///< --ionq-timeout: seconds for the whole IonQ part
  double max_cost = 0;                  ///< --ionq-max-cost (money budget; used when given)
  bool has_max_cost = false;            ///< whether --ionq-max-cost was given
  std::string cost_unit;                ///< --ionq-cost-unit: the unit of --ionq-max-cost
  bool estimate = false;                ///< --ionq-estimate: quote before, cost after
  bool check_backend = false;           ///< --ionq-check-backend: read GET /backends first
  std::string debiasing = "default";    ///< --ionq-debiasing on|off|default
  std::string symmetry_verification = "default";  ///< --ionq-symmetry-verification
  std::string aggregation = "default";            ///< --ionq-aggregation
};

/// The --gateset value that takes the native gate set from the backend list.
inline constexpr std::string_view gateset_from_backend = "native";

/// Bounds of --ionq-timeout, in seconds (one second to one week).
inline constexpr double min_ionq_timeout = 1.0;
inline constexpr double max_ionq_timeout = 7 * 24 * 3600.0;

/// Adds the IonQ options to the run subcommand.
void add_ionq_run_options(CLI::App* sub, ionq_run_options& o);

/// Refuses IonQ options given without `--backend ionq`, where they would be ignored.
/// @throws data_error naming the first such option.
void check_no_ionq_options(const CLI::App& sub);

/// The IonQ backend the options describe (with the API key loaded unless dry_run), logging to
/// standard error. @throws data_error for bad options or a missing or unsafe key file.
std::shared_ptr<ionq::ionq_backend> make_ionq_backend(const ionq_run_options& o,
                                                      const std::string& noise);

/// What a report says of an IonQ backend after a run: {"target", "gateset", "mitigation" (as
/// the jobs of `shots` shots were mitigated), "spent": {"jobs", "shots", "circuits", and with
/// cost tracking "estimated", "cost", "unit"}}.
nlohmann::ordered_json ionq_report_json(const ionq::ionq_backend& b, std::uint64_t shots);

/// Runs one circuit on a backend made by make_ionq_backend (or plans it, with --dry-run) and
/// returns the JSON document. @throws backend errors (exit 1).
nlohmann::ordered_json run_on_ionq(const ionq_run_options& o, ionq::ionq_backend& b,
                                   const circuit& c, const std::vector<double>& params,
                                   std::uint64_t shots, std::uint64_t seed);

}  // namespace papillon::cli
