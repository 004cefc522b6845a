// The named-column table.

#include <papillon/core/text.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>

#include <cstddef>
#include <unordered_set>
#include <utility>

namespace papillon::data {

table::table(std::vector<std::string> columns, Eigen::MatrixXd values)
    : m_columns(std::move(columns)), m_values(std::move(values)) {
  if (static_cast<Eigen::Index>(m_columns.size()) != m_values.cols())
    throw dimension_error("data::table", "column names do not match the value matrix",
                          std::to_string(m_columns.size()) + " names, " +
                              std::to_string(m_values.cols()) + " columns");
  std::unordered_set<std::string_view> seen;
  for (const auto& name : m_columns) {
    if (name.empty()) throw data_error("data::table", "empty column name");
    if (!seen.insert(name).second)
      throw data_error("data::table", "duplicate column name", "'" + sanitize_text(name, 60) + "'");
  }
  for (Eigen::Index j = 0; j < m_values.cols(); ++j)
    for (Eigen::Index i = 0; i < m_values.rows(); ++i)
      if (std::isinf(m_values(i, j)))
        throw data_error("data::table", "infinite value",
                         "row " + std::to_string(i) + ", column '" +
                             m_columns[static_cast<std::size_t>(j)] + "'");
}

bool table::has_column(std::string_view name) const noexcept {
  for (const auto& c : m_columns)
    if (c == name) return true;
  return false;
}

std::string table::column_list() const {
  std::string out;
  for (const auto& c : m_columns) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

index_t table::column_index(std::string_view name) const {
  for (index_t j = 0; j < m_columns.size(); ++j)
    if (m_columns[j] == name) return j;
  throw data_error("data::table", "unknown column '" + sanitize_text(name, 60) + "'",
                   "available: " + sanitize_text(column_list()));
}

std::vector<index_t> table::column_indices(std::span<const std::string> names) const {
  std::vector<index_t> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(column_index(n));
  return out;
}

Eigen::VectorXd table::column(std::string_view name) const {
  return m_values.col(static_cast<Eigen::Index>(column_index(name)));
}

table table::select(std::span<const std::string> names) const {
  const auto idx = column_indices(names);
  Eigen::MatrixXd v(m_values.rows(), static_cast<Eigen::Index>(idx.size()));
  for (std::size_t k = 0; k < idx.size(); ++k)
    v.col(static_cast<Eigen::Index>(k)) = m_values.col(static_cast<Eigen::Index>(idx[k]));
  // The constructor rejects a name selected twice.
  return table(std::vector<std::string>(names.begin(), names.end()), std::move(v));
}

table table::select_rows(std::span<const index_t> rows) const {
  Eigen::MatrixXd v(static_cast<Eigen::Index>(rows.size()), m_values.cols());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (rows[k] >= this->rows())
      throw dimension_error("data::table::select_rows", "row index out of range",
                            std::to_string(rows[k]) + " >= " + std::to_string(this->rows()));
    v.row(static_cast<Eigen::Index>(k)) = m_values.row(static_cast<Eigen::Index>(rows[k]));
  }
  return table(m_columns, std::move(v));
}

double table::missing_fraction() const noexcept {
  if (m_values.size() == 0) return 0.0;
  return static_cast<double>(m_values.array().isNaN().count()) /
         static_cast<double>(m_values.size());
}

}  // namespace papillon::data
