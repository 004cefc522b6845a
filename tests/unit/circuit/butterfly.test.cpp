#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/pyramid.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/circuit/x_circuit.hpp>
#include <papillon/sim/simulator.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

#include "../../support/catch.hpp"

using namespace papillon;
using papillon::test::contains_substring;

namespace {

std::vector<double> unit_vector(std::vector<double> x) {
  double s = 0;
  for (double v : x) s += v * v;
  for (double& v : x) v /= std::sqrt(s);
  return x;
}

Eigen::VectorXd apply_to(const circuit& c, const std::vector<double>& params,
                         const std::vector<double>& x) {
  Eigen::MatrixXd b = Eigen::Map<const Eigen::VectorXd>(x.data(), Eigen::Index(x.size()));
  apply_unary(c, params, b);
  return b.col(0);
}

void require_close(const Eigen::VectorXd& got, const std::vector<double>& want, double tol) {
  REQUIRE(got.size() == Eigen::Index(want.size()));
  for (Eigen::Index i = 0; i < got.size(); ++i) {
    INFO("entry " << i << ": got " << got[i] << ", want " << want[std::size_t(i)]);
    REQUIRE(std::abs(got[i] - want[std::size_t(i)]) < tol);
  }
}

/// Every layer's pairs are disjoint, and every pair is used by exactly one layer entry.
void require_well_formed(const layered_circuit& lc) {
  REQUIRE_NOTHROW(check_layers(lc));
  index_t gates = 0;
  std::set<index_t> params;
  for (const auto& layer : lc.layers) {
    std::set<index_t> used;
    for (const auto& [a, b] : layer.pairs) {
      REQUIRE(used.insert(a).second);
      REQUIRE(used.insert(b).second);
    }
    for (index_t p : layer.parameters) REQUIRE(params.insert(p).second);
    gates += layer.pairs.size();
  }
  REQUIRE(gates == lc.body.size());
}

/// Bit reversal of an m-bit index.
index_t bit_reverse(index_t i, index_t m) {
  index_t r = 0;
  for (index_t b = 0; b < m; ++b) r |= ((i >> b) & 1U) << (m - 1 - b);
  return r;
}

}  // namespace

TEST_CASE("butterfly: layout of the coupling-last order (docs/interfaces.md section 1)",
          "[circuit][butterfly]") {
  const auto lc = butterfly(8);
  REQUIRE(lc.depth() == 3);
  REQUIRE(lc.num_parameters() == 12);
  using P = std::vector<qubit_pair>;
  REQUIRE(lc.layers[0].pairs == P{{0, 1}, {2, 3}, {4, 5}, {6, 7}});
  REQUIRE(lc.layers[1].pairs == P{{0, 2}, {1, 3}, {4, 6}, {5, 7}});
  REQUIRE(lc.layers[2].pairs == P{{0, 4}, {1, 5}, {2, 6}, {3, 7}});
  REQUIRE(lc.layers[2].parameters == std::vector<index_t>{8, 9, 10, 11});
  REQUIRE(lc.layers[2].first_operation == 8);
  for (index_t k = 0; k < lc.body.size(); ++k) {
    REQUIRE(lc.body[k].kind == gate_kind::rbs);
    REQUIRE(lc.body[k].param == parameter_ref{k, 1.0});
  }
  const auto first = butterfly(8, {butterfly_order::coupling_first, 5, gate_kind::fbs});
  REQUIRE(first.layers[0].pairs == P{{0, 4}, {1, 5}, {2, 6}, {3, 7}});
  REQUIRE(first.layers[2].pairs == P{{0, 1}, {2, 3}, {4, 5}, {6, 7}});
  REQUIRE(first.layers[0].parameters == std::vector<index_t>{5, 6, 7, 8});
  REQUIRE(first.num_parameters() == 17);  // reads params[5..16]
  REQUIRE(first.body[0].kind == gate_kind::fbs);
}

TEST_CASE("butterfly: counts, depth and disjoint layers for n = 2..128", "[circuit][butterfly]") {
  const index_t n = GENERATE(2, 4, 8, 16, 32, 64, 128);
  const auto order = GENERATE(butterfly_order::coupling_last, butterfly_order::coupling_first);
  const auto lc = butterfly(n, {order, 0, gate_kind::rbs});
  index_t m = 0;
  while ((index_t{1} << m) < n) ++m;
  REQUIRE(lc.num_parameters() == n / 2 * m);
  REQUIRE(butterfly_num_parameters(n) == n / 2 * m);
  REQUIRE(lc.depth() == m);
  REQUIRE(butterfly_depth(n) == m);
  for (const auto& layer : lc.layers) REQUIRE(layer.pairs.size() == n / 2);
  require_well_formed(lc);
}

TEST_CASE("butterfly: published parameter counts", "[circuit][butterfly]") {
  REQUIRE(butterfly_num_parameters(8) == 12);
  REQUIRE(butterfly_num_parameters(16) == 32);
  REQUIRE(butterfly_num_parameters(32) == 80);
  REQUIRE(butterfly_num_parameters(64) == 192);
  REQUIRE(butterfly_num_parameters(128) == 448);
}

TEST_CASE("butterfly: docs/method.md section 8 outputs for n = 4", "[circuit][butterfly][vectors]") {
  const std::vector<double> theta{0.1, 0.2, 0.3, 0.4};
  const std::vector<double> x{0.5, 0.5, 0.5, 0.5};
  SECTION("coupling-last") {
    const auto lc = butterfly(4);
    require_close(apply_to(lc.body, theta, x),
                  {0.3121353021, 0.2746954040, 0.5055191736, 0.7560187520}, 1e-9);
  }
  SECTION("coupling-first") {
    const auto lc = butterfly(4, {butterfly_order::coupling_first});
    require_close(apply_to(lc.body, theta, x),
                  {0.3121353021, 0.5055191736, 0.2746954040, 0.7560187520}, 1e-9);
  }
}

TEST_CASE("butterfly: docs/method.md section 8 outputs for n = 8", "[circuit][butterfly][vectors]") {
  std::vector<double> theta(12);
  for (index_t k = 0; k < 12; ++k) theta[k] = 0.1 * double(k + 1);
  const auto x = unit_vector({1, 2, 3, 4, 5, 6, 7, 8});
  const std::vector<double> y{-0.0226531597, 0.0994721072,  -0.2078486579, -0.6719254100,
                              -0.0115766290, -0.1325354420, 0.2836640833,  0.6298748599};
  const std::vector<double> p{0.0005131656, 0.0098947001, 0.0432010646, 0.4514837566,
                              0.0001340183, 0.0175656434, 0.0804653122, 0.3967423392};
  const auto lc = butterfly(8);
  SECTION("batch application") { require_close(apply_to(lc.body, theta, x), y, 1e-9); }
  SECTION("unary matrix") {
    const Eigen::VectorXd got =
        unary_matrix(lc.body, theta) * Eigen::Map<const Eigen::VectorXd>(x.data(), 8);
    require_close(got, y, 1e-9);
  }
  SECTION("full state-vector simulation of the loaded state") {
    // Prepare x exactly with a statevector, then run the Butterfly on all 2^8 amplitudes.
    statevector<double> st(8);
    st.amplitudes().setZero();
    for (index_t i = 0; i < 8; ++i) st.amplitudes()[Eigen::Index(1) << i] = x[i];
    st.apply(lc.body, theta);
    for (index_t i = 0; i < 8; ++i) {
      REQUIRE(std::abs(st.amplitude(basis_state{1} << i).real() - y[i]) < 1e-9);
      REQUIRE(std::abs(std::norm(st.amplitude(basis_state{1} << i)) - p[i]) < 1e-9);
    }
  }
}

TEST_CASE("butterfly: the two orders are related by bit reversal of the qubit labels",
          "[circuit][butterfly][property]") {
  const index_t n = GENERATE(4, 8, 16);
  index_t m = 0;
  while ((index_t{1} << m) < n) ++m;
  const auto last = butterfly(n);
  const auto first = butterfly(n, {butterfly_order::coupling_first});
  std::mt19937_64 rng(11 + n);
  std::uniform_real_distribution<double> ang(-3.14, 3.14);
  std::vector<double> theta_first(first.num_parameters());
  for (double& t : theta_first) t = ang(rng);

  // Relabel each gate of the coupling-first circuit by bit reversal and find the gate of the
  // coupling-last circuit with the same oriented pair in the same layer position.
  std::vector<double> theta_last(last.num_parameters(), 99.0);
  REQUIRE(first.depth() == last.depth());
  for (index_t l = 0; l < first.depth(); ++l) {
    for (index_t k = 0; k < first.layers[l].pairs.size(); ++k) {
      const auto [a, b] = first.layers[l].pairs[k];
      const qubit_pair mapped{bit_reverse(a, m), bit_reverse(b, m)};
      const auto& target = last.layers[l].pairs;
      const auto it = std::find(target.begin(), target.end(), mapped);
      REQUIRE(it != target.end());  // orientation is kept, so the oriented pair must exist
      theta_last[last.layers[l].parameters[index_t(it - target.begin())]] =
          theta_first[first.layers[l].parameters[k]];
    }
  }
  for (double t : theta_last) REQUIRE(t != 99.0);

  const Eigen::MatrixXd u_first = unary_matrix(first.body, theta_first);
  const Eigen::MatrixXd u_last = unary_matrix(last.body, theta_last);
  Eigen::MatrixXd perm = Eigen::MatrixXd::Zero(Eigen::Index(n), Eigen::Index(n));
  for (index_t i = 0; i < n; ++i) perm(Eigen::Index(bit_reverse(i, m)), Eigen::Index(i)) = 1;
  REQUIRE((perm * u_first * perm.transpose() - u_last).norm() < 1e-12);
  // Not a tautology: without the angle permutation the matrices differ (n >= 8).
  if (n >= 8) REQUIRE((unary_matrix(last.body, theta_first) - u_last).norm() > 1e-3);
}

TEST_CASE("butterfly: widths that are not powers of two name the padding rule",
          "[circuit][butterfly][errors]") {
  REQUIRE_THROWS_AS(butterfly(6), circuit_error);
  REQUIRE_THROWS_WITH(butterfly(6), contains_substring("power of two") &&
                                        contains_substring("butterfly(8)") &&
                                        contains_substring("pad_front"));
  REQUIRE_THROWS_AS(butterfly(0), circuit_error);
  REQUIRE_THROWS_AS(butterfly(1), circuit_error);
  REQUIRE_THROWS_AS(butterfly_num_parameters(12), circuit_error);
  REQUIRE_THROWS_WITH(butterfly(8, {butterfly_order::coupling_last, 0, gate_kind::xx}),
                      contains_substring("rbs or fbs"));
}

TEST_CASE("butterfly: padding rule helpers (docs/method.md 2.3.2)", "[circuit][butterfly]") {
  REQUIRE(butterfly_width(5) == 8);
  REQUIRE(butterfly_width(14, 16) == 16);
  REQUIRE(butterfly_width(17, 3) == 32);
  REQUIRE(butterfly_width(1) == 2);
  REQUIRE(butterfly_width(8) == 8);
  const std::vector<double> x{1, 2, 3};
  REQUIRE(pad_front(x, 8) == std::vector<double>{0, 0, 0, 0, 0, 1, 2, 3});
  REQUIRE(keep_last(std::vector<double>{1, 2, 3, 4, 5}, 2) == std::vector<double>{4, 5});
  REQUIRE_THROWS_AS(pad_front(x, 2), dimension_error);
  REQUIRE_THROWS_AS(keep_last(x, 4), dimension_error);
}

TEST_CASE("pyramid: n(n-1)/2 nearest-neighbour gates in 2n-3 layers", "[circuit][topology]") {
  const index_t n = GENERATE(2, 3, 4, 5, 8, 9);
  const auto lc = pyramid(n, 3);
  REQUIRE(lc.num_gates() == n * (n - 1) / 2);
  REQUIRE(pyramid_num_parameters(n) == n * (n - 1) / 2);
  REQUIRE(lc.num_parameters() == 3 + n * (n - 1) / 2);
  REQUIRE(lc.depth() == 2 * n - 3);
  require_well_formed(lc);
  for (const auto& op : lc.body.operations()) REQUIRE(op.qubits[1] == op.qubits[0] + 1);
  // Pair (i, i+1) is used n-1-i times.
  std::vector<index_t> uses(n - 1, 0);
  for (const auto& op : lc.body.operations()) ++uses[op.qubits[0]];
  for (index_t i = 0; i + 1 < n; ++i) REQUIRE(uses[i] == n - 1 - i);
}

TEST_CASE("pyramid: layout for n = 4", "[circuit][topology]") {
  using P = std::vector<qubit_pair>;
  const auto lc = pyramid(4);
  REQUIRE(lc.depth() == 5);
  REQUIRE(lc.layers[0].pairs == P{{0, 1}});
  REQUIRE(lc.layers[1].pairs == P{{1, 2}});
  REQUIRE(lc.layers[2].pairs == P{{0, 1}, {2, 3}});
  REQUIRE(lc.layers[3].pairs == P{{1, 2}});
  REQUIRE(lc.layers[4].pairs == P{{0, 1}});
}

TEST_CASE("x circuit: 2n-3 nearest-neighbour gates, depth n-1 (even n) or n (odd n)",
          "[circuit][topology]") {
  const index_t n = GENERATE(2, 3, 4, 5, 6, 7, 8, 16);
  const auto lc = x_circuit(n);
  REQUIRE(lc.num_gates() == 2 * n - 3);
  REQUIRE(x_circuit_num_parameters(n) == 2 * n - 3);
  REQUIRE(lc.depth() == (n % 2 == 0 ? n - 1 : n));
  REQUIRE(lc.depth() == x_circuit_depth(n));
  require_well_formed(lc);
  for (const auto& op : lc.body.operations()) REQUIRE(op.qubits[1] == op.qubits[0] + 1);
  // Every neighbour pair is used twice except the centre pair, used once.
  std::vector<index_t> uses(n - 1, 0);
  for (const auto& op : lc.body.operations()) ++uses[op.qubits[0]];
  index_t once = 0;
  for (index_t u : uses) {
    REQUIRE((u == 1 || u == 2));
    once += (u == 1);
  }
  REQUIRE(once == 1);
}

TEST_CASE("x circuit: layout for n = 6", "[circuit][topology]") {
  using P = std::vector<qubit_pair>;
  const auto lc = x_circuit(6);
  REQUIRE(lc.layers[0].pairs == P{{0, 1}, {4, 5}});
  REQUIRE(lc.layers[1].pairs == P{{1, 2}, {3, 4}});
  REQUIRE(lc.layers[2].pairs == P{{2, 3}});
  REQUIRE(lc.layers[3].pairs == P{{1, 2}, {3, 4}});
  REQUIRE(lc.layers[4].pairs == P{{0, 1}, {4, 5}});
}

TEST_CASE("topologies: too few qubits are refused", "[circuit][topology][errors]") {
  REQUIRE_THROWS_AS(pyramid(1), circuit_error);
  REQUIRE_THROWS_AS(x_circuit(1), circuit_error);
  REQUIRE_THROWS_AS(x_circuit(0), circuit_error);
}

TEST_CASE("check_layers: detects overlapping pairs and stale metadata", "[circuit][topology]") {
  auto lc = butterfly(4);
  lc.layers[0].pairs[1] = {1, 3};
  REQUIRE_THROWS_WITH(check_layers(lc), contains_substring("overlap"));
  lc = butterfly(4);
  lc.layers[1].parameters[0] = 0;
  REQUIRE_THROWS_WITH(check_layers(lc), contains_substring("disagrees"));
}
