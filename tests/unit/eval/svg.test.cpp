#include <papillon/eval/svg.hpp>

#include <cmath>

#include "support/catch.hpp"

namespace svg = papillon::eval::svg;

TEST_CASE("svg: escaping, coordinates and the opening tag", "[eval][svg]") {
  CHECK(svg::escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  CHECK(svg::escape(std::string("x\x01y")) == "x\xEF\xBF\xBDy");
  CHECK(svg::escape("tab\tok") == "tab\tok");
  CHECK(svg::px(12.345) == "12.3");
  CHECK(svg::px(std::nan("")) == "0.0");
  CHECK(svg::open_tag(860, 480) ==
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" height=\"480\" "
        "viewBox=\"0 0 860 480\" font-family=\"sans-serif\" font-size=\"12\">\n");
  CHECK(svg::open_tag(10, 20, "plot-x") ==
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"plot-x\" width=\"10\" height=\"20\" "
        "viewBox=\"0 0 10 20\" role=\"img\" aria-labelledby=\"plot-x-title plot-x-desc\" "
        "font-family=\"sans-serif\" font-size=\"12\">\n");
}
