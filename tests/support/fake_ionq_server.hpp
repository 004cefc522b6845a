#pragma once

/// @file
/// A loopback fake of the IonQ v0.4 REST API (docs/ionq-api.md) for tests and examples.
///
/// - Binds 127.0.0.1 on an ephemeral port (never any other address) and stops by itself after
///   options::lifetime, so a stuck test cannot leave it running.
/// - Implements POST /jobs (single and multi-circuit), GET /jobs (cursor paging), GET /jobs/{id}
///   (status progression submitted -> ready -> started -> completed on successive polls),
///   results (/results/probabilities, /results/probabilities/aggregated, /artifacts/{id}),
///   PUT /jobs/{id}/status/cancel, DELETE /jobs/{id} and GET /backends, with the error bodies of
///   the spec. Requires `Authorization: apiKey <key>` except on /backends.
/// - Money: GET /jobs/estimate quotes a circuit by a fixed price list (fake_prices) and
///   GET /jobs/{id}/cost answers the quote of a job's circuits, as `cost` once it completed
///   (0 when it failed or was canceled, null before). The simulator is free.
/// - The backend list names a characterization for qpu.forte-1, served by
///   GET /backends/{backend}/characterizations[/{id}]; set_backend_status() retires a target or
///   takes it offline.
/// - Runs every circuit on papillon's simulator_backend, so answers are real: IonQ gate JSON is
///   parsed into an ionq_program and turned into a papillon circuit with to_circuit().
///   Probabilities use little-endian decimal keys, zero entries omitted. Aggregated results are
///   written in reverse child order and child ids are not lexically ordered, so a client that
///   does not map children through child_job_ids gets them wrong.
/// - Injects faults on request (inject()): any status with optional Retry-After, slow answers,
///   dropped connections (headers sent, body cut), malformed or truncated JSON, optionally after
///   the real handler ran (so e.g. a job is created but its id is lost); rewritten bodies
///   (hostile ids, huge texts); and jobs that end failed (with a failure message) or canceled.
/// - Records every request (method, path with query, headers, body) for assertions.
///
/// Cancel semantics (docs/ionq-api.md 8.4 is open): cancelling a non-terminal job makes it
/// `canceled`; cancelling a terminal job changes nothing.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/ionq/transpile.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace papillon::test {

/// A request as the fake received it.
struct recorded_request {
  std::string method;
  std::string path;  ///< path with the query string, e.g. "/v0.4/jobs?limit=100"
  std::multimap<std::string, std::string> headers;
  std::string body;

  /// First header with this name (case-insensitive), or "".
  [[nodiscard]] std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
      if (k.size() != name.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < k.size(); ++i)
        same = same && std::tolower(static_cast<unsigned char>(k[i])) ==
                           std::tolower(static_cast<unsigned char>(name[i]));
      if (same) return v;
    }
    return {};
  }
};

/// One injected fault.
struct fake_fault {
  enum class body_kind { normal, drop, malformed, truncated };
  std::string method;              ///< "GET", "POST", ...; empty matches any
  std::string path;                ///< substring of the request path; empty matches any
  int status = 0;                  ///< answer with this status (0: keep the real one)
  std::optional<int> retry_after;  ///< Retry-After header, seconds
  int delay_ms = 0;                ///< wait before answering
  body_kind body = body_kind::normal;
  /// Run the real handler first (its side effects happen), then apply the fault.
  bool after_handling = false;
  int times = 1;  ///< how many matching requests it hits
  /// A non-JSON body (as from a proxy) instead of the spec's JSON error body.
  bool html_body = false;
  /// Replaces the body of the answer (the real handler runs first): hostile ids, huge or binary
  /// texts.
  std::function<std::string(const std::string&)> rewrite;

  /// Answer `times` matching requests with `code` (and a Retry-After if given).
  static fake_fault with_status(std::string method, std::string path, int code,
                                std::optional<int> retry_after = std::nullopt, int times = 1) {
    fake_fault f;
    f.method = std::move(method);
    f.path = std::move(path);
    f.status = code;
    f.retry_after = retry_after;
    f.times = times;
    return f;
  }
  /// Damage the body of `times` matching answers (the real handler runs first).
  static fake_fault with_body(std::string method, std::string path, body_kind kind, int times = 1) {
    fake_fault f;
    f.method = std::move(method);
    f.path = std::move(path);
    f.body = kind;
    f.times = times;
    return f;
  }
  /// Rewrite the body of `times` matching answers.
  static fake_fault rewriting(std::string method, std::string path,
                              std::function<std::string(const std::string&)> fn, int times = 1) {
    fake_fault f;
    f.method = std::move(method);
    f.path = std::move(path);
    f.rewrite = std::move(fn);
    f.times = times;
    return f;
  }
  /// Delay one matching answer.
  static fake_fault slow(std::string method, std::string path, int delay_ms) {
    fake_fault f;
    f.method = std::move(method);
    f.path = std::move(path);
    f.delay_ms = delay_ms;
    return f;
  }
};

/// The fake's price list (IonQ publishes none; these are of the right order for a QPU).
struct fake_prices {
  double per_1q_gate_shot = 0.0002;
  double per_2q_gate_shot = 0.001;
  double job_minimum = 1.0;             ///< per circuit, without debiasing
  double job_minimum_mitigated = 25.0;  ///< per circuit, with debiasing
  std::string unit = "usd";

  /// The quote of one circuit (0 on the simulator).
  [[nodiscard]] double quote(const std::string& backend, std::uint64_t shots, std::uint64_t n1,
                             std::uint64_t n2, bool mitigated) const {
    if (backend == "simulator") return 0.0;
    const double work = static_cast<double>(shots) * (per_1q_gate_shot * static_cast<double>(n1) +
                                                      per_2q_gate_shot * static_cast<double>(n2));
    return std::max(mitigated ? job_minimum_mitigated : job_minimum, work);
  }
};

class fake_ionq_server {
 public:
  struct options {
    std::string api_key = "fake-key-0123456789";
    /// GETs of a job before it is terminal (1: the first poll sees it finished).
    int polls_to_complete = 2;
    /// Results in the artifact shape instead of `results.probabilities.url`.
    bool artifact_results = false;
    /// The server stops after this long, whatever happens.
    std::chrono::milliseconds lifetime{60'000};
    fake_prices prices;
  };

  fake_ionq_server() : fake_ionq_server(options{}) {}
  explicit fake_ionq_server(options opt) : m_opt(std::move(opt)) {
    m_svr.set_keep_alive_max_count(1000);
    m_svr.set_read_timeout(std::chrono::seconds(5));
    m_svr.set_write_timeout(std::chrono::seconds(5));
    const auto h = [this](const httplib::Request& req, httplib::Response& res) {
      handle(req, res);
    };
    m_svr.Get(".*", h);
    m_svr.Post(".*", h);
    m_svr.Put(".*", h);
    m_svr.Delete(".*", h);
    m_port = m_svr.bind_to_any_port("127.0.0.1");
    if (m_port <= 0) throw std::runtime_error("fake_ionq_server: cannot bind 127.0.0.1");
    m_thread = std::thread([this] { m_svr.listen_after_bind(); });
    // httplib's stop() is a no-op until the listen loop runs, so a server destroyed before its
    // thread got going would never stop: wait (bounded) for the loop to start.
    const auto ready_by = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!m_svr.is_running() && std::chrono::steady_clock::now() < ready_by)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    m_watchdog = std::thread([this] {
      std::unique_lock<std::mutex> lock(m_stop_mutex);
      m_stop_cv.wait_for(lock, m_opt.lifetime, [this] { return m_stopping; });
      m_svr.stop();
    });
  }

  ~fake_ionq_server() {
    {
      std::lock_guard<std::mutex> lock(m_stop_mutex);
      m_stopping = true;
    }
    m_stop_cv.notify_all();
    m_watchdog.join();
    m_svr.stop();
    m_thread.join();
  }

  fake_ionq_server(const fake_ionq_server&) = delete;
  fake_ionq_server& operator=(const fake_ionq_server&) = delete;

  [[nodiscard]] int port() const { return m_port; }
  [[nodiscard]] std::string origin() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  /// The base URL to give the client.
  [[nodiscard]] std::string base_url() const { return origin() + "/v0.4"; }
  [[nodiscard]] const std::string& api_key() const { return m_opt.api_key; }

  void inject(fake_fault f) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_faults.push_back(std::move(f));
  }
  /// The next created job ends `failed` with this failure.
  void fail_next_job(std::string code, std::string message) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_next_failure = nlohmann::json{{"code", std::move(code)}, {"message", std::move(message)}};
  }
  /// The next created job ends `canceled`.
  void cancel_next_job() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_cancel_next = true;
  }
  /// While held, jobs stay `started` however often they are polled.
  void hold_jobs(bool hold) { m_hold = hold; }
  /// The id of the one characterization the fake has (of qpu.forte-1).
  static constexpr const char* forte_characterization_id = "617a1f8b-59d4-435d-aa33-695433d7155e";

  /// The status `GET /backends` reports for a backend ("available", "unavailable", "retired").
  void set_backend_status(const std::string& backend, const std::string& status) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_backend_status[backend] = status;
  }
  void set_artifact_results(bool on) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_opt.artifact_results = on;
  }

  [[nodiscard]] std::vector<recorded_request> requests() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_requests;
  }
  /// Requests with this method whose path starts with `prefix` (e.g. "/v0.4/jobs").
  [[nodiscard]] std::size_t count(const std::string& method, const std::string& prefix,
                                  bool exact = false) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return static_cast<std::size_t>(
        std::count_if(m_requests.begin(), m_requests.end(), [&](const recorded_request& r) {
          return r.method == method && (exact ? r.path == prefix : r.path.rfind(prefix, 0) == 0);
        }));
  }
  /// Jobs created (parents and single jobs, not children).
  [[nodiscard]] std::size_t jobs_created() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_created;
  }
  /// Polls (GET /jobs/{id}) seen for a job.
  [[nodiscard]] int polls(const std::string& id) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_jobs.find(id);
    return it == m_jobs.end() ? 0 : it->second.polls;
  }

  /// Parses the IonQ circuit of one `input` (or one entry of `input.circuits`).
  /// @throws std::runtime_error describing the problem (answered as 400).
  static ionq_program parse_program(const nlohmann::json& circ, const std::string& gateset,
                                    std::optional<index_t> qubits) {
    ionq_program p;
    if (gateset == "qis")
      p.gateset = ionq_gateset::qis;
    else if (gateset == "native")
      p.gateset = ionq_gateset::native_ms;  // to_circuit treats both native sets alike
    else
      throw std::runtime_error("\"gateset\" must be qis or native");
    if (!circ.is_array()) throw std::runtime_error("\"circuit\" must be an array");
    index_t width = 0;
    const auto ints = [](const nlohmann::json& g, const char* one, const char* many) {
      std::vector<index_t> v;
      if (g.contains(one)) {
        if (!g[one].is_number_unsigned()) throw std::runtime_error(std::string(one) + " invalid");
        v.push_back(g[one].get<index_t>());
      }
      if (g.contains(many)) {
        if (!g[many].is_array()) throw std::runtime_error(std::string(many) + " invalid");
        for (const auto& x : g[many]) {
          if (!x.is_number_unsigned()) throw std::runtime_error(std::string(many) + " invalid");
          v.push_back(x.get<index_t>());
        }
      }
      return v;
    };
    static const std::vector<std::string> allowed = {
        "gate", "target", "targets", "control", "controls", "rotation", "phase", "phases", "angle"};
    for (const auto& g : circ) {
      if (!g.is_object() || !g.contains("gate") || !g["gate"].is_string())
        throw std::runtime_error("every gate needs a \"gate\" name");
      for (const auto& [k, v] : g.items())
        if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
          throw std::runtime_error("unknown gate field \"" + k + "\"");
      ionq_gate q;
      q.gate = g["gate"].get<std::string>();
      q.targets = ints(g, "target", "targets");
      q.controls = ints(g, "control", "controls");
      if (q.targets.empty()) throw std::runtime_error("gate " + q.gate + " has no target");
      if (g.contains("rotation")) q.rotation = g["rotation"].get<double>();
      if (g.contains("phase") && q.gate == "zz")
        q.angle = g["phase"].get<double>();  // cirq-ionq's spelling
      else if (g.contains("phase"))
        q.phase = g["phase"].get<double>();
      if (g.contains("phases")) q.phases = g["phases"].get<std::vector<double>>();
      if (g.contains("angle")) q.angle = g["angle"].get<double>();
      const bool native_gate = q.gate == "gpi" || q.gate == "gpi2" || q.gate == "ms";
      if (native_gate && p.gateset == ionq_gateset::qis)
        throw std::runtime_error("gate " + q.gate + " needs gateset native");
      if (!native_gate && q.gate != "zz" && p.gateset != ionq_gateset::qis)
        throw std::runtime_error("gate " + q.gate + " is not a native gate");
      for (auto t : q.targets) width = std::max(width, t + 1);
      for (auto t : q.controls) width = std::max(width, t + 1);
      p.gates.push_back(std::move(q));
    }
    p.qubits = qubits.value_or(width);
    if (p.qubits < width) throw std::runtime_error("a gate uses a qubit beyond \"qubits\"");
    if (p.qubits == 0) throw std::runtime_error("circuit has no qubits");
    return p;
  }

 private:
  struct job {
    std::string id;
    std::string type;
    std::string backend;
    std::string name;
    nlohmann::json metadata;
    std::optional<std::uint64_t> shots;
    nlohmann::json noise;
    std::vector<std::string> children;
    std::string parent;
    nlohmann::ordered_json probabilities;  // single: {key: p}; parent: unused
    nlohmann::json failure;                // set when the job ends failed
    std::string final_status = "completed";
    std::string status = "submitted";
    int polls = 0;
    std::size_t sequence = 0;
    double quote = 0;  // the price list's quote of every circuit of the job
  };

  static std::string error_body(int status, const std::string& message) {
    static const std::map<int, std::string> names = {
        {400, "Bad Request"},           {401, "Unauthorized Error"}, {403, "Forbidden"},
        {404, "Not Found Error"},       {409, "Conflict"},           {429, "Too Many Requests"},
        {500, "Internal Server Error"}, {502, "Bad Gateway"},        {503, "Service Unavailable"},
        {504, "Gateway Timeout"}};
    const auto it = names.find(status);
    nlohmann::ordered_json j;
    j["error"] = it == names.end() ? "Error" : it->second;
    j["message"] = message;
    j["statusCode"] = status;
    return j.dump();
  }

  std::string new_id() {
    // UUID-shaped, with a scrambled first group so lexical order is not creation order.
    ++m_counter;
    std::uint64_t z = m_counter * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 31)) * 0xBF58476D1CE4E5B9ULL;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%08llx-%04llx-7%03llx-8%03llx-%012llx",
                  static_cast<unsigned long long>(z >> 32),
                  static_cast<unsigned long long>((z >> 16) & 0xffff),
                  static_cast<unsigned long long>(m_counter & 0xfff),
                  static_cast<unsigned long long>((m_counter >> 12) & 0xfff),
                  static_cast<unsigned long long>(m_counter));
    return buf;
  }

  static nlohmann::ordered_json simulate(const ionq_program& prog, const std::string& noise_model,
                                         std::uint64_t shots, std::uint64_t seed) {
    const circuit c = to_circuit(prog);
    simulator_backend_options so;
    so.threads = 1;
    so.noise = noise_model.empty() ? "ideal" : noise_model;
    simulator_backend sim(so);
    const bool ideal = so.noise == "ideal";
    run_options ro;
    ro.shots = ideal ? 0 : shots;  // the ideal simulator ignores shots and is exact
    ro.seed = seed;
    const std::vector<double> none;
    const run_result r = sim.run(c, none, ro);
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& [s, p] : r.probabilities)
      if (p > 1e-15) out[s.decimal_label()] = p;
    return out;
  }

  nlohmann::ordered_json job_json(const job& j) const {
    nlohmann::ordered_json o;
    o["id"] = j.id;
    o["status"] = j.status;
    o["type"] = j.type;
    o["backend"] = j.backend;
    o["dry_run"] = false;
    o["parent_job_id"] =
        j.parent.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(j.parent);
    o["child_job_ids"] =
        j.children.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(j.children);
    o["session_id"] = nullptr;
    o["metadata"] =
        j.metadata.is_null() ? nlohmann::ordered_json() : nlohmann::ordered_json(j.metadata);
    o["name"] = j.name;
    o["shots"] = j.shots ? nlohmann::ordered_json(*j.shots) : nlohmann::ordered_json();
    o["noise"] = j.noise.is_null() ? nlohmann::ordered_json{{"model", "ideal"}}
                                   : nlohmann::ordered_json(j.noise);
    o["failure"] =
        j.status == "failed" ? nlohmann::ordered_json(j.failure) : nlohmann::ordered_json();
    o["results"] = nullptr;
    if (j.status == "completed") {
      const bool multi = !j.children.empty();
      nlohmann::ordered_json r;
      if (m_opt.artifact_results) {
        const std::string fmt_id = multi ? "ionq.result.probabilities-aggregate.json.v1"
                                         : "ionq.result.probabilities.json.v1";
        r[fmt_id] = {{"id", multi ? "probabilities-aggregate" : "probabilities"},
                     {"format", fmt_id},
                     {"media_type", "application/json"}};
      } else {
        const std::string base = "/v0.4/jobs/" + j.id + "/results/";
        r["probabilities"] = {
            {"url", base + (multi ? "probabilities/aggregated" : "probabilities")}};
        r["histogram"] = {{"url", base + "histogram"}};
      }
      o["results"] = std::move(r);
    }
    return o;
  }

  // Advances a job on a poll. Children follow their parent.
  void advance(job& j) {
    ++j.polls;
    if (j.status == "completed" || j.status == "failed" || j.status == "canceled") return;
    static const char* steps[] = {"submitted", "ready", "started"};
    if (j.polls >= m_opt.polls_to_complete && !m_hold.load()) {
      j.status = j.final_status;
    } else {
      j.status = steps[std::min(j.polls, 2)];
    }
    for (const auto& c : j.children) m_jobs[c].status = j.status == "failed" ? "failed" : j.status;
  }

  struct answer {
    int status = 200;
    std::string body;
  };

  answer create(const std::string& body) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return {400, error_body(400, "Body is not JSON.")};
    static const std::vector<std::string> allowed = {"type",    "backend",   "input",    "shots",
                                                     "name",    "metadata",  "settings", "noise",
                                                     "dry_run", "session_id"};
    for (const auto& [k, v] : j.items())
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        return {400, error_body(400, "\"" + k + "\" is not allowed")};
    if (!j.contains("type") || !j["type"].is_string())
      return {400, error_body(400, "\"type\" is required")};
    if (!j.contains("backend") || !j["backend"].is_string())
      return {400, error_body(400, "\"backend\" is required")};
    if (!j.contains("input") || !j["input"].is_object())
      return {400, error_body(400, "\"input\" is required")};
    const std::string type = j["type"].get<std::string>();
    const std::string backend = j["backend"].get<std::string>();
    if (backend != "simulator" && backend.rfind("qpu.", 0) != 0)
      return {400, error_body(400, "\"backend\" is invalid")};
    std::optional<std::uint64_t> shots;
    if (j.contains("shots")) {
      if (!j["shots"].is_number_unsigned() || j["shots"].get<std::uint64_t>() < 1 ||
          j["shots"].get<std::uint64_t>() > 1'000'000)
        return {400, error_body(400, "\"shots\" must be an integer in 1..1000000")};
      shots = j["shots"].get<std::uint64_t>();
    }
    if (j.contains("metadata")) {
      if (!j["metadata"].is_object())
        return {400, error_body(400, "\"metadata\" must be an object")};
      for (const auto& [k, v] : j["metadata"].items())
        if (!v.is_string()) return {400, error_body(400, "metadata values must be strings")};
    }
    std::string noise_model;
    std::uint64_t seed = 0;
    if (j.contains("noise")) {
      if (backend != "simulator")
        return {400, error_body(400, "\"noise\" is only allowed on the simulator")};
      if (!j["noise"].is_object() || !j["noise"].contains("model") ||
          !j["noise"]["model"].is_string())
        return {400, error_body(400, "\"noise.model\" is required")};
      noise_model = j["noise"]["model"].get<std::string>();
      if (j["noise"].contains("seed") && j["noise"]["seed"].is_number_unsigned())
        seed = j["noise"]["seed"].get<std::uint64_t>();
      if (noise_model != "ideal") {
        try {
          static_cast<void>(find_noise_model(noise_model));
        } catch (const std::exception&) {
          return {400, error_body(400, "\"noise.model\" is not supported by this fake")};
        }
      }
    }
    bool mitigated = false;
    if (j.contains("settings")) {
      const auto& st = j["settings"];
      if (!st.is_object()) return {400, error_body(400, "\"settings\" must be an object")};
      for (const auto& [k, v] : st.items()) {
        if (k != "error_mitigation" && k != "compilation")
          return {400, error_body(400, "\"settings." + k + "\" is not allowed")};
        if (k != "error_mitigation") continue;
        if (!v.is_object()) return {400, error_body(400, "\"error_mitigation\" must be an object")};
        for (const auto& [ek, ev] : v.items()) {
          if (ek != "debiasing" && ek != "symmetry_verification")
            return {400, error_body(400, "\"error_mitigation." + ek + "\" is not allowed")};
          if (!ev.is_boolean())
            return {400, error_body(400, "\"error_mitigation." + ek + "\" must be a boolean")};
        }
        if (v.contains("debiasing") && v["debiasing"].get<bool>()) {
          if (backend == "simulator")
            return {400, error_body(400, "debiasing is not available on the simulator")};
          if (shots.value_or(100) < 500)
            return {400, error_body(400, "debiasing needs at least 500 shots")};
          mitigated = true;
        }
      }
    }
    const auto& input = j["input"];
    std::vector<ionq_program> programs;
    const auto qubits_of = [](const nlohmann::json& o) -> std::optional<index_t> {
      if (o.contains("qubits") && o["qubits"].is_number_unsigned())
        return o["qubits"].get<index_t>();
      return std::nullopt;
    };
    try {
      const std::string gateset =
          input.contains("gateset") ? input["gateset"].get<std::string>() : "qis";
      if (type == "ionq.circuit.v1") {
        if (input.contains("circuits"))
          return {400, error_body(400, "\"circuits\" is not allowed for ionq.circuit.v1")};
        if (!input.contains("circuit")) return {400, error_body(400, "\"circuit\" is required")};
        programs.push_back(parse_program(input["circuit"], gateset, qubits_of(input)));
      } else if (type == "ionq.multi-circuit.v1") {
        if (input.contains("circuit"))
          return {400, error_body(400, "\"circuit\" is not allowed with \"circuits\"")};
        if (!input.contains("circuits") || !input["circuits"].is_array() ||
            input["circuits"].empty())
          return {400, error_body(400, "\"circuits\" is required")};
        if (input["circuits"].size() > 5000) return {400, error_body(400, "at most 5000 circuits")};
        std::size_t gates = 0;
        for (const auto& c : input["circuits"]) {
          const std::string gs = c.contains("gateset") ? c["gateset"].get<std::string>() : gateset;
          const auto q = qubits_of(c) ? qubits_of(c) : qubits_of(input);
          if (!c.contains("circuit")) return {400, error_body(400, "\"circuit\" is required")};
          programs.push_back(parse_program(c["circuit"], gs, q));
          gates += programs.back().gates.size();
        }
        if (gates > 150000) return {400, error_body(400, "at most 150000 gates")};
      } else {
        return {400, error_body(400, "\"type\" is not supported")};
      }
    } catch (const std::exception& e) {
      return {400, error_body(400, e.what())};
    }
    for (const auto& p : programs)
      if (p.qubits > 29) return {400, error_body(400, "too many qubits for the simulator")};

    job parent;
    parent.id = new_id();
    parent.type = type;
    parent.backend = backend;
    parent.name = j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : "";
    parent.metadata = j.contains("metadata") ? j["metadata"] : nlohmann::json();
    parent.shots = shots;
    parent.noise = j.contains("noise") ? j["noise"] : nlohmann::json();
    parent.sequence = m_counter;
    for (const auto& prog : programs) {
      const gate_counts gc = count_gates(prog);
      parent.quote += m_opt.prices.quote(backend, shots.value_or(1000), gc.total - gc.two_qubit,
                                         gc.two_qubit, mitigated);
    }
    if (m_next_failure) {
      parent.final_status = "failed";
      parent.failure = *m_next_failure;
      m_next_failure.reset();
    } else if (m_cancel_next) {
      parent.final_status = "canceled";
      m_cancel_next = false;
    }
    try {
      if (type == "ionq.circuit.v1") {
        parent.probabilities = simulate(programs[0], noise_model, shots.value_or(100), seed);
      } else {
        for (std::size_t i = 0; i < programs.size(); ++i) {
          job child;
          child.id = new_id();
          child.type = "ionq.circuit.v1";
          child.backend = backend;
          child.parent = parent.id;
          child.shots = shots;
          child.probabilities = simulate(programs[i], noise_model, shots.value_or(100), seed + i);
          parent.children.push_back(child.id);
          m_jobs[child.id] = std::move(child);
        }
      }
    } catch (const std::exception& e) {
      return {400, error_body(400, std::string("circuit rejected: ") + e.what())};
    }
    ++m_created;
    nlohmann::ordered_json res;
    res["id"] = parent.id;
    res["status"] = "submitted";
    res["session_id"] = nullptr;
    m_order.push_back(parent.id);
    m_jobs[parent.id] = std::move(parent);
    return {201, res.dump()};
  }

  answer results(job& j, bool aggregated) {
    if (j.status != "completed")
      return {404, error_body(404, "Job not found or not yet completed")};
    if (!aggregated) {
      if (!j.children.empty())
        return {400, error_body(400, "multi-circuit job: use /results/probabilities/aggregated")};
      return {200, j.probabilities.dump()};
    }
    if (j.children.empty()) return {400, error_body(400, "not a multi-circuit job")};
    // Reverse order on purpose (see the file comment); written by hand to keep it.
    std::string body = "{";
    for (auto it = j.children.rbegin(); it != j.children.rend(); ++it) {
      if (body.size() > 1) body += ",";
      body += nlohmann::json(*it).dump() + ":" + m_jobs[*it].probabilities.dump();
    }
    return {200, body + "}"};
  }

  answer list(const httplib::Request& req) {
    std::size_t limit = 25;
    if (req.has_param("limit")) limit = std::stoul(req.get_param_value("limit"));
    limit = std::clamp<std::size_t>(limit, 1, 100);
    std::size_t start = 0;  // newest first; the cursor is the index to continue at
    if (req.has_param("next")) start = std::stoul(req.get_param_value("next"));
    nlohmann::ordered_json out;
    out["jobs"] = nlohmann::ordered_json::array();
    std::size_t i = start;
    for (; i < m_order.size() && out["jobs"].size() < limit; ++i)
      out["jobs"].push_back(job_json(m_jobs[m_order[m_order.size() - 1 - i]]));
    out["next"] =
        i < m_order.size() ? nlohmann::ordered_json(std::to_string(i)) : nlohmann::ordered_json();
    return {200, out.dump()};
  }

  answer backends() const {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    a.push_back({{"backend", "qpu.forte-1"},
                 {"status", "available"},
                 {"qubits", 36},
                 {"average_queue_time", 1181215},
                 {"last_updated", "2025-06-16T00:00:00Z"},
                 {"characterization_id", forte_characterization_id},
                 {"degraded", false},
                 {"supported_native_gates", {"gpi", "gpi2", "zz"}},
                 {"supported_error_mitigations", {"debiasing"}}});
    a.push_back({{"backend", "qpu.aria-1"},
                 {"status", "available"},
                 {"qubits", 25},
                 {"average_queue_time", 3600000},
                 {"last_updated", "2025-06-16T00:00:00Z"},
                 {"degraded", false},
                 {"supported_native_gates", {"gpi", "gpi2", "ms"}}});
    a.push_back({{"backend", "simulator"},
                 {"status", "available"},
                 {"qubits", 29},
                 {"average_queue_time", 0},
                 {"last_updated", "2025-06-16T00:00:00Z"},
                 {"noise_models", {"aria-1", "aria-2", "forte-1", "forte-enterprise-1", "ideal"}}});
    for (auto& b : a)
      if (const auto it = m_backend_status.find(b["backend"].get<std::string>());
          it != m_backend_status.end())
        b["status"] = it->second;
    return {200, a.dump()};
  }

  // Only qpu.forte-1 has one; the others answer an empty list (the simulator: null).
  static answer characterizations(const std::string& backend, const std::string& id) {
    nlohmann::ordered_json c;
    c["id"] = forte_characterization_id;
    c["date"] = "2026-06-16T00:00:00Z";
    c["backend"] = "qpu.forte-1";
    c["qubits"] = 36;
    c["connectivity"] = {{0, 1}, {1, 2}};
    c["fidelity"] = {{"spam", {{"median", 0.995}, {"stderr", nullptr}}},
                     {"1q", {{"median", 0.9998}}},
                     {"2q", {{"median", 0.9952}}}};
    c["timing"] = {{"readout", 0.0003}, {"reset", 0.00002}, {"1q", 0.000135}, {"2q", 0.0006}};
    if (!id.empty()) {
      if (backend != "qpu.forte-1" || id != forte_characterization_id)
        return {404, error_body(404, "Characterization not found")};
      return {200, c.dump()};
    }
    nlohmann::ordered_json out;
    if (backend == "simulator")
      out["characterizations"] = nullptr;
    else if (backend == "qpu.forte-1")
      out["characterizations"] = nlohmann::ordered_json::array({c});
    else
      out["characterizations"] = nlohmann::ordered_json::array();
    out["pages"] = 1;
    return {200, out.dump()};
  }

  answer estimate(const httplib::Request& req) const {
    if (!req.has_param("backend")) return {400, error_body(400, "\"backend\" is required")};
    const auto num = [&](const char* k, std::uint64_t def) -> std::uint64_t {
      return req.has_param(k) ? std::stoull(req.get_param_value(k)) : def;
    };
    const std::string backend = req.get_param_value("backend");
    const bool em =
        req.has_param("error_mitigation") && req.get_param_value("error_mitigation") == "true";
    nlohmann::ordered_json o;
    o["input_values"] = {
        {"backend", backend},
        {"type", req.has_param("type") ? req.get_param_value("type") : "ionq.circuit.v1"},
        {"qubits", num("qubits", 25)},
        {"shots", num("shots", 1000)},
        {"1q_gates", num("1q_gates", 0)},
        {"2q_gates", num("2q_gates", 0)},
        {"error_mitigation", em}};
    o["estimated_at"] = "2026-06-16T00:00:00Z";
    o["cost_unit"] = m_opt.prices.unit;
    o["rate_information"] = {
        {"job_cost_minimum", em ? m_opt.prices.job_minimum_mitigated : m_opt.prices.job_minimum},
        {"cost_2q_gate", m_opt.prices.per_2q_gate_shot},
        {"cost_1q_gate", m_opt.prices.per_1q_gate_shot},
        {"organization", "fake"}};
    o["estimated_cost"] =
        m_opt.prices.quote(backend, num("shots", 1000), num("1q_gates", 0), num("2q_gates", 0), em);
    o["estimated_execution_time"] = 1.5;
    o["current_predicted_queue_time"] = 0;
    return {200, o.dump()};
  }

  answer cost(const job& j) const {
    nlohmann::ordered_json o;
    o["dry_run"] = false;
    o["estimated_cost"] = {{"value", j.quote}, {"unit", m_opt.prices.unit}};
    if (j.status == "completed")
      o["cost"] = {{"value", j.quote}, {"unit", m_opt.prices.unit}};
    else if (j.status == "failed" || j.status == "canceled")
      o["cost"] = {{"value", 0.0}, {"unit", m_opt.prices.unit}};
    else
      o["cost"] = nullptr;
    return {200, o.dump()};
  }

  answer route(const httplib::Request& req) {
    const std::string prefix = "/v0.4";
    if (req.path.rfind(prefix, 0) != 0) return {404, error_body(404, "Not Found")};
    const std::string p = req.path.substr(prefix.size());
    const std::string& m = req.method;
    if (m == "GET" && (p == "/backends" || p == "/backends/")) return backends();
    if (m == "GET" && p.rfind("/backends/", 0) == 0) {
      const std::string rest = p.substr(10);
      const auto slash = rest.find('/');
      const std::string name = rest.substr(0, slash);
      const std::string tail = slash == std::string::npos ? "" : rest.substr(slash);
      if (tail == "/characterizations") return characterizations(name, "");
      if (tail.rfind("/characterizations/", 0) == 0)
        return characterizations(name, tail.substr(19));
      return {404, error_body(404, "Not Found")};
    }
    const std::string auth = req.get_header_value("Authorization");
    if (auth != "apiKey " + m_opt.api_key)
      return {401, error_body(401, "Invalid key provided. Please check your API key.")};
    if (p == "/jobs" && m == "POST") return create(req.body);
    if (p == "/jobs" && m == "GET") return list(req);
    if (p == "/jobs/estimate" && m == "GET") return estimate(req);
    if (p.rfind("/jobs/", 0) != 0) return {404, error_body(404, "Not Found")};
    const std::string rest = p.substr(6);
    const auto slash = rest.find('/');
    const std::string id = rest.substr(0, slash);
    const std::string tail = slash == std::string::npos ? "" : rest.substr(slash);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end()) return {404, error_body(404, "Job not found")};
    job& j = it->second;
    if (tail.empty() && m == "GET") {
      advance(j);
      return {200, job_json(j).dump()};
    }
    if (tail.empty() && m == "DELETE") {
      m_order.erase(std::remove(m_order.begin(), m_order.end(), id), m_order.end());
      m_jobs.erase(it);
      return {200, nlohmann::json{{"id", id}, {"status", "deleted"}}.dump()};
    }
    if (tail == "/status/cancel" && m == "PUT") {
      if (j.status != "completed" && j.status != "failed" && j.status != "canceled") {
        j.status = "canceled";
        j.final_status = "canceled";
      }
      return {200, nlohmann::json{{"id", id}, {"status", j.status}}.dump()};
    }
    if (m == "GET" && tail == "/cost") return cost(j);
    if (m == "GET" && tail == "/results/probabilities") return results(j, false);
    if (m == "GET" && tail == "/results/probabilities/aggregated") return results(j, true);
    if (m == "GET" && tail == "/artifacts/probabilities") return results(j, false);
    if (m == "GET" && tail == "/artifacts/probabilities-aggregate") return results(j, true);
    return {404, error_body(404, "Not Found")};
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    std::optional<fake_fault> fault;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      recorded_request r;
      r.method = req.method;
      r.path = req.target.empty() ? req.path : req.target;
      for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
      r.body = req.body;
      m_requests.push_back(std::move(r));
      for (auto& f : m_faults) {
        if (f.times <= 0) continue;
        if (!f.method.empty() && f.method != req.method) continue;
        if (!f.path.empty() && req.path.find(f.path) == std::string::npos) continue;
        --f.times;
        fault = f;
        break;
      }
    }
    if (fault && fault->delay_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
    answer a;
    if (fault && fault->status != 0 && !fault->after_handling) {
      a = {fault->status, error_body(fault->status, "Injected fault")};
    } else {
      std::lock_guard<std::mutex> lock(m_mutex);
      a = route(req);
    }
    if (fault && fault->status != 0 && fault->after_handling)
      a = {fault->status, error_body(fault->status, "Injected fault after handling")};
    if (fault && fault->rewrite) a.body = fault->rewrite(a.body);
    if (fault && fault->html_body)
      a.body = "<html><body><h1>" + std::to_string(a.status) + " Bad Gateway</h1></body></html>";
    if (fault && fault->retry_after)
      res.set_header("Retry-After", std::to_string(*fault->retry_after));
    res.status = a.status;
    const auto kind = fault ? fault->body : fake_fault::body_kind::normal;
    switch (kind) {
      case fake_fault::body_kind::normal:
        res.set_content(a.body, fault && fault->html_body ? "text/html" : "application/json");
        break;
      case fake_fault::body_kind::malformed:
        res.set_content("{\"id\": \"0198-oops", "application/json");
        break;
      case fake_fault::body_kind::truncated:
        res.set_content(a.body.substr(0, a.body.size() / 2), "application/json");
        break;
      case fake_fault::body_kind::drop: {
        // Announce the full length, send half, then fail: the client sees the connection
        // close mid-body.
        const std::string body = a.body.empty() ? std::string(64, ' ') : a.body;
        res.set_content_provider(body.size(), "application/json",
                                 [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                   if (offset == 0) sink.write(body.data(), body.size() / 2);
                                   return false;
                                 });
        break;
      }
    }
  }

  options m_opt;
  httplib::Server m_svr;
  int m_port = 0;
  std::thread m_thread;
  std::thread m_watchdog;
  std::mutex m_stop_mutex;
  std::condition_variable m_stop_cv;
  bool m_stopping = false;

  mutable std::mutex m_mutex;
  std::map<std::string, job> m_jobs;
  std::vector<std::string> m_order;  // creation order of parents and single jobs
  std::vector<recorded_request> m_requests;
  std::vector<fake_fault> m_faults;
  std::optional<nlohmann::json> m_next_failure;
  std::map<std::string, std::string> m_backend_status;
  bool m_cancel_next = false;
  std::atomic<bool> m_hold{false};
  std::uint64_t m_counter = 0;
  std::size_t m_created = 0;
};

}  // namespace papillon::test
