// A consumer of papillon::core alone: Butterfly, loader, simulation, gradients and the
// simulator backend, with nothing but Eigen.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/grad/gradient.hpp>
#include <papillon/readout/unary_readout.hpp>
#include <papillon/sim/simulator.hpp>
#include <papillon/version.hpp>

#if defined(NLOHMANN_JSON_VERSION_MAJOR) || defined(FMT_VERSION) || defined(CURLINC_CURL_H)
#error "papillon::core must need Eigen alone"
#endif

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
  using namespace papillon;
  const std::vector<double> x{1, 2, 3, 4};
  circuit c = parallel_loader(x);
  c.append(butterfly(4).body);
  const std::vector<double> theta{0.1, -0.2, 0.3, 0.4};
  const auto obs = diagonal_observable::from_unary({1, -1, 2, 0.5});
  simulator_backend sim;
  gradient_options opt;
  opt.wrt = {2, 3};  // the trailing (coupling) layer, where the parallel shift is exact
  opt.method = gradient_method::adjoint;
  const auto adjoint = gradient(c, theta, obs, sim, opt);
  opt.method = gradient_method::parallel;
  const auto parallel = gradient(c, theta, obs, sim, opt);
  for (std::size_t i = 0; i < adjoint.gradient.size(); ++i)
    if (std::abs(adjoint.gradient[i] - parallel.gradient[i]) > 1e-9) {
      std::fprintf(stderr, "gradients differ at %zu\n", i);
      return 1;
    }
  const auto p = unary_probabilities(sim.run(c, theta, {}), 4);
  double total = 0;
  for (double v : p.values) total += v;
  if (std::abs(total - 1) > 1e-12 || parallel.evaluations.circuits == 0) {
    std::fprintf(stderr, "unexpected readout or ledger\n");
    return 1;
  }
  std::printf("papillon %s\n", version_string);
  return 0;
}
