// Batch throughput of simulator_backend: 256 unary 16-qubit Butterfly circuits (x(0) then the
// four coupling-last layers, 32 RBS, weight-1 subspace) with different parameters, exact
// probabilities, on 1 and 2 worker threads. Noisy variant: the same batch, 100 shots each under
// the forte-1 model (full state, one trajectory per shot).

#include <papillon/backend/simulator_backend.hpp>

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

namespace {

using papillon::index_t;
constexpr index_t n = 16;
constexpr std::size_t batch = 256;

struct workload {
  papillon::circuit circ{n};
  std::vector<papillon::run_task> tasks;
};

const workload& get_workload() {
  static const workload w = [] {
    workload out;
    out.circ.x(0);
    index_t p = 0;
    for (index_t s = 1; s < n; s *= 2)
      for (index_t i = 0; i < n; ++i)
        if ((i & s) == 0) out.circ.rbs(i, i + s, papillon::param(p++));
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> ang(-3.1, 3.1);
    for (std::size_t k = 0; k < batch; ++k) {
      std::vector<double> params(p);
      for (auto& v : params) v = ang(rng);
      out.tasks.push_back({&out.circ, std::move(params)});
    }
    return out;
  }();
  return w;
}

void run_batch(benchmark::State& state, const char* noise, std::uint64_t shots) {
  const auto& w = get_workload();
  papillon::simulator_backend_options o;
  o.threads = static_cast<unsigned>(state.range(0));
  o.noise = noise;
  papillon::simulator_backend b(o);
  for (auto _ : state) {
    auto r = b.run_batch(w.tasks, {shots, 1});
    benchmark::DoNotOptimize(r.data());
  }
  state.counters["circuits/s"] = benchmark::Counter(static_cast<double>(state.iterations() * batch),
                                                    benchmark::Counter::kIsRate);
}

void bm_backend_batch_unary16_exact(benchmark::State& state) { run_batch(state, "ideal", 0); }
void bm_backend_batch_unary16_noisy(benchmark::State& state) { run_batch(state, "forte-1", 100); }

}  // namespace

BENCHMARK(bm_backend_batch_unary16_exact)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(bm_backend_batch_unary16_noisy)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
