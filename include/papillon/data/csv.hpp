#pragma once

/// @file
/// Reading and writing numeric CSV files (RFC 4180 quoting). The first row is the header.
/// A cell is missing when it is empty or one of csv_options::na_values ("NA", "NaN" by
/// default); every other cell of a parsed column must be a finite number. Malformed input is a
/// data_error naming the file, the line and the column; quoted cells and names are sanitised
/// and bounded (core/text.hpp), so a huge or binary cell still gives one short line.

#include <papillon/core/text.hpp>
#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace papillon::data {

/// How read_csv() and parse_csv() read a file.
struct csv_options {
  /// Field separator.
  char delimiter = ',';
  /// Cell texts (after trimming spaces) that mean "missing"; an empty cell is always missing.
  std::vector<std::string> na_values = {"NA", "NaN", "nan", "N/A"};
  /// The columns to parse, in the order wanted; empty = every column. Other columns may hold
  /// text: only their field count is checked.
  std::vector<std::string> columns{};
};

/// How write_csv() writes a table.
struct csv_write_options {
  /// Field separator.
  char delimiter = ',';
  /// Text written for a missing cell.
  std::string na_value{};
};

/// Parses CSV text.
/// @param text the whole file content
/// @param source the name used in error messages (a path, or "<string>")
/// @throws data_error on a malformed row (wrong field count, unterminated quote, a value that is
///   not a number), an empty input, or an unknown column in options.columns; the message gives
///   the source, the line and, for a bad value, the column
[[nodiscard]] table parse_csv(std::string_view text, std::string_view source = "<string>",
                              const csv_options& options = {});

/// Reads a CSV file.
/// @throws data_error if the file cannot be opened, or as parse_csv()
[[nodiscard]] table read_csv(const std::filesystem::path& path, const csv_options& options = {});

/// The column names of a CSV file's header row (trimmed), without parsing any cell: to choose
/// the columns to read before reading them.
/// @throws data_error if the file cannot be opened, has no header row, an unterminated quote or
///   a (non-empty) name twice
[[nodiscard]] std::vector<std::string> read_csv_header(const std::filesystem::path& path,
                                                       char delimiter = ',');

/// One parsed CSV record: its fields and the (1-based) line on which it starts.
struct csv_record {
  std::vector<std::string> fields;
  index_t line = 0;
};

/// Splits CSV text into records, fields unparsed: the one CSV splitter of papillon (tables,
/// masks, Google Benchmark output). Quotes may span lines; "" inside quotes is a quote. A
/// leading UTF-8 byte-order mark is skipped, CRLF is accepted, blank lines are skipped.
/// @param source the name used in error messages (a path, or "<string>")
/// @throws data_error on an unterminated quote or text after a closing quote
[[nodiscard]] std::vector<csv_record> split_csv_records(std::string_view text,
                                                        std::string_view source = "<string>",
                                                        char delimiter = ',');

/// Formats a table as CSV text: a header row, then one row per table row. Numbers are written
/// in the shortest form that reads back to the same double.
[[nodiscard]] std::string format_csv(const table& t, const csv_write_options& options = {});

/// Writes a table to a CSV file (see format_csv()).
/// @throws data_error if the file cannot be written
void write_csv(const std::filesystem::path& path, const table& t,
               const csv_write_options& options = {});

inline std::vector<csv_record> split_csv_records(std::string_view text, std::string_view source,
                                                 char delimiter) {
  std::vector<csv_record> records;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t pos = 0;
  index_t line = 1;
  const auto where = [&](index_t l) {
    return sanitize_text(source) + ", line " + std::to_string(l);
  };
  while (pos < text.size()) {
    csv_record rec;
    rec.line = line;
    std::string field;
    bool field_was_quoted = false;
    bool end_of_record = false;
    while (!end_of_record) {
      if (pos >= text.size()) {
        rec.fields.push_back(std::move(field));
        break;
      }
      const char c = text[pos];
      if (c == '"' && field.find_first_not_of(" \t") == std::string::npos && !field_was_quoted) {
        // A quoted field: read to the closing quote, which may be on a later line.
        field.clear();
        field_was_quoted = true;
        const index_t start_line = line;
        ++pos;
        for (;;) {
          if (pos >= text.size())
            throw data_error("data::read_csv", "unterminated quoted field", where(start_line));
          const char q = text[pos];
          if (q == '"') {
            if (pos + 1 < text.size() && text[pos + 1] == '"') {
              field += '"';
              pos += 2;
              continue;
            }
            ++pos;
            break;
          }
          if (q == '\n') ++line;
          field += q;
          ++pos;
        }
        // Only spaces may follow the closing quote before the delimiter or the end of line.
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
        if (pos < text.size() && text[pos] != delimiter && text[pos] != '\n' && text[pos] != '\r')
          throw data_error("data::read_csv", "unexpected text after a closing quote", where(line));
        continue;
      }
      if (c == delimiter) {
        rec.fields.push_back(std::move(field));
        field.clear();
        field_was_quoted = false;
        ++pos;
      } else if (c == '\n' || c == '\r') {
        rec.fields.push_back(std::move(field));
        if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
        ++pos;
        ++line;
        end_of_record = true;
      } else {
        field += c;
        ++pos;
      }
    }
    // A blank line is one empty, unquoted field: skip it.
    if (rec.fields.size() == 1 && rec.fields[0].empty() && !field_was_quoted) continue;
    records.push_back(std::move(rec));
  }
  return records;
}

namespace detail {

/// Strips leading and trailing spaces and tabs.
[[nodiscard]] inline std::string_view trim(std::string_view s) noexcept {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

/// Quotes a CSV field when it holds the delimiter, a quote or a line break, or starts with a
/// UTF-8 byte-order mark (which the reader would strip at the start of a file).
[[nodiscard]] inline std::string quote_csv_field(std::string_view s, char delimiter) {
  if (s.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string_view::npos &&
      s.substr(0, 3) != "\xEF\xBB\xBF")
    return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

/// The shortest decimal text that reads back to `v` (std::to_chars round-trip guarantee).
[[nodiscard]] inline std::string format_double(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

}  // namespace detail

// ---- Definitions --------------------------------------------------------------------------------

inline table parse_csv(std::string_view text, std::string_view source, const csv_options& options) {
  const auto records = split_csv_records(text, source, options.delimiter);
  const std::string shown = sanitize_text(source);
  if (records.empty()) throw data_error("data::read_csv", "no header row", shown);
  const auto& header = records.front().fields;
  std::vector<std::string> names;
  names.reserve(header.size());
  for (const auto& h : header) names.emplace_back(detail::trim(h));

  std::vector<index_t> wanted;  // file column of each table column
  if (options.columns.empty()) {
    for (index_t j = 0; j < names.size(); ++j) wanted.push_back(j);
  } else {
    for (const auto& c : options.columns) {
      index_t found = names.size();
      for (index_t j = 0; j < names.size(); ++j)
        if (names[j] == c) found = j;
      if (found == names.size()) {
        std::string avail;
        for (const auto& n : names) avail += (avail.empty() ? "" : ", ") + n;
        throw data_error("data::read_csv", "unknown column '" + sanitize_text(c, 60) + "'",
                         shown + "; available: " + sanitize_text(avail));
      }
      wanted.push_back(found);
    }
  }

  const auto n_rows = static_cast<Eigen::Index>(records.size() - 1);
  Eigen::MatrixXd values(n_rows, static_cast<Eigen::Index>(wanted.size()));
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != names.size())
      throw data_error("data::read_csv", "wrong number of fields",
                       shown + ", line " + std::to_string(rec.line) + ": expected " +
                           std::to_string(names.size()) + ", found " +
                           std::to_string(rec.fields.size()));
    for (std::size_t k = 0; k < wanted.size(); ++k) {
      const std::string_view cell = detail::trim(rec.fields[wanted[k]]);
      double v = missing_value;
      bool is_na = cell.empty();
      for (const auto& na : options.na_values) is_na = is_na || cell == na;
      if (!is_na) {
        // from_chars rejects a leading '+'; accept it, as spreadsheets write it.
        const std::string_view digits = cell.front() == '+' ? cell.substr(1) : cell;
        const auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (res.ec != std::errc() || res.ptr != digits.data() + digits.size() || !std::isfinite(v))
          throw data_error(
              "data::read_csv", "not a finite number: '" + sanitize_text(cell, 60) + "'",
              shown + ", line " + std::to_string(rec.line) + ", column " +
                  std::to_string(wanted[k] + 1) + " '" + sanitize_text(names[wanted[k]], 60) + "'");
      }
      values(static_cast<Eigen::Index>(r - 1), static_cast<Eigen::Index>(k)) = v;
    }
  }
  std::vector<std::string> out_names;
  out_names.reserve(wanted.size());
  for (const auto j : wanted) out_names.push_back(names[j]);
  try {
    return table(std::move(out_names), std::move(values));
  } catch (const data_error& e) {
    // Re-word a duplicate or empty header name so that it points at the file.
    throw data_error("data::read_csv", "bad header", shown + ": " + sanitize_text(e.what()));
  }
}

inline table read_csv(const std::filesystem::path& path, const csv_options& options) {
  const std::string shown = sanitize_text(path.string());
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw data_error("data::read_csv", "is a directory, not a file", shown);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error("data::read_csv", "cannot open file", shown);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw data_error("data::read_csv", "read failed", shown);
  return parse_csv(text, path.string(), options);
}

inline std::vector<std::string> read_csv_header(const std::filesystem::path& path, char delimiter) {
  const std::string shown = sanitize_text(path.string());
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw data_error("data::read_csv", "is a directory, not a file", shown);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error("data::read_csv", "cannot open file", shown);
  // The header ends at the first line break outside quotes: read lines until the quotes close.
  std::string text;
  std::string line;
  std::size_t quotes = 0;
  while (std::getline(in, line)) {
    text += line;
    text += '\n';
    quotes += static_cast<std::size_t>(std::count(line.begin(), line.end(), '"'));
    if (quotes % 2 == 0 && text.find_first_not_of(" \t\r\n\xEF\xBB\xBF") != std::string::npos)
      break;
  }
  const auto records = split_csv_records(text, path.string(), delimiter);
  if (records.empty()) throw data_error("data::read_csv", "no header row", shown);
  std::vector<std::string> names;
  for (const auto& h : records.front().fields) {
    const std::string name(detail::trim(h));
    // An empty name cannot be requested (SUPPORT2's first column has none); a repeated one
    // would be ambiguous.
    if (!name.empty() && std::find(names.begin(), names.end(), name) != names.end())
      throw data_error("data::read_csv", "bad header",
                       shown + ": duplicate column name '" + sanitize_text(name, 60) + "'");
    names.push_back(name);
  }
  return names;
}

inline std::string format_csv(const table& t, const csv_write_options& options) {
  std::string out;
  for (index_t j = 0; j < t.cols(); ++j) {
    if (j != 0) out += options.delimiter;
    out += detail::quote_csv_field(t.columns()[j], options.delimiter);
  }
  out += '\n';
  for (index_t i = 0; i < t.rows(); ++i) {
    const std::size_t start = out.size();
    for (index_t j = 0; j < t.cols(); ++j) {
      if (j != 0) out += options.delimiter;
      const double v = t(i, j);
      out += is_missing(v) ? options.na_value : detail::format_double(v);
    }
    // An empty line would be read back as a blank line and skipped: quote the empty field.
    if (out.size() == start) out += "\"\"";
    out += '\n';
  }
  return out;
}

inline void write_csv(const std::filesystem::path& path, const table& t,
                      const csv_write_options& options) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw data_error("data::write_csv", "cannot open file for writing", path.string());
  out << format_csv(t, options);
  out.flush();
  if (!out) throw data_error("data::write_csv", "write failed", path.string());
}

}  // namespace papillon::data
