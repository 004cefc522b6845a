#pragma once

/// @file
/// A numeric table with named columns: the in-memory form of every data set the imputation
/// pipeline reads, generates, masks and writes. A missing cell is a quiet NaN, so a table carries
/// its own missingness and no separate mask has to travel with it.

#include <papillon/core/types.hpp>

#include <Eigen/Core>

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <string_view>
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

}  // namespace papillon::data
