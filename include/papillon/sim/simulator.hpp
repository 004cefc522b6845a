#pragma once

/// @file
/// Running a circuit: choosing the representation (full state or Hamming-weight subspace, real
/// or complex amplitudes), exact probabilities, sampled counts and diagonal expectations.

#include <papillon/circuit/circuit.hpp>
#include <papillon/core/basis_key.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/sim/detail/validated_circuit.hpp>
#include <papillon/sim/sampling.hpp>
#include <papillon/sim/statevector.hpp>
#include <papillon/sim/subspace_state.hpp>

#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace papillon {

/// How a circuit is simulated.
enum class simulation_mode {
  automatic,  ///< subspace when the circuit allows it, full state otherwise
  full,       ///< 2^n amplitudes
  subspace,   ///< C(n, k) amplitudes; fails if the circuit leaves weight k
};

/// The names of the modes, as the command line and its output spell them.
inline constexpr enum_table<simulation_mode, 3> simulation_mode_names{
    "simulation mode",
    {{{simulation_mode::automatic, "auto", {"automatic"}},
      {simulation_mode::full, "full"},
      {simulation_mode::subspace, "subspace"}}}};
constexpr const auto& enum_names_of(simulation_mode) noexcept { return simulation_mode_names; }

/// Options of simulate_probabilities and simulate_counts.
struct simulation_options {
  simulation_mode mode = simulation_mode::automatic;
  /// Use real amplitudes when every gate is real (half the memory and traffic).
  bool real_fast_path = true;
  memory_options memory{};
  /// Gate fusion on complex full states.
  fusion_options fusion{};
};

/// Whether a circuit can run in a Hamming-weight subspace: its leading X gates prepare a basis
/// state of weight k from |0...0>, and every later gate preserves Hamming weight.
struct subspace_analysis {
  bool possible = false;
  index_t weight = 0;
  std::vector<index_t> occupied;     ///< qubits set by the leading X gates, ascending
  index_t prefix_length = 0;         ///< number of leading X gates
  std::optional<index_t> offending;  ///< position of the first gate that leaves the subspace
  std::string reason;                ///< why not, when not possible
};

/// Analyses a circuit for subspace simulation.
inline subspace_analysis analyze_subspace(const circuit& c) {
  subspace_analysis out;
  std::vector<bool> set(c.num_qubits(), false);
  index_t i = 0;
  for (; i < c.size() && c[i].kind == gate_kind::x; ++i) set[c[i].qubits[0]] = !set[c[i].qubits[0]];
  out.prefix_length = i;
  for (index_t q = 0; q < c.num_qubits(); ++q)
    if (set[q]) out.occupied.push_back(q);
  out.weight = out.occupied.size();
  for (; i < c.size(); ++i) {
    if (!traits(c[i].kind).preserves_weight) {
      out.offending = i;
      out.reason = "operation " + std::to_string(i) + " (" + std::string(gate_name(c[i].kind)) +
                   ") does not preserve Hamming weight";
      return out;
    }
  }
  out.possible = true;
  return out;
}

/// Exact probabilities of a simulation, in the representation that produced them.
struct probability_result {
  index_t qubits = 0;
  simulation_mode mode = simulation_mode::full;  ///< full or subspace
  index_t weight = 0;                            ///< subspace weight (subspace mode)
  /// Full mode: values[i] is the probability of basis state i. Subspace mode: values[r] is the
  /// probability of the weight-k basis state of colex rank r (weight 1: e_r).
  std::vector<double> values;
  /// Subspace mode, weight other than 1: rank -> basis state (at most 64 qubits).
  std::vector<basis_state> subspace_basis;
  /// Subspace mode, weight other than 1, more than 64 qubits: rank -> basis state.
  std::vector<basis_key> wide_subspace_basis;

  /// The basis state of entry i as a 64-bit mask (requires at most 64 qubits).
  [[nodiscard]] basis_state basis_of(index_t i) const noexcept {
    if (mode == simulation_mode::full) return i;
    if (weight == 1) return basis_state{1} << i;
    return subspace_basis[i];
  }

  /// The basis state of entry i, for any qubit count (allocates only beyond 64 qubits).
  [[nodiscard]] basis_key key_of(index_t i) const {
    if (mode == simulation_mode::subspace && weight == 1) return basis_key::unary(i);
    if (mode == simulation_mode::subspace && qubits > max_basis_qubits)
      return wide_subspace_basis[i];
    return basis_of(i);
  }

  /// The decimal key of entry i, as in the JSON results (any qubit count: beyond 64 qubits the
  /// integer is written out in full).
  [[nodiscard]] std::string basis_label(index_t i) const { return key_of(i).decimal_label(); }

  /// Probabilities keyed by basis state, dropping those below `omit_below`.
  [[nodiscard]] std::map<basis_key, double> to_map(double omit_below = 0.0) const {
    std::map<basis_key, double> out;
    for (index_t i = 0; i < values.size(); ++i)
      if (values[i] > omit_below || (omit_below == 0.0 && values[i] != 0.0))
        out.emplace_hint(out.end(), key_of(i), values[i]);  // entries ascend
    return out;
  }
};

namespace detail {

/// The rank -> basis state tables of a subspace result of weight other than 1.
template <class State>
void collect_subspace_basis(const State& st, probability_result& out) {
  if (st.weight() == 1) return;
  if (st.num_qubits() <= max_basis_qubits) {
    for (index_t r = 0; r < st.size(); ++r) out.subspace_basis.push_back(st.basis_of(r));
    return;
  }
  out.wide_subspace_basis.reserve(st.size());
  st.for_each_basis([&](index_t, std::span<const index_t> occupied) {
    out.wide_subspace_basis.push_back(basis_key::from_qubits(occupied));
  });
}

template <class State>
void collect(const State& st, probability_result& out) {
  const auto p = st.probabilities();
  out.values.resize(static_cast<std::size_t>(p.size()));
  for (Eigen::Index i = 0; i < p.size(); ++i)
    out.values[static_cast<std::size_t>(i)] = double(p[i]);
}

}  // namespace detail

/// Picks the representation for a circuit under the options.
/// @throws circuit_error when subspace mode is forced on a circuit that leaves the subspace
///         (naming the first offending gate).
inline simulation_mode choose_mode(const circuit& c, const simulation_options& opt,
                                   subspace_analysis* analysis = nullptr) {
  subspace_analysis a = analyze_subspace(c);
  simulation_mode m = opt.mode;
  if (m == simulation_mode::subspace && !a.possible)
    throw circuit_error("simulate", "circuit cannot run in subspace mode", a.reason);
  if (m == simulation_mode::automatic)
    m = a.possible ? simulation_mode::subspace : simulation_mode::full;
  if (analysis) *analysis = std::move(a);
  return m;
}

namespace detail {

/// simulate_probabilities on a validated circuit (`run` covers the whole circuit): the entry
/// point for callers that validated the task already, such as the simulator backend.
/// @throws circuit_error when subspace mode is forced on a circuit that leaves the subspace;
///         dimension_error for a state above the memory limit.
template <class Float = double>
probability_result simulate_probabilities(const validated_circuit& run,
                                          const simulation_options& opt = {}) {
  const circuit& c = *run.circ;
  subspace_analysis a;
  const simulation_mode mode = choose_mode(c, opt, &a);
  // The state types below follow from the analysis, so every gate fits its state: real gates
  // only on real amplitudes, weight-preserving gates only in the subspace.
  const bool real = opt.real_fast_path && is_real_circuit(c);
  probability_result out;
  out.qubits = c.num_qubits();
  out.mode = mode;
  if (mode == simulation_mode::subspace) {
    // Skip the X prefix: the state starts in the basis state it prepares.
    const validated_circuit body = run.slice(a.prefix_length, run.ops.size());
    out.weight = a.weight;
    const auto go = [&](auto st) {
      st.apply(body);
      collect(st, out);
      collect_subspace_basis(st, out);
    };
    if (real)
      go(basic_subspace_state<Float>(c.num_qubits(), a.occupied, opt.memory));
    else
      go(basic_subspace_state<std::complex<Float>>(c.num_qubits(), a.occupied, opt.memory));
    return out;
  }
  const auto go = [&](auto st) {
    st.apply(run, opt.fusion);
    collect(st, out);
  };
  if (real)
    go(basic_statevector<Float>(c.num_qubits(), 0, opt.memory));
  else
    go(basic_statevector<std::complex<Float>>(c.num_qubits(), 0, opt.memory));
  return out;
}

}  // namespace detail

/// Exact outcome probabilities of a circuit run from |0...0>.
/// @throws circuit_error, dimension_error, data_error for bad circuits, parameters or sizes.
template <class Float = double>
probability_result simulate_probabilities(const circuit& c, std::span<const double> params,
                                          const simulation_options& opt = {}) {
  check_parameters(c, params, "simulate_probabilities");
  return detail::simulate_probabilities<Float>(detail::assume_validated(c, params), opt);
}

/// Sampled counts, keyed like probability_result entries.
struct counts_result {
  probability_result exact;  ///< the distribution the shots were drawn from
  std::uint64_t shots = 0;
  outcome_counts counts;  ///< (entry index into exact.values, count)
};

namespace detail {

/// simulate_counts on a validated circuit (see simulate_probabilities above).
template <class Float = double>
counts_result simulate_counts(const validated_circuit& run, std::uint64_t shots, std::uint64_t seed,
                              const simulation_options& opt = {}) {
  counts_result out;
  out.exact = simulate_probabilities<Float>(run, opt);
  out.shots = shots;
  out.counts = sample_outcomes(std::span<const double>(out.exact.values), shots, seed);
  return out;
}

}  // namespace detail

/// Draws `shots` measurement outcomes of a circuit with a seed.
/// @throws as simulate_probabilities (whose name its messages carry).
template <class Float = double>
counts_result simulate_counts(const circuit& c, std::span<const double> params, std::uint64_t shots,
                              std::uint64_t seed, const simulation_options& opt = {}) {
  check_parameters(c, params, "simulate_probabilities");
  return detail::simulate_counts<Float>(detail::assume_validated(c, params), shots, seed, opt);
}

/// Expectation of a diagonal observable sum_x w_x |x><x| given as basis-state weights.
inline double expectation(const probability_result& p, const std::map<basis_key, double>& w) {
  double e = 0;
  for (index_t i = 0; i < p.values.size(); ++i) {
    auto it = w.find(p.key_of(i));
    if (it != w.end()) e += it->second * p.values[i];
  }
  return e;
}

}  // namespace papillon
