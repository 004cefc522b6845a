#pragma once

/// @file
/// A supervised data set (inputs, targets, optional loss mask) and seeded mini-batching.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>
#include <papillon/nn/layer.hpp>
#include <papillon/nn/random.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon::train {

using nn::matrix;

/// Inputs and targets, one sample per row, with an optional mask of the targets' shape
/// (passed to the loss: which target entries count). An empty mask counts every entry.
struct dataset {
  matrix inputs{};   ///< samples x input features
  matrix targets{};  ///< samples x output features
  matrix mask{};     ///< empty, or samples x output features

  [[nodiscard]] index_t size() const noexcept { return static_cast<index_t>(inputs.rows()); }
  [[nodiscard]] bool has_mask() const noexcept { return mask.size() != 0; }

  /// Checks shapes and values: rows agree, the mask has the targets' shape, inputs are finite.
  /// Targets may be non-finite only where the mask is 0 (hidden entries of an imputation set).
  /// @throws dimension_error / data_error, naming `where`.
  void validate(std::string_view where) const;

  /// The rows with the given indices, in that order.
  [[nodiscard]] dataset rows(std::span<const index_t> indices) const;
};

/// A training set and a validation set split from one data set.
struct dataset_split {
  dataset training;
  dataset validation;
};

/// Splits off a validation set: the rows are permuted by a seeded shuffle and the last
/// round(fraction * size) rows become the validation set.
/// @throws data_error unless 0 < fraction < 1 and both parts are non-empty.
[[nodiscard]] dataset_split split_validation(const dataset& data, double fraction,
                                             std::uint64_t seed);

/// Seeded Fisher-Yates permutation of 0..n-1 (platform-independent).
[[nodiscard]] std::vector<index_t> shuffled_indices(index_t n, nn::rng_type& rng);

/// The mini-batches of one epoch: consecutive chunks of batch_size indices (the last may be
/// shorter) of a permutation drawn from `rng`, or of 0..n-1 when rng is null.
/// @throws data_error if batch_size is 0.
[[nodiscard]] std::vector<std::vector<index_t>> make_batches(index_t n, index_t batch_size,
                                                             nn::rng_type* rng);

}  // namespace papillon::train
