// Example 04: layer-wise training of a hybrid model with the hardware protocol.
//
// The model is dense(6 -> 16) -> tanh -> a 16-qubit quantum orthogonal layer (parallel loader,
// Butterfly, post-selected unary probabilities) -> dense(16 -> 6), fitted to a synthetic
// regression. The schedule is the one of the paper's 16-qubit experiment (docs/method.md 4):
//
//   stage A "A:simulation": the classical layers and the two 8-qubit sub-butterflies train by
//     exact simulation; the coupling layer stays at 0 (RBS(0) = I, quantum_init::zero_coupling);
//   stage B "B:coupling": the sub-butterflies are frozen and the 8 coupling angles train on a
//     backend with the parallel shift, 4 circuits per sample whatever the width; the classical
//     layers keep training by back-propagation.
//
// Stage B runs on papillon's simulator with 1000 shots per circuit; pass an IonQ backend to
// attach_stage_backends() instead to run it on hardware. The ledger of the quantum layer counts
// what was sent.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>
#include <papillon/train/hybrid_schedules.hpp>
#include <papillon/train/trainer.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace nn = papillon::nn;
namespace tr = papillon::train;

namespace {

// y = sin(x A) + 0.5 x B with fixed random A, B (6 x 6), inputs uniform in [-1, 1].
tr::dataset make_data(Eigen::Index n) {
  nn::rng_type rng(2024);
  auto uni = [&] { return 2.0 * nn::uniform01(rng) - 1.0; };
  nn::matrix a(6, 6);
  nn::matrix b(6, 6);
  for (Eigen::Index i = 0; i < a.size(); ++i) a(i) = uni();
  for (Eigen::Index i = 0; i < b.size(); ++i) b(i) = uni();
  tr::dataset d;
  d.inputs.resize(n, 6);
  for (Eigen::Index i = 0; i < d.inputs.size(); ++i) d.inputs(i) = uni();
  d.targets = (d.inputs * a).array().sin().matrix() + 0.5 * d.inputs * b;
  return d;
}

}  // namespace

int main() {
  nn::sequential model;
  model.emplace<nn::dense>(6, 16, nn::dense_options{.seed = 1}).set_name("pre");
  model.emplace<nn::tanh_activation>();
  nn::quantum_layer_options qo;
  qo.qubits = 16;
  qo.init = nn::quantum_init::zero_coupling;
  qo.seed = 7;
  qo.shots = 1000;  // per circuit, on the stage B backend
  auto& quantum = model.emplace<nn::quantum_orthogonal>(qo);
  quantum.set_name("quantum");
  model.emplace<nn::dense>(16, 6, nn::dense_options{.seed = 2}).set_name("post");

  tr::hybrid_schedule_options so;
  so.epochs = 15;  // stage A
  so.hardware_epochs = 5;
  so.learning_rate = 2e-2;
  so.quantum_learning_rate = 5e-2;

  tr::trainer_options to;
  to.batch_size = 16;
  to.seed = 3;
  to.validation_split = 0.2;
  to.progress = tr::progress_mode::silent;
  to.stages = tr::make_hybrid_stages(model, tr::hybrid_schedule::hardware, so);

  // What the callbacks record: parameters and ledger at each stage start, the first step of B.
  std::vector<Eigen::VectorXd> quantum_at_begin;
  std::vector<papillon::evaluation_ledger> ledger_at_begin;
  papillon::evaluation_ledger first_b_step{};
  bool first_b_step_seen = false;
  auto snapshot = [&] {
    const auto p = quantum.parameters();
    quantum_at_begin.emplace_back(
        Eigen::Map<const Eigen::VectorXd>(p.data(), static_cast<Eigen::Index>(p.size())));
    ledger_at_begin.push_back(quantum.ledger());
  };
  nn::masked_mse loss;
  const tr::dataset data = make_data(240);
  // The exact loss on all samples, whatever backend the layer is on (no circuits are run).
  auto exact_loss = [&] {
    const auto b = quantum.current_backend();
    quantum.set_backend(nullptr);
    const double l = loss.evaluate(model.predict(data.inputs), data.targets).value;
    quantum.set_backend(b);
    return l;
  };
  double exact_after_a = 0.0;
  to.on_stage_begin = [&](const tr::stage_event& e) {
    snapshot();
    if (e.index == 1) exact_after_a = exact_loss();
  };
  to.on_step = [&](const tr::step_report& s) {
    if (s.stage == 1 && !first_b_step_seen) {
      const auto now = quantum.ledger();
      first_b_step = {now.circuits - ledger_at_begin[1].circuits,
                      now.shots - ledger_at_begin[1].shots,
                      now.batches - ledger_at_begin[1].batches};
      first_b_step_seen = true;
    }
  };
  papillon::simulator_backend_options bo;
  bo.threads = 1;
  tr::attach_stage_backends(to, model, tr::hybrid_schedule::hardware, so,
                            std::make_shared<papillon::simulator_backend>(bo));

  nn::adam optimizer;
  tr::trainer trainer(model, optimizer, loss, to);
  const tr::training_report report = trainer.fit(data);
  snapshot();

  std::printf(
      "hybrid model: dense(6->16) -> tanh -> quantum_orthogonal(16 qubits) -> "
      "dense(16->6), %zu parameters\n",
      static_cast<std::size_t>(model.num_parameters()));
  bool ok = true;
  for (std::size_t s = 0; s < report.stages.size(); ++s) {
    const tr::epoch_report* first = nullptr;
    const tr::epoch_report* last = nullptr;
    for (const auto& e : report.history)
      if (e.stage == s) {
        if (first == nullptr) first = &e;
        last = &e;
      }
    const auto& l0 = ledger_at_begin[s];
    const auto& l1 = ledger_at_begin[s + 1];
    std::printf(
        "stage %-12s %2zu epochs: train loss %.4f -> %.4f, validation %.4f, %llu circuits, "
        "%llu shots, %llu batches\n",
        report.stages[s].name.c_str(), static_cast<std::size_t>(report.stages[s].epochs_run),
        first->train_loss, last->train_loss, *last->validation_loss,
        static_cast<unsigned long long>(l1.circuits - l0.circuits),
        static_cast<unsigned long long>(l1.shots - l0.shots),
        static_cast<unsigned long long>(l1.batches - l0.batches));
    if (s == 0) ok = ok && last->train_loss < 0.5 * first->train_loss;
  }
  // The first step of B saw a full batch: b forward circuits, then b x 4 shifted ones. The stage
  // totals above add the validation passes, which run on the backend too.
  const std::size_t b = to.batch_size;
  std::printf(
      "stage B step: %zu samples -> %llu circuits (%zu forward + %zu parallel-shift), "
      "%llu batches\n",
      b, static_cast<unsigned long long>(first_b_step.circuits), b, 4 * b,
      static_cast<unsigned long long>(first_b_step.batches));
  ok = ok && first_b_step.circuits == 5 * b && first_b_step.batches == 2;

  const Eigen::VectorXd& at_b = quantum_at_begin[1];
  const Eigen::VectorXd& at_end = quantum_at_begin[2];
  const bool frozen = at_end.head(24) == at_b.head(24);
  const bool coupling_moved = at_end.tail(8) != at_b.tail(8);
  std::printf("sub-butterflies bit-identical through stage B: %s, coupling layer trained: %s\n",
              frozen ? "yes" : "no", coupling_moved ? "yes" : "no");
  ok = ok && frozen && coupling_moved;

  // Stage B's losses above are measured on sampled outputs, so they include shot noise.
  const double exact_after_b = exact_loss();
  std::printf("exact loss on all %lld samples: %.4f after stage A, %.4f after stage B\n",
              static_cast<long long>(data.size()), exact_after_a, exact_after_b);
  return ok ? 0 : 1;
}
