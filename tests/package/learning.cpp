// A consumer of papillon::learning: a synthetic cohort, a mean imputation and the compiled
// downstream-classifier query.

#include <papillon/data/synthetic_icu.hpp>
#include <papillon/eval/xgboost_classifier.hpp>
#include <papillon/impute/mean_imputer.hpp>
#include <papillon/version.hpp>

#include <cstdio>
#include <string>

int main() {
  papillon::data::synthetic_icu_options opt;
  opt.rows = 50;
  const auto t = papillon::data::make_synthetic_icu(opt);
  papillon::impute::mean_imputer imputer;
  const auto filled = imputer.fit_transform(t.values(), t.observed());
  if (!filled.allFinite()) {
    std::fprintf(stderr, "mean imputation left a missing value\n");
    return 1;
  }
  if (papillon::eval::xgboost_available() == papillon::eval::xgboost_version().empty()) {
    std::fprintf(stderr, "xgboost_available() and xgboost_version() disagree\n");
    return 1;
  }
  std::printf("papillon %s\n", papillon::version_string);
  return 0;
}
