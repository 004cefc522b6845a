#pragma once

/// @file
/// IonQ's cloud (simulator and QPUs) as a papillon backend. Compiled in
/// src/papillon/ionq/ionq_backend.cpp.
///
/// A batch becomes as few jobs as the API allows: one `ionq.circuit.v1` job for a single
/// circuit, else `ionq.multi-circuit.v1` jobs of at most max_circuits_per_job circuits and
/// max_gates_per_job gates (IonQ's limits are 5,000 and 150,000). Every circuit is transpiled
/// with the bound parameters (papillon/ionq/transpile.hpp) to the chosen gate set. All jobs of
/// a batch are submitted before any is polled, so they run concurrently on IonQ's side.
///
/// Results. IonQ returns probabilities keyed by little-endian basis states, which is papillon's
/// convention, so keys are used as they are. run_result::probabilities holds the server's
/// probabilities, renormalised. When shots > 0, run_result::counts[x] = round(p(x) * shots)
/// (the convention of IonQ's own Qiskit provider for QPU results), so counts may sum to shots
/// plus or minus a few, and the ideal simulator, which ignores shots, gives rounded exact
/// probabilities rather than a sample. With shots == 0 (exact probabilities) the job is sent
/// without `shots`; only the ideal cloud simulator accepts that (info().exact).
///
/// Safety:
/// - The budget guard (budget_options) refuses a batch whose new submissions would take the
///   backend's total shots or circuits above the user's limits; nothing is sent then.
/// - The journal (job_journal, optional but recommended for QPUs) records every submission
///   before and after POST /jobs, and every fetched result; re-running the same batch after a
///   crash resumes the recorded job or reuses its results instead of paying again.
/// - dry_run: nothing is sent; run_batch applies the budget guard to the whole plan, records
///   the exact payloads (last_plan()) and returns results without probabilities. With
///   track_cost it asks IonQ for the quote (a GET that creates nothing) and checks it too.
///
/// Money (track_cost, or a money budget): before sending, every new job is quoted by
/// `GET /jobs/estimate` (papillon/ionq/cost.hpp) and the batch is refused when the quotes would
/// take the spending above budget_options::max_cost; after a job completes, `GET /jobs/{id}/cost`
/// is read and recorded in the journal and in spent().
///
/// The backend list (check_backend): `GET /backends` is read once when the backend is made; the
/// device's width replaces max_qubits (wider circuits are refused before sending), a retired,
/// offline or degraded target is logged as a warning, and pick_native_gateset takes the gate
/// set from the device's native gates.
///
/// Thread safety: run_batch from one thread at a time (as every backend).

#include <papillon/backend/backend.hpp>
#include <papillon/ionq/cost.hpp>
#include <papillon/ionq/http_transport.hpp>
#include <papillon/ionq/ionq_client.hpp>
#include <papillon/ionq/job_journal.hpp>
#include <papillon/ionq/mitigation.hpp>
#include <papillon/ionq/transpile.hpp>

// Full JSON, not json_fwd: planned_job holds its payload by value and compares it.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace papillon::ionq {

/// Spending limits of one backend object, over its lifetime. Jobs resumed or reused from the
/// journal cost nothing new and do not count.
struct budget_options {
  /// Largest total of shots submitted (circuits times shots; exact jobs count 0 shots).
  std::uint64_t max_shots = 1'000'000;
  /// Largest total of circuits submitted.
  std::uint64_t max_circuits = 10'000;
  /// Largest total of IonQ's quotes (`GET /jobs/estimate`) of the jobs submitted, in
  /// cost_unit; unset: no money budget. Setting it turns cost tracking on.
  std::optional<double> max_cost;
  /// The unit of max_cost ("usd", ...); a quote in another unit refuses the run. Empty: the
  /// unit IonQ quotes in.
  std::string cost_unit;
};

/// What has been submitted so far (journal reuse excluded).
struct budget_usage {
  std::uint64_t shots = 0;
  std::uint64_t circuits = 0;
  std::uint64_t jobs = 0;
  double estimated_cost = 0;  ///< IonQ's quotes of the submitted jobs (with cost tracking)
  double cost = 0;            ///< what the completed jobs cost (`GET /jobs/{id}/cost`)
  std::string cost_unit;      ///< the unit of both; empty until a quote arrived
  bool operator==(const budget_usage&) const = default;
};

/// Options of ionq_backend.
struct ionq_backend_options {
  /// `backend` of the jobs: "simulator", "qpu.aria-1", "qpu.forte-1", ...
  std::string target = "simulator";
  /// Gate set of the transpiled circuits.
  ionq_gateset gateset = ionq_gateset::qis;
  /// Cloud simulator noise model ("ideal", "aria-1", "forte-1", ...); empty sends no `noise`
  /// (ideal). Refused for QPU targets.
  std::string noise_model;
  /// `noise.seed`; unset: derived from run_options::seed and the job's index (in 1..2^31-1).
  std::optional<std::uint32_t> noise_seed;
  /// `settings.error_mitigation` and the aggregation of debiased results; unset members send
  /// nothing (IonQ's default). Checked before sending (papillon/ionq/mitigation.hpp).
  error_mitigation mitigation;
  /// Job name (a batch of several jobs appends "-<k>").
  std::string job_name = "papillon";
  /// Extra `metadata` entries (strings, at most 8 of them: the backend adds two of its own).
  std::map<std::string, std::string> metadata;
  /// Largest circuit accepted (29 is the cloud simulator's limit).
  index_t max_qubits = 29;
  std::size_t max_circuits_per_job = 5'000;  ///< IonQ's limit
  std::size_t max_gates_per_job = 150'000;   ///< IonQ's limit
  budget_options budget;
  /// Journal file; empty runs without one.
  std::filesystem::path journal;
  /// Build and record payloads but send nothing.
  bool dry_run = false;
  /// Cancel submitted jobs that have not finished when polling gives up (timeout).
  bool cancel_on_timeout = false;
  /// Quote every job before sending and read its cost after (see the file comment); on by
  /// itself when budget.max_cost is set. Needs the key, also in dry-run mode.
  bool track_cost = false;
  /// Read `GET /backends` when constructed (see the file comment).
  bool check_backend = false;
  /// With check_backend: send native gates of the device's kind (zz: native_zz, ms: native_ms)
  /// whatever `gateset` says.
  bool pick_native_gateset = false;
  /// Progress lines (submissions, resumptions, reuse); never contains the key. Empty: silent.
  std::function<void(std::string_view)> log;
};

/// One job of a plan: the exact payload that is (or would be) sent.
struct planned_job {
  /// The `POST /jobs` body exactly as sent, `metadata.papillon_tag` included.
  nlohmann::ordered_json payload;
  std::string hash;  ///< sha256_hex of the compact payload before the tag was added
  std::string tag;   ///< metadata.papillon_tag: the first 32 hex digits of hash
  std::size_t first_task = 0;
  std::size_t circuits = 0;
  std::uint64_t shots = 0;  ///< shots over the job's circuits (0 for exact jobs)
  std::size_t gates = 0;
  std::vector<circuit_size> sizes;  ///< per circuit, for the estimate call
  bool operator==(const planned_job&) const = default;
};

/// The jobs a batch becomes.
struct job_plan {
  std::vector<planned_job> jobs;
  std::uint64_t total_shots = 0;
  std::uint64_t total_circuits = 0;
  /// How the jobs are mitigated (describe() of papillon/ionq/mitigation.hpp).
  nlohmann::ordered_json mitigation;
  bool operator==(const job_plan&) const = default;

  /// The plan as one JSON document: {"jobs": [{"payload", "hash", "circuits", "shots",
  /// "gates"}, ...], "total_shots", "total_circuits", "mitigation"}.
  [[nodiscard]] nlohmann::ordered_json to_json() const;
};

/// IonQ as a backend.
class ionq_backend final : public backend {
 public:
  /// @param opt backend options
  /// @param client_opt client options (base URL, key, retries, polling, deadline); the key may
  ///        be empty in dry-run mode
  /// @param transport HTTP transport; null selects libcurl (not created in dry-run mode)
  /// @throws data_error for inconsistent options (noise on a QPU, zero limits, bad names) or an
  ///         unreadable journal.
  ionq_backend(ionq_backend_options opt, client_options client_opt,
               std::shared_ptr<http_transport> transport = nullptr);

  [[nodiscard]] const backend_info& info() const noexcept override { return m_info; }

  /// {"ionq_jobs", and with cost tracking "ionq_quote_<unit>_micros" and
  /// "ionq_cost_<unit>_micros"}: jobs submitted, their quotes and their costs in millionths
  /// of the unit (the reports' counters are integers).
  [[nodiscard]] std::map<std::string, std::uint64_t> usage() const override;

  /// The jobs a batch would become, without any network access.
  /// @throws as run_batch's validation, and circuit_error for a single circuit above
  ///         max_gates_per_job.
  [[nodiscard]] job_plan plan(std::span<const run_task> tasks, const run_options& opt) const;

  /// The budget guard: throws backend_error if submitting `shots` shots and `circuits`
  /// circuits more would take the spending above the budget. run_batch calls it before sending
  /// (and in dry-run mode for the whole plan); call it on plan()'s totals to check a plan.
  void check_budget(std::uint64_t shots, std::uint64_t circuits) const;

  /// The plan of the last run_batch (in dry-run mode: what would have been sent).
  [[nodiscard]] const job_plan& last_plan() const noexcept { return m_last_plan; }

  /// IonQ's quote of every job of a plan (`GET /jobs/estimate`, one call per distinct circuit
  /// size, remembered for the backend's lifetime).
  /// @throws backend_error without a client, for quotes in different units, or as the client.
  run_estimate estimate(const job_plan& plan);

  /// The money guard: throws backend_error if quotes of `amount` more would take the spending
  /// above budget_options::max_cost, or `unit` is not the budget's unit.
  void check_cost_budget(double amount, const std::string& unit) const;

  /// The quote of the jobs the last run_batch sent (in dry-run mode: would have sent); empty
  /// without cost tracking.
  [[nodiscard]] const run_estimate& last_estimate() const noexcept { return m_last_estimate; }

  /// Whether jobs are quoted and their costs read.
  [[nodiscard]] bool tracks_cost() const noexcept {
    return m_opt.track_cost || m_opt.budget.max_cost.has_value();
  }

  /// The target's entry of `GET /backends` (with check_backend).
  [[nodiscard]] const std::optional<backend_description>& target_description() const noexcept {
    return m_target;
  }

  /// Shots, circuits and jobs submitted so far.
  [[nodiscard]] const budget_usage& spent() const noexcept { return m_spent; }

  /// The options in use.
  [[nodiscard]] const ionq_backend_options& options() const noexcept { return m_opt; }

  /// The REST client (for listing backends, cancelling, ...); null in dry-run mode.
  [[nodiscard]] client* rest_client() noexcept { return m_client.get(); }

 protected:
  std::vector<run_result> do_run_batch(std::span<const run_task> tasks,
                                       const run_options& opt) override;

 private:
  void log(const std::string& line) const;
  run_estimate estimate_jobs(const job_plan& plan, const std::vector<std::size_t>& which);
  void record_cost(const planned_job& j, const std::string& id);

  ionq_backend_options m_opt;
  backend_info m_info;
  std::unique_ptr<client> m_client;
  std::unique_ptr<job_journal> m_journal;
  job_plan m_last_plan;
  budget_usage m_spent;
  run_estimate m_last_estimate;
  std::map<std::string, cost_estimate> m_quotes;  // by estimate query
  std::optional<backend_description> m_target;
};

/// Converts IonQ probabilities of one circuit to a run_result: probabilities as given
/// (renormalised), and counts[x] = round(p(x) * shots) when shots > 0 (zero counts omitted).
run_result to_run_result(const probability_map& probs, index_t qubits, std::uint64_t shots);

}  // namespace papillon::ionq
