#include <papillon/backend/simulator_backend.hpp>
#include <papillon/data/masking.hpp>
#include <papillon/data/standardizer.hpp>
#include <papillon/data/synthetic_icu.hpp>
#include <papillon/error.hpp>
#include <papillon/eval/imputation_error.hpp>
#include <papillon/impute/mean_imputer.hpp>
#include <papillon/impute/neural_imputer.hpp>

#include <cmath>
#include <limits>
#include <memory>

#include "support/catch.hpp"

using papillon::test::contains_substring;
namespace pd = papillon::data;
namespace pi = papillon::impute;
namespace pn = papillon::nn;
using papillon::index_t;

namespace {

// A standardised synthetic cohort (targets only) with MCAR-hidden cells to score.
struct problem {
  Eigen::MatrixXd truth;  // z-scores, NaN where naturally missing
  pd::cell_mask visible;  // what the imputer sees
  pd::cell_mask hidden;   // observed cells hidden from it (scored)
  Eigen::MatrixXd input;  // truth with the invisible cells set to NaN
};

problem make_problem(index_t rows, std::uint64_t seed) {
  const auto t =
      pd::make_synthetic_icu({.rows = rows, .seed = seed}).select(pd::synthetic_icu_targets());
  problem p;
  const pd::cell_mask observed = t.observed();
  std::vector<index_t> cols(static_cast<std::size_t>(t.cols()));
  for (index_t j = 0; j < t.cols(); ++j) cols[j] = j;
  p.hidden = pd::make_mcar_mask(observed, cols, {0.3, seed + 1});
  p.visible = observed && !p.hidden;
  pd::standardizer s;
  s.fit(t.values(), p.visible, {pd::log1p_flags(t, pd::synthetic_icu_skewed())});
  p.truth = s.transform(t.values());
  p.input = p.truth;
  for (Eigen::Index i = 0; i < p.input.size(); ++i)
    if (!p.visible(i)) p.input(i) = std::numeric_limits<double>::quiet_NaN();
  return p;
}

double hidden_rmse(pi::imputer& m, const problem& p) {
  const Eigen::MatrixXd done = m.fit_transform(p.input, p.visible);
  return papillon::eval::score_imputation(p.truth, done, p.hidden).rmse;
}

pi::neural_imputer_options fast(pi::neural_imputer_options o) {
  o.epochs = 15;
  o.copies = 3;
  o.seed = 3;
  return o;
}

}  // namespace

TEST_CASE("neural imputer: encode zero-fills hidden cells and appends the indicator",
          "[impute][neural]") {
  Eigen::MatrixXd x(2, 2);
  x << 1.5, std::numeric_limits<double>::quiet_NaN(), -2.0, 4.0;
  pd::cell_mask v(2, 2);
  v << true, false, true, true;
  const auto in = pi::neural_imputer::encode(x, v);
  Eigen::MatrixXd expected(2, 4);
  expected << 1.5, 0.0, 1.0, 0.0, -2.0, 4.0, 1.0, 1.0;
  REQUIRE(in == expected);
}

TEST_CASE("neural imputer: invalid settings are refused with the setting named",
          "[impute][neural]") {
  auto o = pi::qnn_imputer_options(12);
  REQUIRE_THROWS_WITH(pi::neural_imputer(o), contains_substring("power-of-two width"));
  o = pi::mlp_imputer_options();
  o.corruption = 1.0;
  REQUIRE_THROWS_WITH(pi::neural_imputer(o), contains_substring("corruption"));
  o = pi::mlp_imputer_options();
  o.validation_fraction = -0.1;
  REQUIRE_THROWS_WITH(pi::neural_imputer(o), contains_substring("validation_fraction"));
  o = pi::mlp_imputer_options();
  o.copies = 0;
  REQUIRE_THROWS_AS(pi::neural_imputer(o), papillon::data_error);
  pi::neural_imputer unfitted(pi::mlp_imputer_options());
  REQUIRE_THROWS_WITH(
      unfitted.transform(Eigen::MatrixXd::Zero(2, 2), pd::cell_mask::Constant(2, 2, true)),
      contains_substring("not fitted"));
}

TEST_CASE("neural imputer: the three models learn the cohort's correlations", "[impute][neural]") {
  const problem p = make_problem(600, 21);
  pi::mean_imputer mean;
  const double baseline = hidden_rmse(mean, p);
  for (auto opts :
       {pi::mlp_imputer_options(16), pi::wide_imputer_options(32), pi::qnn_imputer_options(16)}) {
    pi::neural_imputer m(fast(opts));
    const double rmse = hidden_rmse(m, p);
    INFO(opts.name << ": rmse " << rmse << " vs mean " << baseline);
    // The cohort's variables are correlated: a model that learned nothing scores like the mean.
    REQUIRE(rmse < 0.985 * baseline);
    const auto h = m.history();
    REQUIRE(!h.empty());
    REQUIRE(h.validation_loss.size() == h.train_loss.size());
    REQUIRE(h.train_loss.back() < h.train_loss.front());
    REQUIRE(m.evaluations().at("epochs") == h.train_loss.size());
  }
}

TEST_CASE("neural imputer: the quantum model's central layer is a Butterfly of the given width",
          "[impute][neural][quantum]") {
  const problem p = make_problem(120, 4);
  pi::neural_imputer m(fast(pi::qnn_imputer_options(8)));
  m.fit(p.input, p.visible);
  const auto& q = dynamic_cast<const pn::quantum_orthogonal&>(m.model().find("quantum"));
  REQUIRE(q.options().qubits == 8);
  REQUIRE(q.num_parameters() == 12);  // (n/2) log2 n
  REQUIRE(m.evaluations().at("quantum_parameters") == 12);
  REQUIRE(m.evaluations().at("circuits") == 0);  // exact simulation runs no circuits
}

TEST_CASE("neural imputer: hidden cells never reach the model, and runs are seeded",
          "[impute][neural]") {
  const problem p = make_problem(150, 5);
  Eigen::MatrixXd poisoned = p.input;
  for (Eigen::Index i = 0; i < poisoned.size(); ++i)
    if (!p.visible(i)) poisoned(i) = 1e6;
  for (auto opts : {pi::mlp_imputer_options(8), pi::qnn_imputer_options(8)}) {
    opts = fast(opts);
    opts.epochs = 4;
    pi::neural_imputer a(opts), b(opts);
    const Eigen::MatrixXd da = a.fit_transform(p.input, p.visible);
    const Eigen::MatrixXd db = b.fit_transform(poisoned, p.visible);
    REQUIRE(da == db);
    opts.seed += 1;
    pi::neural_imputer c(opts);
    REQUIRE(c.fit_transform(p.input, p.visible) != da);
    // Observed cells come back unchanged.
    for (Eigen::Index i = 0; i < da.size(); ++i)
      if (p.visible(i)) REQUIRE(da(i) == p.input(i));
  }
}

TEST_CASE("neural imputer: the hardware schedule trains the coupling layer on a backend",
          "[impute][neural][quantum][backend]") {
  const problem p = make_problem(80, 6);
  auto o = fast(pi::qnn_imputer_options(8));
  o.schedule = papillon::train::hybrid_schedule::hardware;
  o.init = pn::quantum_init::zero_coupling;
  o.epochs = 3;
  o.copies = 1;
  o.validation_fraction = 0.0;
  o.batch_size = 40;
  papillon::train::hybrid_schedule_options so;
  so.epochs = 3;
  so.hardware_epochs = 1;
  o.schedule_options = so;
  o.training_backend = std::make_shared<papillon::simulator_backend>();
  o.shots = 0;
  pi::neural_imputer m(o);
  const Eigen::MatrixXd done = m.fit_transform(p.input, p.visible);
  REQUIRE(done.allFinite());
  const auto h = m.history();
  REQUIRE(h.stage.size() == 4);
  REQUIRE(h.stage.back() != h.stage.front());
  // Stage B: 80 rows in 2 steps; each step runs the forward circuits and 4 shifted circuits
  // per sample for the coupling layer (the parallel shift).
  const auto ev = m.evaluations();
  REQUIRE(ev.at("circuits") == 80 * (1 + 4));
  REQUIRE(ev.at("backend_calls") >= 2);
}
