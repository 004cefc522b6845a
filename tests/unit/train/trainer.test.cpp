#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/dropout.hpp>
#include <papillon/nn/l2_normalize.hpp>
#include <papillon/nn/layer_norm.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>
#include <papillon/train/trainer.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/catch.hpp"

using papillon::test::contains_substring;
namespace nn = papillon::nn;
namespace tr = papillon::train;

namespace {

// y = sin(x A) + 0.5 (x B), a smooth regression target; 30% of the targets masked out.
tr::dataset synthetic(Eigen::Index n, std::uint64_t seed, bool masked = true) {
  nn::rng_type rng(seed);
  nn::rng_type fixed(99);  // the same A, B for every split
  auto uni = [](nn::rng_type& r) { return 2.0 * nn::uniform01(r) - 1.0; };
  nn::matrix a(4, 3);
  nn::matrix b(4, 3);
  for (Eigen::Index i = 0; i < 12; ++i) a(i) = uni(fixed);
  for (Eigen::Index i = 0; i < 12; ++i) b(i) = uni(fixed);
  tr::dataset d;
  d.inputs.resize(n, 4);
  for (Eigen::Index i = 0; i < d.inputs.size(); ++i) d.inputs(i) = uni(rng);
  d.targets = (d.inputs * a).array().sin().matrix() + 0.5 * d.inputs * b;
  if (masked) {
    d.mask.resize(n, 3);
    for (Eigen::Index i = 0; i < d.mask.size(); ++i) d.mask(i) = nn::uniform01(rng) < 0.3 ? 0 : 1;
  }
  return d;
}

nn::sequential make_model(bool with_dropout = false) {
  nn::sequential m;
  m.emplace<nn::dense>(4, 8, nn::dense_options{.seed = 1}).set_name("pre");
  m.emplace<nn::tanh_activation>();
  if (with_dropout) m.emplace<nn::dropout>(0.1, 7);
  m.emplace<nn::dense>(8, 8, nn::dense_options{.seed = 2}).set_name("mid");
  m.emplace<nn::layer_norm>(8);
  m.emplace<nn::dense>(8, 3, nn::dense_options{.seed = 3}).set_name("post");
  return m;
}

tr::trainer_options quiet() {
  tr::trainer_options o;
  o.progress = tr::progress_mode::silent;
  o.batch_size = 16;
  o.seed = 5;
  return o;
}

}  // namespace

TEST_CASE("train: batching is seeded and covers every sample once", "[train][batch]") {
  nn::rng_type a(3);
  nn::rng_type b(3);
  const auto ba = tr::make_batches(10, 4, &a);
  REQUIRE(ba == tr::make_batches(10, 4, &b));
  REQUIRE(ba.size() == 3);
  REQUIRE(ba[2].size() == 2);
  std::vector<papillon::index_t> all;
  for (const auto& x : ba) all.insert(all.end(), x.begin(), x.end());
  std::sort(all.begin(), all.end());
  for (papillon::index_t i = 0; i < 10; ++i) REQUIRE(all[i] == i);
  REQUIRE(tr::make_batches(5, 2, nullptr)[1] == std::vector<papillon::index_t>{2, 3});
  REQUIRE_THROWS_AS(tr::make_batches(5, 0, nullptr), papillon::data_error);

  const auto d = synthetic(20, 1);
  const auto s = tr::split_validation(d, 0.25, 4);
  REQUIRE(s.training.size() == 15);
  REQUIRE(s.validation.size() == 5);
  REQUIRE(s.training.has_mask());
  REQUIRE_THROWS_AS(tr::split_validation(d, 1.0, 4), papillon::data_error);
}

TEST_CASE("train: the trainer lowers the loss on a synthetic regression", "[train][trainer]") {
  auto model = make_model();
  nn::adam opt({.learning_rate = 0.02});
  nn::masked_mse loss;
  auto o = quiet();
  o.epochs = 30;
  o.validation_split = 0.2;
  std::vector<tr::step_report> steps;
  o.on_step = [&](const tr::step_report& s) { steps.push_back(s); };
  tr::trainer t(model, opt, loss, o);
  const auto data = synthetic(200, 1);
  const double before = t.evaluate(data);
  const auto report = t.fit(data);
  REQUIRE(report.history.size() == 30);
  REQUIRE(report.global_steps == 30 * 10);  // 160 training samples / 16
  REQUIRE(steps.size() == report.global_steps);
  REQUIRE(steps.back().global_step == report.global_steps);
  REQUIRE(report.history.back().validation_loss.has_value());
  REQUIRE(report.history.back().train_loss < 0.25 * report.history.front().train_loss);
  REQUIRE(*report.history.back().validation_loss < 0.25 * before);
}

TEST_CASE("train: early stopping triggers and restores the best epoch", "[train][trainer]") {
  auto model = make_model();
  nn::sgd opt({.learning_rate = 0.05});
  nn::masked_mse loss;
  auto o = quiet();
  o.epochs = 50;
  o.early_stopping = {.enabled = true, .patience = 3, .min_delta = 0.0, .restore_best = true};
  const auto train = synthetic(64, 1, false);
  // A validation set whose targets have the opposite sign: fitting the training set makes it
  // worse after the first epochs.
  auto val = synthetic(32, 2, false);
  val.targets = -val.targets;
  Eigen::VectorXd best_params;
  double best = 1e300;
  tr::trainer t2(model, opt, loss, [&] {
    auto oo = o;
    oo.on_epoch = [&](const tr::epoch_report& r) {
      if (*r.validation_loss < best) {
        best = *r.validation_loss;
        best_params = model.flat_parameters();
      }
    };
    return oo;
  }());
  const auto report = t2.fit(train, val);
  REQUIRE(report.stages.size() == 1);
  REQUIRE(report.stages[0].stopped_early);
  REQUIRE(report.history.size() < 50);
  REQUIRE(report.stages[0].epochs_run == report.history.size());
  REQUIRE(report.history.size() == report.stages[0].best_epoch + 3);
  REQUIRE(*report.stages[0].best_validation_loss == best);
  REQUIRE(report.stages[0].restored_best);
  REQUIRE(model.flat_parameters() == best_params);
  REQUIRE(t2.evaluate(val) == best);

  SECTION("early stopping without validation data is an error") {
    auto o2 = o;
    tr::trainer t3(model, opt, loss, o2);
    REQUIRE_THROWS_WITH(t3.fit(train), contains_substring("early stopping needs validation data"));
  }
}

TEST_CASE("train: stages freeze parameters bit for bit", "[train][trainer][schedule]") {
  auto model = make_model();
  nn::adamw opt({.learning_rate = 0.01, .weight_decay = 0.1});
  nn::masked_mse loss;
  auto o = quiet();
  // (c) the hardware protocol: stage A trains pre + mid; stage B freezes them and trains post
  // (and only its weights, not its bias) with its own learning rate.
  o.stages = {{.name = "A", .epochs = 3, .trainable = std::vector<std::string>{"pre", "mid"}},
              {.name = "B",
               .epochs = 2,
               .trainable = std::vector<std::string>{"post/weight"},
               .learning_rates = {{"*", 0.05}},
               .reset_optimizer = true}};
  std::vector<std::string> begun;
  Eigen::VectorXd pre_after_a;
  Eigen::VectorXd post_before_a;
  {
    auto p = model.find("post").parameters();
    post_before_a =
        Eigen::Map<const Eigen::VectorXd>(p.data(), static_cast<Eigen::Index>(p.size()));
  }
  o.on_stage_begin = [&](const tr::stage_event& e) {
    begun.push_back(e.current->name);
    if (e.index == 1) {
      auto p = model.find("pre").parameters();
      pre_after_a =
          Eigen::Map<const Eigen::VectorXd>(p.data(), static_cast<Eigen::Index>(p.size()));
      auto q = model.find("post").parameters();
      // Stage A never touched post.
      REQUIRE(Eigen::Map<const Eigen::VectorXd>(q.data(), static_cast<Eigen::Index>(q.size())) ==
              post_before_a);
      REQUIRE(opt.learning_rate("classical") == 0.05);
    }
  };
  tr::trainer t(model, opt, loss, o);
  const auto report = t.fit(synthetic(48, 3));
  REQUIRE(begun == std::vector<std::string>{"A", "B"});
  REQUIRE(report.stages.size() == 2);
  REQUIRE(report.history.size() == 5);
  auto p = model.find("pre").parameters();
  REQUIRE(Eigen::Map<const Eigen::VectorXd>(p.data(), static_cast<Eigen::Index>(p.size())) ==
          pre_after_a);
  const auto& post = dynamic_cast<const nn::dense&>(model.find("post"));
  REQUIRE(post.bias() == post_before_a.tail(3));
  REQUIRE(post.weight().reshaped() != post_before_a.head(24));
  REQUIRE(model.find("post").num_trainable() == 24);

  SECTION("selectors naming nothing are rejected") {
    REQUIRE_THROWS_WITH(tr::apply_selectors(model, {"nope"}),
                        contains_substring("no layer of that name"));
    REQUIRE_THROWS_WITH(tr::apply_selectors(model, {"post/gain"}),
                        contains_substring("no parameter block"));
    REQUIRE_THROWS_WITH(tr::apply_selectors(model, {"group:quantum"}),
                        contains_substring("no layer in that group"));
  }
  SECTION("(b) grow: unfreezing one layer at a time, by group selectors too") {
    model.find("post").set_group("quantum");
    tr::apply_selectors(model, {"group:quantum"});
    REQUIRE(model.num_trainable_parameters() == 27);
    tr::apply_selectors(model, {"group:quantum", "mid"});
    REQUIRE(model.num_trainable_parameters() == 27 + 72);
    tr::apply_selectors(model, {"*"});
    REQUIRE(model.num_trainable_parameters() == model.num_parameters());
  }
}

TEST_CASE("train: resuming a checkpoint equals the uninterrupted run bit for bit",
          "[train][trainer][checkpoint]") {
  const auto dir = std::filesystem::temp_directory_path() / "papillon_trainer_resume_test";
  std::filesystem::create_directories(dir);
  const auto data = synthetic(90, 7);

  auto options = [&](const std::filesystem::path& ckpt) {
    auto o = quiet();
    o.validation_split = 0.2;
    o.checkpoint_path = ckpt;
    o.early_stopping = {.enabled = true, .patience = 100};
    o.ledger = {{"jobs", nlohmann::json::array()}};
    o.stages = {{.name = "sim", .epochs = 4, .trainable = std::vector<std::string>{"pre", "mid"}},
                {.name = "hw",
                 .epochs = 4,
                 .trainable = std::vector<std::string>{"post"},
                 .learning_rates = {{"classical", 0.005}}}};
    return o;
  };
  // Reference: all 8 epochs straight through.
  auto ref_model = make_model(true);
  nn::adam ref_opt({.learning_rate = 0.02, .clip_norm = 5.0});
  nn::masked_mse loss;
  auto ref_o = options(dir / "ref.json");
  tr::trainer ref(ref_model, ref_opt, loss, ref_o);
  const auto ref_report = ref.fit(data);

  for (papillon::index_t crash_epoch : {2, 4, 6}) {
    DYNAMIC_SECTION("crash during epoch " << crash_epoch + 1) {
      const auto ckpt = dir / ("run_" + std::to_string(crash_epoch) + ".json");
      {
        auto model = make_model(true);
        nn::adam opt({.learning_rate = 0.02, .clip_norm = 5.0});
        auto o = options(ckpt);
        papillon::index_t epochs_done = 0;
        tr::trainer* self = nullptr;
        o.on_epoch = [&](const tr::epoch_report& r) {
          epochs_done = r.global_epoch;
          (*self).ledger()["jobs"].push_back(r.global_epoch);
        };
        o.on_step = [&](const tr::step_report& s) {
          // Simulate a crash in the middle of the next epoch, after some steps changed the model.
          if (epochs_done == crash_epoch && s.step == 2) throw std::runtime_error("power cut");
        };
        tr::trainer t(model, opt, loss, o);
        self = &t;
        REQUIRE_THROWS_WITH(t.fit(data), "power cut");
        REQUIRE(std::filesystem::exists(ckpt));
        REQUIRE_FALSE(std::filesystem::exists(ckpt.string() + ".tmp"));
      }
      // A new "process": fresh model and optimiser objects, resumed from the file.
      auto model = make_model(true);
      nn::adam opt({.learning_rate = 0.02, .clip_norm = 5.0});
      auto o = options(ckpt);
      tr::trainer* self = nullptr;
      o.on_epoch = [&](const tr::epoch_report& r) {
        (*self).ledger()["jobs"].push_back(r.global_epoch);
      };
      std::vector<bool> resumed_flags;
      o.on_stage_begin = [&](const tr::stage_event& e) {
        resumed_flags.push_back(e.resumed_mid_stage);
      };
      tr::trainer t(model, opt, loss, o);
      self = &t;
      const auto report = t.resume(ckpt, data);

      REQUIRE(report.resumed);
      REQUIRE(model.flat_parameters() == ref_model.flat_parameters());
      REQUIRE(model.to_json() == ref_model.to_json());
      REQUIRE(opt.state() == ref_opt.state());
      REQUIRE(report.global_steps == ref_report.global_steps);
      REQUIRE(report.history.size() == ref_report.history.size());
      for (std::size_t i = 0; i < report.history.size(); ++i) {
        REQUIRE(report.history[i].train_loss == ref_report.history[i].train_loss);
        REQUIRE(report.history[i].validation_loss == ref_report.history[i].validation_loss);
      }
      REQUIRE(report.ledger["jobs"] == nlohmann::json::array({1, 2, 3, 4, 5, 6, 7, 8}));
      REQUIRE(resumed_flags.front() == (crash_epoch != 4));
      // The final checkpoint of both runs matches too (except the ledger, which only the
      // crashed run filled).
      auto a = tr::load_checkpoint(ckpt);
      auto b = tr::load_checkpoint(dir / "ref.json");
      a.erase("ledger");
      b.erase("ledger");
      for (auto* j : {&a, &b})
        for (auto& h : (*j)["history"]) h.erase("seconds");
      REQUIRE(a == b);
    }
  }

  SECTION("a checkpoint from another schedule is refused") {
    auto model = make_model(true);
    nn::adam opt;
    auto o = options(dir / "other.json");
    o.stages[1].epochs = 5;
    tr::trainer t(model, opt, loss, o);
    REQUIRE_THROWS_WITH(t.resume(dir / "ref.json", data), contains_substring("different schedule"));
  }
  SECTION("a file that is not a checkpoint is refused") {
    const auto bad = dir / "bad.json";
    std::ofstream(bad) << R"({"format": "papillon.model.v1"})";
    auto model = make_model(true);
    nn::adam opt;
    tr::trainer t(model, opt, loss, options(dir / "x.json"));
    REQUIRE_THROWS_WITH(t.resume(bad, data), contains_substring("not a papillon checkpoint"));
    REQUIRE_THROWS_WITH(t.resume(dir / "missing.json", data),
                        contains_substring("cannot open file"));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("train: bad data and options give clear errors", "[train][trainer][error]") {
  auto model = make_model();
  nn::sgd opt;
  nn::masked_mse loss;
  SECTION("options") {
    auto o = quiet();
    o.batch_size = 0;
    REQUIRE_THROWS_WITH(tr::trainer(model, opt, loss, o), contains_substring("batch size"));
    o = quiet();
    o.stages = {{.name = "empty", .epochs = 0}};
    REQUIRE_THROWS_WITH(tr::trainer(model, opt, loss, o), contains_substring("0 epochs"));
  }
  tr::trainer t(model, opt, loss, quiet());
  SECTION("shape mismatches") {
    auto d = synthetic(10, 1);
    d.targets = nn::matrix::Zero(10, 2);
    d.mask.resize(0, 0);
    REQUIRE_THROWS_WITH(t.fit(d), contains_substring("model output width differs"));
    d = synthetic(10, 1);
    d.inputs = nn::matrix::Zero(9, 4);
    REQUIRE_THROWS_AS(t.fit(d), papillon::dimension_error);
  }
  SECTION("NaN in the inputs") {
    auto d = synthetic(10, 1);
    d.inputs(3, 1) = std::nan("");
    REQUIRE_THROWS_MATCHES(t.fit(d), papillon::data_error,
                           Catch::Matchers::Message("papillon::train::trainer (training set): "
                                                    "inputs hold NaN or infinity"));
  }
}

TEST_CASE("train: progress output", "[train][progress]") {
  auto model = make_model();
  nn::sgd opt;
  nn::masked_mse loss;
  std::string text;
  auto o = quiet();
  o.epochs = 2;
  o.progress = tr::progress_mode::lines;
  o.progress_sink = [&](std::string_view s) { text += s; };
  tr::trainer t(model, opt, loss, o);
  t.fit(synthetic(20, 1), synthetic(10, 2));
  REQUIRE_THAT(text, contains_substring("epoch 1/2 loss "));
  REQUIRE_THAT(text, contains_substring("val_loss"));
  REQUIRE(std::count(text.begin(), text.end(), '\n') == 2);
  text.clear();
  o.progress = tr::progress_mode::bar;
  tr::trainer t2(model, opt, loss, o);
  t2.fit(synthetic(20, 1));
  REQUIRE_THAT(text, contains_substring("ETA"));
  REQUIRE_THAT(text, contains_substring("\r"));
  // The default prints nothing, even with a sink: a library speaks only when asked.
  text.clear();
  auto d = tr::trainer_options{};
  d.epochs = 1;
  d.progress_sink = o.progress_sink;
  tr::trainer t3(model, opt, loss, d);
  t3.fit(synthetic(20, 1));
  REQUIRE(text.empty());
}

#if defined(__unix__)
#  include <sys/stat.h>

TEST_CASE("write_file_atomically refuses to replace what is not a regular file", "[train]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "papillon_atomic_fifo_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path fifo = dir / "pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THROWS_AS(papillon::train::write_file_atomically(fifo, "x"), papillon::data_error);
  CHECK(fs::is_fifo(fifo));  // still the FIFO, not a regular file renamed over it
  const fs::path file = dir / "plain.json";
  papillon::train::write_file_atomically(file, "one");
  papillon::train::write_file_atomically(file, "two");  // a regular file is replaced
  std::ifstream in(file);
  std::string text;
  in >> text;
  CHECK(text == "two");
  fs::remove_all(dir);
}
#endif
