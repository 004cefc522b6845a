#pragma once

/// @file
/// Hamming-weight post-selection, the standard error mitigation for weight-preserving circuits
/// (Butterfly/RBS networks on unary or weight-k inputs): every ideal outcome has the input's
/// weight, so shots of any other weight are known to be corrupted and are dropped.

#include <papillon/core/types.hpp>
#include <papillon/core/wide_basis_state.hpp>

#include <bit>
#include <cstdint>
#include <map>

namespace papillon {

/// The shots that survived post-selection, keyed like the counts they came from (basis_state
/// or wide_basis_state).
template <class Key>
struct basic_post_selection_result {
  std::map<Key, std::uint64_t> counts;  ///< kept counts, unchanged per outcome
  std::uint64_t kept = 0;               ///< shots kept
  std::uint64_t total = 0;              ///< shots before post-selection
  /// kept / total (0 when there were no shots).
  [[nodiscard]] double fraction() const noexcept {
    return total == 0 ? 0.0 : static_cast<double>(kept) / static_cast<double>(total);
  }
  /// The kept counts as frequencies over the kept shots (empty when nothing was kept).
  [[nodiscard]] std::map<Key, double> probabilities() const {
    std::map<Key, double> out;
    if (kept == 0) return out;
    for (const auto& [s, c] : counts)
      out.emplace(s, static_cast<double>(c) / static_cast<double>(kept));
    return out;
  }
  bool operator==(const basic_post_selection_result&) const = default;
};

using post_selection_result = basic_post_selection_result<basis_state>;
using wide_post_selection_result = basic_post_selection_result<wide_basis_state>;

namespace detail {

inline index_t hamming_weight(basis_state s) noexcept {
  return static_cast<index_t>(std::popcount(s));
}
inline index_t hamming_weight(const wide_basis_state& s) noexcept { return s.size(); }

template <class Key>
basic_post_selection_result<Key> post_select(const std::map<Key, std::uint64_t>& counts,
                                             index_t weight) {
  basic_post_selection_result<Key> out;
  for (const auto& [s, c] : counts) {
    out.total += c;
    if (hamming_weight(s) == weight) {
      out.counts.emplace(s, c);
      out.kept += c;
    }
  }
  return out;
}

}  // namespace detail

/// Keeps the outcomes of Hamming weight `weight`.
/// @note O(number of distinct outcomes).
inline post_selection_result post_select_weight(const std::map<basis_state, std::uint64_t>& counts,
                                                index_t weight) {
  return detail::post_select(counts, weight);
}

/// The same for registers wider than 64 qubits.
inline wide_post_selection_result post_select_weight(
    const std::map<wide_basis_state, std::uint64_t>& counts, index_t weight) {
  return detail::post_select(counts, weight);
}

}  // namespace papillon
