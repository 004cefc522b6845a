#pragma once

/// @file
/// The objective of the gradient engine: a diagonal observable sum_x w_x |x><x|, so that
/// f(params) = sum_x w_x p_x(params). Weights are given per basis state (on the first 64
/// qubits) and, for unary readout on any qubit count, per unary state e_i.

#include <papillon/backend/backend.hpp>
#include <papillon/core/types.hpp>
#include <papillon/core/wide_basis_state.hpp>
#include <papillon/error.hpp>

#include <bit>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace papillon {

/// A diagonal observable given by weights. The weight of basis state x is
/// `weights[x]` (0 when absent) plus, when x is the unary state e_i, `unary[i]` (0 when i is
/// beyond the vector). Unary weights reach qubits beyond 64, where basis_state cannot.
struct diagonal_observable {
  /// Weights keyed by basis state (bit i = qubit i).
  std::map<basis_state, double> weights;
  /// Weights of the unary states e_0, e_1, ... (added to `weights`).
  std::vector<double> unary;

  /// The observable with weights w_i on e_i: f = sum_i w_i p(e_i).
  static diagonal_observable from_unary(std::vector<double> w) {
    diagonal_observable o;
    o.unary = std::move(w);
    return o;
  }

  /// The weight of basis state x.
  [[nodiscard]] double weight_of(basis_state x) const {
    double w = 0;
    if (auto it = weights.find(x); it != weights.end()) w += it->second;
    if (x != 0 && (x & (x - 1)) == 0) {
      const auto i = static_cast<index_t>(std::countr_zero(x));
      if (i < unary.size()) w += unary[i];
    }
    return w;
  }

  /// The weight of the unary state e_i, for any i.
  [[nodiscard]] double unary_weight_of(index_t i) const {
    double w = i < unary.size() ? unary[i] : 0.0;
    if (i < max_basis_qubits) {
      if (auto it = weights.find(basis_state{1} << i); it != weights.end()) w += it->second;
    }
    return w;
  }

  /// The weight of a basis state of any width (basis-state weights reach its first 64 qubits).
  [[nodiscard]] double weight_of(const wide_basis_state& x) const {
    if (x.size() == 1) return unary_weight_of(x.front());
    const auto narrow = to_narrow(x);
    if (!narrow) return 0.0;
    auto it = weights.find(*narrow);
    return it == weights.end() ? 0.0 : it->second;
  }

  /// sum_x w_x p_x over a distribution keyed by basis state.
  [[nodiscard]] double expectation(const std::map<basis_state, double>& probabilities) const {
    double e = 0;
    for (const auto& [x, p] : probabilities) e += weight_of(x) * p;
    return e;
  }

  /// sum_x w_x p_x over a distribution keyed by wide basis state.
  [[nodiscard]] double expectation(const std::map<wide_basis_state, double>& probabilities) const {
    double e = 0;
    for (const auto& [x, p] : probabilities) e += weight_of(x) * p;
    return e;
  }

  /// sum_x w_x p_x over a backend result's probabilities (exact, or the shots' frequencies),
  /// whichever keys it uses.
  [[nodiscard]] double expectation(const run_result& r) const {
    return r.wide() ? expectation(r.wide_probabilities) : expectation(r.probabilities);
  }

  /// Checks that every weight names a state of an n-qubit register.
  /// @throws dimension_error naming the first basis state or unary index out of range.
  void check(index_t num_qubits, std::string_view where) const {
    for (const auto& [x, w] : weights)
      if (num_qubits < 64 && (x >> num_qubits) != 0)
        throw dimension_error(
            where, "observable weight on a basis state beyond the qubits",
            "state " + std::to_string(x) + ", " + std::to_string(num_qubits) + " qubits");
    if (unary.size() > num_qubits)
      throw dimension_error(where, "more unary weights than qubits",
                            std::to_string(unary.size()) + " > " + std::to_string(num_qubits));
  }
};

}  // namespace papillon
