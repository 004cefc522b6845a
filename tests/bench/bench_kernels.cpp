// Full-state kernel throughput against the memory-bound limit of an in-place gate: scaling the
// same buffer in place (one read and one write of every amplitude). Every benchmark reports
// bytes as if it read and wrote the whole state, so bytes_per_second divided by the baseline's
// is the kernel's speed relative to that limit. RBS and CZ touch only part of the state and
// can exceed 1. bm_dense is the dense k-qubit kernel (k = 2: the general two-qubit gate).

#include <papillon/sim/detail/apply.hpp>
#include <papillon/sim/statevector.hpp>

#include <benchmark/benchmark.h>

#include <complex>
#include <random>
#include <vector>

namespace {

using papillon::index_t;

papillon::statevector<double> random_sv(index_t n) {
  papillon::statevector<double> sv(n);
  std::mt19937_64 rng(1);
  std::normal_distribution<double> g;
  for (auto& a : sv.amplitudes()) a = {g(rng), g(rng)};
  sv.amplitudes().normalize();
  return sv;
}

void set_bytes(benchmark::State& state, index_t n) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>((std::size_t{1} << n) * 16 * 2));
}

void bm_scale_baseline(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  auto sv = random_sv(n);
  auto* a = sv.amplitudes().data();
  const auto count = static_cast<std::int64_t>(std::size_t{1} << n);
  for (auto _ : state) {
#pragma omp parallel for schedule(static) if (count >= papillon::detail::omp_threshold)
    for (std::int64_t i = 0; i < count; ++i) a[i] *= 0.9999999;
    benchmark::ClobberMemory();
  }
  set_bytes(state, n);
}

// range(0) = qubits, range(1) = 0 for low qubits (0, 1), 1 for high qubits (n-2, n-1).
void bm_gate(benchmark::State& state, papillon::gate_kind kind) {
  const auto n = static_cast<index_t>(state.range(0));
  const bool high = state.range(1) != 0;
  auto sv = random_sv(n);
  auto op = papillon::make_operation(kind, high ? n - 2 : 0, high ? n - 1 : 1);
  for (auto _ : state) {
    papillon::detail::apply_operation(sv.amplitudes().data(), n, op, 0.3);
    benchmark::ClobberMemory();
  }
  set_bytes(state, n);
}

void bm_rbs(benchmark::State& s) { bm_gate(s, papillon::gate_kind::rbs); }
void bm_ry(benchmark::State& s) { bm_gate(s, papillon::gate_kind::ry); }
void bm_cz(benchmark::State& s) { bm_gate(s, papillon::gate_kind::cz); }

// A dense gate on k qubits (a random matrix); range(2) as range(1) of bm_gate: the block sits on
// the lowest or the highest k qubits. k = 2 is the general two-qubit unitary.
void bm_dense(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  const int k = static_cast<int>(state.range(1));
  const bool high = state.range(2) != 0;
  auto sv = random_sv(n);
  std::mt19937_64 rng(3);
  std::normal_distribution<double> g;
  std::vector<std::complex<double>> m(std::size_t{1} << (2 * k));
  for (auto& x : m) x = {0.5 * g(rng), 0.5 * g(rng)};
  index_t pos[4];
  for (int j = 0; j < k; ++j) pos[j] = high ? n - static_cast<index_t>(k - j) : index_t(j);
  auto* a = sv.amplitudes().data();
  for (auto _ : state) {
    switch (k) {
      case 1:
        papillon::detail::apply_dense<1>(a, n, {pos[0]}, m.data());
        break;
      case 2:
        papillon::detail::apply_dense<2>(a, n, {pos[0], pos[1]}, m.data());
        break;
      case 3:
        papillon::detail::apply_dense<3>(a, n, {pos[0], pos[1], pos[2]}, m.data());
        break;
      default:
        papillon::detail::apply_dense<4>(a, n, {pos[0], pos[1], pos[2], pos[3]}, m.data());
    }
    benchmark::ClobberMemory();
  }
  set_bytes(state, n);
}

void dense_sizes(benchmark::internal::Benchmark* b) {
  for (int n : {20, 24, 26})
    for (int k : {1, 2, 3, 4})
      for (int hi : {0, 1}) b->Args({n, k, hi});
  b->Unit(benchmark::kMillisecond);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int n : {20, 24, 26})
    for (int hi : {0, 1}) b->Args({n, hi});
  b->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK(bm_scale_baseline)->Arg(20)->Arg(24)->Arg(26)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_rbs)->Apply(sizes);
BENCHMARK(bm_ry)->Apply(sizes);
BENCHMARK(bm_cz)->Apply(sizes);
BENCHMARK(bm_dense)->Apply(dense_sizes);
