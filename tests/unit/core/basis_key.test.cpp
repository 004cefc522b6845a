// basis_key against the two representations it unifies: 64-bit masks (registers up to 64
// qubits) and ascending qubit lists (any width), with 128-bit integers as the numeric reference
// for keys on up to 128 qubits.

#include <papillon/core/basis_key.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "support/catch.hpp"

using namespace papillon;
using Catch::Matchers::Message;

namespace {

__extension__ using u128 = unsigned __int128;

std::string to_decimal(u128 v) {
  if (v == 0) return "0";
  std::string out;
  for (; v != 0; v /= 10)
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
  return out;
}

// A random set of qubits below `width`, each set with probability `density`, ascending.
std::vector<index_t> random_qubits(std::mt19937_64& rng, index_t width, double density) {
  std::bernoulli_distribution coin(density);
  std::vector<index_t> out;
  for (index_t q = 0; q < width; ++q)
    if (coin(rng)) out.push_back(q);
  return out;
}

u128 value_of(const std::vector<index_t>& qubits) {
  u128 v = 0;
  for (index_t q : qubits) v |= u128{1} << q;
  return v;
}

// Numeric order of non-negative decimal strings without leading zeros.
bool decimal_less(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

TEST_CASE("basis_key: masks are stored inline and round-trip", "[core][basis_key]") {
  const basis_key k = basis_state{0b1011};
  CHECK(k.fits_in_mask());
  CHECK(k.mask() == 0b1011);
  CHECK(k.qubits() == basis_key::qubit_list{0, 1, 3});
  CHECK(k.weight() == 3);
  CHECK(k.weight_below(2) == 2);
  CHECK(k.weight_below(200) == 3);
  CHECK(k.lowest() == 0);
  CHECK(k.highest() == 3);
  CHECK(k.test(1));
  CHECK_FALSE(k.test(2));
  CHECK_FALSE(k.test(200));
  CHECK(k.within(4));
  CHECK_FALSE(k.within(3));
  CHECK(basis_key(basis_state{1} << 63).qubits() == basis_key::qubit_list{63});
  CHECK(basis_key::from_qubits({0, 1, 3}) == basis_key(0b1011));
  CHECK(basis_key::unary(5) == basis_key(32));
  CHECK(basis_key::unary(5).fits_in_mask());
  CHECK(basis_key::from_qubits({63}).mask() == basis_state{1} << 63);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 500; ++i) {
    const basis_state s = rng() >> (rng() % 64);
    const basis_key key = s;
    REQUIRE(key.mask() == s);
    REQUIRE(key.weight() == static_cast<index_t>(std::popcount(s)));
    REQUIRE(basis_key::from_qubits(key.qubits()) == key);
    REQUIRE(basis_key::from_qubits(key.qubits()).mask() == s);
    // Labels agree with std::to_string wherever both apply.
    REQUIRE(key.decimal_label() == std::to_string(s));
  }
}

TEST_CASE("basis_key: qubit lists of any width", "[core][basis_key]") {
  const basis_key k = basis_key::from_qubits({2, 70, 900});
  CHECK_FALSE(k.fits_in_mask());
  CHECK(k.test(2));
  CHECK(k.test(70));
  CHECK(k.test(900));
  CHECK_FALSE(k.test(71));
  CHECK_FALSE(k.test(3));
  CHECK(k.weight() == 3);
  CHECK(k.weight_below(70) == 1);
  CHECK(k.weight_below(71) == 2);
  CHECK(k.lowest() == 2);
  CHECK(k.highest() == 900);
  CHECK(k.within(901));
  CHECK_FALSE(k.within(900));
  CHECK(k.qubits() == basis_key::qubit_list{2, 70, 900});
  CHECK_THROWS_MATCHES(k.mask(), dimension_error,
                       Message("papillon::basis_key::mask: basis state has a qubit at or above "
                               "64 (qubit 900)"));
  CHECK(basis_key::from_qubits({70}).lowest() == 70);
  CHECK(basis_key::unary(70) == basis_key::from_qubits({70}));
  CHECK(basis_key::unary(70).qubits() == basis_key::qubit_list{70});

  SECTION("any order is accepted, a repeat is refused") {
    CHECK(basis_key::from_qubits({900, 2, 70}) == k);
    CHECK(basis_key::from_qubits({3, 1}) == basis_key(0b1010));
    CHECK_THROWS_MATCHES(basis_key::from_qubits({4, 70, 4}), data_error,
                         Message("papillon::basis_key::from_qubits: qubit listed twice (qubit "
                                 "4)"));
    CHECK_THROWS_AS(basis_key::from_qubits({70, 70}), data_error);
  }

  SECTION("random lists round-trip") {
    std::mt19937_64 rng(5);
    for (int i = 0; i < 300; ++i) {
      const auto q = random_qubits(rng, 400, 0.02 + 0.1 * static_cast<double>(i % 3));
      const basis_key key = basis_key::from_qubits(q);
      REQUIRE(key.qubits() == q);
      REQUIRE(key.weight() == q.size());
      REQUIRE(key.fits_in_mask() == (q.empty() || q.back() < 64));
      for (index_t t = 0; t < 400; t += 7)
        REQUIRE(key.test(t) == std::binary_search(q.begin(), q.end(), t));
      auto shuffled = q;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      REQUIRE(basis_key::from_qubits(shuffled) == key);
    }
  }
}

TEST_CASE("basis_key: the zero state", "[core][basis_key]") {
  const basis_key zero;
  CHECK(zero.is_zero());
  CHECK(zero == basis_key(0));
  CHECK(zero == basis_key::from_qubits(std::vector<index_t>{}));
  CHECK(zero.weight() == 0);
  CHECK(zero.within(0));
  CHECK(zero.qubits().empty());
  CHECK(zero.decimal_label() == "0");
  CHECK_THROWS_MATCHES(zero.lowest(), data_error,
                       Message("papillon::basis_key::lowest: the zero state has no qubit set"));
  CHECK_THROWS_AS(zero.highest(), data_error);
  CHECK_FALSE(basis_key(1).is_zero());
  CHECK_FALSE(basis_key::unary(64).is_zero());
}

TEST_CASE("basis_key: decimal labels", "[core][basis_key]") {
  CHECK(basis_key::from_qubits({0}).decimal_label() == "1");
  CHECK(basis_key::from_qubits({0, 1, 3}).decimal_label() == "11");
  CHECK(basis_key::from_qubits({63}).decimal_label() == "9223372036854775808");
  CHECK(basis_key::from_qubits({0, 64}).decimal_label() == "18446744073709551617");
  CHECK(basis_key::from_qubits({100}).decimal_label() == "1267650600228229401496703205376");
  CHECK(basis_key::unary(127).decimal_label() == "170141183460469231731687303715884105728");
  // 2^1023 = 8.98846567431158e307: 308 digits.
  const std::string big = basis_key::unary(1023).decimal_label();
  CHECK(big.size() == 308);
  CHECK(big.substr(0, 15) == "898846567431157");
  CHECK(big.back() == '8');
  // 2^1023 + 2^1022 + 1 = 3 * 2^1022 + 1 = 1.348269851146737e308, ending in 3 * 4 + 1.
  const std::string sum = basis_key::from_qubits({0, 1022, 1023}).decimal_label();
  CHECK(sum.size() == 309);
  CHECK(sum.substr(0, 15) == "134826985114673");
  CHECK(sum.back() == '3');
  // Against 128-bit integers on random keys with qubits below 128.
  std::mt19937_64 rng(11);
  for (int i = 0; i < 500; ++i) {
    const auto q = random_qubits(rng, 128, 0.05 + 0.3 * static_cast<double>(i % 4) / 3);
    REQUIRE(basis_key::from_qubits(q).decimal_label() == to_decimal(value_of(q)));
  }
}

TEST_CASE("basis_key: ordering is the numeric order", "[core][basis_key]") {
  std::mt19937_64 rng(7);
  SECTION("against 128-bit integers") {
    std::vector<std::vector<index_t>> lists;
    for (int i = 0; i < 300; ++i)
      lists.push_back(random_qubits(rng, 128, 0.01 + 0.2 * static_cast<double>(i % 5) / 4));
    lists.push_back({});
    lists.push_back({63});
    lists.push_back({64});
    lists.push_back({0, 64});
    lists.push_back({127});
    lists.push_back({126});
    for (const auto& a : lists)
      for (const auto& b : lists) {
        const basis_key ka = basis_key::from_qubits(a);
        const basis_key kb = basis_key::from_qubits(b);
        const u128 va = value_of(a);
        const u128 vb = value_of(b);
        REQUIRE((ka < kb) == (va < vb));
        REQUIRE((ka == kb) == (va == vb));
        REQUIRE((ka > kb) == (va > vb));
        if (ka == kb) REQUIRE(ka.hash() == kb.hash());
      }
  }
  SECTION("against decimal labels on 1024 qubits") {
    std::vector<basis_key> keys;
    for (int i = 0; i < 200; ++i) {
      // Keys sharing their top qubits exercise the comparison below the first difference.
      auto q = random_qubits(rng, 1024, 0.003 + 0.01 * static_cast<double>(i % 3));
      if (i % 2 == 0) q.push_back(1023);
      q.erase(std::unique(q.begin(), q.end()), q.end());
      keys.push_back(basis_key::from_qubits(q));
    }
    for (const auto& a : keys)
      for (const auto& b : keys)
        REQUIRE((a < b) == decimal_less(a.decimal_label(), b.decimal_label()));
  }
  SECTION("masks sort as basis_state does, so narrow maps iterate as before") {
    std::map<basis_state, int> masks;
    std::map<basis_key, int> keys;
    for (int i = 0; i < 300; ++i) {
      const basis_state s = rng() >> (rng() % 64);
      masks[s] = i;
      keys[s] = i;
    }
    REQUIRE(keys.size() == masks.size());
    auto it = keys.begin();
    for (const auto& [s, v] : masks) {
      REQUIRE(it->first.mask() == s);
      REQUIRE(it->second == v);
      ++it;
    }
    // Every wide key sorts after every mask.
    REQUIRE(basis_key(~basis_state{0}) < basis_key::unary(64));
  }
}

TEST_CASE("basis_key: copies, moves and hashing", "[core][basis_key]") {
  const basis_key wide = basis_key::from_qubits({1, 64, 300});
  basis_key copy = wide;
  CHECK(copy == wide);
  basis_key moved = std::move(copy);
  CHECK(moved == wide);
  CHECK(copy.is_zero());  // NOLINT(bugprone-use-after-move): the moved-from key is |0...0>
  copy = moved;
  CHECK(copy == wide);
  copy = *&copy;
  CHECK(copy == wide);
  copy = basis_key(6);
  CHECK(copy.fits_in_mask());
  CHECK(copy.mask() == 6);
  CHECK(moved == wide);  // the copy did not share storage
  std::unordered_set<basis_key> set{wide, basis_key(6), basis_key::unary(64), basis_key(6)};
  CHECK(set.size() == 3);
  CHECK(set.count(basis_key::from_qubits({300, 64, 1})) == 1);
  CHECK(set.count(basis_key::from_qubits({64, 300})) == 0);
}
