#pragma once

/// @file
/// States confined to one Hamming weight k: C(n, k) amplitudes instead of 2^n. Amplitude r
/// belongs to the basis state of colex rank r (combinatorics.hpp); for the unary case k = 1,
/// amplitude i belongs to e_i, so a 1024-qubit orthogonal layer costs 1024 amplitudes.
///
/// Limits: up to max_circuit_qubits (4096) qubits for every weight, as long as C(n, k) fits the
/// memory budget (weight 2 on 4096 qubits is 8.4 M amplitudes). basis_of() and the other
/// 64-bit-mask functions need at most 64 qubits; occupied_of() and for_each_basis() work for any
/// width. Gates that do not preserve Hamming weight are refused. The gate kernels are in
/// sim/detail/subspace_kernels.hpp.

#include <papillon/circuit/circuit.hpp>
#include <papillon/core/bits.hpp>
#include <papillon/core/combinatorics.hpp>
#include <papillon/sim/detail/kernels.hpp>
#include <papillon/sim/detail/subspace_kernels.hpp>
#include <papillon/sim/detail/validated_circuit.hpp>
#include <papillon/sim/memory.hpp>
#include <papillon/sim/statevector.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <bit>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace papillon {

template <class Scalar>
class basic_subspace_state {
 public:
  using scalar_type = Scalar;
  using real_type = detail::real_of_t<Scalar>;
  using vector_type = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  static constexpr bool is_complex = detail::is_complex_v<Scalar>;

  /// The basis state with the listed qubits set; its weight fixes the subspace.
  /// @throws dimension_error for a qubit out of range or repeated, or a subspace larger than
  ///         the memory limit (or than 2^64 states).
  basic_subspace_state(index_t num_qubits, std::span<const index_t> occupied,
                       const memory_options& mem = {})
      : m_qubits(num_qubits), m_weight(occupied.size()) {
    init(mem);
    for (std::size_t i = 0; i < occupied.size(); ++i) {
      const index_t q = occupied[i];
      bool repeated = false;
      for (std::size_t j = 0; j < i; ++j) repeated = repeated || occupied[j] == q;
      if (q >= num_qubits || repeated)
        throw dimension_error("subspace_state", "occupied qubit out of range or repeated",
                              "qubit " + std::to_string(q) + " of " + std::to_string(num_qubits));
    }
    m_amps[static_cast<Eigen::Index>(rank_of(occupied))] = Scalar(1);
  }

  /// The basis state `initial` (at most 64 qubits); its weight fixes the subspace.
  basic_subspace_state(index_t num_qubits, basis_state initial, const memory_options& mem = {})
      : basic_subspace_state(num_qubits, bits_of(num_qubits, initial), mem) {}

  /// A state of weight k with the given amplitudes in rank order (not renormalised).
  basic_subspace_state(index_t num_qubits, index_t weight, vector_type amplitudes,
                       const memory_options& mem = {})
      : m_qubits(num_qubits), m_weight(weight) {
    init(mem);
    if (amplitudes.size() != m_amps.size())
      throw dimension_error("subspace_state", "amplitude count differs from C(n, k)",
                            "got " + std::to_string(amplitudes.size()) + ", expected " +
                                std::to_string(m_amps.size()));
    m_amps = std::move(amplitudes);
  }

  [[nodiscard]] index_t num_qubits() const noexcept { return m_qubits; }
  [[nodiscard]] index_t weight() const noexcept { return m_weight; }
  /// C(n, k).
  [[nodiscard]] index_t size() const noexcept { return static_cast<index_t>(m_amps.size()); }
  [[nodiscard]] const vector_type& amplitudes() const noexcept { return m_amps; }
  [[nodiscard]] vector_type& amplitudes() noexcept { return m_amps; }

  /// The basis state of rank r. Requires at most 64 qubits.
  [[nodiscard]] basis_state basis_of(index_t r) const noexcept {
    if (m_weight == 1) return basis_state{1} << r;
    return m_basis[r];
  }
  /// The qubits set in the basis state of rank r (any qubit count).
  [[nodiscard]] std::vector<index_t> occupied_of(index_t r) const {
    if (m_weight == 1) return {r};
    std::vector<index_t> out;
    if (m_qubits <= max_basis_qubits) {
      for (basis_state s = m_basis[r]; s != 0; s &= s - 1)
        out.push_back(static_cast<index_t>(std::countr_zero(s)));
      return out;
    }
    out.resize(m_weight);
    m_table->unrank(r, out);
    return out;
  }
  /// Calls fn(rank, occupied) for every basis state in rank order, occupied being the ascending
  /// list of its set qubits (any qubit count; amortised O(1) per state).
  template <class Fn>
  void for_each_basis(Fn&& fn) const {
    std::vector<index_t> c(m_weight);
    for (index_t i = 0; i < m_weight; ++i) c[i] = i;
    if (m_weight == 1) {
      for (index_t r = 0; r < m_qubits; ++r) {
        c[0] = r;
        fn(r, std::span<const index_t>(c));
      }
      return;
    }
    index_t r = 0;
    do {
      fn(r++, std::span<const index_t>(c));
    } while (next_colex(c, m_qubits));
  }
  /// Rank of a basis state of this weight (at most 64 qubits).
  [[nodiscard]] index_t rank_of_basis(basis_state s) const noexcept {
    if (m_weight == 1) return static_cast<index_t>(std::countr_zero(s));
    return static_cast<index_t>(m_indexer->rank(s));
  }

  /// Applies one weight-preserving operation.
  /// @throws circuit_error naming the gate and its qubits if it does not preserve weight, or
  ///         is complex on a real state.
  void apply(const operation& op, std::span<const double> params = {}) {
    validate_op(op, 0);
    if (op.param && op.param->index >= params.size())
      throw dimension_error("subspace_state::apply", "parameter index out of range",
                            "parameter " + std::to_string(op.param->index));
    detail::apply_subspace_operation(m_amps.data(), layout(), op, op.angle(params));
  }

  /// Applies a circuit (same qubit count) after checking every gate preserves weight.
  void apply(const circuit& c, std::span<const double> params = {}) {
    if (c.num_qubits() != m_qubits)
      throw dimension_error("subspace_state::apply", "circuit and state qubit counts differ",
                            std::to_string(c.num_qubits()) + " vs " + std::to_string(m_qubits));
    check_parameters(c, params, "subspace_state::apply");
    for (index_t i = 0; i < c.size(); ++i) validate_op(c[i], i);
    apply(detail::assume_validated(c, params));
  }

  /// Applies the operations of an already validated circuit (detail/validated_circuit.hpp lists
  /// what the caller vouches for; here every operation must preserve Hamming weight); nothing is
  /// checked.
  void apply(const detail::validated_circuit& run) {
    const detail::subspace_layout s = layout();
    for (const auto& op : run.ops)
      detail::apply_subspace_operation(m_amps.data(), s, op, op.angle(run.params));
  }

  /// |amplitude|^2 in rank order.
  [[nodiscard]] Eigen::Matrix<real_type, Eigen::Dynamic, 1> probabilities() const {
    return m_amps.cwiseAbs2();
  }
  [[nodiscard]] real_type squared_norm() const noexcept { return m_amps.squaredNorm(); }

  /// Embeds the state in the full 2^n space.
  /// @throws dimension_error if the full state does not fit.
  [[nodiscard]] basic_statevector<Scalar> to_full(const memory_options& mem = {}) const {
    if (m_qubits > max_statevector_qubits)
      throw dimension_error("subspace_state::to_full", "too many qubits for a full state",
                            std::to_string(m_qubits) + " qubits");
    basic_statevector<Scalar> full(m_qubits, 0, mem);
    full.amplitudes().setZero();
    for (index_t r = 0; r < size(); ++r)
      full.amplitudes()[static_cast<Eigen::Index>(basis_of(r))] =
          m_amps[static_cast<Eigen::Index>(r)];
    return full;
  }

  /// Projects a full state onto weight k.
  /// @throws dimension_error if more than `tolerance` of squared norm lies outside weight k.
  static basic_subspace_state from_full(const basic_statevector<Scalar>& full, index_t weight,
                                        real_type tolerance = real_type(1e-10)) {
    const index_t n = full.num_qubits();
    basic_subspace_state out(
        n, weight, vector_type::Zero(static_cast<Eigen::Index>(binomial_saturated(n, weight))));
    real_type outside = 0;
    const auto& a = full.amplitudes();
    for (Eigen::Index i = 0; i < a.size(); ++i) {
      const auto s = static_cast<basis_state>(i);
      if (static_cast<index_t>(std::popcount(s)) == weight)
        out.m_amps[static_cast<Eigen::Index>(out.rank_of_basis(s))] = a[i];
      else
        outside += std::norm(std::complex<real_type>(a[i]));
    }
    if (outside > tolerance)
      throw dimension_error("subspace_state::from_full",
                            "state has weight outside the subspace beyond the tolerance",
                            "weight " + std::to_string(weight) + ", outside norm^2 " +
                                std::to_string(static_cast<double>(outside)));
    return out;
  }

 private:
  static std::vector<index_t> bits_of(index_t n, basis_state s) {
    if (n > 64 || (n < 64 && (s >> n) != 0))
      throw dimension_error("subspace_state", "basis state does not fit the qubit count",
                            "state " + std::to_string(s) + ", " + std::to_string(n) + " qubits");
    std::vector<index_t> out;
    for (; s != 0; s &= s - 1) out.push_back(static_cast<index_t>(std::countr_zero(s)));
    return out;
  }

  void init(const memory_options& mem) {
    if (m_qubits == 0 || m_qubits > max_circuit_qubits)
      throw dimension_error("subspace_state", "qubit count must be in 1..4096",
                            "n = " + std::to_string(m_qubits));
    if (m_weight > m_qubits)
      throw dimension_error("subspace_state", "weight exceeds the qubit count",
                            "k = " + std::to_string(m_weight));
    if (m_weight == 1) {
      detail::check_memory("subspace_state", static_cast<long double>(m_qubits), sizeof(Scalar),
                           mem, "weight 1");
      m_amps = vector_type::Zero(static_cast<Eigen::Index>(m_qubits));
      return;
    }
    const std::string what =
        "C(" + std::to_string(m_qubits) + ", " + std::to_string(m_weight) + ") amplitudes";
    const std::uint64_t count = binomial_saturated(m_qubits, m_weight);
    if (count == std::numeric_limits<std::uint64_t>::max())
      throw dimension_error("subspace_state", "the subspace has more than 2^64 states", what);
    // Up to 64 qubits every state also keeps its 64-bit mask (basis_of()).
    const bool masks = m_qubits <= max_basis_qubits;
    detail::check_memory("subspace_state", static_cast<long double>(count),
                         sizeof(Scalar) + (masks ? sizeof(basis_state) : 0), mem, what);
    m_table.emplace(m_qubits, m_weight);
    if (masks) {
      m_indexer.emplace(m_qubits, m_weight);
      m_basis = m_indexer->enumerate();
    }
    m_amps = vector_type::Zero(static_cast<Eigen::Index>(count));
  }

  [[nodiscard]] index_t rank_of(std::span<const index_t> occupied) const {
    if (m_weight == 1) return occupied[0];
    std::vector<index_t> sorted(occupied.begin(), occupied.end());
    std::sort(sorted.begin(), sorted.end());
    return static_cast<index_t>(m_table->rank(sorted));
  }

  [[nodiscard]] detail::subspace_layout layout() const noexcept {
    return {m_qubits,
            m_weight,
            size(),
            m_table ? &*m_table : nullptr,
            m_indexer ? &*m_indexer : nullptr,
            m_basis.empty() ? nullptr : m_basis.data()};
  }

  void validate_op(const operation& op, index_t position) const {
    const auto& tr = traits(op.kind);
    const auto label = [&] {
      std::string s = "operation " + std::to_string(position) + ": " + std::string(tr.name) +
                      " on qubit" + (tr.arity == 2 ? "s " : " ") + std::to_string(op.qubits[0]);
      if (tr.arity == 2) s += "," + std::to_string(op.qubits[1]);
      return s;
    };
    for (unsigned i = 0; i < tr.arity; ++i)
      if (op.qubits[i] >= m_qubits)
        throw circuit_error("subspace_state::apply", "qubit out of range", label());
    if (!tr.preserves_weight)
      throw circuit_error("subspace_state::apply", "gate does not preserve Hamming weight",
                          label());
    if constexpr (!is_complex) {
      if (!tr.real)
        throw circuit_error("subspace_state::apply", "complex gate on a real-amplitude state",
                            label());
    }
  }

  index_t m_qubits;
  index_t m_weight;
  vector_type m_amps;
  std::optional<combination_table> m_table;      // weights other than 1
  std::optional<combination_indexer> m_indexer;  // the same by 64-bit masks, n <= 64
  std::vector<basis_state> m_basis;  // rank -> 64-bit mask, weights other than 1, n <= 64
};

/// Complex subspace state.
template <class Float = double>
using subspace_state = basic_subspace_state<std::complex<Float>>;

/// Real subspace state for circuits of real gates.
template <class Float = double>
using real_subspace_state = basic_subspace_state<Float>;

}  // namespace papillon
