// libFuzzer target: the CSV reader (split_csv_records and parse_csv) on arbitrary bytes. The
// first byte picks the delimiter and whether a column subset is asked for; the rest is the file.

#include <papillon/data/csv.hpp>
#include <papillon/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  papillon::data::csv_options opt;
  opt.delimiter = (mode & 1) != 0 ? ';' : ',';
  if ((mode & 2) != 0) opt.columns = {"a", "HR"};
  try {
    const auto records = papillon::data::split_csv_records(text, "<fuzz>", opt.delimiter);
    const auto t = papillon::data::parse_csv(text, "<fuzz>", opt);
    // Every data row is a table row.
    if (t.rows() + 1 != static_cast<papillon::index_t>(records.size())) std::abort();
    // What is written reads back with the same shape.
    const auto back = papillon::data::parse_csv(papillon::data::format_csv(t), "<fuzz>");
    if (back.rows() != t.rows() || back.cols() != t.cols()) std::abort();
  } catch (const papillon::error& e) {
    papillon::fuzz::check_message(e.what());
  }
  return 0;
}
