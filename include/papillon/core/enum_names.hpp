#pragma once

/// @file
/// One name table per enum: each entry holds a value, its canonical name and up to three
/// aliases. name_of() gives the canonical name, parse() accepts either and throws data_error
/// listing the canonical names, names() lists them for help texts and option checks.
///
/// An enum opts in by declaring, next to itself, a table and a lookup function found by ADL:
///
/// @code
/// enum class colour { red, green };
/// inline constexpr enum_table<colour, 2> colour_names{
///     "colour", {{{colour::red, "red"}, {colour::green, "green", {"verde"}}}}};
/// constexpr const auto& enum_names_of(colour) noexcept { return colour_names; }
/// @endcode

#include <papillon/error.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace papillon {

/// One value of an enum with its names.
template <class E>
struct enum_name {
  E value;
  std::string_view name;                         ///< canonical: what output spells
  std::array<std::string_view, 3> aliases = {};  ///< also accepted on input; empty slots unused
};

/// The names of every value of an enum.
template <class E, std::size_t N>
struct enum_table {
  std::string_view what;  ///< what the values are, for messages ("gradient method")
  std::array<enum_name<E>, N> entries;

  /// The canonical name of v, or an empty view if v has no entry.
  [[nodiscard]] constexpr std::string_view name_of(E v) const noexcept {
    for (const auto& e : entries)
      if (e.value == v) return e.name;
    return {};
  }

  /// The value of a canonical name or alias, or nullopt.
  [[nodiscard]] constexpr std::optional<E> try_parse(std::string_view s) const noexcept {
    for (const auto& e : entries) {
      if (e.name == s) return e.value;
      for (const auto a : e.aliases)
        if (!a.empty() && a == s) return e.value;
    }
    return std::nullopt;
  }

  /// The canonical names, in table order.
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> out;
    out.reserve(N);
    for (const auto& e : entries) out.emplace_back(e.name);
    return out;
  }

  /// The canonical names joined by `separator`, the last two by `last` if given: "a, b, c"
  /// or, with last = " or ", "a, b or c".
  [[nodiscard]] std::string names_text(std::string_view separator = ", ",
                                       std::string_view last = {}) const {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) out.append(i + 1 == N && !last.empty() ? last : separator);
      out.append(entries[i].name);
    }
    return out;
  }

  /// The value of a canonical name or alias.
  /// @throws data_error naming `where` and listing the canonical names.
  [[nodiscard]] E parse(std::string_view s, std::string_view where) const {
    if (const auto v = try_parse(s)) return *v;
    throw data_error(where, "unknown " + std::string(what) + " '" + std::string(s) + "'",
                     "valid: " + names_text());
  }
};

/// The canonical name of an enum value with a table (see the file comment).
template <class E>
[[nodiscard]] constexpr std::string_view name_of(E v) noexcept {
  return enum_names_of(E{}).name_of(v);
}

/// The value of a name or alias of an enum with a table.
/// @throws data_error listing the canonical names.
template <class E>
[[nodiscard]] E parse_enum(std::string_view s, std::string_view where = "parse_enum") {
  return enum_names_of(E{}).parse(s, where);
}

/// The canonical names of an enum with a table, in table order.
template <class E>
[[nodiscard]] std::vector<std::string> enum_names() {
  return enum_names_of(E{}).names();
}

}  // namespace papillon
