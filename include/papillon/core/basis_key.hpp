#pragma once

/// @file
/// basis_key: a computational basis state of a register of any width, the key of every result
/// map (run_result, readout, post-selection, observables). Qubits below 64 live in an inline
/// 64-bit mask; only qubits at 64 and above go to a heap list, so keys of registers of up to
/// 64 qubits never allocate and a unary state of a 1024-qubit register is one list entry.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <algorithm>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace papillon {

/// A basis state as the set of qubits that are 1, i.e. the integer sum_q 2^q (bit i = qubit i,
/// little-endian as IonQ and Qiskit).
///
/// Invariants (every constructor establishes them, every comparison relies on them): the mask
/// holds exactly the set qubits below 64; the high list is absent when no qubit at or above 64
/// is set, and otherwise holds those qubits strictly ascending. So one state has one
/// representation, and equal states are equal keys.
///
/// Ordering is the numeric order of the integers sum_q 2^q: for registers of at most 64 qubits
/// it is the order of the masks, so maps keyed by basis_key iterate as maps keyed by
/// basis_state did.
///
/// A key converts implicitly from a basis_state mask, so a braced `{90}` is the mask 90 (qubits
/// 1, 3, 4 and 6), not qubit 90: name qubits with from_qubits() or unary().
class basis_key {
 public:
  /// The list type of qubits(): ascending qubit indices.
  using qubit_list = std::vector<index_t>;

  /// |0...0>.
  basis_key() noexcept = default;

  /// The state of a 64-bit mask (implicit, so `probabilities.at(0b101)` reads as before).
  basis_key(basis_state mask) noexcept : m_low(mask) {}  // NOLINT(google-explicit-constructor)

  /// The state whose qubits `qubits` are 1, in any order.
  /// @throws data_error if a qubit is listed twice (a repeat is a caller's bug, not a state).
  static basis_key from_qubits(std::span<const index_t> qubits) {
    // Strictly ascending lists (what enumerations produce) need no sorted copy.
    if (std::adjacent_find(qubits.begin(), qubits.end(), std::greater_equal<>{}) == qubits.end())
      return from_ascending(qubits);
    qubit_list sorted(qubits.begin(), qubits.end());
    std::sort(sorted.begin(), sorted.end());
    const auto dup = std::adjacent_find(sorted.begin(), sorted.end());
    if (dup != sorted.end())
      throw data_error("basis_key::from_qubits", "qubit listed twice",
                       "qubit " + std::to_string(*dup));
    return from_ascending(sorted);
  }

  /// Same, from a braced list: `basis_key::from_qubits({0, 70})` is 2^70 + 1.
  static basis_key from_qubits(std::initializer_list<index_t> qubits) {
    return from_qubits(std::span<const index_t>(qubits.begin(), qubits.size()));
  }

  /// The unary state e_q (only qubit q is 1), for any q.
  static basis_key unary(index_t q) {
    if (q < max_basis_qubits) return basis_key(basis_state{1} << q);
    basis_key k;
    k.assign_high(std::span<const index_t>(&q, 1));
    return k;
  }

  basis_key(const basis_key& o) : m_low(o.m_low) { assign_high(o.high()); }
  basis_key(basis_key&& o) noexcept
      : m_low(std::exchange(o.m_low, 0)), m_high(std::move(o.m_high)) {}
  basis_key& operator=(const basis_key& o) {
    if (this != &o) {
      m_low = o.m_low;
      assign_high(o.high());
    }
    return *this;
  }
  basis_key& operator=(basis_key&& o) noexcept {
    m_low = std::exchange(o.m_low, 0);
    m_high = std::move(o.m_high);
    return *this;
  }
  ~basis_key() = default;

  /// Whether qubit q is 1.
  [[nodiscard]] bool test(index_t q) const noexcept {
    if (q < max_basis_qubits) return ((m_low >> q) & 1U) != 0;
    const auto h = high();
    return std::binary_search(h.begin(), h.end(), q);
  }

  /// Number of qubits that are 1 (the Hamming weight).
  [[nodiscard]] index_t weight() const noexcept {
    return static_cast<index_t>(std::popcount(m_low)) + high().size();
  }

  /// Number of qubits below n that are 1 (the weight of the first n qubits).
  [[nodiscard]] index_t weight_below(index_t n) const noexcept {
    if (n < max_basis_qubits)
      return static_cast<index_t>(std::popcount(m_low & ((basis_state{1} << n) - 1)));
    const auto h = high();
    return static_cast<index_t>(std::popcount(m_low)) +
           static_cast<index_t>(std::lower_bound(h.begin(), h.end(), n) - h.begin());
  }

  /// Whether no qubit is 1 (|0...0>).
  [[nodiscard]] bool is_zero() const noexcept { return m_low == 0 && !m_high; }

  /// Whether every qubit that is 1 is below n (the state exists on an n-qubit register).
  [[nodiscard]] bool within(index_t n) const noexcept { return is_zero() || highest() < n; }

  /// The lowest qubit that is 1.
  /// @throws data_error for |0...0>, which has none.
  [[nodiscard]] index_t lowest() const {
    if (m_low != 0) return static_cast<index_t>(std::countr_zero(m_low));
    if (m_high) return high().front();
    throw data_error("basis_key::lowest", "the zero state has no qubit set");
  }

  /// The highest qubit that is 1.
  /// @throws data_error for |0...0>, which has none.
  [[nodiscard]] index_t highest() const {
    if (m_high) return high().back();
    if (m_low != 0) return static_cast<index_t>(63 - std::countl_zero(m_low));
    throw data_error("basis_key::highest", "the zero state has no qubit set");
  }

  /// Whether the state is a 64-bit mask (no qubit at or above 64 is 1).
  [[nodiscard]] bool fits_in_mask() const noexcept { return !m_high; }

  /// The state as a 64-bit mask.
  /// @throws dimension_error if a qubit at or above 64 is 1.
  [[nodiscard]] basis_state mask() const {
    if (m_high)
      throw dimension_error("basis_key::mask", "basis state has a qubit at or above 64",
                            "qubit " + std::to_string(high().back()));
    return m_low;
  }

  /// The qubits that are 1, ascending.
  [[nodiscard]] qubit_list qubits() const {
    qubit_list out;
    out.reserve(weight());
    for (basis_state s = m_low; s != 0; s &= s - 1)
      out.push_back(static_cast<index_t>(std::countr_zero(s)));
    const auto h = high();
    out.insert(out.end(), h.begin(), h.end());
    return out;
  }

  /// The integer sum_q 2^q in decimal, as result documents key outcomes (2^1023 has 308
  /// digits).
  [[nodiscard]] std::string decimal_label() const {
    if (!m_high) return std::to_string(m_low);
    // Binary to decimal by doubling, from the highest qubit down; little-endian base-10^9 limbs.
    // Written by hand because only result labels need it: no big-integer dependency for that.
    constexpr std::uint32_t base = 1000000000U;
    std::vector<std::uint32_t> limbs{0};
    const auto h = high();
    std::size_t next = h.size();  // index of the next high qubit to add, from the top
    for (index_t q = h.back() + 1; q-- > 0;) {
      std::uint32_t carry = 0;
      for (auto& l : limbs) {
        const std::uint64_t v = std::uint64_t{l} * 2 + carry;
        l = static_cast<std::uint32_t>(v % base);
        carry = static_cast<std::uint32_t>(v / base);
      }
      if (carry) limbs.push_back(carry);
      bool set = false;
      if (q < max_basis_qubits) {
        set = ((m_low >> q) & 1U) != 0;
      } else if (next > 0 && h[next - 1] == q) {
        set = true;
        --next;
      }
      if (set) limbs[0] += 1;  // the doubling left limbs[0] even, so this cannot carry
    }
    std::string out = std::to_string(limbs.back());
    for (auto it = limbs.rbegin() + 1; it != limbs.rend(); ++it) {
      const std::string part = std::to_string(*it);
      out += std::string(9 - part.size(), '0') + part;
    }
    return out;
  }

  friend bool operator==(const basis_key& a, const basis_key& b) noexcept {
    if (a.m_low != b.m_low) return false;
    const auto ha = a.high();
    const auto hb = b.high();
    return std::equal(ha.begin(), ha.end(), hb.begin(), hb.end());
  }

  /// Numeric order: the qubits at and above 64 decide first (from the highest down, the state
  /// with the higher differing qubit is larger; a list that is the top of another is smaller),
  /// then the masks.
  friend std::strong_ordering operator<=>(const basis_key& a, const basis_key& b) noexcept {
    if (!a.m_high && !b.m_high) return a.m_low <=> b.m_low;
    const auto ha = a.high();
    const auto hb = b.high();
    const auto c =
        std::lexicographical_compare_three_way(ha.rbegin(), ha.rend(), hb.rbegin(), hb.rend());
    if (c != 0) return c;
    return a.m_low <=> b.m_low;
  }

  /// A hash consistent with ==.
  [[nodiscard]] std::size_t hash() const noexcept {
    std::size_t h = std::hash<basis_state>{}(m_low);
    for (index_t q : high())
      h ^= std::hash<index_t>{}(q) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
  }

 private:
  // The qubits at and above 64, ascending; empty when the state fits the mask.
  [[nodiscard]] std::span<const index_t> high() const noexcept {
    if (!m_high) return {};
    return {m_high.get() + 1, m_high[0]};
  }

  // The key of a strictly ascending qubit list.
  static basis_key from_ascending(std::span<const index_t> qubits) {
    basis_key k;
    const auto high = std::lower_bound(qubits.begin(), qubits.end(), max_basis_qubits);
    for (auto it = qubits.begin(); it != high; ++it) k.m_low |= basis_state{1} << *it;
    k.assign_high(std::span<const index_t>(high, qubits.end()));
    return k;
  }

  // Stores `h` (ascending, every qubit >= 64) as the high list; none when empty.
  void assign_high(std::span<const index_t> h) {
    if (h.empty()) {
      m_high.reset();
      return;
    }
    // One block: the count, then the qubits. Keeps the key two words wide.
    auto block = std::make_unique<index_t[]>(h.size() + 1);
    block[0] = h.size();
    std::copy(h.begin(), h.end(), block.get() + 1);
    m_high = std::move(block);
  }

  basis_state m_low = 0;              // qubits below 64
  std::unique_ptr<index_t[]> m_high;  // null, or [count, qubits >= 64 ascending...]
};

}  // namespace papillon

template <>
struct std::hash<papillon::basis_key> {
  std::size_t operator()(const papillon::basis_key& k) const noexcept { return k.hash(); }
};
