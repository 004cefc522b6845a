// The weight-1 adjoint sweep, which runs through unary_program (circuit/unary.hpp), against
// the general subspace sweep of the simulator's kernels on complex amplitudes.

#include <papillon/grad/gradient.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "support/catch.hpp"

using namespace papillon;

namespace {

std::vector<double> random_params(index_t count, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-3.0, 3.0);
  std::vector<double> p(count);
  for (auto& v : p) v = u(rng);
  return p;
}

}  // namespace

TEST_CASE("weight-1 adjoint through unary_program equals the general subspace sweep",
          "[grad][adjoint][unary]") {
  std::mt19937_64 rng(31);
  for (index_t n : {3, 8, 32}) {
    INFO("n = " << n);
    // X on one qubit, then RBS and FBS with shared, scaled parameters, Z, CZ and SWAP.
    circuit c(n);
    c.x(n / 2);
    std::uniform_int_distribution<index_t> qubit(0, n - 1);
    std::uniform_int_distribution<int> kind(0, 5);
    const double scales[3] = {1.0, -0.5, 2.0};
    for (index_t g = 0; g < 4 * n; ++g) {
      const index_t a = qubit(rng);
      index_t b = qubit(rng);
      while (b == a) b = qubit(rng);
      switch (kind(rng)) {
        case 0:
          c.fbs(a, b, parameter_ref{g % 5, scales[g % 3]});
          break;
        case 1:
          c.z(a);
          break;
        case 2:
          c.cz(a, b);
          break;
        case 3:
          c.swap(a, b);
          break;
        default:
          c.rbs(a, b, parameter_ref{g % 5, scales[(g + 1) % 3]});
      }
    }
    c.set_num_parameters(5);
    const auto params = random_params(c.num_parameters(), rng);
    std::vector<double> w(n);
    for (auto& v : w) v = std::uniform_real_distribution<double>(-1, 1)(rng);
    const auto obs = diagonal_observable::from_unary(w);
    gradient_options real, complex;
    complex.simulation.real_fast_path = false;  // the subspace kernels, complex amplitudes
    const auto a = adjoint_gradient(c, params, obs, real);
    const auto b = adjoint_gradient(c, params, obs, complex);
    REQUIRE(std::abs(a.value - b.value) < 1e-12);
    for (std::size_t i = 0; i < a.gradient.size(); ++i)
      REQUIRE(std::abs(a.gradient[i] - b.gradient[i]) < 1e-12);
    // A few parameters only.
    gradient_options few;
    few.wrt = {1, 3};
    const auto f = adjoint_gradient(c, params, obs, few);
    REQUIRE(std::abs(f.gradient[0] - a.gradient[1]) < 1e-12);
    REQUIRE(std::abs(f.gradient[1] - a.gradient[3]) < 1e-12);
    // The vector-Jacobian product: probabilities in the same layout, the same gradient.
    const auto v = vector_jacobian_product(c, params, w);
    const auto p = simulate_probabilities(c, params);
    REQUIRE(v.probabilities.mode == simulation_mode::subspace);
    REQUIRE(v.probabilities.weight == 1);
    REQUIRE(v.probabilities.values.size() == p.values.size());
    for (std::size_t i = 0; i < p.values.size(); ++i)
      REQUIRE(std::abs(v.probabilities.values[i] - p.values[i]) < 1e-14);
    for (std::size_t i = 0; i < a.gradient.size(); ++i)
      REQUIRE(std::abs(v.gradient[i] - a.gradient[i]) < 1e-12);
  }
}
