#pragma once

/// @file
/// Helpers of the IonQ tests: a virtual clock (sleeps only advance time, so backoff and polling
/// cost nothing), a recording transport wrapper, and client options aimed at the loopback fake.

#include <papillon/ionq/http_transport.hpp>
#include <papillon/ionq/ionq_client.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/fake_ionq_server.hpp"

namespace papillon::test {

/// Time that moves only when the client sleeps (plus real time, which stays small).
struct virtual_clock {
  struct state {
    std::atomic<std::int64_t> offset_ns{0};
    std::mutex mutex;
    std::vector<double> sleeps;  // seconds, in order
  };
  std::shared_ptr<state> s = std::make_shared<state>();

  [[nodiscard]] ionq::clock_hooks hooks() const {
    ionq::clock_hooks h;
    auto st = s;
    h.now = [st] {
      return std::chrono::steady_clock::now() + std::chrono::nanoseconds(st->offset_ns.load());
    };
    h.sleep = [st](std::chrono::steady_clock::duration d) {
      st->offset_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
      std::lock_guard<std::mutex> lock(st->mutex);
      st->sleeps.push_back(std::chrono::duration<double>(d).count());
    };
    return h;
  }
  [[nodiscard]] std::vector<double> sleeps() const {
    std::lock_guard<std::mutex> lock(s->mutex);
    return s->sleeps;
  }
};

/// Client options for the fake: its URL and key, a virtual clock, short real timeouts.
inline ionq::client_options fake_client_options(const fake_ionq_server& srv,
                                                const virtual_clock& clock) {
  ionq::client_options o;
  o.base_url = srv.base_url();
  o.api_key = srv.api_key();
  o.clock = clock.hooks();
  o.connect_timeout = std::chrono::milliseconds(2000);
  o.request_timeout = std::chrono::milliseconds(3000);
  o.deadline = ionq::seconds_d(600);
  return o;
}

/// Wraps a transport and keeps every request and response (for checks on exact bytes).
class recording_transport final : public http_transport {
 public:
  explicit recording_transport(std::shared_ptr<http_transport> inner) : m_inner(std::move(inner)) {}
  http_response send(const http_request& r) override {
    http_response res = m_inner->send(r);
    std::lock_guard<std::mutex> lock(m_mutex);
    m_log.emplace_back(r, res);
    return res;
  }
  [[nodiscard]] std::vector<std::pair<http_request, http_response>> log() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_log;
  }

 private:
  std::shared_ptr<http_transport> m_inner;
  mutable std::mutex m_mutex;
  std::vector<std::pair<http_request, http_response>> m_log;
};

/// Replays scripted responses and records requests; no network at all.
class scripted_transport final : public http_transport {
 public:
  std::vector<http_response> script;  // consumed front to back; the last one repeats
  std::vector<http_request> seen;
  http_response send(const http_request& r) override {
    seen.push_back(r);
    if (script.empty()) return http_response{599, {}, "{}", transport_failure::none, {}};
    http_response res = script.front();
    if (script.size() > 1) script.erase(script.begin());
    return res;
  }
};

/// A response with a status and a body.
inline http_response make_response(int status, std::string body, http_headers headers = {}) {
  http_response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

/// A fresh temporary directory, removed on destruction.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "papillon-ionq-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

}  // namespace papillon::test
