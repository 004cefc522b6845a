#include <papillon/circuit/loaders.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/sim/simulator.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "../../support/catch.hpp"

using namespace papillon;
using papillon::test::contains_substring;

namespace {

std::vector<double> normalised(std::vector<double> x) {
  double s = 0;
  for (double v : x) s += v * v;
  for (double& v : x) v /= std::sqrt(s);
  return x;
}

std::vector<double> random_vector(index_t n, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  std::vector<double> x(n);
  for (double& v : x) v = g(rng);
  return x;
}

struct expected_gate {
  index_t a, b;
  double theta;
};

void require_gates(const circuit& c, const std::vector<expected_gate>& want) {
  REQUIRE(c.size() == want.size() + 1);
  REQUIRE(c[0].kind == gate_kind::x);
  REQUIRE(c[0].qubits[0] == 0);
  for (index_t k = 0; k < want.size(); ++k) {
    const operation& op = c[k + 1];
    INFO("gate " << k << ": (" << op.qubits[0] << ", " << op.qubits[1] << ") theta " << op.theta);
    REQUIRE(op.kind == gate_kind::rbs);
    REQUIRE(!op.param);
    REQUIRE(op.qubits[0] == want[k].a);
    REQUIRE(op.qubits[1] == want[k].b);
    REQUIRE(std::abs(op.theta - want[k].theta) < 1e-9);
  }
}

/// Depth of a circuit counted in two-qubit gates (ASAP layering).
index_t two_qubit_depth(const circuit& c) {
  std::vector<index_t> t(c.num_qubits(), 0);
  index_t depth = 0;
  for (const auto& op : c.operations()) {
    if (op.arity() != 2) continue;
    const index_t d = std::max(t[op.qubits[0]], t[op.qubits[1]]) + 1;
    t[op.qubits[0]] = t[op.qubits[1]] = d;
    depth = std::max(depth, d);
  }
  return depth;
}

}  // namespace

TEST_CASE("parallel loader: docs/method.md section 8 angles for x = (1..8)",
          "[circuit][loaders][vectors]") {
  const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8};  // not normalised on purpose
  require_gates(parallel_loader(x), {{0, 4, 1.1772321915},
                                     {0, 2, 1.1502619915},
                                     {4, 6, 0.9371421418},
                                     {0, 1, 1.1071487178},
                                     {2, 3, 0.9272952180},
                                     {4, 5, 0.8760580506},
                                     {6, 7, 0.8519663272}});
}

TEST_CASE("parallel loader: docs/method.md section 8 angles with signs and zeros",
          "[circuit][loaders][vectors]") {
  const std::vector<double> x{0.3, -0.5, 0.1, 0.8, -0.2, 0, 0.4, -0.6};
  require_gates(parallel_loader(x), {{0, 4, 0.6448446699},
                                     {0, 2, 0.9446423506},
                                     {4, 6, 1.3002465638},
                                     {0, 1, -1.0303768265},
                                     {2, 3, 1.4464413322},
                                     {4, 5, 3.1415926536},
                                     {6, 7, -0.9827937232}});
}

TEST_CASE("diagonal loader: chain layout and closed-form angles", "[circuit][loaders]") {
  const std::vector<double> x{0.5, -0.5, 0.5, 0.5};
  // theta_0 = arccos(0.5); theta_1 = arccos(-0.5 / sin theta_0); last = atan2(x3, x2).
  const double t0 = std::acos(0.5);
  const double t1 = std::acos(-0.5 / std::sin(t0));
  require_gates(diagonal_loader(x), {{0, 1, t0}, {1, 2, t1}, {2, 3, std::atan2(0.5, 0.5)}});
}

TEST_CASE("semi-diagonal loader: layout from the middle qubit", "[circuit][loaders]") {
  SECTION("n = 6: X on qubit 2, depth 3") {
    const circuit c = semi_diagonal_loader(std::vector<double>{1, 2, 3, 4, 5, 6});
    REQUIRE(c[0].kind == gate_kind::x);
    REQUIRE(c[0].qubits[0] == 2);
    const std::vector<std::pair<index_t, index_t>> want{{2, 3}, {2, 1}, {3, 4}, {1, 0}, {4, 5}};
    REQUIRE(c.size() == 6);
    for (index_t k = 0; k < want.size(); ++k)
      REQUIRE(std::make_pair(c[k + 1].qubits[0], c[k + 1].qubits[1]) == want[k]);
    REQUIRE(two_qubit_depth(c) == 3);
  }
  SECTION("n = 7: X on qubit 3, depth 4") {
    const circuit c = semi_diagonal_loader(std::vector<double>{1, 2, 3, 4, 5, 6, 7});
    REQUIRE(c[0].qubits[0] == 3);
    REQUIRE(c.size() == 7);
    REQUIRE(two_qubit_depth(c) == 4);
  }
  SECTION("n = 2 and n = 3") {
    REQUIRE(semi_diagonal_loader(std::vector<double>{1, 1})[0].qubits[0] == 0);
    REQUIRE(semi_diagonal_loader(std::vector<double>{1, 1, 1})[0].qubits[0] == 1);
  }
}

TEST_CASE("loaders: depth and gate count", "[circuit][loaders]") {
  const index_t n = GENERATE(2, 3, 4, 5, 8, 13, 16, 32);
  std::mt19937_64 rng(n);
  const auto x = random_vector(n, rng);
  index_t log_depth = 0;
  while ((index_t{1} << log_depth) < n) ++log_depth;
  const circuit p = parallel_loader(x);
  const circuit d = diagonal_loader(x);
  const circuit s = semi_diagonal_loader(x);
  for (const circuit* c : {&p, &d, &s}) REQUIRE(c->size() == n);  // X + n-1 RBS
  REQUIRE(two_qubit_depth(p) == log_depth);
  REQUIRE(two_qubit_depth(d) == n - 1);
  REQUIRE(two_qubit_depth(s) == (n + 1) / 2);
}

TEST_CASE("loaders: loader then unary matrix reproduces the normalised input",
          "[circuit][loaders][property]") {
  const auto kind =
      GENERATE(loader_kind::parallel, loader_kind::diagonal, loader_kind::semi_diagonal);
  const index_t n = GENERATE(2, 3, 4, 5, 6, 7, 8, 9, 16, 31);
  std::mt19937_64 rng(1000 * n + static_cast<unsigned>(kind));
  for (int trial = 0; trial < 5; ++trial) {
    auto x = random_vector(n, rng);
    if (trial == 1) x[n / 2] = 0;                            // a zero entry
    if (trial == 2) x[n - 1] = 0, x[0] = -x[0];              // zero last entry, negative first
    if (trial == 3) std::fill(x.begin(), x.end() - 1, 0.0);  // a single non-zero entry
    if (trial == 4 && n > 2) x[n - 2] = 0, x[n - 1] = -1e-3;
    const auto want = normalised(x);
    const circuit c = unary_loader(kind, x);
    INFO(loader_name(kind) << " n = " << n << " trial " << trial);
    // Unary picture: the matrix of the RBS part applied to e_start.
    const Eigen::VectorXd got = unary_amplitudes(c);
    for (index_t i = 0; i < n; ++i) REQUIRE(std::abs(got[Eigen::Index(i)] - want[i]) < 1e-12);
    // Independent check on the subspace simulator (amplitude i = e_i).
    subspace_state<double> st(n, basis_state{1} << loader_start_qubit(kind, n));
    circuit body(n);
    for (index_t k = 1; k < c.size(); ++k) body.append(c[k]);
    st.apply(body, {});
    for (index_t i = 0; i < n; ++i)
      REQUIRE(std::abs(std::real(st.amplitudes()[Eigen::Index(i)]) - want[i]) < 1e-12);
  }
}

TEST_CASE("loaders: full state-vector simulation prepares |x> from |0...0>",
          "[circuit][loaders][property]") {
  const auto kind =
      GENERATE(loader_kind::parallel, loader_kind::diagonal, loader_kind::semi_diagonal);
  const index_t n = GENERATE(5, 8);
  std::mt19937_64 rng(77 + n);
  const auto x = random_vector(n, rng);
  const auto want = normalised(x);
  statevector<double> st(n);
  st.apply(unary_loader(kind, x), {});
  for (index_t i = 0; i < n; ++i)
    REQUIRE(std::abs(st.amplitude(basis_state{1} << i) - std::complex<double>(want[i])) < 1e-12);
}

TEST_CASE("loaders: scale invariance and huge entries", "[circuit][loaders]") {
  const std::vector<double> x{3, -1, 4, 1, -5};
  std::vector<double> big = x;
  for (double& v : big) v *= 1e300;  // squares overflow without rescaling
  const auto a = loader_gates(loader_kind::parallel, x);
  const auto b = loader_gates(loader_kind::parallel, big);
  REQUIRE(a.size() == b.size());
  for (index_t k = 0; k < a.size(); ++k) REQUIRE(std::abs(a[k].theta - b[k].theta) < 1e-12);
}

TEST_CASE("loaders: room for an ancilla", "[circuit][loaders]") {
  const circuit c = parallel_loader(std::vector<double>{1, 2, 3, 4}, {6});
  REQUIRE(c.num_qubits() == 6);
  REQUIRE(c.size() == 4);
  REQUIRE_THROWS_AS(parallel_loader(std::vector<double>{1, 2, 3, 4}, {3}), dimension_error);
}

TEST_CASE("loaders: bad vectors are refused", "[circuit][loaders][errors]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const auto kind =
      GENERATE(loader_kind::parallel, loader_kind::diagonal, loader_kind::semi_diagonal);
  REQUIRE_THROWS_AS(unary_loader(kind, std::vector<double>{}), dimension_error);
  REQUIRE_THROWS_WITH(unary_loader(kind, std::vector<double>{1.0}),
                      contains_substring("at least 2 entries"));
  REQUIRE_THROWS_AS(unary_loader(kind, std::vector<double>{0, 0, 0}), data_error);
  REQUIRE_THROWS_WITH(unary_loader(kind, std::vector<double>{0, 0, 0}),
                      contains_substring("zero vector"));
  REQUIRE_THROWS_WITH(unary_loader(kind, std::vector<double>{1, nan, 2}),
                      contains_substring("not finite") && contains_substring("entry 1"));
  REQUIRE_THROWS_AS(unary_loader(kind, std::vector<double>{1, 2, -inf}), data_error);
}

TEST_CASE("loaders: names", "[circuit][loaders]") {
  REQUIRE(loader_from_name("semi-diagonal") == loader_kind::semi_diagonal);
  REQUIRE(loader_from_name("parallel") == loader_kind::parallel);
  REQUIRE(loader_name(loader_kind::diagonal) == "diagonal");
  REQUIRE_THROWS_AS(loader_from_name("spiral"), data_error);
}
