// Example 03: one gradient four ways, and what each sends to the backend. f = sum_i w_i p_i on
// a loader + 8-qubit Butterfly. The adjoint needs no circuits; the serial shift sends 4 per angle,
// finite differences 2, the parallel shift 4 per layer, each plus one for f. The parallel shift is
// exact only for the trailing (coupling) layer, so it differentiates that layer's 4 angles.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/grad/gradient.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

int main() {
  namespace pp = papillon;
  const pp::layered_circuit lc = pp::butterfly(8);
  pp::circuit c = pp::parallel_loader(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8});
  c.append(lc.body);
  std::vector<double> theta(lc.num_parameters());
  for (std::size_t k = 0; k < theta.size(); ++k) theta[k] = 0.3 * static_cast<double>(k) - 1.5;
  const auto obs = pp::diagonal_observable::from_unary({0, 1, 2, 3, 4, 5, 6, 7});
  const std::vector<pp::index_t> coupling = lc.layers.back().parameters;  // 8..11, in order

  pp::simulator_backend sim;
  const auto adjoint = pp::adjoint_gradient(c, theta, obs);
  const auto shift = pp::shift_gradient(c, theta, obs, sim);
  const auto finite = pp::finite_difference_gradient(c, theta, obs, sim);
  const auto parallel = pp::parallel_shift_gradient(c, theta, obs, sim, {.wrt = coupling});
  const auto sampled =
      pp::parallel_shift_gradient(c, theta, obs, sim, {.wrt = coupling, .shots = 10000});

  std::printf("f = %.6f\n k  adjoint    shift      finite     parallel\n", adjoint.value);
  for (std::size_t k = 0; k < theta.size(); ++k) {
    std::printf("%2zu %+.6f  %+.6f  %+.6f", k, adjoint.gradient[k], shift.gradient[k],
                finite.gradient[k]);
    if (k >= coupling.front()) std::printf("  %+.6f", parallel.gradient[k - coupling.front()]);
    std::printf("\n");
  }
  // Prints a method's ledger and returns its largest |g - adjoint| over the angles it holds.
  const auto report = [&](const char* name, const pp::gradient_result& g) {
    double d = 0.0;
    for (std::size_t i = 0; i < g.parameters.size(); ++i)
      d = std::max(d, std::abs(g.gradient[i] - adjoint.gradient[g.parameters[i]]));
    using ull = unsigned long long;
    std::printf("%-21s circuits %2llu  shots %5llu  batches %llu  max |g - adjoint| %.1e\n", name,
                ull(g.evaluations.circuits), ull(g.evaluations.shots), ull(g.evaluations.batches),
                d);
    return d;
  };
  report("adjoint", adjoint);
  bool ok = report("shift", shift) < 1e-10;
  ok = report("finite", finite) < 1e-8 && ok;  // O(h^2) truncation + rounding / h, h = 1e-5
  ok = report("parallel", parallel) < 1e-10 && ok;
  ok = report("parallel, 10000 shots", sampled) < 0.05 && ok;
  std::printf("gradients agree: %s\n", ok ? "yes" : "no");
  return ok ? 0 : 1;
}
