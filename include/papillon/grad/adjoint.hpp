#pragma once

/// @file
/// Adjoint (reverse-mode) differentiation on the simulator, and the vector-Jacobian product
/// through the output probabilities.
///
/// With psi_k the state after operation k and f = <psi_N|W|psi_N> for a diagonal W,
/// df/dtheta_k = 2 Re <lambda_k| (-i G_k) |psi_k>, lambda_k = U_{k+1}^dagger ... U_N^dagger W
/// psi_N. One forward pass gives psi_N; the backward sweep uncomputes psi and lambda gate by gate
/// and, at every differentiated gate, applies -i G_k to a copy of psi: about three forward passes
/// in all, whatever the number of parameters. -i G_k is applied with the gate's own kernel: Pauli
/// rotations: -i G = U(pi) / 2; RBS/FBS: -i G = U(pi/2) restricted to the |01>, |10> block of its
/// pair (U(pi/2) is the identity on |00>, |11>, where G vanishes).
///
/// Representations follow simulate_probabilities: the weight-k subspace (weight 1 up to 4096
/// qubits, with O(1) work per RBS) or the full state, with real amplitudes when every gate is
/// real. A real circuit in the weight-1 subspace is a unary circuit, and its sweep is
/// unary_program::backward (circuit/unary.hpp) on one sample: the same code as the quantum
/// layer's exact backward pass.

#include <papillon/circuit/unary.hpp>
#include <papillon/grad/gradient_options.hpp>
#include <papillon/grad/gradient_result.hpp>
#include <papillon/grad/observable.hpp>
#include <papillon/grad/occurrences.hpp>
#include <papillon/sim/simulator.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace papillon {

/// The outcome of a vector-Jacobian product.
struct vjp_result {
  /// The forward probabilities (layout of simulate_probabilities under the same options).
  probability_result probabilities;
  /// sum_x dL/dp_x * dp_x/dparams_j for every parameter j.
  std::vector<double> gradient;
};

namespace detail {

/// The operation with its angle bound as a constant.
inline operation bound_operation(const operation& op, double theta) {
  operation b = op;
  b.param.reset();
  b.theta = theta;
  return b;
}

template <class Vec>
double re_dot(const Vec& l, const Vec& m) {
  if constexpr (is_complex_v<typename Vec::Scalar>)
    return double(l.dot(m).real());
  else
    return double(l.dot(m));
}

template <class Scalar>
double re_inner(const Scalar& l, const Scalar& m) {
  if constexpr (is_complex_v<Scalar>)
    return (std::conj(l) * m).real();
  else
    return double(l * m);
}

/// What the backward sweep needs from a representation.
struct adjoint_work {
  std::span<const double> params;
  const std::vector<std::uint8_t>* wanted = nullptr;  // per parameter
  std::vector<double>* gradient = nullptr;            // per parameter
};

template <class Scalar>
void adjoint_full(const circuit& c, const Eigen::VectorXd& w, const adjoint_work& work,
                  const memory_options& mem, probability_result& probs) {
  using F = real_of_t<Scalar>;
  const index_t n = c.num_qubits();
  basic_statevector<Scalar> psi(n, 0, mem);
  psi.apply(c, work.params);
  probs.qubits = n;
  probs.mode = simulation_mode::full;
  collect(psi, probs);
  auto& a = psi.amplitudes();
  using vec = typename basic_statevector<Scalar>::vector_type;
  vec lam = a.cwiseProduct(w.cast<F>().template cast<Scalar>());
  vec mu(a.size());
  index_t first = c.size();
  for (index_t k = 0; k < c.size(); ++k)
    if (c[k].param && (*work.wanted)[c[k].param->index]) {
      first = k;
      break;
    }
  for (index_t k = c.size(); k-- > first;) {
    const operation& op = c[k];
    const double theta = op.angle(work.params);
    if (op.param && (*work.wanted)[op.param->index]) {
      mu = a;
      const bool rbs_like = op.kind == gate_kind::rbs || op.kind == gate_kind::fbs;
      apply_operation(mu.data(), n, op, rbs_like ? std::numbers::pi / 2 : std::numbers::pi);
      double g;
      if (rbs_like) {
        const F d[4] = {F(0), F(1), F(1), F(0)};
        apply_diagonal_2q(mu.data(), n, op.qubits[0], op.qubits[1], d);
        g = 2 * re_dot(lam, mu);
      } else {
        g = re_dot(lam, mu);  // 2 Re <lam| U(pi)/2 |psi>
      }
      (*work.gradient)[op.param->index] += op.param->scale * g;
    }
    if (k == first) break;
    const operation inv = circuit::invert(bound_operation(op, theta));
    apply_operation(a.data(), n, inv, inv.theta);
    apply_operation(lam.data(), n, inv, inv.theta);
  }
}

template <class Scalar>
void adjoint_subspace(const circuit& c, const subspace_analysis& sub,
                      const diagonal_observable* obs, std::span<const double> dl_dp,
                      const adjoint_work& work, const memory_options& mem,
                      probability_result& probs) {
  const index_t n = c.num_qubits();
  basic_subspace_state<Scalar> psi(n, sub.occupied, mem);
  for (index_t k = sub.prefix_length; k < c.size(); ++k)
    psi.apply(bound_operation(c[k], c[k].angle(work.params)));
  probs.qubits = n;
  probs.mode = simulation_mode::subspace;
  probs.weight = sub.weight;
  collect(psi, probs);
  collect_subspace_basis(psi, probs);
  const index_t size = psi.size();
  const bool masks = n <= max_basis_qubits;
  Eigen::VectorXd w(static_cast<Eigen::Index>(size));
  for (index_t r = 0; r < size; ++r)
    w[static_cast<Eigen::Index>(r)] = obs ? (sub.weight == 1 ? obs->unary_weight_of(r)
                                             : masks         ? obs->weight_of(psi.basis_of(r))
                                                     : obs->weight_of(probs.wide_subspace_basis[r]))
                                          : dl_dp[r];
  using F = real_of_t<Scalar>;
  basic_subspace_state<Scalar> lam = psi;
  lam.amplitudes() = psi.amplitudes().cwiseProduct(w.cast<F>().template cast<Scalar>());
  std::optional<basic_subspace_state<Scalar>> mu;
  index_t first = c.size();
  for (index_t k = sub.prefix_length; k < c.size(); ++k)
    if (c[k].param && (*work.wanted)[c[k].param->index]) {
      first = k;
      break;
    }
  auto& a = psi.amplitudes();
  auto& l = lam.amplitudes();
  for (index_t k = c.size(); k-- > first;) {
    const operation& op = c[k];
    const double theta = op.angle(work.params);
    if (op.param && (*work.wanted)[op.param->index]) {
      const bool rbs_like = op.kind == gate_kind::rbs || op.kind == gate_kind::fbs;
      double g = 0;
      if (rbs_like && sub.weight == 1) {
        // -iG on (x_a, x_b) is [[0, -1], [1, 0]]: O(1) per gate.
        const auto qa = static_cast<Eigen::Index>(op.qubits[0]);
        const auto qb = static_cast<Eigen::Index>(op.qubits[1]);
        g = 2 * (re_inner(l[qa], Scalar(-a[qb])) + re_inner(l[qb], a[qa]));
      } else {
        if (!mu) mu.emplace(psi);
        mu->amplitudes() = a;
        mu->apply(bound_operation(op, rbs_like ? std::numbers::pi / 2 : std::numbers::pi));
        auto& m = mu->amplitudes();
        if (rbs_like) {
          // Keep only the states with exactly one of the gate's qubits set.
          const index_t qa = op.qubits[0], qb = op.qubits[1];
          for (index_t r = 0; r < size; ++r) {
            bool has_a, has_b;
            if (masks) {
              const basis_state s = psi.basis_of(r);
              has_a = ((s >> qa) & 1U) != 0;
              has_b = ((s >> qb) & 1U) != 0;
            } else {
              const basis_key& key = probs.wide_subspace_basis[r];
              has_a = key.test(qa);
              has_b = key.test(qb);
            }
            if (has_a == has_b) m[static_cast<Eigen::Index>(r)] = Scalar(0);
          }
          g = 2 * re_dot(l, m);
        } else {
          g = re_dot(l, m);
        }
      }
      (*work.gradient)[op.param->index] += op.param->scale * g;
    }
    if (k == first) break;
    const operation inv = circuit::invert(bound_operation(op, theta));
    psi.apply(inv);
    lam.apply(inv);
  }
}

/// A real circuit in the weight-1 subspace: psi is the unary vector (one sample of a
/// unary_program), lambda = W psi, and dL/dpsi = 2 lambda is what unary_program::backward
/// sweeps back.
inline void adjoint_unary(const circuit& c, const subspace_analysis& sub,
                          const diagonal_observable* obs, std::span<const double> dl_dp,
                          const adjoint_work& work, probability_result& probs,
                          std::string_view where) {
  const index_t n = c.num_qubits();
  const auto dim = static_cast<Eigen::Index>(n);
  const unary_program u(c, work.params, {.first_operation = sub.prefix_length, .caller = where});
  Eigen::MatrixXd psi = Eigen::MatrixXd::Zero(1, dim);
  psi(0, static_cast<Eigen::Index>(sub.occupied.front())) = 1.0;
  u.apply(psi);
  probs.qubits = n;
  probs.mode = simulation_mode::subspace;
  probs.weight = 1;
  probs.values.resize(n);
  Eigen::MatrixXd g(1, dim);
  for (Eigen::Index i = 0; i < dim; ++i) {
    const double a = psi(0, i);
    probs.values[static_cast<std::size_t>(i)] = a * a;
    const double w =
        obs ? obs->unary_weight_of(static_cast<index_t>(i)) : dl_dp[static_cast<std::size_t>(i)];
    g(0, i) = 2 * w * a;
  }
  u.backward(psi, g, *work.gradient, {.wanted = *work.wanted, .input_gradient = false});
}

/// Runs the adjoint sweep in the representation simulate_probabilities would pick. Exactly one
/// of obs and dl_dp is used (obs when non-null).
template <class Float = double>
void adjoint_dispatch(const circuit& c, std::span<const double> params,
                      const diagonal_observable* obs, std::span<const double> dl_dp,
                      const std::vector<std::uint8_t>& wanted, std::vector<double>& gradient,
                      const simulation_options& sim, probability_result& probs,
                      std::string_view where) {
  check_parameters(c, params, where);
  subspace_analysis sub;
  const simulation_mode mode = choose_mode(c, sim, &sub);
  const bool real = sim.real_fast_path && is_real_circuit(c);
  const adjoint_work work{params, &wanted, &gradient};
  if (mode == simulation_mode::subspace) {
    const index_t size = sub.weight == 1
                             ? c.num_qubits()
                             : static_cast<index_t>(binomial_saturated(c.num_qubits(), sub.weight));
    if (!obs && dl_dp.size() != size)
      throw dimension_error(where, "dL/dp length differs from the probability vector",
                            "got " + std::to_string(dl_dp.size()) + ", expected " +
                                std::to_string(size) + " (subspace of weight " +
                                std::to_string(sub.weight) + ")");
    if (real && sub.weight == 1)
      adjoint_unary(c, sub, obs, dl_dp, work, probs, where);
    else if (real)
      adjoint_subspace<Float>(c, sub, obs, dl_dp, work, sim.memory, probs);
    else
      adjoint_subspace<std::complex<Float>>(c, sub, obs, dl_dp, work, sim.memory, probs);
    return;
  }
  const index_t n = c.num_qubits();
  if (n > max_statevector_qubits)
    throw dimension_error(where, "too many qubits for a full state", std::to_string(n) + " qubits");
  const auto dim = static_cast<Eigen::Index>(basis_state{1} << n);
  Eigen::VectorXd w = Eigen::VectorXd::Zero(dim);
  if (obs) {
    for (const auto& [x, v] : obs->weights) w[static_cast<Eigen::Index>(x.mask())] += v;
    for (index_t i = 0; i < obs->unary.size(); ++i)
      w[static_cast<Eigen::Index>(basis_state{1} << i)] += obs->unary[i];
  } else {
    if (static_cast<Eigen::Index>(dl_dp.size()) != dim)
      throw dimension_error(where, "dL/dp length differs from the probability vector",
                            "got " + std::to_string(dl_dp.size()) + ", expected 2^" +
                                std::to_string(n) + " (full state)");
    for (Eigen::Index i = 0; i < dim; ++i) w[i] = dl_dp[static_cast<std::size_t>(i)];
  }
  if (real)
    adjoint_full<Float>(c, w, work, sim.memory, probs);
  else
    adjoint_full<std::complex<Float>>(c, w, work, sim.memory, probs);
}

}  // namespace detail

/// Adjoint gradient of f = sum_x w_x p_x with respect to the listed parameters, on the exact
/// simulator (no backend, no circuits: the ledger stays 0). Shots are not accepted.
/// @throws data_error if opt.shots > 0; dimension_error, circuit_error for bad inputs.
inline gradient_result adjoint_gradient(const circuit& c, std::span<const double> params,
                                        const diagonal_observable& obs,
                                        const gradient_options& opt = {}) {
  constexpr std::string_view where = "adjoint_gradient";
  if (opt.shots > 0)
    throw data_error(where, "the adjoint method is exact and takes no shots",
                     "shots = " + std::to_string(opt.shots));
  obs.check(c.num_qubits(), where);
  gradient_result out;
  out.method = gradient_method::adjoint;
  out.parameters = resolve_wrt(c, opt.wrt, where);
  std::vector<std::uint8_t> wanted(c.num_parameters(), 0);
  for (index_t p : out.parameters) wanted[p] = 1;
  std::vector<double> full(c.num_parameters(), 0.0);
  probability_result probs;
  detail::adjoint_dispatch(c, params, &obs, {}, wanted, full, opt.simulation, probs, where);
  for (index_t p : out.parameters) out.gradient.push_back(full[p]);
  double v = 0;
  for (index_t i = 0; i < probs.values.size(); ++i)
    v += probs.values[i] * (probs.mode == simulation_mode::subspace && probs.weight == 1
                                ? obs.unary_weight_of(i)
                                : obs.weight_of(probs.key_of(i)));
  out.value = opt.with_value ? v : std::numeric_limits<double>::quiet_NaN();
  return out;
}

/// Vector-Jacobian product through the output probabilities: given dL/dp for the probability
/// vector that simulate_probabilities(c, params, sim) returns (same layout: 2^n entries in full
/// mode, C(n, k) in rank order in subspace mode), returns dL/dparams for every parameter. This
/// is how a hybrid model back-propagates through the quantum layer.
/// @throws dimension_error if dl_dp has the wrong length; as simulate_probabilities otherwise.
inline vjp_result vector_jacobian_product(const circuit& c, std::span<const double> params,
                                          std::span<const double> dl_dp,
                                          const simulation_options& sim = {}) {
  vjp_result out;
  std::vector<std::uint8_t> wanted(c.num_parameters(), 1);
  out.gradient.assign(c.num_parameters(), 0.0);
  detail::adjoint_dispatch(c, params, nullptr, dl_dp, wanted, out.gradient, sim, out.probabilities,
                           "vector_jacobian_product");
  return out;
}

}  // namespace papillon
