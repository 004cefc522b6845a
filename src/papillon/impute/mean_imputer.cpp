// Column-mean imputation.

#include <papillon/impute/mean_imputer.hpp>

namespace papillon::impute {

void mean_imputer::fit_impl(const Eigen::MatrixXd& x, const data::cell_mask& observed) {
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

Eigen::MatrixXd mean_imputer::transform_impl(const Eigen::MatrixXd& x,
                                             const data::cell_mask& observed) const {
  Eigen::MatrixXd out = x;
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (!observed(i, j)) out(i, j) = m_means(j);
  return out;
}

}  // namespace papillon::impute
