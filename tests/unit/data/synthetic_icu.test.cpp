#include <papillon/data/synthetic_icu.hpp>
#include <papillon/data/table.hpp>
#include <papillon/error.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
namespace pd = papillon::data;

namespace {

// Transformed-scale values of the continuous variables, as the generator models them.
Eigen::MatrixXd transformed(const pd::table& t) {
  Eigen::MatrixXd x(t.rows(), static_cast<Eigen::Index>(pd::synthetic_icu_continuous_count));
  for (std::size_t j = 0; j < pd::synthetic_icu_continuous_count; ++j) {
    const Eigen::VectorXd c = t.column(pd::synthetic_icu_continuous_columns[j]);
    x.col(static_cast<Eigen::Index>(j)) =
        pd::synthetic_icu_log1p[j] ? Eigen::VectorXd(c.array().log1p()) : c;
  }
  return x;
}

}  // namespace

TEST_CASE("synthetic_icu: the cohort has the PhysioNet 2012 layout", "[data][synthetic]") {
  const auto t = pd::make_synthetic_icu({.rows = 300, .seed = 1});
  CHECK(t.rows() == 300);
  CHECK(t.cols() == 18);
  for (const auto& c : pd::synthetic_icu_targets()) CHECK(t.has_column(c));
  CHECK(t.columns().front() == "Age");
  CHECK(t.columns().back() == "In-hospital_death");
  const auto icu = t.column("ICUType");
  CHECK(icu.minCoeff() >= 1);
  CHECK(icu.maxCoeff() <= 4);
  const auto par = pd::physionet2012_set_a_parameters();
  for (std::size_t j = 0; j < pd::synthetic_icu_continuous_count; ++j) {
    const Eigen::VectorXd c = t.column(pd::synthetic_icu_continuous_columns[j]);
    for (Eigen::Index i = 0; i < c.size(); ++i) {
      if (std::isnan(c(i))) continue;
      CHECK(c(i) >= par.range_low[j]);
      CHECK(c(i) <= par.range_high[j]);
    }
  }
  SECTION("deterministic for a seed") {
    const auto again = pd::make_synthetic_icu({.rows = 300, .seed = 1});
    CHECK((again.observed() == t.observed()).all());
    CHECK(again.values().isApprox(t.values()) == false);  // NaN != NaN: compare observed cells
    const Eigen::MatrixXd a = t.observed().select(t.values(), 0.0);
    const Eigen::MatrixXd b = again.observed().select(again.values(), 0.0);
    CHECK(a == b);
  }
  SECTION("the missingness mode does not change the complete values") {
    const auto full = pd::make_synthetic_icu(
        {.rows = 300, .seed = 1, .missingness = pd::synthetic_missingness::none});
    CHECK(full.missing_fraction() == 0.0);
    const auto obs = t.observed();
    for (Eigen::Index j = 0; j < obs.cols(); ++j)
      for (Eigen::Index i = 0; i < obs.rows(); ++i)
        if (obs(i, j)) CHECK(t.values()(i, j) == full.values()(i, j));
  }
}

TEST_CASE("synthetic_icu: statistics match the parameters it was given (N = 20000)",
          "[data][synthetic]") {
  const auto par = pd::physionet2012_set_a_parameters();
  constexpr papillon::index_t n = 20000;
  const auto full = pd::make_synthetic_icu(
      {.rows = n, .seed = 2024, .missingness = pd::synthetic_missingness::none});
  const Eigen::MatrixXd x = transformed(full);
  const Eigen::VectorXd icu = full.column("ICUType");
  const auto p = x.cols();

  SECTION("ICU-type shares, per-type centres and pooled within-type correlations") {
    Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(4, p);
    for (Eigen::Index k = 0; k < 4; ++k) {
      std::vector<Eigen::Index> rows;
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        if (icu(i) == static_cast<double>(k + 1)) rows.push_back(i);
      CHECK_THAT(static_cast<double>(rows.size()) / n,
                 WithinAbs(par.icu_type_share[static_cast<std::size_t>(k)], 0.01));
      for (Eigen::Index j = 0; j < p; ++j) {
        const auto sj = static_cast<std::size_t>(j);
        std::vector<double> v;
        for (const auto i : rows) v.push_back(x(i, j));
        mean(k, j) = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
        // The median, not the mean: clipping to the real range (Age capped at 90, GCS at 15,
        // Creatinine floored at 0.2) moves the mean of a variable but not its median, which
        // for a normal equals the mean parameter. Tolerance: about 4 standard errors of the median
        // in the smallest ICU type (~2900 rows).
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        INFO("type " << k + 1 << ", " << pd::synthetic_icu_continuous_columns[sj]);
        CHECK_THAT(v[v.size() / 2], WithinAbs(par.type_mean[static_cast<std::size_t>(k)][sj],
                                              0.1 * par.within_sd[sj]));
      }
    }
    Eigen::MatrixXd centred = x;
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      centred.row(i) -= mean.row(static_cast<Eigen::Index>(icu(i)) - 1);
    const Eigen::MatrixXd cov = centred.transpose() * centred / static_cast<double>(n - 4);
    for (Eigen::Index a = 0; a < p; ++a)
      for (Eigen::Index b = 0; b < a; ++b) {
        INFO(pd::synthetic_icu_continuous_columns[static_cast<std::size_t>(a)]
             << " x " << pd::synthetic_icu_continuous_columns[static_cast<std::size_t>(b)]);
        CHECK_THAT(
            cov(a, b) / std::sqrt(cov(a, a) * cov(b, b)),
            WithinAbs(par.within_corr[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)],
                      0.04));
      }
  }
  SECTION("in-hospital mortality") {
    CHECK_THAT(full.column("In-hospital_death").mean(), WithinAbs(par.mortality, 0.02));
  }
  SECTION("natural missingness rates, MCAR and by ICU type") {
    const auto mcar = pd::make_synthetic_icu({.rows = n, .seed = 2024});
    const auto by_type = pd::make_synthetic_icu(
        {.rows = n, .seed = 2024, .missingness = pd::synthetic_missingness::by_icu_type});
    for (std::size_t j = 1; j < pd::synthetic_icu_continuous_count; ++j) {
      const char* name = pd::synthetic_icu_continuous_columns[j];
      INFO(name);
      const Eigen::VectorXd c = mcar.column(name);
      CHECK_THAT(static_cast<double>(c.array().isNaN().count()) / n,
                 WithinAbs(par.missing[j], 0.01));
      const Eigen::VectorXd d = by_type.column(name);
      const Eigen::VectorXd type = by_type.column("ICUType");
      for (int k = 1; k <= 4; ++k) {
        double miss = 0, rows = 0;
        for (Eigen::Index i = 0; i < d.size(); ++i)
          if (type(i) == k) {
            rows += 1;
            miss += std::isnan(d(i)) ? 1 : 0;
          }
        CHECK_THAT(miss / rows,
                   WithinAbs(par.type_missing[static_cast<std::size_t>(k - 1)][j], 0.02));
      }
    }
  }
}
