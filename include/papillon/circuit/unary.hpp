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
/// unary_program is the one way papillon applies such a circuit to unary vectors: the circuit is
/// compiled once under its parameters into 2x2 rotations (and sign flips and swaps), then run in
/// place on a batch with one sample per row, forward, transposed, or as the reverse sweep of
/// back-propagation that also accumulates dL/dangle per gate. O(gates) per sample, so
/// O(n log n) for a Butterfly, with no 2^n state. The quantum layer (nn/quantum_orthogonal.hpp),
/// the weight-1 adjoint (grad/adjoint.hpp), unary_matrix(), unary_amplitudes() and apply_unary()
/// all run through it.

#include <papillon/circuit/circuit.hpp>
#include <papillon/core/combinatorics.hpp>
#include <papillon/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon {

namespace detail {

/// One step of a compiled unary circuit.
struct unary_step {
  enum class kind : std::uint8_t { rotate, negate, swap };
  static constexpr index_t no_parameter = static_cast<index_t>(-1);
  kind op = kind::rotate;
  index_t a = 0;
  index_t b = 0;
  double cos = 1.0;
  double sin = 0.0;
  index_t param = no_parameter;  ///< rotate: the parameter its angle reads (scale * params[param])
  double scale = 0.0;
};

}  // namespace detail

/// Options of unary_program.
struct unary_program_options {
  /// Compile operations [first_operation, size) only (e.g. after a loader's leading X gates).
  index_t first_operation = 0;
  /// The name error messages start with.
  std::string_view caller = "unary_program";
};

/// Options of unary_program::backward.
struct unary_backward_options {
  /// One byte per parameter, nonzero = accumulate its gradient; empty = every parameter.
  std::span<const std::uint8_t> wanted{};
  /// false: the caller needs dL/dangle only, so the sweep stops at the earliest wanted gate and
  /// leaves y and g part-way.
  bool input_gradient = true;
};

/// A unary circuit compiled under one parameter vector, applied in place to a batch of unary
/// vectors with **one sample per row** (batch_size x n, the layout of nn batches).
///
/// Why rows: Eigen matrices are column-major, so with one sample per row the coefficients of
/// qubit q over all samples are one contiguous column. A gate on (a, b) then rotates two
/// contiguous columns, a loop the compiler vectorises across samples and the prefetcher
/// streams. With one sample per column every gate is a scalar update of two entries of each
/// sample: about 3x slower for 1024 samples at 16 to 1024 qubits (measured). Splitting the rows
/// into cache-sized blocks measured no faster: a gate reads only two columns.
class unary_program {
 public:
  /// @throws circuit_error naming the first gate that is not real and weight-preserving;
  ///         dimension_error / data_error for a short or non-finite parameter vector.
  explicit unary_program(const circuit& c, std::span<const double> params = {},
                         const unary_program_options& options = {});

  [[nodiscard]] index_t num_qubits() const noexcept { return m_qubits; }
  /// The length of the parameter vector the circuit reads (gradients passed to backward()).
  [[nodiscard]] index_t num_parameters() const noexcept { return m_parameters; }

  /// batch <- batch U^T: every row x becomes (U x)^T.
  /// @throws dimension_error if batch.cols() differs from the qubit count.
  void apply(Eigen::Ref<Eigen::MatrixXd> batch) const;

  /// batch <- batch U: every row x becomes (U^T x)^T, the inverse (U is orthogonal) and the
  /// backward pass of apply() for an input gradient.
  /// @throws as apply().
  void apply_transpose(Eigen::Ref<Eigen::MatrixXd> batch) const;

  /// The reverse sweep of back-propagation through y = apply(x). On entry y holds the outputs
  /// and g holds dL/dy (same shape). Gates are undone last to first on both; at every rotation
  /// whose parameter is wanted, scale * dL/dangle (summed over the samples) is added to
  /// grad[parameter]: with y' = the rows after the gate, dL/dangle = sum g_b y'_a - g_a y'_b. On
  /// return y holds x and g holds dL/dx (unless options.input_gradient is false).
  /// @throws dimension_error if y and g differ in shape or width, or grad is shorter than
  ///         num_parameters(), or options.wanted is neither empty nor that long.
  void backward(Eigen::Ref<Eigen::MatrixXd> y, Eigen::Ref<Eigen::MatrixXd> g,
                std::span<double> grad, const unary_backward_options& options = {}) const;

 private:
  void check_batch(const Eigen::Ref<Eigen::MatrixXd>& batch, std::string_view where) const;

  std::vector<detail::unary_step> m_steps;
  index_t m_qubits = 0;
  index_t m_parameters = 0;
};

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
/// samples): batch <- U batch. Runs unary_program on the transposed layout, block by block.
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

/// Translates operations [first, size) of a circuit into unary steps under the parameters.
inline std::vector<unary_step> compile_unary(const circuit& c, std::span<const double> params,
                                             std::string_view where, index_t first = 0) {
  check_parameters(c, params, where);
  std::vector<unary_step> steps;
  steps.reserve(c.size() - std::min(first, c.size()));
  for (index_t i = first; i < c.size(); ++i) {
    const operation& op = c[i];
    switch (op.kind) {
      case gate_kind::rbs:
      case gate_kind::fbs: {
        const double theta = op.angle(params);
        unary_step s{unary_step::kind::rotate, op.qubits[0], op.qubits[1], std::cos(theta),
                     std::sin(theta)};
        if (op.param) {
          s.param = op.param->index;
          s.scale = op.param->scale;
        }
        steps.push_back(s);
        break;
      }
      case gate_kind::z:
        steps.push_back({unary_step::kind::negate, op.qubits[0], op.qubits[0]});
        break;
      case gate_kind::swap:
        steps.push_back({unary_step::kind::swap, op.qubits[0], op.qubits[1]});
        break;
      case gate_kind::cz:
        break;  // |11> never occurs in weight 1
      default: {
        const gate_traits& tr = traits(op.kind);
        const std::string ctx = "operation " + std::to_string(i) + ": " + std::string(tr.name);
        if (!tr.preserves_weight)
          throw circuit_error(where, "gate does not preserve Hamming weight", ctx);
        throw circuit_error(where, "gate has no real unary matrix", ctx);
      }
    }
  }
  return steps;
}

// The kernels below see a batch as columns: the `count` samples of qubit q are the contiguous
// doubles at base + q * ld.

/// (x_a, x_b) <- (c x_a - s x_b, s x_a + c x_b) for every sample.
inline void rotate_lanes(double* __restrict xa, double* __restrict xb, Eigen::Index count, double c,
                         double s) {
  for (Eigen::Index i = 0; i < count; ++i) {
    const double va = xa[i];
    const double vb = xb[i];
    xa[i] = c * va - s * vb;
    xb[i] = s * va + c * vb;
  }
}

/// Runs one step (forward, or its inverse with sin negated) on every sample.
inline void run_unary_step(const unary_step& st, double sin, double* base, Eigen::Index ld,
                           Eigen::Index count) {
  double* xa = base + static_cast<Eigen::Index>(st.a) * ld;
  double* xb = base + static_cast<Eigen::Index>(st.b) * ld;
  switch (st.op) {
    case unary_step::kind::rotate:
      rotate_lanes(xa, xb, count, st.cos, sin);
      break;
    case unary_step::kind::negate:
      for (Eigen::Index i = 0; i < count; ++i) xa[i] = -xa[i];
      break;
    case unary_step::kind::swap:
      for (Eigen::Index i = 0; i < count; ++i) std::swap(xa[i], xb[i]);
      break;
  }
}

/// sum_i gb_i ya_i - ga_i yb_i over the samples, in four interleaved partial sums so that the
/// compiler can vectorise the reduction without reassociating one long chain.
inline double rotation_derivative(const double* __restrict ya, const double* __restrict yb,
                                  const double* __restrict ga, const double* __restrict gb,
                                  Eigen::Index count) {
  double acc[4] = {0.0, 0.0, 0.0, 0.0};
  Eigen::Index i = 0;
  for (; i + 4 <= count; i += 4)
    for (int j = 0; j < 4; ++j) acc[j] += gb[i + j] * ya[i + j] - ga[i + j] * yb[i + j];
  for (; i < count; ++i) acc[0] += gb[i] * ya[i] - ga[i] * yb[i];
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

/// apply_unary and apply_unary_transpose (one sample per column): blocks of columns are
/// transposed into one sample per row, run, and copied back.
inline void apply_unary_columns(const unary_program& p, Eigen::Ref<Eigen::MatrixXd> batch,
                                bool transpose, std::string_view where) {
  if (static_cast<index_t>(batch.rows()) != p.num_qubits())
    throw dimension_error(
        where, "batch rows differ from the qubit count",
        std::to_string(batch.rows()) + " rows, " + std::to_string(p.num_qubits()) + " qubits");
  constexpr Eigen::Index block = 256;  // bounds the copy
  Eigen::MatrixXd rows;
  for (Eigen::Index first = 0; first < batch.cols(); first += block) {
    const Eigen::Index count = std::min(block, batch.cols() - first);
    rows = batch.middleCols(first, count).transpose();
    if (transpose)
      p.apply_transpose(rows);
    else
      p.apply(rows);
    batch.middleCols(first, count) = rows.transpose();
  }
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

inline unary_program::unary_program(const circuit& c, std::span<const double> params,
                                    const unary_program_options& options)
    : m_steps(detail::compile_unary(c, params, options.caller, options.first_operation)),
      m_qubits(c.num_qubits()),
      m_parameters(c.num_parameters()) {}

inline void unary_program::check_batch(const Eigen::Ref<Eigen::MatrixXd>& batch,
                                       std::string_view where) const {
  if (static_cast<index_t>(batch.cols()) != m_qubits)
    throw dimension_error(
        where, "batch columns differ from the qubit count (one sample per row)",
        std::to_string(batch.cols()) + " columns, " + std::to_string(m_qubits) + " qubits");
}

inline void unary_program::apply(Eigen::Ref<Eigen::MatrixXd> batch) const {
  check_batch(batch, "unary_program::apply");
  for (const auto& st : m_steps)
    detail::run_unary_step(st, st.sin, batch.data(), batch.outerStride(), batch.rows());
}

inline void unary_program::apply_transpose(Eigen::Ref<Eigen::MatrixXd> batch) const {
  check_batch(batch, "unary_program::apply_transpose");
  for (auto it = m_steps.rbegin(); it != m_steps.rend(); ++it)
    detail::run_unary_step(*it, -it->sin, batch.data(), batch.outerStride(), batch.rows());
}

inline void unary_program::backward(Eigen::Ref<Eigen::MatrixXd> y, Eigen::Ref<Eigen::MatrixXd> g,
                                    std::span<double> grad,
                                    const unary_backward_options& options) const {
  constexpr std::string_view where = "unary_program::backward";
  check_batch(y, where);
  check_batch(g, where);
  if (y.rows() != g.rows())
    throw dimension_error(where, "outputs and their gradient differ in rows",
                          std::to_string(y.rows()) + " and " + std::to_string(g.rows()));
  if (grad.size() < m_parameters)
    throw dimension_error(where, "gradient vector too short",
                          "got " + std::to_string(grad.size()) + ", circuit has " +
                              std::to_string(m_parameters) + " parameters");
  if (!options.wanted.empty() && options.wanted.size() != m_parameters)
    throw dimension_error(where, "wanted mask length differs from the parameter count",
                          "got " + std::to_string(options.wanted.size()) + ", circuit has " +
                              std::to_string(m_parameters) + " parameters");
  const auto wanted = [&](const detail::unary_step& st) {
    return st.param != detail::unary_step::no_parameter &&
           (options.wanted.empty() || options.wanted[st.param] != 0);
  };
  // A sweep for dL/dangle alone ends at the earliest wanted gate.
  std::size_t stop = 0;
  if (!options.input_gradient) {
    stop = m_steps.size();
    for (std::size_t k = 0; k < m_steps.size() && stop == m_steps.size(); ++k)
      if (wanted(m_steps[k])) stop = k;
  }
  const Eigen::Index rows = y.rows();
  const Eigen::Index ldy = y.outerStride();
  const Eigen::Index ldg = g.outerStride();
  for (std::size_t k = m_steps.size(); k-- > stop;) {
    const auto& st = m_steps[k];
    if (wanted(st)) {
      const auto a = static_cast<Eigen::Index>(st.a);
      const auto b = static_cast<Eigen::Index>(st.b);
      const double d = detail::rotation_derivative(y.data() + a * ldy, y.data() + b * ldy,
                                                   g.data() + a * ldg, g.data() + b * ldg, rows);
      grad[st.param] += st.scale * d;
      if (k == stop && !options.input_gradient) break;
    }
    detail::run_unary_step(st, -st.sin, y.data(), ldy, rows);
    detail::run_unary_step(st, -st.sin, g.data(), ldg, rows);
  }
}

inline Eigen::MatrixXd unary_matrix(const circuit& c, std::span<const double> params) {
  const unary_program p(c, params, {.caller = "unary_matrix"});
  const auto n = static_cast<Eigen::Index>(c.num_qubits());
  Eigen::MatrixXd rows = Eigen::MatrixXd::Identity(n, n);
  p.apply(rows);  // row j = (U e_j)^T
  return rows.transpose();
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
  const unary_program p(c, params, {.first_operation = i, .caller = "unary_amplitudes"});
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(1, static_cast<Eigen::Index>(c.num_qubits()));
  x(0, static_cast<Eigen::Index>(start)) = 1.0;
  p.apply(x);
  return x.row(0).transpose();
}

inline void apply_unary(const circuit& c, std::span<const double> params,
                        Eigen::Ref<Eigen::MatrixXd> batch) {
  const unary_program p(c, params, {.caller = "apply_unary"});
  detail::apply_unary_columns(p, batch, false, "apply_unary");
}

inline void apply_unary_transpose(const circuit& c, std::span<const double> params,
                                  Eigen::Ref<Eigen::MatrixXd> batch) {
  const unary_program p(c, params, {.caller = "apply_unary_transpose"});
  detail::apply_unary_columns(p, batch, true, "apply_unary_transpose");
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
