#include <papillon/circuit/circuit.hpp>

#include <unsupported/Eigen/MatrixFunctions>

#include <numbers>

#include "../../support/reference.hpp"
#include "support/catch.hpp"

using namespace papillon;
using test::dense;

namespace {
dense pauli(char p) {
  dense m(2, 2);
  using c = std::complex<double>;
  switch (p) {
    case 'X':
      m << 0, 1, 1, 0;
      break;
    case 'Y':
      m << 0, c(0, -1), c(0, 1), 0;
      break;
    case 'Z':
      m << 1, 0, 0, -1;
      break;
    default:
      m.setIdentity();
  }
  return m;
}
dense kron(const dense& a, const dense& b) {
  dense out(a.rows() * b.rows(), a.cols() * b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j)
      out.block(i * b.rows(), j * b.cols(), b.rows(), b.cols()) = a(i, j) * b;
  return out;
}
// The generator G with U(theta) = exp(-i theta G), from the documented Pauli forms.
dense generator(gate_kind k) {
  switch (k) {
    case gate_kind::rx:
      return pauli('X') / 2;
    case gate_kind::ry:
      return pauli('Y') / 2;
    case gate_kind::rz:
      return pauli('Z') / 2;
    case gate_kind::xx:
      return kron(pauli('X'), pauli('X')) / 2;
    case gate_kind::yy:
      return kron(pauli('Y'), pauli('Y')) / 2;
    case gate_kind::zz:
      return kron(pauli('Z'), pauli('Z')) / 2;
    case gate_kind::rbs:
    case gate_kind::fbs:
      return (kron(pauli('X'), pauli('Y')) - kron(pauli('Y'), pauli('X'))) / 2;
    default:
      return {};
  }
}
}  // namespace

TEST_CASE("gate: names round-trip through the table", "[gate]") {
  for (auto k : test::all_kinds()) {
    REQUIRE(gate_from_name(gate_name(k)) == k);
    REQUIRE(traits(k).kind == k);
  }
  REQUIRE_FALSE(gate_from_name("rbs2").has_value());
}

TEST_CASE("gate: RBS(0.3) matches the method's test vector", "[gate]") {
  const auto m = two_qubit_matrix<double>(gate_kind::rbs, 0.3);
  CHECK(std::abs(m[5] - 0.9553364891) < 1e-10);
  CHECK(std::abs(m[6] - 0.2955202067) < 1e-10);
  CHECK(std::abs(m[9] + 0.2955202067) < 1e-10);
  CHECK(std::abs(m[10] - 0.9553364891) < 1e-10);
  CHECK(std::abs(m[0] - 1.0) < 1e-15);
  CHECK(std::abs(m[15] - 1.0) < 1e-15);
}

TEST_CASE("gate: every matrix is unitary and its traits hold", "[gate]") {
  std::mt19937_64 rng(11);
  for (auto k : test::all_kinds()) {
    for (int trial = 0; trial < 5; ++trial) {
      const operation op = test::random_operation(k, 2, rng);
      const dense m = test::local_matrix(op, op.theta);
      INFO(gate_name(k));
      REQUIRE((m * m.adjoint() - dense::Identity(m.rows(), m.cols())).norm() < 1e-12);
      if (traits(k).real) REQUIRE(m.imag().norm() < 1e-15);
      if (traits(k).diagonal) REQUIRE((m - dense(m.diagonal().asDiagonal())).norm() < 1e-15);
      if (traits(k).preserves_weight && k != gate_kind::fbs) {
        // Commutes with the Hamming weight operator of its qubits.
        dense w = dense::Zero(m.rows(), m.cols());
        for (Eigen::Index i = 0; i < m.rows(); ++i) w(i, i) = std::popcount(std::uint64_t(i));
        REQUIRE((m * w - w * m).norm() < 1e-12);
      }
      // Inverse.
      const operation inv = circuit::invert(op);
      const dense mi = test::local_matrix(inv, inv.theta);
      REQUIRE((mi * m - dense::Identity(m.rows(), m.cols())).norm() < 1e-12);
    }
  }
}

TEST_CASE("gate: rotations are exp(-i theta G) with the documented generator spectrum", "[gate]") {
  for (auto k : test::all_kinds()) {
    if (!traits(k).rotation) continue;
    INFO(gate_name(k));
    const dense g = generator(k);
    for (double theta : {-2.1, 0.3, 1.7}) {
      const dense u = (std::complex<double>(0, -theta) * g).exp();
      const dense m = test::local_matrix(make_operation(k, 0, 1), theta);
      REQUIRE((u - m).norm() < 1e-12);
    }
    Eigen::SelfAdjointEigenSolver<dense> es(g);
    std::vector<double> distinct;
    for (Eigen::Index i = 0; i < es.eigenvalues().size(); ++i)
      if (distinct.empty() || es.eigenvalues()[i] - distinct.back() > 1e-9)
        distinct.push_back(es.eigenvalues()[i]);
    const auto& spec = traits(k).spectrum;
    REQUIRE(spec.count == distinct.size());
    for (unsigned i = 0; i < spec.count; ++i)
      REQUIRE(std::abs(spec.eigenvalues[i] - distinct[i]) < 1e-12);
  }
}

TEST_CASE("gate: IonQ native identities", "[gate]") {
  const auto m1 = [](gate_kind k, double phase) {
    operation op = make_operation(k, 0);
    op.turns[0] = phase;
    return test::local_matrix(op, 0);
  };
  const auto fixed = [](gate_kind k, double theta) {
    return test::local_matrix(make_operation(k, 0, 1), theta);
  };
  constexpr double pi = std::numbers::pi;
  CHECK((m1(gate_kind::gpi, 0) - fixed(gate_kind::x, 0)).norm() < 1e-12);
  CHECK((m1(gate_kind::gpi, 0.25) - fixed(gate_kind::y, 0)).norm() < 1e-12);
  CHECK((m1(gate_kind::gpi2, 0) - fixed(gate_kind::rx, pi / 2)).norm() < 1e-12);
  CHECK((m1(gate_kind::gpi2, 0.25) - fixed(gate_kind::ry, pi / 2)).norm() < 1e-12);
  CHECK((m1(gate_kind::gpi2, 0.1).adjoint() - m1(gate_kind::gpi2, 0.6)).norm() < 1e-12);
  operation ms = make_operation(gate_kind::ms, 0, 1);
  ms.turns = {0, 0, 0.25};
  CHECK((test::local_matrix(ms, 0) - fixed(gate_kind::xx, pi / 2)).norm() < 1e-12);
  // MS = exp(-i pi theta sigma_phi0 (x) sigma_phi1).
  ms.turns = {0.13, 0.71, 0.17};
  const auto sigma = [&](double phi) {
    return dense(std::cos(2 * pi * phi) * pauli('X') + std::sin(2 * pi * phi) * pauli('Y'));
  };
  const dense expected =
      (std::complex<double>(0, -pi * 0.17) * kron(sigma(0.13), sigma(0.71))).exp();
  CHECK((test::local_matrix(ms, 0) - expected).norm() < 1e-12);
}
