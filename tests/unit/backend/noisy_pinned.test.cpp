// Noisy simulator-backend results pinned to the values the full-state trajectory runner gave
// before it ran on the state classes: a refactoring of the runner must leave every trajectory,
// and so every result, bit-identical for the same seeds (complex amplitudes: up to the rounding
// of the instruction set the dense kernels run on).
//
// How the vectors were produced: the two circuits and noise models below, run on
// simulator_backend with threads = 2, exact_trajectories = 40 (shots 0, seed 11) and one
// trajectory per shot (shots 300, seed 12), batches of two identical tasks; probabilities
// printed with printf("%a") (exact doubles), counts as integers.

#include <papillon/backend/simulator_backend.hpp>

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "support/catch.hpp"

using namespace papillon;

namespace {

// real circuit, exact, task 0
const std::vector<std::pair<basis_state, double>> real_exact_0 = {
    {0, 0x1.cbe07720817fp-6},   {1, 0x1.982003345702fp-6},  {2, 0x1.7040dce7b94c6p-5},
    {3, 0x1.f03fbe69aa63p-6},   {4, 0x1.007f10df0280dp-3},  {5, 0x1.552cf82db42a8p-5},
    {6, 0x1.6cd7e4f60dc8dp-3},  {7, 0x1.16111bfacbbdfp-4},  {8, 0x1.93df30b5d671dp-6},
    {9, 0x1.601ebcc9abf5ap-6},  {10, 0x1.584c8b22ea903p-5}, {11, 0x1.c0571ae00ceacp-6},
    {12, 0x1.cae0added6e27p-4}, {13, 0x1.d1e420deafd7bp-6}, {14, 0x1.40a0dbf48c06p-3},
    {15, 0x1.7b4613ef90702p-5}};
// real circuit, exact, task 1
const std::vector<std::pair<basis_state, double>> real_exact_1 = {
    {0, 0x1.5f9b8c46316efp-5},  {1, 0x1.313908114fd8ap-5},  {2, 0x1.048c45ff5292cp-4},
    {3, 0x1.f99262c7f6d89p-6},  {4, 0x1.7f27853e915ddp-4},  {5, 0x1.763e0c573e013p-5},
    {6, 0x1.2637a045b84b1p-3},  {7, 0x1.2261622106942p-4},  {8, 0x1.17b07b9dc78d2p-5},
    {9, 0x1.d29beed1cbeep-6},   {10, 0x1.000fba5e80161p-4}, {11, 0x1.e7a03444ace58p-6},
    {12, 0x1.6bea3ded3afbep-4}, {13, 0x1.4fc37db4913cfp-5}, {14, 0x1.09d6226f0af81p-3},
    {15, 0x1.d33ccce757dbbp-5}};
// real circuit, counts, task 0
const std::vector<std::pair<basis_state, std::uint64_t>> real_counts_0 = {
    {0, 14}, {1, 10}, {2, 12},  {3, 11},  {4, 32},  {5, 10},  {6, 44},  {7, 26},
    {8, 11}, {9, 4},  {10, 16}, {11, 11}, {12, 29}, {13, 12}, {14, 47}, {15, 11}};
// real circuit, counts, task 1
const std::vector<std::pair<basis_state, std::uint64_t>> real_counts_1 = {
    {0, 13}, {1, 5}, {2, 16},  {3, 6},   {4, 23},  {5, 14},  {6, 49},  {7, 20},
    {8, 6},  {9, 8}, {10, 17}, {11, 11}, {12, 31}, {13, 12}, {14, 43}, {15, 26}};
// complex circuit, exact, task 0
const std::vector<std::pair<basis_state, double>> complex_exact_0 = {
    {0, 0x1.2b28fc7e76608p-3}, {1, 0x1.28dcff8b55ffap-3}, {2, 0x1.abc5ef30751bp-4},
    {3, 0x1.dab7b3fe94dc5p-4}, {4, 0x1.e69e07fa55dfep-4}, {5, 0x1.e527b1a54b12dp-4},
    {6, 0x1.178b691550f86p-3}, {7, 0x1.d699d8f31a623p-4}};
// complex circuit, exact, task 1
const std::vector<std::pair<basis_state, double>> complex_exact_1 = {
    {0, 0x1.5b8d0042f0b3ep-3}, {1, 0x1.29af9a79e341ap-3}, {2, 0x1.a4c88a39428a8p-4},
    {3, 0x1.86c83999bb698p-4}, {4, 0x1.703b845bd4f12p-4}, {5, 0x1.0b869a9c4c24ep-3},
    {6, 0x1.3d7491850b656p-3}, {7, 0x1.c7c42a14d619p-4}};
// complex circuit, counts, task 0
const std::vector<std::pair<basis_state, std::uint64_t>> complex_counts_0 = {
    {0, 44}, {1, 47}, {2, 23}, {3, 33}, {4, 26}, {5, 39}, {6, 53}, {7, 35}};
// complex circuit, counts, task 1
const std::vector<std::pair<basis_state, std::uint64_t>> complex_counts_1 = {
    {0, 43}, {1, 38}, {2, 38}, {3, 33}, {4, 28}, {5, 33}, {6, 47}, {7, 40}};

circuit real_circuit() {
  circuit c(4);
  c.x(0)
      .rbs(0, 1, param(0))
      .rbs(2, 3, param(1))
      .rbs(1, 2, param(2))
      .h(3)
      .cnot(0, 3)
      .ry(1, param(3))
      .cz(1, 2)
      .swap(0, 2)
      .fbs(0, 3, 0.4);
  return c;
}

circuit complex_circuit() {
  circuit c(3);
  c.h(0)
      .rx(1, param(0))
      .cnot(0, 1)
      .rz(2, param(1))
      .zz(1, 2, param(2))
      .s(0)
      .ms(0, 2, 0.1, 0.3)
      .y(1)
      .xx(0, 1, 0.5)
      .gpi2(2, 0.2)
      .t(1)
      .yy(1, 2, -0.4);
  return c;
}

template <class V>
std::vector<std::pair<basis_state, V>> entries(const std::map<basis_key, V>& m) {
  std::vector<std::pair<basis_state, V>> out;
  for (const auto& [k, v] : m) out.emplace_back(k.mask(), v);
  return out;
}

// `rounding` bounds how far an exact probability may move: 0 for real amplitudes (bit for bit),
// and a few units in the last place for complex ones, whose dense kernels now run on
// real arithmetic with FMA where the CPU has it, so their last bits depend on the instruction
// set. A different trajectory choice moves a probability by far more (each of the 40
// trajectories weighs 1/40), and the counts, drawn from those trajectories, stay exact.
void check_pinned(const circuit& c, const std::vector<double>& params, const noise_model& m,
                  const std::vector<std::pair<basis_state, double>>* exact,
                  const std::vector<std::pair<basis_state, std::uint64_t>>* counts,
                  double rounding = 0.0) {
  simulator_backend_options o;
  o.threads = 2;
  o.exact_trajectories = 40;
  simulator_backend b(m, o);
  const std::vector<run_task> tasks{{&c, params}, {&c, params}};
  const auto ex = b.run_batch(tasks, {0, 11});
  const auto sm = b.run_batch(tasks, {300, 12});
  for (std::size_t t = 0; t < 2; ++t) {
    INFO("task " << t);
    const auto got = entries(ex[t].probabilities);
    if (rounding == 0.0) {
      CHECK(got == exact[t]);  // exact equality: bit-identical
    } else {
      REQUIRE(got.size() == exact[t].size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].first == exact[t][i].first);
        CHECK_THAT(got[i].second, Catch::Matchers::WithinAbs(exact[t][i].second, rounding));
      }
    }
    CHECK(entries(sm[t].counts) == counts[t]);
  }
}

}  // namespace

TEST_CASE("simulator_backend: noisy trajectories reproduce the pinned results bit for bit",
          "[backend][noise]") {
  SECTION("real circuit (real amplitudes)") {
    const std::vector<std::pair<basis_state, double>> exact[2] = {real_exact_0, real_exact_1};
    const std::vector<std::pair<basis_state, std::uint64_t>> counts[2] = {real_counts_0,
                                                                          real_counts_1};
    check_pinned(real_circuit(), {0.3, -1.1, 0.7, 2.0}, noise_model{"test", 0.08, 0.15, 0.03},
                 exact, counts);
  }
  SECTION("complex circuit (complex amplitudes)") {
    const std::vector<std::pair<basis_state, double>> exact[2] = {complex_exact_0, complex_exact_1};
    const std::vector<std::pair<basis_state, std::uint64_t>> counts[2] = {complex_counts_0,
                                                                          complex_counts_1};
    check_pinned(complex_circuit(), {0.9, -0.4, 1.3}, noise_model{"test", 0.1, 0.2, 0.0}, exact,
                 counts, 1e-15);
  }
}
