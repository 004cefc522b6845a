#include <papillon/error.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>

#include "support/catch.hpp"

using Catch::Matchers::Message;
using papillon::test::contains_substring;

TEST_CASE("error: the hierarchy is rooted at papillon::error", "[error]") {
  SECTION("papillon::error is a std::runtime_error") {
    STATIC_REQUIRE(std::is_base_of_v<std::runtime_error, papillon::error>);
  }
  SECTION("input errors derive directly from papillon::error") {
    STATIC_REQUIRE(std::is_base_of_v<papillon::error, papillon::circuit_error>);
    STATIC_REQUIRE(std::is_base_of_v<papillon::error, papillon::dimension_error>);
    STATIC_REQUIRE(std::is_base_of_v<papillon::error, papillon::data_error>);
    STATIC_REQUIRE_FALSE(std::is_base_of_v<papillon::backend_error, papillon::circuit_error>);
  }
  SECTION("backend failures derive from backend_error") {
    STATIC_REQUIRE(std::is_base_of_v<papillon::error, papillon::backend_error>);
    STATIC_REQUIRE(std::is_base_of_v<papillon::backend_error, papillon::transport_error>);
    STATIC_REQUIRE(std::is_base_of_v<papillon::backend_error, papillon::http_error>);
    STATIC_REQUIRE(std::is_base_of_v<papillon::backend_error, papillon::remote_job_error>);
    STATIC_REQUIRE(std::is_base_of_v<papillon::backend_error, papillon::timeout_error>);
  }
  SECTION("errors are copyable, as exceptions must be") {
    STATIC_REQUIRE(std::is_nothrow_copy_constructible_v<papillon::error>);
    STATIC_REQUIRE(std::is_copy_constructible_v<papillon::http_error>);
  }
}

TEST_CASE("error: messages read 'papillon::<where>: <what> (<context>)'", "[error]") {
  SECTION("with a context") {
    const papillon::circuit_error e("circuit::append", "qubit out of range", "qubit 5, n = 4");
    CHECK(std::string(e.what()) ==
          "papillon::circuit::append: qubit out of range (qubit 5, n = 4)");
  }
  SECTION("without a context there are no parentheses") {
    const papillon::dimension_error e("simulator::run", "state has the wrong size");
    CHECK(std::string(e.what()) == "papillon::simulator::run: state has the wrong size");
  }
  SECTION("compose builds the same text") {
    CHECK(papillon::error::compose("a", "b", "c") == "papillon::a: b (c)");
    CHECK(papillon::error::compose("a", "b", "") == "papillon::a: b");
  }
}

TEST_CASE("error: every kind can be caught as papillon::error and std::runtime_error", "[error]") {
  SECTION("circuit_error") {
    CHECK_THROWS_AS(throw papillon::circuit_error("f", "bad"), papillon::error);
  }
  SECTION("data_error as std::runtime_error") {
    CHECK_THROWS_AS(throw papillon::data_error("csv::read", "bad row", "line 3"),
                    std::runtime_error);
  }
  SECTION("timeout_error as backend_error, with its message") {
    CHECK_THROWS_MATCHES(throw papillon::timeout_error("ionq::wait", "deadline passed", "60 s"),
                         papillon::backend_error,
                         Message("papillon::ionq::wait: deadline passed (60 s)"));
  }
  SECTION("transport_error is not an http_error") {
    bool caught_as_http = false;
    try {
      throw papillon::transport_error("curl", "connection refused");
    } catch (const papillon::http_error&) {
      caught_as_http = true;
    } catch (const papillon::backend_error&) {
    }
    CHECK_FALSE(caught_as_http);
  }
}

TEST_CASE("error: http_error keeps the status and the server's message", "[error][backend]") {
  SECTION("with a server message") {
    const papillon::http_error e("ionq::submit", 429, "Too many requests", "POST /jobs");
    CHECK(e.status() == 429);
    CHECK(e.server_message() == "Too many requests");
    CHECK(std::string(e.what()) ==
          "papillon::ionq::submit: HTTP 429: Too many requests (POST /jobs)");
  }
  SECTION("without a server message") {
    const papillon::http_error e("ionq::get_job", 500, "");
    CHECK(e.status() == 500);
    CHECK(e.server_message().empty());
    CHECK(std::string(e.what()) == "papillon::ionq::get_job: HTTP 500");
  }
  SECTION("caught as backend_error it still reads as HTTP") {
    CHECK_THROWS_WITH(throw papillon::http_error("ionq::submit", 401, "Invalid API key"),
                      contains_substring("HTTP 401: Invalid API key"));
  }
}
