// Results of registers wider than 64 qubits: basis_key keys beyond qubit 63 through the
// simulator backend, the observables, the readouts, the gradient engine and the quantum layer.
// Every wide result is checked against a representation that does not use wide keys: the unary
// amplitudes, a 64-qubit run of the same gates, or the adjoint gradient.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/circuit/sign_readout.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/core/basis_key.hpp>
#include <papillon/grad/gradient.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/readout/post_selection.hpp>
#include <papillon/readout/unary_readout.hpp>

#include <cmath>
#include <random>

#include "support/catch.hpp"

using namespace papillon;
using Catch::Matchers::Message;
using Catch::Matchers::WithinAbs;
using papillon::test::contains_substring;

namespace {

std::vector<double> random_vector(index_t n, std::uint64_t seed, double lo, double hi) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> v(n);
  for (auto& x : v) x = u(rng);
  return v;
}

// Loader of a random vector on n qubits followed by the n-qubit Butterfly.
struct unary_net {
  layered_circuit bf;
  circuit circ;
  std::vector<double> params;
};

unary_net make_net(index_t n, std::uint64_t seed) {
  unary_net u{butterfly(n), circuit(n), {}};
  const auto x = random_vector(n, seed, 0.1, 1.0);
  u.circ = parallel_loader(x);
  u.circ.append(u.bf.body);
  u.params = random_vector(u.bf.num_parameters(), seed + 1, -3.0, 3.0);
  return u;
}

simulator_backend_options wide_options(index_t max_qubits) {
  simulator_backend_options o;
  o.max_qubits = max_qubits;
  o.threads = 2;
  return o;
}

diagonal_observable ramp(index_t n) {
  std::vector<double> w(n);
  for (index_t i = 0; i < n; ++i) w[i] = 1.0 + 0.5 * static_cast<double>(i % 7);
  return diagonal_observable::from_unary(std::move(w));
}

}  // namespace

TEST_CASE("simulator backend: registers wider than 64 qubits", "[backend][wide]") {
  SECTION("exact: wide keys, the unary amplitudes squared") {
    const unary_net u = make_net(128, 1);
    simulator_backend b(wide_options(128));
    const run_result r = b.run(u.circ, u.params, {});
    REQUIRE(r.counts.empty());
    REQUIRE(r.probabilities.size() == 128);
    // Numeric order: e_0 first, e_127 (a key beyond the mask) last.
    REQUIRE(r.probabilities.begin()->first == basis_key(1));
    REQUIRE_FALSE(r.probabilities.rbegin()->first.fits_in_mask());
    REQUIRE(r.probabilities.rbegin()->first == basis_key::unary(127));
    const Eigen::VectorXd y = unary_amplitudes(u.circ, u.params);
    double total = 0;
    for (index_t i = 0; i < 128; ++i) {
      const double p = r.probabilities.at(basis_key::unary(i));
      REQUIRE(std::abs(p - y[static_cast<Eigen::Index>(i)] * y[static_cast<Eigen::Index>(i)]) <
              1e-12);
      total += p;
    }
    REQUIRE(std::abs(total - 1) < 1e-12);
  }

  SECTION("the same gates on 64 and on 200 qubits give the same distribution") {
    // Gates on qubits 0..63 only: the 200-qubit run must put the 64-qubit run's probabilities
    // on the same states, whatever the key type; weight 1, and weight 2 (a second particle on
    // qubit 40 before the loader).
    const unary_net one = make_net(64, 2);
    const bool two = GENERATE(false, true);
    circuit narrow(64);
    if (two) narrow.x(40);
    narrow.append(one.circ);
    narrow.set_num_parameters(one.circ.num_parameters());
    const unary_net u{one.bf, narrow, one.params};
    circuit wide(200);
    wide.append(u.circ);  // appends onto the first 64 qubits
    wide.set_num_parameters(u.circ.num_parameters());
    simulator_backend narrow_b(wide_options(64));
    simulator_backend wide_b(wide_options(200));
    const run_result rn = narrow_b.run(u.circ, u.params, {});
    const run_result rw = wide_b.run(wide, u.params, {});
    REQUIRE(rn.qubits == 64);
    REQUIRE(rw.qubits == 200);
    REQUIRE(rn.probabilities.size() == rw.probabilities.size());
    for (const auto& [s, p] : rn.probabilities) {
      // The 200-qubit run keys the same states by the same qubit lists.
      const basis_key same = basis_key::from_qubits(s.qubits());
      REQUIRE(std::abs(rw.probabilities.at(same) - p) < 1e-14);
    }
    // Sampled: the same seed draws the same outcomes.
    const run_result sn = narrow_b.run(u.circ, u.params, {500, 9});
    const run_result sw = wide_b.run(wide, u.params, {500, 9});
    REQUIRE(sn.counts.size() == sw.counts.size());
    for (const auto& [s, k] : sn.counts)
      REQUIRE(sw.counts.at(basis_key::from_qubits(s.qubits())) == k);
    for (const auto& [s, f] : sw.probabilities)
      REQUIRE(f == static_cast<double>(sw.counts.at(s)) / 500.0);
  }

  SECTION("a split batch draws what the whole batch draws") {
    for (index_t n : {16, 128}) {
      const unary_net u = make_net(n, 3);
      simulator_backend b(wide_options(n));
      std::vector<run_task> tasks;
      for (int k = 0; k < 7; ++k) {
        auto p = u.params;
        p[static_cast<std::size_t>(k)] += 0.1 * k;
        tasks.push_back({&u.circ, p});
      }
      const auto whole = b.run_batch(tasks, {300, 5});
      const std::span<const run_task> all(tasks);
      auto parts = b.run_batch(all.subspan(0, 3), {300, 5, 0});
      const auto rest = b.run_batch(all.subspan(3), {300, 5, 3});
      parts.insert(parts.end(), rest.begin(), rest.end());
      REQUIRE(parts == whole);
      // Without the offset the second part would repeat the first part's draws.
      const auto unshifted = b.run_batch(all.subspan(3), {300, 5, 0});
      REQUIRE_FALSE(unshifted == rest);
    }
  }

  SECTION("what cannot run wider than 64 qubits is refused before anything runs") {
    const unary_net u = make_net(128, 4);
    circuit two(128);
    two.x(0).h(100).rbs(0, 1, param(0));
    simulator_backend_options noisy = wide_options(128);
    noisy.noise = "forte-1";
    CHECK_THROWS_MATCHES(simulator_backend(noisy).run(u.circ, u.params, {100, 1}), dimension_error,
                         Message("papillon::simulator_backend: noisy simulation needs the full "
                                 "state: at most 63 qubits (task 0: 128 qubits)"));
    circuit sixty_four(64);
    sixty_four.x(0);
    CHECK_THROWS_WITH(simulator_backend(noisy).run(sixty_four, {}, {10, 1}),
                      contains_substring("at most 63 qubits (task 0: 64 qubits)"));
    simulator_backend_options full = wide_options(128);
    full.mode = simulation_mode::full;
    CHECK_THROWS_MATCHES(simulator_backend(full).run(u.circ, u.params, {}), dimension_error,
                         Message("papillon::simulator_backend: full-state simulation of more "
                                 "than 64 qubits (task 0: 128 qubits)"));
    simulator_backend b(wide_options(128));
    const std::vector<double> one{0.3};
    std::vector<run_task> tasks{{&u.circ, u.params}, {&two, one}};
    const auto before = b.stats();
    CHECK_THROWS_WITH(b.run_batch(tasks, {}),
                      contains_substring("must stay in one Hamming-weight subspace") &&
                          contains_substring("task 1: 128 qubits") &&
                          contains_substring("operation 1 (h)"));
    CHECK(b.stats() == before);
    // Tasks are numbered in the whole batch when it was split.
    CHECK_THROWS_WITH(b.run_batch(tasks, {0, 0, 40}), contains_substring("task 41: 128 qubits"));
  }
}

TEST_CASE("observables, post-selection and readouts on wide results", "[backend][wide]") {
  diagonal_observable obs = diagonal_observable::from_unary({0, 0, 0, 2.5});
  obs.weights[0b11] = 4.0;
  CHECK(obs.weight_of(basis_key::from_qubits({3})) == 2.5);
  CHECK(obs.weight_of(basis_key::from_qubits({0, 1})) == 4.0);
  CHECK(obs.weight_of(basis_key::from_qubits({0, 1, 70})) == 0.0);
  CHECK(obs.weight_of(basis_key::from_qubits({70})) == 0.0);

  const std::map<basis_key, std::uint64_t> counts{{basis_key::from_qubits({3}), 60},
                                                  {basis_key::from_qubits({90}), 30},
                                                  {basis_key::from_qubits({0, 1}), 7},
                                                  {basis_key(), 3}};
  const auto ps = post_select_weight(counts, 1);
  CHECK(ps.kept == 90);
  CHECK(ps.total == 100);
  CHECK(ps.counts.size() == 2);
  CHECK_THAT(ps.probabilities().at(basis_key::unary(90)), WithinAbs(1.0 / 3, 1e-12));

  run_result r;
  r.qubits = 100;
  r.shots = 100;
  r.counts = counts;
  for (const auto& [s, k] : counts) r.probabilities[s] = static_cast<double>(k) / 100;
  CHECK_THAT(obs.expectation(r), WithinAbs(0.6 * 2.5 + 0.07 * 4.0, 1e-12));
  const readout_result ro = unary_probabilities(r, 100);
  CHECK(ro.kept_shots == 90);
  CHECK(ro.total_shots == 100);
  CHECK_THAT(ro.values[3], WithinAbs(60.0 / 90, 1e-12));
  CHECK_THAT(ro.values[90], WithinAbs(30.0 / 90, 1e-12));
  CHECK_THAT(ro.kept_fraction, WithinAbs(0.9, 1e-12));
  CHECK_THROWS_WITH(unary_probabilities(r, 80),
                    contains_substring("outcome has a bit beyond the measured qubits") &&
                        contains_substring("outcome 1237940039285380274899124224, 80 qubits"));

  SECTION("the sign readout on a register wider than 64 qubits") {
    // The ancilla sign readout leaves the unary subspace (H on the ancilla), so the simulator
    // runs it on the full state only; wide keys serve backends that measure wider registers.
    // The outcomes of an 8 + 1 qubit run, rebuilt from their qubit lists, read out as before;
    // moved to a register of N = 100 data qubits (ancilla 8 -> qubit 100), every value scales
    // by sqrt(N / 8) (y_j = sqrt(N) (P(0, e_j) - P(1, e_j))) and the other data qubits read 0.
    const index_t n = 8;
    const index_t wide_n = 100;
    const layered_circuit bf = butterfly(n);
    const auto x = random_vector(n, 7, -1.0, 1.0);
    const auto theta = random_vector(bf.num_parameters(), 8, -3.0, 3.0);
    simulator_backend b(wide_options(n + 1));
    const run_result sr = b.run(sign_readout_circuit(x, bf.body), theta, {2000, 3});
    const auto rebuilt = [](const basis_key& s) { return basis_key::from_qubits(s.qubits()); };
    const auto moved = [&](const basis_key& s) {
      auto q = s.qubits();
      if (!q.empty() && q.back() == n) q.back() = wide_n;
      return basis_key::from_qubits(q);
    };
    std::map<basis_key, double> rp, wp;
    std::map<basis_key, std::uint64_t> rc, wc;
    for (const auto& [s, p] : sr.probabilities) {
      rp[rebuilt(s)] = p;
      wp[moved(s)] = p;
    }
    for (const auto& [s, k] : sr.counts) {
      rc[rebuilt(s)] = k;
      wc[moved(s)] = k;
    }
    REQUIRE(rp == sr.probabilities);
    REQUIRE(rc == sr.counts);
    REQUIRE_FALSE(wc.rbegin()->first.fits_in_mask());
    REQUIRE(signed_amplitudes(rp, n) == signed_amplitudes(sr.probabilities, n));
    REQUIRE(signed_amplitudes(rc, n) == signed_amplitudes(sr.counts, n));
    REQUIRE(signed_amplitudes(sr, n) == signed_amplitudes(sr.counts, n));
    REQUIRE(unary_probabilities(rc, n + 1) == unary_probabilities(sr.counts, n + 1));
    const double scale = std::sqrt(static_cast<double>(wide_n) / static_cast<double>(n));
    const auto scaled = [&](const readout_result& wide, const readout_result& narrow) {
      REQUIRE(wide.values.size() == wide_n);
      for (index_t i = 0; i < wide_n; ++i)
        REQUIRE(std::abs(wide.values[i] - (i < n ? scale * narrow.values[i] : 0.0)) < 1e-12);
      REQUIRE(std::abs(wide.kept_fraction - narrow.kept_fraction) < 1e-12);
      REQUIRE(wide.kept_shots == narrow.kept_shots);
      REQUIRE(wide.total_shots == narrow.total_shots);
    };
    scaled(signed_amplitudes(wp, wide_n), signed_amplitudes(sr.probabilities, n));
    scaled(signed_amplitudes(wc, wide_n), signed_amplitudes(sr.counts, n));
    REQUIRE(signed_amplitudes(wc, wide_n).kept_shots > 0);
  }
}

TEST_CASE("gradient engine beyond 64 qubits: every backend method against adjoint",
          "[grad][wide]") {
  const index_t n = 128;
  const unary_net u = make_net(n, 11);
  const diagonal_observable obs = ramp(n);
  simulator_backend b(wide_options(n));
  const gradient_result ref = adjoint_gradient(u.circ, u.params, obs);

  SECTION("serial shift: 4 circuits per parameter, equal to adjoint") {
    gradient_options opt;
    const gradient_result g = shift_gradient(u.circ, u.params, obs, b, opt);
    REQUIRE(g.evaluations.circuits == 4 * 448 + 1);
    REQUIRE(g.evaluations.batches == 1);
    REQUIRE(std::abs(g.value - ref.value) < 1e-10);
    for (std::size_t i = 0; i < ref.gradient.size(); ++i)
      REQUIRE(std::abs(g.gradient[i] - ref.gradient[i]) < 1e-9);
  }

  SECTION("parallel shift of the coupling layer: 4 + 1 circuits, exact") {
    gradient_options opt;
    opt.wrt = u.bf.layers.back().parameters;
    const gradient_result g = parallel_shift_gradient(u.circ, u.params, obs, b, opt);
    REQUIRE_FALSE(g.approximate);
    REQUIRE(g.evaluations.circuits == 5);
    for (std::size_t i = 0; i < g.parameters.size(); ++i)
      REQUIRE(std::abs(g.gradient[i] - ref.gradient[g.parameters[i]]) < 1e-9);
  }

  SECTION("parallel shift of every layer: 4 log2 n circuits, flagged approximate") {
    gradient_options opt;
    opt.allow_approximate = true;
    opt.with_value = false;
    const gradient_result g = parallel_shift_gradient(u.circ, u.params, obs, b, opt);
    REQUIRE(g.approximate);
    REQUIRE(g.evaluations.circuits == 4 * 7);
  }

  SECTION("finite differences") {
    gradient_options opt;
    opt.wrt = {0, 100, 447};
    const gradient_result g = finite_difference_gradient(u.circ, u.params, obs, b, opt);
    for (std::size_t i = 0; i < 3; ++i)
      REQUIRE(std::abs(g.gradient[i] - ref.gradient[opt.wrt[i]]) < 1e-6);
  }

  SECTION("max_batch_circuits splits the calls and changes no result") {
    gradient_options whole;
    whole.shots = 200;
    whole.seed = 4;
    whole.wrt = {1, 2, 3, 50, 51, 400, 401, 447};
    gradient_options split = whole;
    split.max_batch_circuits = 5;
    const gradient_result a = shift_gradient(u.circ, u.params, obs, b, whole);
    const gradient_result c = shift_gradient(u.circ, u.params, obs, b, split);
    REQUIRE(a.gradient == c.gradient);
    REQUIRE(a.value == c.value);
    REQUIRE(c.evaluations.circuits == 33);
    REQUIRE(c.evaluations.shots == 33 * 200);
    REQUIRE(c.evaluations.batches == 7);  // ceil(33 / 5)
    REQUIRE(a.evaluations.batches == 1);
    const gradient_result f = finite_difference_gradient(u.circ, u.params, obs, b, split);
    const gradient_result fw = finite_difference_gradient(u.circ, u.params, obs, b, whole);
    REQUIRE(f.evaluations.batches == 4);  // 17 circuits
    REQUIRE(f.gradient == fw.gradient);
    REQUIRE(f.value == fw.value);
    // Seeding parts as parts of the whole is what makes them equal: a different seed differs.
    gradient_options other = whole;
    other.seed = 5;
    REQUIRE(shift_gradient(u.circ, u.params, obs, b, other).gradient != a.gradient);
  }
}

TEST_CASE("quantum layer on 128 qubits through a backend", "[nn][quantum][wide]") {
  const index_t n = 128;
  std::mt19937_64 rng(21);
  std::normal_distribution<double> normal;
  nn::matrix x(3, n), g(3, n);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    x(i) = normal(rng);
    g(i) = normal(rng);
  }
  auto sim = std::make_shared<simulator_backend>(wide_options(n + 1));
  SECTION("the amplitude readout's ancilla circuit has no wide simulation: a clear error") {
    nn::quantum_layer_options o;
    o.qubits = n;
    o.readout = nn::quantum_readout::amplitudes;
    nn::quantum_orthogonal hw(o);
    hw.set_backend(sim);
    CHECK_THROWS_WITH(hw.forward(x, false),
                      contains_substring("must stay in one Hamming-weight subspace") &&
                          contains_substring("129 qubits"));
  }
  SECTION("probabilities: forward and the parallel shift equal the exact layer") {
    nn::quantum_layer_options o;
    o.qubits = n;
    o.seed = 3;
    o.shots = 0;
    nn::quantum_orthogonal exact(o);
    o.max_batch_circuits = 2;
    nn::quantum_orthogonal hw(o);
    for (auto* l : {&exact, &hw}) {
      l->set_trainable(false);
      l->set_trainable("coupling", true);
    }
    hw.set_backend(sim);
    REQUIRE((hw.forward(x, true) - exact.forward(x, true)).norm() < 1e-10);
    exact.zero_gradients();
    hw.zero_gradients();
    exact.backward(g);
    hw.backward(g);
    for (index_t p = 0; p < exact.num_parameters(); ++p)
      REQUIRE(std::abs(exact.gradients()[p] - hw.gradients()[p]) < 1e-9);
    // The parallel shift: 4 circuits per sample, every call split into parts of 2.
    REQUIRE(hw.ledger().circuits == 3 + 3 * 4);
    REQUIRE(hw.ledger().batches == 2 + 6);
  }
}

TEST_CASE("quantum layer: a split backend call draws what the whole call draws",
          "[nn][quantum][backend]") {
  // Sampled (shots > 0), every parameter trainable (the serial shift): the parts of each call
  // must be seeded as the whole batch, so outputs and gradients are bit-identical.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  nn::matrix x(3, 8), g(3, 8);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    x(i) = normal(rng);
    g(i) = normal(rng);
  }
  auto sim = std::make_shared<simulator_backend>(wide_options(8));
  nn::quantum_layer_options o;
  o.qubits = 8;
  o.seed = 9;
  o.shots = 300;
  nn::quantum_orthogonal whole(o);
  o.max_batch_circuits = 7;
  nn::quantum_orthogonal split(o);
  whole.set_backend(sim);
  split.set_backend(sim);
  for (int call = 0; call < 2; ++call) {
    const nn::matrix yw = whole.forward(x, true);
    const nn::matrix ys = split.forward(x, true);
    REQUIRE(yw == ys);
    whole.zero_gradients();
    split.zero_gradients();
    REQUIRE(whole.backward(g) == split.backward(g));
    for (index_t p = 0; p < whole.num_parameters(); ++p)
      REQUIRE(whole.gradients()[p] == split.gradients()[p]);
  }
  // 3 forward circuits and 3 x 12 x 4 gradient circuits per call, twice.
  REQUIRE(whole.ledger().circuits == 2 * (3 + 144));
  REQUIRE(split.ledger().circuits == whole.ledger().circuits);
  REQUIRE(whole.ledger().batches == 4);
  REQUIRE(split.ledger().batches == 2 * (1 + 21));  // ceil(3 / 7) + ceil(144 / 7)
}

TEST_CASE("quantum layer: a failed backend call leaves the gradients as they were",
          "[nn][quantum][backend]") {
  // A backend whose second call fails: the gradient circuits of backward().
  class failing final : public backend {
   public:
    failing() {
      m_info.name = "failing";
      m_info.max_qubits = 64;
      m_info.exact = true;
    }
    [[nodiscard]] const backend_info& info() const noexcept override { return m_info; }

   protected:
    std::vector<run_result> do_run_batch(std::span<const run_task> tasks,
                                         const run_options& opt) override {
      if (++m_calls == 2 || opt.first_task > 0)
        throw backend_error("failing::run", "injected failure", "call " + std::to_string(m_calls));
      return m_sim.run_batch(tasks, opt);
    }

   private:
    backend_info m_info;
    simulator_backend m_sim{wide_options(64)};
    int m_calls = 0;
  };
  nn::quantum_layer_options o;
  o.qubits = 8;
  o.shots = 0;
  o.max_batch_circuits = 30;
  nn::quantum_orthogonal layer(o);
  layer.set_backend(std::make_shared<failing>());
  nn::matrix x = nn::matrix::Constant(2, 8, 0.5);
  layer.forward(x, true);
  for (index_t p = 0; p < layer.num_parameters(); ++p) layer.gradients()[p] = 0.25;
  CHECK_THROWS_WITH(layer.backward(nn::matrix::Constant(2, 8, 1.0)),
                    contains_substring("injected failure"));
  for (index_t p = 0; p < layer.num_parameters(); ++p) REQUIRE(layer.gradients()[p] == 0.25);
}
