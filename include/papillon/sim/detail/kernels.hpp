#pragma once

/// @file
/// Full-state gate kernels. Amplitudes are indexed by basis state (bit i = qubit i). Each
/// kernel enumerates only the amplitudes its gate changes by inserting zero bits into a loop
/// counter, so no index tables are built. Every iteration writes distinct amplitudes and no
/// kernel reduces, so results are identical for any OpenMP thread count.

#include <papillon/circuit/gate.hpp>
#include <papillon/core/bits.hpp>
#include <papillon/core/types.hpp>
#include <papillon/sim/detail/dense_kernels.hpp>

#include <bit>
#include <complex>
#include <cstdint>
#include <type_traits>

namespace papillon::detail {

/// Below this many loop iterations a kernel runs on one thread: the fork costs more than the
/// work (about 2^14 amplitudes).
inline constexpr std::int64_t omp_threshold = std::int64_t{1} << 14;

template <class T>
struct is_complex : std::false_type {};
template <class T>
struct is_complex<std::complex<T>> : std::true_type {};
template <class T>
inline constexpr bool is_complex_v = is_complex<T>::value;

template <class Scalar>
struct real_of {
  using type = Scalar;
};
template <class T>
struct real_of<std::complex<T>> {
  using type = T;
};
template <class Scalar>
using real_of_t = typename real_of<Scalar>::type;

/// Converts a complex matrix entry to the state's scalar type (drops the zero imaginary part of
/// real gates on real states).
template <class Scalar, class Float>
constexpr Scalar to_scalar(const std::complex<Float>& v) noexcept {
  if constexpr (is_complex_v<Scalar>)
    return Scalar(static_cast<real_of_t<Scalar>>(v.real()),
                  static_cast<real_of_t<Scalar>>(v.imag()));
  else
    return static_cast<Scalar>(v.real());
}

/// x * d without std::complex's multiply, which checks for NaN and calls __muldc3 and so keeps
/// the loop from vectorising; a real factor is a plain product.
template <class Scalar, class Coef>
inline Scalar times(const Scalar& x, const Coef& d) noexcept {
  if constexpr (is_complex_v<Scalar> && is_complex_v<Coef>)
    return Scalar(x.real() * d.real() - x.imag() * d.imag(),
                  x.real() * d.imag() + x.imag() * d.real());
  else
    return x * d;
}

// OpenMP needs a signed loop counter.
#define PAPILLON_DETAIL_FOR(var, count)                                                          \
  _Pragma(                                                                                       \
      "omp parallel for schedule(static) if ((count) >= omp_threshold)") for (std::int64_t var = \
                                                                                  0;             \
                                                                              var < (count);     \
                                                                              ++var)

/// General 2x2 matrix on qubit q. m is row-major in the state's scalar type.
template <class Scalar, class Coef>
void apply_matrix_1q(Scalar* a, index_t n, index_t q, const Coef (&m)[4]) noexcept {
  if constexpr (is_complex_v<Scalar> && is_complex_v<Coef>) {
    const index_t pos[1] = {q};
    apply_dense<1>(a, n, pos, m);
    return;
  }
  const auto count = std::int64_t{1} << (n - 1);
  const basis_state bq = basis_state{1} << q;
  PAPILLON_DETAIL_FOR(k, count) {
    const basis_state i0 = insert_zero_bit(static_cast<basis_state>(k), q);
    const basis_state i1 = i0 | bq;
    const Scalar v0 = a[i0];
    const Scalar v1 = a[i1];
    a[i0] = m[0] * v0 + m[1] * v1;
    a[i1] = m[2] * v0 + m[3] * v1;
  }
}

/// Multiplies the amplitudes with qubit q = 1 by d1 (and those with q = 0 by d0 unless d0 is 1).
template <class Scalar, class Coef>
void apply_diagonal_1q(Scalar* a, index_t n, index_t q, Coef d0, Coef d1, bool d0_is_one) noexcept {
  const auto count = std::int64_t{1} << (n - 1);
  const basis_state bq = basis_state{1} << q;
  PAPILLON_DETAIL_FOR(k, count) {
    const basis_state i0 = insert_zero_bit(static_cast<basis_state>(k), q);
    if (!d0_is_one) a[i0] = times(a[i0], d0);
    a[i0 | bq] = times(a[i0 | bq], d1);
  }
}

/// Pauli X on qubit q.
template <class Scalar>
void apply_x(Scalar* a, index_t n, index_t q) noexcept {
  const auto count = std::int64_t{1} << (n - 1);
  const basis_state bq = basis_state{1} << q;
  PAPILLON_DETAIL_FOR(k, count) {
    const basis_state i0 = insert_zero_bit(static_cast<basis_state>(k), q);
    std::swap(a[i0], a[i0 | bq]);
  }
}

/// RBS or FBS on (qa, qb): touches only the |01> and |10> amplitudes of the pair. For FBS the
/// sine terms change sign with the parity of the qubits strictly between qa and qb.
template <class Scalar, class Float>
void apply_rbs(Scalar* a, index_t n, index_t qa, index_t qb, Float c, Float s,
               bool fermionic) noexcept {
  const auto count = std::int64_t{1} << (n - 2);
  const index_t lo = qa < qb ? qa : qb;
  const index_t hi = qa < qb ? qb : qa;
  const basis_state ba = basis_state{1} << qa;
  const basis_state bb = basis_state{1} << qb;
  const basis_state between = fermionic ? between_mask(qa, qb) : 0;
  PAPILLON_DETAIL_FOR(k, count) {
    const basis_state i00 = insert_two_zero_bits(static_cast<basis_state>(k), lo, hi);
    const basis_state i01 = i00 | bb;  // |q_a q_b> = |01>
    const basis_state i10 = i00 | ba;  // |10>
    const Float sk = (between != 0 && (std::popcount(i00 & between) & 1)) ? -s : s;
    const Scalar v01 = a[i01];
    const Scalar v10 = a[i10];
    a[i01] = c * v01 + sk * v10;
    a[i10] = -sk * v01 + c * v10;
  }
}

/// Multiplies the amplitudes with both qubits set by d (CZ: d = -1).
template <class Scalar, class Coef>
void apply_phase_11(Scalar* a, index_t n, index_t qa, index_t qb, Coef d) noexcept {
  const auto count = std::int64_t{1} << (n - 2);
  const index_t lo = qa < qb ? qa : qb;
  const index_t hi = qa < qb ? qb : qa;
  const basis_state both = (basis_state{1} << qa) | (basis_state{1} << qb);
  PAPILLON_DETAIL_FOR(k, count) {
    const basis_state i00 = insert_two_zero_bits(static_cast<basis_state>(k), lo, hi);
    a[i00 | both] = times(a[i00 | both], d);
  }
}

/// Exchanges the amplitudes of two local basis states u, v (0..3, |q_a q_b> order) of a pair.
template <class Scalar>
void apply_exchange(Scalar* a, index_t n, index_t qa, index_t qb, unsigned u, unsigned v) noexcept {
  const auto count = std::int64_t{1} << (n - 2);
  const index_t lo = qa < qb ? qa : qb;
  const index_t hi = qa < qb ? qb : qa;
  const basis_state ba = basis_state{1} << qa;
  const basis_state bb = basis_state{1} << qb;
  const auto off = [&](unsigned local) {
    return ((local & 2U) ? ba : 0) | ((local & 1U) ? bb : 0);
  };
  const basis_state ou = off(u);
  const basis_state ov = off(v);
  PAPILLON_DETAIL_FOR(k, count) {
    const basis_state i00 = insert_two_zero_bits(static_cast<basis_state>(k), lo, hi);
    std::swap(a[i00 | ou], a[i00 | ov]);
  }
}

/// General 4x4 matrix on (qa, qb) in the |q_a q_b> basis, row-major.
template <class Scalar, class Coef>
void apply_matrix_2q(Scalar* a, index_t n, index_t qa, index_t qb, const Coef (&m)[16]) noexcept {
  if constexpr (is_complex_v<Scalar> && is_complex_v<Coef>) {
    Coef sorted[16];
    sorted_two_qubit_matrix(m, qa, qb, sorted);
    const index_t pos[2] = {qa < qb ? qa : qb, qa < qb ? qb : qa};
    apply_dense<2>(a, n, pos, sorted);
    return;
  }
  const auto count = std::int64_t{1} << (n - 2);
  const index_t lo = qa < qb ? qa : qb;
  const index_t hi = qa < qb ? qb : qa;
  const basis_state ba = basis_state{1} << qa;
  const basis_state bb = basis_state{1} << qb;
  PAPILLON_DETAIL_FOR(k, count) {
    const basis_state i00 = insert_two_zero_bits(static_cast<basis_state>(k), lo, hi);
    const basis_state idx[4] = {i00, i00 | bb, i00 | ba, i00 | ba | bb};
    const Scalar v[4] = {a[idx[0]], a[idx[1]], a[idx[2]], a[idx[3]]};
    for (int r = 0; r < 4; ++r)
      a[idx[r]] = m[r * 4] * v[0] + m[r * 4 + 1] * v[1] + m[r * 4 + 2] * v[2] + m[r * 4 + 3] * v[3];
  }
}

/// Diagonal on a pair: multiplies local basis state j (|q_a q_b> order) by d[j].
template <class Scalar, class Coef>
void apply_diagonal_2q(Scalar* a, index_t n, index_t qa, index_t qb, const Coef (&d)[4]) noexcept {
  const auto count = std::int64_t{1} << (n - 2);
  const index_t lo = qa < qb ? qa : qb;
  const index_t hi = qa < qb ? qb : qa;
  const basis_state ba = basis_state{1} << qa;
  const basis_state bb = basis_state{1} << qb;
  PAPILLON_DETAIL_FOR(k, count) {
    const basis_state i00 = insert_two_zero_bits(static_cast<basis_state>(k), lo, hi);
    a[i00] = times(a[i00], d[0]);
    a[i00 | bb] = times(a[i00 | bb], d[1]);
    a[i00 | ba] = times(a[i00 | ba], d[2]);
    a[i00 | ba | bb] = times(a[i00 | ba | bb], d[3]);
  }
}

#undef PAPILLON_DETAIL_FOR

}  // namespace papillon::detail
