#pragma once

/// @file
/// The unary (Hamming-weight-1) picture of RBS circuits (docs/method.md 2.2.1 and 7): a circuit
/// of RBS/FBS gates acts on span{e_0, ..., e_{n-1}} as an n x n real orthogonal matrix, and on
/// weight k as its k-th compound matrix (FBS circuits; docs/interfaces.md section 1).
///
/// Convention: column j of unary_matrix() is the image of e_j; RBS(theta) on (a, b) acts on the
/// coefficients (x_a, x_b) as [[c, -s], [s, c]], i.e. e_a -> c e_a + s e_b.
///
/// Besides RBS and FBS (identical on weight 1: no qubit between a and b is set), the real
/// weight-preserving gates z (negates e_q), cz (identity on weight 1) and swap are accepted.
/// Anything else has no real unary matrix and is refused with circuit_error.
///
/// apply_unary() runs a circuit on a batch of unary vectors (columns = samples) as a sequence of
/// 2x2 rotations, parameters bound at run time: O(gates) per sample, so O(n log n) for a
/// Butterfly, with no 2^n state.

#include <papillon/circuit/circuit.hpp>
#include <papillon/core/combinatorics.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>

#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace papillon {

/// The n x n orthogonal matrix of a circuit on unary states (column j = image of e_j).
/// @throws circuit_error naming the first gate that is not real and weight-preserving;
///         dimension_error / data_error for a short or non-finite parameter vector.
/// @note O(n * gates).
Eigen::MatrixXd unary_matrix(const circuit& c, std::span<const double> params = {});

/// The unary output of a circuit that starts from |0...0>, prepares one e_s with its leading X
/// gates (a loader) and continues with unary gates: the n amplitudes of its final state.
/// @throws circuit_error if the leading X gates do not prepare a weight-1 state or a later gate
///         is not unary; parameter errors as unary_matrix.
Eigen::VectorXd unary_amplitudes(const circuit& c, std::span<const double> params = {});

/// Applies a unary circuit in place to every column of `batch` (rows = qubits, columns =
/// samples): batch <- U batch.
/// @throws dimension_error if batch.rows() differs from the qubit count; otherwise as
///         unary_matrix.
/// @note O(gates) per column.
void apply_unary(const circuit& c, std::span<const double> params,
                 Eigen::Ref<Eigen::MatrixXd> batch);

/// Applies the transpose (= inverse, = adjoint) of the circuit's unary matrix in place:
/// batch <- U^T batch. This is the backward pass of apply_unary.
/// @throws as apply_unary.
void apply_unary_transpose(const circuit& c, std::span<const double> params,
                           Eigen::Ref<Eigen::MatrixXd> batch);

/// The k-th compound matrix of a square matrix: entry (I, J) is the minor det(u[I, J]) for
/// k-subsets I, J of the indices, ordered by colex rank (the order of subspace_state
/// amplitudes; combinatorics.hpp). The 1st compound is u itself.
/// @throws dimension_error if u is not square, has more than 64 rows, or k is 0 or above n.
/// @note O(C(n,k)^2 k^3): meant for tests and small n.
Eigen::MatrixXd compound_matrix(const Eigen::MatrixXd& u, index_t k);

// ---- Definitions -------------------------------------------------------------------------------

namespace detail {

/// One step of a unary program.
struct unary_step {
  enum class kind : std::uint8_t { rotate, negate, swap };
  kind op = kind::rotate;
  index_t a = 0;
  index_t b = 0;
  double cos = 1.0;
  double sin = 0.0;
};

/// Translates operations [first, size) of a circuit into unary steps under the parameters.
inline std::vector<unary_step> compile_unary(const circuit& c, std::span<const double> params,
                                             std::string_view where, index_t first = 0) {
  check_parameters(c, params, where);
  std::vector<unary_step> steps;
  steps.reserve(c.size() - first);
  for (index_t i = first; i < c.size(); ++i) {
    const operation& op = c[i];
    const gate_traits& tr = traits(op.kind);
    const std::string ctx = "operation " + std::to_string(i) + ": " + std::string(tr.name);
    switch (op.kind) {
      case gate_kind::rbs:
      case gate_kind::fbs: {
        const double theta = op.angle(params);
        steps.push_back({unary_step::kind::rotate, op.qubits[0], op.qubits[1], std::cos(theta),
                         std::sin(theta)});
        break;
      }
      case gate_kind::z:
        steps.push_back({unary_step::kind::negate, op.qubits[0], op.qubits[0], 1.0, 0.0});
        break;
      case gate_kind::swap:
        steps.push_back({unary_step::kind::swap, op.qubits[0], op.qubits[1], 1.0, 0.0});
        break;
      case gate_kind::cz:
        break;  // |11> never occurs in weight 1
      default:
        if (!tr.preserves_weight)
          throw circuit_error(where, "gate does not preserve Hamming weight", ctx);
        throw circuit_error(where, "gate has no real unary matrix", ctx);
    }
  }
  return steps;
}

/// Applies steps to one column (forward) or their inverses in reverse order (transpose).
inline void run_unary_steps(const std::vector<unary_step>& steps, double* x, bool transpose) {
  const auto one = [x](const unary_step& s, double sin) {
    switch (s.op) {
      case unary_step::kind::rotate: {
        const double xa = x[s.a];
        const double xb = x[s.b];
        x[s.a] = s.cos * xa - sin * xb;
        x[s.b] = sin * xa + s.cos * xb;
        break;
      }
      case unary_step::kind::negate:
        x[s.a] = -x[s.a];
        break;
      case unary_step::kind::swap:
        std::swap(x[s.a], x[s.b]);
        break;
    }
  };
  if (!transpose) {
    for (const auto& s : steps) one(s, s.sin);
  } else {
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) one(*it, -it->sin);
  }
}

inline void apply_unary_impl(const circuit& c, std::span<const double> params,
                             Eigen::Ref<Eigen::MatrixXd> batch, bool transpose,
                             std::string_view where) {
  if (static_cast<index_t>(batch.rows()) != c.num_qubits())
    throw dimension_error(
        where, "batch rows differ from the qubit count",
        std::to_string(batch.rows()) + " rows, " + std::to_string(c.num_qubits()) + " qubits");
  const auto steps = compile_unary(c, params, where);
  // Column by column: each sample's n coefficients stay in cache for the whole circuit.
  for (Eigen::Index j = 0; j < batch.cols(); ++j)
    run_unary_steps(steps, batch.col(j).data(), transpose);
}

/// Determinant by Gaussian elimination with partial pivoting (Eigen/LU stays out of public
/// headers).
inline double determinant(Eigen::MatrixXd m) {
  const Eigen::Index k = m.rows();
  double det = 1.0;
  for (Eigen::Index col = 0; col < k; ++col) {
    Eigen::Index pivot = col;
    for (Eigen::Index r = col + 1; r < k; ++r)
      if (std::abs(m(r, col)) > std::abs(m(pivot, col))) pivot = r;
    if (m(pivot, col) == 0.0) return 0.0;
    if (pivot != col) {
      m.row(pivot).swap(m.row(col));
      det = -det;
    }
    det *= m(col, col);
    for (Eigen::Index r = col + 1; r < k; ++r) {
      const double f = m(r, col) / m(col, col);
      m.row(r).tail(k - col) -= f * m.row(col).tail(k - col);
    }
  }
  return det;
}

}  // namespace detail

inline Eigen::MatrixXd unary_matrix(const circuit& c, std::span<const double> params) {
  const auto n = static_cast<Eigen::Index>(c.num_qubits());
  Eigen::MatrixXd u = Eigen::MatrixXd::Identity(n, n);
  const auto steps = detail::compile_unary(c, params, "unary_matrix");
  for (Eigen::Index j = 0; j < n; ++j) detail::run_unary_steps(steps, u.col(j).data(), false);
  return u;
}

inline Eigen::VectorXd unary_amplitudes(const circuit& c, std::span<const double> params) {
  std::vector<bool> set(c.num_qubits(), false);
  index_t i = 0;
  for (; i < c.size() && c[i].kind == gate_kind::x; ++i) set[c[i].qubits[0]] = !set[c[i].qubits[0]];
  index_t weight = 0;
  index_t start = 0;
  for (index_t q = 0; q < set.size(); ++q)
    if (set[q]) {
      ++weight;
      start = q;
    }
  if (weight != 1)
    throw circuit_error("unary_amplitudes", "leading X gates do not prepare a unary state",
                        "weight " + std::to_string(weight));
  const auto steps = detail::compile_unary(c, params, "unary_amplitudes", i);
  Eigen::VectorXd x = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(c.num_qubits()));
  x[static_cast<Eigen::Index>(start)] = 1.0;
  detail::run_unary_steps(steps, x.data(), false);
  return x;
}

inline void apply_unary(const circuit& c, std::span<const double> params,
                        Eigen::Ref<Eigen::MatrixXd> batch) {
  detail::apply_unary_impl(c, params, batch, false, "apply_unary");
}

inline void apply_unary_transpose(const circuit& c, std::span<const double> params,
                                  Eigen::Ref<Eigen::MatrixXd> batch) {
  detail::apply_unary_impl(c, params, batch, true, "apply_unary_transpose");
}

inline Eigen::MatrixXd compound_matrix(const Eigen::MatrixXd& u, index_t k) {
  const auto n = static_cast<index_t>(u.rows());
  if (u.rows() != u.cols())
    throw dimension_error("compound_matrix", "matrix is not square",
                          std::to_string(u.rows()) + " x " + std::to_string(u.cols()));
  if (k == 0 || k > n)
    throw dimension_error("compound_matrix", "k must be in 1..n",
                          "k = " + std::to_string(k) + ", n = " + std::to_string(n));
  const combination_indexer idx(n, k);  // throws for n > 64
  const auto sets = idx.enumerate();
  const auto members = [k](basis_state s) {
    std::vector<Eigen::Index> out;
    out.reserve(k);
    for (; s != 0; s &= s - 1) out.push_back(std::countr_zero(s));
    return out;
  };
  const auto m = static_cast<Eigen::Index>(sets.size());
  Eigen::MatrixXd out(m, m);
  Eigen::MatrixXd sub(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  for (Eigen::Index r = 0; r < m; ++r) {
    const auto rows = members(sets[static_cast<std::size_t>(r)]);
    for (Eigen::Index col = 0; col < m; ++col) {
      const auto cols = members(sets[static_cast<std::size_t>(col)]);
      for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j < k; ++j)
          sub(Eigen::Index(i), Eigen::Index(j)) = u(rows[i], cols[j]);
      out(r, col) = detail::determinant(sub);
    }
  }
  return out;
}

}  // namespace papillon
