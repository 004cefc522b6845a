#pragma once

/// @file
/// Basis states of registers of any width. A basis_state is a 64-bit mask; a wide_basis_state
/// lists the qubits that are 1, so a unary state of a 1024-qubit register is one index. Results
/// of registers wider than 64 qubits are keyed by it (backend.hpp, run_result).

#include <papillon/core/types.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace papillon {

/// A basis state as the ascending list of the qubits that are 1 (e_i is {i}, |0...0> is {}).
/// Invariant: strictly ascending (every function here and every map keyed by it relies on it;
/// an unsorted or repeated list would be a different key for the same state). Ordered
/// lexicographically, which is what std::map keys need; it is not the numeric order.
using wide_basis_state = std::vector<index_t>;

/// The qubits set in a 64-bit basis state, ascending.
inline wide_basis_state to_wide(basis_state s) {
  wide_basis_state out;
  for (; s != 0; s &= s - 1) out.push_back(static_cast<index_t>(std::countr_zero(s)));
  return out;
}

/// The 64-bit basis state of a wide one, when every set qubit is below 64.
inline std::optional<basis_state> to_narrow(const wide_basis_state& s) {
  basis_state out = 0;
  for (index_t q : s) {
    if (q >= max_basis_qubits) return std::nullopt;
    out |= basis_state{1} << q;
  }
  return out;
}

/// Whether qubit q is 1 in s (s ascending: a binary search).
inline bool has_qubit(const wide_basis_state& s, index_t q) {
  return std::binary_search(s.begin(), s.end(), q);
}

/// The basis state's integer sum_q 2^q in decimal, as result documents key outcomes (for any
/// width: 2^1023 has 308 digits).
inline std::string decimal_label(const wide_basis_state& s) {
  if (s.empty()) return "0";
  // Binary to decimal by doubling, from the highest qubit down; little-endian base-10^9 limbs.
  // Written by hand because only result labels need it: no big-integer dependency for that.
  constexpr std::uint32_t base = 1000000000U;
  std::vector<std::uint32_t> limbs{0};
  std::size_t next = s.size();  // index of the next set qubit to add, from the top
  for (index_t q = s.back() + 1; q-- > 0;) {
    std::uint32_t carry = 0;
    for (auto& l : limbs) {
      const std::uint64_t v = std::uint64_t{l} * 2 + carry;
      l = static_cast<std::uint32_t>(v % base);
      carry = static_cast<std::uint32_t>(v / base);
    }
    if (carry) limbs.push_back(carry);
    if (next > 0 && s[next - 1] == q) {
      --next;
      limbs[0] += 1;  // the doubling left limbs[0] even, so this cannot carry
    }
  }
  std::string out = std::to_string(limbs.back());
  for (auto it = limbs.rbegin() + 1; it != limbs.rend(); ++it) {
    const std::string part = std::to_string(*it);
    out += std::string(9 - part.size(), '0') + part;
  }
  return out;
}

}  // namespace papillon
