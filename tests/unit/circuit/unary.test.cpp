#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/sim/simulator.hpp>

#include <random>
#include <vector>

#include "../../support/catch.hpp"

using namespace papillon;
using papillon::test::contains_substring;

namespace {

std::vector<double> random_angles(index_t count, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> ang(-3.14, 3.14);
  std::vector<double> t(count);
  for (double& v : t) v = ang(rng);
  return t;
}

Eigen::MatrixXd random_batch(index_t n, index_t samples, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  Eigen::MatrixXd b(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(samples));
  for (Eigen::Index j = 0; j < b.cols(); ++j) {
    for (Eigen::Index i = 0; i < b.rows(); ++i) b(i, j) = g(rng);
    b.col(j).normalize();
  }
  return b;
}

/// Runs one sample through the full state-vector simulator: amplitudes of e_i.
Eigen::VectorXd simulate_sample(const circuit& c, const std::vector<double>& params,
                                const Eigen::VectorXd& x) {
  const index_t n = c.num_qubits();
  statevector<double> st(n);
  st.amplitudes().setZero();
  for (index_t i = 0; i < n; ++i) st.amplitudes()[Eigen::Index(1) << i] = x[Eigen::Index(i)];
  st.apply(c, params);
  Eigen::VectorXd y(static_cast<Eigen::Index>(n));
  for (index_t i = 0; i < n; ++i) {
    const auto a = st.amplitude(basis_state{1} << i);
    REQUIRE(std::abs(a.imag()) < 1e-12);
    y[Eigen::Index(i)] = a.real();
  }
  return y;
}

}  // namespace

TEST_CASE("unary: single RBS follows the convention e_a -> c e_a + s e_b", "[circuit][unary]") {
  circuit c(3);
  c.rbs(2, 0, 0.3);
  const Eigen::MatrixXd u = unary_matrix(c);
  const double co = std::cos(0.3), si = std::sin(0.3);
  // Column 2 (image of e_2 = e_a): c e_2 + s e_0.
  REQUIRE(std::abs(u(2, 2) - co) < 1e-15);
  REQUIRE(std::abs(u(0, 2) - si) < 1e-15);
  // Column 0 (image of e_0 = e_b): -s e_2 + c e_0.
  REQUIRE(std::abs(u(2, 0) + si) < 1e-15);
  REQUIRE(std::abs(u(0, 0) - co) < 1e-15);
  REQUIRE(u(1, 1) == 1.0);
  // RBS(0.3) test vector of docs/method.md section 8.
  REQUIRE(std::abs(co - 0.9553364891) < 1e-9);
  REQUIRE(std::abs(si - 0.2955202067) < 1e-9);
}

TEST_CASE("unary: matrix equals the simulator restricted to weight 1, for mixed gates",
          "[circuit][unary][property]") {
  std::mt19937_64 rng(5);
  const std::vector<gate_kind> kinds{gate_kind::rbs, gate_kind::fbs, gate_kind::z, gate_kind::cz,
                                     gate_kind::swap};
  std::uniform_int_distribution<std::size_t> pick(0, kinds.size() - 1);
  for (int trial = 0; trial < 10; ++trial) {
    const index_t n = 3 + index_t(trial % 4);
    circuit c(n);
    std::uniform_int_distribution<index_t> q(0, n - 1);
    index_t next_param = 0;
    for (int g = 0; g < 25; ++g) {
      const gate_kind k = kinds[pick(rng)];
      const index_t a = q(rng);
      index_t b = q(rng);
      while (b == a) b = q(rng);
      operation op = make_operation(k, a, traits(k).arity == 2 ? b : 0);
      if (traits(k).rotation) op.param = param(next_param++, g % 3 == 0 ? -0.5 : 1.0);
      c.append(op);
    }
    const auto params = random_angles(c.num_parameters(), rng);
    const Eigen::MatrixXd u = unary_matrix(c, params);
    REQUIRE((u.transpose() * u - Eigen::MatrixXd::Identity(u.rows(), u.cols())).norm() < 1e-12);
    for (index_t j = 0; j < n; ++j) {
      const Eigen::VectorXd e = Eigen::VectorXd::Unit(Eigen::Index(n), Eigen::Index(j));
      REQUIRE((simulate_sample(c, params, e) - u.col(Eigen::Index(j))).norm() < 1e-12);
    }
  }
}

TEST_CASE("unary: batch application equals per-sample simulation and the matrix",
          "[circuit][unary][property]") {
  const index_t n = GENERATE(4, 8, 16);
  std::mt19937_64 rng(n);
  const auto lc = butterfly(n);
  const auto params = random_angles(lc.num_parameters(), rng);
  const Eigen::MatrixXd x = random_batch(n, 7, rng);
  Eigen::MatrixXd y = x;
  apply_unary(lc.body, params, y);
  const Eigen::MatrixXd u = unary_matrix(lc.body, params);
  REQUIRE((y - u * x).norm() < 1e-12);
  if (n <= 8)
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      REQUIRE((simulate_sample(lc.body, params, x.col(j)) - y.col(j)).norm() < 1e-12);
  // Also on a block of a larger matrix (Eigen::Ref with an outer stride).
  Eigen::MatrixXd big = Eigen::MatrixXd::Zero(Eigen::Index(n) + 3, 7);
  big.topRows(Eigen::Index(n)) = x;
  apply_unary(lc.body, params, big.topRows(Eigen::Index(n)));
  REQUIRE((big.topRows(Eigen::Index(n)) - y).norm() < 1e-12);
  REQUIRE(big.bottomRows(3).norm() == 0.0);
}

TEST_CASE("unary: transpose application inverts the forward application",
          "[circuit][unary][property]") {
  std::mt19937_64 rng(3);
  const auto lc = butterfly(16, {butterfly_order::coupling_first});
  const auto params = random_angles(lc.num_parameters(), rng);
  const Eigen::MatrixXd x = random_batch(16, 5, rng);
  Eigen::MatrixXd y = x;
  apply_unary_transpose(lc.body, params, y);
  REQUIRE((y - unary_matrix(lc.body, params).transpose() * x).norm() < 1e-12);
  REQUIRE((y - x).norm() > 1e-3);  // it did something
  apply_unary(lc.body, params, y);
  REQUIRE((y - x).norm() < 1e-12);
}

TEST_CASE("unary: FBS circuits act on weight k as the k-th compound matrix",
          "[circuit][unary][property]") {
  std::mt19937_64 rng(21);
  const index_t n = 6;
  circuit c(n);
  std::uniform_int_distribution<index_t> q(0, n - 1);
  for (index_t g = 0; g < 15; ++g) {
    const index_t a = q(rng);
    index_t b = q(rng);
    while (b == a) b = q(rng);
    c.fbs(a, b, param(g));
  }
  const auto params = random_angles(c.num_parameters(), rng);
  const Eigen::MatrixXd u = unary_matrix(c, params);
  REQUIRE((compound_matrix(u, 1) - u).norm() == 0.0);
  for (index_t k = 2; k <= 3; ++k) {
    const Eigen::MatrixXd ck = compound_matrix(u, k);
    const combination_indexer idx(n, k);
    for (index_t r = 0; r < idx.size(); ++r) {
      subspace_state<double> st(n, idx.unrank(r));
      st.apply(c, params);
      for (index_t i = 0; i < idx.size(); ++i)
        REQUIRE(std::abs(std::real(st.amplitudes()[Eigen::Index(i)]) -
                         ck(Eigen::Index(i), Eigen::Index(r))) < 1e-12);
    }
  }
  // The same circuit with RBS instead of FBS is not the compound on weight 2 (signs differ),
  // which shows the test can fail.
  circuit r(n);
  for (const auto& op : c.operations()) {
    operation o = op;
    o.kind = gate_kind::rbs;
    r.append(o);
  }
  const Eigen::MatrixXd c2 = compound_matrix(u, 2);
  double worst = 0;
  const combination_indexer idx2(n, 2);
  for (index_t col = 0; col < idx2.size(); ++col) {
    subspace_state<double> st(n, idx2.unrank(col));
    st.apply(r, params);
    for (index_t i = 0; i < idx2.size(); ++i)
      worst = std::max(worst, std::abs(std::real(st.amplitudes()[Eigen::Index(i)]) -
                                       c2(Eigen::Index(i), Eigen::Index(col))));
  }
  REQUIRE(worst > 1e-3);
}

TEST_CASE("unary: compound matrix of a known matrix", "[circuit][unary]") {
  Eigen::MatrixXd m(3, 3);
  m << 1, 2, 3, 4, 5, 6, 7, 8, 10;
  const Eigen::MatrixXd c2 = compound_matrix(m, 2);
  // Colex order of 2-subsets of {0,1,2}: {0,1}, {0,2}, {1,2}.
  REQUIRE(std::abs(c2(0, 0) - (1 * 5 - 2 * 4)) < 1e-12);
  REQUIRE(std::abs(c2(1, 2) - (2 * 10 - 3 * 8)) < 1e-12);
  REQUIRE(std::abs(compound_matrix(m, 3)(0, 0) - (-3.0)) < 1e-12);
  REQUIRE_THROWS_AS(compound_matrix(m, 0), dimension_error);
  REQUIRE_THROWS_AS(compound_matrix(Eigen::MatrixXd(2, 3), 1), dimension_error);
}

TEST_CASE("unary: gates without a real unary matrix are refused", "[circuit][unary][errors]") {
  circuit c(3);
  c.rbs(0, 1, 0.2).h(2);
  REQUIRE_THROWS_AS(unary_matrix(c), circuit_error);
  REQUIRE_THROWS_WITH(unary_matrix(c), contains_substring("does not preserve Hamming weight") &&
                                           contains_substring("operation 1: h"));
  circuit d(3);
  d.rz(1, 0.3);
  REQUIRE_THROWS_WITH(unary_matrix(d),
                      contains_substring("no real unary matrix") && contains_substring("rz"));
  circuit e(3);
  e.rbs(0, 1, param(2));
  REQUIRE_THROWS_AS(unary_matrix(e, std::vector<double>{0.1}), dimension_error);
  Eigen::MatrixXd wrong(4, 2);
  REQUIRE_THROWS_AS(apply_unary(e, std::vector<double>{0, 0, 0}, wrong), dimension_error);
  circuit f(3);
  f.x(0).x(1).rbs(0, 1, 0.2);
  REQUIRE_THROWS_WITH(unary_amplitudes(f), contains_substring("unary state"));
}
