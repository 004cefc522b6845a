// The API key: where it comes from, private key files, and that it never leaks into logs,
// exceptions or the journal.

#include <papillon/ionq/ionq_api_key.hpp>
#include <papillon/ionq/ionq_backend.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/fake_ionq_server.hpp"
#include "support/ionq_test_support.hpp"

using namespace papillon;
using papillon::test::contains_substring;
using papillon::test::fake_fault;
using papillon::test::fake_ionq_server;
using papillon::test::temp_dir;
using papillon::test::virtual_clock;

namespace {

constexpr const char* secret = "sk-PAPILLON-TEST-SECRET-7f3a9c";

void write_key(const std::filesystem::path& p, const std::string& text, mode_t mode) {
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
  }
  REQUIRE(::chmod(p.c_str(), mode) == 0);
}

}  // namespace

TEST_CASE("api key: key files must be private", "[ionq][key]") {
  temp_dir dir;
  const auto path = dir.path / "ionq.key";
  SECTION("mode 600 is read, blank lines and spaces trimmed") {
    write_key(path, std::string("\n  ") + secret + "  \n", 0600);
    CHECK(ionq::read_api_key_file(path) == secret);
    CHECK(ionq::load_api_key(path) == secret);
  }
  SECTION("readable by group or others is refused, and the message does not show the key") {
    const mode_t mode = GENERATE(mode_t{0640}, mode_t{0604}, mode_t{0644}, mode_t{0660});
    write_key(path, secret, mode);
    try {
      ionq::read_api_key_file(path);
      FAIL("no exception");
    } catch (const data_error& e) {
      const std::string what = e.what();
      CHECK_THAT(what, contains_substring("readable or writable by group or others"));
      CHECK_THAT(what, contains_substring("chmod 600"));
      CHECK(what.find(secret) == std::string::npos);
    }
  }
  SECTION("missing and empty files") {
    CHECK_THROWS_AS(ionq::read_api_key_file(dir.path / "absent"), data_error);
    write_key(path, "\n \n", 0600);
    CHECK_THROWS_AS(ionq::read_api_key_file(path), data_error);
  }
}

TEST_CASE("api key: IONQ_API_KEY", "[ionq][key]") {
  const char* old = std::getenv("IONQ_API_KEY");
  const std::string saved = old ? old : "";
  ::setenv("IONQ_API_KEY", (std::string(" ") + secret + "\n").c_str(), 1);
  CHECK(ionq::api_key_from_environment() == std::optional<std::string>(secret));
  CHECK(ionq::load_api_key() == secret);
  ::unsetenv("IONQ_API_KEY");
  CHECK_FALSE(ionq::api_key_from_environment());
  try {
    ionq::load_api_key();
    FAIL("no exception");
  } catch (const data_error& e) {
    CHECK_THAT(std::string(e.what()), contains_substring("IONQ_API_KEY"));
  }
  if (old) ::setenv("IONQ_API_KEY", saved.c_str(), 1);
}

TEST_CASE("api key: a failing run never shows the key", "[ionq][key]") {
  temp_dir dir;
  fake_ionq_server::options so;
  so.api_key = secret;
  fake_ionq_server srv(so);
  virtual_clock clock;
  std::vector<std::string> outputs;
  auto co = test::fake_client_options(srv, clock);
  co.log = [&](std::string_view l) { outputs.emplace_back(l); };
  co.retry.max_retries = 2;
  ionq::ionq_backend_options o;
  o.journal = dir.path / "journal.jsonl";
  o.log = [&](std::string_view l) { outputs.emplace_back(l); };
  ionq::ionq_backend b(o, co);
  circuit c(2);
  c.h(0).cnot(0, 1);
  const auto attempt = [&](auto&& setup) {
    setup();
    try {
      b.run(c, {}, run_options{});
    } catch (const std::exception& e) {
      outputs.emplace_back(e.what());
    }
  };
  attempt([&] { srv.fail_next_job("InternalError", "failure"); });
  attempt([&] { srv.inject(fake_fault::with_status("GET", "/jobs/", 503, 1, 50)); });
  attempt([&] {
    srv.inject(fake_fault::with_body("GET", "/results/", fake_fault::body_kind::malformed, 50));
  });
  attempt(
      [&] { srv.inject(fake_fault::with_body("POST", "/jobs", fake_fault::body_kind::drop, 50)); });
  {
    // A wrong key: the server's 401 is reported.
    auto bad = co;
    bad.api_key = std::string(secret) + "-wrong";
    ionq::ionq_backend wrong(ionq::ionq_backend_options{}, bad);
    try {
      wrong.run(c, {}, run_options{});
    } catch (const std::exception& e) {
      outputs.emplace_back(e.what());
    }
  }
  {
    // A server that echoes the key in its message: scrubbed.
    auto tr = std::make_shared<test::scripted_transport>();
    tr->script = {test::make_response(
        400, std::string(R"({"message":"bad key apiKey )") + secret + R"( for project"})")};
    auto sco = co;
    sco.base_url = "https://api.example.invalid/v0.4";
    ionq::client cl(sco, tr);
    try {
      cl.get_job("x");
    } catch (const std::exception& e) {
      outputs.emplace_back(e.what());
      CHECK_THAT(std::string(e.what()), contains_substring("[redacted]"));
    }
  }
  REQUIRE(outputs.size() >= 6);
  for (const auto& line : outputs) {
    INFO(line);
    CHECK(line.find(secret) == std::string::npos);
  }
  std::ifstream in(o.journal);
  std::stringstream journal;
  journal << in.rdbuf();
  CHECK(!journal.str().empty());
  CHECK(journal.str().find(secret) == std::string::npos);
}
