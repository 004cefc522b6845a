#pragma once

// Helpers shared by the subcommands: bounded numeric options, parsing list options, checking
// input and output paths before any work, and writing the one document a subcommand prints.
// The command-line contract these implement is docs/cli.md.

#include <papillon/circuit/circuit.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "cli/distributed.hpp"

namespace papillon::cli {

/// The bounds of the numeric options (docs/cli.md, "Limits"). They keep every run within
/// reasonable time and memory: sampling draws each shot (about 50 ns a shot), dense layers hold
/// width x width matrices four times (weights, gradient, two Adam moments), and the synthetic
/// cohort holds rows x 17 doubles several times over.
namespace limits {
/// Shots per circuit (run, grad, impute): 10^7 shots sample in about half a second.
inline constexpr std::uint64_t shots = 10'000'000;
/// Trajectories per noisy circuit: at most one per shot.
inline constexpr std::uint64_t trajectories = shots;
/// The IonQ budget guard: total shots of a run.
inline constexpr std::uint64_t ionq_max_shots = 1'000'000'000;
/// The IonQ money budget, in the unit IonQ quotes in: up to a billion (0 refuses every paid job).
inline constexpr double ionq_max_cost = 1e9;
/// Circuits per backend call (grad --max-batch).
inline constexpr std::uint64_t max_batch = 1'000'000;
/// Butterfly width: 4096 qubits is 24,576 gates, a 2.5 MB circuit document.
inline constexpr std::int64_t butterfly_qubits = 4096;
/// Rows of the synthetic cohort: about 140 MB per copy of the table.
inline constexpr index_t synthetic_rows = 1'000'000;
/// Central width of qnn/mlp and hidden width of wide: a 2048 x 2048 layer takes 134 MB.
inline constexpr index_t width = 2048;
/// Mask seeds of one benchmark (each runs every method).
inline constexpr index_t seeds = 1000;
/// Cross-validation folds.
inline constexpr index_t folds = 100;
/// Training epochs (and hardware-stage epochs).
inline constexpr index_t epochs = 100'000;
/// Samples per chunk of a neural model's mini-batch (impute --chunk-size).
inline constexpr index_t chunk_size = 1'000'000;
/// Denoising copies of each training row.
inline constexpr index_t copies = 1000;
/// Neighbours of the kNN imputer.
inline constexpr index_t knn = 10'000;
/// MICE sweeps per chain.
inline constexpr index_t mice_iterations = 1000;
/// MICE chains.
inline constexpr index_t mice_imputations = 100;
/// Boosting rounds per column model of the forest imputer.
inline constexpr index_t forest_rounds = 100'000;
/// Tree depth of the forest imputer (XGBoost allocates 2^depth nodes per tree).
inline constexpr index_t forest_depth = 20;
/// Sweeps of the forest imputer.
inline constexpr index_t forest_iterations = 1000;
/// plot-bench --fit-from: any width a benchmark can have, on either axis.
inline constexpr double fit_from = 1e18;
}  // namespace limits

/// `text` in quotes for a message: at most 40 characters (then "..."), control characters shown
/// as '?', so no argument can flood or garble the one error line.
inline std::string quote_input(std::string_view text) {
  constexpr std::size_t most = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < most; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
  }
  return out + (text.size() > most ? "...'" : "'");
}

/// A check that a numeric option's text is a plain number in [min, max]. Integers take decimal
/// digits only, so "-5" for an unsigned option is refused instead of wrapping to 2^64 - 5, and
/// "1e3", "0x10" or "1.5" are refused instead of being read some other way; reals must be
/// finite. CLI11 prefixes the message with the option's name.
template <class T>
CLI::Validator bounded(T min, T max) {
  static_assert(std::is_arithmetic_v<T>);
  const std::string range = fmt::format("[{}, {}]", min, max);
  return CLI::Validator(
      [min, max, range](std::string& s) -> std::string {
        T v{};
        if constexpr (std::is_integral_v<T>) {
          const bool negative = !s.empty() && s.front() == '-';
          if (negative && std::is_unsigned_v<T>)
            return quote_input(s) + " is negative; allowed: " + range;
          const std::string_view digits = std::string_view(s).substr(negative ? 1 : 0);
          if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
            return quote_input(s) + " is not a whole number; allowed: " + range;
          const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
          if (ec == std::errc::result_out_of_range || end != s.data() + s.size())
            return quote_input(s) + " is out of range; allowed: " + range;
        } else {
          char* end = nullptr;
          const double d = std::strtod(s.c_str(), &end);
          if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(d))
            return quote_input(s) + " is not a finite number; allowed: " + range;
          v = static_cast<T>(d);
        }
        if (v < min || v > max) return quote_input(s) + " is out of range; allowed: " + range;
        return {};
      },
      std::string());
}

/// "<help> [min..max, default <value>]": help built from the real bounds and default.
template <class T>
std::string bounded_help(const std::string& help, T min, T max, T value) {
  return fmt::format("{} [{}..{}, default {}]", help, min, max, value);
}

/// Adds a numeric option bounded to [min, max] (see bounded()); the help shows the bounds and
/// the default, taken from `value` as registered.
template <class T>
CLI::Option* add_bounded(CLI::App* sub, const std::string& name, T& value, const std::string& help,
                         T min, T max) {
  return sub->add_option(name, value, bounded_help(help, min, max, value))
      ->check(bounded(min, max));
}

/// "<help> (default <value>)", for text options whose default is a name.
inline std::string with_default(const std::string& help, std::string_view value) {
  return help + " (default " + std::string(value) + ")";
}

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
    throw data_error("cli", quote_input(item) + " is not a finite number",
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

/// Runs a library check whose message names its own parameter rather than the option it came
/// from, and adds `option` (e.g. "--qubits 12") to the message. Same exception type, so the
/// exit code stays 2.
template <class F>
decltype(auto) about_option(const std::string& option, F&& check) {
  const auto reword = [&option](const std::exception& e) {
    std::string what = e.what();
    if (what.rfind("papillon::", 0) == 0) what.erase(0, 10);
    return option + ": " + what;
  };
  try {
    return check();
  } catch (const circuit_error& e) {
    throw circuit_error("cli", reword(e));
  } catch (const dimension_error& e) {
    throw dimension_error("cli", reword(e));
  } catch (const data_error& e) {
    throw data_error("cli", reword(e));
  }
}

/// Checks before any work that an input file can be read: it exists, is not a directory, and
/// opens. `what` names it in the message ("circuit file", "--data file").
inline void check_readable(const std::string& what, const std::string& path) {
  namespace fs = std::filesystem;
  const std::string problem = "cannot read the " + what + ": ";
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (!fs::exists(st)) throw data_error("cli", problem + "no such file", path);
  if (fs::is_directory(st)) throw data_error("cli", problem + "it is a directory", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error("cli", problem + "it does not open", path);
}

/// Checks before any work that an output file can be written, so a bad path fails at once
/// rather than after the work: an existing file is opened for appending (never truncated), a
/// new one is created and removed again. `what` names it ("--output file"). `replaced`: the
/// file is written atomically (a new file renamed over it), so only a regular file may exist.
inline void check_writable(const std::string& what, const std::string& path,
                           bool replaced = false) {
  namespace fs = std::filesystem;
  if (path.empty()) return;
  const std::string problem = "cannot write the " + what + ": ";
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (fs::is_directory(st)) throw data_error("cli", problem + "it is a directory", path);
  if (replaced && fs::exists(st) && !fs::is_regular_file(st))
    throw data_error("cli", problem + "it is not a regular file, and it is replaced whole", path);
  const bool existed = fs::exists(st);
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    if (!out) throw data_error("cli", problem + "it does not open", path);
  }
  if (!existed) fs::remove(path, ec);
}

/// Refuses two of the named files being the same file (an output over an input or over
/// another output), e.g. {{"--data file", data}, {"--imputed file", imputed}}. Empty paths are
/// skipped.
inline void check_distinct(const std::vector<std::pair<std::string, std::string>>& files) {
  namespace fs = std::filesystem;
  std::vector<std::pair<const std::string*, fs::path>> seen;
  for (const auto& [what, path] : files) {
    if (path.empty()) continue;
    std::error_code ec;
    fs::path p = fs::weakly_canonical(path, ec);
    if (ec) p = fs::absolute(path);
    for (const auto& [other, q] : seen)
      if (p == q)
        throw data_error("cli", "the " + *other + " and the " + what + " are the same file", path);
    seen.emplace_back(&what, std::move(p));
  }
}

/// Parses --params and checks it against the circuit: exactly one finite value per parameter.
inline std::vector<double> parse_params(const std::string& text, const circuit& c) {
  const auto items = split_list(text);
  std::vector<double> out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out.push_back(parse_double("--params", items[i], i));
  if (out.size() != c.num_parameters())
    throw dimension_error("cli",
                          "--params has " + std::to_string(out.size()) +
                              (out.size() == 1 ? " value" : " values") + ", the circuit has " +
                              std::to_string(c.num_parameters()) + " parameters",
                          "give exactly one value per parameter, \"p0,p1,...\"");
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
