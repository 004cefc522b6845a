// The IonQ v0.4 REST client (docs/ionq-api.md sections 1, 2 and 4).

#include <papillon/core/text.hpp>
#include <papillon/ionq/ionq_client.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <thread>
#include <utility>

namespace papillon::ionq {

using json = nlohmann::ordered_json;
using clock_type = std::chrono::steady_clock;

// ---- Small helpers --------------------------------------------------------------------------

std::string_view to_string(job_status s) noexcept { return job_status_names.name_of(s); }

job_status parse_job_status(std::string_view s) noexcept {
  // "started", "running" and anything new: not finished yet.
  return job_status_names.try_parse(s).value_or(job_status::running);
}

namespace {

bool retryable_status(int status, http_method m) {
  if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504)
    return true;
  if (status >= 520 && status <= 529) return true;
  // Cloudflare answers 409 on DNS trouble; only repeat requests that are idempotent.
  return status == 409 && m != http_method::post;
}

bool is_2xx(int status) { return status >= 200 && status < 300; }

// Job ids go into URL paths: accept only the characters of a UUID-like token.
bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_' || c == '.';
  });
}

std::string printable_prefix(std::string_view text, std::size_t max) {
  return sanitize_text(text, max);
}

std::string string_or_dump(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return {};
  return v.dump();
}

std::optional<double> parse_retry_after(const http_response& r) {
  const auto h = r.header("Retry-After");
  if (!h) return std::nullopt;
  double v = 0;
  const char* b = h->data();
  const char* e = b + h->size();
  const auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

job_info parse_job(const json& j, std::string_view where) {
  if (!j.is_object()) throw backend_error(where, "job answer is not a JSON object");
  job_info info;
  if (!j.contains("id") || !j["id"].is_string())
    throw backend_error(where, "job answer has no string 'id'");
  info.id = j["id"].get<std::string>();
  if (j.contains("status") && j["status"].is_string()) {
    info.status_text = j["status"].get<std::string>();
    info.status = parse_job_status(info.status_text);
  } else {
    info.status_text = "submitted";
  }
  if (j.contains("type") && j["type"].is_string()) info.type = j["type"].get<std::string>();
  for (const char* key : {"child_job_ids", "children"}) {
    if (j.contains(key) && j[key].is_array()) {
      for (const auto& c : j[key])
        if (c.is_string()) info.child_job_ids.push_back(c.get<std::string>());
      break;
    }
  }
  if (j.contains("failure") && j["failure"].is_object()) {
    const auto& f = j["failure"];
    job_failure jf;
    if (f.contains("code")) jf.code = string_or_dump(f["code"]);
    if (f.contains("message"))
      jf.message = string_or_dump(f["message"]);
    else if (f.contains("error"))
      jf.message = string_or_dump(f["error"]);
    info.failure = std::move(jf);
  }
  if (j.contains("warning") && j["warning"].is_object() && j["warning"].contains("messages") &&
      j["warning"]["messages"].is_array())
    for (const auto& m : j["warning"]["messages"]) info.warnings.push_back(string_or_dump(m));
  if (j.contains("metadata") && j["metadata"].is_object())
    for (const auto& [k, v] : j["metadata"].items()) info.metadata[k] = string_or_dump(v);
  if (j.contains("shots")) {
    const auto& s = j["shots"];
    if (s.is_number_unsigned()) {
      info.shots = s.get<std::uint64_t>();
    } else if (s.is_string()) {
      std::uint64_t v = 0;
      const auto& str = s.get_ref<const std::string&>();
      if (std::from_chars(str.data(), str.data() + str.size(), v).ec == std::errc()) info.shots = v;
    }
  }
  if (j.contains("results") && j["results"].is_object()) {
    const auto& r = j["results"];
    if (r.contains("probabilities") && r["probabilities"].is_object() &&
        r["probabilities"].contains("url") && r["probabilities"]["url"].is_string())
      info.probabilities_url = r["probabilities"]["url"].get<std::string>();
    // Artifact shape: keys are format ids; prefer the aggregate for multi-circuit parents.
    for (const char* fmt_id :
         {"ionq.result.probabilities-aggregate.json.v1", "ionq.result.probabilities.json.v1"}) {
      if (r.contains(fmt_id) && r[fmt_id].is_object() && r[fmt_id].contains("id") &&
          r[fmt_id]["id"].is_string()) {
        info.probabilities_artifact = r[fmt_id]["id"].get<std::string>();
        break;
      }
    }
  }
  return info;
}

}  // namespace

job_info parse_job_info(const nlohmann::ordered_json& doc) {
  return parse_job(doc, "ionq::parse_job_info");
}

probability_map parse_probabilities(const nlohmann::json& doc) {
  if (!doc.is_object())
    throw data_error("ionq::parse_probabilities", "probabilities are not a JSON object");
  probability_map out;
  double total = 0;
  for (const auto& [key, value] : doc.items()) {
    basis_state s = 0;
    const auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), s);
    if (key.empty() || ec != std::errc() || p != key.data() + key.size())
      throw data_error("ionq::parse_probabilities", "key is not a decimal basis state",
                       "key '" + printable_prefix(key, 40) + "'");
    if (!value.is_number())
      throw data_error("ionq::parse_probabilities", "value is not a number",
                       "key " + printable_prefix(key, 40));
    const double v = value.get<double>();
    if (!std::isfinite(v) || v < 0)
      throw data_error("ionq::parse_probabilities", "value is negative or not finite",
                       "key " + printable_prefix(key, 40));
    out[basis_key(s)] = v;
    total += v;
  }
  if (out.empty()) throw data_error("ionq::parse_probabilities", "no probabilities");
  if (!(total > 0)) throw data_error("ionq::parse_probabilities", "probabilities sum to zero");
  if (std::abs(total - 1.0) > 1e-15)
    for (auto& [s, v] : out) v /= total;
  return out;
}

std::string server_error_message(std::string_view body) {
  const json j = json::parse(body, nullptr, false);
  if (!j.is_discarded() && j.is_object()) {
    if (j.contains("message") && j["message"].is_string() &&
        !j["message"].get_ref<const std::string&>().empty())
      return sanitize_text(j["message"].get_ref<const std::string&>());
    if (j.contains("error")) {
      const auto& e = j["error"];
      if (e.is_string()) return sanitize_text(e.get_ref<const std::string&>());
      if (e.is_object() && e.contains("message") && e["message"].is_string())
        return sanitize_text(e["message"].get_ref<const std::string&>());
    }
  }
  const auto b = body.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "No error details provided.";
  return sanitize_text(body.substr(b));
}

// ---- client ---------------------------------------------------------------------------------

struct client::call {
  std::string where;
  clock_type::time_point deadline;
  bool anonymous = false;  // IonQ needs no key for this endpoint (the backend list)
};

client::client(client_options opt, std::shared_ptr<http_transport> transport)
    : m_opt(std::move(opt)), m_transport(std::move(transport)), m_rng(m_opt.seed) {
  m_created = now();
  if (m_opt.max_response_bytes == 0)
    throw data_error("ionq::client", "max_response_bytes must be positive");
  const std::string& url = m_opt.base_url;
  const auto scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    throw data_error("ionq::client", "base URL must start with http:// or https://",
                     "'" + printable_prefix(url, 100) + "'");
  const auto path_start = url.find('/', scheme_end + 3);
  m_origin = url.substr(0, path_start);
  m_prefix = path_start == std::string::npos ? "" : url.substr(path_start);
  while (!m_prefix.empty() && m_prefix.back() == '/') m_prefix.pop_back();
  if (m_origin.size() <= scheme_end + 3)
    throw data_error("ionq::client", "base URL has no host",
                     "'" + printable_prefix(url, 100) + "'");
  if (!m_transport) m_transport = make_curl_transport();
}

clock_type::time_point client::now() const {
  return m_opt.clock.now ? m_opt.clock.now() : clock_type::now();
}

void client::log(const std::string& line) const {
  if (m_opt.log) m_opt.log(redact(line));
}

clock_type::time_point client::call_deadline() const {
  const auto own = now() + std::chrono::duration_cast<clock_type::duration>(m_opt.deadline);
  if (!m_opt.total_deadline) return own;
  return std::min(
      own, m_created + std::chrono::duration_cast<clock_type::duration>(*m_opt.total_deadline));
}

std::string client::checked_id(std::string_view where, std::string_view id) const {
  // A key inside an id would travel on in URLs, logs and the journal: refuse it unseen.
  if (!m_opt.api_key.empty() && id.find(m_opt.api_key) != std::string_view::npos)
    throw backend_error(where, "job id contains the API key", "refused; the id is not shown");
  if (!valid_id(id))
    throw backend_error(where, "invalid job id",
                        "'" + redact(sanitize_text(redact(std::string(id)), 64)) +
                            "' is empty, longer than 128 or has characters outside [A-Za-z0-9._-]");
  return std::string(id);
}

job_info client::cleaned(job_info info, std::string_view where) const {
  info.id = checked_id(where, info.id);
  for (auto& child : info.child_job_ids) child = checked_id(where, child);
  const auto text = [this](const std::string& t, std::size_t cap) {
    return redact(sanitize_text(redact(t), cap));
  };
  info.status_text = text(info.status_text, 40);
  if (info.failure) {
    info.failure->code = text(info.failure->code, 80);
    info.failure->message = text(info.failure->message, text_cap);
  }
  const std::size_t n = info.warnings.size();
  if (n > max_job_warnings) info.warnings.resize(max_job_warnings);
  for (auto& w : info.warnings) w = text(w, text_cap);
  if (n > max_job_warnings)
    info.warnings.push_back(std::to_string(n - max_job_warnings) + " more warnings not shown");
  for (auto& [k, v] : info.metadata) v = redact(v);
  return info;
}

std::string client::redact(std::string text) const {
  const std::string& key = m_opt.api_key;
  if (key.empty()) return text;
  for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos))
    text.replace(pos, key.size(), "[redacted]");
  return text;
}

clock_type::duration client::backoff(unsigned attempt) {
  const double base = m_opt.retry.base.count() * std::pow(2.0, static_cast<double>(attempt));
  const double capped = std::min(m_opt.retry.cap.count(), base);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double jitter = m_opt.retry.jitter.count() * u(m_rng);
  return std::chrono::duration_cast<clock_type::duration>(seconds_d(capped + jitter));
}

void client::pause(call& c, clock_type::duration d, std::string_view why) {
  const auto t = now();
  if (t + d > c.deadline) {
    const double left = std::chrono::duration<double>(c.deadline - t).count();
    throw timeout_error(c.where, "deadline passed",
                        fmt::format("{}; next wait {:.3g} s, {:.3g} s left", why,
                                    std::chrono::duration<double>(d).count(), std::max(0.0, left)));
  }
  if (m_opt.clock.sleep)
    m_opt.clock.sleep(d);
  else
    std::this_thread::sleep_for(d);
}

http_response client::exchange(call& c, http_method m, const std::string& url,
                               const std::string& body) {
  if (m_opt.api_key.empty() && !c.anonymous)
    throw backend_error(c.where, "no IonQ API key",
                        "set IONQ_API_KEY or give a key file; see docs/ionq.md");
  http_request req;
  req.method = m;
  req.url = url;
  req.body = body;
  req.connect_timeout = m_opt.connect_timeout;
  req.timeout = m_opt.request_timeout;
  // Never let one request outlive the call's deadline.
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(c.deadline - now());
  if (left.count() <= 0) throw timeout_error(c.where, "deadline passed", "before the request");
  req.timeout = std::min(req.timeout, left);
  req.max_body_bytes = m_opt.max_response_bytes;
  req.connect_timeout = std::min(req.connect_timeout, req.timeout);
  req.headers = {{"Accept", "application/json"}, {"User-Agent", m_opt.user_agent}};
  if (!m_opt.api_key.empty())
    req.headers.insert(req.headers.begin(), {"Authorization", "apiKey " + m_opt.api_key});
  if (m == http_method::post || m == http_method::put)
    req.headers.emplace_back("Content-Type", "application/json");
  ++m_counters.requests;
  return m_transport->send(req);
}

http_error client::status_error(const call& c, const std::string& what, const http_response& r,
                                unsigned retries) const {
  std::string ctx = what;
  if (auto id = r.header("x-request-id")) ctx += ", request id " + printable_prefix(*id, 80);
  if (retries > 0) ctx += fmt::format(", after {} retries", retries);
  // Redact before the message is cut, so no part of the key survives the cut, and after, as
  // escaping could complete a key the body held in pieces.
  return http_error(c.where, r.status, redact(server_error_message(redact(r.body))), ctx);
}

json client::request_json(call& c, http_method m, const std::string& path, const std::string& body,
                          bool is_create) {
  // `path` is relative to the base URL (or host-relative when it starts with the prefix).
  const std::string url = m_origin + path;
  const std::string what = std::string(http_method_name(m)) + " " + path;
  unsigned retries = 0;
  unsigned resubmits = 0;
  while (true) {
    http_response r = exchange(c, m, url, body);
    // Not retried: the same request would bring the same answer.
    if (r.failure == transport_failure::too_large || r.body.size() > m_opt.max_response_bytes)
      throw transport_error(c.where, "response too large",
                            fmt::format("{}: more than {} bytes (client_options::"
                                        "max_response_bytes)",
                                        what, m_opt.max_response_bytes));
    std::optional<double> retry_after;
    std::string problem;
    bool ambiguous = false;  // a POST that the server may have acted on
    bool http_failure = false;
    if (r.failure == transport_failure::none && is_2xx(r.status)) {
      json j = json::parse(r.body, nullptr, false);
      if (!j.is_discarded()) return j;
      problem =
          fmt::format("malformed JSON in the HTTP {} answer ({} bytes)", r.status, r.body.size());
      ambiguous = is_create;
    } else if (r.failure == transport_failure::none) {
      if (!retryable_status(r.status, m)) throw status_error(c, what, r, retries);
      http_failure = true;
      retry_after = parse_retry_after(r);
      problem = fmt::format("HTTP {}", r.status);
      ambiguous = is_create && r.status != 429;
    } else {
      problem = redact(r.error);
      ambiguous = is_create && r.failure != transport_failure::not_sent;
    }
    if (ambiguous) {
      // The job may exist although we have no id for it: look before paying twice (and before
      // giving up, so the caller gets the id when there is one).
      const json payload = json::parse(body, nullptr, false);
      std::string tag;
      if (!payload.is_discarded() && payload.contains("metadata") &&
          payload["metadata"].is_object() && payload["metadata"].contains("papillon_tag") &&
          payload["metadata"]["papillon_tag"].is_string())
        tag = payload["metadata"]["papillon_tag"].get<std::string>();
      if (!tag.empty()) {
        log(fmt::format("ionq: {}: {}; looking for the job by its tag", what, problem));
        if (auto found = find_job_by_tag(tag)) {
          json out;
          out["id"] = found->id;
          out["status"] = found->status_text;
          return out;
        }
      }
    }
    if (retries >= m_opt.retry.max_retries) {
      if (http_failure) throw status_error(c, what, r, retries);
      if (r.failure != transport_failure::none)
        throw transport_error(c.where, "request failed",
                              fmt::format("{}; after {} retries", problem, retries));
      throw backend_error(c.where, problem, fmt::format("{}; after {} retries", what, retries));
    }
    if (ambiguous) {
      if (resubmits >= m_opt.retry.max_post_resubmits)
        throw backend_error(c.where, "job submission failed and was not resubmitted again",
                            fmt::format("{}: {}; {} resubmissions", what, problem, resubmits));
      ++resubmits;
    }
    const auto delay = retry_after ? std::chrono::duration_cast<clock_type::duration>(
                                         seconds_d(std::min(*retry_after, m_opt.retry.cap.count())))
                                   : backoff(retries);
    ++retries;
    ++m_counters.retries;
    log(fmt::format("ionq: {}: {}; retry {}/{} in {:.3g} s", what, problem, retries,
                    m_opt.retry.max_retries, std::chrono::duration<double>(delay).count()));
    pause(c, delay, what + ": " + problem);
  }
}

std::string client::create_job(const nlohmann::ordered_json& payload, std::string_view tag) {
  call c{"ionq::client::create_job", call_deadline()};
  json body = payload;
  if (!tag.empty()) {
    if (!body.contains("metadata") || !body["metadata"].is_object())
      body["metadata"] = json::object();
    // The ambiguity resolution in request_json reads this key back from the body.
    body["metadata"]["papillon_tag"] = std::string(tag);
  }
  const json j = request_json(c, http_method::post, m_prefix + "/jobs", body.dump(), true);
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string())
    throw backend_error(c.where, "answer has no job id", "POST /jobs");
  return checked_id(c.where, j["id"].get<std::string>());
}

job_info client::get_job(std::string_view id) {
  call c{"ionq::client::get_job", call_deadline()};
  const std::string path = m_prefix + "/jobs/" + checked_id(c.where, id);
  return cleaned(parse_job(request_json(c, http_method::get, path, {}), c.where), c.where);
}

job_info client::wait(std::string_view id) {
  call c{"ionq::client::wait", call_deadline()};
  const std::string path = m_prefix + "/jobs/" + checked_id(c.where, id);
  double delay = m_opt.poll.initial.count();
  std::uniform_real_distribution<double> u(1.0 - m_opt.poll.jitter, 1.0 + m_opt.poll.jitter);
  while (true) {
    ++m_counters.polls;
    job_info info =
        cleaned(parse_job(request_json(c, http_method::get, path, {}), c.where), c.where);
    if (is_terminal(info.status)) return info;
    const double d = std::max(0.0, delay * u(m_rng));
    log(fmt::format("ionq: job {} is {}; next poll in {:.3g} s", info.id, info.status_text, d));
    pause(c, std::chrono::duration_cast<clock_type::duration>(seconds_d(d)),
          "job " + info.id + " still " + info.status_text);
    delay = std::min(m_opt.poll.max.count(), delay * m_opt.poll.factor);
  }
}

std::string client::resolve_result_url(const std::string& url) const {
  // Result URLs are host-relative and already carry the version (docs/ionq-api.md 2.3). An absolute
  // URL, or a protocol-relative one, could send the key to another host: refuse both.
  if (url.size() < 2 || url[0] != '/' || url[1] == '/') return {};
  return url;
}

std::string client::results_query(std::string_view aggregation) const {
  if (aggregation.empty()) return {};
  if (aggregation != "average" && aggregation != "voting")
    throw data_error("ionq::client", "aggregation must be average or voting",
                     "'" + printable_prefix(aggregation, 40) + "'");
  return "?aggregation=" + std::string(aggregation);
}

probability_map client::probabilities(const job_info& job, std::string_view aggregation) {
  call c{"ionq::client::probabilities", call_deadline()};
  const std::string id = checked_id(c.where, job.id);
  if (job.status != job_status::completed)
    throw remote_job_error(c.where, "job is not completed", "job " + id + " is " + job.status_text);
  std::string path = resolve_result_url(job.probabilities_url);
  if (path.empty() && !job.probabilities_artifact.empty())
    path =
        m_prefix + "/jobs/" + id + "/artifacts/" + checked_id(c.where, job.probabilities_artifact);
  if (path.empty()) path = m_prefix + "/jobs/" + id + "/results/probabilities";
  const json j = request_json(c, http_method::get, path + results_query(aggregation), {});
  try {
    return parse_probabilities(j);
  } catch (const data_error& e) {
    throw backend_error(c.where, "malformed probabilities", "job " + id + ": " + redact(e.what()));
  }
}

std::vector<probability_map> client::aggregated_probabilities(const job_info& parent,
                                                              std::string_view aggregation) {
  call c{"ionq::client::aggregated_probabilities", call_deadline()};
  const std::string id = checked_id(c.where, parent.id);
  if (parent.status != job_status::completed)
    throw remote_job_error(c.where, "job is not completed",
                           "job " + id + " is " + parent.status_text);
  std::string path = resolve_result_url(parent.probabilities_url);
  if (path.empty() && !parent.probabilities_artifact.empty())
    path = m_prefix + "/jobs/" + id + "/artifacts/" +
           checked_id(c.where, parent.probabilities_artifact);
  if (path.empty()) path = m_prefix + "/jobs/" + id + "/results/probabilities/aggregated";
  const json j = request_json(c, http_method::get, path + results_query(aggregation), {});
  if (!j.is_object()) throw backend_error(c.where, "aggregated results are not an object", path);
  std::vector<probability_map> out;
  try {
    if (!parent.child_job_ids.empty()) {
      // nlohmann objects are ordered by key; the input order is that of child_job_ids.
      for (const auto& child : parent.child_job_ids) {
        if (!j.contains(child))
          throw remote_job_error(c.where, "results lack a child job",
                                 "job " + id + ", child " + printable_prefix(child, 64));
        out.push_back(parse_probabilities(j[child]));
      }
    } else {
      for (const auto& [k, v] : j.items()) out.push_back(parse_probabilities(v));
    }
  } catch (const data_error& e) {
    throw backend_error(c.where, "malformed probabilities", "job " + id + ": " + redact(e.what()));
  }
  return out;
}

job_status client::cancel(std::string_view id) {
  call c{"ionq::client::cancel", call_deadline()};
  const std::string path = m_prefix + "/jobs/" + checked_id(c.where, id) + "/status/cancel";
  const json j = request_json(c, http_method::put, path, {});
  if (j.is_object() && j.contains("status") && j["status"].is_string())
    return parse_job_status(j["status"].get<std::string>());
  return job_status::canceled;
}

std::vector<backend_description> client::backends() {
  call c{"ionq::client::backends", call_deadline(), true};
  json j = request_json(c, http_method::get, m_prefix + "/backends", {});
  if (j.is_object() && j.contains("backends")) j = j["backends"];
  if (!j.is_array()) throw backend_error(c.where, "backend list is not an array", "GET /backends");
  std::vector<backend_description> out;
  const auto strings = [](const json& o, const char* key) {
    std::vector<std::string> v;
    if (o.contains(key) && o[key].is_array())
      for (const auto& s : o[key])
        if (s.is_string()) v.push_back(s.get<std::string>());
    return v;
  };
  for (const auto& b : j) {
    if (!b.is_object() || !b.contains("backend") || !b["backend"].is_string()) continue;
    backend_description d;
    d.name = b["backend"].get<std::string>();
    if (b.contains("status")) d.status = string_or_dump(b["status"]);
    if (b.contains("qubits") && b["qubits"].is_number_unsigned())
      d.qubits = b["qubits"].get<index_t>();
    if (b.contains("degraded") && b["degraded"].is_boolean())
      d.degraded = b["degraded"].get<bool>();
    d.noise_models = strings(b, "noise_models");
    d.native_gates = strings(b, "supported_native_gates");
    d.error_mitigations = strings(b, "supported_error_mitigations");
    if (b.contains("characterization_id") && b["characterization_id"].is_string() &&
        valid_id(b["characterization_id"].get<std::string>()))
      d.characterization_id = b["characterization_id"].get<std::string>();
    d.status = redact(sanitize_text(redact(d.status), 40));
    out.push_back(std::move(d));
  }
  return out;
}

cost_estimate client::estimate(const estimate_query& q) {
  call c{"ionq::client::estimate", call_deadline()};
  if (q.backend.empty() || !valid_id(q.backend))
    throw data_error(c.where, "invalid backend name", "'" + printable_prefix(q.backend, 64) + "'");
  const json j = request_json(c, http_method::get, m_prefix + "/jobs/estimate?" + q.to_query(), {});
  return parse_cost_estimate(j);
}

job_cost client::cost(std::string_view id) {
  call c{"ionq::client::cost", call_deadline()};
  const std::string path = m_prefix + "/jobs/" + checked_id(c.where, id) + "/cost";
  return parse_job_cost(request_json(c, http_method::get, path, {}));
}

std::optional<characterization> client::current_characterization(
    std::string_view backend, std::string_view characterization_id) {
  call c{"ionq::client::current_characterization", call_deadline(), true};
  const std::string base =
      m_prefix + "/backends/" + checked_id(c.where, backend) + "/characterizations";
  json j;
  try {
    if (!characterization_id.empty())
      return parse_characterization(request_json(
          c, http_method::get, base + "/" + checked_id(c.where, characterization_id), {}));
    j = request_json(c, http_method::get, base + "?limit=1", {});
  } catch (const http_error& e) {
    if (e.status() == 404) return std::nullopt;
    throw;
  }
  if (j.is_object() && j.contains("characterizations")) j = j["characterizations"];
  if (!j.is_array() || j.empty()) return std::nullopt;
  return parse_characterization(j[0]);
}

std::optional<job_info> client::find_job_by_tag(std::string_view tag, std::size_t max_jobs) {
  call c{"ionq::client::find_job_by_tag", call_deadline()};
  std::string cursor;
  std::size_t seen = 0;
  while (seen < max_jobs) {
    std::string path =
        m_prefix + "/jobs?limit=" + std::to_string(std::min<std::size_t>(100, max_jobs - seen));
    if (!cursor.empty()) path += "&next=" + cursor;
    const json j = request_json(c, http_method::get, path, {});
    if (!j.is_object() || !j.contains("jobs") || !j["jobs"].is_array()) return std::nullopt;
    if (j["jobs"].empty()) return std::nullopt;
    for (const auto& job : j["jobs"]) {
      ++seen;
      if (!job.is_object() || !job.contains("metadata") || !job["metadata"].is_object()) continue;
      const auto& md = job["metadata"];
      if (md.contains("papillon_tag") && md["papillon_tag"].is_string() &&
          md["papillon_tag"].get<std::string>() == tag)
        return cleaned(parse_job(job, c.where), c.where);
    }
    if (!j.contains("next") || !j["next"].is_string()) return std::nullopt;
    cursor = j["next"].get<std::string>();
    if (!valid_id(cursor)) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace papillon::ionq
