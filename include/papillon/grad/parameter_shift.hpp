#pragma once

/// @file
/// Parameter-shift gradients on any backend: the serial rule (every gate occurrence shifted on
/// its own) and the parallel layer shift (every gate of a commuting layer shifted together,
/// docs/method.md 3.2). All circuits of one call go to the backend in one run_batch call (or in
/// parts of gradient_options::max_batch_circuits); they
/// share one expanded circuit (see occurrences.hpp) and differ only in their angle vectors.

#include <papillon/backend/backend.hpp>
#include <papillon/backend/run_in_parts.hpp>
#include <papillon/grad/gradient_options.hpp>
#include <papillon/grad/gradient_result.hpp>
#include <papillon/grad/layers.hpp>
#include <papillon/grad/observable.hpp>
#include <papillon/grad/occurrences.hpp>
#include <papillon/grad/shift_rule.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace papillon {

namespace detail {

/// The rule for one occurrence: the reduced RBS rule when asked for and proved exact.
inline shift_rule occurrence_rule(const operation& op, index_t position,
                                  const std::vector<std::ptrdiff_t>& last_non_diag,
                                  rbs_shift_rule choice) {
  const bool rbs_like = op.kind == gate_kind::rbs || op.kind == gate_kind::fbs;
  if (rbs_like && choice == rbs_shift_rule::automatic) {
    const auto p = static_cast<std::ptrdiff_t>(position);
    if (last_non_diag[op.qubits[0]] <= p && last_non_diag[op.qubits[1]] <= p)
      return reduced_rbs_rule();
  }
  return shift_rule_for(op.kind);
}

inline void check_backend_inputs(const circuit& c, const diagonal_observable& obs,
                                 std::string_view where) {
  obs.check(c.num_qubits(), where);
}

}  // namespace detail

/// Serial parameter-shift gradient of f = sum_x w_x p_x: one shift set per occurrence of every
/// listed parameter (four circuits per RBS/FBS, two per Pauli rotation or reduced RBS), chain
/// rule over occurrences and scales. One run_batch call unless opt.max_batch_circuits splits it.
/// @throws dimension_error, data_error for bad inputs; backend errors from the backend.
inline gradient_result shift_gradient(const circuit& c, std::span<const double> params,
                                      const diagonal_observable& obs, backend& b,
                                      const gradient_options& opt = {}) {
  constexpr std::string_view where = "shift_gradient";
  detail::check_backend_inputs(c, obs, where);
  const occurrence_expansion ex = expand_occurrences(c, params);
  gradient_result out;
  out.method = gradient_method::shift;
  out.parameters = resolve_wrt(c, opt.wrt, where);
  out.gradient.assign(out.parameters.size(), 0.0);
  std::vector<std::ptrdiff_t> slot_of_param(c.num_parameters(), -1);
  for (std::size_t i = 0; i < out.parameters.size(); ++i)
    slot_of_param[out.parameters[i]] = static_cast<std::ptrdiff_t>(i);

  const auto last = detail::last_non_diagonal(ex.expanded);
  struct planned {
    std::size_t occ;
    shift_rule rule;
    std::size_t first_task;
  };
  struct shifted {
    std::size_t occ;  // occurrence shifted (none for the value circuit)
    double delta;
  };
  std::vector<planned> plan;
  std::vector<shifted> shifts;  // one per circuit; angle vectors are built when sent
  for (std::size_t k = 0; k < ex.occurrences.size(); ++k) {
    const occurrence& o = ex.occurrences[k];
    if (slot_of_param[o.parameter] < 0) continue;
    const operation& op = ex.expanded[o.position];
    planned p{k, detail::occurrence_rule(op, o.position, last, opt.rbs_rule), shifts.size()};
    for (const shift_term& t : p.rule.terms)
      for (double sign : {1.0, -1.0}) shifts.push_back({k, sign * t.shift});
    plan.push_back(std::move(p));
  }
  if (opt.with_value) shifts.push_back({ex.occurrences.size(), 0.0});
  std::vector<double> values(shifts.size());
  run_in_parts(
      b, shifts.size(),
      [&](std::size_t i) {
        run_task task{&ex.expanded, ex.angles};
        if (shifts[i].occ < ex.occurrences.size()) task.params[shifts[i].occ] += shifts[i].delta;
        return task;
      },
      [&](std::size_t i, run_result&& r) { values[i] = obs.expectation(r); }, batch_of(opt), out.evaluations);

  for (const planned& p : plan) {
    double d = 0;
    std::size_t t = p.first_task;
    for (const shift_term& term : p.rule.terms) {
      d += term.coefficient * (values[t] - values[t + 1]);
      t += 2;
    }
    const occurrence& o = ex.occurrences[p.occ];
    out.gradient[static_cast<std::size_t>(slot_of_param[o.parameter])] += o.scale * d;
  }
  out.value = opt.with_value ? values.back() : std::numeric_limits<double>::quiet_NaN();
  return out;
}

/// Parallel layer shift: the listed parameters' occurrences are grouped into commuting layers
/// (find_commuting_layers) and every gate of a layer is shifted at once, so a layer costs as
/// many circuits as its longest rule has shifts: 4 (RBS/FBS), or 2 (Pauli rotations, or RBS
/// with rbs_shift_rule::automatic, which is always exact where the parallel shift is), whatever
/// its width. Every layer must satisfy check_parallel_exactness; a layer that only fails
/// condition (A) runs anyway when opt.allow_approximate is set, and the result says so.
/// @throws circuit_error saying why, when a layer is not exact and approximate mode is off, or
///         when the objective does not split per gate; other errors as shift_gradient.
inline gradient_result parallel_shift_gradient(const circuit& c, std::span<const double> params,
                                               const diagonal_observable& obs, backend& b,
                                               const gradient_options& opt = {}) {
  constexpr std::string_view where = "parallel_shift_gradient";
  detail::check_backend_inputs(c, obs, where);
  const occurrence_expansion ex = expand_occurrences(c, params);
  gradient_result out;
  out.method = gradient_method::parallel;
  out.parameters = resolve_wrt(c, opt.wrt, where);
  out.gradient.assign(out.parameters.size(), 0.0);
  std::vector<std::ptrdiff_t> slot_of_param(c.num_parameters(), -1);
  for (std::size_t i = 0; i < out.parameters.size(); ++i)
    slot_of_param[out.parameters[i]] = static_cast<std::ptrdiff_t>(i);

  std::vector<index_t> positions;
  for (const occurrence& o : ex.occurrences)
    if (slot_of_param[o.parameter] >= 0) positions.push_back(o.position);
  const auto layers = find_commuting_layers(ex.expanded, positions);
  const auto last = detail::last_non_diagonal(ex.expanded);

  struct planned {
    const shift_layer* layer;
    parallel_exactness exactness;
    std::vector<shift_rule> rules;  // per gate of the layer
    std::size_t first_task;
    std::size_t circuits;
  };
  std::vector<planned> plan;
  std::vector<run_task> tasks;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    planned p{
        &layers[l], check_parallel_exactness(ex.expanded, layers[l], obs), {}, tasks.size(), 0};
    if (!p.exactness.splits)
      throw circuit_error(where, "the parallel shift cannot split the objective per gate",
                          "layer " + std::to_string(l) + ": " + p.exactness.reason);
    if (!p.exactness.exact) {
      if (!opt.allow_approximate)
        throw circuit_error(where, "the parallel shift is not exact for this circuit",
                            "layer " + std::to_string(l) + ": " + p.exactness.reason +
                                "; use the serial shift or allow the approximate mode");
      if (!out.approximate)
        out.approximation_note = "layer " + std::to_string(l) + ": " + p.exactness.reason;
      out.approximate = true;
    }
    for (index_t pos : layers[l].positions) {
      p.rules.push_back(detail::occurrence_rule(ex.expanded[pos], pos, last, opt.rbs_rule));
      p.circuits = std::max(p.circuits, p.rules.back().evaluations());
    }
    // Circuit m shifts gate k by its term m/2 (sign by parity) or leaves it when its rule is
    // shorter: a gate's term only reads the circuits of its own rule.
    for (std::size_t m = 0; m < p.circuits; ++m) {
      run_task task{&ex.expanded, ex.angles};
      const double sign = (m % 2 == 0) ? 1.0 : -1.0;
      for (std::size_t k = 0; k < layers[l].positions.size(); ++k)
        if (m / 2 < p.rules[k].terms.size())
          task.params[ex.slot_of[layers[l].positions[k]]] += sign * p.rules[k].terms[m / 2].shift;
      tasks.push_back(std::move(task));
    }
    plan.push_back(std::move(p));
  }
  if (opt.with_value) tasks.push_back(run_task{&ex.expanded, ex.angles});
  // A few circuits per layer: built up front, and every distribution is kept for the terms.
  std::vector<run_result> results(tasks.size());
  run_in_parts(
      b, tasks.size(), [&](std::size_t i) { return std::move(tasks[i]); },
      [&](std::size_t i, run_result&& r) { results[i] = std::move(r); }, batch_of(opt), out.evaluations);

  for (const planned& p : plan) {
    for (std::size_t k = 0; k < p.layer->positions.size(); ++k) {
      const index_t pos = p.layer->positions[k];
      const operation& op = ex.expanded[pos];
      double d = 0;
      std::size_t t = p.first_task;
      for (const shift_term& term : p.rules[k].terms) {
        d += term.coefficient * (detail::layer_term(p.exactness, op, k, obs, results[t]) -
                                 detail::layer_term(p.exactness, op, k, obs, results[t + 1]));
        t += 2;
      }
      const occurrence& o = ex.occurrences[ex.slot_of[pos]];
      out.gradient[static_cast<std::size_t>(slot_of_param[o.parameter])] += o.scale * d;
    }
  }
  out.value =
      opt.with_value ? obs.expectation(results.back()) : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace papillon
