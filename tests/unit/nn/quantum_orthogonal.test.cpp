#include <papillon/backend/simulator_backend.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/nn/gradient_check.hpp>
#include <papillon/nn/layer_factory.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/sim/simulator.hpp>

#include "support/catch.hpp"

using namespace papillon;
using nn::matrix;
using nn::quantum_orthogonal;

namespace {
matrix random_rows(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  rng_type rng(seed);
  matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = standard_normal(rng);
  return m;
}

nn::quantum_layer_options opts(index_t n, nn::quantum_readout r) {
  nn::quantum_layer_options o;
  o.qubits = n;
  o.readout = r;
  o.seed = 5;
  return o;
}

// Gradient of L = sum(G .* out) for the layer's parameters, reset between calls.
std::vector<double> param_grad(quantum_orthogonal& l, const matrix& x, const matrix& g) {
  l.zero_gradients();
  l.forward(x, true);
  l.backward(g);
  return {l.gradients().begin(), l.gradients().end()};
}
}  // namespace

TEST_CASE("quantum layer: exact forward equals simulating loader and Butterfly", "[nn][quantum]") {
  const auto readout =
      GENERATE(nn::quantum_readout::probabilities, nn::quantum_readout::amplitudes);
  quantum_orthogonal layer(opts(8, readout));
  const matrix x = random_rows(5, 8, 1);
  const matrix out = layer.forward(x, false);
  const std::vector<double> theta(layer.parameters().begin(), layer.parameters().end());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const Eigen::RowVectorXd row = x.row(r);
    circuit c = parallel_loader(std::span<const double>(row.data(), 8));
    c.append(layer.butterfly_circuit().body);
    const Eigen::VectorXd y = unary_amplitudes(c, theta);
    for (Eigen::Index i = 0; i < 8; ++i) {
      const double expected =
          readout == nn::quantum_readout::probabilities ? y[i] * y[i] : y[i] * row.norm();
      REQUIRE(std::abs(out(r, i) - expected) < 1e-12);
    }
  }
  const Eigen::MatrixXd w = layer.unary_matrix();
  REQUIRE((w.transpose() * w - Eigen::MatrixXd::Identity(8, 8)).norm() < 1e-12);
  REQUIRE((w - unary_matrix(layer.butterfly_circuit().body, theta)).norm() < 1e-12);
}

TEST_CASE("quantum layer: adjoint gradients match finite differences", "[nn][quantum]") {
  for (auto readout : {nn::quantum_readout::probabilities, nn::quantum_readout::amplitudes}) {
    quantum_orthogonal layer(opts(16, readout));
    const auto report = nn::check_layer_gradients(layer, random_rows(4, 16, 2), {1e-6, 1e-7});
    INFO(name_of(readout) << ": input " << report.max_input_error << ", params "
                          << report.max_parameter_error);
    REQUIRE(report.passed);
    REQUIRE(report.parameters_checked == 32);
  }
}

TEST_CASE("quantum layer: backend runs equal exact simulation, shift gradients equal adjoint",
          "[nn][quantum][backend]") {
  const matrix x = random_rows(3, 16, 3);
  const matrix g = random_rows(3, 16, 4);
  auto sim = std::make_shared<simulator_backend>();

  SECTION("coupling layer only: the parallel shift, 4 circuits per sample") {
    quantum_orthogonal exact(opts(16, nn::quantum_readout::probabilities));
    exact.set_trainable(false);
    exact.set_trainable("coupling", true);
    const auto ge = param_grad(exact, x, g);
    // Exact probabilities from the backend: shots 0.
    nn::quantum_layer_options exact_shots = opts(16, nn::quantum_readout::probabilities);
    exact_shots.shots = 0;
    quantum_orthogonal hw0(exact_shots);
    hw0.set_trainable(false);
    hw0.set_trainable("coupling", true);
    hw0.set_backend(sim);
    REQUIRE((hw0.forward(x, false) - exact.forward(x, false)).norm() < 1e-12);
    const auto stats_before = sim->stats();
    const auto gh = param_grad(hw0, x, g);
    for (std::size_t p = 0; p < ge.size(); ++p) REQUIRE(std::abs(ge[p] - gh[p]) < 1e-9);
    // 24 stride parameters frozen: exactly zero; the 8 coupling ones carry the gradient.
    for (std::size_t p = 0; p < 24; ++p) REQUIRE(gh[p] == 0.0);
    // Ledger: forward (3 circuits) + backward (3 samples x 4 shifted circuits), 2 batches.
    REQUIRE(sim->stats().circuits - stats_before.circuits == 3 + 12);
    REQUIRE(sim->stats().batches - stats_before.batches == 2);
    REQUIRE(hw0.ledger().circuits == 3 + 3 + 12);  // the earlier forward counted too
  }

  SECTION("every parameter: the serial four-term shift") {
    for (auto readout : {nn::quantum_readout::probabilities, nn::quantum_readout::amplitudes}) {
      nn::quantum_layer_options o = opts(8, readout);
      o.shots = 0;
      quantum_orthogonal exact(o), hw(o);
      hw.set_backend(sim);
      const matrix x8 = random_rows(2, 8, 5), g8 = random_rows(2, 8, 6);
      REQUIRE((hw.forward(x8, false) - exact.forward(x8, false)).norm() < 1e-10);
      const auto ge = param_grad(exact, x8, g8);
      const auto gh = param_grad(hw, x8, g8);
      for (std::size_t p = 0; p < ge.size(); ++p) REQUIRE(std::abs(ge[p] - gh[p]) < 1e-9);
      // 12 parameters x 4 circuits x 2 samples, plus 2 forward circuits twice.
      REQUIRE(hw.ledger().circuits == 2 + 2 + 12 * 4 * 2);
    }
  }

  SECTION("the reduced two-term rule on the trailing layer") {
    nn::quantum_layer_options o = opts(16, nn::quantum_readout::probabilities);
    o.shots = 0;
    o.shift_rule = rbs_shift_rule::automatic;
    quantum_orthogonal exact(o), hw(o);
    for (auto* l : {&exact, &hw}) {
      l->set_trainable(false);
      l->set_trainable("coupling", true);
    }
    hw.set_backend(sim);
    const auto ge = param_grad(exact, x, g);
    const auto gh = param_grad(hw, x, g);
    for (std::size_t p = 0; p < ge.size(); ++p) REQUIRE(std::abs(ge[p] - gh[p]) < 1e-9);
    REQUIRE(hw.ledger().circuits == 3 + 3 * 2);
  }

  SECTION("sampled outputs agree with exact ones within shot noise") {
    nn::quantum_layer_options o = opts(16, nn::quantum_readout::probabilities);
    o.shots = 20000;
    quantum_orthogonal exact(o), hw(o);
    hw.set_backend(sim);
    const matrix pe = exact.forward(x, false);
    const matrix ph = hw.forward(x, false);
    for (Eigen::Index i = 0; i < pe.size(); ++i)
      REQUIRE(std::abs(pe(i) - ph(i)) < 5 * std::sqrt(pe(i) * (1 - pe(i)) / 20000) + 1e-3);
    // A second call draws new shots.
    REQUIRE((hw.forward(x, false) - ph).norm() > 0);
  }
}

TEST_CASE("quantum layer: the transposed entry points equal forward and backward",
          "[nn][quantum]") {
  auto sim = std::make_shared<simulator_backend>();
  for (auto readout : {nn::quantum_readout::probabilities, nn::quantum_readout::amplitudes})
    for (const bool on_backend : {false, true}) {
      INFO(name_of(readout) << (on_backend ? ", backend" : ", exact"));
      nn::quantum_layer_options o = opts(16, readout);
      o.shots = 0;
      quantum_orthogonal rows_layer(o), cols_layer(o);
      if (on_backend) {
        rows_layer.set_backend(sim);
        cols_layer.set_backend(sim);
      }
      // Batches of other sizes in between: the reused buffers change shape; a batch longer
      // than a block of samples (32) on the exact path.
      for (const Eigen::Index batch : {on_backend ? 3 : 70, 5, on_backend ? 3 : 70}) {
        const matrix x = random_rows(batch, 16, 10 + static_cast<std::uint64_t>(batch));
        const matrix g = random_rows(batch, 16, 20 + static_cast<std::uint64_t>(batch));
        rows_layer.zero_gradients();
        const matrix y = rows_layer.forward(x, true);
        const matrix gx = rows_layer.backward(g);

        cols_layer.zero_gradients();
        const matrix xt = x.transpose();
        matrix yt(16, batch);
        cols_layer.forward_transposed(xt, yt, true);
        const matrix gt = g.transpose();
        matrix gxt(16, batch);
        cols_layer.backward_transposed(gt, gxt);

        REQUIRE((yt.transpose() - y).cwiseAbs().maxCoeff() < 1e-12);
        REQUIRE((gxt.transpose() - gx).cwiseAbs().maxCoeff() < 1e-12);
        const auto gc = cols_layer.gradients(), gr = rows_layer.gradients();
        double largest = 0.0;
        for (std::size_t p = 0; p < gr.size(); ++p) {
          REQUIRE(std::abs(gc[p] - gr[p]) < 1e-9);
          largest = std::max(largest, std::abs(gr[p]));
        }
        REQUIRE(largest > 0);
      }
      if (on_backend) REQUIRE(cols_layer.ledger().circuits == rows_layer.ledger().circuits);
    }

  // Either backward follows either forward.
  quantum_orthogonal layer(opts(8, nn::quantum_readout::amplitudes));
  const matrix x = random_rows(4, 8, 30), g = random_rows(4, 8, 31);
  layer.forward(x, true);
  const matrix gx = layer.backward(g);
  const matrix xt = x.transpose(), gt = g.transpose();
  matrix yt(8, 4), gxt(8, 4);
  layer.forward_transposed(xt, yt, true);
  REQUIRE((layer.backward(g) - gx).cwiseAbs().maxCoeff() < 1e-12);
  layer.forward(x, true);
  layer.backward_transposed(gt, gxt);
  REQUIRE((gxt.transpose() - gx).cwiseAbs().maxCoeff() < 1e-12);

  // Shapes are those of the transposed layout; bad samples are named as by forward().
  matrix out(8, 4);
  REQUIRE_THROWS_AS(layer.forward_transposed(x, out, true), dimension_error);  // 4 x 8
  matrix short_out(8, 3);
  REQUIRE_THROWS_AS(layer.forward_transposed(xt, short_out, true), dimension_error);
  matrix zero = xt;
  zero.col(2).setZero();
  REQUIRE_THROWS_WITH(layer.forward_transposed(zero, out, true),
                      test::contains_substring("zero vector") && test::contains_substring("row 2"));
  layer.forward_transposed(xt, out, true);
  REQUIRE_THROWS_AS(layer.backward_transposed(g, gxt), dimension_error);  // 4 x 8
  REQUIRE_THROWS_AS(layer.backward_transposed(gt, short_out), dimension_error);
  quantum_orthogonal fresh(opts(8, nn::quantum_readout::amplitudes));
  REQUIRE_THROWS_WITH(fresh.backward_transposed(gt, gxt),
                      test::contains_substring("backward called before forward"));
}

TEST_CASE("quantum layer: configuration, blocks and bad input", "[nn][quantum]") {
  quantum_orthogonal layer(opts(8, nn::quantum_readout::probabilities));
  const auto blocks = layer.parameter_blocks();
  REQUIRE(blocks.size() == 3);
  REQUIRE(blocks[0].name == "stride_1");
  REQUIRE(blocks[2].name == "coupling");
  REQUIRE(blocks[2].offset == 8);
  REQUIRE(layer.group() == "quantum");

  nn::layer_factory f;
  f.add(std::string(quantum_orthogonal::kind_name), &quantum_orthogonal::from_config);
  const auto copy = f.create(layer.to_json());
  const matrix x = random_rows(3, 8, 9);
  REQUIRE(copy->forward(x, false) == layer.forward(x, false));

  matrix zero = x;
  zero.row(1).setZero();
  REQUIRE_THROWS_WITH(layer.forward(zero, false),
                      test::contains_substring("zero vector") && test::contains_substring("row 1"));
  REQUIRE_THROWS_AS(layer.forward(random_rows(2, 4, 1), false), dimension_error);
  nn::quantum_layer_options bad;
  bad.qubits = 12;
  REQUIRE_THROWS_WITH(quantum_orthogonal(bad), test::contains_substring("power of two"));
  REQUIRE_THROWS_AS(layer.backward(matrix::Zero(2, 8)), dimension_error);

  nn::quantum_layer_options zc = opts(8, nn::quantum_readout::probabilities);
  zc.init = nn::quantum_init::zero_coupling;
  quantum_orthogonal z(zc);
  for (index_t p = 8; p < 12; ++p) REQUIRE(z.parameters()[p] == 0.0);
}

TEST_CASE("quantum layer: zero rows pass through as zero under zero_output", "[nn][quantum]") {
  for (auto readout : {nn::quantum_readout::probabilities, nn::quantum_readout::amplitudes}) {
    INFO(name_of(readout));
    auto o = opts(8, readout);
    o.zero_rows = nn::zero_row_policy::zero_output;
    quantum_orthogonal layer(o);
    quantum_orthogonal plain(opts(8, readout));  // the default still refuses
    matrix x = random_rows(4, 8, 11);
    x.row(2).setZero();
    REQUIRE_THROWS_WITH(plain.forward(x, true), test::contains_substring("row 2"));

    const matrix out = layer.forward(x, true);
    REQUIRE(out.row(2).isZero(0.0));
    // The other rows are what they are without the zero row.
    matrix others(3, 8);
    others << x.row(0), x.row(1), x.row(3);
    const matrix ref = plain.forward(others, true);
    for (Eigen::Index r : {0, 1, 3}) REQUIRE(out.row(r) == ref.row(r < 2 ? r : 2));

    const matrix g = random_rows(4, 8, 12);
    layer.zero_gradients();
    const matrix gx = layer.backward(g);
    REQUIRE(gx.allFinite());
    if (readout == nn::quantum_readout::probabilities) {
      REQUIRE(gx.row(2).isZero(0.0));
    } else {
      // The amplitude output is W x, linear: its input gradient at x = 0 is W^T g.
      const Eigen::RowVectorXd expected =
          (layer.unary_matrix().transpose() * g.row(2).transpose()).transpose();
      REQUIRE((gx.row(2) - expected).norm() < 1e-12);
    }
    // The zero row adds nothing to the angle gradients.
    const std::vector<double> with_zero(layer.gradients().begin(), layer.gradients().end());
    matrix g_others(3, 8);
    g_others << g.row(0), g.row(1), g.row(3);
    plain.zero_gradients();
    plain.forward(others, true);
    plain.backward(g_others);
    for (std::size_t p = 0; p < with_zero.size(); ++p)
      REQUIRE(std::abs(with_zero[p] - plain.gradients()[p]) < 1e-12);

    // Saved and rebuilt with the policy; on a backend zero rows are still refused.
    nn::layer_factory f;
    f.add(std::string(quantum_orthogonal::kind_name), &quantum_orthogonal::from_config);
    const auto copy = f.create(layer.to_json());
    REQUIRE(copy->forward(x, false).row(2).isZero(0.0));
    layer.set_backend(std::make_shared<simulator_backend>());
    REQUIRE_THROWS_WITH(layer.forward(x, false), test::contains_substring("zero vector"));
  }
}
