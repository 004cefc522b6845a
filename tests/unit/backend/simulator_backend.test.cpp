#include <papillon/backend/simulator_backend.hpp>
#include <papillon/readout/post_selection.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "../../support/reference.hpp"

using namespace papillon;
using Catch::Matchers::Contains;
using Catch::Matchers::Message;
using Catch::Matchers::WithinAbs;

namespace {

// A unary Butterfly on n = 2^m qubits (coupling-last), `layers` layers, parameters 0..P-1.
circuit butterfly(index_t n, index_t layers) {
  circuit c(n);
  c.x(0);
  index_t p = 0;
  index_t done = 0;
  while (done < layers)
    for (index_t s = 1; s < n && done < layers; s *= 2, ++done)
      for (index_t i = 0; i < n; ++i)
        if ((i & s) == 0) c.rbs(i, i + s, param(p++));
  return c;
}

std::vector<double> angles(index_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> d(-3.0, 3.0);
  std::vector<double> out(count);
  for (auto& v : out) v = d(rng);
  return out;
}

double total_variation(const std::map<basis_key, double>& a, const std::map<basis_key, double>& b) {
  std::map<basis_key, double> diff = a;
  for (const auto& [s, p] : b) diff[s] -= p;
  double tv = 0;
  for (const auto& [s, d] : diff) tv += std::abs(d);
  return tv / 2;
}

double weight_fraction(const run_result& r, index_t weight) {
  return post_select_weight(r.counts, weight).fraction();
}

simulator_backend_options with_threads(unsigned t) {
  simulator_backend_options o;
  o.threads = t;
  return o;
}

}  // namespace

TEST_CASE("simulator_backend: ideal exact runs equal simulate_probabilities", "[backend]") {
  circuit full(3);
  full.h(0).cnot(0, 1).ry(2, param(0)).rbs(1, 2, param(1));
  const circuit sub = butterfly(4, 2);
  const auto p_full = angles(2, 1);
  const auto p_sub = angles(sub.num_parameters(), 2);
  simulator_backend b;
  CHECK(b.run(full, p_full, {}).probabilities == simulate_probabilities(full, p_full).to_map());
  const auto r = b.run(sub, p_sub, {});
  CHECK(r.probabilities == simulate_probabilities(sub, p_sub).to_map());
  CHECK(r.qubits == 4);
  CHECK(r.shots == 0);
  CHECK(r.counts.empty());
  CHECK(b.info().exact);
  CHECK(b.stats().circuits == 2);
}

TEST_CASE("simulator_backend: sampled runs use derive_seed(seed, task index)", "[backend]") {
  const circuit c = butterfly(4, 2);
  const auto p = angles(c.num_parameters(), 3);
  simulator_backend b;
  std::vector<run_task> tasks{{&c, p}, {&c, p}};
  const auto out = b.run_batch(tasks, {1000, 77});
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const auto ref = simulate_counts(c, p, 1000, derive_seed(77, i));
    std::map<basis_key, std::uint64_t> expect;
    for (const auto& [idx, n] : ref.counts) expect[ref.exact.basis_of(idx)] = n;
    CHECK(out[i].counts == expect);
    CHECK(out[i].shots == 1000);
    double sum = 0;
    for (const auto& [s, f] : out[i].probabilities) sum += f;
    CHECK_THAT(sum, WithinAbs(1.0, 1e-12));
  }
  CHECK(out[0].counts != out[1].counts);  // different seeds per task
}

TEST_CASE("simulator_backend: batch results equal looped single runs and ignore thread count",
          "[backend][property]") {
  const circuit a = butterfly(8, 3);
  circuit b_circ(4);
  b_circ.h(0).cnot(0, 1).rx(2, param(0)).xx(1, 3, param(1)).rbs(0, 2, 0.3);
  std::vector<run_task> tasks;
  for (int i = 0; i < 5; ++i) {
    tasks.push_back({&a, angles(a.num_parameters(), 10 + i)});
    tasks.push_back({&b_circ, angles(2, 20 + i)});
  }
  for (const std::string noise : {"ideal", "aria-1"}) {
    for (const std::uint64_t shots : {0ULL, 500ULL}) {
      if (noise != "ideal" && shots == 0) continue;
      DYNAMIC_SECTION(noise << ", shots " << shots) {
        const run_options ro{shots, 5};
        simulator_backend_options o1 = with_threads(1);
        o1.noise = noise;
        simulator_backend one(o1);
        const auto ref = one.run_batch(tasks, ro);
        for (const unsigned t : {2U, 3U, 8U}) {
          simulator_backend_options ot = with_threads(t);
          ot.noise = noise;
          simulator_backend many(ot);
          CHECK(many.run_batch(tasks, ro) == ref);
        }
        // Looped: task i of a batch with seed s equals a single run seeded derive_seed(s, i)
        // (the batch derives seeds the same way for a batch of one at index 0).
        if (shots == 0) {
          for (std::size_t i = 0; i < tasks.size(); ++i)
            CHECK(one.run(*tasks[i].circ, tasks[i].params, ro) == ref[i]);
        }
      }
    }
  }
}

TEST_CASE("simulator_backend: noisy trajectories of one circuit ignore the thread count",
          "[backend][noise][property]") {
  const circuit c = butterfly(8, 3);
  const auto p = angles(c.num_parameters(), 4);
  for (const std::uint64_t traj : {0ULL, 37ULL}) {
    simulator_backend_options o = with_threads(1);
    o.noise = "aria-1";
    o.trajectories = traj;
    simulator_backend one(o);
    const auto ref = one.run(c, p, {3000, 11});
    std::uint64_t total = 0;
    for (const auto& [s, n] : ref.counts) total += n;
    CHECK(total == 3000);
    for (const unsigned t : {2U, 4U}) {
      o.threads = t;
      simulator_backend many(o);
      CHECK(many.run(c, p, {3000, 11}) == ref);
    }
    CHECK(one.run(c, p, {3000, 12}) != ref);
  }
}

TEST_CASE("simulator_backend: noise with all rates 0 reproduces the ideal distribution",
          "[backend][noise]") {
  circuit c(3);
  c.h(0).cnot(0, 1).ry(2, 0.9).rbs(1, 2, 0.4).rz(0, 0.2);
  const auto exact = simulate_probabilities(c, {}).to_map();
  simulator_backend_options o;
  o.force_trajectories = true;
  o.exact_trajectories = 50;
  simulator_backend b(noise_model{"zero", 0, 0, 0}, o);
  SECTION("averaged trajectories are exact") {
    const auto r = b.run(c, {}, {});
    REQUIRE(r.probabilities.size() == exact.size());
    for (const auto& [s, p] : exact) CHECK_THAT(r.probabilities.at(s), WithinAbs(p, 1e-12));
  }
  SECTION("sampled trajectories are draws of the ideal distribution") {
    const std::uint64_t shots = 40000;
    const auto r = b.run(c, {}, {shots, 3});
    for (const auto& [s, n] : r.counts) CHECK(exact.count(s) == 1);
    for (const auto& [s, p] : exact) {
      const double f = r.counts.count(s) ? double(r.counts.at(s)) / double(shots) : 0.0;
      CHECK(std::abs(f - p) < 5 * std::sqrt(p * (1 - p) / double(shots)) + 1e-12);
    }
  }
}

TEST_CASE("simulator_backend: one RBS followed by two-qubit depolarising leaks p2/2",
          "[backend][noise]") {
  // After RBS the pair (a, b) is in span{|01>, |10>}. Of the 15 Paulis, the 8 with exactly one
  // X or Y flip one bit and leave weight 1; IZ, ZI, ZZ, XX, XY, YX, YY keep it. Each has
  // probability r/16, so the leaked fraction is 8 r/16 = r/2.
  circuit c(2);
  c.x(0).rbs(0, 1, 0.7);
  const std::uint64_t shots = 200000;
  for (const double r : {0.05, 0.2}) {
    simulator_backend_options o;
    o.threads = 2;
    simulator_backend b(noise_model{"test", 0.0, r, 0.0}, o);
    const auto res = b.run(c, {}, {shots, 9});
    const double leak = 1.0 - weight_fraction(res, 1);
    const double expect = r / 2;
    INFO("r = " << r << ", leak = " << leak);
    CHECK(std::abs(leak - expect) < 5 * std::sqrt(expect * (1 - expect) / double(shots)));
    // The exact average over many trajectories agrees too.
    o.exact_trajectories = 20000;
    simulator_backend e(noise_model{"test", 0.0, r, 0.0}, o);
    const auto ex = e.run(c, {}, {});
    const double ex_leak = ex.probabilities.count(0) ? ex.probabilities.at(0) : 0.0;
    const double ex_leak3 = ex.probabilities.count(3) ? ex.probabilities.at(3) : 0.0;
    CHECK(std::abs(ex_leak + ex_leak3 - expect) < 5 * std::sqrt(expect * (1 - expect) / 20000.0));
  }
}

TEST_CASE("simulator_backend: leaked weight grows with error rate and depth", "[backend][noise]") {
  const std::uint64_t shots = 20000;
  const auto leak = [&](double r, index_t layers) {
    const circuit c = butterfly(8, layers);
    simulator_backend b(noise_model{"test", r / 10, r, 0.0}, with_threads(2));
    return 1.0 - weight_fraction(b.run(c, angles(c.num_parameters(), 8), {shots, 1}), 1);
  };
  const double l_1_low = leak(0.01, 1);
  const double l_3_low = leak(0.01, 3);
  const double l_3_high = leak(0.04, 3);
  const double l_6_high = leak(0.04, 6);
  INFO(l_1_low << " " << l_3_low << " " << l_3_high << " " << l_6_high);
  CHECK(l_1_low > 0);
  CHECK(l_1_low < l_3_low);
  CHECK(l_3_low < l_3_high);
  CHECK(l_3_high < l_6_high);
}

TEST_CASE("simulator_backend: Hamming-weight post-selection recovers the ideal distribution",
          "[backend][noise]") {
  const circuit c = butterfly(8, 3);
  const auto p = angles(c.num_parameters(), 21);
  const auto ideal = simulate_probabilities(c, p).to_map();
  simulator_backend_options o;
  o.noise = "forte-1";
  o.threads = 2;
  simulator_backend b(o);
  const std::uint64_t shots = 50000;
  const auto r = b.run(c, p, {shots, 2});
  const auto kept = post_select_weight(r.counts, 1);
  INFO("kept " << kept.fraction());
  CHECK(kept.fraction() < 1.0);
  CHECK(kept.fraction() > 0.9);
  const double tv_raw = total_variation(r.probabilities, ideal);
  const double tv_kept = total_variation(kept.probabilities(), ideal);
  INFO("raw " << tv_raw << ", kept " << tv_kept);
  CHECK(tv_kept < tv_raw);
  CHECK(tv_kept < 0.03);  // shot noise (~0.01 over 8 outcomes) + weight-keeping errors
}

TEST_CASE("simulator_backend: readout bit flips", "[backend][noise]") {
  circuit c(2);
  c.x(0);
  simulator_backend_options o;
  o.exact_trajectories = 1;
  simulator_backend b(noise_model{"spam", 0, 0, 0.1}, o);
  const auto ex = b.run(c, {}, {});
  CHECK_THAT(ex.probabilities.at(1), WithinAbs(0.81, 1e-12));
  CHECK_THAT(ex.probabilities.at(0), WithinAbs(0.09, 1e-12));
  CHECK_THAT(ex.probabilities.at(3), WithinAbs(0.09, 1e-12));
  CHECK_THAT(ex.probabilities.at(2), WithinAbs(0.01, 1e-12));
  const std::uint64_t shots = 100000;
  const auto r = b.run(c, {}, {shots, 4});
  for (const auto& [s, q] : ex.probabilities)
    CHECK(std::abs(double(r.counts.at(s)) / double(shots) - q) <
          5 * std::sqrt(q * (1 - q) / double(shots)));
}

TEST_CASE("simulator_backend: noise presets", "[backend][noise]") {
  CHECK(find_noise_model("ideal").is_ideal());
  const auto aria = find_noise_model("aria-1");
  CHECK(aria.p1 == 0.0005);
  CHECK(aria.p2 == 0.0133);
  CHECK(find_noise_model("forte-1").p2 == 0.004949333333333333);
  CHECK(find_noise_model("forte-enterprise-1").p2 == find_noise_model("forte-1").p2);
  CHECK(aria.error_probability(2) == 0.9375 * 0.0133);
  CHECK_THROWS_MATCHES(find_noise_model("aria"), data_error,
                       Message("papillon::find_noise_model: unknown noise model 'aria' (valid: "
                               "ideal, aria-1, aria-2, forte-1, forte-enterprise-1)"));
}

TEST_CASE("simulator_backend: bad inputs give clear errors", "[backend]") {
  circuit c(4);
  c.x(0).rbs(0, 1, 0.2);
  SECTION("unknown noise model") {
    simulator_backend_options o;
    o.noise = "harmony";
    CHECK_THROWS_AS(simulator_backend(o), data_error);
    CHECK_THROWS_WITH(simulator_backend(o), Contains("unknown noise model 'harmony'") &&
                                                Contains("valid: ideal, aria-1"));
  }
  SECTION("exact runs with noise are refused by default") {
    simulator_backend_options o;
    o.noise = "aria-1";
    simulator_backend b(o);
    CHECK_FALSE(b.info().exact);
    CHECK_THROWS_MATCHES(b.run(c, {}, {}), backend_error,
                         Message("papillon::backend::run_batch: backend has no exact mode: shots "
                                 "must be > 0 (simulator (noise aria-1))"));
  }
  SECTION("too many qubits") {
    simulator_backend_options o;
    o.max_qubits = 3;
    simulator_backend b(o);
    CHECK_THROWS_MATCHES(b.run(c, {}, {}), dimension_error,
                         Message("papillon::backend::run_batch: circuit has more qubits than the "
                                 "backend supports (task 0: 4 > 3)"));
    o.max_qubits = 0;
    CHECK_THROWS_WITH(simulator_backend(o), Contains("max_qubits must be at least 1"));
  }
  SECTION("subspace mode with noise") {
    simulator_backend_options o;
    o.noise = "forte-1";
    o.mode = simulation_mode::subspace;
    CHECK_THROWS_WITH(simulator_backend(o),
                      Contains("noisy simulation runs on the full state") && Contains("forte-1"));
  }
  SECTION("rates outside [0, 1]") {
    CHECK_THROWS_WITH(simulator_backend(noise_model{"bad", 0, 1.5, 0}, {}),
                      Contains("p2 must be in [0, 1]"));
  }
  SECTION("a failing task is reported after the workers join") {
    circuit h(4);
    h.h(0);
    simulator_backend_options o = with_threads(2);
    o.mode = simulation_mode::subspace;
    simulator_backend b(o);
    std::vector<run_task> tasks{{&c, {}}, {&c, {}}, {&h, {}}, {&c, {}}, {&h, {}}};
    CHECK_THROWS_MATCHES(b.run_batch(tasks, {}), circuit_error,
                         Message("papillon::simulate: circuit cannot run in subspace mode "
                                 "(operation 0 (h) does not preserve Hamming weight)"));
  }
}

TEST_CASE("post_select_weight: keeps the outcomes of one weight", "[backend]") {
  const std::map<basis_key, std::uint64_t> counts{{1, 40}, {2, 30}, {3, 20}, {0, 10}};
  const auto r = post_select_weight(counts, 1);
  CHECK(r.counts == std::map<basis_key, std::uint64_t>{{1, 40}, {2, 30}});
  CHECK(r.kept == 70);
  CHECK(r.total == 100);
  CHECK_THAT(r.fraction(), WithinAbs(0.7, 1e-15));
  CHECK_THAT(r.probabilities().at(1), WithinAbs(40.0 / 70.0, 1e-15));
  CHECK(post_select_weight(std::map<basis_key, std::uint64_t>{}, 1).fraction() == 0.0);
}
