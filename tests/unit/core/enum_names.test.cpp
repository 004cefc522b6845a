#include <papillon/core/enum_names.hpp>

#include <string>
#include <vector>

#include "support/catch.hpp"

using namespace papillon;
using Catch::Matchers::Message;

namespace papillon::test_enum {
enum class colour { red, green, blue };
inline constexpr enum_table<colour, 3> colour_names{
    "colour",
    {{{colour::red, "red"}, {colour::green, "green", {"verde", "vert"}}, {colour::blue, "blue"}}}};
constexpr const auto& enum_names_of(colour) noexcept { return colour_names; }
}  // namespace papillon::test_enum

using papillon::test_enum::colour;

TEST_CASE("enum_names: one table gives names, parsing and the list of names", "[core][enum]") {
  STATIC_REQUIRE(name_of(colour::green) == "green");
  CHECK(test_enum::colour_names.try_parse("vert") == colour::green);
  CHECK_FALSE(test_enum::colour_names.try_parse("Green").has_value());
  CHECK(parse_enum<colour>("blue") == colour::blue);
  CHECK(parse_enum<colour>("verde") == colour::green);
  CHECK(enum_names<colour>() == std::vector<std::string>{"red", "green", "blue"});
  CHECK(test_enum::colour_names.names_text() == "red, green, blue");
  CHECK(test_enum::colour_names.names_text(", ", " or ") == "red, green or blue");
  CHECK_THROWS_MATCHES(parse_enum<colour>("purple", "paint"), data_error,
                       Message("papillon::paint: unknown colour 'purple' (valid: red, green, "
                               "blue)"));
  for (const auto& e : test_enum::colour_names.entries)
    CHECK(parse_enum<colour>(name_of(e.value)) == e.value);
}
