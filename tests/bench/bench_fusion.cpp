// Gate fusion on the hardware-efficient ansatz (10 layers of RY on every qubit, then a CZ
// ladder) on complex double full states: unfused, fused with the width chosen by cost, and each
// width forced. bm_hea_ratio times the unfused and the fused run in the same iteration and
// reports their ratio, so the ratio comes from one run of one binary.

#include <papillon/sim/statevector.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <vector>

namespace {

using papillon::index_t;

papillon::circuit hea(index_t n, index_t layers) {
  papillon::circuit c(n);
  index_t p = 0;
  for (index_t l = 0; l < layers; ++l) {
    for (index_t q = 0; q < n; ++q) c.ry(q, papillon::param(p++));
    for (index_t q = 0; q + 1 < n; ++q) c.cz(q, q + 1);
  }
  return c;
}

std::vector<double> angles(const papillon::circuit& c) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-3.1, 3.1);
  std::vector<double> v(c.num_parameters());
  for (auto& x : v) x = u(rng);
  return v;
}

papillon::fusion_options mode(int m) {
  papillon::fusion_options f;
  f.enabled = m != 0;
  f.max_qubits = m < 0 ? 0 : static_cast<index_t>(m);  // -1: chosen by cost
  return f;
}

// range(0) = qubits, range(1) = 0 unfused, -1 fused (width by cost), 2..4 fused at that width.
void bm_hea(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  const auto c = hea(n, 10);
  const auto p = angles(c);
  const auto opt = mode(static_cast<int>(state.range(1)));
  papillon::statevector<double> sv(n);
  for (auto _ : state) {
    sv.reset();
    sv.apply(c, p, opt);
    benchmark::ClobberMemory();
  }
}

// One unfused and one fused (width by cost) application per iteration.
void bm_hea_ratio(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  const auto c = hea(n, 10);
  const auto p = angles(c);
  papillon::statevector<double> sv(n);
  double unfused = 0;
  double fused = 0;
  for (auto _ : state) {
    using clock = std::chrono::steady_clock;
    sv.reset();
    const auto t0 = clock::now();
    sv.apply(c, p, mode(0));
    const auto t1 = clock::now();
    sv.reset();
    sv.apply(c, p, mode(-1));
    const auto t2 = clock::now();
    benchmark::ClobberMemory();
    unfused += std::chrono::duration<double>(t1 - t0).count();
    fused += std::chrono::duration<double>(t2 - t1).count();
  }
  state.counters["unfused_ms"] = 1e3 * unfused / static_cast<double>(state.iterations());
  state.counters["fused_ms"] = 1e3 * fused / static_cast<double>(state.iterations());
  state.counters["unfused_over_fused"] = unfused / fused;
}

}  // namespace

BENCHMARK(bm_hea)
    ->ArgsProduct({{20, 24}, {0, -1, 2, 3, 4}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(bm_hea_ratio)->Arg(20)->Arg(24)->Unit(benchmark::kMillisecond)->UseRealTime();
