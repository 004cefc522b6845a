#include <papillon/data/table.hpp>
#include <papillon/error.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "support/catch.hpp"

using Catch::Matchers::Message;
namespace pd = papillon::data;

TEST_CASE("table: columns are found by name", "[data][table]") {
  Eigen::MatrixXd v(2, 3);
  v << 1, 2, 3, 4, pd::missing_value, 6;
  const pd::table t({"a", "b", "c"}, v);
  CHECK(t.column_index("c") == 2);
  CHECK(t.has_column("b"));
  CHECK_FALSE(t.has_column("z"));
  SECTION("selection reorders columns") {
    const std::vector<std::string> names{"c", "a"};
    const auto s = t.select(names);
    CHECK(s.columns() == names);
    CHECK(s(1, 0) == 6);
  }
  SECTION("an unknown name lists the available columns") {
    REQUIRE_THROWS_MATCHES(t.column_index("HR"), papillon::data_error,
                           Message("papillon::data::table: unknown column 'HR' "
                                   "(available: a, b, c)"));
  }
  SECTION("rows are selected by index") {
    const std::vector<papillon::index_t> rows{1, 1, 0};
    const auto s = t.select_rows(rows);
    CHECK(s.rows() == 3);
    CHECK(s(2, 0) == 1);
    const std::vector<papillon::index_t> bad{2};
    CHECK_THROWS_AS(t.select_rows(bad), papillon::dimension_error);
  }
  SECTION("the observed mask marks NaN as missing") {
    const auto m = t.observed();
    CHECK(m.count() == 5);
    CHECK_FALSE(m(1, 1));
  }
  SECTION("bad construction") {
    CHECK_THROWS_AS(pd::table({"a"}, v), papillon::dimension_error);
    CHECK_THROWS_AS(pd::table({"a", "a", "b"}, v), papillon::data_error);
  }
}
