#include <papillon/core/text.hpp>

#include <string>

#include "support/catch.hpp"

using namespace papillon;

TEST_CASE("text: printable ASCII and UTF-8 pass unchanged", "[core][text]") {
  CHECK(sanitize_text("heart rate (bpm)") == "heart rate (bpm)");
  CHECK(sanitize_text("Temp\xc3\xa9rature \xe2\x82\xac \xf0\x9f\x98\x80") ==
        "Temp\xc3\xa9rature \xe2\x82\xac \xf0\x9f\x98\x80");
  CHECK(sanitize_text("").empty());
}

TEST_CASE("text: control characters, NUL and bad UTF-8 are escaped", "[core][text]") {
  CHECK(sanitize_text(std::string("a\0b", 3)) == "a\\0b");
  CHECK(sanitize_text("l1\nl2\r\tx") == "l1\\nl2\\r\\tx");
  CHECK(sanitize_text("\x1b[2J") == "\\x1b[2J");
  CHECK(sanitize_text("\x7f") == "\\x7f");
  CHECK(sanitize_text("\xc2\x9b"
                      "31m") == "\\xc2\\x9b31m");  // C1 CSI
  CHECK(sanitize_text("\xff\xfe") == "\\xff\\xfe");
  CHECK(sanitize_text("\xc3") == "\\xc3");                    // cut sequence
  CHECK(sanitize_text("\xc0\xaf") == "\\xc0\\xaf");           // overlong '/'
  CHECK(sanitize_text("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // surrogate
}

TEST_CASE("text: long text is cut with a marker giving the original size", "[core][text]") {
  const std::string big(16 * 1024 * 1024, 'x');
  const std::string s = sanitize_text(big);
  CHECK(s == std::string(text_cap, 'x') + "... (16777216 bytes)");
  CHECK(sanitize_text(std::string(10, 'y'), 10) == std::string(10, 'y'));
  CHECK(sanitize_text(std::string(11, 'y'), 10) == std::string(10, 'y') + "... (11 bytes)");
  // An escape is never split by the cut.
  CHECK(sanitize_text("abc\n", 4) == "abc... (4 bytes)");
  // Nor is a UTF-8 character.
  CHECK(sanitize_text("ab\xc3\xa9", 3) == "ab... (4 bytes)");
}
