#include <papillon/core/bits.hpp>
#include <papillon/core/combinatorics.hpp>

#include "support/catch.hpp"

using namespace papillon;

TEST_CASE("combinatorics: binomials", "[core]") {
  REQUIRE(binomial_saturated(5, 2) == 10);
  REQUIRE(binomial_saturated(64, 32) == 1832624140942590534ULL);
  REQUIRE(binomial_saturated(3, 4) == 0);
  REQUIRE(binomial_saturated(200, 100) == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("combinatorics: rank and unrank are inverse bijections in colex order", "[core]") {
  for (index_t n = 1; n <= 12; ++n)
    for (index_t k = 0; k <= n; ++k) {
      combination_indexer ix(n, k);
      const auto all = ix.enumerate();
      REQUIRE(all.size() == binomial_saturated(n, k));
      for (std::size_t r = 0; r < all.size(); ++r) {
        REQUIRE(std::popcount(all[r]) == static_cast<int>(k));
        if (r > 0) REQUIRE(all[r] > all[r - 1]);
        REQUIRE(ix.rank(all[r]) == r);
        REQUIRE(ix.unrank(r) == all[r]);
      }
    }
  combination_indexer big(64, 3);
  REQUIRE(big.rank(big.unrank(41663)) == 41663);
  REQUIRE(big.unrank(41663) == ((basis_state{7}) << 61));
  REQUIRE_THROWS_AS(combination_indexer(65, 1), dimension_error);
  REQUIRE_THROWS_AS(combination_indexer(4, 5), dimension_error);
}

TEST_CASE("bits: zero-bit insertion and between masks", "[core]") {
  REQUIRE(detail::insert_zero_bit(0b111, 1) == 0b1101);
  REQUIRE(detail::insert_two_zero_bits(0b11, 0, 2) == 0b1010);
  REQUIRE(detail::between_mask(1, 4) == 0b01100);
  REQUIRE(detail::between_mask(4, 1) == 0b01100);
  REQUIRE(detail::between_mask(2, 3) == 0);
}
