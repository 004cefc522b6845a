#pragma once

/// @file
/// Which instruction set the full-state kernels run on, chosen once at run time.
///
/// The library is header-mostly and ships for baseline x86-64 (SSE2), so the vector kernels are
/// compiled for AVX2/FMA inside ordinary functions with GCC's `target` attribute and picked by a
/// CPU check, rather than by building the whole program with -mavx2. Eigen's packet math is not
/// used for this: it fixes its packet width from the translation unit's compiler flags, so it
/// cannot offer two instruction sets in one header-only build.

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#  define PAPILLON_DETAIL_X86_DISPATCH 1
#else
#  define PAPILLON_DETAIL_X86_DISPATCH 0
#endif

namespace papillon::detail {

enum class simd_isa { generic, avx2_fma };

/// True when the CPU (and the operating system, which must save the YMM registers) supports
/// AVX2 and FMA.
inline bool cpu_has_avx2_fma() noexcept {
#if PAPILLON_DETAIL_X86_DISPATCH
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return has;
#else
  return false;
#endif
}

/// The best instruction set this machine offers the kernels.
inline simd_isa best_simd_isa() noexcept {
  return cpu_has_avx2_fma() ? simd_isa::avx2_fma : simd_isa::generic;
}

}  // namespace papillon::detail
