// Chained equations with boosted trees per column (include/papillon/impute/forest_imputer.hpp).
//
// XGBoost's C API is wrapped thinly, as in src/papillon/eval/xgboost_classifier.cpp: each handle
// is owned by a std::unique_ptr with the matching XG*Free, and every return code becomes a
// data_error carrying XGBGetLastError(). PAPILLON_HAVE_XGBOOST (cmake/papillonXGBoost.cmake)
// selects the implementation; without it the constructor refuses.

#include <papillon/core/random.hpp>
#include <papillon/error.hpp>
#include <papillon/impute/forest_imputer.hpp>

#if defined(PAPILLON_HAVE_XGBOOST)
#  include <xgboost/c_api.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace papillon::impute {

namespace {
constexpr std::string_view where = "impute::forest_imputer";
}  // namespace

#if defined(PAPILLON_HAVE_XGBOOST)

namespace {

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

// The given rows of z without column `skip`, as XGBoost's row-major floats; with `blank`, the
// cells it marks unobserved are NaN (XGBoost's missing value).
dmatrix features_of(const Eigen::MatrixXd& z, const std::vector<Eigen::Index>& rows,
                    Eigen::Index skip, const data::cell_mask* blank) {
  const auto p = z.cols();
  std::vector<float> buf(rows.size() * static_cast<std::size_t>(p - 1));
  std::size_t k = 0;
  for (const auto i : rows)
    for (Eigen::Index f = 0; f < p; ++f)
      if (f != skip)
        buf[k++] = blank != nullptr && !(*blank)(i, f) ? std::numeric_limits<float>::quiet_NaN()
                                                       : static_cast<float>(z(i, f));
  DMatrixHandle h = nullptr;
  check(XGDMatrixCreateFromMat(buf.data(), static_cast<bst_ulong>(rows.size()),
                               static_cast<bst_ulong>(p - 1),
                               std::numeric_limits<float>::quiet_NaN(), &h),
        "XGDMatrixCreateFromMat");
  return dmatrix(h);
}

}  // namespace

struct forest_imputer::model {
  booster b;
};

bool forest_available() noexcept { return true; }

#else

struct forest_imputer::model {};

bool forest_available() noexcept { return false; }

#endif

forest_imputer::forest_imputer(const forest_options& options) : m_options(options) {
  if (!forest_available())
    throw data_error(where, "built without XGBoost",
                     "install libxgboost-dev and reconfigure with PAPILLON_WITH_XGBOOST=ON, or use "
                     "another method (mice, knn)");
  const auto& o = m_options;
  constexpr auto int_max = static_cast<index_t>(std::numeric_limits<int>::max());
  if (o.rounds < 1 || o.rounds > int_max || o.max_depth < 1 || o.max_depth > 64 ||
      o.iterations < 1 || o.threads < 1 || o.threads > 1024)
    throw data_error(where, "rounds, max_depth (at most 64), iterations and threads must be >= 1");
  for (const auto& [what, v] :
       {std::pair{"learning_rate", o.learning_rate}, std::pair{"subsample", o.subsample},
        std::pair{"colsample", o.colsample}})
    if (!(v > 0 && v <= 1)) throw data_error(where, std::string(what) + " must be in (0, 1]");
  for (const auto& [what, v] : {std::pair{"min_child_weight", o.min_child_weight},
                                std::pair{"l2", o.l2}, std::pair{"tolerance", o.tolerance}})
    if (!(v >= 0) || !std::isfinite(v))
      throw data_error(where, std::string(what) + " must be finite and >= 0");
}

forest_imputer::~forest_imputer() = default;

evaluation_counts forest_imputer::evaluations() const {
  return {{"sweeps", static_cast<std::uint64_t>(m_sweeps)},
          {"trees", m_trees},
          {"converged", m_converged ? 1U : 0U}};
}

void forest_imputer::fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) {
  const auto n = x.rows();
  const auto p = x.cols();
  m_means = Eigen::VectorXd::Zero(p);
  double scale = 0.0;  // the largest absolute observed value, for the stopping rule
  std::vector<Eigen::Index> missing(static_cast<std::size_t>(p), 0);
  for (Eigen::Index j = 0; j < p; ++j) {
    double s = 0;
    Eigen::Index c = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!observed(i, j)) continue;
      s += x(i, j);
      ++c;
      scale = std::max(scale, std::abs(x(i, j)));
    }
    if (c > 0) m_means(j) = s / static_cast<double>(c);
    missing[static_cast<std::size_t>(j)] = n - c;
  }
  // Columns to model, fewest missing first (ties by position); one with fewer than two
  // observed cells, or with nothing else to learn from, keeps its mean.
  m_order.clear();
  for (Eigen::Index j = 0; j < p; ++j)
    if (missing[static_cast<std::size_t>(j)] > 0 && n - missing[static_cast<std::size_t>(j)] >= 2 &&
        p > 1)
      m_order.push_back(j);
  std::stable_sort(m_order.begin(), m_order.end(), [&](Eigen::Index a, Eigen::Index b) {
    return missing[static_cast<std::size_t>(a)] < missing[static_cast<std::size_t>(b)];
  });
  m_models.clear();
  m_changes.clear();
  m_sweeps = 0;
  m_converged = false;
  m_trees = 0;

  Eigen::MatrixXd z = x;
  for (Eigen::Index j = 0; j < p; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      if (!observed(i, j)) z(i, j) = m_means(j);
  if (m_order.empty()) return;

#if defined(PAPILLON_HAVE_XGBOOST)
  const auto& o = m_options;
  const data::cell_mask* blank = o.features == forest_features::native ? &observed : nullptr;
  // Native features do not depend on the completion: one sweep is the fixed point.
  const index_t iterations = blank != nullptr ? 1 : o.iterations;
  for (index_t sweep = 0; sweep < iterations; ++sweep) {
    const Eigen::MatrixXd before = z;
    auto& models = m_models.emplace_back();
    for (std::size_t k = 0; k < m_order.size(); ++k) {
      const auto j = m_order[k];
      std::vector<Eigen::Index> train;
      std::vector<Eigen::Index> fill;
      for (Eigen::Index i = 0; i < n; ++i) (observed(i, j) ? train : fill).push_back(i);
      const dmatrix dtrain = features_of(z, train, j, blank);
      std::vector<float> labels(train.size());
      double label_sum = 0;
      for (std::size_t r = 0; r < train.size(); ++r) {
        labels[r] = static_cast<float>(x(train[r], j));
        label_sum += x(train[r], j);
      }
      check(XGDMatrixSetFloatInfo(dtrain.get(), "label", labels.data(),
                                  static_cast<bst_ulong>(labels.size())),
            "XGDMatrixSetFloatInfo");
      DMatrixHandle cache[] = {dtrain.get()};
      BoosterHandle h = nullptr;
      check(XGBoosterCreate(cache, 1, &h), "XGBoosterCreate");
      auto m = std::make_unique<model>();
      m->b.reset(h);
      // A seed per (sweep, column), so a column's trees do not depend on the others' draws.
      const std::string seed =
          std::to_string(derive_seed(o.seed, static_cast<std::uint64_t>(sweep) * 1'000'003ULL +
                                                 static_cast<std::uint64_t>(j)) &
                         0x7fff'ffffULL);
      const std::string params[][2] = {
          {"objective", "reg:squarederror"},
          {"tree_method", "hist"},
          {"max_depth", std::to_string(o.max_depth)},
          {"eta", std::to_string(o.learning_rate)},
          {"min_child_weight", std::to_string(o.min_child_weight)},
          {"lambda", std::to_string(o.l2)},
          {"subsample", std::to_string(o.subsample)},
          {"colsample_bytree", std::to_string(o.colsample)},
          {"base_score", std::to_string(label_sum / static_cast<double>(train.size()))},
          {"nthread", std::to_string(o.threads)},
          {"seed", seed},
          {"verbosity", "0"}};
      for (const auto& [name, value] : params)
        check(XGBoosterSetParam(m->b.get(), name.c_str(), value.c_str()),
              "XGBoosterSetParam(" + name + ")");
      for (index_t round = 0; round < o.rounds; ++round)
        check(XGBoosterUpdateOneIter(m->b.get(), static_cast<int>(round), dtrain.get()),
              "XGBoosterUpdateOneIter");
      m_trees += static_cast<std::uint64_t>(o.rounds);
      const dmatrix dfill = features_of(z, fill, j, blank);
      bst_ulong length = 0;
      const float* pred = nullptr;
      check(XGBoosterPredict(m->b.get(), dfill.get(), 0, 0, 0, &length, &pred), "XGBoosterPredict");
      if (length != static_cast<bst_ulong>(fill.size()) || pred == nullptr)
        throw data_error(where, "XGBoost returned the wrong number of predictions");
      for (std::size_t r = 0; r < fill.size(); ++r) z(fill[r], j) = static_cast<double>(pred[r]);
      models.push_back(std::move(m));
    }
    m_sweeps = sweep + 1;
    const double change = (z - before).cwiseAbs().maxCoeff() / std::max(scale, 1e-300);
    m_changes.push_back(change);
    if (change < o.tolerance || blank != nullptr) {
      m_converged = true;
      break;
    }
  }
#endif
}

Eigen::MatrixXd forest_imputer::transform_impl(const Eigen::MatrixXd& x,
                                               const data::cell_mask& observed) const {
  const auto n = x.rows();
  const auto p = x.cols();
  Eigen::MatrixXd z = x;
  for (Eigen::Index j = 0; j < p; ++j)
    for (Eigen::Index i = 0; i < n; ++i)
      if (!observed(i, j)) z(i, j) = m_means(j);
#if defined(PAPILLON_HAVE_XGBOOST)
  const data::cell_mask* blank =
      m_options.features == forest_features::native ? &observed : nullptr;
  for (const auto& models : m_models) {
    for (std::size_t k = 0; k < m_order.size(); ++k) {
      const auto j = m_order[k];
      std::vector<Eigen::Index> fill;
      for (Eigen::Index i = 0; i < n; ++i)
        if (!observed(i, j)) fill.push_back(i);
      if (fill.empty()) continue;
      const dmatrix dfill = features_of(z, fill, j, blank);
      bst_ulong length = 0;
      const float* pred = nullptr;
      check(XGBoosterPredict(models[k]->b.get(), dfill.get(), 0, 0, 0, &length, &pred),
            "XGBoosterPredict");
      if (length != static_cast<bst_ulong>(fill.size()) || pred == nullptr)
        throw data_error(where, "XGBoost returned the wrong number of predictions");
      for (std::size_t r = 0; r < fill.size(); ++r) z(fill[r], j) = static_cast<double>(pred[r]);
    }
  }
#endif
  return z;
}

}  // namespace papillon::impute
