// Computes the parameters of the synthetic ICU cohort (src/papillon/data/synthetic_icu.cpp)
// from PhysioNet/CinC Challenge 2012 set A, and prints them as C++ initialisers to paste into
// that file. Hidden ([.]): run it on purpose with
//
//   build/release/tests/papillon_tests "[stats]"
//
// It needs PAPILLON_SHARED_DATA_DIR/physionet2012/physionet2012_set-a_core_mean48h.csv.

#include <papillon/data/csv.hpp>
#include <papillon/data/synthetic_icu.hpp>
#include <papillon/data/table.hpp>
#include <papillon/eval/logistic_regression.hpp>

#include <Eigen/Eigenvalues>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "support/catch.hpp"

namespace {

namespace pd = papillon::data;

// Prints "  s.<name> = {v0, v1, ...};", ready to paste into physionet2012_set_a_parameters().
void print_row(const std::string& name, const Eigen::VectorXd& v, int digits = 6) {
  std::printf("  s.%s = {", name.c_str());
  for (Eigen::Index i = 0; i < v.size(); ++i) std::printf("%s%.*g", i ? ", " : "", digits, v(i));
  std::printf("};\n");
}

}  // namespace

TEST_CASE("synthetic_icu: compute the cohort parameters from PhysioNet 2012 set A", "[.][stats]") {
  const std::filesystem::path file = std::filesystem::path(PAPILLON_SHARED_DATA_DIR) /
                                     "physionet2012" / "physionet2012_set-a_core_mean48h.csv";
  if (!std::filesystem::exists(file)) {
    WARN("skipped: " << file << " is absent");
    return;
  }
  const auto& names = pd::synthetic_icu_continuous_columns;  // Age + the 14 variables
  constexpr std::size_t p = pd::synthetic_icu_continuous_count;
  std::vector<std::string> cols(names.begin(), names.end());
  cols.insert(cols.end(), {"Gender", "ICUType", "In-hospital_death"});
  const auto t = pd::read_csv(file, {.columns = cols});
  const auto n = static_cast<Eigen::Index>(t.rows());
  const auto& v = t.values();
  const auto gcol = static_cast<Eigen::Index>(p);
  const auto icol = gcol + 1;
  const auto ycol = gcol + 2;

  // Transformed values (log1p on the skewed variables).
  Eigen::MatrixXd x(n, static_cast<Eigen::Index>(p));
  for (std::size_t j = 0; j < p; ++j)
    for (Eigen::Index i = 0; i < n; ++i) {
      const double raw = v(i, static_cast<Eigen::Index>(j));
      x(i, static_cast<Eigen::Index>(j)) =
          pd::synthetic_icu_log1p[j] ? std::log1p(raw) : raw;  // NaN stays NaN
    }

  std::printf("  // computed from physionet2012/%s (%ld rows)\n", file.filename().string().c_str(),
              long(n));
  // Skewness on both scales, to justify the log1p choice.
  std::printf("  // skewness, raw / log1p scale:\n");
  for (std::size_t j = 0; j < p; ++j) {
    double sk[2];
    for (int lg = 0; lg < 2; ++lg) {
      double s1 = 0, s2 = 0, s3 = 0, c = 0;
      for (Eigen::Index i = 0; i < n; ++i) {
        double r = v(i, static_cast<Eigen::Index>(j));
        if (std::isnan(r)) continue;
        if (lg) r = std::log1p(r);
        s1 += r;
        c += 1;
      }
      const double m = s1 / c;
      for (Eigen::Index i = 0; i < n; ++i) {
        double r = v(i, static_cast<Eigen::Index>(j));
        if (std::isnan(r)) continue;
        if (lg) r = std::log1p(r);
        s2 += (r - m) * (r - m);
        s3 += (r - m) * (r - m) * (r - m);
      }
      sk[lg] = (s3 / c) / std::pow(s2 / c, 1.5);
    }
    std::printf("  //   %-10s %7.2f %7.2f\n", names[j], sk[0], sk[1]);
  }

  // ICU type shares, male share per type, death rate.
  Eigen::VectorXd type_n = Eigen::VectorXd::Zero(4), male = Eigen::VectorXd::Zero(4),
                  gender_n = Eigen::VectorXd::Zero(4);
  double deaths = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const int k = static_cast<int>(v(i, icol)) - 1;
    type_n(k) += 1;
    if (!std::isnan(v(i, gcol))) {
      gender_n(k) += 1;
      male(k) += v(i, gcol);
    }
    deaths += v(i, ycol);
  }
  print_row("icu_type_share", type_n / static_cast<double>(n));
  print_row("male_share", male.cwiseQuotient(gender_n));
  std::printf("  s.mortality = %.6g;\n", deaths / static_cast<double>(n));

  // Per-type means, missingness, pooled within-type covariance (pairwise complete).
  Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(4, static_cast<Eigen::Index>(p));
  Eigen::MatrixXd count = Eigen::MatrixXd::Zero(4, static_cast<Eigen::Index>(p));
  for (Eigen::Index i = 0; i < n; ++i) {
    const int k = static_cast<int>(v(i, icol)) - 1;
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(p); ++j)
      if (!std::isnan(x(i, j))) {
        mean(k, j) += x(i, j);
        count(k, j) += 1;
      }
  }
  mean = mean.cwiseQuotient(count);
  for (int k = 0; k < 4; ++k)
    print_row("type_mean[" + std::to_string(k) + "]", mean.row(k).transpose());
  for (int k = 0; k < 4; ++k)
    print_row("type_missing[" + std::to_string(k) + "]",
              (1.0 - count.row(k).array() / type_n(k)).matrix().transpose());
  Eigen::VectorXd overall_missing(static_cast<Eigen::Index>(p));
  for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(p); ++j)
    overall_missing(j) = 1.0 - count.col(j).sum() / static_cast<double>(n);
  print_row("missing", overall_missing);

  const auto pp = static_cast<Eigen::Index>(p);
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(pp, pp), pairs = Eigen::MatrixXd::Zero(pp, pp);
  Eigen::MatrixXd var_a = Eigen::MatrixXd::Zero(pp, pp), var_b = Eigen::MatrixXd::Zero(pp, pp);
  for (Eigen::Index i = 0; i < n; ++i) {
    const int k = static_cast<int>(v(i, icol)) - 1;
    for (Eigen::Index a = 0; a < pp; ++a) {
      if (std::isnan(x(i, a))) continue;
      const double da = x(i, a) - mean(k, a);
      for (Eigen::Index b = 0; b < pp; ++b) {
        if (std::isnan(x(i, b))) continue;
        const double db = x(i, b) - mean(k, b);
        cov(a, b) += da * db;
        var_a(a, b) += da * da;
        var_b(a, b) += db * db;
        pairs(a, b) += 1;
      }
    }
  }
  Eigen::VectorXd sd(pp);
  for (Eigen::Index a = 0; a < pp; ++a) sd(a) = std::sqrt(cov(a, a) / (pairs(a, a) - 4));
  Eigen::MatrixXd corr(pp, pp);
  for (Eigen::Index a = 0; a < pp; ++a)
    for (Eigen::Index b = 0; b < pp; ++b)
      corr(a, b) = cov(a, b) / std::sqrt(var_a(a, b) * var_b(a, b));
  print_row("within_sd", sd);
  for (Eigen::Index a = 0; a < pp; ++a)
    print_row("within_corr[" + std::to_string(a) + "]", corr.row(a).transpose(), 4);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(corr);
  std::printf("  // smallest eigenvalue of within_corr: %.4g\n", eig.eigenvalues()(0));
  CHECK(eig.eigenvalues()(0) > 0);

  // Overall mean and sd on the transformed scale, and the ranges (original units).
  Eigen::VectorXd om(pp), osd(pp), lo(pp), hi(pp);
  for (Eigen::Index j = 0; j < pp; ++j) {
    double s = 0, c = 0, mn = 1e300, mx = -1e300;
    for (Eigen::Index i = 0; i < n; ++i)
      if (!std::isnan(x(i, j))) {
        s += x(i, j);
        c += 1;
        mn = std::min(mn, v(i, j));
        mx = std::max(mx, v(i, j));
      }
    om(j) = s / c;
    double ss = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      if (!std::isnan(x(i, j))) ss += (x(i, j) - om(j)) * (x(i, j) - om(j));
    osd(j) = std::sqrt(ss / (c - 1));
    lo(j) = mn;
    hi(j) = mx;
  }
  print_row("overall_mean", om);
  print_row("overall_sd", osd);
  print_row("range_low", lo);
  print_row("range_high", hi);

  // Logistic mortality model: standardised continuous variables (missing -> 0, the mean),
  // Gender (missing -> 0.5), ICU type dummies for types 2, 3, 4.
  Eigen::MatrixXd f(n, pp + 4);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < pp; ++j)
      f(i, j) = std::isnan(x(i, j)) ? 0.0 : (x(i, j) - om(j)) / osd(j);
    f(i, pp) = std::isnan(v(i, gcol)) ? 0.5 : v(i, gcol);
    const int k = static_cast<int>(v(i, icol));
    for (int d = 2; d <= 4; ++d) f(i, pp + d - 1) = k == d ? 1.0 : 0.0;
    y(i) = v(i, ycol);
  }
  const auto model = papillon::eval::fit_logistic(f, y, {.l2 = 0.0, .standardize = false});
  REQUIRE(model.converged);
  std::printf("  s.logit_intercept = %.6g;\n", model.intercept);
  print_row("logit_coef", model.coefficients.head(pp));
  std::printf("  s.logit_gender = %.6g;\n", model.coefficients(pp));
  print_row("logit_icu", model.coefficients.tail(3));
  const Eigen::VectorXd prob = model.predict_proba(f);
  std::printf("  // mean fitted probability %.4g\n", prob.mean());
  CHECK(std::abs(prob.mean() - deaths / static_cast<double>(n)) < 1e-6);
}
