#pragma once

/// @file
/// Parameter-shift gradients on any backend: the serial rule (every gate occurrence shifted on
/// its own) and the parallel layer shift (every gate of a commuting layer shifted together,
/// docs/method.md 3.2), and the same for a batch of circuits sharing one parameter vector (the
/// samples of a quantum layer, batch_shift_vjp).
///
/// One planner serves all of them: plan_serial_shift and plan_parallel_shift say which circuits
/// to run (a shift_plan: groups of gate occurrences shifted together, each gate's rule, and for
/// the parallel shift the exactness proof of layers.hpp per group), and how to combine their
/// results into derivatives. The gradient functions only send the plan's circuits through
/// run_in_parts, in one run_batch call (or in parts of gradient_options::max_batch_circuits);
/// the circuits of one call share one expanded circuit (see occurrences.hpp) and differ only in
/// their angle vectors.

#include <papillon/backend/backend.hpp>
#include <papillon/backend/run_in_parts.hpp>
#include <papillon/grad/gradient_options.hpp>
#include <papillon/grad/gradient_result.hpp>
#include <papillon/grad/layers.hpp>
#include <papillon/grad/observable.hpp>
#include <papillon/grad/occurrences.hpp>
#include <papillon/grad/shift_rule.hpp>
#include <papillon/sim/simulator.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
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

// ---- The planner --------------------------------------------------------------------------------

/// Gate occurrences shifted together in the same circuits: one occurrence (serial shift) or
/// one commuting layer (parallel shift).
struct shift_group {
  /// Occurrence slots (occurrence_expansion), in circuit order.
  std::vector<index_t> slots;
  /// The rule of each slot.
  std::vector<shift_rule> rules;
  /// The group's first circuit in the plan; its circuits are consecutive.
  std::size_t first_circuit = 0;
  /// Its circuit count: the longest rule's evaluations.
  std::size_t circuits = 0;
  /// Parallel shift: conditions (A) and (B) of layers.hpp for this layer (serial: unused).
  parallel_exactness exactness;

  /// The shift of slot i in the group's circuit m: its rule's term m / 2, + for even m and - for
  /// odd m, or 0 when its rule has fewer terms (a gate's derivative reads only its own rule's
  /// circuits).
  [[nodiscard]] double shift(std::size_t i, std::size_t m) const {
    const auto& terms = rules[i].terms;
    if (m / 2 >= terms.size()) return 0.0;
    return (m % 2 == 0 ? 1.0 : -1.0) * terms[m / 2].shift;
  }

  /// df/dangle of slot i by its rule, from value(m) = the part of the objective that slot i
  /// reads in the group's circuit m (the whole objective for a serial group, F_k of layers.hpp
  /// for a parallel one).
  template <class Value>
  [[nodiscard]] double derivative(std::size_t i, Value&& value) const {
    double d = 0;
    std::size_t m = 0;
    for (const shift_term& t : rules[i].terms) {
      d += t.coefficient * (value(m) - value(m + 1));
      m += 2;
    }
    return d;
  }
};

/// Which circuits a shift gradient runs, and how their results combine.
struct shift_plan {
  /// gradient_method::shift (one group per occurrence) or gradient_method::parallel (one group
  /// per commuting layer).
  gradient_method method = gradient_method::shift;
  /// The circuit with one slot per parameterised operation, and the bound angles.
  occurrence_expansion expansion;
  /// The differentiated parameters (resolve_wrt), in the order of a gradient_result.
  std::vector<index_t> parameters;
  /// For every slot, the position of its parameter in `parameters`, or -1 when not
  /// differentiated.
  std::vector<std::ptrdiff_t> output_of_slot;
  std::vector<shift_group> groups;
  /// Shifted circuits over all groups (a value circuit is not part of the plan).
  std::size_t circuits = 0;

  /// The group that shifted circuit t (t < circuits) belongs to.
  [[nodiscard]] const shift_group& group_of(std::size_t t) const {
    const auto it =
        std::upper_bound(groups.begin(), groups.end(), t,
                         [](std::size_t v, const shift_group& g) { return v < g.first_circuit; });
    return *std::prev(it);
  }

  /// Adds the shifts of circuit t to angles over the slots (a copy of expansion.angles).
  void shift_angles(std::size_t t, std::span<double> angles) const {
    const shift_group& g = group_of(t);
    const std::size_t m = t - g.first_circuit;
    for (std::size_t i = 0; i < g.slots.size(); ++i) angles[g.slots[i]] += g.shift(i, m);
  }

  /// Adds scale * d, the chain rule for df/dangle = d of a slot, to a gradient laid out like
  /// `parameters`.
  void add_derivative(index_t slot, double d, std::span<double> gradient) const {
    const std::ptrdiff_t out = output_of_slot[slot];
    if (out >= 0) gradient[static_cast<std::size_t>(out)] += expansion.occurrences[slot].scale * d;
  }
};

/// What the planners differentiate and with which RBS/FBS rule.
struct shift_plan_options {
  /// Parameters to differentiate, by index; empty means all of them.
  std::vector<index_t> wrt;
  /// rbs_shift_rule::automatic takes the reduced two-term rule where it is proved exact.
  rbs_shift_rule rbs_rule = rbs_shift_rule::four_term;
};

namespace detail {

inline shift_plan begin_plan(const circuit& c, std::span<const double> params,
                             const shift_plan_options& opt, gradient_method method,
                             std::string_view where) {
  shift_plan plan;
  plan.method = method;
  plan.expansion = expand_occurrences(c, params);
  plan.parameters = resolve_wrt(c, opt.wrt, where);
  std::vector<std::ptrdiff_t> output_of_param(c.num_parameters(), -1);
  for (std::size_t i = 0; i < plan.parameters.size(); ++i)
    output_of_param[plan.parameters[i]] = static_cast<std::ptrdiff_t>(i);
  for (const occurrence& o : plan.expansion.occurrences)
    plan.output_of_slot.push_back(output_of_param[o.parameter]);
  return plan;
}

}  // namespace detail

/// The serial shift: one group per occurrence of a listed parameter, in circuit order, with that
/// gate's rule (4 circuits per RBS/FBS, 2 per Pauli rotation or reduced RBS).
/// @throws dimension_error, data_error for bad parameters or wrt.
inline shift_plan plan_serial_shift(const circuit& c, std::span<const double> params,
                                    const shift_plan_options& opt = {},
                                    std::string_view where = "plan_serial_shift") {
  shift_plan plan = detail::begin_plan(c, params, opt, gradient_method::shift, where);
  const circuit& ex = plan.expansion.expanded;
  const auto last = detail::last_non_diagonal(ex);
  for (index_t k = 0; k < plan.expansion.occurrences.size(); ++k) {
    if (plan.output_of_slot[k] < 0) continue;
    const index_t pos = plan.expansion.occurrences[k].position;
    shift_group g;
    g.slots = {k};
    g.rules = {detail::occurrence_rule(ex[pos], pos, last, opt.rbs_rule)};
    g.first_circuit = plan.circuits;
    g.circuits = g.rules.front().evaluations();
    plan.circuits += g.circuits;
    plan.groups.push_back(std::move(g));
  }
  return plan;
}

/// The parallel layer shift: the listed parameters' occurrences grouped into commuting layers
/// (find_commuting_layers), every gate of a layer shifted at once, so a layer costs as many
/// circuits as its longest rule (4 for RBS/FBS, 2 for Pauli rotations or RBS with
/// rbs_shift_rule::automatic, which is always exact where the parallel shift is). Each group
/// carries check_parallel_exactness for its layer under `obs`; the planner does not refuse
/// inexact layers, its callers decide.
/// @throws as plan_serial_shift.
inline shift_plan plan_parallel_shift(const circuit& c, std::span<const double> params,
                                      const diagonal_observable& obs,
                                      const shift_plan_options& opt = {},
                                      std::string_view where = "plan_parallel_shift") {
  shift_plan plan = detail::begin_plan(c, params, opt, gradient_method::parallel, where);
  const occurrence_expansion& ex = plan.expansion;
  std::vector<index_t> positions;
  for (index_t k = 0; k < ex.occurrences.size(); ++k)
    if (plan.output_of_slot[k] >= 0) positions.push_back(ex.occurrences[k].position);
  const auto layers = find_commuting_layers(ex.expanded, positions);
  const auto last = detail::last_non_diagonal(ex.expanded);
  for (const shift_layer& layer : layers) {
    shift_group g;
    g.exactness = check_parallel_exactness(ex.expanded, layer, obs);
    g.first_circuit = plan.circuits;
    for (index_t pos : layer.positions) {
      g.slots.push_back(ex.slot_of[pos]);
      g.rules.push_back(detail::occurrence_rule(ex.expanded[pos], pos, last, opt.rbs_rule));
      g.circuits = std::max(g.circuits, g.rules.back().evaluations());
    }
    plan.circuits += g.circuits;
    plan.groups.push_back(std::move(g));
  }
  return plan;
}

// ---- Gradients of one circuit -------------------------------------------------------------------

/// Serial parameter-shift gradient of f = sum_x w_x p_x: one shift set per occurrence of every
/// listed parameter (four circuits per RBS/FBS, two per Pauli rotation or reduced RBS), chain
/// rule over occurrences and scales. One run_batch call unless opt.max_batch_circuits splits it.
/// @throws dimension_error, data_error for bad inputs; backend errors from the backend.
inline gradient_result shift_gradient(const circuit& c, std::span<const double> params,
                                      const diagonal_observable& obs, backend& b,
                                      const gradient_options& opt = {}) {
  constexpr std::string_view where = "shift_gradient";
  detail::check_backend_inputs(c, obs, where);
  const shift_plan plan = plan_serial_shift(c, params, {opt.wrt, opt.rbs_rule}, where);
  const occurrence_expansion& ex = plan.expansion;
  gradient_result out;
  out.method = gradient_method::shift;
  out.parameters = plan.parameters;
  out.gradient.assign(out.parameters.size(), 0.0);
  // Angle vectors are built when a part is sent; only the objective values are kept.
  const std::size_t count = plan.circuits + (opt.with_value ? 1 : 0);
  std::vector<double> values(count);
  run_in_parts(
      b, count,
      [&](std::size_t i) {
        run_task task{&ex.expanded, ex.angles};
        if (i < plan.circuits) plan.shift_angles(i, task.params);
        return task;
      },
      [&](std::size_t i, run_result&& r) { values[i] = obs.expectation(r); }, batch_of(opt),
      out.evaluations);
  for (const shift_group& g : plan.groups)
    plan.add_derivative(g.slots.front(),
                        g.derivative(0, [&](std::size_t m) { return values[g.first_circuit + m]; }),
                        out.gradient);
  out.value = opt.with_value ? values.back() : std::numeric_limits<double>::quiet_NaN();
  return out;
}

/// Parallel layer shift (plan_parallel_shift). Every layer must satisfy
/// check_parallel_exactness; a layer that only fails condition (A) runs anyway when
/// opt.allow_approximate is set, and the result says so.
/// @throws circuit_error saying why, when a layer is not exact and approximate mode is off, or
///         when the objective does not split per gate; other errors as shift_gradient.
inline gradient_result parallel_shift_gradient(const circuit& c, std::span<const double> params,
                                               const diagonal_observable& obs, backend& b,
                                               const gradient_options& opt = {}) {
  constexpr std::string_view where = "parallel_shift_gradient";
  detail::check_backend_inputs(c, obs, where);
  const shift_plan plan = plan_parallel_shift(c, params, obs, {opt.wrt, opt.rbs_rule}, where);
  const occurrence_expansion& ex = plan.expansion;
  gradient_result out;
  out.method = gradient_method::parallel;
  out.parameters = plan.parameters;
  out.gradient.assign(out.parameters.size(), 0.0);
  for (std::size_t l = 0; l < plan.groups.size(); ++l) {
    const parallel_exactness& e = plan.groups[l].exactness;
    if (!e.splits)
      throw circuit_error(where, "the parallel shift cannot split the objective per gate",
                          "layer " + std::to_string(l) + ": " + e.reason);
    if (!e.exact) {
      if (!opt.allow_approximate)
        throw circuit_error(where, "the parallel shift is not exact for this circuit",
                            "layer " + std::to_string(l) + ": " + e.reason +
                                "; use the serial shift or allow the approximate mode");
      if (!out.approximate) out.approximation_note = "layer " + std::to_string(l) + ": " + e.reason;
      out.approximate = true;
    }
  }
  // A few circuits per layer: every distribution is kept for the per-gate terms.
  const std::size_t count = plan.circuits + (opt.with_value ? 1 : 0);
  std::vector<run_result> results(count);
  run_in_parts(
      b, count,
      [&](std::size_t i) {
        run_task task{&ex.expanded, ex.angles};
        if (i < plan.circuits) plan.shift_angles(i, task.params);
        return task;
      },
      [&](std::size_t i, run_result&& r) { results[i] = std::move(r); }, batch_of(opt),
      out.evaluations);
  for (const shift_group& g : plan.groups)
    for (std::size_t k = 0; k < g.slots.size(); ++k) {
      const operation& op = ex.expanded[ex.occurrences[g.slots[k]].position];
      plan.add_derivative(g.slots[k],
                          g.derivative(k,
                                       [&](std::size_t m) {
                                         return detail::layer_term(g.exactness, op, k, obs,
                                                                   results[g.first_circuit + m]);
                                       }),
                          out.gradient);
    }
  out.value =
      opt.with_value ? obs.expectation(results.back()) : std::numeric_limits<double>::quiet_NaN();
  return out;
}

// ---- A batch of circuits sharing one parameter vector ----------------------------------------

/// Options of plan_batch_shift and batch_shift_vjp.
struct batch_shift_options {
  /// Parameters to differentiate, by index; empty means all of them. Each must drive at most one
  /// gate, with a nonzero scale (true of every layered builder: Butterfly, Pyramid, X), so that
  /// shifting a gate is shifting its parameter and the samples can share their circuits.
  std::vector<index_t> wrt;
  /// The RBS/FBS rule where the plan is the parallel layer shift (automatic: the reduced
  /// two-term rule, which is always exact there).
  rbs_shift_rule parallel_rbs_rule = rbs_shift_rule::four_term;
  /// The RBS/FBS rule where the plan is the serial shift.
  rbs_shift_rule serial_rbs_rule = rbs_shift_rule::four_term;
  /// Shots, seed and part size of the one run_in_parts call (tasks are numbered sample by
  /// sample, then by circuit of the plan).
  batch_options batch{};
};

namespace detail {

/// Checks that the circuits of a batch differ at most in their constant angles, so that one plan
/// holds for all of them.
inline void check_same_structure(std::span<const circuit> circuits, std::string_view where) {
  const circuit& c0 = circuits.front();
  for (std::size_t s = 1; s < circuits.size(); ++s) {
    const circuit& c = circuits[s];
    const std::string ctx = "circuit " + std::to_string(s) + " against circuit 0";
    if (c.num_qubits() != c0.num_qubits() || c.size() != c0.size() ||
        c.num_parameters() != c0.num_parameters())
      throw circuit_error(where, "the circuits of a batch differ in shape", ctx);
    for (index_t i = 0; i < c.size(); ++i) {
      const operation& a = c[i];
      const operation& b = c0[i];
      bool same = a.kind == b.kind && a.param.has_value() == b.param.has_value();
      for (unsigned j = 0; same && j < a.arity(); ++j) same = a.qubits[j] == b.qubits[j];
      if (same && a.param)
        same = a.param->index == b.param->index && a.param->scale == b.param->scale;
      if (!same)
        throw circuit_error(where, "the circuits of a batch differ in more than constant angles",
                            ctx + ", operation " + std::to_string(i));
    }
  }
}

}  // namespace detail

/// Plans the shift gradient of a batch of circuits that share one parameter vector and differ
/// only in constant angles (e.g. a data loader, then the same parameterised layer), when each
/// sample's objective is read from a decoded unary readout R (one value per qubit q, an
/// estimate of p(e_q); see batch_shift_vjp). One plan serves every sample:
/// - the parallel layer shift (opt.parallel_rbs_rule) when the circuits run in the weight-1
///   subspace and check_parallel_exactness proves every commuting layer exact: only then does
///   the objective split into per-gate terms that a unary readout can give (condition (B),
///   unary readout);
/// - the serial shift (opt.serial_rbs_rule) otherwise.
/// Plans on circuits.front().
/// @throws data_error for an empty batch; circuit_error if the circuits differ in more than
///         constant angles, or a listed parameter drives more than one gate or has scale 0;
///         otherwise as plan_serial_shift.
inline shift_plan plan_batch_shift(std::span<const circuit> circuits,
                                   std::span<const double> params,
                                   const batch_shift_options& opt = {},
                                   std::string_view where = "plan_batch_shift") {
  if (circuits.empty()) throw data_error(where, "the batch holds no circuit");
  detail::check_same_structure(circuits, where);
  const circuit& c = circuits.front();
  shift_plan plan;
  const subspace_analysis sub = analyze_subspace(c);
  if (sub.possible && sub.weight == 1) {
    // (B) holds through the weight-1 subspace whatever the unary weights: none are needed.
    plan = plan_parallel_shift(c, params, diagonal_observable{}, {opt.wrt, opt.parallel_rbs_rule},
                               where);
    const bool exact = std::all_of(plan.groups.begin(), plan.groups.end(), [](const auto& g) {
      return g.exactness.exact && g.exactness.unary_readout;
    });
    if (!exact) plan = {};
  }
  if (plan.groups.empty())
    plan = plan_serial_shift(c, params, {opt.wrt, opt.serial_rbs_rule}, where);
  std::vector<int> uses(c.num_parameters(), 0);
  for (const occurrence& o : plan.expansion.occurrences) ++uses[o.parameter];
  for (index_t k = 0; k < plan.expansion.occurrences.size(); ++k) {
    const occurrence& o = plan.expansion.occurrences[k];
    if (plan.output_of_slot[k] < 0) continue;
    if (uses[o.parameter] > 1)
      throw circuit_error(where, "a differentiated parameter drives more than one gate",
                          "parameter " + std::to_string(o.parameter) + ", " +
                              std::to_string(uses[o.parameter]) + " gates");
    if (o.scale == 0.0)
      throw circuit_error(where, "a differentiated parameter drives its gate with scale 0",
                          "parameter " + std::to_string(o.parameter));
  }
  return plan;
}

/// Vector-Jacobian product through a decoded unary readout, on a backend, for a batch of
/// circuits sharing one parameter vector (a quantum layer's samples): with R_s =
/// decode(s, result) the readout of circuit s (at least n values, n = cotangents.cols()) and
/// f_s = sum_q cotangents(s, q) R_s[q], returns d(sum_s f_s)/dparams for the listed parameters.
///
/// Plans once with plan_batch_shift (a parallel group's term for the gate on qubits P_k is
/// sum_{q in P_k} cotangents(s, q) R_s[q]; a serial group reads all of f_s), then sends every
/// sample's circuits in one run_in_parts call: task s * plan.circuits + m is circuits[s] with
/// the parameters of the plan's circuit m. What it sends is added to `ledger` part by part
/// (parts sent before a failure stay counted) and returned in the result's evaluations.
/// @throws dimension_error if cotangents has a row count other than circuits.size(), or a
///         readout is shorter than n; otherwise as plan_batch_shift and the backend.
template <class Decode>
gradient_result batch_shift_vjp(backend& b, std::span<const circuit> circuits,
                                std::span<const double> params,
                                const Eigen::Ref<const Eigen::MatrixXd>& cotangents,
                                Decode&& decode, const batch_shift_options& opt,
                                evaluation_ledger& ledger) {
  constexpr std::string_view where = "batch_shift_vjp";
  if (static_cast<std::size_t>(cotangents.rows()) != circuits.size())
    throw dimension_error(where, "one cotangent row per circuit",
                          std::to_string(cotangents.rows()) + " rows, " +
                              std::to_string(circuits.size()) + " circuits");
  gradient_result out;
  out.value = std::numeric_limits<double>::quiet_NaN();
  if (circuits.empty()) {
    out.parameters = opt.wrt;
    out.gradient.assign(out.parameters.size(), 0.0);
    return out;
  }
  const shift_plan plan = plan_batch_shift(circuits, params, opt, where);
  const occurrence_expansion& ex = plan.expansion;
  out.method = plan.method;
  out.parameters = plan.parameters;
  out.gradient.assign(out.parameters.size(), 0.0);
  const std::vector<double> base(params.begin(), params.end());
  const std::size_t per_sample = plan.circuits;
  const auto width = static_cast<std::size_t>(cotangents.cols());
  // values[i * max_circuits + m]: the term of slot i of the current group in its circuit m.
  std::size_t max_slots = 0, max_circuits = 0;
  for (const shift_group& g : plan.groups) {
    max_slots = std::max(max_slots, g.slots.size());
    max_circuits = std::max(max_circuits, g.circuits);
  }
  std::vector<double> values(max_slots * max_circuits);
  const bool parallel = plan.method == gradient_method::parallel;
  const evaluation_ledger before = ledger;
  run_in_parts(
      b, circuits.size() * per_sample,
      [&](std::size_t t) {
        run_task task{&circuits[t / per_sample], base};
        const shift_group& g = plan.group_of(t % per_sample);
        const std::size_t m = t % per_sample - g.first_circuit;
        for (std::size_t i = 0; i < g.slots.size(); ++i) {
          const occurrence& o = ex.occurrences[g.slots[i]];
          task.params[o.parameter] += g.shift(i, m) / o.scale;
        }
        return task;
      },
      [&](std::size_t t, run_result&& r) {
        const std::size_t s = t / per_sample;
        const shift_group& g = plan.group_of(t % per_sample);
        const std::size_t m = t % per_sample - g.first_circuit;
        const auto readout = decode(s, std::move(r));
        if (readout.size() < width)
          throw dimension_error(where, "readout shorter than the cotangent",
                                std::to_string(readout.size()) + " < " + std::to_string(width) +
                                    " (task " + std::to_string(t) + ")");
        const auto row = cotangents.row(static_cast<Eigen::Index>(s));
        for (std::size_t i = 0; i < g.slots.size(); ++i) {
          double f = 0;
          if (parallel) {
            const operation& op = ex.expanded[ex.occurrences[g.slots[i]].position];
            for (unsigned j = 0; j < op.arity(); ++j)
              if (op.qubits[j] < width)
                f += row[static_cast<Eigen::Index>(op.qubits[j])] * readout[op.qubits[j]];
          } else {
            for (std::size_t q = 0; q < width; ++q)
              f += row[static_cast<Eigen::Index>(q)] * readout[q];
          }
          values[i * max_circuits + m] = f;
        }
        if (m + 1 < g.circuits) return;
        for (std::size_t i = 0; i < g.slots.size(); ++i)
          plan.add_derivative(
              g.slots[i],
              g.derivative(i, [&](std::size_t k) { return values[i * max_circuits + k]; }),
              out.gradient);
      },
      opt.batch, ledger);
  out.evaluations = {ledger.circuits - before.circuits, ledger.shots - before.shots,
                     ledger.batches - before.batches};
  return out;
}

}  // namespace papillon
