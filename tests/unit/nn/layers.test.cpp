#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/dropout.hpp>
#include <papillon/nn/gradient_check.hpp>
#include <papillon/nn/l2_normalize.hpp>
#include <papillon/nn/layer_norm.hpp>
#include <papillon/nn/random.hpp>

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
using papillon::test::contains_substring;
namespace nn = papillon::nn;

namespace {

nn::matrix random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed,
                         double scale = 1.0) {
  nn::rng_type rng(seed);
  nn::matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = scale * (2.0 * nn::uniform01(rng) - 1.0);
  return m;
}

void require_gradients(nn::layer& l, const nn::matrix& x, double tol = 1e-7) {
  nn::gradient_check_options opt;
  opt.tolerance = tol;
  const auto r = nn::check_layer_gradients(l, x, opt);
  INFO(l.kind() << ": input error " << r.max_input_error << ", parameter error "
                << r.max_parameter_error);
  REQUIRE(r.passed);
  REQUIRE(r.parameters_checked == l.num_trainable());
}

}  // namespace

TEST_CASE("nn layers: backward matches central finite differences", "[nn][layer][gradient]") {
  const nn::matrix x = random_matrix(5, 4, 11, 2.0);

  SECTION("dense, for inputs, weights and bias") {
    for (auto init : {nn::initializer::xavier_uniform, nn::initializer::xavier_normal,
                      nn::initializer::he_uniform, nn::initializer::he_normal}) {
      nn::dense d(4, 3, {init, nn::initializer::xavier_uniform, 7});
      require_gradients(d, x);
    }
  }
  SECTION("dense without bias") {
    nn::dense d(4, 3, {.seed = 3, .use_bias = false});
    REQUIRE(d.num_parameters() == 12);
    require_gradients(d, x);
  }
  SECTION("ReLU, away from the kink") {
    nn::matrix y = x;
    for (Eigen::Index i = 0; i < y.size(); ++i)
      if (std::abs(y(i)) < 0.05) y(i) = 0.5;
    nn::relu r;
    require_gradients(r, y);
  }
  SECTION("tanh") {
    nn::tanh_activation t;
    require_gradients(t, x);
  }
  SECTION("GELU") {
    nn::gelu g;
    require_gradients(g, x);
  }
  SECTION("layer normalisation, with non-trivial gain and bias") {
    nn::layer_norm ln(4);
    const nn::matrix p = random_matrix(8, 1, 5);
    for (int i = 0; i < 8; ++i) ln.parameters()[static_cast<std::size_t>(i)] = 1.0 + p(i);
    require_gradients(ln, x);
  }
  SECTION("L2 row normalisation") {
    nn::l2_normalize n;
    require_gradients(n, x);
  }
  SECTION("dropout at evaluation") {
    nn::dropout d(0.5, 1);
    require_gradients(d, x);
  }
}

TEST_CASE("nn layers: forward values", "[nn][layer]") {
  SECTION("dense computes x W^T + b with W stored column-major") {
    nn::dense d(2, 2, {.weight_init = nn::initializer::zeros});
    // W = [[1, 2], [3, 4]], b = [0.5, -1]
    const std::vector<double> p{1, 3, 2, 4, 0.5, -1};
    std::copy(p.begin(), p.end(), d.parameters().begin());
    nn::matrix x(1, 2);
    x << 1.0, 10.0;
    const nn::matrix y = d.forward(x, false);
    REQUIRE(y(0, 0) == 21.5);
    REQUIRE(y(0, 1) == 42.0);
    REQUIRE(d.weight()(1, 0) == 3.0);
    REQUIRE(d.bias()(1) == -1.0);
  }
  SECTION("GELU is the tanh approximation") {
    REQUIRE_THAT(nn::gelu::value(1.0), WithinAbs(0.8411919906082768, 1e-15));
    REQUIRE_THAT(nn::gelu::value(-0.5), WithinAbs(-0.15428599017485606, 1e-15));
    REQUIRE(nn::gelu::value(0.0) == 0.0);
  }
  SECTION("ReLU and tanh") {
    nn::matrix x(1, 3);
    x << -1.0, 0.0, 2.0;
    nn::relu r;
    REQUIRE(r.forward(x, false) == (nn::matrix(1, 3) << 0.0, 0.0, 2.0).finished());
    nn::tanh_activation t;
    REQUIRE_THAT(t.forward(x, false)(0, 2), WithinAbs(std::tanh(2.0), 1e-15));
  }
  SECTION("layer normalisation gives zero mean and unit variance per row") {
    nn::layer_norm ln(5, 1e-12);
    const nn::matrix y = ln.forward(random_matrix(3, 5, 2, 3.0), false);
    for (Eigen::Index r = 0; r < 3; ++r) {
      REQUIRE_THAT(y.row(r).mean(), WithinAbs(0.0, 1e-12));
      REQUIRE_THAT(y.row(r).squaredNorm() / 5.0, WithinAbs(1.0, 1e-9));
    }
  }
  SECTION("L2 normalisation gives unit rows") {
    nn::l2_normalize n;
    const nn::matrix y = n.forward(random_matrix(4, 6, 3), false);
    for (Eigen::Index r = 0; r < 4; ++r) REQUIRE_THAT(y.row(r).norm(), WithinAbs(1.0, 1e-14));
  }
}

TEST_CASE("nn layers: dropout is seeded inverted dropout", "[nn][layer][dropout]") {
  const nn::matrix x = nn::matrix::Ones(200, 50);
  SECTION("evaluation is the identity") {
    nn::dropout d(0.3, 1);
    REQUIRE(d.forward(x, false) == x);
  }
  SECTION("training zeroes about `rate` of the entries and scales the rest") {
    nn::dropout d(0.3, 1);
    const nn::matrix y = d.forward(x, true);
    const double zeros = static_cast<double>((y.array() == 0.0).count());
    REQUIRE_THAT(zeros / static_cast<double>(x.size()), WithinAbs(0.3, 0.02));
    REQUIRE_THAT(y.maxCoeff(), WithinAbs(1.0 / 0.7, 1e-15));
    // Backward applies the same mask and scale.
    REQUIRE(d.backward(x) == y);
  }
  SECTION("the same seed gives the same mask; the state round-trips") {
    nn::dropout a(0.5, 9);
    nn::dropout b(0.5, 9);
    REQUIRE(a.forward(x, true) == b.forward(x, true));
    nn::dropout c(0.5, 0);
    c.set_runtime_state(a.runtime_state());
    REQUIRE(a.forward(x, true) == c.forward(x, true));
  }
  SECTION("a rate outside [0, 1) is rejected") {
    REQUIRE_THROWS_AS(nn::dropout(1.0), papillon::data_error);
    REQUIRE_THROWS_AS(nn::dropout(-0.1), papillon::data_error);
  }
}

TEST_CASE("nn layers: initialisers are seeded and bounded", "[nn][layer][init]") {
  nn::dense a(30, 20, {.seed = 4});
  nn::dense b(30, 20, {.seed = 4});
  nn::dense c(30, 20, {.seed = 5});
  REQUIRE(a.weight() == b.weight());
  REQUIRE(a.weight() != c.weight());
  REQUIRE(a.bias().isZero());
  const double bound = std::sqrt(6.0 / 50.0);
  REQUIRE(a.weight().cwiseAbs().maxCoeff() <= bound);
  REQUIRE(a.weight().cwiseAbs().maxCoeff() > 0.8 * bound);
  nn::dense he(30, 20, {.weight_init = nn::initializer::he_normal, .seed = 1});
  const double var = he.weight().squaredNorm() / 600.0;
  REQUIRE_THAT(var, WithinAbs(2.0 / 30.0, 0.015));
  nn::dense z(3, 2, {.weight_init = nn::initializer::zeros});
  REQUIRE(z.weight().isZero());
  REQUIRE(nn::initializer_from_string("he_uniform") == nn::initializer::he_uniform);
  REQUIRE_THROWS_AS(nn::initializer_from_string("glorot"), papillon::data_error);
}

TEST_CASE("nn layers: trainable masks and blocks", "[nn][layer][freeze]") {
  nn::dense d(3, 2, {.seed = 1});
  REQUIRE(d.num_trainable() == 8);
  d.set_trainable("bias", false);
  REQUIRE(d.num_trainable() == 6);
  REQUIRE_FALSE(d.is_trainable(7));
  d.set_trainable(false);
  REQUIRE_FALSE(d.any_trainable());
  SECTION("a fully frozen layer accumulates no parameter gradient") {
    d.zero_gradients();
    d.forward(random_matrix(4, 3, 1), true);
    d.backward(nn::matrix::Ones(4, 2));
    for (double g : d.gradients()) REQUIRE(g == 0.0);
  }
  SECTION("unknown blocks and bad masks are rejected") {
    REQUIRE_THROWS_MATCHES(
        d.set_trainable("weights", true), papillon::data_error,
        Catch::Matchers::Message("papillon::nn::layer::set_trainable: no parameter block of that "
                                 "name (layer '', block 'weights', blocks: weight, bias)"));
    const std::vector<std::uint8_t> short_mask(3, 1);
    REQUIRE_THROWS_AS(d.set_trainable_mask(short_mask), papillon::dimension_error);
  }
}

TEST_CASE("nn layers: bad inputs give clear errors", "[nn][layer][error]") {
  SECTION("wrong input width") {
    nn::dense d(3, 2);
    REQUIRE_THROWS_MATCHES(
        d.forward(nn::matrix::Ones(2, 4), false), papillon::dimension_error,
        Catch::Matchers::Message("papillon::nn::dense::forward: input has the wrong number of "
                                 "features (expected 3, got 4)"));
    nn::layer_norm ln(3);
    REQUIRE_THROWS_AS(ln.forward(nn::matrix::Ones(2, 4), false), papillon::dimension_error);
  }
  SECTION("backward before forward, or with the wrong shape") {
    nn::tanh_activation t;
    REQUIRE_THROWS_WITH(t.backward(nn::matrix::Ones(2, 2)),
                        contains_substring("backward called before forward"));
    t.forward(nn::matrix::Ones(2, 3), true);
    REQUIRE_THROWS_WITH(t.backward(nn::matrix::Ones(2, 2)),
                        contains_substring("gradient shape differs"));
    nn::dropout dr(0.1);
    REQUIRE_THROWS_AS(dr.backward(nn::matrix::Ones(1, 1)), papillon::dimension_error);
  }
  SECTION("L2 normalisation of a zero row") {
    nn::l2_normalize n;
    nn::matrix x = nn::matrix::Ones(3, 4);
    x.row(1).setZero();
    REQUIRE_THROWS_WITH(n.forward(x, false),
                        contains_substring("cannot normalise a (near-)zero row"));
  }
  SECTION("bad sizes") {
    REQUIRE_THROWS_AS(nn::dense(0, 2), papillon::dimension_error);
    REQUIRE_THROWS_AS(nn::layer_norm(0), papillon::dimension_error);
    REQUIRE_THROWS_AS(nn::layer_norm(3, 0.0), papillon::data_error);
  }
}
