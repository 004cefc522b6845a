#pragma once

/// @file
/// Reading unary outputs (docs/method.md 2.5).
///
/// - unary_probabilities(): p_i = counts(e_i) / sum_j counts(e_j) after Hamming-weight-1
///   post-selection, the group's hardware readout and main error mitigation. It estimates y_i^2
///   for the output y = W x.
/// - sign_readout_circuit() + signed_amplitudes(): the ancilla reference-state circuit. Data
///   qubits 0..n-1, ancilla n. It prepares (|0>|y> + |1>|u>)/sqrt2 with u = (1, ..., 1)/sqrt n
///   and ends with H on the ancilla, so P(0, e_j) = (y_j + u_j)^2 / 4 and
///   P(1, e_j) = (y_j - u_j)^2 / 4, hence y_j = sqrt(n) (P(0, e_j) - P(1, e_j)), signs included.
///
/// Basis states are little-endian (bit i = qubit i): e_j is 2^j and "ancilla 1, data e_j" is
/// 2^n + 2^j.

#include <papillon/backend/backend.hpp>
#include <papillon/error.hpp>
#include <papillon/readout/post_selection.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace papillon {

/// A unary readout: one value per data qubit, and how much survived post-selection.
struct readout_result {
  std::vector<double> values;     ///< p_i (unary_probabilities) or y_i (signed_amplitudes)
  double kept_fraction = 0.0;     ///< fraction of shots (or probability mass) kept
  std::uint64_t kept_shots = 0;   ///< shots kept (0 for exact probabilities)
  std::uint64_t total_shots = 0;  ///< shots before post-selection (0 for exact probabilities)
  bool operator==(const readout_result&) const = default;
};

/// Post-selects shots on Hamming weight 1 over n qubits and returns p_i = counts(e_i) / kept.
/// Any register width.
/// @throws dimension_error if n is 0 or an outcome has a qubit at or above n; data_error if no
///         shot has weight 1.
readout_result unary_probabilities(const std::map<basis_key, std::uint64_t>& counts, index_t n);

/// Same on exact probabilities: p_i = P(e_i) / sum_j P(e_j).
/// @throws as the counts overload (data_error when the weight-1 mass is 0).
readout_result unary_probabilities(const std::map<basis_key, double>& probabilities, index_t n);

/// From a backend result: its counts when it drew shots, else its exact probabilities.
readout_result unary_probabilities(const run_result& r, index_t n);

/// y_j = sqrt(n) (P(0, e_j) - P(1, e_j)) from the counts of sign_readout_circuit() over n data
/// qubits plus the ancilla (qubit n); shots whose data part is not of weight 1 are dropped and
/// the rest renormalised. Any register width.
/// @throws dimension_error if n is 0 or an outcome has a qubit above n; data_error if no shot
///         survives.
readout_result signed_amplitudes(const std::map<basis_key, std::uint64_t>& counts, index_t n);

/// Same on exact probabilities.
readout_result signed_amplitudes(const std::map<basis_key, double>& probabilities, index_t n);

/// From a backend result, as unary_probabilities(const run_result&, index_t).
readout_result signed_amplitudes(const run_result& r, index_t n);

/// Signed amplitudes from the unary probabilities of the base circuit (p_i = y_i^2) and of its
/// two neighbour_sign_circuit() variants (parity 0 and 1), all of length n. The global sign is
/// fixed by making the first non-zero entry positive. Each relative sign picks the hypothesis
/// (same or opposite sign as the left neighbour) closer to the measured p'_{i+1}.
/// @note A zero entry y_i carries no information about the relative sign of its neighbours;
///       the entry after it is then taken positive.
/// @throws dimension_error if the three vectors differ in length or are empty.
std::vector<double> neighbour_signed_amplitudes(std::span<const double> p,
                                                std::span<const double> p_even,
                                                std::span<const double> p_odd);

// ---- Definitions -------------------------------------------------------------------------------

namespace detail {

/// Shared body: post-selects the outcomes whose data part (qubits below n) has weight 1 and
/// lets `accumulate(values, outcome, weight)` add each. Outcomes live on `bits` qubits.
template <class Weight, class Accumulate>
readout_result unary_readout(const std::map<basis_key, Weight>& m, index_t n, index_t bits,
                             std::string_view where, Accumulate accumulate) {
  if (n == 0) throw dimension_error(where, "qubit count must be at least 1", "n = 0");
  readout_result out;
  out.values.assign(n, 0.0);
  double kept = 0, total = 0;
  for (const auto& [s, w] : m) {
    if (!s.within(bits))
      throw dimension_error(
          where, "outcome has a bit beyond the measured qubits",
          "outcome " + s.decimal_label() + ", " + std::to_string(bits) + " qubits");
    total += static_cast<double>(w);
    if (s.weight_below(n) != 1) continue;
    kept += static_cast<double>(w);
    accumulate(out.values, s, static_cast<double>(w));
  }
  if (kept <= 0)
    throw data_error(where, "nothing survived Hamming-weight-1 post-selection",
                     "total " + std::to_string(total));
  for (double& v : out.values) v /= kept;
  out.kept_fraction = kept / total;
  return out;
}

inline void add_probability(std::vector<double>& v, const basis_key& s, double w) {
  v[s.lowest()] += w;
}

/// P(0, e_j) adds, P(1, e_j) subtracts; the sqrt(n) factor is applied by the caller. The data
/// part has weight 1 and the ancilla (qubit n) is the highest qubit, so the lowest set qubit is
/// the data qubit.
inline auto signed_accumulator(index_t n) {
  return [n](std::vector<double>& v, const basis_key& s, double w) {
    v[s.lowest()] += s.test(n) ? -w : w;
  };
}

template <class Weight>
readout_result signed_from(const std::map<basis_key, Weight>& m, index_t n) {
  if (n == 0)
    throw dimension_error("signed_amplitudes", "data qubit count must be at least 1", "n = 0");
  readout_result r = unary_readout(m, n, n + 1, "signed_amplitudes", signed_accumulator(n));
  const double root_n = std::sqrt(static_cast<double>(n));
  for (double& v : r.values) v *= root_n;
  return r;
}

}  // namespace detail

inline readout_result unary_probabilities(const std::map<basis_key, std::uint64_t>& counts,
                                          index_t n) {
  readout_result r =
      detail::unary_readout(counts, n, n, "unary_probabilities", detail::add_probability);
  // Shot totals through the backend's post-selection rule, so both count alike.
  const auto ps = post_select_weight(counts, 1);
  r.kept_shots = ps.kept;
  r.total_shots = ps.total;
  return r;
}

inline readout_result unary_probabilities(const std::map<basis_key, double>& probabilities,
                                          index_t n) {
  return detail::unary_readout(probabilities, n, n, "unary_probabilities", detail::add_probability);
}

inline readout_result unary_probabilities(const run_result& r, index_t n) {
  return r.shots > 0 ? unary_probabilities(r.counts, n) : unary_probabilities(r.probabilities, n);
}

inline readout_result signed_amplitudes(const std::map<basis_key, std::uint64_t>& counts,
                                        index_t n) {
  readout_result r = detail::signed_from(counts, n);
  for (const auto& [s, c] : counts) {
    r.total_shots += c;
    if (s.weight_below(n) == 1) r.kept_shots += c;
  }
  return r;
}

inline readout_result signed_amplitudes(const std::map<basis_key, double>& probabilities,
                                        index_t n) {
  return detail::signed_from(probabilities, n);
}

inline readout_result signed_amplitudes(const run_result& r, index_t n) {
  return r.shots > 0 ? signed_amplitudes(r.counts, n) : signed_amplitudes(r.probabilities, n);
}

inline std::vector<double> neighbour_signed_amplitudes(std::span<const double> p,
                                                       std::span<const double> p_even,
                                                       std::span<const double> p_odd) {
  const index_t n = p.size();
  if (n == 0 || p_even.size() != n || p_odd.size() != n)
    throw dimension_error("neighbour_signed_amplitudes", "probability vectors differ in length",
                          std::to_string(n) + ", " + std::to_string(p_even.size()) + ", " +
                              std::to_string(p_odd.size()));
  std::vector<double> y(n);
  for (index_t i = 0; i < n; ++i) y[i] = std::sqrt(std::max(0.0, p[i]));
  // Left to right: y[i] is already signed, y[i+1] is still a magnitude m.
  for (index_t i = 0; i + 1 < n; ++i) {
    const double measured = (i % 2 == 0 ? p_even : p_odd)[i + 1];
    const double m = y[i + 1];
    const double if_positive = 0.5 * (y[i] + m) * (y[i] + m);
    const double if_negative = 0.5 * (y[i] - m) * (y[i] - m);
    // With y[i] = 0 both predictions agree and the sign stays positive.
    if (std::abs(measured - if_negative) < std::abs(measured - if_positive)) y[i + 1] = -m;
  }
  // y_0 was taken positive; make the first non-zero entry positive.
  for (double v : y)
    if (v != 0.0) {
      if (v < 0)
        for (double& w : y) w = -w;
      break;
    }
  return y;
}

}  // namespace papillon
