// The IonQ REST client: request shapes, parsing, retries, backoff, deadlines (scripted transport
// and the loopback fake; no other network).

#include <papillon/ionq/ionq_client.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "support/catch.hpp"
#include "support/fake_ionq_server.hpp"
#include "support/ionq_test_support.hpp"

using namespace papillon;
using papillon::test::contains_substring;
using papillon::test::make_response;
using papillon::test::scripted_transport;
using papillon::test::virtual_clock;

namespace {

ionq::client_options scripted_options(const virtual_clock& clock) {
  ionq::client_options o;
  o.base_url = "https://api.example.invalid/v0.4";
  o.api_key = "sk-SECRET-scripted-key";
  o.clock = clock.hooks();
  o.retry.jitter = ionq::seconds_d(0);
  return o;
}

}  // namespace

TEST_CASE("ionq client: status strings", "[ionq][client]") {
  CHECK(ionq::parse_job_status("submitted") == ionq::job_status::submitted);
  CHECK(ionq::parse_job_status("ready") == ionq::job_status::ready);
  CHECK(ionq::parse_job_status("started") == ionq::job_status::running);
  CHECK(ionq::parse_job_status("running") == ionq::job_status::running);
  CHECK(ionq::parse_job_status("something-new") == ionq::job_status::running);
  CHECK(ionq::parse_job_status("completed") == ionq::job_status::completed);
  CHECK(ionq::parse_job_status("failed") == ionq::job_status::failed);
  CHECK(ionq::parse_job_status("canceled") == ionq::job_status::canceled);
  CHECK(ionq::is_terminal(ionq::job_status::canceled));
  CHECK_FALSE(ionq::is_terminal(ionq::job_status::ready));
}

TEST_CASE("ionq client: probabilities parsing", "[ionq][client]") {
  SECTION("little-endian decimal keys are used as basis states") {
    const auto p = ionq::parse_probabilities(nlohmann::json::parse(R"({"5":0.5,"7":0.5})"));
    REQUIRE(p.size() == 2);
    CHECK(p.at(5) == 0.5);  // 5 = 0b101: qubits 0 and 2 set
    CHECK(p.at(7) == 0.5);
  }
  SECTION("integer values and sums slightly off 1 are accepted and renormalised") {
    const auto a = ionq::parse_probabilities(nlohmann::json::parse(R"({"2":1})"));
    CHECK(a.at(2) == 1.0);
    const auto b = ionq::parse_probabilities(nlohmann::json::parse(R"({"0":0.5,"3":0.4999999})"));
    CHECK_THAT(b.at(0) + b.at(3), Catch::Matchers::WithinAbs(1.0, 1e-15));
  }
  SECTION("bad keys and values are refused") {
    CHECK_THROWS_AS(ionq::parse_probabilities(nlohmann::json::parse(R"({"x1":1})")), data_error);
    CHECK_THROWS_AS(ionq::parse_probabilities(nlohmann::json::parse(R"({"1":-0.1,"0":1})")),
                    data_error);
    CHECK_THROWS_AS(ionq::parse_probabilities(nlohmann::json::parse(R"({"1":"0.5"})")), data_error);
    CHECK_THROWS_AS(ionq::parse_probabilities(nlohmann::json::parse("[]")), data_error);
  }
}

TEST_CASE("ionq client: server error messages", "[ionq][client]") {
  CHECK(ionq::server_error_message(
            R"({"error":"Bad Request","message":"\"shots\" was invalid.","statusCode":400})") ==
        "\"shots\" was invalid.");
  CHECK(ionq::server_error_message(R"({"code":401,"message":"Not authorized"})") ==
        "Not authorized");
  CHECK(ionq::server_error_message(R"({"error":{"type":"x","message":"legacy shape"}})") ==
        "legacy shape");
  CHECK(ionq::server_error_message(R"({"error":"Forbidden"})") == "Forbidden");
  CHECK(ionq::server_error_message("<html>502 Bad Gateway</html>") ==
        "<html>502 Bad Gateway</html>");
  CHECK(ionq::server_error_message("") == "No error details provided.");
}

TEST_CASE("ionq client: exact request shape of POST /jobs", "[ionq][client]") {
  virtual_clock clock;
  auto tr = std::make_shared<scripted_transport>();
  tr->script = {make_response(201, R"({"id":"0198097d-3888-72ad-a9dd-9ace842cf182",)"
                                   R"("status":"submitted","session_id":null})")};
  ionq::client c(scripted_options(clock), tr);
  nlohmann::ordered_json payload = nlohmann::ordered_json::parse(
      R"({"type":"ionq.circuit.v1","backend":"simulator","shots":100,)"
      R"("input":{"qubits":1,"gateset":"qis","circuit":[{"gate":"h","target":0}]}})");
  const std::string id = c.create_job(payload, "tag123");
  CHECK(id == "0198097d-3888-72ad-a9dd-9ace842cf182");
  REQUIRE(tr->seen.size() == 1);
  const http_request& r = tr->seen[0];
  CHECK(r.method == http_method::post);
  CHECK(r.url == "https://api.example.invalid/v0.4/jobs");
  http_response headers_view;
  headers_view.headers = r.headers;
  CHECK(headers_view.header("Authorization") ==
        std::optional<std::string>("apiKey sk-SECRET-scripted-key"));
  CHECK(headers_view.header("content-type") == std::optional<std::string>("application/json"));
  CHECK(r.body == R"({"type":"ionq.circuit.v1","backend":"simulator","shots":100,)"
                  R"("input":{"qubits":1,"gateset":"qis","circuit":[{"gate":"h","target":0}]},)"
                  R"("metadata":{"papillon_tag":"tag123"}})");
}

TEST_CASE("ionq client: GET /jobs/{id} parsing, classic and v0.3 shapes", "[ionq][client]") {
  virtual_clock clock;
  auto tr = std::make_shared<scripted_transport>();
  tr->script = {make_response(200, R"({
    "id":"e1a09d90-b2ba-4ea5-9fd7-4bfc14eac524","status":"failed","type":"ionq.multi-circuit.v1",
    "children":["a-1","a-2"],"metadata":{"epoch":"3"},"shots":"1234",
    "failure":{"error":"example error","code":"ExampleError"},
    "warning":{"messages":["be careful"]},
    "results":{"probabilities":{"url":"/v0.4/jobs/e1a/results/probabilities/aggregated"}}})")};
  ionq::client c(scripted_options(clock), tr);
  const auto j = c.get_job("e1a09d90-b2ba-4ea5-9fd7-4bfc14eac524");
  CHECK(tr->seen.at(0).url ==
        "https://api.example.invalid/v0.4/jobs/e1a09d90-b2ba-4ea5-9fd7-4bfc14eac524");
  CHECK(j.status == ionq::job_status::failed);
  CHECK(j.child_job_ids == std::vector<std::string>{"a-1", "a-2"});
  REQUIRE(j.failure);
  CHECK(j.failure->code == "ExampleError");
  CHECK(j.failure->message == "example error");
  CHECK(j.warnings == std::vector<std::string>{"be careful"});
  CHECK(j.metadata.at("epoch") == "3");
  CHECK(j.shots == std::optional<std::uint64_t>(1234));
  CHECK(j.probabilities_url == "/v0.4/jobs/e1a/results/probabilities/aggregated");
  SECTION("ids that could escape the path are refused before any request") {
    CHECK_THROWS_AS(c.get_job("../whoami"), backend_error);
    CHECK(tr->seen.size() == 1);
  }
}

TEST_CASE("ionq client: retries with backoff and Retry-After", "[ionq][client][retry]") {
  virtual_clock clock;
  auto tr = std::make_shared<scripted_transport>();
  const std::string ok = R"({"id":"job-1","status":"started"})";
  SECTION("429 honours Retry-After; 5xx back off exponentially") {
    tr->script = {make_response(429, R"({"message":"Too Many Requests"})", {{"Retry-After", "7"}}),
                  make_response(503, "{}"), make_response(502, "<html>bad gateway</html>"),
                  make_response(500, "{}"), make_response(200, ok)};
    ionq::client c(scripted_options(clock), tr);
    CHECK(c.get_job("job-1").status == ionq::job_status::running);
    CHECK(tr->seen.size() == 5);
    // Retry-After: 7 s; then base 0.5 s doubling (jitter 0): retries 1, 2, 3 -> 1, 2, 4 s.
    CHECK(clock.sleeps() == std::vector<double>{7.0, 1.0, 2.0, 4.0});
  }
  SECTION("transport failures are retried") {
    http_response down;
    down.failure = transport_failure::not_sent;
    down.error = "GET https://api.example.invalid/v0.4/jobs/job-1: Connection refused";
    tr->script = {down, down, make_response(200, ok)};
    ionq::client c(scripted_options(clock), tr);
    CHECK(c.get_job("job-1").id == "job-1");
    CHECK(tr->seen.size() == 3);
  }
  SECTION("4xx is not retried and carries the server's message and status") {
    tr->script = {make_response(400, R"({"error":"Bad Request","message":"\"x\" was invalid."})")};
    ionq::client c(scripted_options(clock), tr);
    try {
      c.get_job("job-1");
      FAIL("no exception");
    } catch (const http_error& e) {
      CHECK(e.status() == 400);
      CHECK(e.server_message() == "\"x\" was invalid.");
      CHECK_THAT(
          std::string(e.what()),
          contains_substring("papillon::ionq::client::get_job: HTTP 400: \"x\" was invalid."));
      CHECK_THAT(std::string(e.what()), contains_substring("GET /v0.4/jobs/job-1"));
    }
    CHECK(tr->seen.size() == 1);
  }
  SECTION("409 is retried for GET but not for POST") {
    tr->script = {make_response(409, "{}"), make_response(200, ok)};
    ionq::client c(scripted_options(clock), tr);
    CHECK(c.get_job("job-1").id == "job-1");
    scripted_transport* t = tr.get();
    t->script = {make_response(409, R"({"message":"conflict"})")};
    t->seen.clear();
    CHECK_THROWS_AS(c.create_job(nlohmann::ordered_json::object()), http_error);
    CHECK(t->seen.size() == 1);
  }
  SECTION("retries are bounded") {
    tr->script = {make_response(503, R"({"message":"down for maintenance"})")};
    auto o = scripted_options(clock);
    o.retry.max_retries = 3;
    ionq::client c(o, tr);
    try {
      c.get_job("job-1");
      FAIL("no exception");
    } catch (const http_error& e) {
      CHECK(e.status() == 503);
      CHECK_THAT(std::string(e.what()), contains_substring("after 3 retries"));
    }
    CHECK(tr->seen.size() == 4);
  }
  SECTION("a Retry-After beyond the deadline gives timeout_error at once") {
    tr->script = {make_response(429, "{}", {{"Retry-After", "3600"}})};
    auto o = scripted_options(clock);
    o.deadline = ionq::seconds_d(10);
    ionq::client c(o, tr);
    CHECK_THROWS_AS(c.get_job("job-1"), timeout_error);
    CHECK(clock.sleeps().empty());
  }
  SECTION("jitter is seeded: same seed, same waits") {
    auto run = [&](std::uint64_t seed) {
      virtual_clock vc;
      auto t = std::make_shared<scripted_transport>();
      t->script = {make_response(503, "{}"), make_response(503, "{}"), make_response(200, ok)};
      auto o = scripted_options(vc);
      o.retry.jitter = ionq::seconds_d(0.5);
      o.seed = seed;
      ionq::client c(o, t);
      c.get_job("job-1");
      return vc.sleeps();
    };
    const auto a = run(1);
    CHECK(a == run(1));
    CHECK(a != run(2));
    REQUIRE(a.size() == 2);
    CHECK(a[0] >= 0.5);
    CHECK(a[0] < 1.0);
    CHECK(a[1] >= 1.0);
    CHECK(a[1] < 1.5);
  }
}

TEST_CASE("ionq client: polling backs off and stops at the deadline", "[ionq][client][poll]") {
  virtual_clock clock;
  auto tr = std::make_shared<scripted_transport>();
  tr->script = {make_response(200, R"({"id":"j","status":"submitted"})"),
                make_response(200, R"({"id":"j","status":"ready"})"),
                make_response(200, R"({"id":"j","status":"started"})"),
                make_response(200, R"({"id":"j","status":"completed"})")};
  auto o = scripted_options(clock);
  o.poll.jitter = 0;
  SECTION("waits grow by the factor") {
    ionq::client c(o, tr);
    CHECK(c.wait("j").status == ionq::job_status::completed);
    CHECK(clock.sleeps() == std::vector<double>{1.0, 1.5, 2.25});
  }
  SECTION("a job that never ends gives timeout_error") {
    tr->script = {make_response(200, R"({"id":"j","status":"started"})")};
    o.deadline = ionq::seconds_d(30);
    ionq::client c(o, tr);
    try {
      c.wait("j");
      FAIL("no exception");
    } catch (const timeout_error& e) {
      CHECK_THAT(std::string(e.what()), contains_substring("papillon::ionq::client::wait"));
      CHECK_THAT(std::string(e.what()), contains_substring("still started"));
    }
  }
}

TEST_CASE("ionq client: against the loopback fake", "[ionq][client][fake]") {
  test::fake_ionq_server srv;
  virtual_clock clock;
  ionq::client c(test::fake_client_options(srv, clock));

  SECTION("backends are listed without needing the key") {
    const auto b = c.backends();
    REQUIRE(b.size() == 3);
    CHECK(b[2].name == "simulator");
    CHECK(b[2].qubits == 29);
    CHECK(b[2].noise_models.size() == 5);
    CHECK(b[0].native_gates == std::vector<std::string>{"gpi", "gpi2", "zz"});
  }
  SECTION("a wrong key gives 401 with the server's message, and the key is not in it") {
    auto o = test::fake_client_options(srv, clock);
    o.api_key = "wrong-key-ABCDEF";
    ionq::client bad(o);
    try {
      bad.get_job("0000");
      FAIL("no exception");
    } catch (const http_error& e) {
      CHECK(e.status() == 401);
      CHECK_THAT(std::string(e.what()), contains_substring("Invalid key provided"));
      CHECK(std::string(e.what()).find("wrong-key-ABCDEF") == std::string::npos);
    }
  }
  SECTION("create, poll, results; headers as the contract fixes them") {
    const auto payload = nlohmann::ordered_json::parse(
        R"({"type":"ionq.circuit.v1","backend":"simulator",)"
        R"("input":{"qubits":3,"gateset":"qis","circuit":[{"gate":"x","target":0},)"
        R"({"gate":"h","target":2}]}})");
    const std::string id = c.create_job(payload);
    const auto info = c.wait(id);
    CHECK(info.status == ionq::job_status::completed);
    const auto p = c.probabilities(info);
    // x on qubit 0, h on qubit 2: states 0b001 = 1 and 0b101 = 5.
    REQUIRE(p.size() == 2);
    CHECK_THAT(p.at(1), Catch::Matchers::WithinAbs(0.5, 1e-12));
    CHECK_THAT(p.at(5), Catch::Matchers::WithinAbs(0.5, 1e-12));
    const auto reqs = srv.requests();
    REQUIRE(!reqs.empty());
    const auto& post = reqs.front();
    CHECK(post.method == "POST");
    CHECK(post.path == "/v0.4/jobs");
    CHECK(post.header("Authorization") == "apiKey " + srv.api_key());
    CHECK(post.header("Content-Type") == "application/json");
    CHECK(post.header("Accept") == "application/json");
    CHECK(post.body == payload.dump());
    CHECK(srv.count("GET", "/v0.4/jobs/" + id + "/results/probabilities") == 1);
  }
  SECTION("the artifact result shape is followed") {
    srv.set_artifact_results(true);
    const auto payload = nlohmann::ordered_json::parse(
        R"({"type":"ionq.circuit.v1","backend":"simulator",)"
        R"("input":{"gateset":"qis","circuit":[{"gate":"x","targets":[1]}]}})");
    const auto info = c.wait(c.create_job(payload));
    CHECK(info.probabilities_artifact == "probabilities");
    const auto p = c.probabilities(info);
    CHECK(p == ionq::probability_map{{2, 1.0}});
    CHECK(srv.count("GET", "/v0.4/jobs/" + info.id + "/artifacts/probabilities") == 1);
  }
  SECTION("results before completion are a 404") {
    const auto payload = nlohmann::ordered_json::parse(
        R"({"type":"ionq.circuit.v1","backend":"simulator",)"
        R"("input":{"gateset":"qis","circuit":[{"gate":"x","target":0}]}})");
    const std::string id = c.create_job(payload);
    ionq::job_info fake_done;
    fake_done.id = id;
    fake_done.status = ionq::job_status::completed;
    try {
      c.probabilities(fake_done);
      FAIL("no exception");
    } catch (const http_error& e) {
      CHECK(e.status() == 404);
    }
  }
  SECTION("cancel") {
    srv.hold_jobs(true);
    const auto payload = nlohmann::ordered_json::parse(
        R"({"type":"ionq.circuit.v1","backend":"simulator",)"
        R"("input":{"gateset":"qis","circuit":[{"gate":"x","target":0}]}})");
    const std::string id = c.create_job(payload);
    CHECK(c.cancel(id) == ionq::job_status::canceled);
    CHECK(srv.count("PUT", "/v0.4/jobs/" + id + "/status/cancel", true) == 1);
    CHECK(c.wait(id).status == ionq::job_status::canceled);
  }
}
