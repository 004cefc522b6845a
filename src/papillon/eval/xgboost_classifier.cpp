// XGBoost downstream classifier (include/papillon/eval/xgboost_classifier.hpp). Compiled only
// when CMake found XGBoost (cmake/papillonXGBoost.cmake), which also defines
// PAPILLON_HAVE_XGBOOST=1.
//
// XGBoost's C API is wrapped by hand, thinly: Debian ships no C++ wrapper for it (libxgboost-dev
// installs the C API, xgboost/c_api.h, plus internal C++ headers that are not a stable
// interface), and the classifier needs only five calls. Every handle is owned by a
// std::unique_ptr with the matching XG*Free, and every return code is checked and turned into a
// papillon::data_error carrying XGBGetLastError().

#include <papillon/eval/xgboost_classifier.hpp>

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace papillon::eval {
namespace {

constexpr std::string_view where = "eval::fit_predict_xgboost";

// Throws data_error unless an XGBoost call returned 0.
void check(int rc, std::string_view call) {
  if (rc == 0) return;
  const char* message = XGBGetLastError();
  throw data_error(where, "XGBoost failed in " + std::string(call),
                   message != nullptr ? std::string_view(message) : std::string_view());
}

struct dmatrix_free {
  void operator()(DMatrixHandle h) const noexcept { XGDMatrixFree(h); }
};
struct booster_free {
  void operator()(BoosterHandle h) const noexcept { XGBoosterFree(h); }
};
using dmatrix = std::unique_ptr<std::remove_pointer_t<DMatrixHandle>, dmatrix_free>;
using booster = std::unique_ptr<std::remove_pointer_t<BoosterHandle>, booster_free>;

// A DMatrix from a column-major double matrix: XGBoost wants row-major floats, NaN = missing.
dmatrix make_dmatrix(const Eigen::MatrixXd& x, const char* what) {
  std::vector<float> rows(static_cast<std::size_t>(x.size()));
  std::size_t k = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      const double v = x(i, j);
      if (std::isinf(v) || (std::isfinite(v) && std::abs(v) > std::numeric_limits<float>::max()))
        throw data_error(
            where, "features must be finite (NaN = missing) and within float range",
            std::string(what) + ", row " + std::to_string(i) + ", column " + std::to_string(j));
      rows[k++] = static_cast<float>(v);
    }
  }
  DMatrixHandle h = nullptr;
  check(XGDMatrixCreateFromMat(rows.data(), static_cast<bst_ulong>(x.rows()),
                               static_cast<bst_ulong>(x.cols()),
                               std::numeric_limits<float>::quiet_NaN(), &h),
        "XGDMatrixCreateFromMat");
  return dmatrix(h);
}

}  // namespace

bool xgboost_available() noexcept { return true; }

std::string xgboost_version() {
  int major = 0;
  int minor = 0;
  int patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

Eigen::VectorXd fit_predict_xgboost(const Eigen::MatrixXd& x_train, const Eigen::VectorXd& y_train,
                                    const Eigen::MatrixXd& x_test, const xgboost_options& options) {
  const auto n = x_train.rows();
  if (y_train.size() != n)
    throw dimension_error(
        where, "one label per training row is needed",
        std::to_string(y_train.size()) + " labels, " + std::to_string(n) + " rows");
  if (x_test.cols() != x_train.cols())
    throw dimension_error(where, "test feature count differs from training",
                          std::to_string(x_test.cols()) + " vs " + std::to_string(x_train.cols()));
  if (n < 2) throw data_error(where, "at least two training rows are needed");
  if (x_train.cols() < 1) throw data_error(where, "at least one feature is needed");
  if (options.rounds < 1 || options.rounds > static_cast<index_t>(std::numeric_limits<int>::max()))
    throw data_error(where, "rounds must be at least 1 (and fit in an int)",
                     std::to_string(options.rounds));
  if (options.threads < 1) throw data_error(where, "threads must be at least 1");
  std::vector<float> labels(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    if (y_train(i) != 0.0 && y_train(i) != 1.0)
      throw data_error(where, "labels must be 0 or 1",
                       "row " + std::to_string(i) + ": " + std::to_string(y_train(i)));
    labels[static_cast<std::size_t>(i)] = static_cast<float>(y_train(i));
  }

  const dmatrix train = make_dmatrix(x_train, "training data");
  check(XGDMatrixSetFloatInfo(train.get(), "label", labels.data(), static_cast<bst_ulong>(n)),
        "XGDMatrixSetFloatInfo");

  DMatrixHandle cache[] = {train.get()};
  BoosterHandle b = nullptr;
  check(XGBoosterCreate(cache, 1, &b), "XGBoosterCreate");
  const booster model(b);
  const std::string seed = std::to_string(options.seed & 0x7fff'ffff'ffff'ffffULL);
  const std::string threads = std::to_string(options.threads);
  for (const auto& [name, value] :
       {std::pair<const char*, const char*>{"objective", "binary:logistic"},
        {"seed", seed.c_str()},
        {"nthread", threads.c_str()}})
    check(XGBoosterSetParam(model.get(), name, value),
          std::string("XGBoosterSetParam(") + name + ")");
  for (index_t round = 0; round < options.rounds; ++round)
    check(XGBoosterUpdateOneIter(model.get(), static_cast<int>(round), train.get()),
          "XGBoosterUpdateOneIter");

  Eigen::VectorXd out(x_test.rows());
  if (x_test.rows() == 0) return out;
  const dmatrix test = make_dmatrix(x_test, "test data");
  bst_ulong length = 0;
  const float* scores = nullptr;
  // Plain prediction (option mask 0) with every tree (limit 0), not for training.
  check(XGBoosterPredict(model.get(), test.get(), 0, 0, 0, &length, &scores), "XGBoosterPredict");
  if (length != static_cast<bst_ulong>(x_test.rows()) || scores == nullptr)
    throw data_error(where, "XGBoost returned the wrong number of predictions",
                     std::to_string(length) + " for " + std::to_string(x_test.rows()) + " rows");
  // The scores belong to the booster: copy them before it is freed.
  for (Eigen::Index i = 0; i < out.size(); ++i) out(i) = static_cast<double>(scores[i]);
  return out;
}

}  // namespace papillon::eval
