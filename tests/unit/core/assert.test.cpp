#include <papillon/circuit/gate.hpp>
#include <papillon/core/assert.hpp>
#include <papillon/sim/detail/apply.hpp>

#include <string>
#include <type_traits>
#include <vector>

#include "support/catch.hpp"

using namespace papillon;
using Catch::Matchers::Message;

namespace {
int checked_half(int v) {
  PAPILLON_ASSERT(v % 2 == 0, "test::checked_half", "odd input");
  return v / 2;
}
}  // namespace

TEST_CASE("assert: a broken invariant throws internal_error", "[core][assert]") {
  STATIC_REQUIRE(std::is_base_of_v<error, internal_error>);
  STATIC_REQUIRE_FALSE(std::is_base_of_v<data_error, internal_error>);
  CHECK(checked_half(4) == 2);
  CHECK_THROWS_AS(checked_half(3), internal_error);
  CHECK_THROWS_MATCHES(checked_half(3), internal_error,
                       Message("papillon::test::checked_half: odd input (broken invariant "
                               "'v % 2 == 0' at unit/core/assert.test.cpp:16)"));
}

TEST_CASE("assert: a gate matrix of the wrong arity is a bug, not the identity", "[core][assert]") {
  CHECK_THROWS_AS(one_qubit_matrix<double>(gate_kind::rbs, 0.3), internal_error);
  CHECK_THROWS_AS(two_qubit_matrix<double>(gate_kind::h, 0.0), internal_error);
  CHECK_NOTHROW(one_qubit_matrix<double>(gate_kind::h, 0.0));
}

TEST_CASE("assert: kernel dispatch rejects a complex gate on a real state", "[core][assert]") {
  std::vector<double> amps{1.0, 0.0};
  CHECK_THROWS_AS(detail::apply_operation(amps.data(), 1, make_operation(gate_kind::s, 0), 0.0),
                  internal_error);
}
