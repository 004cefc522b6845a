// MCAR hold-out masks, and saving and loading them.

#include <papillon/core/text.hpp>
#include <papillon/data/csv.hpp>
#include <papillon/data/masking.hpp>
#include <papillon/data/random.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace papillon::data {

cell_mask make_mcar_mask(const cell_mask& observed, std::span<const index_t> target_columns,
                         const mcar_mask_options& options) {
  if (!(options.rate >= 0.0 && options.rate < 1.0))
    throw data_error("data::make_mcar_mask", "mask rate must be in [0, 1)",
                     "rate " + std::to_string(options.rate));
  std::vector<std::pair<Eigen::Index, Eigen::Index>> candidates;
  for (const auto c : target_columns) {
    if (c >= static_cast<index_t>(observed.cols()))
      throw dimension_error("data::make_mcar_mask", "target column out of range",
                            std::to_string(c));
    const auto j = static_cast<Eigen::Index>(c);
    for (Eigen::Index i = 0; i < observed.rows(); ++i)
      if (observed(i, j)) candidates.emplace_back(i, j);
  }
  cell_mask hidden = cell_mask::Constant(observed.rows(), observed.cols(), false);
  const auto k =
      static_cast<std::size_t>(std::llround(options.rate * static_cast<double>(candidates.size())));
  // Partial Fisher-Yates: the first k entries become a uniform sample without replacement.
  rng_type rng(options.seed);
  for (std::size_t m = 0; m < k; ++m) {
    const auto pick = m + static_cast<std::size_t>(uniform_below(rng, candidates.size() - m));
    std::swap(candidates[m], candidates[pick]);
    hidden(candidates[m].first, candidates[m].second) = true;
  }
  return hidden;
}

cell_mask make_mcar_mask(const table& t, std::span<const std::string> targets,
                         const mcar_mask_options& options) {
  const auto idx = t.column_indices(targets);
  return make_mcar_mask(t.observed(), idx, options);
}

table apply_mask(const table& t, const cell_mask& hidden) {
  if (hidden.rows() != static_cast<Eigen::Index>(t.rows()) ||
      hidden.cols() != static_cast<Eigen::Index>(t.cols()))
    throw dimension_error("data::apply_mask", "mask size differs from the table size");
  Eigen::MatrixXd v = t.values();
  for (Eigen::Index j = 0; j < v.cols(); ++j)
    for (Eigen::Index i = 0; i < v.rows(); ++i)
      if (hidden(i, j)) v(i, j) = missing_value;
  return table(t.columns(), std::move(v));
}

void check_mask(const cell_mask& hidden, const cell_mask& observed,
                std::span<const std::string> column_names) {
  if (hidden.rows() != observed.rows() || hidden.cols() != observed.cols())
    throw dimension_error("data::check_mask", "mask size differs from the data size",
                          std::to_string(hidden.rows()) + "x" + std::to_string(hidden.cols()) +
                              " vs " + std::to_string(observed.rows()) + "x" +
                              std::to_string(observed.cols()));
  for (Eigen::Index j = 0; j < hidden.cols(); ++j)
    for (Eigen::Index i = 0; i < hidden.rows(); ++i)
      if (hidden(i, j) && !observed(i, j)) {
        const std::string col = static_cast<std::size_t>(j) < column_names.size()
                                    ? column_names[static_cast<std::size_t>(j)]
                                    : std::to_string(j);
        throw data_error("data::check_mask", "the mask hides a naturally missing cell",
                         "row " + std::to_string(i) + ", column " + col);
      }
}

void save_mask(const std::filesystem::path& path, const cell_mask& hidden,
               std::span<const std::string> column_names) {
  if (static_cast<Eigen::Index>(column_names.size()) != hidden.cols())
    throw dimension_error("data::save_mask", "one column name per mask column is needed");
  std::string out = "row,column\n";
  // Row-major order, so the file reads naturally and diffs cleanly.
  for (Eigen::Index i = 0; i < hidden.rows(); ++i)
    for (Eigen::Index j = 0; j < hidden.cols(); ++j)
      if (hidden(i, j))
        out += std::to_string(i) + "," +
               detail::quote_csv_field(column_names[static_cast<std::size_t>(j)], ',') + "\n";
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw data_error("data::save_mask", "cannot open file for writing", path.string());
  f << out;
  f.flush();
  if (!f) throw data_error("data::save_mask", "write failed", path.string());
}

cell_mask load_mask(const std::filesystem::path& path, std::span<const std::string> column_names,
                    index_t rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error("data::load_mask", "cannot open file", path.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto records = split_csv_records(text, path.string(), ',');
  const auto where = [&](index_t line) { return path.string() + ", line " + std::to_string(line); };
  if (records.empty() || records[0].fields.size() != 2 ||
      detail::trim(records[0].fields[0]) != "row" || detail::trim(records[0].fields[1]) != "column")
    throw data_error("data::load_mask", "expected the header 'row,column'", where(1));
  cell_mask hidden = cell_mask::Constant(static_cast<Eigen::Index>(rows),
                                         static_cast<Eigen::Index>(column_names.size()), false);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& rec = records[r];
    if (rec.fields.size() != 2)
      throw data_error("data::load_mask", "expected 2 fields", where(rec.line));
    const std::string_view row_text = detail::trim(rec.fields[0]);
    index_t row = 0;
    const auto res = std::from_chars(row_text.data(), row_text.data() + row_text.size(), row);
    if (res.ec != std::errc() || res.ptr != row_text.data() + row_text.size())
      throw data_error("data::load_mask", "row is not a non-negative integer", where(rec.line));
    if (row >= rows)
      throw data_error(
          "data::load_mask", "row out of range",
          where(rec.line) + ": " + std::to_string(row) + " >= " + std::to_string(rows));
    const std::string_view name = detail::trim(rec.fields[1]);
    std::size_t col = column_names.size();
    for (std::size_t j = 0; j < column_names.size(); ++j)
      if (column_names[j] == name) col = j;
    if (col == column_names.size())
      throw data_error("data::load_mask", "unknown column '" + sanitize_text(name, 60) + "'",
                       where(rec.line));
    hidden(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(col)) = true;
  }
  return hidden;
}

}  // namespace papillon::data
