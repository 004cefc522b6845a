// The shift planner (plan_serial_shift, plan_parallel_shift, plan_batch_shift) and the batch
// entry point batch_shift_vjp against the engine's per-circuit gradients.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/grad/gradient.hpp>
#include <papillon/readout/unary_readout.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "support/catch.hpp"
#include "unit/grad/grad_support.hpp"

using namespace papillon;
using papillon::test::contains_substring;

namespace {

simulator_backend exact_backend() {
  simulator_backend_options o;
  o.max_qubits = 64;
  o.threads = 1;
  return simulator_backend(o);
}

std::vector<double> random_params(index_t count, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-3.0, 3.0);
  std::vector<double> p(count);
  for (auto& v : p) v = u(rng);
  return p;
}

// A batch of samples: parallel loader of a random vector, then the same Butterfly.
std::vector<circuit> loaded_butterflies(index_t n, index_t samples, std::mt19937_64& rng) {
  const auto bf = butterfly(n);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<circuit> out;
  for (index_t s = 0; s < samples; ++s) {
    std::vector<double> x(n);
    for (auto& v : x) v = u(rng);
    circuit c = parallel_loader(x);
    c.append(bf.body);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<double> decode_unary(const run_result& r, index_t n) {
  return unary_probabilities(r, n).values;
}

}  // namespace

TEST_CASE("shift planner: groups, rules and circuit counts", "[grad][plan]") {
  const circuit c = test::section8_circuit();  // loader, then the 12-angle Butterfly on 8 qubits
  const std::vector<double> params(12, 0.3);
  const shift_plan serial = plan_serial_shift(c, params);
  REQUIRE(serial.method == gradient_method::shift);
  REQUIRE(serial.groups.size() == 12);
  REQUIRE(serial.circuits == 48);
  REQUIRE(serial.group_of(47).first_circuit == 44);
  REQUIRE(serial.groups[3].shift(0, 0) == serial.groups[3].rules[0].terms[0].shift);
  REQUIRE(serial.groups[3].shift(0, 3) == -serial.groups[3].rules[0].terms[1].shift);
  // The reduced rule wherever it is proved: the 4 trailing (coupling) gates.
  const shift_plan reduced = plan_serial_shift(c, params, {{}, rbs_shift_rule::automatic});
  REQUIRE(reduced.circuits == 8 * 4 + 4 * 2);

  const auto obs = diagonal_observable::from_unary({1, 2, 3, 4, 5, 6, 7, 8});
  const shift_plan par = plan_parallel_shift(c, params, obs);
  REQUIRE(par.method == gradient_method::parallel);
  REQUIRE(par.groups.size() == 3);
  REQUIRE(par.circuits == 12);
  REQUIRE_FALSE(par.groups[0].exactness.exact);
  REQUIRE(par.groups[2].exactness.exact);
  REQUIRE(par.groups[2].exactness.unary_readout);
  // wrt: only the listed parameters are planned, and only they receive derivatives.
  const shift_plan some = plan_serial_shift(c, params, {{2, 7}});
  REQUIRE(some.groups.size() == 2);
  REQUIRE(some.parameters == std::vector<index_t>{2, 7});
}

TEST_CASE("plan_batch_shift: parallel where grad/layers.hpp proves it, serial otherwise",
          "[grad][plan][batch]") {
  std::mt19937_64 rng(5);
  const auto circuits = loaded_butterflies(8, 3, rng);
  const auto params = random_params(12, rng);
  batch_shift_options o;
  o.wrt = {8, 9, 10, 11};  // the coupling layer: the trailing block
  REQUIRE(plan_batch_shift(circuits, params, o).method == gradient_method::parallel);
  REQUIRE(plan_batch_shift(circuits, params, o).circuits == 4);
  o.parallel_rbs_rule = rbs_shift_rule::automatic;
  REQUIRE(plan_batch_shift(circuits, params, o).circuits == 2);
  o.wrt = {3, 9};  // two layers: the first is not the trailing block
  const shift_plan mixed = plan_batch_shift(circuits, params, o);
  REQUIRE(mixed.method == gradient_method::shift);
  REQUIRE(mixed.circuits == 8);  // the serial rule stays four-term: serial_rbs_rule
  // A circuit that leaves the weight-1 subspace has no per-gate split a unary readout can give.
  circuit h(2);
  h.h(0).rbs(0, 1, param(0));
  const std::vector<circuit> one{h};
  REQUIRE(plan_batch_shift(one, std::vector<double>{0.2}, {}).method == gradient_method::shift);

  // Errors: circuits that differ in more than constant angles; a parameter on two gates.
  auto other = circuits;
  other[2].rbs(0, 1, 0.5);
  REQUIRE_THROWS_WITH(plan_batch_shift(other, params, {}),
                      contains_substring("differ in shape") && contains_substring("circuit 2"));
  circuit shared(2);
  shared.x(0).rbs(0, 1, param(0)).rbs(0, 1, param(0));
  const std::vector<circuit> twice{shared};
  REQUIRE_THROWS_WITH(plan_batch_shift(twice, std::vector<double>{0.1}, {}),
                      contains_substring("more than one gate"));
  REQUIRE_THROWS_AS(plan_batch_shift(std::span<const circuit>{}, params, {}), data_error);
}

TEST_CASE("batch_shift_vjp equals the engine's per-circuit gradients, summed",
          "[grad][plan][batch]") {
  std::mt19937_64 rng(11);
  const index_t n = 8;
  const index_t samples = 4;
  const auto circuits = loaded_butterflies(n, samples, rng);
  const auto params = random_params(12, rng);
  Eigen::MatrixXd cot(samples, n);
  std::normal_distribution<double> g;
  for (Eigen::Index i = 0; i < cot.size(); ++i) cot(i) = g(rng);
  auto be = exact_backend();

  struct case_t {
    std::vector<index_t> wrt;
    rbs_shift_rule rule;
    gradient_method method;
  };
  const std::vector<case_t> cases{
      {{8, 9, 10, 11}, rbs_shift_rule::four_term, gradient_method::parallel},
      {{8, 10}, rbs_shift_rule::automatic, gradient_method::parallel},
      {{}, rbs_shift_rule::four_term, gradient_method::shift},
      {{0, 5, 11}, rbs_shift_rule::four_term, gradient_method::shift},
  };
  for (const auto& k : cases) {
    INFO("method " << (k.method == gradient_method::parallel ? "parallel" : "shift") << ", "
                   << k.wrt.size() << " parameters listed");
    batch_shift_options o;
    o.wrt = k.wrt;
    o.parallel_rbs_rule = k.rule;
    evaluation_ledger ledger{7, 0, 1};  // what was there stays
    const auto r = batch_shift_vjp(
        be, circuits, params, cot,
        [&](std::size_t, run_result&& res) { return decode_unary(res, n); }, o, ledger);
    REQUIRE(r.method == k.method);

    // The engine, circuit by circuit, with the cotangent row as unary weights.
    gradient_options go;
    go.wrt = k.wrt;
    go.with_value = false;
    go.rbs_rule = k.rule;
    std::vector<double> expected(r.parameters.size(), 0.0);
    std::uint64_t circuits_sent = 0;
    for (index_t s = 0; s < samples; ++s) {
      std::vector<double> w(n);
      for (index_t q = 0; q < n; ++q) w[q] = cot(Eigen::Index(s), Eigen::Index(q));
      const auto obs = diagonal_observable::from_unary(w);
      const gradient_result e = k.method == gradient_method::parallel
                                    ? parallel_shift_gradient(circuits[s], params, obs, be, go)
                                    : shift_gradient(circuits[s], params, obs, be, go);
      REQUIRE(e.parameters == r.parameters);
      for (std::size_t i = 0; i < expected.size(); ++i) expected[i] += e.gradient[i];
      circuits_sent += e.evaluations.circuits;
      // And the adjoint agrees.
      const auto adj = adjoint_gradient(circuits[s], params, obs, go);
      for (std::size_t i = 0; i < expected.size(); ++i)
        REQUIRE(std::abs(adj.gradient[i] - e.gradient[i]) < 1e-9);
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      INFO("parameter " << r.parameters[i]);
      REQUIRE(std::abs(r.gradient[i] - expected[i]) < 1e-10);
    }
    // Same circuits, in one run_batch call.
    REQUIRE(r.evaluations.circuits == circuits_sent);
    REQUIRE(r.evaluations.batches == 1);
    REQUIRE(ledger.circuits == 7 + circuits_sent);
    REQUIRE(ledger.batches == 2);

    // Split into parts: the same gradient, more calls.
    o.batch.max_batch_circuits = 5;
    evaluation_ledger parts;
    const auto split = batch_shift_vjp(
        be, circuits, params, cot,
        [&](std::size_t, run_result&& res) { return decode_unary(res, n); }, o, parts);
    REQUIRE(split.gradient == r.gradient);
    REQUIRE(parts.batches == (circuits_sent + 4) / 5);
  }

  evaluation_ledger unused;
  const auto decode = [&](std::size_t, run_result&& res) { return decode_unary(res, n); };
  REQUIRE_THROWS_WITH(batch_shift_vjp(be, circuits, params, cot.topRows(2), decode, {}, unused),
                      contains_substring("one cotangent row per circuit"));
  REQUIRE(unused.circuits == 0);
}
