#include <papillon/error.hpp>
#include <papillon/eval/classification_metrics.hpp>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
namespace pe = papillon::eval;

namespace {
Eigen::VectorXd vec(std::initializer_list<double> v) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (const double x : v) out(i++) = x;
  return out;
}
}  // namespace

TEST_CASE("auroc and average precision: hand-computed values", "[eval][metrics]") {
  SECTION("no ties") {
    // Pairs (positive, negative): (0.35, 0.1) win, (0.35, 0.4) loss, (0.8, *) two wins: 3/4.
    // AP: thresholds 0.8 (P 1, R .5), 0.4 (P .5, R .5), 0.35 (P 2/3, R 1): .5 + .5 * 2/3.
    const auto s = vec({0.1, 0.4, 0.35, 0.8});
    const auto y = vec({0, 0, 1, 1});
    CHECK_THAT(pe::auroc(s, y), WithinAbs(0.75, 1e-15));
    CHECK_THAT(pe::average_precision(s, y), WithinAbs(5.0 / 6.0, 1e-15));
  }
  SECTION("tied scores count one half and form one threshold") {
    // Pairs: (0.9, 0.8) 1, (0.9, 0.3) 1, (0.8, 0.8) 1/2, (0.8, 0.3) 1: 3.5 / 4.
    // AP: 0.9 (P 1, R .5); 0.8 takes both tied rows (P 2/3, R 1): .5 + .5 * 2/3.
    const auto s = vec({0.9, 0.8, 0.8, 0.3});
    const auto y = vec({1, 0, 1, 0});
    CHECK_THAT(pe::auroc(s, y), WithinAbs(0.875, 1e-15));
    CHECK_THAT(pe::average_precision(s, y), WithinAbs(5.0 / 6.0, 1e-15));
  }
  SECTION("all scores tied: chance level and the base rate") {
    const auto s = vec({1, 1, 1, 1, 1});
    const auto y = vec({1, 0, 0, 1, 0});
    CHECK_THAT(pe::auroc(s, y), WithinAbs(0.5, 1e-15));
    CHECK_THAT(pe::average_precision(s, y), WithinAbs(0.4, 1e-15));
  }
  SECTION("perfect and reversed rankings") {
    const auto y = vec({0, 0, 1, 1});
    CHECK(pe::auroc(vec({1, 2, 3, 4}), y) == 1.0);
    CHECK(pe::auroc(vec({4, 3, 2, 1}), y) == 0.0);
    CHECK(pe::average_precision(vec({1, 2, 3, 4}), y) == 1.0);
  }
  SECTION("bad input") {
    CHECK_THROWS_AS(pe::auroc(vec({1, 2}), vec({1, 1})), papillon::data_error);
    CHECK_THROWS_AS(pe::auroc(vec({1, 2}), vec({1, 2})), papillon::data_error);
    CHECK_THROWS_AS(pe::auroc(vec({1, 2}), vec({1})), papillon::dimension_error);
    CHECK_THROWS_AS(pe::average_precision(vec({1, 2}), vec({0, 0})), papillon::data_error);
  }
}
