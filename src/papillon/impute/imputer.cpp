// The imputer interface: input checks and the fit/transform contract.

#include <papillon/error.hpp>
#include <papillon/impute/imputer.hpp>

#include <cmath>
#include <string>

namespace papillon::impute {

data::table impute_table(imputer& model, const data::table& t) {
  const auto observed = t.observed();
  return data::table(t.columns(), model.fit_transform(t.values(), observed));
}

void imputer::check_input(const Eigen::MatrixXd& x, const data::cell_mask& observed,
                          const char* where) {
  if (observed.rows() != x.rows() || observed.cols() != x.cols())
    throw dimension_error(where, "mask size differs from the data size",
                          std::to_string(observed.rows()) + "x" + std::to_string(observed.cols()) +
                              " vs " + std::to_string(x.rows()) + "x" + std::to_string(x.cols()));
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (observed(i, j) && !std::isfinite(x(i, j)))
        throw data_error(where, "an observed cell is not finite",
                         "row " + std::to_string(i) + ", column " + std::to_string(j));
}

void imputer::fit(const Eigen::MatrixXd& x, const data::cell_mask& observed) {
  const std::string where = "impute::" + name() + "::fit";
  check_input(x, observed, where.c_str());
  if (x.cols() == 0 || x.rows() == 0) throw data_error(where, "no data to fit");
  m_features = 0;
  fit_impl(x, observed);
  m_features = static_cast<index_t>(x.cols());
}

Eigen::MatrixXd imputer::transform(const Eigen::MatrixXd& x,
                                   const data::cell_mask& observed) const {
  const std::string where = "impute::" + name() + "::transform";
  if (!fitted()) throw data_error(where, "the imputer is not fitted");
  check_input(x, observed, where.c_str());
  if (static_cast<index_t>(x.cols()) != m_features)
    throw dimension_error(where, "feature count differs from the fitted one",
                          std::to_string(x.cols()) + " vs " + std::to_string(m_features));
  Eigen::MatrixXd out = transform_impl(x, observed);
  if (out.rows() != x.rows() || out.cols() != x.cols())
    throw dimension_error(where, "the model returned a matrix of the wrong size");
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      if (observed(i, j)) {
        out(i, j) = x(i, j);
      } else if (!std::isfinite(out(i, j))) {
        throw data_error(where, "the model left a cell unfilled or not finite",
                         "row " + std::to_string(i) + ", column " + std::to_string(j));
      }
    }
  return out;
}

}  // namespace papillon::impute
