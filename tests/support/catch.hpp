#pragma once

/// @file
/// Catch2 v2/v3 shim. Tests include this header, never Catch2's own headers, so they build with
/// Debian's Catch2 2.13 and with Catch2 3.x alike.
///
/// - papillon::test::matcher_base<T> is the base class for custom matchers (implement
///   `bool match(const T&) const` and `std::string describe() const`); it is
///   Catch::MatcherBase<T> in v2 and Catch::Matchers::MatcherBase<T> in v3.
/// - papillon::test::contains_substring(s) is `Contains` in v2 and `ContainsSubstring` in v3.
/// - Catch::Matchers::WithinAbs, WithinRel, Message and the generators (GENERATE, take, random,
///   range) are available under the same names in both versions.

#include <string>

#if __has_include(<catch2/catch_test_macros.hpp>)
#  include <catch2/catch_template_test_macros.hpp>
#  include <catch2/catch_test_macros.hpp>
#  include <catch2/generators/catch_generators.hpp>
#  include <catch2/generators/catch_generators_adapters.hpp>
#  include <catch2/generators/catch_generators_random.hpp>
#  include <catch2/generators/catch_generators_range.hpp>
#  include <catch2/matchers/catch_matchers.hpp>
#  include <catch2/matchers/catch_matchers_exception.hpp>
#  include <catch2/matchers/catch_matchers_floating_point.hpp>
#  include <catch2/matchers/catch_matchers_string.hpp>
#  define PAPILLON_CATCH_VERSION 3

namespace papillon::test {
template <class T>
using matcher_base = Catch::Matchers::MatcherBase<T>;
/// Substring matcher: `ContainsSubstring` in v3, `Contains` in v2.
inline auto contains_substring(const std::string& s) {
  return Catch::Matchers::ContainsSubstring(s);
}
}  // namespace papillon::test

#else
#  include <catch2/catch.hpp>
#  define PAPILLON_CATCH_VERSION 2

namespace papillon::test {
template <class T>
using matcher_base = Catch::MatcherBase<T>;
/// Substring matcher: `ContainsSubstring` in v3, `Contains` in v2.
inline auto contains_substring(const std::string& s) { return Catch::Matchers::Contains(s); }
}  // namespace papillon::test

#endif
