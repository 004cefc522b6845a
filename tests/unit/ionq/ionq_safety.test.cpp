// Hostile IonQ answers: job ids carrying the key, huge or binary texts, oversized bodies, jobs
// that never end, and the budget guard of dry runs (scripted transport and the loopback fake).

#include <papillon/ionq/ionq_backend.hpp>
#include <papillon/ionq/ionq_client.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/fake_ionq_server.hpp"
#include "support/ionq_test_support.hpp"

using namespace papillon;
using papillon::test::contains_substring;
using papillon::test::fake_fault;
using papillon::test::make_response;
using papillon::test::scripted_transport;
using papillon::test::virtual_clock;

namespace {

constexpr const char* key = "sk-SECRET-scripted-key";

ionq::client_options scripted_options(const virtual_clock& clock) {
  ionq::client_options o;
  o.base_url = "https://api.example.invalid/v0.4";
  o.api_key = key;
  o.clock = clock.hooks();
  o.retry.jitter = ionq::seconds_d(0);
  o.poll.jitter = 0;
  return o;
}

template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no exception";
}

bool has_control(const std::string& s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

TEST_CASE("ionq safety: the key never leaves through a job id", "[ionq][safety]") {
  virtual_clock clock;
  auto tr = std::make_shared<scripted_transport>();
  std::vector<std::string> logged;
  auto o = scripted_options(clock);
  o.log = [&](std::string_view l) { logged.emplace_back(l); };
  const nlohmann::ordered_json payload = {{"type", "ionq.circuit.v1"}};
  SECTION("an invalid id is quoted escaped, or refused unseen when it holds the key") {
    tr->script = {make_response(201, R"({"id":"../\u001b[2J"})")};
    ionq::client c(o, tr);
    std::string m = message_of([&] { c.create_job(payload); });
    CHECK_THAT(m, contains_substring("invalid job id") && contains_substring("'../\\x1b[2J'"));
    tr->script = {make_response(201, std::string(R"({"id":"../)") + key + R"("})")};
    m = message_of([&] { c.create_job(payload); });
    CHECK_THAT(m, contains_substring("job id contains the API key"));
    CHECK(m.find(key) == std::string::npos);
  }
  SECTION("a valid id holding the key is refused unseen") {
    tr->script = {make_response(201, std::string(R"({"id":"job-)") + key + R"("})")};
    ionq::client c(o, tr);
    const std::string m = message_of([&] { c.create_job(payload); });
    CHECK_THAT(m, contains_substring("job id contains the API key"));
    CHECK(m.find(key) == std::string::npos);
  }
  SECTION("an answer to a poll naming another id with the key is refused before logging") {
    tr->script = {
        make_response(200, std::string(R"({"id":"j-)") + key + R"(","status":"started"})")};
    ionq::client c(o, tr);
    const std::string m = message_of([&] { c.wait("j"); });
    CHECK_THAT(m, contains_substring("contains the API key"));
    for (const auto& l : logged) CHECK(l.find(key) == std::string::npos);
    CHECK(logged.empty());
  }
  SECTION("child ids are checked too") {
    tr->script = {make_response(
        200,
        std::string(R"({"id":"p","status":"completed","child_job_ids":["a",")") + key + R"("]})")};
    ionq::client c(o, tr);
    CHECK(message_of([&] { c.get_job("p"); }).find(key) == std::string::npos);
    CHECK_THROWS_AS(c.get_job("p"), backend_error);
  }
}

TEST_CASE("ionq safety: server texts are scrubbed, escaped and bounded", "[ionq][safety]") {
  virtual_clock clock;
  auto tr = std::make_shared<scripted_transport>();
  const std::string huge(100'000, 'w');
  SECTION("warning messages, failure and status text") {
    nlohmann::json doc = {{"id", "j"}, {"status", "failed\x1b[2J" + huge}};
    doc["failure"] = {{"code", "E\n" + huge}, {"message", std::string(key) + "\r\x07" + huge}};
    nlohmann::json warnings = nlohmann::json::array();
    for (int i = 0; i < 150; ++i) warnings.push_back("careful\x1b]0;title\x07" + huge);
    doc["warning"]["messages"] = warnings;
    tr->script = {make_response(200, doc.dump())};
    ionq::client c(scripted_options(clock), tr);
    const auto j = c.get_job("j");
    CHECK(j.status == ionq::job_status::running);  // unknown status: still running
    CHECK(j.status_text.size() < 100);
    CHECK_FALSE(has_control(j.status_text));
    REQUIRE(j.failure);
    CHECK(j.failure->code.size() < 150);
    CHECK(j.failure->message.size() < 300);
    CHECK(j.failure->message.find(key) == std::string::npos);
    CHECK_FALSE(has_control(j.failure->message));
    REQUIRE(j.warnings.size() == ionq::max_job_warnings + 1);
    CHECK(j.warnings.back() == "130 more warnings not shown");
    for (const auto& w : j.warnings) {
      CHECK(w.size() < 300);
      CHECK_FALSE(has_control(w));
    }
    CHECK_THAT(j.warnings.front(), contains_substring("careful\\x1b]0;title\\x07www"));
  }
  SECTION("an error body") {
    tr->script = {make_response(400, nlohmann::json{{"message", huge + key + "\n"}}.dump())};
    ionq::client c(scripted_options(clock), tr);
    const std::string m = message_of([&] { c.get_job("j"); });
    CHECK_THAT(m, contains_substring("HTTP 400"));
    CHECK(m.size() < 400);
    CHECK(m.find(key) == std::string::npos);
    tr->script = {make_response(400, huge + std::string(key))};
    CHECK(message_of([&] { c.get_job("j"); }).size() < 400);
    // Escaping must not complete a key: the byte 0x7f before "SECRET-7" is written "\x7f",
    // which ends in the key "fSECRET-7".
    auto o = scripted_options(clock);
    o.api_key = "fSECRET-7";
    ionq::client f(o, tr);
    tr->script = {make_response(400, "say \x7fSECRET-7")};
    const std::string m2 = message_of([&] { f.get_job("j"); });
    CHECK_THAT(m2, contains_substring("HTTP 400"));
    CHECK(m2.find("fSECRET-7") == std::string::npos);
  }
}

TEST_CASE("ionq safety: a response above the cap is refused, not cut", "[ionq][safety]") {
  virtual_clock clock;
  SECTION("scripted: the client checks the size itself and does not retry") {
    auto tr = std::make_shared<scripted_transport>();
    tr->script = {make_response(
        200, R"({"id":"j","status":"started","pad":")" + std::string(5000, 'x') + "\"}")};
    auto o = scripted_options(clock);
    o.max_response_bytes = 1000;
    ionq::client c(o, tr);
    CHECK_THROWS_AS(c.get_job("j"), transport_error);
    CHECK_THAT(message_of([&] { c.get_job("j"); }),
               contains_substring("response too large") && contains_substring("1000 bytes"));
    CHECK(tr->seen.size() == 2);  // one request per call
    CHECK(tr->seen[0].max_body_bytes == 1000);
  }
  SECTION("libcurl stops reading at the cap") {
    test::fake_ionq_server srv;
    srv.inject(fake_fault::rewriting("GET", "/backends", [](const std::string&) {
      return "[" + std::string(3'000'000, ' ') + "]";
    }));
    auto o = test::fake_client_options(srv, clock);
    o.max_response_bytes = 1'000'000;
    ionq::client c(o);
    CHECK_THAT(message_of([&] { c.backends(); }), contains_substring("response too large"));
    CHECK(srv.count("GET", "/v0.4/backends") == 1);
    // Under the cap the same client reads on.
    CHECK_FALSE(c.backends().empty());
    auto direct = make_curl_transport();
    http_request r;
    r.url = srv.base_url() + "/backends";
    r.max_body_bytes = 10;
    CHECK(direct->send(r).failure == transport_failure::too_large);
    r.max_body_bytes = default_max_body_bytes;
    const auto ok = direct->send(r);
    CHECK(ok.failure == transport_failure::none);
    CHECK(ok.status == 200);
  }
}

TEST_CASE("ionq safety: the total deadline bounds every wait together", "[ionq][safety]") {
  virtual_clock clock;
  auto tr = std::make_shared<scripted_transport>();
  tr->script = {make_response(200, R"({"id":"j","status":"started"})")};
  auto o = scripted_options(clock);
  o.total_deadline = ionq::seconds_d(100);
  ionq::client c(o, tr);
  CHECK_THAT(message_of([&] { c.wait("j"); }),
             contains_substring("ionq::client::wait: deadline passed"));
  const auto slept = [&] {
    double sum = 0;
    for (const double s : clock.sleeps()) sum += s;
    return sum;
  };
  CHECK(slept() <= 100.0);
  CHECK(slept() > 50.0);
  // Later calls share the same budget: the next wait gets only what is left.
  CHECK_THROWS_AS(c.wait("j"), timeout_error);
  CHECK(slept() <= 100.0);
  // Once it is spent, no request is sent at all.
  clock.hooks().sleep(std::chrono::seconds(100));
  const auto requests = c.stats().requests;
  CHECK_THROWS_AS(c.get_job("j"), timeout_error);
  CHECK(c.stats().requests == requests);
}

TEST_CASE("ionq safety: a job id with the key stays out of the journal and the log",
          "[ionq][safety]") {
  test::fake_ionq_server srv;
  test::temp_dir dir;
  virtual_clock clock;
  const std::string k = srv.api_key();
  srv.inject(fake_fault::rewriting("POST", "/jobs", [&](const std::string& body) {
    auto j = nlohmann::json::parse(body);
    j["id"] = "job-" + k;
    return j.dump();
  }));
  std::vector<std::string> logged;
  ionq::ionq_backend_options bo;
  bo.journal = dir.path / "journal.jsonl";
  bo.log = [&](std::string_view l) { logged.emplace_back(l); };
  auto co = test::fake_client_options(srv, clock);
  co.log = bo.log;
  ionq::ionq_backend b(bo, co);
  circuit c(2);
  c.h(0).cnot(0, 1);
  const std::string m = message_of([&] { b.run(c, {}, run_options{100, 1}); });
  CHECK_THAT(m, contains_substring("job id contains the API key"));
  CHECK(m.find(k) == std::string::npos);
  for (const auto& l : logged) CHECK(l.find(k) == std::string::npos);
  std::ifstream in(bo.journal);
  const std::string journal{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  CHECK(journal.find(k) == std::string::npos);
}

TEST_CASE("ionq safety: a dry run applies the budget guard", "[ionq][safety]") {
  ionq::ionq_backend_options bo;
  bo.dry_run = true;
  bo.budget.max_shots = 1000;
  ionq::ionq_backend b(bo, ionq::client_options{});
  circuit c(2);
  c.h(0);
  CHECK_NOTHROW(b.run(c, {}, run_options{1000, 1}));
  CHECK_THAT(message_of([&] {
               b.run(c, {}, run_options{1001, 1});
             }),
             contains_substring("exceed the budget"));
  const run_task t{&c, {}};
  const auto plan = b.plan(std::span<const run_task>(&t, 1), run_options{5000, 1});
  CHECK_THROWS_AS(b.check_budget(plan.total_shots, plan.total_circuits), backend_error);
  // Sums that would wrap around 2^64 are refused, not let through.
  CHECK_THROWS_AS(b.check_budget(~std::uint64_t{0}, 1), backend_error);
  CHECK(b.spent() == ionq::budget_usage{});
}
