// The job journal: SHA-256, records on disk, torn lines, and resuming after SIGKILL without a
// second submission.

#include <papillon/ionq/ionq_backend.hpp>
#include <papillon/ionq/job_journal.hpp>

#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/catch.hpp"
#include "support/fake_ionq_server.hpp"
#include "support/ionq_test_support.hpp"

using namespace papillon;
using papillon::test::fake_ionq_server;
using papillon::test::temp_dir;
using papillon::test::virtual_clock;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<nlohmann::json> records(const std::filesystem::path& p) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_file(p));
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

circuit layer_circuit() {
  circuit c(4);
  c.x(0).rbs(0, 2, param(0)).rbs(1, 3, param(1));
  return c;
}

}  // namespace

TEST_CASE("sha256: FIPS 180-4 test vectors", "[ionq][journal]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("job journal: records survive reopening; torn lines are skipped", "[ionq][journal]") {
  temp_dir dir;
  const auto path = dir.path / "jobs.jsonl";
  {
    ionq::job_journal j(path);
    CHECK_FALSE(j.find("h1"));
    j.record_intent("h1", "t1", {"simulator", 2, 200});
    CHECK(j.find("h1")->job_id.empty());
    j.record_submitted("h1", "t1", "job-1", {"simulator", 2, 200});
    j.record_intent("h2", "t2", {"simulator", 1, 0});
    j.record_submitted("h2", "t2", "job-2", {"simulator", 1, 0});
    j.record_failed("h2", "job-2", "failed", "boom");
  }
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // A crash in the middle of a write leaves a torn last line.
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << R"({"v":1,"event":"results","hash":"h1","job_id":"job-1","probabil)";
  }
  {
    ionq::job_journal j(path);
    CHECK(j.skipped_lines() == 1);
    const auto e = j.find("h1");
    REQUIRE(e);
    CHECK(e->job_id == "job-1");
    CHECK(e->tag == "t1");
    CHECK_FALSE(e->probabilities);
    CHECK_FALSE(j.find("h2"));  // failed: may be submitted again
    j.record_results("h1", "job-1", nlohmann::json::parse(R"([{"0":0.5,"1":0.5},{"3":1}])"));
  }
  ionq::job_journal j(path);
  const auto e = j.find("h1");
  REQUIRE(e);
  REQUIRE(e->probabilities);
  CHECK((*e->probabilities)[1]["3"] == 1);
  // The torn line was terminated, so the record after it is intact.
  const auto text = read_file(path);
  CHECK(text.back() == '\n');
}

TEST_CASE("job journal: fetched results are reused, nothing is paid twice",
          "[ionq][journal][resume]") {
  temp_dir dir;
  fake_ionq_server srv;
  virtual_clock clock;
  const circuit c = layer_circuit();
  const std::vector<run_task> tasks{{&c, {0.3, 0.7}}, {&c, {0.1, -0.4}}};
  ionq::ionq_backend_options o;
  o.journal = dir.path / "journal.jsonl";
  std::vector<run_result> first;
  {
    ionq::ionq_backend b(o, test::fake_client_options(srv, clock));
    first = b.run_batch(tasks, run_options{});
  }
  const auto n_requests = srv.requests().size();
  ionq::ionq_backend again(o, test::fake_client_options(srv, clock));
  const auto second = again.run_batch(tasks, run_options{});
  CHECK(second == first);
  CHECK(srv.requests().size() == n_requests);  // not even a GET
  CHECK(again.spent() == ionq::budget_usage{});
  const auto recs = records(o.journal);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0]["event"] == "intent");
  CHECK(recs[1]["event"] == "submitted");
  CHECK(recs[2]["event"] == "results");
  CHECK(recs[2]["probabilities"].size() == 2);
}

TEST_CASE("job journal: an interrupted submission is found by its tag", "[ionq][journal][resume]") {
  temp_dir dir;
  fake_ionq_server srv;
  virtual_clock clock;
  const circuit c = layer_circuit();
  const std::vector<run_task> tasks{{&c, {0.3, 0.7}}, {&c, {0.1, -0.4}}};
  ionq::ionq_backend_options o;
  o.journal = dir.path / "journal.jsonl";
  ionq::ionq_backend b(o, test::fake_client_options(srv, clock));
  const auto plan = b.plan(tasks, run_options{});
  REQUIRE(plan.jobs.size() == 1);
  const bool job_reached_server = GENERATE(true, false);
  {
    // What a run killed right after POST /jobs (before the answer was journaled) leaves.
    ionq::job_journal j(o.journal);
    j.record_intent(plan.jobs[0].hash, plan.jobs[0].tag, {"simulator", 2, 0});
  }
  if (job_reached_server) {
    ionq::client cl(test::fake_client_options(srv, clock));
    cl.create_job(plan.jobs[0].payload, plan.jobs[0].tag);
  }
  ionq::ionq_backend resumed(o, test::fake_client_options(srv, clock));
  const auto res = resumed.run_batch(tasks, run_options{});
  CHECK(res.size() == 2);
  CHECK(srv.jobs_created() == 1);
  CHECK(srv.count("POST", "/v0.4/jobs") == 1);
}

// Not a test of its own: the process the SIGKILL test starts and kills. It polls a held job with
// a real clock until the parent kills it; run by hand it does nothing.
TEST_CASE("job journal child: run a held job until killed", "[.][journal_child]") {
  const char* url = std::getenv("PAPILLON_TEST_CHILD_URL");
  const char* key = std::getenv("PAPILLON_TEST_CHILD_KEY");
  const char* journal = std::getenv("PAPILLON_TEST_CHILD_JOURNAL");
  if (url == nullptr || key == nullptr || journal == nullptr) return;
  const circuit c = layer_circuit();
  const std::vector<run_task> tasks{{&c, {0.3, 0.7}}, {&c, {0.1, -0.4}}, {&c, {1.0, 2.0}}};
  ionq::ionq_backend_options o;
  o.journal = journal;
  ionq::client_options co;
  co.base_url = url;
  co.api_key = key;
  co.poll.initial = ionq::seconds_d(0.01);
  co.poll.max = ionq::seconds_d(0.02);
  co.deadline = ionq::seconds_d(120);
  ionq::ionq_backend b(o, co);
  b.run_batch(tasks, run_options{});
  FAIL("the held job finished before the parent killed this process");
}

TEST_CASE("job journal: resume after SIGKILL mid-poll without a second submission",
          "[ionq][journal][resume][fork]") {
  temp_dir dir;
  fake_ionq_server srv;
  srv.hold_jobs(true);
  const circuit c = layer_circuit();
  const std::vector<run_task> tasks{{&c, {0.3, 0.7}}, {&c, {0.1, -0.4}}, {&c, {1.0, 2.0}}};
  ionq::ionq_backend_options o;
  o.journal = dir.path / "journal.jsonl";

  // The child is this test binary started afresh (fork, then exec at once): forking a process
  // whose fake-server threads may hold a lock (the allocator's, say) can leave the child
  // deadlocked before it sends anything.
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) env_text.emplace_back(*e);
  env_text.push_back("PAPILLON_TEST_CHILD_URL=" + srv.base_url());
  env_text.push_back("PAPILLON_TEST_CHILD_KEY=" + srv.api_key());
  env_text.push_back("PAPILLON_TEST_CHILD_JOURNAL=" + o.journal.string());
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string exe = "/proc/self/exe", name = "job journal child: run a held job until killed";
  std::vector<char*> argv{exe.data(), name.data(), nullptr};
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::execve(exe.c_str(), argv.data(), envp.data());
    ::_exit(5);
  }
  // Wait until the child has submitted and polled a few times, then kill it.
  std::string job_id;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < give_up) {
    if (srv.jobs_created() == 1) {
      for (const auto& r : srv.requests())
        if (r.method == "GET" && r.path.rfind("/v0.4/jobs/", 0) == 0) job_id = r.path.substr(11);
      if (!job_id.empty() && srv.polls(job_id) >= 3) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  REQUIRE_FALSE(job_id.empty());
  CHECK(srv.count("POST", "/v0.4/jobs") == 1);

  // The journal already names the job.
  const auto recs = records(o.journal);
  REQUIRE(recs.size() >= 2);
  CHECK(recs[1]["event"] == "submitted");
  CHECK(recs[1]["job_id"] == job_id);

  srv.hold_jobs(false);
  virtual_clock clock;
  ionq::ionq_backend resumed(o, test::fake_client_options(srv, clock));
  const auto res = resumed.run_batch(tasks, run_options{});
  REQUIRE(res.size() == 3);
  CHECK(srv.count("POST", "/v0.4/jobs") == 1);  // exactly one submission, ever
  CHECK(srv.jobs_created() == 1);
  CHECK(resumed.spent() == ionq::budget_usage{});
  simulator_backend sim;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto want = sim.run(c, tasks[i].params, run_options{}).probabilities;
    for (const auto& [s, p] : want)
      if (p > 1e-12) CHECK_THAT(res[i].probabilities.at(s), Catch::Matchers::WithinAbs(p, 1e-9));
  }
}
