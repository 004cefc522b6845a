// The synthetic ICU cohort generator and its PhysioNet 2012 parameters.

#include <papillon/data/random.hpp>
#include <papillon/data/synthetic_icu.hpp>
#include <papillon/error.hpp>

#include <Eigen/Cholesky>  // LLT of the 15 x 15 correlation matrix
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <utility>

namespace papillon::data {

std::vector<std::string> synthetic_icu_targets() {
  return {synthetic_icu_continuous_columns.begin() + 1, synthetic_icu_continuous_columns.end()};
}

std::vector<std::string> synthetic_icu_skewed() {
  std::vector<std::string> out;
  for (std::size_t j = 0; j < synthetic_icu_continuous_count; ++j)
    if (synthetic_icu_log1p[j]) out.emplace_back(synthetic_icu_continuous_columns[j]);
  return out;
}

table make_synthetic_icu(const synthetic_icu_options& options) {
  constexpr auto p = static_cast<Eigen::Index>(synthetic_icu_continuous_count);
  const auto& par = options.parameters;
  if (options.rows == 0) throw data_error("data::make_synthetic_icu", "rows must be positive");
  Eigen::MatrixXd corr(p, p);
  for (Eigen::Index a = 0; a < p; ++a)
    for (Eigen::Index b = 0; b < p; ++b)
      corr(a, b) = par.within_corr[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
  const Eigen::LLT<Eigen::MatrixXd> llt(corr);
  if (llt.info() != Eigen::Success)
    throw data_error("data::make_synthetic_icu", "correlation matrix is not positive definite");
  const Eigen::MatrixXd chol = llt.matrixL();

  std::vector<std::string> names = {"Age", "Gender", "ICUType"};
  for (std::size_t j = 1; j < synthetic_icu_continuous_count; ++j)
    names.emplace_back(synthetic_icu_continuous_columns[j]);
  names.emplace_back("In-hospital_death");
  const auto n = static_cast<Eigen::Index>(options.rows);
  Eigen::MatrixXd out(n, p + 3);

  // Separate streams for the values and the missingness, so changing the missingness mode
  // leaves the complete data unchanged.
  rng_type rng(derive_seed(options.seed, 0));
  rng_type miss_rng(derive_seed(options.seed, 1));
  Eigen::VectorXd z(p), x(p);
  for (Eigen::Index i = 0; i < n; ++i) {
    // 1. ICU type and gender.
    const double u = uniform01(rng);
    std::size_t type = 0;
    double cum = par.icu_type_share[0];
    while (type < 3 && u >= cum) cum += par.icu_type_share[++type];
    const double male = uniform01(rng) < par.male_share[type] ? 1.0 : 0.0;
    // 2-3. Correlated values on the transformed scale, back-transformed and clipped.
    for (Eigen::Index j = 0; j < p; ++j) z(j) = standard_normal(rng);
    const Eigen::VectorXd e = chol * z;
    double eta =
        par.logit_intercept + par.logit_gender * male + (type > 0 ? par.logit_icu[type - 1] : 0.0);
    for (Eigen::Index j = 0; j < p; ++j) {
      const auto sj = static_cast<std::size_t>(j);
      double t = par.type_mean[type][sj] + par.within_sd[sj] * e(j);
      double v = synthetic_icu_log1p[sj] ? std::expm1(t) : t;
      v = std::clamp(v, par.range_low[sj], par.range_high[sj]);
      t = synthetic_icu_log1p[sj] ? std::log1p(v) : v;
      eta += par.logit_coef[sj] * (t - par.overall_mean[sj]) / par.overall_sd[sj];
      x(j) = v;
    }
    // 4. Outcome from the complete values.
    const double death = uniform01(rng) < 1.0 / (1.0 + std::exp(-eta)) ? 1.0 : 0.0;
    // 5. Missingness (never on Age, Gender, ICUType or the outcome).
    for (Eigen::Index j = 1; j < p; ++j) {
      const auto sj = static_cast<std::size_t>(j);
      double rate = 0.0;
      if (options.missingness == synthetic_missingness::mcar) rate = par.missing[sj];
      if (options.missingness == synthetic_missingness::by_icu_type)
        rate = par.type_missing[type][sj];
      // Always draw, so the pattern of one column does not depend on the others' rates.
      if (uniform01(miss_rng) < rate) x(j) = missing_value;
    }
    out(i, 0) = x(0);
    out(i, 1) = male;
    out(i, 2) = static_cast<double>(type + 1);
    for (Eigen::Index j = 1; j < p; ++j) out(i, j + 2) = x(j);
    out(i, p + 2) = death;
  }
  return table(std::move(names), std::move(out));
}

// The numbers below were computed from PhysioNet/CinC Challenge 2012 set A (4000 ICU stays),
// file physionet2012/physionet2012_set-a_core_mean48h.csv of the shared data (48-hour means;
// see its SOURCE.md; ODC-BY 1.0, Silva et al. 2012), by the hidden test case
// tests/unit/data/synthetic_icu_stats.test.cpp:
//
//   cmake --preset release && cmake --build --preset release -j2 --target papillon_tests
//   build/release/tests/papillon_tests "[stats]"
//
// which prints these initialisers. Only summary statistics are stored here, no patient data.
synthetic_icu_parameters physionet2012_set_a_parameters() {
  synthetic_icu_parameters s;
  // PARAMETERS-BEGIN
  // computed from physionet2012/physionet2012_set-a_core_mean48h.csv (4000 rows)
  // skewness, raw / log1p scale:
  //   Age          -0.61   -1.39
  //   HR            0.25   -0.24
  //   NIMAP         0.60    0.10
  //   Temp          0.06    0.00
  //   GCS          -0.74   -1.37
  //   Urine         9.16   -1.30
  //   Glucose       1.88    0.55
  //   BUN           2.42    0.42
  //   Creatinine    4.03    1.99
  //   Na            0.05   -0.19
  //   K             0.81    0.44
  //   HCO3          0.36   -0.54
  //   HCT           0.74    0.32
  //   Platelets     1.58   -0.52
  //   WBC           4.87   -0.72
  s.icu_type_share = {0.14425, 0.2185, 0.37025, 0.267};
  s.male_share = {0.577123, 0.606407, 0.509128, 0.59044};
  s.mortality = 0.1385;
  s.type_mean[0] = {69.3102,  83.2722, 74.9951, 36.9229, 12.4425, 4.79057, 4.93449, 3.24477,
                    0.841702, 138.035, 4.14392, 23.8793, 33.0349, 5.32768, 2.48918};
  s.type_mean[1] = {67.8021,  86.283,  71.2892, 37.0303, 11.5665, 4.62622, 4.83994, 2.9382,
                    0.716437, 137.773, 4.37201, 23.9086, 29.7997, 5.07526, 2.59088};
  s.type_mean[2] = {63.0459,  89.7861, 77.3265, 36.9263, 11.7258, 4.62463, 4.90441, 3.19867,
                    0.828433, 139.336, 4.07844, 23.1897, 31.4072, 5.23213, 2.48534};
  s.type_mean[3] = {60.2697,  86.4361, 79.1748, 37.1516, 11.021,  4.65526, 4.89771, 2.871,
                    0.691901, 139.543, 4.01193, 23.9638, 31.9692, 5.2296,  2.50152};
  s.type_missing[0] = {0,         0.00866551, 0.135182,   0.00866551, 0.00866551,
                       0.0259965, 0.0121317,  0.0121317,  0.0121317,  0.0121317,
                       0.0103986, 0.0121317,  0.00866551, 0.0103986,  0.0103986};
  s.type_missing[1] = {0,         0.0102975, 0.26087,    0.0102975,  0.0102975,
                       0.0171625, 0.0549199, 0.00343249, 0.00343249, 0.01373,
                       0.0400458, 0.01373,   0.00572082, 0.00686499, 0.0102975};
  s.type_missing[2] = {0,         0.0310601, 0.0621202, 0.0317353, 0.0317353,
                       0.0519919, 0.0222822, 0.0195814, 0.0195814, 0.0209318,
                       0.0202566, 0.021607,  0.0195814, 0.0202566, 0.021607};
  s.type_missing[3] = {0,         0.00280899, 0.114232,  0.00280899, 0.00280899,
                       0.0093633, 0.0234082,  0.0234082, 0.0234082,  0.0234082,
                       0.0234082, 0.0234082,  0.0234082, 0.0243446,  0.0243446};
  s.missing = {0,     0.01575, 0.13,  0.016, 0.016, 0.02925, 0.02825, 0.016,
               0.016, 0.01875, 0.024, 0.019, 0.016, 0.017,   0.01825};
  s.within_sd = {17.245,   14.4348, 11.691,   0.560562, 3.22607, 0.763863, 0.260817, 0.61521,
                 0.372482, 4.02295, 0.471162, 4.04376,  4.4334,  0.496933, 0.438436};
  s.within_corr[0] = {1,       -0.2416, -0.1705, -0.2111,   0.007444, -0.2682,   0.06822, 0.3518,
                      0.09411, 0.03791, 0.03999, -0.001665, -0.06095, -0.001288, 0.0273};
  s.within_corr[1] = {-0.2416,  1,        0.03622, 0.2878,   -0.132,   -0.01986,  0.04553, -0.0994,
                      -0.05957, -0.02621, 0.03597, -0.09852, -0.06167, -0.004513, 0.1012};
  s.within_corr[2] = {-0.1705,  0.03622, 1,        0.04669, 0.05122, 0.2058,  0.008169, -0.1572,
                      -0.04789, 0.0825,  -0.09501, 0.1088,  0.227,   0.05083, -0.07051};
  s.within_corr[3] = {-0.2111, 0.2878,  0.04669,  1,       -0.2335,  0.09821,  0.001826, -0.2001,
                      -0.1222, 0.02194, -0.08701, 0.06135, -0.04611, 0.007409, 0.06303};
  s.within_corr[4] = {0.007444, -0.132,  0.05122,  -0.2335, 1,      0.2177,  -0.1341, -0.07957,
                      -0.06845, -0.1432, -0.02984, 0.1742,  0.0211, 0.08946, -0.1218};
  s.within_corr[5] = {-0.2682, -0.01986, 0.2058,  0.09821, 0.2177,  1,      -0.04866, -0.4285,
                      -0.4634, 0.04095,  -0.2238, 0.2159,  0.08538, 0.0722, -0.119};
  s.within_corr[6] = {0.06822, 0.04553,  0.008169, 0.001826, -0.1341, -0.04866, 1,     0.1447,
                      0.05368, -0.01735, 0.08019,  -0.07509, 0.01502, -0.02102, 0.0775};
  s.within_corr[7] = {0.3518, -0.0994, -0.1572, -0.2001, -0.07957, -0.4285, 0.1447, 1,
                      0.7271, 0.05574, 0.3709,  -0.2051, -0.1117,  -0.1257, 0.09942};
  s.within_corr[8] = {0.09411, -0.05957, -0.04789, -0.1222, -0.06845, -0.4634,  0.05368, 0.7271,
                      1,       -0.02344, 0.3801,   -0.2846, -0.07105, -0.09922, 0.04471};
  s.within_corr[9] = {0.03791,  -0.02621, 0.0825,  0.02194, -0.1432, 0.04095,  -0.01735, 0.05574,
                      -0.02344, 1,        -0.1879, 0.09979, 0.09599, -0.04649, 0.01946};
  s.within_corr[10] = {0.03999, 0.03597, -0.09501, -0.08701, -0.02984, -0.2238, 0.08019, 0.3709,
                       0.3801,  -0.1879, 1,        -0.1093,  -0.02247, 0.02267, 0.07041};
  s.within_corr[11] = {-0.001665, -0.09852, 0.1088,  0.06135, 0.1742, 0.2159, -0.07509, -0.2051,
                       -0.2846,   0.09979,  -0.1093, 1,       0.1162, 0.123,  -0.1116};
  s.within_corr[12] = {-0.06095, -0.06167, 0.227,    -0.04611, 0.0211, 0.08538, 0.01502, -0.1117,
                       -0.07105, 0.09599,  -0.02247, 0.1162,   1,      0.1388,  0.1173};
  s.within_corr[13] = {-0.001288, -0.004513, 0.05083, 0.007409, 0.08946, 0.0722, -0.02102, -0.1257,
                       -0.09922,  -0.04649,  0.02267, 0.123,    0.1388,  1,      0.3491};
  s.within_corr[14] = {0.0273,  0.1012,  -0.07051, 0.06303, -0.1218, -0.119, 0.0775, 0.09942,
                       0.04471, 0.01946, 0.07041,  -0.1116, 0.1173,  0.3491, 1};
  // smallest eigenvalue of within_corr: 0.1982
  s.overall_mean = {64.2475,  87.1638, 76.3739, 37.0096, 11.6042, 4.65734, 4.89332, 3.06088,
                    0.769391, 138.859, 4.13334, 23.6536, 31.4378, 5.2107,  2.51344};
  s.overall_sd = {17.5609,  14.6023, 12.0054,  0.568473, 3.25569, 0.765642, 0.262447, 0.634812,
                  0.378012, 4.09122, 0.489023, 4.05787,  4.54737, 0.503047, 0.440245};
  s.range_low = {15,  42.7843, 37.25, 34.3512, 3,    0,  49, 2.25,
                 0.2, 111.5,   2.5,   9.125,   16.6, 14, 0.1};
  s.range_high = {90,      137.842, 132.54, 39.749, 15,    3082.38, 467.333, 170.833,
                  16.4571, 164.533, 7.6,    47,     61.05, 925.667, 137.233};
  s.logit_intercept = -2.26834;
  s.logit_coef = {0.397366,   0.300458,    -0.113214, -0.287531, -0.736514,
                  -0.268889,  0.0956044,   0.527311,  -0.170537, -0.140081,
                  -0.0872244, -0.00832731, 0.029959,  -0.142298, 0.042299};
  s.logit_gender = -0.0325795;
  s.logit_icu = {-1.16832, 0.234252, 0.224142};
  // mean fitted probability 0.1385
  // PARAMETERS-END
  return s;
}

}  // namespace papillon::data
