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
  void fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) override {
    m_means = Eigen::VectorXd::Zero(x.cols());
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      double s = 0;
      Eigen::Index n = 0;
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        if (observed(i, j)) {
          s += x(i, j);
          ++n;
        }
      if (n > 0) m_means(j) = s / static_cast<double>(n);
    }
  }

  [[nodiscard]] Eigen::MatrixXd transform_impl(const Eigen::MatrixXd& x,
                                               const data::cell_mask& observed) const override {
    Eigen::MatrixXd out = x;
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        if (!observed(i, j)) out(i, j) = m_means(j);
    return out;
  }

 private:
  Eigen::VectorXd m_means;
};

}  // namespace papillon::impute
