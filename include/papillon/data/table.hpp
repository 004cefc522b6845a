#pragma once

/// @file
/// A numeric table with named columns: the in-memory form of every data set the imputation
/// pipeline reads, generates, masks and writes. A missing cell is a quiet NaN, so a table carries
/// its own missingness and no separate mask has to travel with it.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace papillon::data {

/// A boolean matrix over the cells of a table (rows x columns). What `true` means is said by the
/// function that makes or takes it: "observed" masks hold true where a value is present,
/// score/hold-out masks hold true where a cell was hidden.
using cell_mask = Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>;

/// The value that marks a missing cell.
inline constexpr double missing_value = std::numeric_limits<double>::quiet_NaN();

/// Whether a cell value counts as missing (NaN).
[[nodiscard]] inline bool is_missing(double v) noexcept { return std::isnan(v); }

/// A rectangular table of doubles with unique column names; NaN marks a missing cell.
class table {
 public:
  /// An empty table (no rows, no columns).
  table() = default;

  /// @param columns unique, non-empty names, one per column of `values`
  /// @param values rows x columns; NaN marks a missing cell, infinities are rejected
  /// @throws dimension_error if the name count differs from the column count
  /// @throws data_error on an empty or duplicate name, or an infinite value
  table(std::vector<std::string> columns, Eigen::MatrixXd values);

  /// Number of rows.
  [[nodiscard]] index_t rows() const noexcept { return static_cast<index_t>(m_values.rows()); }
  /// Number of columns.
  [[nodiscard]] index_t cols() const noexcept { return static_cast<index_t>(m_values.cols()); }
  /// The column names, in order.
  [[nodiscard]] const std::vector<std::string>& columns() const noexcept { return m_columns; }
  /// The cell values (NaN = missing).
  [[nodiscard]] const Eigen::MatrixXd& values() const noexcept { return m_values; }

  /// One cell; NaN if missing. Unchecked.
  [[nodiscard]] double operator()(index_t row, index_t col) const noexcept {
    return m_values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(col));
  }
  /// Writes one cell (NaN makes it missing). Unchecked.
  void set(index_t row, index_t col, double v) noexcept {
    m_values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(col)) = v;
  }

  /// Whether a column of this name exists.
  [[nodiscard]] bool has_column(std::string_view name) const noexcept;

  /// The position of a named column.
  /// @throws data_error naming the unknown column and listing the available ones
  [[nodiscard]] index_t column_index(std::string_view name) const;

  /// The positions of several named columns, in the order given.
  /// @throws data_error on an unknown name (the message lists the available columns)
  [[nodiscard]] std::vector<index_t> column_indices(std::span<const std::string> names) const;

  /// A copy of one column (NaN = missing).
  /// @throws data_error on an unknown name
  [[nodiscard]] Eigen::VectorXd column(std::string_view name) const;

  /// A new table with the named columns, in the order given.
  /// @throws data_error on an unknown or repeated name
  [[nodiscard]] table select(std::span<const std::string> names) const;

  /// A new table with the given rows, in the order given (rows may repeat).
  /// @throws dimension_error if a row index is out of range
  [[nodiscard]] table select_rows(std::span<const index_t> rows) const;

  /// True where a cell holds a value, false where it is missing.
  [[nodiscard]] cell_mask observed() const {
    return m_values.array() == m_values.array();  // NaN is the one value unequal to itself
  }

  /// The fraction of cells that are missing (0 for an empty table).
  [[nodiscard]] double missing_fraction() const noexcept;

  /// A comma-separated list of the column names, for error messages.
  [[nodiscard]] std::string column_list() const;

 private:
  std::vector<std::string> m_columns;
  Eigen::MatrixXd m_values;
};

// ---- Definitions --------------------------------------------------------------------------------

inline table::table(std::vector<std::string> columns, Eigen::MatrixXd values)
    : m_columns(std::move(columns)), m_values(std::move(values)) {
  if (static_cast<Eigen::Index>(m_columns.size()) != m_values.cols())
    throw dimension_error("data::table", "column names do not match the value matrix",
                          std::to_string(m_columns.size()) + " names, " +
                              std::to_string(m_values.cols()) + " columns");
  std::unordered_set<std::string_view> seen;
  for (const auto& name : m_columns) {
    if (name.empty()) throw data_error("data::table", "empty column name");
    if (!seen.insert(name).second)
      throw data_error("data::table", "duplicate column name", "'" + name + "'");
  }
  for (Eigen::Index j = 0; j < m_values.cols(); ++j)
    for (Eigen::Index i = 0; i < m_values.rows(); ++i)
      if (std::isinf(m_values(i, j)))
        throw data_error("data::table", "infinite value",
                         "row " + std::to_string(i) + ", column '" +
                             m_columns[static_cast<std::size_t>(j)] + "'");
}

inline bool table::has_column(std::string_view name) const noexcept {
  for (const auto& c : m_columns)
    if (c == name) return true;
  return false;
}

inline std::string table::column_list() const {
  std::string out;
  for (const auto& c : m_columns) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

inline index_t table::column_index(std::string_view name) const {
  for (index_t j = 0; j < m_columns.size(); ++j)
    if (m_columns[j] == name) return j;
  throw data_error("data::table", "unknown column '" + std::string(name) + "'",
                   "available: " + column_list());
}

inline std::vector<index_t> table::column_indices(std::span<const std::string> names) const {
  std::vector<index_t> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(column_index(n));
  return out;
}

inline Eigen::VectorXd table::column(std::string_view name) const {
  return m_values.col(static_cast<Eigen::Index>(column_index(name)));
}

inline table table::select(std::span<const std::string> names) const {
  const auto idx = column_indices(names);
  Eigen::MatrixXd v(m_values.rows(), static_cast<Eigen::Index>(idx.size()));
  for (std::size_t k = 0; k < idx.size(); ++k)
    v.col(static_cast<Eigen::Index>(k)) = m_values.col(static_cast<Eigen::Index>(idx[k]));
  // The constructor rejects a name selected twice.
  return table(std::vector<std::string>(names.begin(), names.end()), std::move(v));
}

inline table table::select_rows(std::span<const index_t> rows) const {
  Eigen::MatrixXd v(static_cast<Eigen::Index>(rows.size()), m_values.cols());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (rows[k] >= this->rows())
      throw dimension_error("data::table::select_rows", "row index out of range",
                            std::to_string(rows[k]) + " >= " + std::to_string(this->rows()));
    v.row(static_cast<Eigen::Index>(k)) = m_values.row(static_cast<Eigen::Index>(rows[k]));
  }
  return table(m_columns, std::move(v));
}

inline double table::missing_fraction() const noexcept {
  if (m_values.size() == 0) return 0.0;
  return static_cast<double>(m_values.array().isNaN().count()) /
         static_cast<double>(m_values.size());
}

}  // namespace papillon::data
