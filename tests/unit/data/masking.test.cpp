#include <papillon/data/masking.hpp>
#include <papillon/data/synthetic_icu.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/catch.hpp"

using papillon::test::contains_substring;
namespace pd = papillon::data;

TEST_CASE("masking: MCAR masks hide only observed target cells", "[data][masking]") {
  const auto t = pd::make_synthetic_icu({.rows = 500, .seed = 3});
  const auto targets = pd::synthetic_icu_targets();
  const auto mask = pd::make_mcar_mask(t, targets, {.rate = 0.3, .seed = 11});
  const auto observed = t.observed();

  SECTION("never a naturally missing cell, never a non-target column") {
    CHECK_FALSE((mask && !observed).any());
    for (const char* c : {"Age", "Gender", "ICUType", "In-hospital_death"})
      CHECK_FALSE(mask.col(static_cast<Eigen::Index>(t.column_index(c))).any());
    CHECK_NOTHROW(pd::check_mask(mask, observed, t.columns()));
  }
  SECTION("exactly the requested share of observed target cells") {
    Eigen::Index candidates = 0;
    for (const auto j : t.column_indices(targets))
      candidates += observed.col(static_cast<Eigen::Index>(j)).count();
    CHECK(mask.count() == std::llround(0.3 * static_cast<double>(candidates)));
  }
  SECTION("seeded: same seed, same mask; other seed, other mask") {
    CHECK((pd::make_mcar_mask(t, targets, {.rate = 0.3, .seed = 11}) == mask).all());
    CHECK_FALSE((pd::make_mcar_mask(t, targets, {.rate = 0.3, .seed = 12}) == mask).all());
  }
  SECTION("apply_mask blanks the hidden cells") {
    const auto masked = pd::apply_mask(t, mask);
    CHECK(masked.observed().count() == observed.count() - mask.count());
  }
  SECTION("check_mask rejects a mask on a missing cell") {
    pd::cell_mask bad = mask;
    Eigen::Index i = 0, j = 0;
    (!observed).maxCoeff(&i, &j);  // some naturally missing cell
    REQUIRE_FALSE(observed(i, j));
    bad(i, j) = true;
    CHECK_THROWS_WITH(pd::check_mask(bad, observed, t.columns()),
                      contains_substring("naturally missing"));
  }
  SECTION("bad rate") {
    CHECK_THROWS_AS(pd::make_mcar_mask(t, targets, {.rate = 1.0}), papillon::data_error);
  }
}

TEST_CASE("masking: a saved mask loads back identically", "[data][masking]") {
  const auto t = pd::make_synthetic_icu({.rows = 200, .seed = 5});
  const auto mask = pd::make_mcar_mask(t, pd::synthetic_icu_targets(), {.rate = 0.2, .seed = 1});
  const auto path = std::filesystem::temp_directory_path() / "papillon_mask_roundtrip.csv";
  pd::save_mask(path, mask, t.columns());
  const auto back = pd::load_mask(path, t.columns(), t.rows());
  CHECK((back == mask).all());

  SECTION("a mask file for other data is rejected with its line") {
    std::ofstream(path) << "row,column\n0,HR\n999,HR\n";
    CHECK_THROWS_WITH(pd::load_mask(path, t.columns(), t.rows()), contains_substring("line 3"));
    std::ofstream(path) << "row,column\n0,Lactate\n";
    CHECK_THROWS_WITH(pd::load_mask(path, t.columns(), t.rows()),
                      contains_substring("unknown column 'Lactate'"));
  }
  std::filesystem::remove(path);
}
