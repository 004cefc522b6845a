#include <papillon/backend/simulator_backend.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/gradient_check.hpp>
#include <papillon/nn/layer_factory.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>
#include <papillon/train/hybrid_schedules.hpp>
#include <papillon/train/trainer.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/catch.hpp"

using papillon::index_t;
using papillon::test::contains_substring;
namespace nn = papillon::nn;
namespace tr = papillon::train;

namespace {

// y = sin(x A) + 0.5 (x B): 4 inputs, 3 targets.
tr::dataset synthetic(Eigen::Index n, std::uint64_t seed) {
  nn::rng_type rng(seed);
  nn::rng_type fixed(99);
  auto uni = [](nn::rng_type& r) { return 2.0 * nn::uniform01(r) - 1.0; };
  nn::matrix a(4, 3);
  nn::matrix b(4, 3);
  for (Eigen::Index i = 0; i < 12; ++i) a(i) = uni(fixed);
  for (Eigen::Index i = 0; i < 12; ++i) b(i) = uni(fixed);
  tr::dataset d;
  d.inputs.resize(n, 4);
  for (Eigen::Index i = 0; i < d.inputs.size(); ++i) d.inputs(i) = uni(rng);
  d.targets = (d.inputs * a).array().sin().matrix() + 0.5 * d.inputs * b;
  return d;
}

// dense -> tanh -> quantum_orthogonal(8 qubits) -> dense.
nn::sequential hybrid_model(nn::quantum_readout readout, std::uint64_t shots = 0,
                            nn::quantum_init init = nn::quantum_init::zero_coupling) {
  nn::sequential m;
  m.emplace<nn::dense>(4, 8, nn::dense_options{.seed = 1}).set_name("pre");
  m.emplace<nn::tanh_activation>();
  nn::quantum_layer_options q;
  q.qubits = 8;
  q.readout = readout;
  q.init = init;
  q.seed = 3;
  q.shots = shots;
  m.emplace<nn::quantum_orthogonal>(q).set_name("quantum");
  m.emplace<nn::dense>(8, 3, nn::dense_options{.seed = 2}).set_name("post");
  return m;
}

nn::matrix random_rows(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  nn::rng_type rng(seed);
  nn::matrix m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = 2.0 * nn::uniform01(rng) - 1.0;
  return m;
}

nn::quantum_orthogonal& quantum_of(nn::sequential& m) {
  return dynamic_cast<nn::quantum_orthogonal&>(m.find("quantum"));
}

Eigen::VectorXd values(const nn::layer& l) {
  const auto p = l.parameters();
  return Eigen::Map<const Eigen::VectorXd>(p.data(), static_cast<Eigen::Index>(p.size()));
}

Eigen::VectorXd block(const nn::layer& l, const std::string& name) {
  for (const auto& b : l.parameter_blocks())
    if (b.name == name)
      return values(l).segment(static_cast<Eigen::Index>(b.offset),
                               static_cast<Eigen::Index>(b.size));
  throw std::logic_error("no block " + name);
}

std::shared_ptr<papillon::simulator_backend> one_thread_simulator() {
  papillon::simulator_backend_options o;
  o.threads = 1;
  return std::make_shared<papillon::simulator_backend>(o);
}

tr::trainer_options quiet() {
  tr::trainer_options o;
  o.progress = tr::progress_mode::silent;
  o.batch_size = 16;
  o.seed = 11;
  return o;
}

}  // namespace

TEST_CASE("hybrid schedules: names and stages", "[train][hybrid]") {
  for (auto s :
       {tr::hybrid_schedule::simulation, tr::hybrid_schedule::grow, tr::hybrid_schedule::hardware})
    REQUIRE(tr::hybrid_schedule_from(tr::hybrid_schedule_name(s)) == s);
  REQUIRE(tr::hybrid_schedule_name(tr::hybrid_schedule::grow) == "grow");
  REQUIRE_THROWS_MATCHES(tr::hybrid_schedule_from("Hardware"), papillon::data_error,
                         Catch::Matchers::Message("papillon::train::hybrid_schedule_from: unknown "
                                                  "hybrid schedule 'Hardware' (valid: "
                                                  "simulation, grow, hardware)"));

  auto model = hybrid_model(nn::quantum_readout::probabilities);
  tr::hybrid_schedule_options o;
  o.epochs = 7;
  o.hardware_epochs = 3;
  using names = std::vector<std::string>;

  const auto sim = tr::make_hybrid_stages(model, tr::hybrid_schedule::simulation, o);
  REQUIRE(sim.size() == 1);
  REQUIRE(sim[0].name == "simulation");
  REQUIRE(sim[0].epochs == 7);
  REQUIRE(*sim[0].trainable == names{"*"});
  REQUIRE(sim[0].learning_rates == std::map<std::string, double>{{"*", 1e-2}, {"quantum", 2e-2}});

  const auto hw = tr::make_hybrid_stages(model, tr::hybrid_schedule::hardware, o);
  REQUIRE(hw.size() == 2);
  REQUIRE(hw[0].name == "A:simulation");
  REQUIRE(hw[0].epochs == 7);
  REQUIRE(*hw[0].trainable == names{"pre", "post", "quantum/stride_1", "quantum/stride_2"});
  REQUIRE(hw[1].name == "B:coupling");
  REQUIRE(hw[1].epochs == 3);
  REQUIRE(*hw[1].trainable == names{"pre", "post", "quantum/coupling"});
  o.train_classical_in_stage_b = false;
  REQUIRE(*tr::make_hybrid_stages(model, tr::hybrid_schedule::hardware, o)[1].trainable ==
          names{"quantum/coupling"});

  const auto grow = tr::make_hybrid_stages(model, tr::hybrid_schedule::grow, o);
  REQUIRE(grow.size() == 3);
  REQUIRE(grow[0].name == "grow:stride_1");
  REQUIRE(grow[2].name == "grow:coupling");
  REQUIRE(*grow[1].trainable == names{"quantum/stride_2"});
  for (const auto& st : grow) REQUIRE(st.epochs == 7);

  SECTION("errors") {
    o.quantum_layer = "post";
    REQUIRE_THROWS_WITH(
        tr::make_hybrid_stages(model, tr::hybrid_schedule::grow, o),
        contains_substring("papillon::train::make_hybrid_stages: the model has no "
                           "quantum_orthogonal layer of that name ('post'; quantum_orthogonal "
                           "layers: 'quantum')"));
    tr::trainer_options to;
    REQUIRE_THROWS_AS(tr::attach_stage_backends(to, model, tr::hybrid_schedule::grow, o, nullptr),
                      papillon::data_error);
    o.quantum_layer = "quantum";
    o.hardware_epochs = 0;
    REQUIRE_THROWS_WITH(tr::make_hybrid_stages(model, tr::hybrid_schedule::hardware, o),
                        contains_substring("hardware_epochs must be positive"));
    o.hardware_epochs = 1;
    o.quantum_learning_rate = -1;
    REQUIRE_THROWS_WITH(tr::make_hybrid_stages(model, tr::hybrid_schedule::simulation, o),
                        contains_substring("learning rates must be positive"));
  }
}

TEST_CASE("hybrid schedules: the whole hybrid model's gradient matches finite differences",
          "[train][hybrid][gradient]") {
  const auto readout =
      GENERATE(nn::quantum_readout::probabilities, nn::quantum_readout::amplitudes);
  const index_t active = GENERATE(index_t{3}, index_t{2});
  INFO(papillon::name_of(readout) << ", " << active << " active layers");
  auto model = hybrid_model(readout, 0, nn::quantum_init::uniform);
  quantum_of(model).set_active_layers(active);
  const auto data = synthetic(6, 4);
  nn::masked_mse loss;
  const auto report = nn::check_model_gradients(model, loss, data.inputs, data.targets, {},
                                                {.step = 1e-6, .tolerance = 1e-6});
  INFO("input error " << report.max_input_error << ", parameter error "
                      << report.max_parameter_error);
  REQUIRE(report.passed);
  REQUIRE(report.parameters_checked == 40 + 12 + 27);
  // The coupling layer is inactive with 2 active layers: no gradient at all.
  const auto g = quantum_of(model).gradients();
  for (index_t p = 8; p < 12; ++p) REQUIRE((active == 3 ? g[p] != 0.0 : g[p] == 0.0));
}

TEST_CASE("hybrid schedules: the trainer lowers the loss in every schedule",
          "[train][hybrid][trainer]") {
  const auto schedule = GENERATE(tr::hybrid_schedule::simulation, tr::hybrid_schedule::grow,
                                 tr::hybrid_schedule::hardware);
  INFO(tr::hybrid_schedule_name(schedule));
  auto model = hybrid_model(nn::quantum_readout::probabilities);
  auto& q = quantum_of(model);
  auto sim = one_thread_simulator();
  nn::adam opt;
  nn::masked_mse loss;
  tr::hybrid_schedule_options so;
  so.epochs = schedule == tr::hybrid_schedule::grow ? 6 : 15;
  so.hardware_epochs = 4;
  so.learning_rate = 3e-2;
  so.quantum_learning_rate = 5e-2;
  auto o = quiet();
  o.stages = tr::make_hybrid_stages(model, schedule, so);
  tr::attach_stage_backends(o, model, schedule, so, sim);
  tr::trainer t(model, opt, loss, o);
  const auto data = synthetic(96, 1);
  const double before = t.evaluate(data);
  const auto report = t.fit(data);
  const double after = t.evaluate(data);
  INFO("loss " << before << " -> " << after);
  REQUIRE(after < 0.5 * before);
  REQUIRE(report.history.back().train_loss < 0.5 * report.history.front().train_loss);
  // The stages meant for hardware ran on the backend, the others did not.
  if (schedule == tr::hybrid_schedule::simulation) {
    REQUIRE(q.ledger().circuits == 0);
    REQUIRE(q.current_backend() == nullptr);
  } else {
    REQUIRE(q.ledger().circuits > 0);
    REQUIRE(q.current_backend() == sim);
  }
  REQUIRE(q.active_layers() == 3);
}

TEST_CASE("hybrid schedules: hardware protocol freezes the sub-butterflies and counts circuits",
          "[train][hybrid][trainer][ledger]") {
  const bool classical_too = GENERATE(false, true);
  INFO("train_classical_in_stage_b " << classical_too);
  constexpr std::uint64_t shots = 50;
  auto model = hybrid_model(nn::quantum_readout::probabilities, shots);
  auto& q = quantum_of(model);
  auto sim = one_thread_simulator();
  nn::adam opt;
  nn::masked_mse loss;
  tr::hybrid_schedule_options so;
  so.epochs = 3;
  so.hardware_epochs = 2;
  so.train_classical_in_stage_b = classical_too;
  auto o = quiet();
  o.stages = tr::make_hybrid_stages(model, tr::hybrid_schedule::hardware, so);

  const Eigen::VectorXd initial = values(q);
  Eigen::VectorXd at_b;
  Eigen::VectorXd pre_at_b;
  std::vector<std::string> begun;
  // Installed first: attach_stage_backends must chain it, after switching the backend.
  o.on_stage_begin = [&](const tr::stage_event& e) {
    begun.push_back(e.current->name);
    if (e.index == 0) REQUIRE(q.current_backend() == nullptr);
    if (e.index == 1) {
      REQUIRE(q.current_backend() == sim);
      REQUIRE(q.ledger().circuits == 0);  // stage A ran in exact simulation
      at_b = values(q);
      pre_at_b = values(model.find("pre"));
    }
  };
  // Per step of stage B: the forward circuits of the batch, then 4 shifted circuits per sample
  // (parallel shift, four-term rule) in a second batch.
  std::vector<index_t> rows = {16, 16, 8};  // 40 samples in batches of 16
  papillon::evaluation_ledger last{};
  index_t b_steps = 0;
  o.on_step = [&](const tr::step_report& s) {
    const auto now = q.ledger();
    if (s.stage == 1) {
      const std::uint64_t n = rows[s.step - 1];
      REQUIRE(now.circuits - last.circuits == n + 4 * n);
      REQUIRE(now.batches - last.batches == 2);
      REQUIRE(now.shots - last.shots == (n + 4 * n) * shots);
      ++b_steps;
    } else {
      REQUIRE(now == papillon::evaluation_ledger{});
    }
    last = now;
  };
  tr::attach_stage_backends(o, model, tr::hybrid_schedule::hardware, so, sim);
  tr::trainer t(model, opt, loss, o);
  t.fit(synthetic(40, 2));

  REQUIRE(begun == std::vector<std::string>{"A:simulation", "B:coupling"});
  REQUIRE(b_steps == 2 * 3);
  REQUIRE(q.ledger().circuits == 2 * 40 * 5);
  REQUIRE(q.ledger().batches == 2 * 3 * 2);
  REQUIRE(sim->stats().circuits == q.ledger().circuits);
  // Stage A kept the coupling layer at its initial 0; stage B left the sub-butterflies
  // bit-identical and trained the coupling layer.
  REQUIRE(at_b.segment(8, 4) == initial.segment(8, 4));
  REQUIRE(at_b.segment(8, 4) == Eigen::VectorXd::Zero(4));
  REQUIRE(at_b.head(8) != initial.head(8));
  REQUIRE(values(q).head(8) == at_b.head(8));
  REQUIRE(values(q).segment(8, 4) != at_b.segment(8, 4));
  REQUIRE((values(model.find("pre")) != pre_at_b) == classical_too);
}

TEST_CASE("hybrid schedules: grow trains one layer per stage, later layers are the identity",
          "[train][hybrid][grow]") {
  SECTION("inactive layers are the identity") {
    auto model = hybrid_model(nn::quantum_readout::probabilities, 0, nn::quantum_init::uniform);
    auto& q = quantum_of(model);
    const std::vector<double> theta(q.parameters().begin(), q.parameters().end());
    const auto& lc = q.butterfly_circuit();
    const Eigen::MatrixXd full = q.unary_matrix();
    q.set_active_layers(1);
    papillon::circuit first(8);
    for (index_t i = 0; i < lc.layers[1].first_operation; ++i) first.append(lc.body[i]);
    REQUIRE((q.unary_matrix() - papillon::unary_matrix(first, theta)).norm() < 1e-14);
    REQUIRE((q.unary_matrix() - full).norm() > 0.1);
    q.set_active_layers(0);
    REQUIRE(q.unary_matrix() == Eigen::MatrixXd::Identity(8, 8));
    q.set_active_layers(3);
    REQUIRE(q.unary_matrix() == full);
    REQUIRE_THROWS_WITH(q.set_active_layers(4), contains_substring("more active layers"));

    // Kept in model files and checkpoints.
    q.set_active_layers(2);
    auto other = hybrid_model(nn::quantum_readout::probabilities);
    other.load_state(model.to_json());
    REQUIRE(quantum_of(other).active_layers() == 2);
    const auto x = synthetic(5, 3).inputs;
    REQUIRE(other.predict(x) == model.predict(x));
    auto state = q.runtime_state();
    state.erase("active_layers");  // a file from before active layers: everything active
    quantum_of(other).set_runtime_state(state);
    REQUIRE(quantum_of(other).active_layers() == 3);
    state["active_layers"] = 9;
    REQUIRE_THROWS_AS(quantum_of(other).set_runtime_state(state), papillon::data_error);
  }

  SECTION("the last active layer is trailing: exact parallel shift, 4 circuits per sample") {
    for (index_t active : {index_t{1}, index_t{2}}) {
      nn::quantum_layer_options o;
      o.qubits = 8;
      o.seed = 5;
      o.shots = 0;
      nn::quantum_orthogonal exact(o);
      nn::quantum_orthogonal hw(o);
      const std::string trained = active == 1 ? "stride_1" : "stride_2";
      for (auto* l : {&exact, &hw}) {
        l->set_active_layers(active);
        l->set_trainable(true);  // inactive blocks trainable too: they must get zero gradient
        l->set_trainable("stride_1", active == 1);
      }
      hw.set_backend(one_thread_simulator());
      const nn::matrix x = random_rows(3, 8, 6);
      const nn::matrix g = random_rows(3, 8, 7);
      REQUIRE((hw.forward(x, true) - exact.forward(x, true)).norm() < 1e-12);
      exact.zero_gradients();
      hw.zero_gradients();
      exact.backward(g);
      hw.backward(g);
      const auto ge = exact.gradients();
      const auto gh = hw.gradients();
      for (index_t p = 0; p < 12; ++p) REQUIRE(std::abs(ge[p] - gh[p]) < 1e-9);
      for (index_t p = 4 * active; p < 12; ++p) REQUIRE(gh[p] == 0.0);
      REQUIRE(block(hw, trained) != Eigen::VectorXd::Zero(4));
      // Forward 3 circuits; gradient 3 x 4 (one shifted layer), not 3 x 4 per parameter.
      REQUIRE(hw.ledger().circuits == 3 + 3 * 4);
    }
  }

  SECTION("the grow schedule") {
    auto model = hybrid_model(nn::quantum_readout::probabilities, 0, nn::quantum_init::small);
    auto& q = quantum_of(model);
    auto sim = one_thread_simulator();
    nn::adam opt;
    nn::masked_mse loss;
    tr::hybrid_schedule_options so;
    so.epochs = 2;
    auto o = quiet();
    o.stages = tr::make_hybrid_stages(model, tr::hybrid_schedule::grow, so);
    std::vector<Eigen::VectorXd> at_begin;
    o.on_stage_begin = [&](const tr::stage_event& e) {
      REQUIRE(q.active_layers() == e.index + 1);
      REQUIRE(q.current_backend() == sim);
      at_begin.push_back(values(q));
    };
    tr::attach_stage_backends(o, model, tr::hybrid_schedule::grow, so, sim);
    tr::trainer t(model, opt, loss, o);
    const auto report = t.fit(synthetic(32, 5));
    REQUIRE(report.stages.size() == 3);
    at_begin.push_back(values(q));
    const std::vector<std::string> names = {"stride_1", "stride_2", "coupling"};
    for (index_t k = 0; k < 3; ++k) {
      const Eigen::VectorXd diff = at_begin[k + 1] - at_begin[k];
      for (index_t b = 0; b < 3; ++b) {
        const double changed = diff.segment(static_cast<Eigen::Index>(4 * b), 4).norm();
        INFO("stage " << names[k] << ", block " << names[b]);
        REQUIRE((b == k ? changed > 0 : changed == 0));
      }
    }
    // Every stage ran its trailing layer on the backend by the parallel shift: per epoch,
    // 32 forward + 32 x 4 gradient circuits.
    REQUIRE(q.ledger().circuits == 3 * 2 * (32 + 32 * 4));
  }
}

TEST_CASE("hybrid schedules: a resumed hardware run equals the uninterrupted run bit for bit",
          "[train][hybrid][checkpoint]") {
  const auto dir = std::filesystem::temp_directory_path() / "papillon_hybrid_resume_test";
  std::filesystem::create_directories(dir);
  const auto data = synthetic(48, 8);
  tr::hybrid_schedule_options so;
  so.epochs = 3;
  so.hardware_epochs = 3;
  // Shots: the sampled outcomes of stage B must replay too (seeded by the layer's call count).
  auto setup = [&](nn::sequential& model, const std::filesystem::path& ckpt) {
    auto o = quiet();
    o.validation_split = 0.25;
    o.checkpoint_path = ckpt;
    o.stages = tr::make_hybrid_stages(model, tr::hybrid_schedule::hardware, so);
    tr::attach_stage_backends(o, model, tr::hybrid_schedule::hardware, so, one_thread_simulator());
    return o;
  };
  nn::masked_mse loss;
  auto ref_model = hybrid_model(nn::quantum_readout::probabilities, 64);
  nn::adam ref_opt;
  tr::trainer ref(ref_model, ref_opt, loss, setup(ref_model, dir / "ref.json"));
  const auto ref_report = ref.fit(data);
  REQUIRE(quantum_of(ref_model).ledger().circuits > 0);

  // on_epoch throws after epoch 3, 4 or 5, before that epoch's checkpoint: the run resumes from
  // epoch 2 (inside A), 3 (the end of A: B starts afresh) or 4 (inside B).
  for (index_t crash : {3, 4, 5}) {
    DYNAMIC_SECTION("interrupted after epoch " << crash) {
      const auto ckpt = dir / ("run_" + std::to_string(crash) + ".json");
      {
        auto model = hybrid_model(nn::quantum_readout::probabilities, 64);
        nn::adam opt;
        auto o = setup(model, ckpt);
        o.on_epoch = [&](const tr::epoch_report& r) {
          if (r.global_epoch == crash) throw std::runtime_error("power cut");
        };
        tr::trainer t(model, opt, loss, o);
        REQUIRE_THROWS_WITH(t.fit(data), "power cut");
      }
      auto model = hybrid_model(nn::quantum_readout::probabilities, 64);
      nn::adam opt;
      tr::trainer t(model, opt, loss, setup(model, ckpt));
      const auto report = t.resume(ckpt, data);
      REQUIRE(report.resumed);
      REQUIRE(model.flat_parameters() == ref_model.flat_parameters());
      REQUIRE(model.to_json() == ref_model.to_json());  // includes the layer's ledger and calls
      REQUIRE(opt.state() == ref_opt.state());
      REQUIRE(report.history.size() == ref_report.history.size());
      for (std::size_t i = 0; i < report.history.size(); ++i)
        REQUIRE(report.history[i].validation_loss == ref_report.history[i].validation_loss);
    }
  }
  std::filesystem::remove_all(dir);
}
