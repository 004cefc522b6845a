#pragma once

/// @file
/// Binomial coefficients and the combinatorial number system that ranks the basis states of
/// one Hamming weight. Rank order is colex: the state with set bits c_1 < ... < c_k has rank
/// sum_j C(c_j, j). For weight 1 the rank of e_i is i.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <bit>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <vector>

namespace papillon {

/// C(n, k), or std::numeric_limits<std::uint64_t>::max() when it does not fit in 64 bits.
constexpr std::uint64_t binomial_saturated(index_t n, index_t k) noexcept {
  if (k > n) return 0;
  if (k > n - k) k = n - k;
  std::uint64_t r = 1;
  for (index_t i = 1; i <= k; ++i) {
    // r * (n - k + i) / i is exact at every step; guard the multiplication.
    const std::uint64_t f = n - k + i;
    const std::uint64_t g = std::gcd(r, std::uint64_t{i});
    const std::uint64_t r2 = r / g;
    const std::uint64_t f2 = f / (i / g);
    if (r2 != 0 && f2 > std::numeric_limits<std::uint64_t>::max() / r2)
      return std::numeric_limits<std::uint64_t>::max();
    r = r2 * f2;
  }
  return r;
}

/// Colex ranks of the basis states of weight k among any number n of qubits, as ascending
/// lists of the set qubits (combination_indexer does the same with 64-bit masks, n <= 64).
class combination_table {
 public:
  /// @throws dimension_error if n is 0, k > n, or C(n, k) does not fit in 64 bits.
  combination_table(index_t n, index_t k) : m_n(n), m_k(k) {
    if (n == 0)
      throw dimension_error("combination_table", "qubit count must be at least 1", "n = 0");
    if (k > n)
      throw dimension_error("combination_table", "Hamming weight exceeds the qubit count",
                            "n = " + std::to_string(n) + ", k = " + std::to_string(k));
    m_size = binomial_saturated(n, k);
    if (m_size == std::numeric_limits<std::uint64_t>::max())
      throw dimension_error("combination_table", "C(n, k) does not fit in 64 bits",
                            "n = " + std::to_string(n) + ", k = " + std::to_string(k));
    // C(c, j) by Pascal's rule, saturating; ranks only add terms below C(n, k).
    m_table.assign((n + 1) * (k + 1), 0);
    for (index_t c = 0; c <= n; ++c) {
      m_table[c * (k + 1)] = 1;
      for (index_t j = 1; j <= k && j <= c; ++j) {
        const std::uint64_t x = m_table[(c - 1) * (k + 1) + j - 1];
        const std::uint64_t y = m_table[(c - 1) * (k + 1) + j];
        m_table[c * (k + 1) + j] = x > std::numeric_limits<std::uint64_t>::max() - y
                                       ? std::numeric_limits<std::uint64_t>::max()
                                       : x + y;
      }
    }
  }

  [[nodiscard]] index_t qubits() const noexcept { return m_n; }
  [[nodiscard]] index_t weight() const noexcept { return m_k; }
  /// C(n, k).
  [[nodiscard]] std::uint64_t size() const noexcept { return m_size; }
  /// C(c, j) for c <= n and j <= k (saturated at 2^64 - 1).
  [[nodiscard]] std::uint64_t binomial(index_t c, index_t j) const noexcept {
    return m_table[c * (m_k + 1) + j];
  }

  /// Colex rank sum_j C(c_j, j) of the qubits c_1 < ... < c_k. Precondition: k ascending
  /// entries below n.
  [[nodiscard]] std::uint64_t rank(std::span<const index_t> ascending) const noexcept {
    std::uint64_t r = 0;
    for (std::size_t j = 0; j < ascending.size(); ++j) r += binomial(ascending[j], j + 1);
    return r;
  }

  /// The qubits, ascending, of the state of rank r (k entries written to `out`).
  /// Precondition: r < size(), out.size() == k.
  void unrank(std::uint64_t r, std::span<index_t> out) const noexcept {
    index_t c = m_n;
    for (index_t j = m_k; j >= 1; --j) {
      // Largest c with C(c, j) <= r.
      do {
        --c;
      } while (binomial(c, j) > r);
      r -= binomial(c, j);
      out[j - 1] = c;
    }
  }

 private:
  index_t m_n;
  index_t m_k;
  std::uint64_t m_size = 0;
  std::vector<std::uint64_t> m_table;
};

/// The next combination in colex order (the ascending list of rank r + 1), in place.
/// Returns false after the last one. Amortised O(1).
inline bool next_colex(std::span<index_t> c, index_t n) noexcept {
  const std::size_t k = c.size();
  for (std::size_t j = 0; j < k; ++j) {
    const index_t limit = j + 1 < k ? c[j + 1] : n;
    if (c[j] + 1 < limit) {
      ++c[j];
      for (std::size_t i = 0; i < j; ++i) c[i] = i;
      return true;
    }
  }
  return false;
}

/// Ranks and unranks basis states of fixed Hamming weight k among n qubits.
class combination_indexer {
 public:
  /// @throws dimension_error if n > 64, k > n, or C(n, k) does not fit in 64 bits.
  combination_indexer(index_t n, index_t k) : m_n(n), m_k(k) {
    if (n == 0 || n > max_basis_qubits)
      throw dimension_error("combination_indexer", "qubit count must be in 1..64",
                            "n = " + std::to_string(n));
    if (k > n)
      throw dimension_error("combination_indexer", "Hamming weight exceeds the qubit count",
                            "n = " + std::to_string(n) + ", k = " + std::to_string(k));
    m_size = binomial_saturated(n, k);
    if (m_size == std::numeric_limits<std::uint64_t>::max())
      throw dimension_error("combination_indexer", "C(n, k) does not fit in 64 bits",
                            "n = " + std::to_string(n) + ", k = " + std::to_string(k));
    m_table.assign((n + 1) * (k + 1), 0);
    for (index_t i = 0; i <= n; ++i)
      for (index_t j = 0; j <= k; ++j) m_table[i * (k + 1) + j] = binomial_saturated(i, j);
  }

  [[nodiscard]] index_t qubits() const noexcept { return m_n; }
  [[nodiscard]] index_t weight() const noexcept { return m_k; }
  /// C(n, k): the number of basis states of weight k.
  [[nodiscard]] std::uint64_t size() const noexcept { return m_size; }

  /// Colex rank of a basis state of weight k. Precondition: popcount(s) == k, s < 2^n.
  [[nodiscard]] std::uint64_t rank(basis_state s) const noexcept {
    std::uint64_t r = 0;
    index_t j = 1;
    while (s != 0) {
      const auto c = static_cast<index_t>(std::countr_zero(s));
      r += m_table[c * (m_k + 1) + j];
      ++j;
      s &= s - 1;
    }
    return r;
  }

  /// The basis state of weight k with the given colex rank. Precondition: r < size().
  [[nodiscard]] basis_state unrank(std::uint64_t r) const noexcept {
    basis_state s = 0;
    index_t c = m_n;
    for (index_t j = m_k; j >= 1; --j) {
      // Largest c with C(c, j) <= r.
      do {
        --c;
      } while (m_table[c * (m_k + 1) + j] > r);
      r -= m_table[c * (m_k + 1) + j];
      s |= basis_state{1} << c;
    }
    return s;
  }

  /// Every basis state of weight k, in rank order (the next combination by Gosper's hack).
  [[nodiscard]] std::vector<basis_state> enumerate() const {
    std::vector<basis_state> out;
    out.reserve(static_cast<std::size_t>(m_size));
    if (m_k == 0) {
      out.push_back(0);
      return out;
    }
    basis_state s = (m_k == 64) ? ~basis_state{0} : ((basis_state{1} << m_k) - 1);
    for (std::uint64_t r = 0; r < m_size; ++r) {
      out.push_back(s);
      if (r + 1 == m_size) break;
      const basis_state c = s & (~s + 1);
      const basis_state t = s + c;
      s = (((t ^ s) >> 2) / c) | t;
    }
    return out;
  }

 private:
  index_t m_n;
  index_t m_k;
  std::uint64_t m_size = 0;
  std::vector<std::uint64_t> m_table;
};

}  // namespace papillon
