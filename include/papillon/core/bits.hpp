#pragma once

/// @file
/// Bit helpers for kernels: inserting zero bits to enumerate the amplitudes a gate touches
/// without index tables.

#include <papillon/core/types.hpp>

namespace papillon::detail {

/// Inserts a zero bit at position q: bits below q stay, bits at and above q move up by one.
constexpr basis_state insert_zero_bit(basis_state k, index_t q) noexcept {
  const basis_state low = (basis_state{1} << q) - 1;
  return ((k & ~low) << 1) | (k & low);
}

/// Inserts zero bits at positions lo < hi (positions in the result).
constexpr basis_state insert_two_zero_bits(basis_state k, index_t lo, index_t hi) noexcept {
  return insert_zero_bit(insert_zero_bit(k, lo), hi);
}

/// Bit i of a basis state as 0 or 1.
constexpr unsigned bit(basis_state s, index_t i) noexcept { return unsigned((s >> i) & 1U); }

/// Mask of the bits strictly between positions a and b (in either order).
constexpr basis_state between_mask(index_t a, index_t b) noexcept {
  const index_t lo = a < b ? a : b;
  const index_t hi = a < b ? b : a;
  if (hi - lo < 2) return 0;
  return ((basis_state{1} << hi) - 1) & ~((basis_state{1} << (lo + 1)) - 1);
}

}  // namespace papillon::detail
