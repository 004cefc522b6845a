#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/circuit/sign_readout.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/readout/unary_readout.hpp>
#include <papillon/sim/simulator.hpp>

#include <random>
#include <vector>

#include "../../support/catch.hpp"

using namespace papillon;
using papillon::test::contains_substring;

TEST_CASE("readout: unary probabilities from hand-made counts", "[circuit][readout]") {
  // 4 qubits: e_0 = 1, e_1 = 2, e_2 = 4, e_3 = 8; 0, 3, 15 are post-selected away.
  const std::map<basis_key, std::uint64_t> counts{{1, 100}, {2, 300}, {8, 100},
                                                  {0, 40},  {3, 50},  {15, 10}};
  const readout_result r = unary_probabilities(counts, 4);
  REQUIRE(r.values == std::vector<double>{0.2, 0.6, 0.0, 0.2});
  REQUIRE(r.kept_shots == 500);
  REQUIRE(r.total_shots == 600);
  REQUIRE(std::abs(r.kept_fraction - 500.0 / 600.0) < 1e-15);
}

TEST_CASE("readout: unary probabilities from exact probabilities", "[circuit][readout]") {
  const std::map<basis_key, double> p{{1, 0.1}, {4, 0.3}, {5, 0.6}};
  const readout_result r = unary_probabilities(p, 3);
  REQUIRE(std::abs(r.values[0] - 0.25) < 1e-15);
  REQUIRE(r.values[1] == 0.0);
  REQUIRE(std::abs(r.values[2] - 0.75) < 1e-15);
  REQUIRE(std::abs(r.kept_fraction - 0.4) < 1e-15);
}

TEST_CASE("readout: bad counts are refused", "[circuit][readout][errors]") {
  const std::map<basis_key, std::uint64_t> beyond{{1, 5}, {16, 5}};
  REQUIRE_THROWS_WITH(unary_probabilities(beyond, 4), contains_substring("beyond"));
  const std::map<basis_key, std::uint64_t> none{{0, 5}, {3, 5}};
  REQUIRE_THROWS_AS(unary_probabilities(none, 4), data_error);
  REQUIRE_THROWS_AS(unary_probabilities(none, 0), dimension_error);
}

TEST_CASE("readout: ancilla reference circuit recovers signed amplitudes",
          "[circuit][readout][property]") {
  const index_t n = GENERATE(4, 8);
  const auto loader = GENERATE(loader_kind::parallel, loader_kind::semi_diagonal);
  std::mt19937_64 rng(31 * n + static_cast<unsigned>(loader));
  std::normal_distribution<double> g;
  std::uniform_real_distribution<double> ang(-3.14, 3.14);
  const auto lc = butterfly(n);
  for (int trial = 0; trial < 4; ++trial) {
    std::vector<double> x(n);
    for (double& v : x) v = g(rng);
    std::vector<double> theta(lc.num_parameters());
    for (double& t : theta) t = ang(rng);
    // Expected y = W x / |x| from the unary picture.
    Eigen::MatrixXd y = Eigen::Map<Eigen::VectorXd>(x.data(), Eigen::Index(n)).normalized();
    apply_unary(lc.body, theta, y);
    index_t negatives = 0;
    for (Eigen::Index i = 0; i < y.rows(); ++i) negatives += y(i, 0) < 0;

    const circuit c = sign_readout_circuit(x, lc.body, {loader, loader_kind::parallel});
    REQUIRE(c.num_qubits() == n + 1);
    const auto p = simulate_probabilities(c, theta, {simulation_mode::full});
    const readout_result r = signed_amplitudes(p.to_map(), n);
    INFO("n = " << n << ", trial " << trial << ", negative entries " << negatives);
    REQUIRE(std::abs(r.kept_fraction - 1.0) < 1e-12);
    for (index_t i = 0; i < n; ++i) REQUIRE(std::abs(r.values[i] - y(Eigen::Index(i), 0)) < 1e-10);
    // The magnitudes alone agree with p_i = y_i^2 of the plain readout.
    for (index_t i = 0; i < n; ++i)
      REQUIRE(std::abs(r.values[i] * r.values[i] - y(Eigen::Index(i), 0) * y(Eigen::Index(i), 0)) <
              1e-10);
  }
}

TEST_CASE("readout: signed amplitudes from hand-made counts", "[circuit][readout]") {
  // n = 2, ancilla = qubit 2. P(0,e_0) = 0.5, P(1,e_0) = 0.1, P(0,e_1) = 0.1, P(1,e_1) = 0.3.
  const std::map<basis_key, std::uint64_t> counts{{1, 50}, {5, 10}, {2, 10},
                                                  {6, 30}, {0, 7},  {7, 3}};
  const readout_result r = signed_amplitudes(counts, 2);
  REQUIRE(std::abs(r.values[0] - std::sqrt(2.0) * 0.4) < 1e-12);
  REQUIRE(std::abs(r.values[1] + std::sqrt(2.0) * 0.2) < 1e-12);
  REQUIRE(r.kept_shots == 100);
  REQUIRE(r.total_shots == 110);
}

TEST_CASE("readout: sign circuit refuses layers that move |0...0>", "[circuit][readout][errors]") {
  circuit bad(4);
  bad.rbs(0, 1, 0.1).ry(2, 0.3);
  REQUIRE_THROWS_WITH(sign_readout_circuit(std::vector<double>{1, 2, 3, 4}, bad),
                      contains_substring("operation 1: ry"));
  REQUIRE_THROWS_AS(sign_readout_circuit(std::vector<double>{1, 2, 3}, bad), dimension_error);
}

TEST_CASE("readout: neighbour-pair RBS(pi/4) circuits fix the relative signs",
          "[circuit][readout][property]") {
  const index_t n = GENERATE(4, 5, 8);
  std::mt19937_64 rng(7 * n);
  std::normal_distribution<double> g;
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<double> x(n);
    for (double& v : x) v = g(rng);
    const circuit base = parallel_loader(x);
    const Eigen::VectorXd y = unary_amplitudes(base);
    const auto probs = [n](const circuit& c) {
      const auto r = simulate_probabilities(c, {}, {simulation_mode::subspace});
      return unary_probabilities(r.to_map(), n).values;
    };
    const auto p = probs(base);
    const auto pe = probs(neighbour_sign_circuit(base, 0));
    const auto po = probs(neighbour_sign_circuit(base, 1));
    // The identity p'_{i+1} = (y_i + y_{i+1})^2 / 2 on the rotated pairs.
    for (index_t i = 0; i + 1 < n; ++i) {
      const double want = 0.5 * std::pow(y[Eigen::Index(i)] + y[Eigen::Index(i) + 1], 2);
      REQUIRE(std::abs((i % 2 == 0 ? pe : po)[i + 1] - want) < 1e-12);
    }
    const auto got = neighbour_signed_amplitudes(p, pe, po);
    const double global = y[0] > 0 ? 1.0 : -1.0;
    for (index_t i = 0; i < n; ++i) REQUIRE(std::abs(got[i] - global * y[Eigen::Index(i)]) < 1e-9);
  }
  REQUIRE_THROWS_AS(neighbour_sign_circuit(circuit(3), 2), dimension_error);
  REQUIRE_THROWS_AS(neighbour_signed_amplitudes(std::vector<double>{1, 0}, std::vector<double>{1},
                                                std::vector<double>{1, 0}),
                    dimension_error);
}
