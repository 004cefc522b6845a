// A 16-qubit Butterfly on 1024 unary input states: the weight-1 subspace (16 real amplitudes)
// against the full state (65536 real amplitudes) running the same circuits.

#include <papillon/sim/statevector.hpp>
#include <papillon/sim/subspace_state.hpp>

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

namespace {

using papillon::index_t;
constexpr index_t n = 16;
constexpr index_t samples = 1024;

// Input i: e_0 (both states start there), then a chain of RBS gates with random angles (a diagonal
// loader of a random unit vector), followed by the Butterfly (coupling-last order, parameters
// bound).
struct workload {
  std::vector<papillon::circuit> circuits;
  std::vector<double> params;
};

workload make_workload() {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> ang(-3.1, 3.1);
  papillon::circuit butterfly(n);
  index_t p = 0;
  for (index_t s = 1; s < n; s *= 2)
    for (index_t i = 0; i < n; ++i)
      if ((i / s) % 2 == 0) butterfly.rbs(i, i + s, papillon::param(p++));
  workload w;
  w.params.resize(p);
  for (auto& v : w.params) v = ang(rng);
  for (index_t k = 0; k < samples; ++k) {
    papillon::circuit c(n);
    for (index_t i = 0; i + 1 < n; ++i) c.rbs(i, i + 1, ang(rng));
    c.append(butterfly);
    w.circuits.push_back(std::move(c));
  }
  return w;
}

void bm_butterfly_subspace(benchmark::State& state) {
  const auto w = make_workload();
  const std::vector<index_t> occ{0};
  double sink = 0;
  for (auto _ : state) {
    for (const auto& c : w.circuits) {
      papillon::real_subspace_state<double> st(n, occ);
      st.apply(c, w.params);
      sink += st.amplitudes()[3];
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * samples));
}

void bm_butterfly_full(benchmark::State& state) {
  const auto w = make_workload();
  double sink = 0;
  for (auto _ : state) {
    for (const auto& c : w.circuits) {
      papillon::real_statevector<double> st(n, papillon::basis_state{1});
      st.apply(c, w.params);
      sink += st.amplitudes()[8];
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * samples));
}

}  // namespace

BENCHMARK(bm_butterfly_subspace)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_butterfly_full)->Unit(benchmark::kMillisecond);
