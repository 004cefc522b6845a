// Data sets, validation splits and seeded mini-batches.

#include <papillon/train/dataset.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace papillon::train {

void dataset::validate(std::string_view where) const {
  auto shape = [](const matrix& m) {
    return std::to_string(m.rows()) + "x" + std::to_string(m.cols());
  };
  if (inputs.rows() != targets.rows())
    throw dimension_error(where, "inputs and targets have different sample counts",
                          shape(inputs) + " vs " + shape(targets));
  if (has_mask() && (mask.rows() != targets.rows() || mask.cols() != targets.cols()))
    throw dimension_error(where, "mask shape differs from the targets",
                          shape(mask) + " vs " + shape(targets));
  if (!inputs.allFinite()) throw data_error(where, "inputs hold NaN or infinity");
  if (has_mask() && !mask.allFinite()) throw data_error(where, "mask holds NaN or infinity");
  for (Eigen::Index i = 0; i < targets.size(); ++i)
    if (!std::isfinite(targets(i)) && (!has_mask() || mask(i) != 0.0))
      throw data_error(where, "a counted target is NaN or infinity",
                       "row " + std::to_string(i % targets.rows()) + ", column " +
                           std::to_string(i / targets.rows()));
}

dataset dataset::rows(std::span<const index_t> indices) const {
  dataset out;
  const auto n = static_cast<Eigen::Index>(indices.size());
  out.inputs.resize(n, inputs.cols());
  out.targets.resize(n, targets.cols());
  if (has_mask()) out.mask.resize(n, mask.cols());
  for (Eigen::Index r = 0; r < n; ++r) {
    const auto src = static_cast<Eigen::Index>(indices[static_cast<std::size_t>(r)]);
    out.inputs.row(r) = inputs.row(src);
    out.targets.row(r) = targets.row(src);
    if (has_mask()) out.mask.row(r) = mask.row(src);
  }
  return out;
}

std::vector<index_t> shuffled_indices(index_t n, nn::rng_type& rng) {
  std::vector<index_t> idx(n);
  std::iota(idx.begin(), idx.end(), index_t{0});
  for (index_t i = n; i > 1; --i) std::swap(idx[i - 1], idx[nn::uniform_below(rng, i)]);
  return idx;
}

std::vector<std::vector<index_t>> make_batches(index_t n, index_t batch_size, nn::rng_type* rng) {
  if (batch_size == 0) throw data_error("train::make_batches", "batch size must be positive");
  std::vector<index_t> order;
  if (rng != nullptr) {
    order = shuffled_indices(n, *rng);
  } else {
    order.resize(n);
    std::iota(order.begin(), order.end(), index_t{0});
  }
  std::vector<std::vector<index_t>> batches;
  for (index_t start = 0; start < n; start += batch_size)
    batches.emplace_back(
        order.begin() + static_cast<std::ptrdiff_t>(start),
        order.begin() + static_cast<std::ptrdiff_t>(std::min(n, start + batch_size)));
  return batches;
}

dataset_split split_validation(const dataset& data, double fraction, std::uint64_t seed) {
  constexpr std::string_view where = "train::split_validation";
  if (!(fraction > 0.0 && fraction < 1.0))
    throw data_error(where, "validation fraction must be in (0, 1)", std::to_string(fraction));
  const auto n_val =
      static_cast<index_t>(std::llround(fraction * static_cast<double>(data.size())));
  if (n_val == 0 || n_val >= data.size())
    throw data_error(
        where, "split leaves an empty training or validation set",
        std::to_string(data.size()) + " samples, fraction " + std::to_string(fraction));
  nn::rng_type rng(seed);
  const auto order = shuffled_indices(data.size(), rng);
  const std::span<const index_t> all(order);
  const index_t n_train = data.size() - n_val;
  return {data.rows(all.first(n_train)), data.rows(all.subspan(n_train))};
}

}  // namespace papillon::train
