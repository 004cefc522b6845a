#include <papillon/sim/detail/kernels.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "support/catch.hpp"

using namespace papillon;
using cd = std::complex<double>;

namespace {

std::vector<cd> random_amplitudes(index_t n, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  std::vector<cd> v(std::size_t{1} << n);
  for (auto& x : v) x = {g(rng), g(rng)};
  return v;
}

// Out = M In on every group, by the definition: local index bit j is qubit pos[j].
std::vector<cd> reference_dense(const std::vector<cd>& in, const std::vector<index_t>& pos,
                                const std::vector<cd>& m) {
  const std::size_t d = std::size_t{1} << pos.size();
  std::vector<cd> out(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    std::size_t row = 0;
    for (std::size_t j = 0; j < pos.size(); ++j) row |= ((i >> pos[j]) & 1U) << j;
    cd acc = 0;
    for (std::size_t c = 0; c < d; ++c) {
      std::size_t src = i;
      for (std::size_t j = 0; j < pos.size(); ++j) {
        src &= ~(std::size_t{1} << pos[j]);
        src |= ((c >> j) & 1U) << pos[j];
      }
      acc += m[row * d + c] * in[src];
    }
    out[i] = acc;
  }
  return out;
}

double distance(const std::vector<cd>& a, const std::vector<cd>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += std::norm(a[i] - b[i]);
  return std::sqrt(s);
}

std::vector<detail::simd_isa> isas() {
  std::vector<detail::simd_isa> v{detail::simd_isa::generic};
  if (detail::cpu_has_avx2_fma()) v.push_back(detail::simd_isa::avx2_fma);
  return v;
}

template <int K>
void check_block(index_t n, std::mt19937_64& rng) {
  std::vector<index_t> all(n);
  for (index_t q = 0; q < n; ++q) all[q] = q;
  for (int trial = 0; trial < 6; ++trial) {
    std::shuffle(all.begin(), all.end(), rng);
    std::vector<index_t> pos(all.begin(), all.begin() + K);
    if (trial == 0) {  // the top qubits, where the blocks are furthest apart
      for (int j = 0; j < K; ++j) pos[j] = n - K + j;
    }
    std::sort(pos.begin(), pos.end());
    index_t p[K];
    std::copy(pos.begin(), pos.end(), p);
    std::normal_distribution<double> g;
    std::vector<cd> m(std::size_t{1} << (2 * K));
    for (auto& x : m) x = {g(rng), g(rng)};
    const auto in = random_amplitudes(n, rng);
    const auto expected = reference_dense(in, pos, m);
    for (auto isa : isas()) {
      INFO("n = " << n << ", K = " << K << ", lowest qubit " << p[0] << ", isa "
                  << static_cast<int>(isa));
      auto out = in;
      detail::apply_dense<K>(out.data(), n, p, m.data(), isa);
      REQUIRE(distance(out, expected) < 1e-12 * std::sqrt(double(in.size())) * (1 << K));
    }
  }
}

}  // namespace

TEST_CASE("dense kernels: every qubit pair in both orders matches the dense matrix", "[sim]") {
  std::mt19937_64 rng(17);
  std::normal_distribution<double> g;
  for (index_t n = 2; n <= 7; ++n)
    for (index_t qa = 0; qa < n; ++qa)
      for (index_t qb = 0; qb < n; ++qb) {
        if (qa == qb) continue;
        cd m[16];
        for (auto& x : m) x = {g(rng), g(rng)};
        // The gate-table order: local index 2 bit(qa) + bit(qb).
        std::vector<cd> sorted(16);
        const auto perm = [&](int l) { return qa > qb ? l : ((l & 1) << 1) | ((l >> 1) & 1); };
        for (int r = 0; r < 4; ++r)
          for (int c = 0; c < 4; ++c) sorted[r * 4 + c] = m[perm(r) * 4 + perm(c)];
        const auto in = random_amplitudes(n, rng);
        const auto expected = reference_dense(in, {std::min(qa, qb), std::max(qa, qb)}, sorted);
        INFO("n = " << n << ", pair " << qa << "," << qb);
        auto out = in;
        detail::apply_matrix_2q(out.data(), n, qa, qb, m);
        REQUIRE(distance(out, expected) < 1e-12 * std::sqrt(double(in.size())));
        for (auto isa : isas()) {
          auto o2 = in;
          const index_t pos[2] = {std::min(qa, qb), std::max(qa, qb)};
          detail::apply_dense<2>(o2.data(), n, pos, sorted.data(), isa);
          REQUIRE(distance(o2, expected) < 1e-12 * std::sqrt(double(in.size())));
        }
      }
}

TEST_CASE("dense kernels: one- to four-qubit blocks on any qubits match the definition", "[sim]") {
  std::mt19937_64 rng(18);
  for (index_t n : {1, 2, 3, 4, 5, 6, 9, 12}) {
    check_block<1>(n, rng);
    if (n >= 2) check_block<2>(n, rng);
    if (n >= 3) check_block<3>(n, rng);
    if (n >= 4) check_block<4>(n, rng);
  }
}

TEST_CASE("dense kernels: complex float takes the portable kernel", "[sim]") {
  using cf = std::complex<float>;
  std::vector<cf> a{{1, 2}, {3, -1}, {0.5F, 0.25F}, {-2, 1}};
  const cf m[4] = {{0, 1}, {1, 0}, {2, 0}, {0, -1}};
  detail::apply_matrix_1q(a.data(), 2, 1, m);
  // Qubit 1 pairs amplitudes (0, 2) and (1, 3).
  REQUIRE(std::abs(a[0] - (cf{0, 1} * cf{1, 2} + cf{0.5F, 0.25F})) < 1e-6F);
  REQUIRE(std::abs(a[2] - (cf{2, 0} * cf{1, 2} + cf{0, -1} * cf{0.5F, 0.25F})) < 1e-6F);
  REQUIRE(std::abs(a[3] - (cf{2, 0} * cf{3, -1} + cf{0, -1} * cf{-2, 1})) < 1e-6F);
}
