#pragma once

/// @file
/// The masking protocol of the imputation benchmark: hide a fixed fraction of the *observed*
/// cells of the target columns completely at random (MCAR), impute, and score only the hidden
/// cells. Cells that are missing in the data ("natural" missingness) are never hidden and so
/// never scored: their true value is unknown. Masks can be saved and loaded, so that every
/// method, run and program scores exactly the same cells.

#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace papillon::data {

/// Settings of make_mcar_mask().
struct mcar_mask_options {
  /// Fraction of the observed target cells to hide, in [0, 1).
  double rate = 0.3;
  /// Seed of the draw: the same seed and data give the same mask.
  std::uint64_t seed = 0;
};

/// Draws an MCAR hold-out mask: exactly round(rate * K) cells, chosen uniformly without
/// replacement among the K observed cells of the target columns.
/// @param observed true where the data holds a value (rows x columns)
/// @param target_columns the columns that may be hidden
/// @return rows x columns, true where a cell is hidden (to be imputed and scored)
/// @throws data_error if the rate is outside [0, 1); dimension_error on a bad column index
[[nodiscard]] cell_mask make_mcar_mask(const cell_mask& observed,
                                       std::span<const index_t> target_columns,
                                       const mcar_mask_options& options);

/// make_mcar_mask() on a table, with target columns given by name.
/// @throws data_error on an unknown column name or a bad rate
[[nodiscard]] cell_mask make_mcar_mask(const table& t, std::span<const std::string> targets,
                                       const mcar_mask_options& options);

/// A copy of `t` with the cells where `hidden` is true set to missing.
/// @throws dimension_error if the mask size differs from the table size
[[nodiscard]] table apply_mask(const table& t, const cell_mask& hidden);

/// Checks that a hold-out mask hides only observed cells.
/// @throws dimension_error on a size mismatch
/// @throws data_error naming the first hidden cell that is naturally missing
void check_mask(const cell_mask& hidden, const cell_mask& observed,
                std::span<const std::string> column_names = {});

/// Writes a mask as CSV: a header `row,column`, then one line per hidden cell with the 0-based
/// row and the column *name*, so the file stays valid if the column order changes.
/// @throws dimension_error if there is not one name per mask column; data_error on I/O failure
void save_mask(const std::filesystem::path& path, const cell_mask& hidden,
               std::span<const std::string> column_names);

/// Reads a mask written by save_mask() for a table with the given columns and row count.
/// @throws data_error on a malformed file, an unknown column or an out-of-range row (the
///   message names the file and line)
[[nodiscard]] cell_mask load_mask(const std::filesystem::path& path,
                                  std::span<const std::string> column_names, index_t rows);

}  // namespace papillon::data
