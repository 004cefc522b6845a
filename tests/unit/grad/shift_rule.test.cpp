#include <papillon/grad/shift_rule.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

using namespace papillon;

TEST_CASE("shift rules follow from the generator spectrum", "[grad][shift_rule]") {
  SECTION("RBS and FBS: four-term rule of docs/method.md 3.1") {
    for (auto k : {gate_kind::rbs, gate_kind::fbs}) {
      const auto r = shift_rule_for(k);
      REQUIRE(r.terms.size() == 2);
      REQUIRE(r.evaluations() == 4);
      CHECK(r.terms[0].shift == Approx(std::numbers::pi / 4).margin(1e-15));
      CHECK(r.terms[0].coefficient == Approx(1.0).margin(1e-14));
      CHECK(r.terms[1].shift == Approx(std::numbers::pi / 2).margin(1e-15));
      CHECK(r.terms[1].coefficient == Approx(-(std::sqrt(2.0) - 1) / 2).margin(1e-14));
    }
  }
  SECTION("Pauli rotations: +-pi/2 with 1/2") {
    for (auto k : {gate_kind::rx, gate_kind::ry, gate_kind::rz, gate_kind::xx, gate_kind::yy,
                   gate_kind::zz}) {
      const auto r = shift_rule_for(k);
      REQUIRE(r.terms.size() == 1);
      CHECK(r.terms[0].shift == Approx(std::numbers::pi / 2).margin(1e-15));
      CHECK(r.terms[0].coefficient == Approx(0.5).margin(1e-15));
    }
  }
  SECTION("reduced RBS rule: +-pi/4 with 1") {
    const auto r = reduced_rbs_rule();
    REQUIRE(r.terms.size() == 1);
    CHECK(r.terms[0].shift == Approx(std::numbers::pi / 4).margin(1e-15));
    CHECK(r.terms[0].coefficient == Approx(1.0).margin(1e-14));
  }
  SECTION("rules are exact on trigonometric polynomials of their frequencies") {
    // f(t) = 0.3 + 0.7 cos t - 0.2 sin t + 0.4 cos 2t + 1.1 sin 2t at t = 0.37
    const auto f = [](double t) {
      return 0.3 + 0.7 * std::cos(t) - 0.2 * std::sin(t) + 0.4 * std::cos(2 * t) +
             1.1 * std::sin(2 * t);
    };
    const double t = 0.37;
    const double exact =
        -0.7 * std::sin(t) - 0.2 * std::cos(t) - 0.8 * std::sin(2 * t) + 2.2 * std::cos(2 * t);
    double d = 0;
    for (const auto& term : shift_rule_for(gate_kind::rbs).terms)
      d += term.coefficient * (f(t + term.shift) - f(t - term.shift));
    CHECK(d == Approx(exact).margin(1e-13));
  }
  SECTION("gates without angles have no rule") {
    CHECK_THROWS_AS(shift_rule_for(gate_kind::h), data_error);
  }
}
