#pragma once

/// @file
/// A built-in synthetic ICU cohort: the default data of the imputation demo, shaped like the
/// 48-hour means of PhysioNet/CinC Challenge 2012 (set A) so that results on it are plausible
/// without any download.
///
/// Model (all parameters below were computed from the real data, see
/// physionet2012_set_a_parameters()):
///   1. ICUType ~ categorical(icu_type_share); Gender ~ Bernoulli(male_share[ICUType]).
///   2. The 15 continuous variables (Age and 14 vitals/labs), on a transformed scale (log1p for
///      the right-skewed ones), are multivariate normal: mean type_mean[ICUType], covariance
///      diag(within_sd) * within_corr * diag(within_sd) (pooled within ICU types), drawn with a
///      Cholesky factor. The ICU-type mixture then gives the overall marginals.
///   3. Back-transform (expm1) and clip to the range seen in the real data.
///   4. In-hospital_death ~ Bernoulli(sigmoid(logistic model)) on the complete values: a
///      logistic regression fitted on the real data (variables standardised by overall_mean and
///      overall_sd on the transformed scale, Gender, ICU-type dummies).
///   5. Missingness, applied last: none, MCAR at each variable's natural rate, or MCAR at the
///      rate of the row's ICU type. Age, Gender, ICUType and the outcome are never missing.
/// Limitations: real missingness is correlated across variables (labs drawn together) and the
/// true mortality relation is non-linear (U-shaped in HR, Temp, Na ...); neither is modelled.

#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace papillon::data {

/// Number of continuous variables of the synthetic cohort (Age + 14 vitals/labs).
inline constexpr std::size_t synthetic_icu_continuous_count = 15;

/// The continuous variables, named as in PhysioNet 2012.
inline constexpr std::array<const char*, synthetic_icu_continuous_count>
    synthetic_icu_continuous_columns = {"Age",   "HR",      "NIMAP", "Temp",       "GCS",
                                        "Urine", "Glucose", "BUN",   "Creatinine", "Na",
                                        "K",     "HCO3",    "HCT",   "Platelets",  "WBC"};

/// Which continuous variables are modelled on the log1p scale (right-skewed in the real data).
inline constexpr std::array<bool, synthetic_icu_continuous_count> synthetic_icu_log1p = {
    false, false, false, false, false, true, true, true,
    true,  false, false, false, false, true, true};

/// The 14 vitals/labs (the default imputation targets).
[[nodiscard]] std::vector<std::string> synthetic_icu_targets();

/// The variables that are log1p-transformed before z-scoring.
[[nodiscard]] std::vector<std::string> synthetic_icu_skewed();

/// Parameters of the generator. Arrays over variables follow synthetic_icu_continuous_columns;
/// arrays over ICU types follow ICUType 1..4 (coronary care, cardiac surgery recovery, medical,
/// surgical).
struct synthetic_icu_parameters {
  using vec = std::array<double, synthetic_icu_continuous_count>;
  /// Share of each ICU type.
  std::array<double, 4> icu_type_share{};
  /// P(Gender = 1, male) in each ICU type.
  std::array<double, 4> male_share{};
  /// Mean of each variable per ICU type, on the transformed scale.
  std::array<vec, 4> type_mean{};
  /// Pooled within-type standard deviation, transformed scale.
  vec within_sd{};
  /// Pooled within-type correlation (pairwise complete observations).
  std::array<vec, synthetic_icu_continuous_count> within_corr{};
  /// Missing fraction of each variable over all rows.
  vec missing{};
  /// Missing fraction of each variable per ICU type.
  std::array<vec, 4> type_missing{};
  /// Smallest and largest value seen, original units (the clip range).
  vec range_low{}, range_high{};
  /// Overall mean and sd, transformed scale: the standardisation of the mortality model.
  vec overall_mean{}, overall_sd{};
  /// Mortality model: intercept, one weight per standardised variable, Gender, ICUType 2..4.
  double logit_intercept = 0.0;
  /// Weights of the standardised continuous variables.
  vec logit_coef{};
  /// Weight of Gender (male = 1).
  double logit_gender = 0.0;
  /// Weights of the ICU-type indicators for types 2, 3 and 4 (type 1 is the reference).
  std::array<double, 3> logit_icu{};
  /// The in-hospital mortality of the source data (for reference and tests).
  double mortality = 0.0;
};

/// The parameters computed from PhysioNet 2012 set A (see the definition for the numbers and
/// the command that recomputes them).
[[nodiscard]] synthetic_icu_parameters physionet2012_set_a_parameters();

/// Missingness of the synthetic cohort.
enum class synthetic_missingness {
  none,        ///< complete data
  mcar,        ///< each cell missing independently at its variable's natural rate
  by_icu_type  ///< each cell missing independently at its variable's rate in the row's ICU type
};

/// Settings of make_synthetic_icu().
struct synthetic_icu_options {
  /// Number of patients (rows).
  index_t rows = 4000;
  /// Seed: the same seed and settings give the same table.
  std::uint64_t seed = 0;
  /// Natural missingness to add.
  synthetic_missingness missingness = synthetic_missingness::mcar;
  /// Generator parameters.
  synthetic_icu_parameters parameters = physionet2012_set_a_parameters();
};

/// Generates a synthetic ICU cohort with columns Age, Gender, ICUType, the 14 vitals/labs
/// (HR, NIMAP, Temp, GCS, Urine, Glucose, BUN, Creatinine, Na, K, HCO3, HCT, Platelets, WBC)
/// and In-hospital_death.
/// @throws data_error if rows is 0 or the correlation matrix is not positive definite
[[nodiscard]] table make_synthetic_icu(const synthetic_icu_options& options = {});

}  // namespace papillon::data
