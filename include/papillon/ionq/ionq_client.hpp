#pragma once

/// @file
/// A client of the IonQ Quantum Cloud REST API v0.4 (docs/ionq-api.md): create jobs (single and
/// multi-circuit), read and poll them, fetch probabilities (classic `results.*.url` shape,
/// artifact shape, and the fixed `/results/probabilities[/aggregated]` paths), cancel, and list
/// backends. Compiled in src/papillon/ionq/ionq_client.cpp.
///
/// Reliability. Every request is retried on 429, 500, 502, 503, 504, 520-529 and on transport
/// failures, with exponential backoff `min(cap, base 2^k) + U(0, jitter)` (seeded), honouring a
/// numeric `Retry-After`; 409 is retried for GET, PUT and DELETE only. `POST /jobs` is the one
/// request that is not idempotent: after a 5xx, a malformed answer or a connection that broke
/// after sending, the client first looks for the job by its metadata tag (if the payload carries
/// one, see find_job_by_tag) and only resubmits, a bounded number of times, when the server has
/// no such job. Every public call has a total deadline (client_options::deadline); the clock and
/// the sleep function are injectable so tests run without waiting.
///
/// Secrets. The API key is sent only in the `Authorization: apiKey <key>` header. It never
/// appears in an exception, a log line or a URL; server texts quoted in errors are scrubbed of
/// it, and a server-supplied job id that contains it is refused.
///
/// Server text. Everything a server says that reaches a message, a log line or job_info's human
/// fields (status text, failure, warnings) is scrubbed of the key, escaped and bounded
/// (core/text.hpp); at most max_job_warnings warnings are kept.
///
/// Thread safety: one client per thread (calls are sequential; the transport is shared state).

#include <papillon/core/basis_key.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/core/types.hpp>
#include <papillon/error.hpp>
#include <papillon/ionq/characterization.hpp>
#include <papillon/ionq/cost.hpp>
#include <papillon/ionq/http_transport.hpp>

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace papillon::ionq {

/// The production base URL.
inline constexpr std::string_view default_base_url = "https://api.ionq.co/v0.4";

/// Seconds as a floating-point duration.
using seconds_d = std::chrono::duration<double>;

/// Retries of one request.
struct retry_options {
  /// Retries after the first attempt (so at most max_retries + 1 attempts).
  unsigned max_retries = 5;
  /// Resubmissions of `POST /jobs` after a 5xx or an ambiguous failure, when the job was not
  /// found by its tag (a 429 or a connection that was never established is always safe and
  /// counts against max_retries instead).
  unsigned max_post_resubmits = 2;
  seconds_d base{0.5};    ///< first backoff
  seconds_d cap{60.0};    ///< largest backoff and largest honoured Retry-After
  seconds_d jitter{0.5};  ///< uniform extra delay in [0, jitter)
};

/// Polling of a job until it ends.
struct poll_options {
  seconds_d initial{1.0};  ///< first wait
  double factor = 1.5;     ///< growth per poll
  seconds_d max{30.0};     ///< largest wait
  double jitter = 0.1;     ///< relative jitter: each wait is multiplied by U(1 - j, 1 + j)
};

/// The clock the client waits on. Empty members mean std::chrono::steady_clock and
/// std::this_thread::sleep_for. Tests install a virtual clock whose sleep only advances now().
struct clock_hooks {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::steady_clock::duration)> sleep;
};

/// Options of the client.
struct client_options {
  /// Base URL including the version, e.g. "https://api.ionq.co/v0.4" or a loopback fake.
  std::string base_url = std::string(default_base_url);
  /// The API key. Never printed.
  std::string api_key;
  std::chrono::milliseconds connect_timeout{10'000};  ///< per request
  std::chrono::milliseconds request_timeout{60'000};  ///< per request, total
  /// Total time of one public call, retries and polling included.
  seconds_d deadline{24 * 3600.0};
  /// Total time of every call of this client together, counted from its construction; each
  /// call ends at the earlier of the two deadlines. Unset: only `deadline` applies. Bounds the
  /// whole wait of a run (the CLI's --ionq-timeout) however many jobs it polls.
  std::optional<seconds_d> total_deadline;
  /// Largest response body accepted; a larger answer is a transport_error, never cut silently.
  std::size_t max_response_bytes = default_max_body_bytes;
  retry_options retry;
  poll_options poll;
  /// Seed of the backoff and polling jitter.
  std::uint64_t seed = 0x5eed;
  clock_hooks clock;
  /// Receives progress lines (retries, polls); never sees the key. Empty: silent.
  std::function<void(std::string_view)> log;
  /// Sent as User-Agent.
  std::string user_agent = "papillon-ionq/0.1";
};

/// Job states of the v0.4 API (`running` is v0.3's name of `started`).
enum class job_status { submitted, ready, running, completed, failed, canceled };

/// The API names of the statuses; "running" (v0.3) and "cancelled" are accepted too.
inline constexpr enum_table<job_status, 6> job_status_names{
    "job status",
    {{{job_status::submitted, "submitted"},
      {job_status::ready, "ready"},
      {job_status::running, "started", {"running"}},
      {job_status::completed, "completed"},
      {job_status::failed, "failed"},
      {job_status::canceled, "canceled", {"cancelled"}}}}};
constexpr const auto& enum_names_of(job_status) noexcept { return job_status_names; }

/// The API name of a status ("submitted", "ready", "started", "completed", "failed",
/// "canceled").
std::string_view to_string(job_status s) noexcept;

/// Parses a status string. `started` and `running` give running; any unknown value is treated
/// as still running (docs/ionq-api.md 4.1).
job_status parse_job_status(std::string_view s) noexcept;

/// True for completed, failed and canceled.
constexpr bool is_terminal(job_status s) noexcept {
  return s == job_status::completed || s == job_status::failed || s == job_status::canceled;
}

/// Why a job failed, as the server said it.
struct job_failure {
  std::string code;     ///< e.g. "SimulationError"
  std::string message;  ///< `failure.message`, else the legacy `failure.error`
  bool operator==(const job_failure&) const = default;
};

/// What `GET /jobs/{id}` says about a job.
struct job_info {
  std::string id;
  job_status status = job_status::submitted;
  std::string status_text;  ///< the status string as received
  std::string type;         ///< "ionq.circuit.v1", "ionq.multi-circuit.v1", ...
  std::vector<std::string> child_job_ids;
  std::optional<job_failure> failure;
  std::vector<std::string> warnings;
  std::map<std::string, std::string> metadata;
  std::optional<std::uint64_t> shots;
  /// Host-relative URL from `results.probabilities.url`, if the server gave one.
  std::string probabilities_url;
  /// Artifact id of the probabilities (or their aggregate), if the server used that shape.
  std::string probabilities_artifact;
  bool operator==(const job_info&) const = default;
};

/// One entry of `GET /backends`.
struct backend_description {
  std::string name;    ///< "simulator", "qpu.forte-1", ...
  std::string status;  ///< "available", "unavailable", "retired"
  index_t qubits = 0;
  bool degraded = false;
  std::vector<std::string> noise_models;
  std::vector<std::string> native_gates;       ///< `supported_native_gates`
  std::vector<std::string> error_mitigations;  ///< `supported_error_mitigations`
  std::string characterization_id;             ///< the current characterization, if any
  bool operator==(const backend_description&) const = default;
};

/// Outcome probabilities keyed by basis state (bit i = qubit i, as IonQ sends them).
using probability_map = std::map<basis_key, double>;

/// Parses a probabilities object `{"<decimal basis>": p, ...}`. Keys must be decimal integers
/// below 2^64 and values finite and non-negative; the result is renormalised to sum 1 (servers
/// send sums like 0.9999999999999999), zero entries are kept as sent.
/// @throws data_error naming the offending key.
probability_map parse_probabilities(const nlohmann::json& doc);

/// Most warnings kept in job_info::warnings; the rest are counted in one last entry.
inline constexpr std::size_t max_job_warnings = 20;

/// Parses a `GET /jobs/{id}` answer as the server sent it (texts neither checked nor bounded;
/// the client cleans them before use).
/// @throws backend_error for an answer that is not an object or has no string `id`.
job_info parse_job_info(const nlohmann::ordered_json& doc);

/// Extracts the human message of an error body: `message`, else `error` (string), else
/// `error.message`, else the start of a non-JSON body; "No error details provided." if empty.
/// The result is sanitised and bounded (sanitize_text).
std::string server_error_message(std::string_view body);

/// The IonQ REST client.
class client {
 public:
  /// @param transport the HTTP transport; null selects make_curl_transport()
  /// @throws data_error for a base URL that is not http(s)://host[:port]/path.
  explicit client(client_options opt, std::shared_ptr<http_transport> transport = nullptr);

  /// `POST /jobs`. Returns the new job's id.
  /// @param tag a value unique to this payload, sent as `metadata.papillon_tag`; when given, an
  ///        ambiguous failure (5xx, malformed answer, connection broken after sending) is resolved
  ///        by find_job_by_tag before resubmitting, so a job is not created twice.
  /// @throws http_error (4xx, or retries exhausted), transport_error, timeout_error,
  ///         backend_error for an answer without a job id or too many resubmissions.
  std::string create_job(const nlohmann::ordered_json& payload, std::string_view tag = {});

  /// `GET /jobs/{id}`.
  /// @throws http_error, transport_error, timeout_error, backend_error (malformed answer).
  job_info get_job(std::string_view id);

  /// Polls `GET /jobs/{id}` with exponential backoff until the job is completed, failed or
  /// canceled, and returns its last state (a failed job is a status here, not an exception).
  /// @throws timeout_error when the deadline passes first; as get_job otherwise.
  job_info wait(std::string_view id);

  /// Probabilities of a completed single-circuit job.
  /// @param aggregation how debiased results are combined: "average" or "voting" adds the
  ///        `aggregation` query (docs/ionq-api.md 2.4); empty asks for IonQ's default
  /// @throws remote_job_error if the job is not completed; as get_job otherwise.
  probability_map probabilities(const job_info& job, std::string_view aggregation = {});

  /// Probabilities of every circuit of a completed multi-circuit job, in the order of its
  /// `child_job_ids` (the input order), whatever order the server's object has.
  /// @param aggregation as for probabilities()
  /// @throws remote_job_error if the job is not completed or a child is missing.
  std::vector<probability_map> aggregated_probabilities(const job_info& parent,
                                                        std::string_view aggregation = {});

  /// `GET /jobs/estimate?...`: the quote for one circuit. Needs the key.
  /// @throws as get_job; backend_error for a malformed answer.
  cost_estimate estimate(const estimate_query& q);

  /// `GET /jobs/{id}/cost`: what a job cost (for a multi-circuit job, all its circuits).
  /// @throws as get_job; backend_error for a malformed answer.
  job_cost cost(std::string_view id);

  /// The current characterization of a backend: `GET /backends/{backend}/characterizations/{id}`
  /// when `characterization_id` is given, else the newest of
  /// `GET /backends/{backend}/characterizations?limit=1`; nullopt when the server has none
  /// (a null list, an empty list or 404). Needs no key.
  std::optional<characterization> current_characterization(
      std::string_view backend, std::string_view characterization_id = {});

  /// `PUT /jobs/{id}/status/cancel`; returns the status the server reports.
  job_status cancel(std::string_view id);

  /// `GET /backends`. Needs no key: sent without one when none is set.
  std::vector<backend_description> backends();

  /// Scans the most recent jobs (`GET /jobs?limit=...`, following `next`) for one whose
  /// `metadata.papillon_tag` equals `tag`; looks at no more than max_jobs jobs.
  std::optional<job_info> find_job_by_tag(std::string_view tag, std::size_t max_jobs = 200);

  /// The options in use (the key included: do not print them).
  [[nodiscard]] const client_options& options() const noexcept { return m_opt; }

  /// Counts of what went over the wire (for reports and tests).
  struct counters {
    std::uint64_t requests = 0;  ///< attempts, retries included
    std::uint64_t retries = 0;
    std::uint64_t polls = 0;
  };
  [[nodiscard]] const counters& stats() const noexcept { return m_counters; }

 private:
  struct call;  // one public call: its name, deadline and whether it may go without the key
  nlohmann::ordered_json request_json(call& c, http_method m, const std::string& path,
                                      const std::string& body, bool is_create = false);
  http_response exchange(call& c, http_method m, const std::string& url, const std::string& body);
  std::string results_query(std::string_view aggregation) const;
  http_error status_error(const call& c, const std::string& what, const http_response& r,
                          unsigned retries) const;
  void pause(call& c, std::chrono::steady_clock::duration d, std::string_view why);
  std::chrono::steady_clock::time_point now() const;
  std::chrono::steady_clock::duration backoff(unsigned attempt);
  std::string redact(std::string text) const;
  std::string checked_id(std::string_view where, std::string_view id) const;
  job_info cleaned(job_info info, std::string_view where) const;
  std::chrono::steady_clock::time_point call_deadline() const;
  void log(const std::string& line) const;
  std::string resolve_result_url(const std::string& url) const;

  client_options m_opt;
  std::shared_ptr<http_transport> m_transport;
  std::string m_origin;  // scheme://host[:port]
  std::string m_prefix;  // path of the base URL, e.g. "/v0.4"
  std::mt19937_64 m_rng;
  counters m_counters;
  std::chrono::steady_clock::time_point m_created;
};

}  // namespace papillon::ionq
