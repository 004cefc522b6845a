// The C++ side of the binding-overhead figure in docs/benchmarks.md: forward(x, true) plus
// backward(g) of nn::quantum_orthogonal (exact path, every angle trainable) on one batch, the
// call papillon.torch.QuantumOrthogonal makes. bench_binding.py times the same call from Python
// and runs this program for the comparison.
//
//   papillon_python_bench <qubits> <batch> <repetitions> <calls per repetition> [transposed]
//
// With `transposed`, the call is forward_transposed() then backward_transposed() on n x batch
// matrices written in place: the entry points the Python module uses, on a row-major batch.
//
// Prints one line per repetition: the mean milliseconds of thread CPU time per call over its
// calls (CPU time, not wall time: on a shared machine waiting for a core is not the call's cost).

#include <papillon/nn/quantum_orthogonal.hpp>

#include <Eigen/Core>
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string_view>

namespace {

Eigen::MatrixXd random_rows(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.1, 1.0);
  std::bernoulli_distribution sign(0.5);
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = sign(rng) ? u(rng) : -u(rng);
  return m;
}

double thread_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

}  // namespace

int main(int argc, char** argv) {
  const bool transposed = argc == 6 && std::string_view(argv[5]) == "transposed";
  if (argc != 5 && !transposed) {
    std::fprintf(stderr,
                 "usage: %s <qubits> <batch> <repetitions> <calls per repetition> [transposed]\n",
                 argv[0]);
    return 2;
  }
  const auto n = static_cast<papillon::index_t>(std::strtoull(argv[1], nullptr, 10));
  const auto batch = static_cast<Eigen::Index>(std::strtoll(argv[2], nullptr, 10));
  const int repetitions = std::atoi(argv[3]);
  const int calls = std::atoi(argv[4]);
  papillon::nn::quantum_layer_options o;
  o.qubits = n;
  o.seed = 17;
  papillon::nn::quantum_orthogonal layer(o);
  const Eigen::MatrixXd x = random_rows(batch, static_cast<Eigen::Index>(n), 1);
  const Eigen::MatrixXd g = random_rows(batch, static_cast<Eigen::Index>(n), 2);
  const Eigen::MatrixXd xt = x.transpose();
  const Eigen::MatrixXd gt = g.transpose();
  Eigen::MatrixXd yt(xt.rows(), xt.cols());
  Eigen::MatrixXd gxt(xt.rows(), xt.cols());
  double sink = 0.0;
  for (int r = 0; r < repetitions; ++r) {
    const double start = thread_ms();
    for (int c = 0; c < calls; ++c) {
      layer.zero_gradients();
      if (transposed) {
        layer.forward_transposed(xt, yt, true);
        layer.backward_transposed(gt, gxt);
        sink += yt(0, 0) + gxt(0, 0);
      } else {
        const Eigen::MatrixXd y = layer.forward(x, true);
        const Eigen::MatrixXd gx = layer.backward(g);
        sink += y(0, 0) + gx(0, 0);
      }
    }
    std::printf("%.6f\n", (thread_ms() - start) / calls);
  }
  return sink == 0.12345 ? 1 : 0;  // keeps the results alive
}
