#pragma once

/// @file
/// Parameter-shift rules derived from a gate's generator spectrum.
///
/// For U(theta) = exp(-i theta G), the expectation of any observable is a trigonometric
/// polynomial f(theta) = a_0 + sum_r [a_r cos(w_r theta) + b_r sin(w_r theta)] whose
/// frequencies w_r are the positive differences of G's eigenvalues. With D(s) = f(theta + s) -
/// f(theta - s) = 2 sum_r sin(w_r s) [b_r cos(w_r theta) - a_r sin(w_r theta)], a rule
/// df/dtheta = sum_m c_m D(s_m) is exact iff sum_m 2 c_m sin(w_r s_m) = w_r for every r. We take
/// R shifts s_m = m pi / (2 w_max), m = 1..R, and solve that R x R system:
///
///  spectrum            frequencies  rule
///  Pauli {-1/2, 1/2}   {1}          df = 1/2 [f(+pi/2) - f(-pi/2)]
///  RBS/FBS {-1, 0, 1}  {1, 2}       df = [f(+pi/4) - f(-pi/4)] - (sqrt2 - 1)/2 [f(+pi/2) -
///  f(-pi/2)] RBS, reduced        {2}          df = f(+pi/4) - f(-pi/4)
///
/// The reduced RBS rule holds when frequency 1 is absent: the observable seen by the gate
/// commutes with Z on both of its qubits (no non-diagonal operation on either qubit after the
/// gate, diagonal observable), because then it does not couple the eigenvalue-0 space
/// span{|00>, |11>} of G with the eigenvalue +-1 space span{|01>, |10>}.

#include <papillon/circuit/gate.hpp>
#include <papillon/error.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

namespace papillon {

/// One shift pair of a rule: contributes coefficient * [f(theta + shift) - f(theta - shift)].
struct shift_term {
  double shift = 0;
  double coefficient = 0;
};

/// A parameter-shift rule: df/dtheta = sum_m c_m [f(theta + s_m) - f(theta - s_m)].
struct shift_rule {
  std::vector<shift_term> terms;
  /// Number of circuit evaluations the rule needs (two per term).
  [[nodiscard]] std::size_t evaluations() const noexcept { return 2 * terms.size(); }
};

/// The positive differences of a spectrum's distinct eigenvalues, ascending.
inline std::vector<double> spectrum_frequencies(const generator_spectrum& s) {
  std::vector<double> f;
  for (unsigned i = 0; i < s.count; ++i)
    for (unsigned j = 0; j < s.count; ++j) {
      const double d = s.eigenvalues[j] - s.eigenvalues[i];
      if (d > 1e-12 &&
          std::none_of(f.begin(), f.end(), [d](double v) { return std::abs(v - d) < 1e-12; }))
        f.push_back(d);
    }
  std::sort(f.begin(), f.end());
  return f;
}

/// The exact shift rule for a trigonometric polynomial with the given positive frequencies.
/// @throws data_error if the list is empty or the system is singular.
inline shift_rule shift_rule_for_frequencies(const std::vector<double>& freqs) {
  if (freqs.empty())
    throw data_error("shift_rule_for_frequencies", "no frequencies: the gate has no generator");
  const auto r = static_cast<Eigen::Index>(freqs.size());
  constexpr double pi = std::numbers::pi;
  const double w_max = freqs.back();
  Eigen::MatrixXd a(r, r);
  Eigen::VectorXd rhs(r);
  std::vector<double> shifts(freqs.size());
  for (Eigen::Index m = 0; m < r; ++m) shifts[m] = double(m + 1) * pi / (2 * w_max);
  for (Eigen::Index i = 0; i < r; ++i) {
    rhs[i] = freqs[i];
    for (Eigen::Index m = 0; m < r; ++m) a(i, m) = 2 * std::sin(freqs[i] * shifts[m]);
  }
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
  if (!lu.isInvertible())
    throw data_error("shift_rule_for_frequencies", "no shift rule for these frequencies",
                     std::to_string(freqs.size()) + " frequencies");
  const Eigen::VectorXd c = lu.solve(rhs);
  shift_rule out;
  for (Eigen::Index m = 0; m < r; ++m) out.terms.push_back({shifts[m], c[m]});
  return out;
}

/// The general rule of a rotation gate, from its generator spectrum: two terms (+-pi/2) for
/// Pauli rotations, four (+-pi/4, +-pi/2) for RBS and FBS.
/// @throws data_error if the gate takes no angle.
inline shift_rule shift_rule_for(gate_kind k) {
  if (!traits(k).rotation)
    throw data_error("shift_rule_for", "gate takes no angle", std::string(gate_name(k)));
  return shift_rule_for_frequencies(spectrum_frequencies(traits(k).spectrum));
}

/// The reduced two-term RBS/FBS rule df = f(+pi/4) - f(-pi/4), exact only when the gate's
/// frequency-1 component vanishes (see the file comment).
inline shift_rule reduced_rbs_rule() { return shift_rule_for_frequencies({2.0}); }

}  // namespace papillon
