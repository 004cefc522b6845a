// The quantum orthogonal layer's exact path (no backend) on a batch of 1024 samples: one
// training step's forward pass plus backward pass (dL/dx and dL/dtheta for every angle), for
// both readouts, and the backward pass with the layer frozen (dL/dx only). Throughput in
// samples/s.
//
//   papillon-bench --benchmark_filter=bm_quantum_layer --benchmark_repetitions=5
//                  --benchmark_report_aggregates_only=true

#include <papillon/circuit/butterfly.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>

#include <Eigen/Core>
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>

namespace {

namespace nn = papillon::nn;
using papillon::index_t;

constexpr Eigen::Index batch = 1024;

// Entries in [0.1, 1] with random signs: no row is the zero vector.
Eigen::MatrixXd random_rows(index_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.1, 1.0);
  std::bernoulli_distribution sign(0.5);
  Eigen::MatrixXd m(batch, static_cast<Eigen::Index>(n));
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = sign(rng) ? u(rng) : -u(rng);
  return m;
}

nn::quantum_orthogonal make_layer(index_t n, nn::quantum_readout readout) {
  nn::quantum_layer_options o;
  o.qubits = n;
  o.readout = readout;
  o.seed = 17;
  return nn::quantum_orthogonal(o);
}

void set_counters(benchmark::State& state, index_t n) {
  state.counters["gates"] = static_cast<double>(papillon::butterfly_num_parameters(n));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * batch);
}

// forward(x, training) then backward(g) with every angle trainable.
void bm_quantum_layer_step(benchmark::State& state, nn::quantum_readout readout) {
  const auto n = static_cast<index_t>(state.range(0));
  auto layer = make_layer(n, readout);
  const Eigen::MatrixXd x = random_rows(n, 1);
  const Eigen::MatrixXd g = random_rows(n, 2);
  for (auto _ : state) {
    layer.zero_gradients();
    benchmark::DoNotOptimize(layer.forward(x, true));
    benchmark::DoNotOptimize(layer.backward(g));
  }
  benchmark::DoNotOptimize(layer.gradients().data());
  set_counters(state, n);
}

// backward(g) of a frozen layer after one forward pass: dL/dx only.
void bm_quantum_layer_input_gradient(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  auto layer = make_layer(n, nn::quantum_readout::probabilities);
  layer.set_trainable(false);
  const Eigen::MatrixXd x = random_rows(n, 1);
  const Eigen::MatrixXd g = random_rows(n, 2);
  (void)layer.forward(x, true);
  for (auto _ : state) benchmark::DoNotOptimize(layer.backward(g));
  set_counters(state, n);
}

void widths(benchmark::internal::Benchmark* b) {
  for (int n : {16, 64, 256, 1024}) b->Arg(n);
  b->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK_CAPTURE(bm_quantum_layer_step, probabilities, nn::quantum_readout::probabilities)
    ->Apply(widths);
BENCHMARK_CAPTURE(bm_quantum_layer_step, amplitudes, nn::quantum_readout::amplitudes)
    ->Apply(widths);
BENCHMARK(bm_quantum_layer_input_gradient)->Apply(widths);
