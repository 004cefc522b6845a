#pragma once

// Helpers shared by the subcommands: parsing list options and writing the one JSON document a
// subcommand prints.

#include <papillon/core/enum_names.hpp>
#include <papillon/error.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/distributed.hpp"

namespace papillon::cli {

/// Splits "a,b,c" at commas, trimming blanks; an empty string gives an empty list.
inline std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  if (text.find_first_not_of(" \t") == std::string_view::npos) return out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    std::string item(
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    const auto b = item.find_first_not_of(" \t");
    const auto e = item.find_last_not_of(" \t");
    out.push_back(b == std::string::npos ? std::string() : item.substr(b, e - b + 1));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

/// A check that an option names a value of enum E: its canonical names or aliases. Help and
/// errors list the canonical names, as CLI::IsMember does.
template <class E>
CLI::Validator one_of_enum() {
  const auto& table = enum_names_of(E{});
  const std::string set = "{" + table.names_text(",") + "}";
  return CLI::Validator(
      [&table, set](std::string& s) {
        return table.try_parse(s) ? std::string() : s + " not in " + set;
      },
      set);
}

/// Parses a finite double, or throws data_error naming the option and the entry.
inline double parse_double(std::string_view option, const std::string& item, std::size_t entry) {
  char* end = nullptr;
  const double v = std::strtod(item.c_str(), &end);
  if (item.empty() || end != item.c_str() + item.size() || !std::isfinite(v))
    throw data_error("cli", "'" + item + "' is not a finite number",
                     std::string(option) + ", entry " + std::to_string(entry));
  return v;
}

/// Parses "x0,x1,..." into doubles.
inline std::vector<double> parse_double_list(std::string_view option, std::string_view text) {
  std::vector<double> out;
  const auto items = split_list(text);
  for (std::size_t i = 0; i < items.size(); ++i) out.push_back(parse_double(option, items[i], i));
  return out;
}

/// Writes text to `path`, or to standard output when `path` is empty. Under mpirun only rank 0
/// writes (the other ranks' standard output is closed).
inline void write_text(const std::string& text, const std::string& path) {
  if (!distributed().is_root()) return;
  if (path.empty()) {
    std::cout << text;
    std::cout.flush();
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.flush();
  if (!out) throw data_error("cli", "cannot write the output file", path);
}

/// Writes the document to `path`, or to standard output when `path` is empty.
template <class Json>
void write_document(const Json& doc, const std::string& path) {
  write_text(doc.dump(2) + "\n", path);
}

}  // namespace papillon::cli
