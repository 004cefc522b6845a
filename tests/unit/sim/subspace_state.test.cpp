#include <papillon/sim/simulator.hpp>
#include <papillon/sim/subspace_state.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <numeric>

#include "../../support/reference.hpp"
#include "support/catch.hpp"

using namespace papillon;

namespace {
// A Butterfly on n = 2^m qubits with coupling-last order, built here by hand so these tests do
// not depend on the topology builders.
circuit hand_butterfly(index_t n, gate_kind g) {
  circuit c(n);
  index_t p = 0;
  for (index_t s = 1; s < n; s *= 2)
    for (index_t i = 0; i < n; ++i)
      if ((i / s) % 2 == 0) {
        operation op = make_operation(g, i, i + s);
        op.param = param(p++);
        c.append(op);
      }
  return c;
}

Eigen::MatrixXd unary_matrix(const circuit& c, const std::vector<double>& p) {
  const index_t n = c.num_qubits();
  Eigen::MatrixXd u(n, n);
  for (index_t j = 0; j < n; ++j) {
    const std::vector<index_t> occ{j};
    real_subspace_state<double> st(n, occ);
    st.apply(c, p);
    u.col(static_cast<Eigen::Index>(j)) = st.amplitudes();
  }
  return u;
}

// k-th compound matrix: entry (S, T) = det U[S, T], subsets in colex order.
Eigen::MatrixXd compound(const Eigen::MatrixXd& u, index_t k) {
  const index_t n = static_cast<index_t>(u.rows());
  combination_indexer ix(n, k);
  const auto sets = ix.enumerate();
  Eigen::MatrixXd c(sets.size(), sets.size());
  for (std::size_t r = 0; r < sets.size(); ++r)
    for (std::size_t s = 0; s < sets.size(); ++s) {
      Eigen::MatrixXd sub(k, k);
      index_t i = 0;
      for (basis_state a = sets[r]; a; a &= a - 1, ++i) {
        index_t j = 0;
        for (basis_state b = sets[s]; b; b &= b - 1, ++j)
          sub(i, j) = u(std::countr_zero(a), std::countr_zero(b));
      }
      c(r, s) = sub.determinant();
    }
  return c;
}
}  // namespace

TEST_CASE("subspace: every weight-preserving gate matches its dense matrix", "[sim][subspace]") {
  std::mt19937_64 rng(99);
  for (index_t n = 2; n <= 7; ++n)
    for (index_t k = 0; k <= n; ++k)
      for (auto kind : test::weight_preserving_kinds()) {
        const operation op = test::random_operation(kind, n, rng);
        // A random state inside weight k.
        test::cvec psi = test::random_state(index_t{1} << n, rng);
        for (Eigen::Index i = 0; i < psi.size(); ++i)
          if (std::popcount(std::uint64_t(i)) != int(k)) psi[i] = 0;
        psi.normalize();
        auto st = subspace_state<double>::from_full(statevector<double>(test::cvec(psi)), k);
        st.apply(op);
        const test::cvec expected = test::full_matrix(op, n, op.theta) * psi;
        INFO("n = " << n << ", k = " << k << ", " << gate_name(kind));
        REQUIRE((st.to_full().amplitudes() - expected).norm() < 1e-12);
      }
}

TEST_CASE("subspace: agrees with full simulation on random weight-preserving circuits",
          "[sim][subspace][property]") {
  std::mt19937_64 rng(1234);
  for (index_t n = 2; n <= 8; ++n)
    for (index_t k = 1; k < n; ++k) {
      const circuit c = test::random_circuit(n, 25, test::weight_preserving_kinds(), rng);
      std::vector<index_t> qubits(n);
      std::iota(qubits.begin(), qubits.end(), index_t{0});
      std::shuffle(qubits.begin(), qubits.end(), rng);
      basis_state init = 0;
      for (index_t q = 0; q < k; ++q) init |= basis_state{1} << qubits[q];
      subspace_state<double> sub(n, init);
      statevector<double> full(n, init);
      sub.apply(c);
      full.apply(c);
      INFO("n = " << n << ", k = " << sub.weight());
      REQUIRE((sub.to_full().amplitudes() - full.amplitudes()).norm() < 1e-12);
      REQUIRE(std::abs(sub.squared_norm() - 1.0) < 1e-12);
    }
}

TEST_CASE("subspace: FBS Butterfly acts on weight k as the k-th compound matrix",
          "[sim][subspace]") {
  const index_t n = 8;
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> ang(-3.1, 3.1);
  std::vector<double> p(12);
  for (auto& v : p) v = ang(rng);
  const circuit fbs = hand_butterfly(n, gate_kind::fbs);
  const circuit rbs = hand_butterfly(n, gate_kind::rbs);
  const Eigen::MatrixXd u = unary_matrix(fbs, p);
  REQUIRE((u - unary_matrix(rbs, p)).norm() < 1e-14);  // same on weight 1
  REQUIRE((u.transpose() * u - Eigen::MatrixXd::Identity(n, n)).norm() < 1e-12);
  for (index_t k : {2, 3}) {
    const Eigen::MatrixXd expected = compound(u, k);
    const auto dim = static_cast<index_t>(expected.rows());
    Eigen::MatrixXd got_fbs(dim, dim), got_rbs(dim, dim);
    combination_indexer ix(n, k);
    for (index_t r = 0; r < dim; ++r) {
      real_subspace_state<double> a(n, ix.unrank(r)), b(n, ix.unrank(r));
      a.apply(fbs, p);
      b.apply(rbs, p);
      got_fbs.col(Eigen::Index(r)) = a.amplitudes();
      got_rbs.col(Eigen::Index(r)) = b.amplitudes();
    }
    INFO("k = " << k);
    REQUIRE((got_fbs - expected).norm() < 1e-12);
    // RBS on non-adjacent qubits lacks the sign that a particle hopping over occupied
    // qubits picks up in the determinant, so it is not the compound matrix.
    REQUIRE((got_rbs - expected).norm() > 1e-3);
  }
}

TEST_CASE("subspace: unary states scale to 4096 qubits", "[sim][subspace]") {
  const index_t n = 4096;
  const circuit c = hand_butterfly(n, gate_kind::rbs);
  REQUIRE(c.num_parameters() == n / 2 * 12);
  std::vector<double> p(c.num_parameters());
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> ang(-3.1, 3.1);
  for (auto& v : p) v = ang(rng);
  const std::vector<index_t> o0{0}, o1{4095};
  real_subspace_state<double> a(n, o0), b(n, o1);
  a.apply(c, p);
  b.apply(c, p);
  REQUIRE(a.size() == n);
  REQUIRE(std::abs(a.squared_norm() - 1.0) < 1e-12);
  REQUIRE(std::abs(a.amplitudes().dot(b.amplitudes())) < 1e-12);  // orthogonal columns
  // Every output amplitude of a full Butterfly is a product of 12 cosines or sines: nonzero.
  REQUIRE(a.amplitudes().cwiseAbs().minCoeff() > 0);
}

TEST_CASE("subspace: conversions and bad input", "[sim][subspace][errors]") {
  SECTION("a gate that leaves the subspace is refused with its name and qubits") {
    subspace_state<double> st(4, basis_state{0b0011});
    circuit c(4);
    c.rbs(0, 1, 0.3).cnot(2, 3);
    REQUIRE_THROWS_MATCHES(
        st.apply(c), circuit_error,
        Catch::Matchers::Message("papillon::subspace_state::apply: gate does not preserve Hamming "
                                 "weight (operation 1: cnot on qubits 2,3)"));
  }
  SECTION("projection fails when weight lies outside") {
    statevector<double> sv(3);
    sv.apply(make_operation(gate_kind::h, 0));
    REQUIRE_THROWS_WITH(subspace_state<double>::from_full(sv, 1),
                        test::contains_substring("outside the subspace"));
    REQUIRE_NOTHROW(subspace_state<double>::from_full(sv, 1, 0.6));
  }
  SECTION("sizes") {
    REQUIRE_THROWS_WITH(subspace_state<double>(4097, std::vector<index_t>{1, 2}),
                        test::contains_substring("qubit count must be in 1..4096"));
    std::vector<index_t> ten(10);
    std::iota(ten.begin(), ten.end(), index_t{0});
    REQUIRE_THROWS_WITH(subspace_state<double>(4096, ten),
                        test::contains_substring("more than 2^64 states") &&
                            test::contains_substring("C(4096, 10)"));
    REQUIRE_THROWS_WITH(
        subspace_state<double>(1024, std::vector<index_t>{0, 1, 2}, memory_options{1 << 20}),
        test::contains_substring("above the memory limit"));
    REQUIRE_NOTHROW(subspace_state<double>(64, basis_state{0b11}));
    REQUIRE(subspace_state<double>(300, std::vector<index_t>{7, 299}).size() == 300 * 299 / 2);
    REQUIRE_THROWS_WITH(
        subspace_state<double>(64, basis_state{0xFFFFFFFF}, memory_options{1 << 20}),
        test::contains_substring("above the memory limit"));
    REQUIRE_THROWS_AS(subspace_state<double>(4, std::vector<index_t>{1, 1}), dimension_error);
    REQUIRE_THROWS_AS(subspace_state<double>(4, basis_state{16}), dimension_error);
  }
}

TEST_CASE("subspace: weights 2 to 4 beyond 64 qubits equal the same gates on few qubits",
          "[sim][subspace][property]") {
  // A random weight-preserving circuit on m qubits, relabelled onto m of 300 qubits by an
  // increasing map (so FBS signs, which count occupied qubits in between, are unchanged; the
  // other qubits stay empty). Both runs must give the same amplitudes state by state.
  std::mt19937_64 rng(77);
  const index_t m = 10, wide_n = 100;
  for (index_t k = 2; k <= 4; ++k) {
    std::vector<index_t> all(wide_n);
    std::iota(all.begin(), all.end(), index_t{0});
    std::shuffle(all.begin(), all.end(), rng);
    std::vector<index_t> map(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(m));
    std::sort(map.begin(), map.end());
    map.back() = std::max<index_t>(map.back(), 90);  // reach past 64
    std::sort(map.begin(), map.end());
    const circuit small = test::random_circuit(m, 60, test::weight_preserving_kinds(), rng);
    circuit wide(wide_n);
    for (operation op : small.operations()) {
      for (unsigned j = 0; j < traits(op.kind).arity; ++j) op.qubits[j] = map[op.qubits[j]];
      wide.append(op);
    }
    std::vector<index_t> occ_small(k), occ_wide(k);
    for (index_t i = 0; i < k; ++i) {
      occ_small[i] = 2 * i + 1;
      occ_wide[i] = map[2 * i + 1];
    }
    subspace_state<double> a(m, occ_small);
    subspace_state<double> b(wide_n, occ_wide);
    a.apply(small);
    b.apply(wide);
    INFO("k = " << k);
    const combination_table table(wide_n, k);
    double covered = 0;
    a.for_each_basis([&](index_t r, std::span<const index_t> occ) {
      std::vector<index_t> mapped(occ.size());
      for (std::size_t i = 0; i < occ.size(); ++i) mapped[i] = map[occ[i]];
      const auto rw = static_cast<Eigen::Index>(table.rank(mapped));
      REQUIRE(std::abs(b.amplitudes()[rw] - a.amplitudes()[static_cast<Eigen::Index>(r)]) < 1e-13);
      REQUIRE(b.occupied_of(static_cast<index_t>(rw)) == mapped);
      covered += std::norm(b.amplitudes()[rw]);
    });
    REQUIRE(std::abs(covered - 1.0) < 1e-12);
    REQUIRE(std::abs(b.squared_norm() - 1.0) < 1e-12);
  }
}

TEST_CASE("combination_table: ranks, unranks and colex order for any width", "[core]") {
  for (index_t n : {5, 64, 70, 300}) {
    for (index_t k = 1; k <= 3; ++k) {
      const combination_table t(n, k);
      REQUIRE(t.size() == binomial_saturated(n, k));
      std::vector<index_t> c(k), back(k);
      for (index_t i = 0; i < k; ++i) c[i] = i;
      std::uint64_t r = 0;
      do {
        REQUIRE(t.rank(c) == r);
        t.unrank(r, back);
        REQUIRE(back == c);
        ++r;
      } while (next_colex(c, n) && r < 5000);
      if (n <= 64 && r < 5000) {
        REQUIRE(r == t.size());
        const combination_indexer ix(n, k);
        for (std::uint64_t q = 0; q < t.size(); ++q) {
          t.unrank(q, back);
          basis_state s = 0;
          for (index_t v : back) s |= basis_state{1} << v;
          REQUIRE(ix.unrank(q) == s);
        }
      }
    }
  }
  REQUIRE_THROWS_WITH(combination_table(4, 5), test::contains_substring("exceeds"));
  REQUIRE_THROWS_WITH(combination_table(4096, 10), test::contains_substring("does not fit"));
}
