// Gradients of unary Butterflies (X(0), a diagonal loader, the Butterfly): the adjoint sweep
// against the serial four-term shift on exact subspace simulation, and the adjoint's cost in
// forward passes. Counters: `adjoint_over_forward` (adjoint time / one forward pass) and
// `shift_over_adjoint` (serial shift time / adjoint time).

#include <papillon/grad/adjoint.hpp>
#include <papillon/grad/occurrences.hpp>
#include <papillon/grad/shift_rule.hpp>
#include <papillon/sim/simulator.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <vector>

namespace {

using papillon::index_t;

struct workload {
  papillon::circuit circ{1};
  std::vector<double> params;
  papillon::diagonal_observable obs;
};

workload make_workload(index_t n) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> ang(-1.5, 1.5);
  workload w;
  w.circ = papillon::circuit(n);
  w.circ.x(0);
  for (index_t i = 0; i + 1 < n; ++i) w.circ.rbs(i, i + 1, ang(rng));
  index_t p = 0;
  for (index_t s = 1; s < n; s *= 2)
    for (index_t i = 0; i < n; ++i)
      if ((i / s) % 2 == 0) w.circ.rbs(i, i + s, papillon::param(p++));
  w.params.resize(p);
  for (auto& v : w.params) v = ang(rng);
  std::vector<double> u(n);
  for (index_t i = 0; i < n; ++i) u[i] = double(i + 1);
  w.obs = papillon::diagonal_observable::from_unary(u);
  return w;
}

double forward_value(const papillon::circuit& c, const std::vector<double>& params,
                     const papillon::diagonal_observable& obs) {
  const auto p = papillon::simulate_probabilities(c, params);
  double f = 0;
  for (index_t i = 0; i < p.values.size(); ++i) f += obs.unary_weight_of(i) * p.values[i];
  return f;
}

// Seconds per call of fn, over at least 0.2 s.
template <class Fn>
double seconds_per_call(Fn&& fn) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  int calls = 0;
  double elapsed = 0;
  do {
    fn();
    ++calls;
    elapsed = std::chrono::duration<double>(clock::now() - t0).count();
  } while (elapsed < 0.2);
  return elapsed / calls;
}

void bm_forward(benchmark::State& state) {
  const auto w = make_workload(static_cast<index_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(forward_value(w.circ, w.params, w.obs));
}

void bm_adjoint(benchmark::State& state) {
  const auto w = make_workload(static_cast<index_t>(state.range(0)));
  for (auto _ : state)
    benchmark::DoNotOptimize(papillon::adjoint_gradient(w.circ, w.params, w.obs).gradient);
  const double fwd =
      seconds_per_call([&] { benchmark::DoNotOptimize(forward_value(w.circ, w.params, w.obs)); });
  const double adj = seconds_per_call([&] {
    benchmark::DoNotOptimize(papillon::adjoint_gradient(w.circ, w.params, w.obs).gradient);
  });
  state.counters["params"] = static_cast<double>(w.params.size());
  state.counters["adjoint_over_forward"] = adj / fwd;
}

// What shift_gradient sends to a backend, simulated exactly here (the backends stop at 64
// qubits): four shifted runs of the expanded circuit per parameter.
std::vector<double> serial_shift(const workload& w) {
  const auto ex = papillon::expand_occurrences(w.circ, w.params);
  const auto rule = papillon::shift_rule_for(papillon::gate_kind::rbs);
  std::vector<double> g(w.params.size(), 0.0);
  std::vector<double> angles = ex.angles;
  for (std::size_t k = 0; k < ex.occurrences.size(); ++k) {
    double d = 0;
    for (const auto& t : rule.terms) {
      angles[k] = ex.angles[k] + t.shift;
      const double fp = forward_value(ex.expanded, angles, w.obs);
      angles[k] = ex.angles[k] - t.shift;
      d += t.coefficient * (fp - forward_value(ex.expanded, angles, w.obs));
    }
    angles[k] = ex.angles[k];
    g[ex.occurrences[k].parameter] += ex.occurrences[k].scale * d;
  }
  return g;
}

void bm_serial_shift(benchmark::State& state) {
  const auto w = make_workload(static_cast<index_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(serial_shift(w));
  const double adj = seconds_per_call([&] {
    benchmark::DoNotOptimize(papillon::adjoint_gradient(w.circ, w.params, w.obs).gradient);
  });
  const double sh = seconds_per_call([&] { benchmark::DoNotOptimize(serial_shift(w)); });
  state.counters["circuits"] = 4.0 * static_cast<double>(w.params.size());
  state.counters["shift_over_adjoint"] = sh / adj;
}

}  // namespace

BENCHMARK(bm_forward)->RangeMultiplier(4)->Range(16, 1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_adjoint)->RangeMultiplier(4)->Range(16, 1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_serial_shift)->RangeMultiplier(4)->Range(16, 1024)->Unit(benchmark::kMillisecond);
