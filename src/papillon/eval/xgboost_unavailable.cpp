// The XGBoost classifier's definitions when papillon is built without XGBoost (CMake compiles
// this file instead of xgboost_classifier.cpp), so the header declares one set of functions and
// callers get a clear error rather than a link failure.

#include <papillon/eval/xgboost_classifier.hpp>

namespace papillon::eval {

bool xgboost_available() noexcept { return false; }

std::string xgboost_version() { return {}; }

Eigen::VectorXd fit_predict_xgboost(const Eigen::MatrixXd& /*x_train*/,
                                    const Eigen::VectorXd& /*y_train*/,
                                    const Eigen::MatrixXd& /*x_test*/,
                                    const xgboost_options& /*options*/) {
  throw data_error("eval::fit_predict_xgboost", "built without XGBoost",
                   "install libxgboost-dev and reconfigure with PAPILLON_WITH_XGBOOST=ON, or use "
                   "the logistic classifier");
}

}  // namespace papillon::eval
