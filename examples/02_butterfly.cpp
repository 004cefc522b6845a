// Example 02: a Butterfly between a unary loader and its readout.
//
// The loader writes x / ||x|| into the amplitudes of e_0..e_7; the Butterfly turns it into
// y = W x / ||x||. Measuring gives only p_i = y_i^2 (post-selected on Hamming weight 1); the
// sign-readout circuit adds an ancilla that interferes y with a uniform reference, so the signs
// of y come back too. Both run on the simulator backend, exactly and with 20000 shots.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/circuit/sign_readout.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/readout/unary_readout.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

int main() {
  const std::vector<double> x{0.5, -1.0, 2.0, 0.0, -1.5, 1.0, 0.25, -0.75};
  const papillon::layered_circuit lc = papillon::butterfly(8);  // 3 layers, 12 RBS angles
  std::vector<double> theta(lc.num_parameters());
  for (std::size_t k = 0; k < theta.size(); ++k) theta[k] = 0.25 * static_cast<double>(k) - 1.0;

  papillon::circuit c = papillon::parallel_loader(x);  // X(0), then 7 RBS with fixed angles
  c.append(lc.body);
  const papillon::circuit sc = papillon::sign_readout_circuit(x, lc.body);  // 9 qubits
  const Eigen::VectorXd y = papillon::unary_amplitudes(c, theta);           // ideal output

  papillon::simulator_backend sim;
  const papillon::run_options exact{}, sampled{.shots = 20000, .seed = 1};
  const auto p = papillon::unary_probabilities(sim.run(c, theta, exact), 8);
  const auto p_shots = papillon::unary_probabilities(sim.run(c, theta, sampled), 8);
  const auto s = papillon::signed_amplitudes(sim.run(sc, theta, exact), 8);
  const auto s_shots = papillon::signed_amplitudes(sim.run(sc, theta, sampled), 8);

  std::printf("%zu-qubit circuit, %zu-qubit sign-readout circuit\n",
              static_cast<std::size_t>(c.num_qubits()), static_cast<std::size_t>(sc.num_qubits()));
  std::printf(" i  y_i      p_i      p_i(shots)  signed   signed(shots)\n");
  double p_err = 0.0, s_err = 0.0, shots_err = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    std::printf("%2td  %+.4f  %.4f   %.4f      %+.4f  %+.4f\n", i, y[i], p.values[k],
                p_shots.values[k], s.values[k], s_shots.values[k]);
    p_err = std::max(p_err, std::abs(p.values[k] - y[i] * y[i]));
    s_err = std::max(s_err, std::abs(s.values[k] - y[i]));
    shots_err = std::max(shots_err, std::abs(s_shots.values[k] - y[i]));
  }
  // Exact readouts must reproduce y to rounding; 20000 shots to a few 1e-3.
  const bool ok = p_err < 1e-12 && s_err < 1e-12 && shots_err < 0.03;
  std::printf("max |p - y^2| %.1e, max |signed - y| %.1e exact, %.3f with shots\n", p_err, s_err,
              shots_err);
  std::printf("readouts match y: %s\n", ok ? "yes" : "no");
  return ok ? 0 : 1;
}
