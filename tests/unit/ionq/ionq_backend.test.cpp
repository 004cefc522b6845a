// The IonQ backend against the loopback fake: payloads, result mapping, batching and splitting,
// the budget guard, dry runs, noise and every injected fault.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/ionq/ionq_backend.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/fake_ionq_server.hpp"
#include "support/ionq_test_support.hpp"

using namespace papillon;
using papillon::test::contains_substring;
using papillon::test::fake_fault;
using papillon::test::fake_ionq_server;
using papillon::test::virtual_clock;

namespace {

// Three qubits: X on 0, then RBS(0, 2) and RY on 1, so several outcomes have weight.
circuit small_circuit() {
  circuit c(3);
  c.x(0).rbs(0, 2, param(0)).ry(1, param(1));
  return c;
}

std::map<basis_key, double> exact(const circuit& c, const std::vector<double>& p) {
  simulator_backend sim;
  return sim.run(c, p, run_options{}).probabilities;
}

void check_close(const std::map<basis_key, double>& got, const std::map<basis_key, double>& want,
                 double tol = 1e-9) {
  for (const auto& [s, p] : want)
    if (p > 1e-12) {
      INFO("basis state " << s.decimal_label());
      REQUIRE(got.count(s) == 1);
      CHECK_THAT(got.at(s), Catch::Matchers::WithinAbs(p, tol));
    }
  for (const auto& [s, p] : got) {
    INFO("basis state " << s.decimal_label());
    CHECK_THAT(p, Catch::Matchers::WithinAbs(want.count(s) ? want.at(s) : 0.0, tol));
  }
}

// What spent() should say without cost tracking.
ionq::budget_usage usage(std::uint64_t shots, std::uint64_t circuits, std::uint64_t jobs) {
  ionq::budget_usage u;
  u.shots = shots;
  u.circuits = circuits;
  u.jobs = jobs;
  return u;
}

struct fixture {
  fake_ionq_server srv;
  virtual_clock clock;
  ionq::client_options copt;
  fixture() : copt(test::fake_client_options(srv, clock)) {
    copt.retry.jitter = ionq::seconds_d(0);
  }
  explicit fixture(fake_ionq_server::options o)
      : srv(std::move(o)), copt(test::fake_client_options(srv, clock)) {
    copt.retry.jitter = ionq::seconds_d(0);
  }
};

}  // namespace

TEST_CASE("ionq backend: one circuit, every gate set, little-endian results", "[ionq][backend]") {
  fixture f;
  const circuit c = small_circuit();
  const std::vector<double> params{0.3, 1.1};
  const auto gs = GENERATE(ionq_gateset::qis, ionq_gateset::native_ms, ionq_gateset::native_zz);
  ionq::ionq_backend_options o;
  o.gateset = gs;
  ionq::ionq_backend b(o, f.copt);
  CHECK(b.info().exact);
  const run_result r = b.run(c, params, run_options{});
  CHECK(r.qubits == 3);
  CHECK(r.shots == 0);
  CHECK(r.counts.empty());
  check_close(r.probabilities, exact(c, params));
  // One POST, with the contract's fields.
  const auto reqs = f.srv.requests();
  REQUIRE(f.srv.count("POST", "/v0.4/jobs") == 1);
  const auto body = nlohmann::json::parse(reqs.front().body);
  CHECK(body["type"] == "ionq.circuit.v1");
  CHECK(body["backend"] == "simulator");
  CHECK_FALSE(body.contains("shots"));
  CHECK(body["input"]["qubits"] == 3);
  CHECK(body["input"]["gateset"] == (gs == ionq_gateset::qis ? "qis" : "native"));
  CHECK(body["metadata"]["papillon_tag"].get<std::string>().size() == 32);
  CHECK(b.spent() == usage(0, 1, 1));
}

TEST_CASE("ionq backend: exact gate encoding of the payload", "[ionq][backend]") {
  fixture f;
  circuit c(2);
  c.h(0).cnot(0, 1).ry(1, param(0));
  ionq::ionq_backend_options o;
  o.dry_run = true;
  o.job_name = "qnn-batch-17";
  ionq::ionq_backend b(o, ionq::client_options{});
  const std::vector<run_task> tasks{{&c, {0.7853981633974483}}};
  const auto plan = b.plan(tasks, run_options{1000, 0});
  REQUIRE(plan.jobs.size() == 1);
  const std::string expected_prefix =
      R"({"type":"ionq.circuit.v1","backend":"simulator","shots":1000,"name":"qnn-batch-17",)"
      R"("metadata":{"papillon_circuits":"1","papillon_tag":")";
  const std::string text = plan.jobs[0].payload.dump();
  CHECK(text.rfind(expected_prefix, 0) == 0);
  CHECK_THAT(text, contains_substring(
                       R"("input":{"qubits":2,"gateset":"qis","circuit":[{"gate":"h","target":0},)"
                       R"({"gate":"cnot","control":0,"target":1},)"
                       R"({"gate":"ry","target":1,"rotation":0.7853981633974483}]}})"));
  CHECK(plan.total_shots == 1000);
  CHECK(plan.jobs[0].hash.size() == 64);
  CHECK(plan.jobs[0].tag == plan.jobs[0].hash.substr(0, 32));
}

TEST_CASE("ionq backend: native gates are sent in turns", "[ionq][backend]") {
  circuit c(2);
  c.xx(0, 1, param(0));
  ionq::ionq_backend_options o;
  o.dry_run = true;
  const std::vector<run_task> tasks{{&c, {1.5707963267948966}}};  // pi/2 = a quarter turn
  SECTION("ms (Aria)") {
    o.gateset = ionq_gateset::native_ms;
    ionq::ionq_backend b(o, ionq::client_options{});
    const auto input = b.plan(tasks, run_options{}).jobs.at(0).payload["input"];
    CHECK(input["gateset"] == "native");
    CHECK(nlohmann::json(input["circuit"]) ==
          nlohmann::json::parse(
              R"([{"gate":"ms","targets":[0,1],"phases":[0.0,0.0],"angle":0.25}])"));
  }
  SECTION("zz (Forte)") {
    circuit z(2);
    z.zz(0, 1, param(0));
    const std::vector<run_task> zt{{&z, {1.5707963267948966}}};
    o.gateset = ionq_gateset::native_zz;
    ionq::ionq_backend b(o, ionq::client_options{});
    const auto input = b.plan(zt, run_options{}).jobs.at(0).payload["input"];
    CHECK(nlohmann::json(input["circuit"]) ==
          nlohmann::json::parse(R"([{"gate":"zz","targets":[0,1],"angle":0.25}])"));
  }
}

TEST_CASE("ionq backend: a batch is one multi-circuit job, mapped back in order",
          "[ionq][backend][batch]") {
  fixture f;
  const bool artifacts = GENERATE(false, true);
  f.srv.set_artifact_results(artifacts);
  const circuit c = small_circuit();
  std::vector<run_task> tasks;
  for (int i = 0; i < 6; ++i) tasks.push_back({&c, {0.2 * i, 1.0 - 0.3 * i}});
  ionq::ionq_backend_options o;
  o.gateset = ionq_gateset::native_ms;
  ionq::ionq_backend b(o, f.copt);
  const auto res = b.run_batch(tasks, run_options{});
  REQUIRE(res.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    INFO("task " << i);
    check_close(res[i].probabilities, exact(c, tasks[i].params));
  }
  CHECK(f.srv.count("POST", "/v0.4/jobs") == 1);
  const auto body = nlohmann::json::parse(f.srv.requests().front().body);
  CHECK(body["type"] == "ionq.multi-circuit.v1");
  CHECK(body["input"]["gateset"] == "native");
  CHECK(body["input"]["circuits"].size() == 6);
  CHECK(body["input"]["circuits"][0]["name"] == "c0");
  CHECK_FALSE(body["input"].contains("circuit"));
  if (artifacts)
    CHECK(f.srv.count("GET", "/v0.4/jobs/", false) > 0);
  else
    CHECK(f.srv.requests().back().path.find("/results/probabilities/aggregated") !=
          std::string::npos);
}

TEST_CASE("ionq backend: batches split at the circuit and gate limits", "[ionq][backend][batch]") {
  fixture f;
  const circuit c = small_circuit();
  std::vector<run_task> tasks;
  for (int i = 0; i < 7; ++i) tasks.push_back({&c, {0.1 * i, 0.5}});
  ionq::ionq_backend_options o;
  o.max_circuits_per_job = 3;
  ionq::ionq_backend b(o, f.copt);
  const auto plan = b.plan(tasks, run_options{});
  REQUIRE(plan.jobs.size() == 3);
  CHECK(plan.jobs[0].circuits == 3);
  CHECK(plan.jobs[1].circuits == 3);
  CHECK(plan.jobs[2].circuits == 1);
  CHECK(plan.jobs[2].payload["type"] == "ionq.circuit.v1");
  CHECK(plan.jobs[1].payload["name"] == "papillon-1");
  const auto res = b.run_batch(tasks, run_options{});
  for (std::size_t i = 0; i < tasks.size(); ++i)
    check_close(res[i].probabilities, exact(c, tasks[i].params));
  CHECK(f.srv.count("POST", "/v0.4/jobs") == 3);

  SECTION("gate limit") {
    ionq::ionq_backend_options g;
    g.max_gates_per_job = plan.jobs[2].gates * 2;  // two circuits per job
    ionq::ionq_backend bg(g, f.copt);
    CHECK(bg.plan(tasks, run_options{}).jobs.size() == 4);
    g.max_gates_per_job = plan.jobs[2].gates - 1;
    ionq::ionq_backend too_small(g, f.copt);
    CHECK_THROWS_AS(too_small.plan(tasks, run_options{}), circuit_error);
  }
}

TEST_CASE("ionq backend: shots give rounded counts", "[ionq][backend]") {
  const run_result half = ionq::to_run_result({{0, 0.5}, {1, 0.5}, {3, 1e-9}}, 2, 1001);
  CHECK(half.counts == std::map<basis_key, std::uint64_t>{{0, 501}, {1, 501}});  // round(500.5)
  CHECK(half.probabilities.size() == 3);
  fixture f;
  circuit c(2);
  c.x(0).ry(1, 1.0);
  ionq::ionq_backend b({}, f.copt);
  const run_result r = b.run(c, {}, run_options{1001, 3});
  CHECK(r.shots == 1001);
  REQUIRE(r.counts.size() == 2);
  for (const auto& [s, n] : r.counts)
    CHECK(n == static_cast<std::uint64_t>(std::llround(r.probabilities.at(s) * 1001)));
  const auto body = nlohmann::json::parse(f.srv.requests().front().body);
  CHECK(body["shots"] == 1001);
  CHECK(b.spent().shots == 1001);
}

TEST_CASE("ionq backend: noise models and targets", "[ionq][backend][noise]") {
  fixture f;
  circuit c(2);
  c.x(0).cnot(0, 1);
  ionq::ionq_backend_options o;
  o.noise_model = "aria-1";
  o.noise_seed = 42;
  ionq::ionq_backend b(o, f.copt);
  CHECK_FALSE(b.info().exact);
  CHECK_THROWS_AS(b.run(c, {}, run_options{}), backend_error);  // exact is refused
  const auto r = b.run(c, {}, run_options{2000, 1});
  double total = 0;
  for (const auto& [s, p] : r.probabilities) total += p;
  CHECK_THAT(total, Catch::Matchers::WithinAbs(1.0, 1e-12));
  CHECK(r.probabilities.at(3) > 0.9);
  const auto body = nlohmann::json::parse(f.srv.requests().front().body);
  CHECK(body["noise"] == nlohmann::json::parse(R"({"model":"aria-1","seed":42})"));

  SECTION("noise on a QPU, or an unknown model, is refused at construction") {
    ionq::ionq_backend_options q;
    q.target = "qpu.forte-1";
    q.noise_model = "aria-1";
    CHECK_THROWS_AS(ionq::ionq_backend(q, f.copt), data_error);
    q.target = "simulator";
    q.noise_model = "bogus";
    CHECK_THROWS_AS(ionq::ionq_backend(q, f.copt), data_error);
  }
  SECTION("QPU targets and gate-set checks") {
    ionq::ionq_backend_options q;
    q.target = "qpu.forte-1";
    q.gateset = ionq_gateset::native_ms;
    CHECK_THROWS_AS(ionq::ionq_backend(q, f.copt), data_error);
    q.gateset = ionq_gateset::native_zz;
    q.mitigation.debiasing = false;
    ionq::ionq_backend qpu(q, f.copt);
    CHECK_FALSE(qpu.info().exact);
    const auto r2 = qpu.run(c, {}, run_options{100, 0});
    CHECK_THAT(r2.probabilities.at(3), Catch::Matchers::WithinAbs(1.0, 1e-9));
    bool found = false;
    for (const auto& req : f.srv.requests())
      if (req.method == "POST") {
        const auto j = nlohmann::json::parse(req.body);
        if (j["backend"] == "qpu.forte-1") {
          found = true;
          CHECK(j["settings"]["error_mitigation"]["debiasing"] == false);
          CHECK_FALSE(j.contains("noise"));
        }
      }
    CHECK(found);
  }
}

TEST_CASE("ionq backend: the budget guard refuses before anything is sent",
          "[ionq][backend][budget]") {
  fixture f;
  const circuit c = small_circuit();
  std::vector<run_task> tasks(4, run_task{&c, {0.1, 0.2}});
  ionq::ionq_backend_options o;
  o.budget.max_shots = 1000;
  o.budget.max_circuits = 6;
  ionq::ionq_backend b(o, f.copt);
  try {
    b.run_batch(tasks, run_options{300, 0});  // 1200 shots > 1000
    FAIL("no exception");
  } catch (const backend_error& e) {
    CHECK_THAT(std::string(e.what()), contains_substring("budget"));
    CHECK_THAT(std::string(e.what()), contains_substring("1200 shots"));
  }
  CHECK(f.srv.requests().empty());
  b.run_batch(tasks, run_options{200, 0});  // 800 shots, 4 circuits
  CHECK(b.spent() == usage(800, 4, 1));
  // 4 more circuits would make 8 > 6.
  CHECK_THROWS_AS(b.run_batch(tasks, run_options{10, 0}), backend_error);
  CHECK(f.srv.count("POST", "/v0.4/jobs") == 1);
}

TEST_CASE("ionq backend: dry run sends nothing and shows the payloads", "[ionq][backend][dry]") {
  const circuit c = small_circuit();
  std::vector<run_task> tasks(3, run_task{&c, {0.1, 0.2}});
  ionq::ionq_backend_options o;
  o.dry_run = true;
  std::vector<std::string> lines;
  o.log = [&](std::string_view l) { lines.emplace_back(l); };
  // No key, no server: a dry run needs neither.
  ionq::ionq_backend b(o, ionq::client_options{});
  CHECK(b.rest_client() == nullptr);
  const auto res = b.run_batch(tasks, run_options{500, 0});
  REQUIRE(res.size() == 3);
  CHECK(res[0].probabilities.empty());
  CHECK(b.last_plan().total_shots == 1500);
  CHECK(b.last_plan().jobs.size() == 1);
  const auto doc = b.last_plan().to_json();
  CHECK(doc["total_circuits"] == 3);
  CHECK(doc["jobs"][0]["payload"]["type"] == "ionq.multi-circuit.v1");
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], contains_substring("1500 shots"));
  CHECK(b.spent() == ionq::budget_usage{});
}

TEST_CASE("ionq backend: faults are survived", "[ionq][backend][faults]") {
  fixture f;
  const circuit c = small_circuit();
  std::vector<run_task> tasks(2, run_task{&c, {0.4, 0.9}});
  const auto want = exact(c, tasks[0].params);
  std::vector<std::string> log;
  f.copt.log = [&](std::string_view l) { log.emplace_back(l); };
  ionq::ionq_backend b({}, f.copt);
  const auto run_ok = [&] {
    const auto res = b.run_batch(tasks, run_options{});
    REQUIRE(res.size() == 2);
    check_close(res[0].probabilities, want);
    check_close(res[1].probabilities, want);
  };

  SECTION("429 with Retry-After on submit and on poll") {
    f.srv.inject(fake_fault::with_status("POST", "/jobs", 429, 2));
    f.srv.inject(fake_fault::with_status("GET", "/jobs/", 429, 3));
    run_ok();
    const auto s = f.clock.sleeps();
    CHECK(std::find(s.begin(), s.end(), 2.0) != s.end());
    CHECK(std::find(s.begin(), s.end(), 3.0) != s.end());
    CHECK(f.srv.jobs_created() == 1);
  }
  SECTION("500, 502 (HTML body) and 503 on reads") {
    f.srv.inject(fake_fault::with_status("GET", "/jobs/", 500));
    fake_fault html = fake_fault::with_status("GET", "/jobs/", 502);
    html.html_body = true;
    f.srv.inject(html);
    f.srv.inject(fake_fault::with_status("GET", "/results/", 503));
    run_ok();
    CHECK(f.srv.jobs_created() == 1);
  }
  SECTION("503 on submit that did not create the job: resubmitted once") {
    f.srv.inject(fake_fault::with_status("POST", "/jobs", 503));
    run_ok();
    CHECK(f.srv.count("POST", "/v0.4/jobs") == 2);
    CHECK(f.srv.jobs_created() == 1);
  }
  SECTION("500 on submit after the job was created: found by its tag, not paid twice") {
    fake_fault ff = fake_fault::with_status("POST", "/jobs", 500);
    ff.after_handling = true;
    f.srv.inject(ff);
    run_ok();
    CHECK(f.srv.count("POST", "/v0.4/jobs") == 1);
    CHECK(f.srv.jobs_created() == 1);
    CHECK(f.srv.count("GET", "/v0.4/jobs?") >= 1);
  }
  SECTION("dropped connection on submit (job created, answer lost)") {
    f.srv.inject(fake_fault::with_body("POST", "/jobs", fake_fault::body_kind::drop));
    run_ok();
    CHECK(f.srv.jobs_created() == 1);
  }
  SECTION("malformed and truncated JSON on submit") {
    f.srv.inject(fake_fault::with_body("POST", "/jobs", fake_fault::body_kind::malformed));
    run_ok();
    CHECK(f.srv.jobs_created() == 1);
    f.srv.inject(fake_fault::with_body("POST", "/jobs", fake_fault::body_kind::truncated));
    std::vector<run_task> other(2, run_task{&c, {0.5, 0.5}});
    b.run_batch(other, run_options{});
    CHECK(f.srv.jobs_created() == 2);
  }
  SECTION("dropped connections, malformed and truncated JSON on reads") {
    f.srv.inject(fake_fault::with_body("GET", "/jobs/", fake_fault::body_kind::drop));
    f.srv.inject(fake_fault::with_body("GET", "/results/", fake_fault::body_kind::malformed));
    f.srv.inject(fake_fault::with_body("GET", "/results/", fake_fault::body_kind::truncated));
    run_ok();
  }
  SECTION("slow answers: the request times out and is retried") {
    f.copt.request_timeout = std::chrono::milliseconds(300);
    ionq::ionq_backend fast({}, f.copt);
    f.srv.inject(fake_fault::slow("GET", "/jobs/", 800));
    const auto res = fast.run_batch(tasks, run_options{});
    check_close(res[0].probabilities, want);
    bool saw_timeout = false;
    for (const auto& l : log)
      saw_timeout = saw_timeout || l.find("imeout") != std::string::npos ||
                    l.find("timed out") != std::string::npos;
    CHECK(saw_timeout);
  }
  SECTION("a failed job is a remote_job_error with the server's message") {
    f.srv.fail_next_job("SimulationError", "the simulator ran out of memory");
    try {
      b.run_batch(tasks, run_options{});
      FAIL("no exception");
    } catch (const remote_job_error& e) {
      CHECK_THAT(std::string(e.what()),
                 contains_substring("SimulationError: the simulator ran out of memory"));
      CHECK_THAT(std::string(e.what()), contains_substring("papillon::ionq_backend::run_batch"));
    }
  }
  SECTION("a canceled job is a remote_job_error") {
    f.srv.cancel_next_job();
    CHECK_THROWS_AS(b.run_batch(tasks, run_options{}), remote_job_error);
  }
  SECTION("persistent outage ends in an error, not a hang") {
    f.srv.inject(fake_fault::with_status("GET", "/jobs/", 503, std::nullopt, 1000));
    CHECK_THROWS_AS(b.run_batch(tasks, run_options{}), http_error);
  }
  SECTION("a 400 from the server is reported with its message") {
    ionq::ionq_backend_options o;
    o.target = "qpu.nonexistent";
    ionq::ionq_backend bad_target(o, f.copt);
    f.srv.inject(fake_fault::with_status("POST", "/jobs", 400));
    try {
      bad_target.run_batch(tasks, run_options{100, 0});
      FAIL("no exception");
    } catch (const http_error& e) {
      CHECK(e.status() == 400);
      CHECK(e.server_message() == "Injected fault");
    }
  }
}
