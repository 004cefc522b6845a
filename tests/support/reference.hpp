#pragma once

// Dense oracles for tests: the 2^n x 2^n matrix of an operation built entry by entry from the
// gate table, independent of the simulator's kernels, plus random states and circuits.

#include <papillon/circuit/circuit.hpp>

#include <Eigen/Dense>

#include <bit>
#include <random>
#include <vector>

namespace papillon::test {

using dense = Eigen::MatrixXcd;
using cvec = Eigen::VectorXcd;

/// The local matrix of an op (2x2 or 4x4) as an Eigen matrix.
inline dense local_matrix(const operation& op, double theta) {
  if (op.arity() == 1) {
    const double arg =
        (op.kind == gate_kind::gpi || op.kind == gate_kind::gpi2) ? op.turns[0] : theta;
    const auto m = one_qubit_matrix<double>(op.kind, arg);
    dense out(2, 2);
    for (int r = 0; r < 2; ++r)
      for (int c = 0; c < 2; ++c) out(r, c) = m[static_cast<std::size_t>(r * 2 + c)];
    return out;
  }
  const auto m = op.kind == gate_kind::ms
                     ? two_qubit_matrix<double>(op.kind, op.turns[2], op.turns[0], op.turns[1])
                     : two_qubit_matrix<double>(op.kind, theta);
  dense out(4, 4);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) out(r, c) = m[static_cast<std::size_t>(r * 4 + c)];
  return out;
}

/// The full matrix of an op on n qubits: U[i][j] = M[loc(i)][loc(j)] when i and j agree off the
/// gate's qubits. FBS sine entries take the parity sign of the qubits strictly between a and b.
inline dense full_matrix(const operation& op, index_t n, double theta) {
  const dense m = local_matrix(op, theta);
  const index_t dim = index_t{1} << n;
  dense u = dense::Zero(static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(dim));
  const index_t a = op.qubits[0];
  const index_t b = op.qubits[1];
  basis_state mask = basis_state{1} << a;
  if (op.arity() == 2) mask |= basis_state{1} << b;
  const auto loc = [&](basis_state s) -> int {
    if (op.arity() == 1) return int((s >> a) & 1U);
    return int(2 * ((s >> a) & 1U) + ((s >> b) & 1U));
  };
  for (basis_state i = 0; i < dim; ++i)
    for (basis_state j = 0; j < dim; ++j) {
      if ((i & ~mask) != (j & ~mask)) continue;
      std::complex<double> v = m(loc(i), loc(j));
      if (op.kind == gate_kind::fbs && loc(i) != loc(j) && (loc(i) == 1 || loc(i) == 2)) {
        basis_state between = 0;
        const index_t lo = std::min(a, b), hi = std::max(a, b);
        for (index_t q = lo + 1; q < hi; ++q) between |= basis_state{1} << q;
        if (std::popcount(i & between) & 1) v = -v;
      }
      u(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = v;
    }
  return u;
}

/// The full unitary of a circuit (small n).
inline dense circuit_matrix(const circuit& c, const std::vector<double>& params) {
  const auto dim = static_cast<Eigen::Index>(index_t{1} << c.num_qubits());
  dense u = dense::Identity(dim, dim);
  for (const auto& op : c.operations()) u = full_matrix(op, c.num_qubits(), op.angle(params)) * u;
  return u;
}

/// A random normalised complex vector.
inline cvec random_state(index_t dim, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  cvec v(static_cast<Eigen::Index>(dim));
  for (auto& x : v) x = {g(rng), g(rng)};
  return v.normalized();
}

/// A random operation of a given kind on n qubits (distinct random qubits, random angles).
inline operation random_operation(gate_kind k, index_t n, std::mt19937_64& rng) {
  std::uniform_int_distribution<index_t> q(0, n - 1);
  std::uniform_real_distribution<double> ang(-3.2, 3.2);
  operation op = make_operation(k, q(rng), 0);
  if (traits(k).arity == 2) do
      op.qubits[1] = q(rng);
    while (op.qubits[1] == op.qubits[0]);
  op.theta = traits(k).rotation ? ang(rng) : 0.0;
  op.turns = {ang(rng) / 6.3, ang(rng) / 6.3, ang(rng) / 12.6};
  return op;
}

/// A random circuit of gates drawn from `kinds`.
inline circuit random_circuit(index_t n, index_t length, const std::vector<gate_kind>& kinds,
                              std::mt19937_64& rng) {
  circuit c(n);
  std::uniform_int_distribution<std::size_t> pick(0, kinds.size() - 1);
  for (index_t i = 0; i < length; ++i) {
    const gate_kind k = kinds[pick(rng)];
    if (traits(k).arity == 2 && n < 2) continue;
    c.append(random_operation(k, n, rng));
  }
  return c;
}

/// Every gate kind.
inline std::vector<gate_kind> all_kinds() {
  std::vector<gate_kind> out;
  for (std::size_t i = 0; i < gate_kind_count; ++i) out.push_back(static_cast<gate_kind>(i));
  return out;
}

/// Gate kinds that preserve Hamming weight.
inline std::vector<gate_kind> weight_preserving_kinds() {
  std::vector<gate_kind> out;
  for (auto k : all_kinds())
    if (traits(k).preserves_weight) out.push_back(k);
  return out;
}

}  // namespace papillon::test
