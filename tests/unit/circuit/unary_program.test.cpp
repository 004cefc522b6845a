// unary_program: the batched unary apply (one sample per row), its transpose and its reverse
// sweep, against dense references built gate by gate from the RBS convention.

#include <papillon/circuit/unary.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "support/catch.hpp"

using namespace papillon;
using papillon::test::contains_substring;

namespace {

// A random unary circuit on n qubits: RBS and FBS (some reading shared parameters with scales
// 1, -0.5, 2, some constant), Z, CZ and SWAP.
circuit random_unary_circuit(index_t n, index_t length, index_t num_params, std::mt19937_64& rng) {
  circuit c(n);
  std::uniform_int_distribution<index_t> qubit(0, n - 1);
  std::uniform_int_distribution<index_t> par(0, num_params - 1);
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_real_distribution<double> ang(-3.0, 3.0);
  const double scales[3] = {1.0, -0.5, 2.0};
  for (index_t g = 0; g < length; ++g) {
    const index_t a = qubit(rng);
    index_t b = qubit(rng);
    while (b == a) b = qubit(rng);
    const int k = kind(rng);
    if (k < 6) {
      const parameter_ref p{par(rng), scales[g % 3]};
      if (k % 2 == 0)
        c.rbs(a, b, k < 4 ? p : parameter_ref{p.index, 1.0});
      else
        c.fbs(a, b, k < 4 ? p : parameter_ref{p.index, 1.0});
    } else if (k == 6) {
      c.rbs(a, b, ang(rng));  // constant angle
    } else if (k == 7) {
      c.z(a);
    } else if (k == 8) {
      c.cz(a, b);
    } else {
      c.swap(a, b);
    }
  }
  c.set_num_parameters(num_params);
  return c;
}

std::vector<double> random_params(index_t count, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-3.0, 3.0);
  std::vector<double> p(count);
  for (auto& v : p) v = u(rng);
  return p;
}

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = g(rng);
  return m;
}

// The unary matrix multiplied out gate by gate (column j = image of e_j), independent of
// unary_program: RBS and FBS act on (x_a, x_b) as [[c, -s], [s, c]] (FBS has no sign on weight
// 1), Z negates e_q, CZ is the identity and SWAP exchanges e_a and e_b.
Eigen::MatrixXd dense_unary(const circuit& c, const std::vector<double>& params) {
  const auto n = static_cast<Eigen::Index>(c.num_qubits());
  Eigen::MatrixXd u = Eigen::MatrixXd::Identity(n, n);
  for (const auto& op : c.operations()) {
    Eigen::MatrixXd g = Eigen::MatrixXd::Identity(n, n);
    const auto a = static_cast<Eigen::Index>(op.qubits[0]);
    const auto b = static_cast<Eigen::Index>(op.qubits[1]);
    switch (op.kind) {
      case gate_kind::rbs:
      case gate_kind::fbs: {
        const double t = op.angle(params);
        g(a, a) = std::cos(t);
        g(a, b) = -std::sin(t);
        g(b, a) = std::sin(t);
        g(b, b) = std::cos(t);
        break;
      }
      case gate_kind::z:
        g(a, a) = -1;
        break;
      case gate_kind::swap:
        g(a, a) = g(b, b) = 0;
        g(a, b) = g(b, a) = 1;
        break;
      default:
        break;  // cz
    }
    u = g * u;
  }
  return u;
}

}  // namespace

TEST_CASE("unary_program: batched apply and transpose equal the dense unary matrix",
          "[circuit][unary][property]") {
  const index_t n = GENERATE(2, 5, 8, 16);
  std::mt19937_64 rng(100 + n);
  for (int trial = 0; trial < 5; ++trial) {
    const circuit c = random_unary_circuit(n, 6 * n, 5, rng);
    const auto params = random_params(c.num_parameters(), rng);
    const Eigen::MatrixXd u = dense_unary(c, params);
    REQUIRE((unary_matrix(c, params) - u).norm() < 1e-12);
    const unary_program p(c, params);
    REQUIRE(p.num_qubits() == n);
    REQUIRE(p.num_parameters() == 5);

    // One sample per row: row x becomes (U x)^T, and (U^T x)^T for the transpose.
    const Eigen::MatrixXd x = random_matrix(37, static_cast<Eigen::Index>(n), rng);
    Eigen::MatrixXd y = x;
    p.apply(y);
    REQUIRE((y - x * u.transpose()).norm() < 1e-12 * x.norm());
    Eigen::MatrixXd z = x;
    p.apply_transpose(z);
    REQUIRE((z - x * u).norm() < 1e-12 * x.norm());
    p.apply_transpose(y);
    REQUIRE((y - x).norm() < 1e-12 * x.norm());

    // A block of a larger matrix (an outer stride other than the row count) is left alone
    // outside the block.
    Eigen::MatrixXd big = random_matrix(37 + 9, static_cast<Eigen::Index>(n), rng);
    const Eigen::MatrixXd before = big;
    big.middleRows(4, 37) = x;
    p.apply(big.middleRows(4, 37));
    REQUIRE((big.middleRows(4, 37) - x * u.transpose()).norm() < 1e-12 * x.norm());
    REQUIRE(big.topRows(4) == before.topRows(4));
    REQUIRE(big.bottomRows(5) == before.bottomRows(5));

    // The column layout (apply_unary), over more columns than one transposed block.
    const Eigen::MatrixXd xc = random_matrix(static_cast<Eigen::Index>(n), 300, rng);
    Eigen::MatrixXd yc = xc;
    apply_unary(c, params, yc);
    REQUIRE((yc - u * xc).norm() < 1e-12 * xc.norm());
    apply_unary_transpose(c, params, yc);
    REQUIRE((yc - xc).norm() < 1e-12 * xc.norm());
  }
}

TEST_CASE("unary_program: the reverse sweep gives U^T g and dL/dparams by the chain rule",
          "[circuit][unary][property]") {
  const index_t n = GENERATE(3, 8, 16);
  std::mt19937_64 rng(200 + n);
  for (int trial = 0; trial < 4; ++trial) {
    constexpr index_t num_params = 6;
    const circuit c = random_unary_circuit(n, 5 * n, num_params, rng);
    const auto params = random_params(num_params, rng);
    const Eigen::MatrixXd x = random_matrix(11, static_cast<Eigen::Index>(n), rng);
    const Eigen::MatrixXd gout = random_matrix(11, static_cast<Eigen::Index>(n), rng);
    // L = sum(G .* (x U^T)).
    const auto loss = [&](const std::vector<double>& p) {
      Eigen::MatrixXd y = x;
      unary_program(c, p).apply(y);
      return (gout.array() * y.array()).sum();
    };
    const unary_program p(c, params);
    Eigen::MatrixXd y = x;
    p.apply(y);
    Eigen::MatrixXd g = gout;
    std::vector<double> grad(num_params, 0.5);  // backward adds to what is there
    p.backward(y, g, grad);
    REQUIRE((y - x).norm() < 1e-12 * x.norm());                                 // the inputs again
    REQUIRE((g - gout * dense_unary(c, params)).norm() < 1e-12 * gout.norm());  // U^T g per row
    const double h = 1e-6;
    for (index_t k = 0; k < num_params; ++k) {
      auto up = params, down = params;
      up[k] += h;
      down[k] -= h;
      const double fd = (loss(up) - loss(down)) / (2 * h);
      INFO("parameter " << k);
      REQUIRE(std::abs(grad[k] - 0.5 - fd) < 1e-6 * (1 + std::abs(fd)));
    }

    // Only the wanted parameters, and the sweep for dL/dangle alone gives the same values.
    const std::vector<std::uint8_t> wanted{1, 0, 1, 0, 0, 1};
    for (bool input_gradient : {true, false}) {
      Eigen::MatrixXd y2 = x;
      p.apply(y2);
      Eigen::MatrixXd g2 = gout;
      std::vector<double> part(num_params, 0.0);
      p.backward(y2, g2, part, {.wanted = wanted, .input_gradient = input_gradient});
      for (index_t k = 0; k < num_params; ++k) {
        INFO("parameter " << k << ", input gradient " << input_gradient);
        if (wanted[k] != 0)
          REQUIRE(std::abs(part[k] - (grad[k] - 0.5)) < 1e-12 * (1 + std::abs(grad[k])));
        else
          REQUIRE(part[k] == 0.0);
      }
    }
  }
}

TEST_CASE("unary_program: bad shapes and gates are refused", "[circuit][unary][errors]") {
  circuit c(4);
  c.rbs(0, 1, param(0)).rbs(2, 3, param(1));
  const std::vector<double> params{0.1, 0.2};
  const unary_program p(c, params);
  Eigen::MatrixXd wrong(3, 5);
  REQUIRE_THROWS_WITH(p.apply(wrong), contains_substring("unary_program::apply") &&
                                          contains_substring("one sample per row"));
  REQUIRE_THROWS_AS(p.apply_transpose(wrong), dimension_error);
  Eigen::MatrixXd y(3, 4), g(2, 4);
  std::vector<double> grad(2);
  REQUIRE_THROWS_WITH(p.backward(y, g, grad), contains_substring("differ in rows"));
  std::vector<double> shorter(1);
  REQUIRE_THROWS_WITH(p.backward(y, y, shorter), contains_substring("gradient vector too short"));
  const std::vector<std::uint8_t> mask{1};
  REQUIRE_THROWS_WITH(p.backward(y, y, grad, {.wanted = mask}),
                      contains_substring("wanted mask length"));
  circuit h(3);
  h.rbs(0, 1, 0.2).h(2);
  REQUIRE_THROWS_WITH(unary_program(h, {}, {.caller = "my_caller"}),
                      contains_substring("my_caller") &&
                          contains_substring("does not preserve Hamming weight") &&
                          contains_substring("operation 1: h"));
  // first_operation skips a loader's X gates, which have no unary matrix.
  circuit loaded(3);
  loaded.x(0).rbs(0, 1, 0.4);
  REQUIRE_THROWS_AS(unary_program(loaded), circuit_error);
  Eigen::MatrixXd e0 = Eigen::MatrixXd::Zero(1, 3);
  e0(0, 0) = 1;
  unary_program(loaded, {}, {.first_operation = 1}).apply(e0);
  REQUIRE(std::abs(e0(0, 1) - std::sin(0.4)) < 1e-15);
}
