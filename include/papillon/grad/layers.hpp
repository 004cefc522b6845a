#pragma once

/// @file
/// Commuting layers and the exactness of the parallel layer shift (docs/method.md 3.2-3.3).
///
/// A layer is a set of parameterised gates on pairwise disjoint qubits such that no other
/// operation touches a layer gate's qubits between the layer's first gate and that gate; the
/// layer's gates can therefore be moved to one time slice, where they commute.
///
/// Exactness condition proved here (for every gate k of the layer, on qubits P_k):
///  (A) every operation after gate k that touches a qubit of P_k is diagonal. Then the Z-basis
///      projectors on P_k commute with everything after gate k, so the outcome marginal of P_k
///      is that of U_k(theta_k) rho U_k(theta_k)^dagger, where rho, the state of P_k before the
///      layer, does not depend on the layer's angles (the layer condition above). The marginal
///      of P_k depends on theta_k alone.
///  (B) the objective splits into per-gate terms computable from those marginals:
///      - unary readout: the circuit runs in the weight-1 subspace (an X on one qubit, then only
///        weight-preserving gates). F_k = sum_{q in P_k} w(e_q) p(e_q) for any unary weights;
///        the probabilities of unary states outside the layer's qubits do not depend on the
///        layer's angles under (A), because weight-preserving gates never move amplitude between
///        them and the pairs once the pairs are only acted on diagonally.
///      - general weights (at most 20 qubits, checked over all 2^n states): w_x = w_0 +
///        sum_k g_k(bits of x on P_k), with no dependence on any other qubit (e.g. a sum of
///        single-qubit Z terms on the layer's qubits); F_k = sum_x p_x g_k(x|P_k).
/// Under (A) and (B), shifting every angle of the layer by the same s returns F_k(theta_k + s)
/// for every k at once, and each gate's shift rule applied to F_k gives df/dtheta_k.
/// When (A) fails the same computation is only approximate (approximate mode); when (B) fails
/// there is no per-gate split and the parallel shift refuses even in approximate mode.

#include <papillon/circuit/circuit.hpp>
#include <papillon/grad/observable.hpp>
#include <papillon/sim/simulator.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace papillon {

/// A commuting layer: operation positions, ascending, on pairwise disjoint qubits.
struct shift_layer {
  std::vector<index_t> positions;
};

/// Groups the operations at `positions` (ascending) into commuting layers, in circuit order.
/// A new layer starts when an operation's qubits meet a qubit touched by any operation since
/// the current layer's first gate.
inline std::vector<shift_layer> find_commuting_layers(const circuit& c,
                                                      std::span<const index_t> positions) {
  std::vector<shift_layer> out;
  std::vector<char> touched(c.num_qubits(), 0);
  std::vector<index_t> touched_list;
  std::size_t next = 0;
  bool open = false;
  for (index_t i = 0; i < c.size() && next < positions.size(); ++i) {
    const operation& op = c[i];
    const unsigned ar = op.arity();
    if (positions[next] == i) {
      ++next;
      bool clash = false;
      for (unsigned j = 0; j < ar; ++j) clash = clash || touched[op.qubits[j]] != 0;
      if (!open || clash) {
        for (index_t q : touched_list) touched[q] = 0;
        touched_list.clear();
        out.emplace_back();
        open = true;
      }
      out.back().positions.push_back(i);
    }
    if (open)
      for (unsigned j = 0; j < ar; ++j)
        if (!touched[op.qubits[j]]) {
          touched[op.qubits[j]] = 1;
          touched_list.push_back(op.qubits[j]);
        }
  }
  return out;
}

/// Whether the parallel shift of one layer is exact, and how its objective splits per gate.
struct parallel_exactness {
  bool exact = false;          ///< conditions (A) and (B) hold
  bool splits = false;         ///< condition (B) holds: the shift can run (approximately if !exact)
  bool unary_readout = false;  ///< (B) through the weight-1 subspace
  std::string reason;          ///< why not exact, when not
  /// General readout: g[k][local] for layer gate k, local = 2 bit_a + bit_b (one-qubit: bit_a).
  std::vector<std::array<double, 4>> terms;
};

namespace detail {

inline std::string describe_operation(const circuit& c, index_t i) {
  const operation& op = c[i];
  std::string s = "operation " + std::to_string(i) + " (" + std::string(gate_name(op.kind)) +
                  " on qubit" + (op.arity() == 2 ? "s " : " ") + std::to_string(op.qubits[0]);
  if (op.arity() == 2) s += "," + std::to_string(op.qubits[1]);
  return s + ")";
}

/// For every qubit, the position of the last non-diagonal operation on it (or none).
inline std::vector<std::ptrdiff_t> last_non_diagonal(const circuit& c) {
  std::vector<std::ptrdiff_t> last(c.num_qubits(), -1);
  for (index_t i = 0; i < c.size(); ++i)
    if (!traits(c[i].kind).diagonal)
      for (unsigned j = 0; j < c[i].arity(); ++j)
        last[c[i].qubits[j]] = static_cast<std::ptrdiff_t>(i);
  return last;
}

inline unsigned local_bits(const operation& op, const basis_key& x) {
  const auto bit = [&x](index_t q) { return x.test(q) ? 1U : 0U; };
  return op.arity() == 2 ? 2U * bit(op.qubits[0]) + bit(op.qubits[1]) : bit(op.qubits[0]);
}

}  // namespace detail

/// Checks conditions (A) and (B) for one layer of a circuit under an observable.
inline parallel_exactness check_parallel_exactness(const circuit& c, const shift_layer& layer,
                                                   const diagonal_observable& obs) {
  parallel_exactness out;
  // (B): how the objective splits.
  const subspace_analysis sub = analyze_subspace(c);
  if (sub.possible && sub.weight == 1) {
    out.splits = true;
    out.unary_readout = true;
  } else if (c.num_qubits() > 20) {
    out.reason =
        "the circuit leaves the weight-1 subspace and has more than 20 qubits, so the "
        "engine cannot prove the observable splits per layer gate";
  } else {
    const basis_state dim = basis_state{1} << c.num_qubits();
    const double w0 = obs.weight_of(0);
    out.terms.resize(layer.positions.size());
    for (std::size_t k = 0; k < layer.positions.size(); ++k) {
      const operation& op = c[layer.positions[k]];
      for (unsigned local = 0; local < (op.arity() == 2 ? 4U : 2U); ++local) {
        basis_state x = 0;
        if (op.arity() == 2) {
          if (local & 2U) x |= basis_state{1} << op.qubits[0];
          if (local & 1U) x |= basis_state{1} << op.qubits[1];
        } else if (local & 1U) {
          x |= basis_state{1} << op.qubits[0];
        }
        out.terms[k][local] = obs.weight_of(x) - w0;
      }
    }
    out.splits = true;
    for (basis_state x = 0; x < dim && out.splits; ++x) {
      double model = w0;
      for (std::size_t k = 0; k < layer.positions.size(); ++k)
        model += out.terms[k][detail::local_bits(c[layer.positions[k]], x)];
      if (std::abs(model - obs.weight_of(x)) > 1e-12 * (1 + std::abs(model))) {
        out.splits = false;
        out.reason =
            "the observable is not a sum of terms each on one layer gate's qubits "
            "(basis state " +
            std::to_string(x) + " breaks it) and the circuit leaves the weight-1 subspace";
      }
    }
  }
  if (!out.splits) return out;
  // (A): only diagonal operations after each layer gate on its qubits.
  const auto last = detail::last_non_diagonal(c);
  for (index_t pos : layer.positions) {
    const operation& op = c[pos];
    for (unsigned j = 0; j < op.arity(); ++j) {
      const std::ptrdiff_t l = last[op.qubits[j]];
      if (l > static_cast<std::ptrdiff_t>(pos)) {
        out.reason = detail::describe_operation(c, static_cast<index_t>(l)) +
                     " is not diagonal and follows layer gate " +
                     detail::describe_operation(c, pos) + " on qubit " +
                     std::to_string(op.qubits[j]) +
                     ": the layer is not the trailing block (docs/method.md 3.3)";
        return out;
      }
    }
  }
  out.exact = true;
  return out;
}

namespace detail {

/// F_k: the part of the objective carried by layer gate k, from a backend result.
inline double layer_term(const parallel_exactness& ex, const operation& op, std::size_t k,
                         const diagonal_observable& obs, const run_result& r) {
  const auto& dist = r.probabilities;
  double f = 0;
  if (ex.unary_readout) {
    for (unsigned j = 0; j < op.arity(); ++j) {
      const index_t q = op.qubits[j];
      if (auto it = dist.find(basis_key::unary(q)); it != dist.end())
        f += obs.unary_weight_of(q) * it->second;
    }
    return f;
  }
  for (const auto& [x, p] : dist) f += p * ex.terms[k][local_bits(op, x)];
  return f;
}

}  // namespace detail

}  // namespace papillon
