#pragma once

/// @file
/// The simplest baseline: fill every missing cell with the mean of its column's observed cells
/// in the fitted data.

#include <papillon/core/types.hpp>
#include <papillon/data/table.hpp>
#include <papillon/impute/imputer.hpp>

#include <Eigen/Core>

#include <string>

namespace papillon::impute {

/// Column-mean imputation. A column with no observed cell is filled with 0 (the mean of
/// standardised data).
class mean_imputer final : public imputer {
 public:
  /// "mean".
  [[nodiscard]] std::string name() const override { return "mean"; }
  /// The fitted column means.
  [[nodiscard]] const Eigen::VectorXd& means() const noexcept { return m_means; }

 protected:
  void fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) override;
  [[nodiscard]] Eigen::MatrixXd transform_impl(const Eigen::MatrixXd& x,
                                               const data::cell_mask& observed) const override;

 private:
  Eigen::VectorXd m_means;
};

}  // namespace papillon::impute
