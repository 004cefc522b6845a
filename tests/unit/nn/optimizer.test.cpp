#include <papillon/nn/optimizer.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "support/catch.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using papillon::test::contains_substring;
namespace nn = papillon::nn;

namespace {

// One layer's worth of parameters, gradients and mask, as a model would hold them.
struct params {
  std::vector<double> values;
  std::vector<double> grads;
  std::vector<std::uint8_t> mask;
  std::string name = "layer";
  std::string group = "classical";

  params(std::vector<double> v, std::vector<double> g)
      : values(std::move(v)), grads(std::move(g)), mask(values.size(), 1) {}
  std::vector<nn::parameter_view> views() { return {{name, group, values, grads, mask}}; }
};

void step(nn::optimizer& opt, params& p) {
  const auto v = p.views();
  opt.step(v);
}

}  // namespace

TEST_CASE("nn optimisers: SGD matches hand-computed steps", "[nn][optimizer]") {
  SECTION("plain SGD") {
    nn::sgd opt({.learning_rate = 0.1});
    params p({1.0, -2.0}, {0.5, -1.0});
    step(opt, p);
    REQUIRE(p.values == std::vector<double>{1.0 - 0.1 * 0.5, -2.0 + 0.1});
  }
  SECTION("momentum: v <- mu v + g, p <- p - lr v") {
    nn::sgd opt({.learning_rate = 0.1}, 0.9);
    params p({1.0}, {0.5});
    step(opt, p);
    REQUIRE_THAT(p.values[0], WithinAbs(0.95, 1e-15));
    step(opt, p);  // v = 0.9 * 0.5 + 0.5 = 0.95
    REQUIRE_THAT(p.values[0], WithinAbs(0.95 - 0.095, 1e-15));
  }
  SECTION("coupled weight decay adds wd * p to the gradient") {
    nn::sgd opt({.learning_rate = 0.1, .weight_decay = 0.5});
    params p({2.0}, {1.0});
    step(opt, p);
    REQUIRE_THAT(p.values[0], WithinAbs(2.0 - 0.1 * (1.0 + 1.0), 1e-15));
  }
}

TEST_CASE("nn optimisers: Adam and AdamW match hand-computed steps", "[nn][optimizer]") {
  SECTION("Adam's first step is lr * g / (|g| + eps)") {
    nn::adam opt({.learning_rate = 0.01});
    params p({1.0, 1.0}, {0.2, -3.0});
    step(opt, p);
    REQUIRE_THAT(p.values[0], WithinAbs(1.0 - 0.01 * 0.2 / (0.2 + 1e-8), 1e-15));
    REQUIRE_THAT(p.values[1], WithinAbs(1.0 + 0.01 * 3.0 / (3.0 + 1e-8), 1e-15));
  }
  SECTION("Adam's second step with bias correction") {
    nn::adam opt({.learning_rate = 0.1}, {.beta1 = 0.5, .beta2 = 0.75, .epsilon = 1e-8});
    params p({0.0}, {1.0});
    step(opt, p);
    p.grads[0] = 3.0;
    step(opt, p);
    // m = 0.5 * 0.5 + 0.5 * 3 = 1.75, v = 0.75 * 0.25 + 0.25 * 9 = 2.4375
    const double m_hat = 1.75 / (1.0 - 0.25);
    const double v_hat = 2.4375 / (1.0 - 0.5625);
    const double expected = -0.1 * 1.0 / (1.0 + 1e-8) - 0.1 * m_hat / (std::sqrt(v_hat) + 1e-8);
    REQUIRE_THAT(p.values[0], WithinAbs(expected, 1e-15));
  }
  SECTION("AdamW decays the weights separately: p <- p (1 - lr wd), then the Adam step") {
    nn::adamw opt({.learning_rate = 0.1, .weight_decay = 0.1});
    params p({2.0}, {0.5});
    step(opt, p);
    REQUIRE_THAT(p.values[0], WithinAbs(2.0 * (1.0 - 0.01) - 0.1 * 0.5 / (0.5 + 1e-8), 1e-15));
    REQUIRE(opt.kind() == "adamw");
  }
  SECTION("Adam with coupled decay differs from AdamW") {
    nn::adam opt({.learning_rate = 0.1, .weight_decay = 0.1});
    params p({2.0}, {0.5});
    step(opt, p);
    // g = 0.5 + 0.2 = 0.7, first step = lr * sign(g)
    REQUIRE_THAT(p.values[0], WithinAbs(2.0 - 0.1 * 0.7 / (0.7 + 1e-8), 1e-15));
  }
}

TEST_CASE("nn optimisers: clipping, masks, groups and state", "[nn][optimizer]") {
  SECTION("global-norm clipping scales every trainable gradient") {
    nn::sgd opt({.learning_rate = 1.0, .clip_norm = 1.0});
    params a({0.0}, {3.0});
    params b({0.0, 0.0}, {4.0, 100.0});
    b.name = "other";
    b.mask[1] = 0;  // frozen: neither counted in the norm nor updated
    const std::vector<nn::parameter_view> views{a.views()[0], b.views()[0]};
    const auto r = opt.step(views);
    REQUIRE(r.clipped);
    REQUIRE(r.gradient_norm == 5.0);
    REQUIRE(r.updated == 2);
    REQUIRE_THAT(a.values[0], WithinAbs(-0.6, 1e-15));
    REQUIRE_THAT(b.values[0], WithinAbs(-0.8, 1e-15));
    REQUIRE(b.values[1] == 0.0);
  }
  SECTION("frozen parameters stay bit-identical, even with weight decay") {
    nn::adamw opt({.learning_rate = 0.1, .weight_decay = 0.5});
    params p({0.1234567890123, 2.0}, {1.0, 1.0});
    p.mask[0] = 0;
    for (int i = 0; i < 5; ++i) step(opt, p);
    REQUIRE(p.values[0] == 0.1234567890123);
    REQUIRE(p.values[1] != 2.0);
  }
  SECTION("per-group learning rates") {
    nn::sgd opt({.learning_rate = 0.1, .group_learning_rates = {{"quantum", 0.5}}});
    params c({1.0}, {1.0});
    params q({1.0}, {1.0});
    q.name = "bfly";
    q.group = "quantum";
    const std::vector<nn::parameter_view> views{c.views()[0], q.views()[0]};
    opt.step(views);
    REQUIRE(c.values[0] == 0.9);
    REQUIRE(q.values[0] == 0.5);
    REQUIRE(opt.learning_rate("quantum") == 0.5);
    REQUIRE(opt.learning_rate("anything") == 0.1);
  }
  SECTION("Adam counts steps per parameter, so late unfreezing gets a full bias correction") {
    nn::adam opt({.learning_rate = 0.01});
    params p({1.0, 1.0}, {0.5, 0.5});
    p.mask[1] = 0;
    for (int i = 0; i < 10; ++i) step(opt, p);
    p.mask[1] = 1;
    step(opt, p);
    REQUIRE_THAT(p.values[1], WithinAbs(1.0 - 0.01 * 0.5 / (0.5 + 1e-8), 1e-15));
  }
  SECTION("state round-trips: a restored optimiser continues bit for bit") {
    nn::adam a({.learning_rate = 0.05, .weight_decay = 0.01, .clip_norm = 10.0});
    params pa({1.0, -0.5, 0.25}, {0.3, -0.7, 0.11});
    for (int i = 0; i < 3; ++i) step(a, pa);
    nn::adam b;
    b.load_state(nlohmann::json::parse(a.state().dump()));
    params pb = pa;
    for (int i = 0; i < 4; ++i) {
      pa.grads[0] = pb.grads[0] = 0.1 * i - 0.17;
      step(a, pa);
      step(b, pb);
    }
    REQUIRE(pa.values == pb.values);
    REQUIRE(b.options().clip_norm == 10.0);
    nn::sgd wrong;
    REQUIRE_THROWS_WITH(wrong.load_state(a.state()), contains_substring("optimiser kind differs"));
    REQUIRE_THROWS_AS(b.load_state(nlohmann::json{{"kind", "adam"}}), papillon::data_error);
  }
  SECTION("bad inputs") {
    nn::sgd opt;
    params p({1.0}, {std::numeric_limits<double>::quiet_NaN()});
    REQUIRE_THROWS_WITH(step(opt, p), contains_substring("non-finite gradient"));
    params q({1.0, 2.0}, {1.0});
    REQUIRE_THROWS_AS(step(opt, q), papillon::dimension_error);
    REQUIRE_THROWS_AS(nn::sgd({.learning_rate = -1.0}), papillon::data_error);
    REQUIRE_THROWS_AS(nn::sgd({}, 1.0), papillon::data_error);
    params r({1.0}, {1.0});
    step(opt, r);
    params grown({1.0, 2.0}, {1.0, 1.0});
    REQUIRE_THROWS_WITH(step(opt, grown), contains_substring("differs from the optimiser state"));
  }
}
