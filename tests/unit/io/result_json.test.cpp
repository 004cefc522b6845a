#include <papillon/io/result_json.hpp>

#include <nlohmann/json.hpp>

#include <limits>

#include "support/catch.hpp"

using namespace papillon;

TEST_CASE("result_json: the evaluation ledger", "[io][json]") {
  const evaluation_ledger l{12, 3400, 2};
  CHECK(nlohmann::ordered_json(l).dump() == R"({"circuits":12,"shots":3400,"batches":2})");
  CHECK(nlohmann::json(l).get<evaluation_ledger>() == l);
  CHECK_THROWS_AS(nlohmann::json::parse(R"({"circuits":1,"shots":2})").get<evaluation_ledger>(),
                  nlohmann::json::exception);
}

TEST_CASE("result_json: a gradient result, as `papillon grad` prints it", "[io][json]") {
  gradient_result r;
  r.value = 0.25;
  r.parameters = {3, 0};
  r.gradient = {-0.5, 1.0};
  r.method = gradient_method::parallel;
  r.evaluations = {4, 0, 1};
  r.approximate = true;
  r.approximation_note = "for messages only";
  CHECK(nlohmann::ordered_json(r).dump() ==
        R"({"value":0.25,"gradient":{"3":-0.5,"0":1.0},"method":"parallel",)"
        R"("evaluations":{"circuits":4,"shots":0,"batches":1},"approximate":true})");
  r.value = std::numeric_limits<double>::quiet_NaN();  // not evaluated: written as null
  CHECK(nlohmann::ordered_json(r).dump().find(R"("value":null)") != std::string::npos);
}
