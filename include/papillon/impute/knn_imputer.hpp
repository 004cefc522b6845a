#pragma once

/// @file
/// k-nearest-neighbour imputation. Distances use only the features both rows observe, on
/// standardised features, scaled up for the features they do not share (the "nan-Euclidean"
/// distance): d(a, b)^2 = (p / c) * sum over the c co-observed features of (a_f - b_f)^2. A
/// missing cell of feature j is the mean of feature j over the k nearest fitted rows that
/// observe j.

#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>
#include <papillon/impute/imputer.hpp>

#include <Eigen/Core>

#include <string>

namespace papillon::impute {

/// Settings of knn_imputer.
struct knn_options {
  /// Neighbours averaged per missing cell (at least 1).
  index_t k = 5;
  /// Standardise every feature (mean 0, sd 1 over its observed cells in the fitted data)
  /// before measuring distances, so no unit dominates. Imputed values stay in input units.
  bool standardize = true;
};

/// kNN imputation over co-observed features (see the file comment). Donors are the rows of the
/// fitted data. A cell with no reachable donor (no shared feature with any donor) gets the
/// column mean.
class knn_imputer final : public imputer {
 public:
  /// @throws data_error if k is 0
  explicit knn_imputer(const knn_options& options = {});
  /// "knn".
  [[nodiscard]] std::string name() const override { return "knn"; }

 protected:
  void fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) override;
  [[nodiscard]] Eigen::MatrixXd transform_impl(const Eigen::MatrixXd& x,
                                               const data::cell_mask& observed) const override;

 private:
  knn_options m_options;
  Eigen::MatrixXd m_donors;  // standardised fitted data, unobserved cells = 0
  data::cell_mask m_donor_observed;
  Eigen::VectorXd m_mean, m_sd;
};

}  // namespace papillon::impute
