// libFuzzer target: IonQ response handling without a network. The first byte picks a client call
// (get_job, wait, probabilities, aggregated probabilities, create_job, find_job_by_tag,
// backends) or a parser (parse_job_info, parse_probabilities, server_error_message); the second
// the HTTP status of the answer; the rest is the answer's body, served by an in-memory transport
// on a virtual clock. Messages and log lines must be bounded, printable and free of the key.

#include <papillon/error.hpp>
#include <papillon/ionq/http_transport.hpp>
#include <papillon/ionq/ionq_client.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"

namespace {

constexpr std::string_view key = "fuzz-Secret-Key-0123456789";

void check(std::string_view m) {
  papillon::fuzz::check_message(m);
  if (m.find(key) != std::string_view::npos) std::abort();
}

// Serves the same answer to every request.
class fixed_transport final : public papillon::http_transport {
 public:
  fixed_transport(int status, std::string body) : m_status(status), m_body(std::move(body)) {}
  papillon::http_response send(const papillon::http_request& r) override {
    papillon::http_response res;
    if (m_body.size() > r.max_body_bytes) {
      res.failure = papillon::transport_failure::too_large;
      res.error = "response too large";
      return res;
    }
    res.status = m_status;
    res.body = m_body;
    return res;
  }

 private:
  int m_status;
  std::string m_body;
};

void check_job(const papillon::ionq::job_info& j) {
  check(j.status_text);
  if (j.failure) {
    check(j.failure->code);
    check(j.failure->message);
  }
  if (j.warnings.size() > papillon::ionq::max_job_warnings + 1) std::abort();
  for (const auto& w : j.warnings) check(w);
  for (const auto& c : j.child_job_ids) check(c);
  check(j.id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  constexpr std::array<int, 8> statuses{200, 201, 400, 401, 404, 409, 429, 503};
  const unsigned op = data[0] % 10;
  const int status = statuses[data[1] % statuses.size()];
  const std::string body(reinterpret_cast<const char*>(data + 2), size - 2);
  namespace ionq = papillon::ionq;

  if (op >= 7) {
    // The parsers know no key (the client redacts before it calls them): only the shape of
    // their messages is checked here.
    const auto check = [](std::string_view m) { papillon::fuzz::check_message(m); };
    try {
      if (op == 7) {
        const auto doc = nlohmann::ordered_json::parse(body, nullptr, false);
        if (!doc.is_discarded()) static_cast<void>(ionq::parse_job_info(doc));
      } else if (op == 8) {
        const auto doc = nlohmann::json::parse(body, nullptr, false);
        if (!doc.is_discarded()) {
          const auto p = ionq::parse_probabilities(doc);
          double sum = 0;
          for (const auto& [k, v] : p) sum += v;
          if (!(sum > 0.999 && sum < 1.001)) std::abort();
        }
      } else {
        check(ionq::server_error_message(body));
      }
    } catch (const papillon::error& e) {
      check(e.what());
    }
    return 0;
  }

  auto now = std::make_shared<std::chrono::steady_clock::time_point>();
  ionq::client_options o;
  o.base_url = "https://api.example.invalid/v0.4";
  o.api_key = std::string(key);
  o.clock.now = [now] { return *now; };
  o.clock.sleep = [now](std::chrono::steady_clock::duration d) { *now += d; };
  o.deadline = ionq::seconds_d(120);
  o.max_response_bytes = 1 << 16;
  o.log = [](std::string_view line) { check(line); };
  ionq::client c(o, std::make_shared<fixed_transport>(status, body));
  ionq::job_info done;
  done.id = "job-1";
  done.status = ionq::job_status::completed;
  done.status_text = "completed";
  if (data[1] & 0x80) done.child_job_ids = {"c-1", "c-2"};
  try {
    switch (op) {
      case 0:
        check_job(c.get_job("job-1"));
        break;
      case 1:
        check_job(c.wait("job-1"));
        break;
      case 2:
        static_cast<void>(c.probabilities(done));
        break;
      case 3:
        static_cast<void>(c.aggregated_probabilities(done));
        break;
      case 4:
        check(c.create_job(nlohmann::ordered_json{{"type", "ionq.circuit.v1"}}, "tag-1"));
        break;
      case 5:
        if (const auto j = c.find_job_by_tag("tag-1", 300)) check_job(*j);
        break;
      default:
        for (const auto& b : c.backends()) static_cast<void>(b);
        break;
    }
  } catch (const papillon::error& e) {
    check(e.what());
  }
  return 0;
}
