#include <papillon/circuit/circuit.hpp>

#include "support/catch.hpp"

using namespace papillon;

TEST_CASE("circuit: appenders validate and name the operation", "[circuit]") {
  circuit c(3);
  c.x(0).rbs(0, 1, param(2)).cz(1, 2);
  REQUIRE(c.size() == 3);
  REQUIRE(c.num_parameters() == 3);

  SECTION("qubit out of range") {
    REQUIRE_THROWS_MATCHES(
        c.rbs(0, 3, 0.1), circuit_error,
        Catch::Matchers::Message("papillon::circuit::append: qubit 3 out of range for 3 qubits "
                                 "(operation 3: rbs)"));
  }
  SECTION("repeated target") {
    REQUIRE_THROWS_WITH(c.cz(2, 2), test::contains_substring("repeated target qubit 2") &&
                                        test::contains_substring("operation 3: cz"));
  }
  SECTION("non-finite angle") {
    REQUIRE_THROWS_WITH(c.ry(1, std::nan("")), test::contains_substring("non-finite angle"));
    REQUIRE_THROWS_WITH(c.ry(1, param(0, INFINITY)),
                        test::contains_substring("non-finite parameter scale"));
    REQUIRE_THROWS_WITH(c.ms(0, 1, 0, NAN), test::contains_substring("non-finite phase"));
  }
  SECTION("parameter on a fixed gate") {
    operation op = make_operation(gate_kind::h, 0);
    op.param = param(0);
    REQUIRE_THROWS_WITH(c.append(op), test::contains_substring("gate takes no angle parameter"));
  }
  SECTION("a failed append leaves the circuit unchanged") {
    REQUIRE_THROWS(c.rbs(0, 7, param(9)));
    REQUIRE(c.size() == 3);
    REQUIRE(c.num_parameters() == 3);
  }
  SECTION("qubit count") {
    REQUIRE_THROWS_AS(circuit(0), circuit_error);
    REQUIRE_THROWS_AS(circuit(max_circuit_qubits + 1), circuit_error);
  }
}

TEST_CASE("circuit: parameter count and declared parameters", "[circuit]") {
  circuit c(2);
  c.ry(0, param(4, -0.5));
  REQUIRE(c.num_parameters() == 5);
  c.set_num_parameters(8);
  REQUIRE(c.num_parameters() == 8);
  REQUIRE_THROWS_WITH(c.set_num_parameters(3), test::contains_substring("declared 3, needed 5"));
  const std::vector<double> p{0, 0, 0, 0, 2.0, 0, 0, 0};
  REQUIRE(c[0].angle(p) == -1.0);
  REQUIRE_THROWS_AS(check_parameters(c, std::vector<double>(4, 0.0), "t"), dimension_error);
  std::vector<double> bad(8, 0.0);
  bad[6] = NAN;
  REQUIRE_THROWS_WITH(check_parameters(c, bad, "t"), test::contains_substring("parameter 6"));
}

TEST_CASE("circuit: inverse reverses and inverts, reading the same parameters", "[circuit]") {
  circuit c(2);
  c.s(0).rbs(0, 1, param(0, 2.0)).rz(1, 0.3).gpi2(0, 0.1).ms(0, 1, 0.1, 0.2, 0.2);
  const circuit inv = c.inverse();
  REQUIRE(inv.size() == c.size());
  REQUIRE(inv[0].kind == gate_kind::ms);
  REQUIRE(inv[0].turns[2] == -0.2);
  REQUIRE(inv[1].turns[0] == 0.6);
  REQUIRE(inv[2].theta == -0.3);
  REQUIRE(inv[3].param->scale == -2.0);
  REQUIRE(inv[4].kind == gate_kind::sdg);
  REQUIRE(inv.num_parameters() == 1);
  // Inverting twice restores every gate; gpi2 phases come back shifted by one whole turn.
  const circuit twice = inv.inverse();
  for (index_t i = 0; i < c.size(); ++i) {
    if (c[i].kind == gate_kind::gpi2) {
      REQUIRE(std::abs(twice[i].turns[0] - c[i].turns[0] - 1.0) < 1e-15);
      continue;
    }
    REQUIRE(twice[i] == c[i]);
  }
}

TEST_CASE("circuit: append composes circuits", "[circuit]") {
  circuit a(4), b(2);
  a.x(0);
  b.rbs(0, 1, param(3));
  a.append(b);
  REQUIRE(a.size() == 2);
  REQUIRE(a.num_parameters() == 4);
  REQUIRE_THROWS_AS(b.append(a), circuit_error);
}
