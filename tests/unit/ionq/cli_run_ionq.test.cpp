// `papillon run --backend ionq` end to end: the real executable against the loopback fake.

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "support/catch.hpp"
#include "support/fake_ionq_server.hpp"
#include "support/ionq_test_support.hpp"

#ifdef PAPILLON_CLI_PATH

using papillon::test::contains_substring;

namespace {

struct cli_output {
  int status = -1;
  std::string out;  // stdout and stderr
};

cli_output run_cli(const std::string& args) {
  const std::string cmd = std::string(PAPILLON_CLI_PATH) + " run " + args + " 2>&1";
  cli_output r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  r.status = ::pclose(pipe);
  return r;
}

}  // namespace

TEST_CASE("cli: papillon run --backend ionq", "[ionq][cli]") {
  papillon::test::temp_dir dir;
  const auto circ = dir.path / "c.json";
  {
    std::ofstream out(circ);
    out << R"({"format":"papillon.circuit.v1","qubits":3,"parameters":1,"gates":[)"
           R"({"gate":"x","target":0},{"gate":"rbs","targets":[0,2],"param":0}]})";
  }
  papillon::test::fake_ionq_server srv;
  const char* old = std::getenv("IONQ_API_KEY");
  const std::string saved = old ? old : "";

  SECTION("runs on the fake and prints little-endian probabilities") {
    ::setenv("IONQ_API_KEY", srv.api_key().c_str(), 1);
    const auto r = run_cli(circ.string() + " --params 0.5 --backend ionq --gateset native-ms " +
                           "--ionq-url " + srv.base_url());
    INFO(r.out);
    REQUIRE(r.status == 0);
    const auto doc = nlohmann::json::parse(r.out.substr(r.out.find('{')));
    CHECK(doc["qubits"] == 3);
    // RBS(0.5) on e_0: cos^2 on state 1 (qubit 0), sin^2 on state 4 (qubit 2).
    CHECK_THAT(doc["probabilities"]["1"].get<double>(),
               Catch::Matchers::WithinAbs(std::cos(0.5) * std::cos(0.5), 1e-9));
    CHECK_THAT(doc["probabilities"]["4"].get<double>(),
               Catch::Matchers::WithinAbs(std::sin(0.5) * std::sin(0.5), 1e-9));
    CHECK(srv.count("POST", "/v0.4/jobs") == 1);
    CHECK(r.out.find(srv.api_key()) == std::string::npos);
  }
  SECTION("--dry-run prints the payload and sends nothing, without a key") {
    ::unsetenv("IONQ_API_KEY");
    const auto r = run_cli(circ.string() + " --params 0.5 --backend ionq --dry-run --shots 200 " +
                           "--ionq-url " + srv.base_url());
    INFO(r.out);
    REQUIRE(r.status == 0);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["dry_run"] == true);
    CHECK(doc["total_shots"] == 200);
    CHECK(doc["jobs"][0]["payload"]["input"]["gateset"] == "qis");
    CHECK(srv.requests().empty());
  }
  SECTION("--dry-run applies the budget guard") {
    ::unsetenv("IONQ_API_KEY");
    const auto r = run_cli(circ.string() + " --params 0.5 --backend ionq --dry-run --shots 2000 " +
                           "--ionq-max-shots 1000 --ionq-url " + srv.base_url());
    INFO(r.out);
    CHECK(WEXITSTATUS(r.status) == 2);  // the user's own limit: bad input, named
    CHECK_THAT(r.out, contains_substring("exceed the budget"));
    CHECK_THAT(r.out, contains_substring("--ionq-max-shots 1000"));
    CHECK(srv.requests().empty());
  }
  SECTION("a real run over the budget is refused before anything is sent") {
    ::setenv("IONQ_API_KEY", srv.api_key().c_str(), 1);
    const auto r = run_cli(circ.string() + " --params 0.5 --backend ionq --shots 2000 " +
                           "--ionq-max-shots 1000 --ionq-url " + srv.base_url());
    INFO(r.out);
    CHECK(WEXITSTATUS(r.status) == 2);
    CHECK_THAT(r.out, contains_substring("exceed the budget"));
    CHECK(srv.requests().empty());
    CHECK(r.out.find(srv.api_key()) == std::string::npos);
  }
  SECTION("--ionq-timeout bounds the wait for a job that never ends") {
    ::setenv("IONQ_API_KEY", srv.api_key().c_str(), 1);
    srv.hold_jobs(true);
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_cli(circ.string() + " --params 0.5 --backend ionq --ionq-timeout 3 " +
                           "--ionq-url " + srv.base_url());
    INFO(r.out);
    CHECK(WEXITSTATUS(r.status) == 1);
    CHECK_THAT(r.out, contains_substring("deadline passed"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
    const auto bad = run_cli(circ.string() + " --params 0.5 --backend ionq --ionq-timeout 0 " +
                             "--ionq-url " + srv.base_url());
    CHECK(WEXITSTATUS(bad.status) == 2);
    CHECK_THAT(bad.out, contains_substring("--ionq-timeout"));
  }
  SECTION("--dry-run --ionq-estimate prints the quote and the mitigation, sends no job") {
    ::setenv("IONQ_API_KEY", srv.api_key().c_str(), 1);
    const auto r = run_cli(circ.string() +
                           " --params 0.5 --backend ionq --dry-run --shots 1000 --ionq-target "
                           "qpu.forte-1 --gateset native --ionq-estimate --ionq-debiasing on "
                           "--ionq-aggregation voting --ionq-url " +
                           srv.base_url());
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, contains_substring("ionq: estimate "));
    const auto doc = nlohmann::json::parse(r.out.substr(r.out.find('{')));
    CHECK(doc["estimate"]["unit"] == "usd");
    CHECK(doc["estimate"]["total"].get<double>() > 0);
    CHECK(doc["mitigation"]["debiasing"] == true);
    CHECK(doc["mitigation"]["aggregation"] == "voting");
    CHECK(doc["jobs"][0]["payload"]["input"]["gateset"] == "native");
    CHECK(srv.count("POST", "/v0.4/jobs") == 0);
    CHECK(srv.count("GET", "/v0.4/jobs/estimate") == 1);
    CHECK(r.out.find(srv.api_key()) == std::string::npos);
  }
  SECTION("--ionq-max-cost below the quote exits 2 before sending") {
    ::setenv("IONQ_API_KEY", srv.api_key().c_str(), 1);
    const auto r = run_cli(circ.string() +
                           " --params 0.5 --backend ionq --shots 1000 --ionq-target qpu.forte-1 "
                           "--gateset native-zz --ionq-max-cost 0.5 --ionq-url " +
                           srv.base_url());
    INFO(r.out);
    CHECK(WEXITSTATUS(r.status) == 2);
    CHECK_THAT(r.out, contains_substring("money budget"));
    CHECK_THAT(r.out, contains_substring("--ionq-max-cost"));
    CHECK(srv.count("POST", "/v0.4/jobs") == 0);
  }
  SECTION("--ionq-debiasing on below 500 shots exits 2 with the reason, before sending") {
    ::setenv("IONQ_API_KEY", srv.api_key().c_str(), 1);
    const auto r = run_cli(circ.string() +
                           " --params 0.5 --backend ionq --shots 100 --ionq-target qpu.forte-1 "
                           "--gateset native-zz --ionq-debiasing on --ionq-url " +
                           srv.base_url());
    INFO(r.out);
    CHECK(WEXITSTATUS(r.status) == 2);
    CHECK_THAT(r.out, contains_substring("at least 500 shots"));
    CHECK(srv.requests().empty());
  }
  SECTION("no key: exit 2 with a one-line message") {
    ::unsetenv("IONQ_API_KEY");
    const auto r =
        run_cli(circ.string() + " --params 0.5 --backend ionq --ionq-url " + srv.base_url());
    CHECK(WEXITSTATUS(r.status) == 2);
    CHECK_THAT(r.out, contains_substring("IONQ_API_KEY"));
    CHECK(srv.requests().empty());
  }
  if (old)
    ::setenv("IONQ_API_KEY", saved.c_str(), 1);
  else
    ::unsetenv("IONQ_API_KEY");
}

#endif
