#include <papillon/circuit/butterfly.hpp>
#include <papillon/io/draw.hpp>

#include <algorithm>
#include <string>

#include "../../support/catch.hpp"

using namespace papillon;

TEST_CASE("draw: a 4-qubit Butterfly after an X", "[io][draw]") {
  circuit c(4);
  c.x(0).append(butterfly(4).body);
  // Moments are filled as early as possible: RBS(p1) on (2, 3) shares the X's moment.
  const std::string want =
      "q0: --X--------RBS(p0)--RBS(p2)-----------\n"
      "               |        |\n"
      "q1: -----------*--------+--------RBS(p3)--\n"
      "                        |        |\n"
      "q2: --RBS(p1)-----------*--------+--------\n"
      "      |                          |\n"
      "q3: --*--------------------------*--------\n";
  REQUIRE(draw_circuit(c) == want);
}

TEST_CASE("draw: labels of every gate family", "[io][draw]") {
  circuit c(3);
  c.h(0)
      .cnot(0, 2)
      .rz(1, param(3, -1.0))
      .ry(1, param(0, 0.5))
      .rbs(2, 1, 0.123456)
      .cz(0, 1)
      .swap(0, 2)
      .gpi(1, 0.25)
      .ms(0, 1, 0.1, 0.2);
  const std::string d = draw_circuit(c, {3});
  for (const char* label :
       {"H", "@", "X", "RZ(-p3)", "RY(0.5*p0)", "RBS(0.123)", "x", "GPI(0.25)", "MS(0.1,0.2,0.25)"})
    REQUIRE(d.find(label) != std::string::npos);
  // One wire row per qubit, one connector row between consecutive wires.
  REQUIRE(std::count(d.begin(), d.end(), '\n') == 5);
}
