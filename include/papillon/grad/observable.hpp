#pragma once

/// @file
/// The objective of the gradient engine: a diagonal observable sum_x w_x |x><x|, so that
/// f(params) = sum_x w_x p_x(params). Weights are given per basis state and, for unary readout,
/// per unary state e_i (any qubit count for both).

#include <papillon/backend/backend.hpp>
#include <papillon/core/basis_key.hpp>
#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace papillon {

/// A diagonal observable given by weights. The weight of basis state x is
/// `weights[x]` (0 when absent) plus, when x is the unary state e_i, `unary[i]` (0 when i is
/// beyond the vector).
struct diagonal_observable {
  /// Weights keyed by basis state (bit i = qubit i).
  std::map<basis_key, double> weights;
  /// Weights of the unary states e_0, e_1, ... (added to `weights`).
  std::vector<double> unary;

  /// The observable with weights w_i on e_i: f = sum_i w_i p(e_i).
  static diagonal_observable from_unary(std::vector<double> w) {
    diagonal_observable o;
    o.unary = std::move(w);
    return o;
  }

  /// The weight of basis state x.
  [[nodiscard]] double weight_of(const basis_key& x) const {
    if (x.weight() == 1) return unary_weight_of(x.lowest());
    auto it = weights.find(x);
    return it == weights.end() ? 0.0 : it->second;
  }

  /// The weight of the unary state e_i, for any i.
  [[nodiscard]] double unary_weight_of(index_t i) const {
    double w = i < unary.size() ? unary[i] : 0.0;
    if (weights.empty()) return w;  // no key to build (e_i of a wide register allocates)
    if (auto it = weights.find(basis_key::unary(i)); it != weights.end()) w += it->second;
    return w;
  }

  /// sum_x w_x p_x over a distribution.
  [[nodiscard]] double expectation(const std::map<basis_key, double>& probabilities) const {
    double e = 0;
    for (const auto& [x, p] : probabilities) e += weight_of(x) * p;
    return e;
  }

  /// sum_x w_x p_x over a backend result's probabilities (exact, or the shots' frequencies).
  [[nodiscard]] double expectation(const run_result& r) const {
    return expectation(r.probabilities);
  }

  /// Checks that every weight names a state of an n-qubit register.
  /// @throws dimension_error naming the first basis state or unary index out of range.
  void check(index_t num_qubits, std::string_view where) const {
    for (const auto& [x, w] : weights)
      if (!x.within(num_qubits))
        throw dimension_error(
            where, "observable weight on a basis state beyond the qubits",
            "state " + x.decimal_label() + ", " + std::to_string(num_qubits) + " qubits");
    if (unary.size() > num_qubits)
      throw dimension_error(where, "more unary weights than qubits",
                            std::to_string(unary.size()) + " > " + std::to_string(num_qubits));
  }
};

}  // namespace papillon
