// Benchmarks of the classical network layers and one training step of the hybrid-shaped
// imputer (quantum layer replaced by a classical stand-in). Throughput in samples/s.

#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/l2_normalize.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>

#include <benchmark/benchmark.h>

namespace {

namespace nn = papillon::nn;

nn::matrix random_batch(Eigen::Index rows, Eigen::Index cols) {
  nn::rng_type rng(1);
  nn::matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = 2.0 * nn::uniform01(rng) - 1.0;
  return m;
}

// 14 features -> 16 (L2-normalised bottleneck) -> 14, the shape of the imputation model.
nn::sequential imputer(papillon::index_t width) {
  nn::sequential m;
  m.emplace<nn::dense>(14, width, nn::dense_options{.seed = 1});
  m.emplace<nn::l2_normalize>();
  m.emplace<nn::gelu>();
  m.emplace<nn::dense>(width, 14, nn::dense_options{.seed = 2});
  return m;
}

void bm_dense_forward_backward(benchmark::State& state) {
  const auto batch = static_cast<Eigen::Index>(state.range(0));
  nn::dense d(64, 64);
  const nn::matrix x = random_batch(batch, 64);
  const nn::matrix g = random_batch(batch, 64);
  for (auto _ : state) {
    benchmark::DoNotOptimize(d.forward(x, true));
    benchmark::DoNotOptimize(d.backward(g));
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(bm_dense_forward_backward)->Arg(32)->Arg(256);

void bm_imputer_train_step(benchmark::State& state) {
  const auto batch = static_cast<Eigen::Index>(state.range(0));
  auto model = imputer(static_cast<papillon::index_t>(state.range(1)));
  nn::adam opt;
  nn::masked_mse loss;
  const nn::matrix x = random_batch(batch, 14);
  const nn::matrix y = random_batch(batch, 14);
  for (auto _ : state) {
    model.zero_gradients();
    const auto r = loss.evaluate(model.forward(x, true), y);
    model.backward(r.gradient);
    const auto views = model.parameter_views();
    benchmark::DoNotOptimize(opt.step(views));
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(bm_imputer_train_step)->Args({32, 16})->Args({32, 128})->Args({256, 16});

}  // namespace
