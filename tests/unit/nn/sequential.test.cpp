#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/dropout.hpp>
#include <papillon/nn/gradient_check.hpp>
#include <papillon/nn/l2_normalize.hpp>
#include <papillon/nn/layer_norm.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>

#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>

#include "support/catch.hpp"

using papillon::test::contains_substring;
namespace nn = papillon::nn;

namespace {

nn::matrix random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  nn::rng_type rng(seed);
  nn::matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = 2.0 * nn::uniform01(rng) - 1.0;
  return m;
}

// The shape of the hybrid imputer with the quantum layer replaced by a classical stand-in.
nn::sequential make_model(bool with_dropout = false) {
  nn::sequential m;
  m.emplace<nn::dense>(6, 8, nn::dense_options{.seed = 1}).set_name("pre");
  m.emplace<nn::gelu>();
  m.emplace<nn::layer_norm>(8);
  m.emplace<nn::dense>(8, 5, nn::dense_options{.seed = 2}).set_name("mid");
  m.emplace<nn::l2_normalize>();
  if (with_dropout) m.emplace<nn::dropout>(0.25, 3);
  m.emplace<nn::tanh_activation>();
  m.emplace<nn::dense>(5, 4, nn::dense_options{.seed = 3}).set_name("post");
  return m;
}

}  // namespace

TEST_CASE("nn sequential: forward, backward and parameter bookkeeping", "[nn][sequential]") {
  auto model = make_model();
  REQUIRE(model.size() == 7);
  REQUIRE(model.num_parameters() == (6 * 8 + 8) + 16 + (8 * 5 + 5) + (5 * 4 + 4));
  REQUIRE(model.num_trainable_parameters() == model.num_parameters());
  REQUIRE(model[1].name() == "gelu_1");
  REQUIRE(model.find("mid").kind() == "dense");
  REQUIRE(model.output_size(6) == 4);
  REQUIRE(model.parameter_views().size() == 4);

  SECTION("the model gradient matches finite differences (masked MSE)") {
    const nn::matrix x = random_matrix(7, 6, 10);
    const nn::matrix y = random_matrix(7, 4, 11);
    nn::matrix mask = nn::matrix::Ones(7, 4);
    mask(0, 0) = mask(3, 2) = mask(6, 1) = 0.0;
    const auto r = nn::check_model_gradients(model, nn::masked_mse{}, x, y, mask,
                                             {.step = 1e-6, .tolerance = 1e-7});
    INFO("input error " << r.max_input_error << ", parameter error " << r.max_parameter_error);
    REQUIRE(r.passed);
    REQUIRE(r.parameters_checked == model.num_parameters());
  }
  SECTION("the model gradient matches finite differences (BCE with logits)") {
    const nn::matrix x = random_matrix(5, 6, 12);
    const nn::matrix y = (random_matrix(5, 4, 13).array() > 0.0).cast<double>();
    const auto r = nn::check_model_gradients(model, nn::bce_with_logits{}, x, y, {},
                                             {.step = 1e-6, .tolerance = 1e-7});
    REQUIRE(r.passed);
  }
  SECTION("frozen layers are skipped by the check and by the optimiser") {
    model.find("pre").set_trainable(false);
    REQUIRE(model.num_trainable_parameters() == model.num_parameters() - 56);
    const auto r = nn::check_model_gradients(model, nn::masked_mse{}, random_matrix(3, 6, 1),
                                             random_matrix(3, 4, 2));
    REQUIRE(r.parameters_checked == model.num_trainable_parameters());
  }
  SECTION("flat parameters round-trip") {
    Eigen::VectorXd p = model.flat_parameters();
    p *= 0.5;
    model.set_flat_parameters(p);
    REQUIRE(model.flat_parameters() == p);
    REQUIRE_THROWS_AS(model.set_flat_parameters(Eigen::VectorXd::Zero(3)),
                      papillon::dimension_error);
  }
}

TEST_CASE("nn sequential: JSON save/load reproduces outputs exactly", "[nn][sequential][json]") {
  auto model = make_model(true);
  const nn::matrix x = random_matrix(9, 6, 20);
  // Perturb the state away from the initial one: parameters, masks and the dropout engine.
  model.forward(x, true);
  Eigen::VectorXd p = model.flat_parameters();
  for (Eigen::Index i = 0; i < p.size(); ++i) p[i] += 1e-3 * std::sin(static_cast<double>(i));
  model.set_flat_parameters(p);
  model.find("mid").set_trainable("bias", false);
  model.find("post").set_group("quantum");

  SECTION("through a JSON string") {
    auto copy = nn::sequential::from_json(nlohmann::json::parse(model.to_json().dump()));
    REQUIRE(copy.flat_parameters() == model.flat_parameters());
    REQUIRE(copy.predict(x) == model.predict(x));
    // The dropout engine state travels too: the next training forward is identical.
    REQUIRE(copy.forward(x, true) == model.forward(x, true));
    REQUIRE(copy.find("mid").num_trainable() == 40);
    REQUIRE(copy.find("post").group() == "quantum");
    REQUIRE(copy.to_json() == model.to_json());
  }
  SECTION("through a file") {
    const auto path = std::filesystem::temp_directory_path() / "papillon_nn_model_test.json";
    model.save(path);
    auto copy = nn::sequential::load(path);
    std::filesystem::remove(path);
    REQUIRE(copy.predict(x) == model.predict(x));
  }
  SECTION("into an existing model of the same shape") {
    auto other = make_model(true);
    other.load_state(model.to_json());
    REQUIRE(other.predict(x) == model.predict(x));
  }
}

TEST_CASE("nn sequential: bad inputs give clear errors", "[nn][sequential][error]") {
  auto model = make_model();
  SECTION("NaN in the input") {
    nn::matrix x = nn::matrix::Ones(2, 6);
    x(1, 3) = std::numeric_limits<double>::quiet_NaN();
    REQUIRE_THROWS_MATCHES(
        model.forward(x), papillon::data_error,
        Catch::Matchers::Message("papillon::nn::sequential::forward: input holds NaN or infinity"));
  }
  SECTION("wrong input width") {
    REQUIRE_THROWS_WITH(model.forward(nn::matrix::Ones(2, 5)),
                        contains_substring("input width differs from the layer's inputs"));
  }
  SECTION("duplicate layer names") {
    auto d = std::make_unique<nn::dense>(4, 6);
    d->set_name("pre");
    REQUIRE_THROWS_WITH(model.add(std::move(d)), contains_substring("layer name already used"));
    REQUIRE_THROWS_AS(model.find("nope"), papillon::data_error);
  }
  SECTION("wrong JSON") {
    auto j = model.to_json();
    auto bad = j;
    bad["format"] = "papillon.model.v0";
    REQUIRE_THROWS_WITH(nn::sequential::from_json(bad),
                        contains_substring("not a papillon model file"));
    bad = j;
    bad["layers"][0]["kind"] = "conv2d";
    REQUIRE_THROWS_WITH(nn::sequential::from_json(bad), contains_substring("unknown layer kind"));
    bad = j;
    bad["layers"][0]["parameters"].erase(0);
    REQUIRE_THROWS_AS(nn::sequential::from_json(bad), papillon::dimension_error);
    bad = j;
    bad["layers"][0]["parameters"][0] = "x";
    REQUIRE_THROWS_WITH(nn::sequential::from_json(bad),
                        contains_substring("malformed layer entry"));
    bad = j;
    bad["layers"][0]["config"]["inputs"] = "six";
    REQUIRE_THROWS_WITH(nn::sequential::from_json(bad),
                        contains_substring("malformed dense config"));
    REQUIRE_THROWS_AS(nn::sequential::from_json(nlohmann::json::array()), papillon::data_error);
    bad = j;
    bad["layers"][3]["name"] = "renamed";
    REQUIRE_THROWS_WITH(model.load_state(bad), contains_substring("layer name differs"));
  }
  SECTION("an unreadable or invalid file") {
    REQUIRE_THROWS_WITH(nn::sequential::load("/nonexistent/model.json"),
                        contains_substring("cannot open file"));
    const auto path = std::filesystem::temp_directory_path() / "papillon_nn_bad_model.json";
    std::ofstream(path) << "{ not json";
    REQUIRE_THROWS_WITH(nn::sequential::load(path), contains_substring("invalid JSON"));
    std::filesystem::remove(path);
  }
  SECTION("the factory accepts new kinds") {
    nn::layer_factory factory;
    REQUIRE(factory.contains("dense"));
    factory.add("swish_like", [](const nlohmann::json&) { return std::make_unique<nn::gelu>(); });
    REQUIRE(factory.contains("swish_like"));
  }
}
