#include <papillon/backend/simulator_backend.hpp>
#include <papillon/grad/gradient.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "unit/grad/grad_support.hpp"

using namespace papillon;
using papillon::test::append_butterfly;
using papillon::test::section8_circuit;
using papillon::test::unary_butterfly;

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

diagonal_observable section8_observable() {
  std::vector<double> w(8);
  for (index_t i = 0; i < 8; ++i) w[i] = double(i + 1);
  return diagonal_observable::from_unary(w);
}

std::vector<double> section8_params() {
  std::vector<double> p(12);
  for (index_t k = 0; k < 12; ++k) p[k] = 0.1 * double(k + 1);
  return p;
}

void require_close(const std::vector<double>& a, const std::vector<double>& b, double tol) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("entry " << i);
    CHECK(a[i] == Approx(b[i]).margin(tol));
  }
}

}  // namespace

TEST_CASE("all methods agree on random full-state circuits", "[grad]") {
  std::mt19937_64 rng(2024);
  auto be = exact_backend();
  for (index_t n : {1, 2, 3, 5, 7, 10}) {
    for (int rep = 0; rep < 3; ++rep) {
      const index_t num_params = 4;
      const circuit c =
          test::random_param_circuit(n, 6 * n + 4, num_params, test::all_kinds(), rng);
      const auto params = random_params(num_params, rng);
      diagonal_observable obs;
      std::uniform_real_distribution<double> w(-1, 1);
      for (basis_state x = 0; x < (basis_state{1} << n); ++x) obs.weights[x] = w(rng);
      INFO("n = " << n << ", rep " << rep);
      gradient_options opt;
      const auto adj = adjoint_gradient(c, params, obs, opt);
      const auto sh = shift_gradient(c, params, obs, be, opt);
      opt.rbs_rule = rbs_shift_rule::automatic;
      const auto sh2 = shift_gradient(c, params, obs, be, opt);
      opt.finite_step = 1e-5;
      const auto fd = finite_difference_gradient(c, params, obs, be, opt);
      const double f = test::exact_value(c, params, obs);
      CHECK(adj.value == Approx(f).margin(1e-12));
      CHECK(sh.value == Approx(f).margin(1e-12));
      require_close(adj.gradient, sh.gradient, 1e-8);
      require_close(adj.gradient, sh2.gradient, 1e-8);
      require_close(adj.gradient, fd.gradient, 1e-6);
      // The complex path on a real circuit agrees with the real fast path.
      gradient_options cplx;
      cplx.simulation.real_fast_path = false;
      require_close(adj.gradient, adjoint_gradient(c, params, obs, cplx).gradient, 1e-10);
    }
  }
}

TEST_CASE("real circuits take the real path and agree", "[grad]") {
  std::mt19937_64 rng(5);
  auto be = exact_backend();
  const std::vector<gate_kind> real_kinds{gate_kind::ry, gate_kind::rbs,  gate_kind::fbs,
                                          gate_kind::h,  gate_kind::cnot, gate_kind::cz,
                                          gate_kind::x,  gate_kind::swap};
  const circuit c = test::random_param_circuit(6, 40, 5, real_kinds, rng);
  REQUIRE(is_real_circuit(c));
  const auto params = random_params(5, rng);
  diagonal_observable obs;
  for (basis_state x = 0; x < 64; ++x) obs.weights[x] = std::sin(double(x));
  gradient_options opt;
  require_close(adjoint_gradient(c, params, obs, opt).gradient,
                shift_gradient(c, params, obs, be, opt).gradient, 1e-8);
}

TEST_CASE("unary Butterflies: adjoint, serial and parallel shift agree", "[grad][butterfly]") {
  std::mt19937_64 rng(77);
  auto be = exact_backend();
  for (index_t n : {4, 8, 16, 32, 64}) {
    INFO("n = " << n);
    const circuit c = unary_butterfly(n, rng);
    const auto params = random_params(c.num_parameters(), rng);
    std::vector<double> w(n);
    std::uniform_real_distribution<double> u(-2, 2);
    for (auto& v : w) v = u(rng);
    const auto obs = diagonal_observable::from_unary(w);
    gradient_options opt;
    const auto adj = adjoint_gradient(c, params, obs, opt);
    const auto sh = shift_gradient(c, params, obs, be, opt);
    CHECK(adj.value == Approx(sh.value).margin(1e-12));
    require_close(adj.gradient, sh.gradient, 1e-8);
    // The coupling layer (the last n/2 parameters) by the parallel shift.
    gradient_options par;
    for (index_t k = c.num_parameters() - n / 2; k < c.num_parameters(); ++k) par.wrt.push_back(k);
    const auto pr = parallel_shift_gradient(c, params, obs, be, par);
    CHECK_FALSE(pr.approximate);
    CHECK(pr.evaluations.circuits == 5);  // 4 shifted + the value
    par.with_value = false;
    par.rbs_rule = rbs_shift_rule::automatic;
    const auto pr2 = parallel_shift_gradient(c, params, obs, be, par);
    CHECK(pr2.evaluations.circuits == 2);
    const auto adj_last = adjoint_gradient(c, params, obs, par);
    require_close(pr.gradient, adj_last.gradient, 1e-8);
    require_close(pr2.gradient, adj_last.gradient, 1e-8);
  }
}

TEST_CASE("docs/method.md section 8 gradient vector", "[grad][spec]") {
  const circuit c = section8_circuit();
  const auto params = section8_params();
  const auto obs = section8_observable();
  const std::vector<double> expected{-0.0108638005, 0.1751716603,  0.1986207150,  0.0166002883,
                                     -0.0499974537, -0.0442244752, 0.0421747086,  -0.3249237741,
                                     0.0020979778,  -0.1054686374, -0.4716735922, -3.3858313877};
  auto be = exact_backend();
  SECTION("adjoint, serial shift and finite differences") {
    const auto adj = adjoint_gradient(c, params, obs);
    CHECK(adj.value == Approx(5.7991006366).margin(1e-9));
    require_close(adj.gradient, expected, 1e-9);
    require_close(shift_gradient(c, params, obs, be).gradient, expected, 1e-9);
    gradient_options full;
    full.simulation.mode = simulation_mode::full;
    require_close(adjoint_gradient(c, params, obs, full).gradient, expected, 1e-9);
    require_close(finite_difference_gradient(c, params, obs, be).gradient, expected, 1e-7);
  }
  SECTION("the coupling layer by the 4-circuit parallel shift") {
    gradient_options opt;
    opt.wrt = {8, 9, 10, 11};
    opt.with_value = false;
    const auto before = be.stats();
    const auto r = parallel_shift_gradient(c, params, obs, be, opt);
    CHECK(r.evaluations.circuits == 4);
    CHECK(r.evaluations.batches == 1);
    CHECK(be.stats().circuits - before.circuits == 4);
    require_close(r.gradient, {expected.begin() + 8, expected.end()}, 1e-9);
  }
  SECTION("a non-trailing layer is refused, and approximate mode differs") {
    gradient_options opt;
    opt.wrt = {0, 1, 2, 3};
    opt.method = gradient_method::parallel;
    try {
      (void)gradient(c, params, obs, be, opt);
      FAIL("expected a refusal");
    } catch (const circuit_error& e) {
      const std::string msg = e.what();
      CHECK(msg.find("papillon::parallel_shift_gradient: the parallel shift is not exact") == 0);
      CHECK(msg.find("not the trailing block") != std::string::npos);
    }
    opt.allow_approximate = true;
    const auto r = gradient(c, params, obs, be, opt);
    CHECK(r.approximate);
    CHECK_FALSE(r.approximation_note.empty());
    double worst = 0;
    for (std::size_t i = 0; i < 4; ++i)
      worst = std::max(worst, std::abs(r.gradient[i] - expected[i]));
    CHECK(worst > 1e-3);
    // Every parameter at once: three layers, two of them approximate.
    opt.wrt.clear();
    opt.with_value = false;
    const auto all = gradient(c, params, obs, be, opt);
    CHECK(all.approximate);
    CHECK(all.evaluations.circuits == 12);
    require_close({all.gradient.begin() + 8, all.gradient.end()},
                  {expected.begin() + 8, expected.end()}, 1e-9);
  }
}

TEST_CASE("evaluation ledger counts (docs/method.md 3.4)", "[grad][ledger]") {
  std::mt19937_64 rng(9);
  auto be = exact_backend();
  const std::size_t table[][3] = {{8, 48, 12}, {16, 128, 16}, {32, 320, 20}, {64, 768, 24}};
  for (const auto& row : table) {
    const index_t n = row[0];
    INFO("n = " << n);
    const circuit c = unary_butterfly(n, rng);
    const auto params = random_params(c.num_parameters(), rng);
    const auto obs = diagonal_observable::from_unary(std::vector<double>(n, 1.0));
    gradient_options opt;
    opt.with_value = false;
    auto before = be.stats();
    const auto s = shift_gradient(c, params, obs, be, opt);
    CHECK(s.evaluations.circuits == row[1]);
    CHECK(s.evaluations.batches == 1);
    CHECK(be.stats().circuits - before.circuits == row[1]);
    CHECK(be.stats().batches - before.batches == 1);
    // Per layer: 4 circuits whatever the width (approximate for the non-trailing layers).
    opt.allow_approximate = true;
    before = be.stats();
    const auto p = parallel_shift_gradient(c, params, obs, be, opt);
    CHECK(p.evaluations.circuits == row[2]);
    CHECK(be.stats().circuits - before.circuits == row[2]);
    CHECK(adjoint_gradient(c, params, obs, opt).evaluations == evaluation_ledger{});
  }
  SECTION("16-qubit Butterfly: 128 serial, 4 or 2 for the coupling layer, +1 with the value") {
    const circuit c = unary_butterfly(16, rng);
    const auto params = random_params(c.num_parameters(), rng);
    const auto obs = diagonal_observable::from_unary(std::vector<double>(16, 0.5));
    gradient_options opt;
    CHECK(shift_gradient(c, params, obs, be, opt).evaluations.circuits == 129);
    opt.with_value = false;
    for (index_t k = 24; k < 32; ++k) opt.wrt.push_back(k);
    CHECK(parallel_shift_gradient(c, params, obs, be, opt).evaluations.circuits == 4);
    opt.rbs_rule = rbs_shift_rule::automatic;
    CHECK(parallel_shift_gradient(c, params, obs, be, opt).evaluations.circuits == 2);
    CHECK(shift_gradient(c, params, obs, be, opt).evaluations.circuits == 16);
    opt.shots = 100;
    const auto r = shift_gradient(c, params, obs, be, opt);
    CHECK(r.evaluations == evaluation_ledger{16, 1600, 1});
  }
}

TEST_CASE("sampled shift gradients are unbiased", "[grad][shots]") {
  const circuit c = section8_circuit();
  const auto params = section8_params();
  const auto obs = section8_observable();
  const auto exact = adjoint_gradient(c, params, obs);
  auto be = exact_backend();
  for (auto method : {gradient_method::shift, gradient_method::parallel}) {
    INFO(std::string(method_name(method)));
    gradient_options opt;
    opt.method = method;
    opt.shots = 4000;
    if (method == gradient_method::parallel) opt.wrt = {8, 9, 10, 11};
    const int seeds = 24;
    std::vector<std::vector<double>> runs;
    for (int s = 0; s < seeds; ++s) {
      opt.seed = 1000 + static_cast<std::uint64_t>(s);
      runs.push_back(gradient(c, params, obs, be, opt).gradient);
    }
    for (std::size_t j = 0; j < runs[0].size(); ++j) {
      double mean = 0, var = 0;
      for (const auto& r : runs) mean += r[j] / seeds;
      for (const auto& r : runs) var += (r[j] - mean) * (r[j] - mean) / (seeds - 1);
      const double truth = exact.gradient[opt.wrt.empty() ? j : opt.wrt[j]];
      INFO("parameter " << j << ": mean " << mean << ", truth " << truth);
      CHECK(std::abs(mean - truth) <= 5 * std::sqrt(var / seeds) + 1e-12);
      CHECK(var > 0);
    }
  }
}

TEST_CASE("shared parameters and scales use the chain rule", "[grad]") {
  circuit c(4);
  c.x(0);
  c.rbs(0, 1, param(0));
  c.rbs(2, 3, param(0, -0.5));
  c.rbs(1, 2, param(1, 2.0));
  c.rbs(0, 1, param(0, 1.5));
  c.ry(3, param(1));
  c.rbs(0, 3, 0.4);
  const std::vector<double> params{0.3, -0.8};
  diagonal_observable obs;
  for (basis_state x = 0; x < 16; ++x) obs.weights[x] = double(x % 5) - 1.5;
  auto be = exact_backend();
  const auto adj = adjoint_gradient(c, params, obs);
  require_close(adj.gradient, shift_gradient(c, params, obs, be).gradient, 1e-10);
  require_close(adj.gradient, finite_difference_gradient(c, params, obs, be).gradient, 1e-7);
  // Only parameter 1, by itself.
  gradient_options opt;
  opt.wrt = {1};
  const auto one = shift_gradient(c, params, obs, be, opt);
  REQUIRE(one.gradient.size() == 1);
  CHECK(one.gradient[0] == Approx(adj.gradient[1]).margin(1e-10));
  CHECK(one.evaluations.circuits == 4 + 2 + 1);
}

TEST_CASE("parallel shift on general weights: per-pair Z terms are exact, others refused",
          "[grad][parallel]") {
  // Two layers of RY on a full state (leaves the weight-1 subspace).
  circuit c(4);
  for (index_t q = 0; q < 4; ++q) c.h(q);
  c.cnot(0, 1).cnot(2, 3);
  for (index_t q = 0; q < 4; ++q) c.ry(q, param(q));
  c.cz(0, 2);
  const std::vector<double> params{0.2, -0.4, 0.9, 1.3};
  auto be = exact_backend();
  diagonal_observable z;  // sum_q c_q Z_q
  for (basis_state x = 0; x < 16; ++x) {
    double v = 0;
    for (index_t q = 0; q < 4; ++q) v += double(q + 1) * (((x >> q) & 1U) ? -1.0 : 1.0);
    z.weights[x] = v;
  }
  const auto r = parallel_shift_gradient(c, params, z, be);
  CHECK_FALSE(r.approximate);
  CHECK(r.evaluations.circuits == 3);  // one layer of Pauli rotations: 2, plus the value
  require_close(r.gradient, adjoint_gradient(c, params, z).gradient, 1e-10);
  diagonal_observable zz = z;
  zz.weights[5] += 0.7;  // couples qubits 0 and 2, in different gates
  CHECK_THROWS_WITH(parallel_shift_gradient(c, params, zz, be),
                    Catch::Contains("cannot split the objective"));
}

TEST_CASE("vector-Jacobian product matches finite differences of a nonlinear loss", "[grad][vjp]") {
  std::mt19937_64 rng(31);
  const auto loss = [](const std::vector<double>& p, std::vector<double>* grad) {
    double l = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const double t = 0.1 * double(i % 7);
      l += std::log(p[i] + 0.05) * t + (p[i] - t) * (p[i] - t);
      if (grad) (*grad)[i] = t / (p[i] + 0.05) + 2 * (p[i] - t);
    }
    return l;
  };
  const auto check = [&](const circuit& c, const simulation_options& sim) {
    const auto params = random_params(c.num_parameters(), rng);
    const auto probs = simulate_probabilities(c, params, sim);
    std::vector<double> dl(probs.values.size());
    (void)loss(probs.values, &dl);
    const auto v = vector_jacobian_product(c, params, dl, sim);
    REQUIRE(v.probabilities.values.size() == probs.values.size());
    const double h = 1e-6;
    for (index_t j = 0; j < c.num_parameters(); ++j) {
      auto pp = params, pm = params;
      pp[j] += h;
      pm[j] -= h;
      const double fd = (loss(simulate_probabilities(c, pp, sim).values, nullptr) -
                         loss(simulate_probabilities(c, pm, sim).values, nullptr)) /
                        (2 * h);
      INFO("parameter " << j);
      CHECK(v.gradient[j] == Approx(fd).margin(1e-6));
    }
  };
  check(unary_butterfly(16, rng), {});
  simulation_options full;
  full.mode = simulation_mode::full;
  check(unary_butterfly(8, rng), full);
  check(test::random_param_circuit(5, 30, 6, test::all_kinds(), rng), {});
  const std::vector<double> too_short(3);
  CHECK_THROWS_AS(vector_jacobian_product(unary_butterfly(8, rng), section8_params(), too_short),
                  dimension_error);
}

TEST_CASE("adjoint on weight-2 subspaces matches the full state", "[grad][subspace]") {
  std::mt19937_64 rng(12);
  for (auto k : {gate_kind::rbs, gate_kind::fbs}) {
    circuit c(8);
    c.x(1).x(5);
    for (index_t s = 1; s < 8; s *= 2)
      for (index_t i = 0; i < 8; ++i)
        if ((i / s) % 2 == 0) {
          operation op = make_operation(k, i, i + s);
          op.param = parameter_ref{c.num_parameters(), 1.0};
          c.append(op);
        }
    c.rz(3, param(0, 0.5));
    c.zz(2, 6, param(1));
    const auto params = random_params(c.num_parameters(), rng);
    diagonal_observable obs;
    for (basis_state x = 0; x < 256; ++x) obs.weights[x] = std::cos(double(x));
    gradient_options sub, full;
    full.simulation.mode = simulation_mode::full;
    const auto a = adjoint_gradient(c, params, obs, sub);
    const auto b = adjoint_gradient(c, params, obs, full);
    CHECK(a.value == Approx(b.value).margin(1e-12));
    require_close(a.gradient, b.gradient, 1e-10);
  }
}

TEST_CASE("adjoint scales to 1024-qubit unary Butterflies", "[grad][large]") {
  std::mt19937_64 rng(4);
  const index_t n = 1024;
  const circuit c = unary_butterfly(n, rng);
  REQUIRE(c.num_parameters() == 5120);
  const auto params = random_params(c.num_parameters(), rng);
  std::vector<double> w(n);
  for (index_t i = 0; i < n; ++i) w[i] = std::sin(0.01 * double(i));
  const auto obs = diagonal_observable::from_unary(w);
  const auto r = adjoint_gradient(c, params, obs);
  REQUIRE(r.gradient.size() == 5120);
  // Spot-check against central differences on the subspace simulator.
  const double h = 1e-5;
  for (index_t j : {index_t{0}, index_t{777}, index_t{4600}, index_t{5119}}) {
    auto pp = params, pm = params;
    pp[j] += h;
    pm[j] -= h;
    const double fd = (test::exact_value(c, pp, obs) - test::exact_value(c, pm, obs)) / (2 * h);
    INFO("parameter " << j);
    CHECK(r.gradient[j] == Approx(fd).margin(1e-7));
  }
}

TEST_CASE("bad inputs are refused with the house message form", "[grad][errors]") {
  const circuit c = section8_circuit();
  auto be = exact_backend();
  const auto obs = section8_observable();
  gradient_options opt;
  opt.wrt = {12};
  CHECK_THROWS_WITH(shift_gradient(c, section8_params(), obs, be, opt),
                    Catch::StartsWith("papillon::shift_gradient: parameter index out of range"));
  opt.wrt = {1, 1};
  CHECK_THROWS_AS(adjoint_gradient(c, section8_params(), obs, opt), dimension_error);
  gradient_options shots;
  shots.shots = 10;
  CHECK_THROWS_AS(adjoint_gradient(c, section8_params(), obs, shots), data_error);
  diagonal_observable bad;
  bad.weights[256] = 1.0;
  CHECK_THROWS_AS(shift_gradient(c, section8_params(), bad, be), dimension_error);
  CHECK_THROWS_AS(parse_gradient_method("backprop"), data_error);
  CHECK(parse_gradient_method("parallel") == gradient_method::parallel);
}
