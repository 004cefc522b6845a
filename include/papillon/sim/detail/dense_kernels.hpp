#pragma once

/// @file
/// Dense k-qubit kernels (k = 1..4) on complex amplitudes: the general one- and two-qubit gates
/// and the fused blocks of sim/detail/fusion.hpp.
///
/// The arithmetic is written on real and imaginary parts: a std::complex product compiles to a
/// NaN check with a call to __muldc3 on every multiply, which kept these kernels compute-bound.
/// Complex double states on a CPU with AVX2/FMA take the vector kernel (two amplitudes a
/// register); everything else the portable one. The matrix is row-major over the local index
/// in sorted-qubit order: bit j of the local index is qubit pos[j], pos ascending.

#include <papillon/core/bits.hpp>
#include <papillon/core/types.hpp>
#include <papillon/sim/detail/cpu_dispatch.hpp>

#include <bit>
#include <complex>
#include <cstdint>
#include <memory>

#if PAPILLON_DETAIL_X86_DISPATCH
#  include <immintrin.h>
#endif

namespace papillon::detail {

/// Below this many groups a dense kernel runs on one thread (about 2^14 amplitudes).
inline constexpr std::int64_t dense_omp_threshold = std::int64_t{1} << 12;

/// Basis state of group g: zero bits inserted at the ascending positions pos.
template <int K>
inline basis_state dense_group_base(basis_state g, const index_t (&pos)[K]) noexcept {
  for (int j = 0; j < K; ++j) g = insert_zero_bit(g, pos[j]);
  return g;
}

template <int K>
inline void dense_offsets(const index_t (&pos)[K], basis_state (&off)[1 << K]) noexcept {
  for (int l = 0; l < (1 << K); ++l) {
    basis_state o = 0;
    for (int j = 0; j < K; ++j)
      if ((l >> j) & 1) o |= basis_state{1} << pos[j];
    off[l] = o;
  }
}

/// Portable kernel: one group of 2^K amplitudes at a time, real arithmetic.
template <int K, class F>
void dense_generic(std::complex<F>* a, index_t n, const index_t (&pos)[K],
                   const std::complex<F>* m) noexcept {
  constexpr int D = 1 << K;
  F mr[D * D];
  F mi[D * D];
  for (int i = 0; i < D * D; ++i) {
    mr[i] = m[i].real();
    mi[i] = m[i].imag();
  }
  basis_state off[D];
  dense_offsets<K>(pos, off);
  // std::complex<F> arrays may be accessed as arrays of F pairs ([complex.numbers]).
  F* p = reinterpret_cast<F*>(a);
  const auto count = std::int64_t{1} << (n - K);
#pragma omp parallel for schedule(static) if (count >= dense_omp_threshold)
  for (std::int64_t g = 0; g < count; ++g) {
    const basis_state base = dense_group_base<K>(static_cast<basis_state>(g), pos);
    F vr[D];
    F vi[D];
    for (int c = 0; c < D; ++c) {
      vr[c] = p[2 * (base + off[c])];
      vi[c] = p[2 * (base + off[c]) + 1];
    }
    for (int r = 0; r < D; ++r) {
      F re = 0;
      F im = 0;
      for (int c = 0; c < D; ++c) {
        re += mr[r * D + c] * vr[c] - mi[r * D + c] * vi[c];
        im += mr[r * D + c] * vi[c] + mi[r * D + c] * vr[c];
      }
      p[2 * (base + off[r])] = re;
      p[2 * (base + off[r]) + 1] = im;
    }
  }
}

#if PAPILLON_DETAIL_X86_DISPATCH

/// Vector kernel for complex double. A register holds W amplitudes, (re, im) interleaved. With
/// m = mr + i mi, m v = (mr vr - mi vi, mr vi + mi vr) = A -+ swap(B) for A = mr v and B = mi v,
/// so every output is two FMA chains and one addsub, whatever the matrix.
///
/// The state is walked in blocks of W contiguous amplitudes. Block qubits below log2(W) ("low")
/// vary inside a register; the others ("high") select which register of the group. For input
/// local state c, register lane l needs the amplitude of lane l with its low block bits set to
/// those of c: a lane permutation of the register holding c's high bits. Output register R
/// (high bits of the row) gets in lane l row (R, low bits of l), so its coefficients are vectors
/// laid out per lane, built once per call. (An AVX-512 variant, W = 4, on the same scheme
/// measured no faster on the development machine.)
struct avx2_ops {
  using reg = __m256d;
  using perm = __m256i;
  static constexpr int lanes = 2;
  [[gnu::target("avx2,fma"), gnu::always_inline]] static reg load(const double* p) noexcept {
    return _mm256_loadu_pd(p);
  }
  [[gnu::target("avx2,fma"), gnu::always_inline]] static reg load_aligned(
      const double* p) noexcept {
    return _mm256_load_pd(p);
  }
  [[gnu::target("avx2,fma"), gnu::always_inline]] static void store(double* p, reg v) noexcept {
    _mm256_storeu_pd(p, v);
  }
  [[gnu::target("avx2,fma"), gnu::always_inline]] static reg mul(reg a, reg b) noexcept {
    return _mm256_mul_pd(a, b);
  }
  [[gnu::target("avx2,fma"), gnu::always_inline]] static reg fmadd(reg a, reg b, reg c) noexcept {
    return _mm256_fmadd_pd(a, b, c);
  }
  [[gnu::target("avx2,fma"), gnu::always_inline]] static reg finish(reg re, reg im) noexcept {
    return _mm256_addsub_pd(re, _mm256_permute_pd(im, 0x5));
  }
  // AVX2 has no variable permutation of doubles across the 128-bit halves; the 32-bit one
  // moves the two halves of each double together.
  [[gnu::target("avx2,fma"), gnu::always_inline]] static perm make_perm(const int* lane) noexcept {
    return _mm256_setr_epi32(4 * lane[0], 4 * lane[0] + 1, 4 * lane[0] + 2, 4 * lane[0] + 3,
                             4 * lane[1], 4 * lane[1] + 1, 4 * lane[1] + 2, 4 * lane[1] + 3);
  }
  [[gnu::target("avx2,fma"), gnu::always_inline]] static reg permute(reg v, perm idx) noexcept {
    return _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(v), idx));
  }
};

/// Everything a vector kernel call precomputes: coefficient vectors, lane permutations and the
/// walk over blocks.
template <int K, class Ops>
struct dense_plan {
  static constexpr int D = 1 << K;
  static constexpr int W = Ops::lanes;
  int low = 0;  // block qubits inside a register (pos[0..low-1])
  alignas(64) double cre[D * D][2 * W];
  alignas(64) double cim[D * D][2 * W];
  basis_state reg_off[D];  // amplitude offset of the register with high local bits h
  int lane_perm[D][W];     // for input low bits cl: source lane of each lane
  index_t high_pos[K];
  std::int64_t total = 0;    // blocks
  std::int64_t per_run = 0;  // consecutive blocks that lie side by side
};

/// False when the state is too small for W-amplitude blocks.
template <int K, class Ops>
bool make_dense_plan(dense_plan<K, Ops>& pl, index_t n, const index_t (&pos)[K],
                     const std::complex<double>* m) noexcept {
  constexpr int D = 1 << K;
  constexpr int W = Ops::lanes;
  constexpr int L = std::countr_zero(unsigned(W));
  int low = 0;
  while (low < K && pos[low] < L) ++low;
  const int nh = K - low;
  if (static_cast<int>(n) < L + nh) return false;
  pl.low = low;
  for (int j = 0; j < nh; ++j) pl.high_pos[j] = pos[low + j];
  for (int h = 0; h < (1 << nh); ++h) {
    basis_state o = 0;
    for (int j = 0; j < nh; ++j)
      if ((h >> j) & 1) o |= basis_state{1} << pl.high_pos[j];
    pl.reg_off[h] = o;
  }
  // Lane l's low block bits as a local index, and lane l with them replaced by cl.
  const auto lane_low = [&](int l) {
    int v = 0;
    for (int j = 0; j < low; ++j) v |= ((l >> pos[j]) & 1) << j;
    return v;
  };
  for (int cl = 0; cl < (1 << low); ++cl)
    for (int l = 0; l < W; ++l) {
      int src = l;
      for (int j = 0; j < low; ++j) {
        src &= ~(1 << pos[j]);
        src |= ((cl >> j) & 1) << pos[j];
      }
      pl.lane_perm[cl][l] = src;
    }
  for (int R = 0; R < (1 << nh); ++R)
    for (int c = 0; c < D; ++c)
      for (int l = 0; l < W; ++l) {
        const int row = (R << low) | lane_low(l);
        const auto& e = m[row * D + c];
        pl.cre[R * D + c][2 * l] = pl.cre[R * D + c][2 * l + 1] = e.real();
        pl.cim[R * D + c][2 * l] = pl.cim[R * D + c][2 * l + 1] = e.imag();
      }
  pl.total = std::int64_t{1} << (n - L - nh);
  pl.per_run = nh > 0 ? std::int64_t{1} << (pl.high_pos[0] - L) : pl.total;
  return true;
}

/// dense_avx2_blocks applies a plan to `count` consecutive blocks from block `first`;
/// dense_avx2_run walks the state. Both carry the target attribute: GCC inlines the intrinsics
/// only into functions compiled for AVX2, and the OpenMP region is outlined from (and keeps the
/// target of) the function it sits in.
template <int K, int Low>
[[gnu::target("avx2,fma"), gnu::always_inline]] inline void dense_avx2_blocks(
    double* p, const dense_plan<K, avx2_ops>& pl, std::int64_t first, std::int64_t count) noexcept {
  constexpr int D = 1 << K;
  constexpr int W = avx2_ops::lanes;
  constexpr int NH = K - Low;
  const auto base_of = [&pl](std::int64_t block) {
    basis_state base = static_cast<basis_state>(block) * W;
    for (int j = 0; j < NH; ++j) base = insert_zero_bit(base, pl.high_pos[j]);
    return base;
  };
  // Long runs walk by pointer; short ones (a high block qubit just above the register)
  // insert the bits for every block.
  const bool contiguous = pl.per_run >= count;
  double* const q = p + 2 * base_of(first);
  avx2_ops::perm perms[1 << Low];
  for (int cl = 0; cl < (1 << Low); ++cl) perms[cl] = avx2_ops::make_perm(pl.lane_perm[cl]);
  for (std::int64_t t = 0; t < count; ++t) {
    double* const b = contiguous ? q + 2 * W * t : p + 2 * base_of(first + t);
    avx2_ops::reg v[D];
    for (int h = 0; h < (1 << NH); ++h) {
      const auto x = avx2_ops::load(b + 2 * pl.reg_off[h]);
      if constexpr (Low == 0) {
        v[h] = x;
      } else {
        for (int cl = 0; cl < (1 << Low); ++cl)
          v[(h << Low) | cl] = avx2_ops::permute(x, perms[cl]);
      }
    }
    for (int R = 0; R < (1 << NH); ++R) {
      auto re = avx2_ops::mul(avx2_ops::load_aligned(pl.cre[R * D]), v[0]);
      auto im = avx2_ops::mul(avx2_ops::load_aligned(pl.cim[R * D]), v[0]);
      for (int c = 1; c < D; ++c) {
        re = avx2_ops::fmadd(avx2_ops::load_aligned(pl.cre[R * D + c]), v[c], re);
        im = avx2_ops::fmadd(avx2_ops::load_aligned(pl.cim[R * D + c]), v[c], im);
      }
      avx2_ops::store(b + 2 * pl.reg_off[R], avx2_ops::finish(re, im));
    }
  }
}

template <int K, int Low>
[[gnu::target("avx2,fma")]] void dense_avx2_run(double* p,
                                                const dense_plan<K, avx2_ops>& plan) noexcept {
  const std::int64_t chunk = plan.total < 256 ? plan.total : 256;
  const std::int64_t chunks = plan.total / chunk;
  const bool parallel = plan.total * avx2_ops::lanes >= 4 * dense_omp_threshold;
#  pragma omp parallel for schedule(static) if (parallel)
  for (std::int64_t ch = 0; ch < chunks; ++ch)
    dense_avx2_blocks<K, Low>(p, plan, ch * chunk, chunk);
}

template <int K>
bool dense_avx2(std::complex<double>* a, index_t n, const index_t (&pos)[K],
                const std::complex<double>* m) noexcept {
  auto pl = std::make_unique<dense_plan<K, avx2_ops>>();
  if (!make_dense_plan<K, avx2_ops>(*pl, n, pos, m)) return false;
  double* p = reinterpret_cast<double*>(a);
  // Two lanes: at most qubit 0 of the block lies inside a register.
  if (pl->low == 0)
    dense_avx2_run<K, 0>(p, *pl);
  else
    dense_avx2_run<K, 1>(p, *pl);
  return true;
}

#endif

/// Applies the 2^K x 2^K matrix m (sorted-qubit local order, see the file comment) on the
/// ascending qubits pos of an n-qubit state, with the given instruction set if this build and
/// CPU have it.
template <int K, class F>
void apply_dense(std::complex<F>* a, index_t n, const index_t (&pos)[K], const std::complex<F>* m,
                 simd_isa isa = best_simd_isa()) noexcept {
#if PAPILLON_DETAIL_X86_DISPATCH
  if constexpr (std::is_same_v<F, double>) {
    if (isa == simd_isa::avx2_fma && cpu_has_avx2_fma())
      if (dense_avx2<K>(a, n, pos, m)) return;
  }
#endif
  (void)isa;
  dense_generic<K, F>(a, n, pos, m);
}

/// A two-qubit matrix in the |q_a q_b> order of the gate table, reordered for apply_dense on
/// (min, max): the two orders agree when q_a is the higher qubit and otherwise differ by
/// exchanging local states 1 and 2.
template <class C>
void sorted_two_qubit_matrix(const C (&m)[16], index_t qa, index_t qb, C (&out)[16]) noexcept {
  const auto perm = [&](int l) { return qa > qb ? l : ((l & 1) << 1) | ((l >> 1) & 1); };
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) out[r * 4 + c] = m[perm(r) * 4 + perm(c)];
}

}  // namespace papillon::detail
