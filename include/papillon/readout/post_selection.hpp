#pragma once

/// @file
/// Hamming-weight post-selection, the standard error mitigation for weight-preserving circuits
/// (Butterfly/RBS networks on unary or weight-k inputs): every ideal outcome has the input's
/// weight, so shots of any other weight are known to be corrupted and are dropped.

#include <papillon/core/basis_key.hpp>
#include <papillon/core/types.hpp>

#include <cstdint>
#include <map>

namespace papillon {

/// The shots that survived post-selection.
struct post_selection_result {
  std::map<basis_key, std::uint64_t> counts;  ///< kept counts, unchanged per outcome
  std::uint64_t kept = 0;                     ///< shots kept
  std::uint64_t total = 0;                    ///< shots before post-selection
  /// kept / total (0 when there were no shots).
  [[nodiscard]] double fraction() const noexcept {
    return total == 0 ? 0.0 : static_cast<double>(kept) / static_cast<double>(total);
  }
  /// The kept counts as frequencies over the kept shots (empty when nothing was kept).
  [[nodiscard]] std::map<basis_key, double> probabilities() const {
    std::map<basis_key, double> out;
    if (kept == 0) return out;
    for (const auto& [s, c] : counts)
      out.emplace_hint(out.end(), s, static_cast<double>(c) / static_cast<double>(kept));
    return out;
  }
  bool operator==(const post_selection_result&) const = default;
};

/// Keeps the outcomes of Hamming weight `weight`.
/// @note O(number of distinct outcomes).
inline post_selection_result post_select_weight(const std::map<basis_key, std::uint64_t>& counts,
                                                index_t weight) {
  post_selection_result out;
  for (const auto& [s, c] : counts) {
    out.total += c;
    if (s.weight() == weight) {
      out.counts.emplace_hint(out.counts.end(), s, c);
      out.kept += c;
    }
  }
  return out;
}

}  // namespace papillon
