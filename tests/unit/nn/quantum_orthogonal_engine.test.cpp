// The quantum layer against the gradient engine: its exact parameter gradient (the
// unary_program sweep) against finite differences and adjoint_gradient on the same circuits,
// and its backend gradient (batch_shift_vjp) against shift_gradient / parallel_shift_gradient
// called directly, sample by sample.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/grad/gradient.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "support/catch.hpp"

using namespace papillon;
using nn::matrix;
using nn::quantum_orthogonal;

namespace {

matrix random_rows(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g;
  matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = g(rng);
  return m;
}

// L = sum(G .* forward(x)) and its parameter gradient from backward.
std::vector<double> layer_gradient(quantum_orthogonal& l, const matrix& x, const matrix& g) {
  l.zero_gradients();
  (void)l.forward(x, true);
  (void)l.backward(g);
  return {l.gradients().begin(), l.gradients().end()};
}

double layer_loss(quantum_orthogonal& l, const matrix& x, const matrix& g) {
  return (l.forward(x, false).array() * g.array()).sum();
}

// Sample r's circuit as the layer builds it, and the observable whose expectation is
// sum_i G_ri out_ri: unary weights G_r for the probabilities readout; for the amplitude readout
// out_i = ||x|| sqrt(n) (P(0, e_i) - P(1, e_i)) on the ancilla circuit (ancilla = qubit n).
struct sample_objective {
  circuit c{1};
  diagonal_observable obs;
};

sample_objective objective(const quantum_orthogonal& l, const matrix& x, const matrix& g,
                           Eigen::Index r) {
  const auto n = l.options().qubits;
  const double norm = x.row(r).norm();
  const Eigen::RowVectorXd xhat = x.row(r) / norm;
  sample_objective o;
  o.c = l.sample_circuit(std::span<const double>(xhat.data(), xhat.size()));
  if (l.options().readout == nn::quantum_readout::probabilities) {
    std::vector<double> w(n);
    for (index_t i = 0; i < n; ++i) w[i] = g(r, Eigen::Index(i));
    o.obs = diagonal_observable::from_unary(w);
  } else {
    const double scale = norm * std::sqrt(double(n));
    for (index_t i = 0; i < n; ++i) {
      o.obs.weights[basis_state{1} << i] = scale * g(r, Eigen::Index(i));
      o.obs.weights[(basis_state{1} << n) | (basis_state{1} << i)] = -scale * g(r, Eigen::Index(i));
    }
  }
  return o;
}

nn::quantum_layer_options opts(nn::quantum_readout readout, butterfly_order order) {
  nn::quantum_layer_options o;
  o.qubits = 8;
  o.readout = readout;
  o.order = order;
  o.seed = 3;
  o.shots = 0;
  return o;
}

}  // namespace

TEST_CASE("quantum layer: exact parameter gradient against finite differences and the adjoint",
          "[nn][quantum][engine]") {
  const matrix x = random_rows(4, 8, 1);
  const matrix g = random_rows(4, 8, 2);
  for (auto readout : {nn::quantum_readout::probabilities, nn::quantum_readout::amplitudes})
    for (auto order : {butterfly_order::coupling_last, butterfly_order::coupling_first})
      for (index_t active : {3, 2}) {
        INFO("readout " << (readout == nn::quantum_readout::amplitudes ? "amplitudes"
                                                                       : "probabilities")
                        << ", coupling "
                        << (order == butterfly_order::coupling_last ? "last" : "first")
                        << ", active layers " << active);
        quantum_orthogonal layer(opts(readout, order));
        layer.set_active_layers(active);
        std::vector<std::uint8_t> mask(12, 1);
        mask[1] = mask[6] = 0;  // two frozen angles
        layer.set_trainable_mask(mask);
        const auto grad = layer_gradient(layer, x, g);

        // Central differences of the layer's own forward pass.
        const double h = 1e-6;
        for (index_t p = 0; p < 12; ++p) {
          const double t = layer.parameters()[p];
          layer.parameters()[p] = t + h;
          const double up = layer_loss(layer, x, g);
          layer.parameters()[p] = t - h;
          const double down = layer_loss(layer, x, g);
          layer.parameters()[p] = t;
          const double fd = (up - down) / (2 * h);
          INFO("parameter " << p);
          if (mask[p] == 0) {
            REQUIRE(grad[p] == 0.0);
          } else {
            REQUIRE(std::abs(grad[p] - fd) < 1e-6 * (1 + std::abs(fd)));
          }
        }

        // The adjoint engine on the layer's own circuits (loader + active Butterfly, or the
        // ancilla circuit), sample by sample.
        const std::vector<double> theta(layer.parameters().begin(), layer.parameters().end());
        std::vector<double> adj(12, 0.0);
        for (Eigen::Index r = 0; r < x.rows(); ++r) {
          const auto o = objective(layer, x, g, r);
          const auto a = adjoint_gradient(o.c, theta, o.obs);
          for (index_t p = 0; p < 12; ++p) adj[p] += a.gradient[p];
        }
        for (index_t p = 0; p < 12; ++p) {
          INFO("parameter " << p);
          if (mask[p] != 0) REQUIRE(std::abs(grad[p] - adj[p]) < 1e-10);
        }
      }
}

TEST_CASE("quantum layer: backend gradient equals the engine's gradient called directly",
          "[nn][quantum][engine][backend]") {
  const matrix x = random_rows(3, 8, 3);
  const matrix g = random_rows(3, 8, 4);
  auto sim = std::make_shared<simulator_backend>();

  struct case_t {
    const char* name;
    nn::quantum_readout readout;
    rbs_shift_rule rule;
    index_t active;
    std::vector<index_t> trainable;  // empty: every angle
    gradient_method method;          // what the engine plans
    std::uint64_t circuits_per_sample;
  };
  const std::vector<case_t> cases{
      {"coupling, four-term",
       nn::quantum_readout::probabilities,
       rbs_shift_rule::four_term,
       3,
       {8, 9, 10, 11},
       gradient_method::parallel,
       4},
      {"coupling, reduced",
       nn::quantum_readout::probabilities,
       rbs_shift_rule::automatic,
       3,
       {8, 9, 11},
       gradient_method::parallel,
       2},
      {"grow: layer 1 trailing",
       nn::quantum_readout::probabilities,
       rbs_shift_rule::four_term,
       2,
       {4, 5, 6, 7},
       gradient_method::parallel,
       4},
      {"every angle, serial",
       nn::quantum_readout::probabilities,
       rbs_shift_rule::automatic,
       3,
       {},
       gradient_method::shift,
       12 * 4},
      {"amplitudes, serial",
       nn::quantum_readout::amplitudes,
       rbs_shift_rule::four_term,
       3,
       {2, 8},
       gradient_method::shift,
       2 * 4},
  };
  for (const auto& k : cases) {
    INFO(k.name);
    nn::quantum_layer_options o = opts(k.readout, butterfly_order::coupling_last);
    o.shift_rule = k.rule;
    quantum_orthogonal hw(o);
    hw.set_active_layers(k.active);
    if (!k.trainable.empty()) {
      hw.set_trainable(false);
      std::vector<std::uint8_t> mask(12, 0);
      for (index_t p : k.trainable) mask[p] = 1;
      hw.set_trainable_mask(mask);
    }
    hw.set_backend(sim);
    (void)hw.forward(x, true);
    const auto before = hw.ledger();
    hw.zero_gradients();
    (void)hw.backward(g);
    const std::vector<double> got(hw.gradients().begin(), hw.gradients().end());
    REQUIRE(hw.ledger().batches == before.batches + 1);

    // The engine, called directly on the same circuits with the same parameters.
    const std::vector<double> theta(hw.parameters().begin(), hw.parameters().end());
    gradient_options go;
    go.with_value = false;
    go.rbs_rule = k.method == gradient_method::parallel ? k.rule : rbs_shift_rule::four_term;
    for (index_t p = 0; p < 12; ++p)
      if (hw.is_trainable(p) && p < 4 * k.active) go.wrt.push_back(p);
    std::vector<double> expected(12, 0.0);
    std::uint64_t circuits = 0;
    std::vector<circuit> batch;
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      const auto obj = objective(hw, x, g, r);
      batch.push_back(obj.c);
      const gradient_result e = k.method == gradient_method::parallel
                                    ? parallel_shift_gradient(obj.c, theta, obj.obs, *sim, go)
                                    : shift_gradient(obj.c, theta, obj.obs, *sim, go);
      for (std::size_t i = 0; i < e.parameters.size(); ++i)
        expected[e.parameters[i]] += e.gradient[i];
      circuits += e.evaluations.circuits;
    }
    for (index_t p = 0; p < 12; ++p) {
      INFO("parameter " << p);
      REQUIRE(std::abs(got[p] - expected[p]) < 1e-10);
    }
    REQUIRE(hw.ledger().circuits - before.circuits == circuits);
    REQUIRE(circuits == k.circuits_per_sample * 3);

    // The plan the layer ran is the engine's plan for its circuits.
    batch_shift_options bo;
    bo.wrt = go.wrt;
    bo.parallel_rbs_rule = k.rule;
    REQUIRE(plan_batch_shift(batch, theta, bo).method == k.method);
  }
}
