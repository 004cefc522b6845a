#include <papillon/data/csv.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/catch.hpp"

using Catch::Matchers::Message;
using papillon::test::contains_substring;
namespace pd = papillon::data;

TEST_CASE("csv: a well-formed file is parsed", "[data][csv]") {
  const std::string text =
      "id,\"HR\",Temp,note\r\n"
      "1, 80.5 ,NA,\"a, b\"\n"
      "2,,36.6,\"say \"\"hi\"\"\"\n"
      "\n"
      "3,NaN,+37.2e0,\"two\nlines\"\n";
  SECTION("every column, missing cells as NaN") {
    const auto t = pd::parse_csv(text, "x.csv", {.columns = {"id", "HR", "Temp"}});
    REQUIRE(t.rows() == 3);
    REQUIRE(t.cols() == 3);
    CHECK(t.columns() == std::vector<std::string>{"id", "HR", "Temp"});
    CHECK(t(0, 1) == 80.5);
    CHECK(std::isnan(t(0, 2)));
    CHECK(std::isnan(t(1, 1)));
    CHECK(t(1, 2) == 36.6);
    CHECK(std::isnan(t(2, 1)));
    CHECK(t(2, 2) == 37.2);
    CHECK_THAT(t.missing_fraction(), Catch::Matchers::WithinAbs(3.0 / 9.0, 1e-12));
  }
  SECTION("columns are selected by name, in the order asked") {
    const auto t = pd::parse_csv(text, "x.csv", {.columns = {"Temp", "id"}});
    CHECK(t.columns() == std::vector<std::string>{"Temp", "id"});
    CHECK(t(2, 1) == 3.0);
  }
  SECTION("a text column is an error only when it is parsed") {
    REQUIRE_THROWS_MATCHES(pd::parse_csv(text, "x.csv"), papillon::data_error,
                           Message("papillon::data::read_csv: not a finite number: 'a, b' "
                                   "(x.csv, line 2, column 4 'note')"));
  }
}

TEST_CASE("csv: malformed input is rejected with file, line and column", "[data][csv]") {
  SECTION("wrong field count") {
    REQUIRE_THROWS_MATCHES(pd::parse_csv("a,b\n1,2\n3\n", "bad.csv"), papillon::data_error,
                           Message("papillon::data::read_csv: wrong number of fields (bad.csv, "
                                   "line 3: expected 2, found 1)"));
  }
  SECTION("the line number counts lines inside quoted fields") {
    CHECK_THROWS_WITH(pd::parse_csv("a,b\n1,\"x\ny\"\n2,3,4\n", "q.csv", {.columns = {"a"}}),
                      contains_substring("q.csv, line 4"));
  }
  SECTION("unparsable number") {
    REQUIRE_THROWS_MATCHES(pd::parse_csv("a,b\n1,2\n3,4x\n", "n.csv"), papillon::data_error,
                           Message("papillon::data::read_csv: not a finite number: '4x' "
                                   "(n.csv, line 3, column 2 'b')"));
  }
  SECTION("infinity is not a value") {
    CHECK_THROWS_AS(pd::parse_csv("a\ninf\n"), papillon::data_error);
  }
  SECTION("unterminated quote") {
    CHECK_THROWS_AS(pd::parse_csv("a,b\n1,\"2\n", "u.csv"), papillon::data_error);
    CHECK_THROWS_WITH(pd::parse_csv("a,b\n1,\"2\n", "u.csv"),
                      contains_substring("unterminated quoted field (u.csv, line 2)"));
  }
  SECTION("unknown column lists the available ones") {
    REQUIRE_THROWS_MATCHES(pd::parse_csv("a,b\n1,2\n", "c.csv", {.columns = {"HR"}}),
                           papillon::data_error,
                           Message("papillon::data::read_csv: unknown column 'HR' (c.csv; "
                                   "available: a, b)"));
  }
  SECTION("duplicate header names") {
    CHECK_THROWS_WITH(pd::parse_csv("a,a\n1,2\n", "d.csv"), contains_substring("duplicate"));
  }
  SECTION("empty input") { CHECK_THROWS_AS(pd::parse_csv("", "e.csv"), papillon::data_error); }
  SECTION("a missing file") {
    CHECK_THROWS_WITH(pd::read_csv("/nonexistent/file.csv"), contains_substring("cannot open"));
  }
}

TEST_CASE("csv: the header alone is read without parsing cells", "[data][csv]") {
  const auto path = std::filesystem::temp_directory_path() / "papillon_csv_header.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "\xEF\xBB\xBF id , \"a\nb\",unit\r\n1,x,\"mg\"\n";
  }
  CHECK(pd::read_csv_header(path) == std::vector<std::string>{"id", "a\nb", "unit"});
  // a text column is read only if it is requested
  const auto t = pd::read_csv(path, {.columns = {"id"}});
  CHECK(t.rows() == 1);
  CHECK_THROWS_WITH(pd::read_csv(path, {.columns = {"id", "a\nb"}}),
                    contains_substring("not a finite number: 'x'") &&
                        contains_substring("line 3, column 2"));  // the header spans two lines
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << ",a,b,a\n1,2,3,4\n";
  }
  CHECK_THROWS_WITH(pd::read_csv_header(path), contains_substring("duplicate column name 'a'"));
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(pd::read_csv_header(path), contains_substring("cannot open"));
}

TEST_CASE("csv: write then read round-trips exactly", "[data][csv]") {
  Eigen::MatrixXd v(3, 2);
  v << 0.1, -1e-300, pd::missing_value, 123456789.123456789, 1.0 / 3.0, 42;
  const pd::table t({"x", "name, with comma"}, v);
  const auto path = std::filesystem::temp_directory_path() / "papillon_csv_roundtrip.csv";
  pd::write_csv(path, t);
  const auto back = pd::read_csv(path);
  std::filesystem::remove(path);
  REQUIRE(back.columns() == t.columns());
  REQUIRE(back.rows() == 3);
  for (papillon::index_t i = 0; i < 3; ++i)
    for (papillon::index_t j = 0; j < 2; ++j) {
      if (std::isnan(t(i, j))) {
        CHECK(std::isnan(back(i, j)));
      } else {
        CHECK(back(i, j) == t(i, j));  // shortest round-trip text: bit-exact
      }
    }
}

TEST_CASE("csv: text columns of SUPPORT2 and MIMIC-III are skipped unless requested",
          "[data][csv][support2][mimic]") {
  const std::filesystem::path root(PAPILLON_SHARED_DATA_DIR);
  const auto support = root / "support2" / "support2.csv";
  const auto mimic = root / "mimic3_demo" / "mimic3_demo_icustay_labs_48h.csv";
  if (!std::filesystem::exists(support) || !std::filesystem::exists(mimic)) {
    WARN("skipped: shared data not found under " << root.string());
    return;
  }
  const auto s = pd::read_csv(support, {.columns = {"age", "meanbp", "hrt", "crea"}});
  CHECK(s.rows() > 9000);
  CHECK_THROWS_WITH(
      pd::read_csv(support, {.columns = {"age", "sex"}}),
      contains_substring("column") && contains_substring("'sex'") && contains_substring("line 2"));
  const auto m = pd::read_csv(mimic, {.columns = {"HCT", "Na", "BUN"}});
  CHECK(m.rows() == 136);
  CHECK_THROWS_WITH(pd::read_csv(mimic, {.columns = {"FIRST_CAREUNIT"}}),
                    contains_substring("'FIRST_CAREUNIT'") && contains_substring("line 2"));
}

TEST_CASE("csv: the PhysioNet 2012 set A table reads", "[data][csv][physionet]") {
  const std::filesystem::path file = std::filesystem::path(PAPILLON_SHARED_DATA_DIR) /
                                     "physionet2012" / "physionet2012_set-a_core_mean48h.csv";
  if (!std::filesystem::exists(file)) {
    WARN("skipped: shared data not found at " << file.string());
    return;
  }
  const auto t = pd::read_csv(file);
  CHECK(pd::read_csv_header(file).size() == 32);
  CHECK(t.rows() == 4000);
  CHECK(t.cols() == 32);
  const auto death = t.column("In-hospital_death");
  CHECK(death.sum() == 554);  // SOURCE.md: 554 deaths in set A
  const auto nimap = t.column("NIMAP");
  const double missing = static_cast<double>(nimap.array().isNaN().count()) / 4000.0;
  CHECK_THAT(missing, Catch::Matchers::WithinAbs(0.130, 0.001));  // SOURCE.md: 13.0 %
}

TEST_CASE("csv: split_csv_records splits quoted Google Benchmark rows", "[data][csv]") {
  const auto recs = pd::split_csv_records(
      "name,iterations,label\r\n\"bm_a/8\",3,\"say \"\"hi\"\", twice\"\n\n\"bm_b/16\",1,\n");
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].fields == std::vector<std::string>{"name", "iterations", "label"});
  CHECK(recs[1].fields == std::vector<std::string>{"bm_a/8", "3", "say \"hi\", twice"});
  CHECK(recs[1].line == 2);
  CHECK(recs[2].fields == std::vector<std::string>{"bm_b/16", "1", ""});
  CHECK(recs[2].line == 4);
  CHECK_THROWS_AS(pd::split_csv_records("a,\"b\n"), papillon::data_error);
}

TEST_CASE("csv: huge or binary cells give one short line naming the file", "[data][csv]") {
  const auto message_of = [](const std::string& text, const pd::csv_options& opt = {}) {
    try {
      static_cast<void>(pd::parse_csv(text, "in.csv", opt));
    } catch (const papillon::data_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string big(16 * 1024 * 1024, '9');
  std::string m = message_of("a,b\n1," + big + "x\n");
  CHECK_THAT(m, contains_substring("not a finite number") &&
                    contains_substring("in.csv, line 2, column 2 'b'"));
  CHECK(m.size() < 300);
  // A NUL in a cell no longer cuts the C string before the file name.
  m = message_of(std::string("a,b\n1,2\0x\n", 10));
  CHECK_THAT(m, contains_substring("'2\\0x'") && contains_substring("in.csv, line 2"));
  CHECK(std::string_view(m.c_str()) == m);
  // Control characters in a header name are escaped.
  m = message_of("a,\x1b[2Jb\n1,z\n");
  CHECK_THAT(m, contains_substring("'\\x1b[2Jb'"));
  m = message_of("a," + big + "\n1,2\n", pd::csv_options{',', {}, {"zz"}});
  CHECK_THAT(m, contains_substring("unknown column 'zz'") && contains_substring("in.csv"));
  CHECK(m.size() < 400);
  m = message_of(big + "," + big + "\n1,2\n");
  CHECK_THAT(m, contains_substring("bad header") && contains_substring("duplicate column name"));
  CHECK(m.size() < 500);
}

TEST_CASE("csv: a directory is refused by name", "[data][csv]") {
  const auto dir = std::filesystem::temp_directory_path();
  CHECK_THROWS_WITH(pd::read_csv(dir),
                    contains_substring("is a directory") && contains_substring(dir.string()));
}

TEST_CASE("csv: a one-column table of missing cells round-trips", "[data][csv]") {
  Eigen::MatrixXd v(3, 1);
  v << pd::missing_value, 2.0, pd::missing_value;
  const pd::table t({"x"}, v);
  const std::string text = pd::format_csv(t);
  CHECK(text == "x\n\"\"\n2\n\"\"\n");
  const auto back = pd::parse_csv(text);
  REQUIRE(back.rows() == 3);
  CHECK(std::isnan(back(0, 0)));
  CHECK(back(1, 0) == 2.0);
  CHECK(std::isnan(back(2, 0)));
}

TEST_CASE("csv: a first column name starting with a byte-order mark round-trips", "[data][csv]") {
  Eigen::MatrixXd v(1, 1);
  v << 1.0;
  const pd::table t({"\xEF\xBB\xBFx"}, v);
  const auto back = pd::parse_csv(pd::format_csv(t));
  CHECK(back.columns() == t.columns());
  CHECK(back.rows() == 1);
}
