#pragma once

/// @file
/// Gate kernels on a Hamming-weight-k subspace: C(n, k) amplitudes, amplitude r belonging to the
/// basis state of colex rank r (core/combinatorics.hpp), or for k = 1 amplitude i to e_i. The
/// subspace counterpart of kernels.hpp (the full state); basic_subspace_state owns the amplitudes
/// and the rank tables and calls these.
///
/// Two-qubit rotations on weight k >= 2 either scan all C(n, k) states (64-bit masks, small n) or
/// enumerate only the C(n - 2, k - 1) pairs (T + a, T + b) they change, for subsets T of the
/// other qubits (any n; faster from n of about 16 k on).

#include <papillon/circuit/operation.hpp>
#include <papillon/core/bits.hpp>
#include <papillon/core/combinatorics.hpp>
#include <papillon/sim/detail/kernels.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <bit>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

namespace papillon::detail {

/// How a subspace state indexes its amplitudes: what the kernels read of it.
struct subspace_layout {
  index_t qubits = 0;
  index_t weight = 0;
  index_t size = 0;                              ///< C(n, k)
  const combination_table* table = nullptr;      ///< weights other than 1
  const combination_indexer* indexer = nullptr;  ///< the same by 64-bit masks, n <= 64
  const basis_state* basis = nullptr;            ///< rank -> 64-bit mask, n <= 64, weight != 1
};

/// Calls fn(rank of T + forced) for every subset T of `count` qubits that avoids `skip`
/// (ascending, at most two qubits) and `forced` (ascending, a subset of skip).
template <class Fn>
void for_each_with(const subspace_layout& s, std::span<const index_t> skip,
                   std::span<const index_t> forced, Fn&& fn) {
  if (forced.size() > s.weight) return;
  const index_t count = s.weight - forced.size();
  std::vector<index_t> universe;
  universe.reserve(s.qubits);
  for (index_t q = 0, i = 0; q < s.qubits; ++q) {
    if (i < skip.size() && skip[i] == q) {
      ++i;
      continue;
    }
    universe.push_back(q);
  }
  if (count > universe.size()) return;
  std::vector<index_t> pick(count);  // indices into universe, ascending
  for (index_t i = 0; i < count; ++i) pick[i] = i;
  do {
    // Rank of the merged ascending list pick (mapped) + forced.
    std::uint64_t r = 0;
    std::size_t i = 0, j = 0;
    for (index_t pos = 1; pos <= s.weight; ++pos) {
      index_t c;
      if (j >= forced.size() || (i < count && universe[pick[i]] < forced[j]))
        c = universe[pick[i++]];
      else
        c = forced[j++];
      r += s.table->binomial(c, pos);
    }
    fn(static_cast<index_t>(r));
  } while (next_colex(pick, universe.size()));
}

template <class Fn>
void scan_pairs(const subspace_layout& s, index_t qa, index_t qb, Fn&& fn) {
  const basis_state ba = basis_state{1} << qa;
  const basis_state bb = basis_state{1} << qb;
  const basis_state between = between_mask(qa, qb);
  for (index_t r = 0; r < s.size; ++r) {
    const basis_state s10 = s.basis[r];
    if ((s10 & ba) == 0 || (s10 & bb) != 0) continue;
    fn(r, static_cast<index_t>(s.indexer->rank(s10 ^ ba ^ bb)),
       (std::popcount(s10 & between) & 1) != 0);
  }
}

/// The pairs are T + qa, T + qb for the subsets T of k - 1 other qubits, in colex order; both
/// ranks are kept up to date as T advances, so a pair costs O(1) amortised instead of two
/// O(k) rankings.
template <class Fn>
void enumerate_pairs(const subspace_layout& s, index_t qa, index_t qb, Fn&& fn) {
  const index_t m = s.weight - 1;
  const index_t lo = std::min(qa, qb), hi = std::max(qa, qb);
  const index_t others = s.qubits - 2;
  if (m > others) return;
  const combination_table& tab = *s.table;
  // Index u among the other qubits -> qubit.
  const auto qubit = [lo, hi](index_t u) { return u < lo ? u : (u + 1 < hi ? u + 1 : u + 2); };
  std::vector<index_t> u(m), t(m);
  std::vector<std::uint64_t> c10(m), c01(m);
  std::uint64_t s10 = 0, s01 = 0;  // sum of T's terms, with qa resp. qb merged in
  index_t below_a = 0, below_b = 0, inside = 0;
  const auto add = [&](index_t i, index_t q) {
    t[i] = q;
    c10[i] = tab.binomial(q, i + 1 + (q > qa ? 1 : 0));
    c01[i] = tab.binomial(q, i + 1 + (q > qb ? 1 : 0));
    s10 += c10[i];
    s01 += c01[i];
    below_a += q < qa ? 1 : 0;
    below_b += q < qb ? 1 : 0;
    inside += (q > lo && q < hi) ? 1 : 0;
  };
  const auto remove = [&](index_t i) {
    const index_t q = t[i];
    s10 -= c10[i];
    s01 -= c01[i];
    below_a -= q < qa ? 1 : 0;
    below_b -= q < qb ? 1 : 0;
    inside -= (q > lo && q < hi) ? 1 : 0;
  };
  for (index_t i = 0; i < m; ++i) {
    u[i] = i;
    add(i, qubit(i));
  }
  while (true) {
    fn(static_cast<index_t>(s10 + tab.binomial(qa, below_a + 1)),
       static_cast<index_t>(s01 + tab.binomial(qb, below_b + 1)), (inside & 1U) != 0);
    // Colex successor of u: the lowest entry that can grow does, the ones below it restart.
    index_t j = 0;
    while (j < m && u[j] + 1 >= (j + 1 < m ? u[j + 1] : others)) ++j;
    if (j == m) return;
    for (index_t i = 0; i <= j; ++i) remove(i);
    ++u[j];
    for (index_t i = 0; i < j; ++i) u[i] = i;
    for (index_t i = 0; i <= j; ++i) add(i, qubit(u[i]));
  }
}

/// Calls fn(r10, r01, odd) for every pair of states that differ only by moving one particle
/// from qa (state r10: qa set, qb clear) to qb (r01), with odd = an odd number of set qubits
/// strictly between qa and qb (the FBS sign). Up to 64 qubits with C(n, k) at most 16 times
/// the C(n - 2, k - 1) pairs (n <= about 16 k) a scan of the 64-bit masks is faster; otherwise
/// the pairs are enumerated (docs/scaling.md 2.2 measures both).
template <class Fn>
void for_each_pair(const subspace_layout& s, index_t qa, index_t qb, Fn&& fn) {
  if (s.weight < 2) return;  // weight 0: no pairs; weight 1 has its own path
  const index_t n = s.qubits, k = s.weight;
  if (n <= max_basis_qubits && n * (n - 1) <= 16 * k * (n - k)) {
    scan_pairs(s, qa, qb, fn);
    return;
  }
  enumerate_pairs(s, qa, qb, fn);
}

/// Multiplies every amplitude by the diagonal of a diagonal weight-preserving gate (Z, S, T, RZ,
/// CZ, ZZ and their kin), entry local = 2 bit_a + bit_b of its qubits (one-qubit gates: bit_a).
template <class Scalar>
void apply_subspace_diagonal(Scalar* a, const subspace_layout& s, const operation& op,
                             double theta) {
  using F = real_of_t<Scalar>;
  using C = std::complex<F>;
  const index_t qa = op.qubits[0];
  const index_t qb = op.qubits[1];
  C d[4] = {C(1), C(1), C(1), C(1)};
  const unsigned arity = traits(op.kind).arity;
  if (arity == 1) {
    const auto m = one_qubit_matrix<F>(op.kind, theta);
    d[0] = m[0];
    d[2] = m[3];
  } else {
    const auto m = two_qubit_matrix<F>(op.kind, theta);
    d[0] = m[0];
    d[1] = m[5];
    d[2] = m[10];
    d[3] = m[15];
  }
  const auto cast = [](const C& v) { return to_scalar<Scalar>(v); };
  if (s.weight == 1) {
    // Only |00>, |10> (a set) and |01> (b set) occur.
    if (d[0] != C(1))
      Eigen::Map<Eigen::Matrix<Scalar, Eigen::Dynamic, 1>>(a, static_cast<Eigen::Index>(s.size)) *=
          cast(d[0]);
    const Scalar ra = cast(d[2] / d[0]);
    a[qa] *= ra;
    if (arity == 2) a[qb] *= cast(d[1] / d[0]);
    return;
  }
  if (s.qubits <= max_basis_qubits) {
    // Masks at hand: one pass over the states is cheaper than ranking each class.
    for (index_t r = 0; r < s.size; ++r) {
      const basis_state bs = s.basis[r];
      const unsigned local = arity == 1 ? 2U * bit(bs, qa) : 2U * bit(bs, qa) + bit(bs, qb);
      if (d[local] != C(1)) a[r] *= cast(d[local]);
    }
    return;
  }
  // Wider: each class of states (qa and qb set or not) is enumerated on its own and only if
  // its phase is not 1.
  const auto scale = [&](std::span<const index_t> skip, std::span<const index_t> forced,
                         const C& phase) {
    if (phase == C(1)) return;
    const Scalar f = cast(phase);
    for_each_with(s, skip, forced, [&](index_t r) { a[r] *= f; });
  };
  if (arity == 1) {
    const index_t q[1] = {qa};
    scale(q, {}, d[0]);
    scale(q, q, d[2]);
    return;
  }
  const index_t lo = std::min(qa, qb), hi = std::max(qa, qb);
  const index_t both[2] = {lo, hi};
  const index_t only_a[1] = {qa};
  const index_t only_b[1] = {qb};
  scale(both, {}, d[0]);
  scale(both, only_a, d[2]);
  scale(both, only_b, d[1]);
  scale(both, both, d[3]);
}

/// Applies one weight-preserving operation with its angle bound (the subspace counterpart of
/// apply_operation). Precondition: the operation preserves Hamming weight, its qubits are below
/// s.qubits, and a real Scalar only receives real gates.
template <class Scalar>
void apply_subspace_operation(Scalar* a, const subspace_layout& s, const operation& op,
                              double theta) {
  using F = real_of_t<Scalar>;
  const index_t qa = op.qubits[0];
  const index_t qb = op.qubits[1];
  switch (op.kind) {
    case gate_kind::rbs:
    case gate_kind::fbs: {
      const auto c = static_cast<F>(std::cos(theta));
      const auto sn = static_cast<F>(std::sin(theta));
      if (s.weight == 1) {
        // (x_a, x_b) -> (c x_a - s x_b, s x_a + c x_b): e_a -> c e_a + s e_b.
        const Scalar va = a[qa];
        const Scalar vb = a[qb];
        a[qa] = c * va - sn * vb;
        a[qb] = sn * va + c * vb;
        return;
      }
      const bool fbs = op.kind == gate_kind::fbs;
      for_each_pair(s, qa, qb, [&](index_t r10, index_t r01, bool odd_between) {
        const F sk = (fbs && odd_between) ? -sn : sn;
        const Scalar v10 = a[r10];
        const Scalar v01 = a[r01];
        a[r01] = c * v01 + sk * v10;
        a[r10] = -sk * v01 + c * v10;
      });
      return;
    }
    case gate_kind::swap: {
      if (s.weight == 1) {
        std::swap(a[qa], a[qb]);
        return;
      }
      for_each_pair(s, qa, qb, [&](index_t r10, index_t r01, bool) { std::swap(a[r10], a[r01]); });
      return;
    }
    default:
      apply_subspace_diagonal(a, s, op, theta);
      return;
  }
}

}  // namespace papillon::detail
