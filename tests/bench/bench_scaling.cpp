// The scaling study (issue 9, docs/scaling.md): how the cost of training and simulating a
// Butterfly grows with its width n.
//
// - bm_scaling_ledger/<schedule>/n: circuits, shots and run_batch calls of one optimisation step
//   for one training sample (X(0), parallel loader, Butterfly), read from the gradient engine's
//   evaluation ledger after running the step on the simulator backend (basis_key results list
//   the qubits from 64 up), 8 to 1024 qubits.
// - bm_scaling_training/<schedule>/n: circuits per optimisation step read from the quantum
//   layer's ledger while train::trainer fits a hybrid model, 8 to 1024 qubits.
// - bm_scaling_plan/n: what the engine plans for the same circuit (occurrences, commuting layers
//   and their shift rules, from its own planning functions), up to 4096 qubits, without running.
// - bm_scaling_unary_*/n: a batch of 1024 samples through the unary Butterfly, 8 to 4096 qubits:
//   the quantum layer's batched exact path (forward, and the reverse sweep of backward) and the
//   gradient engine per sample (simulate_probabilities, adjoint_gradient).
// - bm_scaling_subspace/k/n: one weight-k state (k = 2, 3, 4) through a Butterfly of RBS gates,
//   n = 8 to 4096 (k = 2), 2048 (k = 3), 256 (k = 4); bm_scaling_subspace_scan/k/n: the same
//   with the earlier kernel that scanned all C(n, k) states per gate, n = 8..64.
// - bm_scaling_full/n: one complex full state (2^n amplitudes) through a Butterfly-shaped
//   circuit, n = 10..28.

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/grad/gradient.hpp>
#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/nn/sequential.hpp>
#include <papillon/sim/simulator.hpp>
#include <papillon/sim/statevector.hpp>
#include <papillon/sim/subspace_state.hpp>
#include <papillon/train/hybrid_schedules.hpp>
#include <papillon/train/trainer.hpp>

#include <Eigen/Core>
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using papillon::index_t;

constexpr index_t batch_size = 1024;
constexpr std::uint64_t step_shots = 1000;  // shots per circuit in the ledger runs
// Circuits per run_batch call in the ledger runs: bounds the pending results of a serial step
// beyond 128 qubits (20 480 circuits at 1024); every schedule below it sends one call per
// gradient.
constexpr std::uint64_t max_batch = 2048;

std::vector<double> random_angles(index_t count, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-3.1, 3.1);
  std::vector<double> v(count);
  for (auto& x : v) x = u(rng);
  return v;
}

// A data vector with every entry in [0.1, 1] and a random sign: never the zero vector.
std::vector<double> random_input(index_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.1, 1.0);
  std::bernoulli_distribution sign(0.5);
  std::vector<double> x(n);
  for (auto& v : x) v = sign(rng) ? u(rng) : -u(rng);
  return x;
}

// f = sum_i (i + 1) p(e_i).
papillon::diagonal_observable ramp_observable(index_t n) {
  std::vector<double> w(n);
  for (index_t i = 0; i < n; ++i) w[i] = static_cast<double>(i + 1);
  return papillon::diagonal_observable::from_unary(std::move(w));
}

// ---- Evaluation ledger per optimisation step ------------------------------------------------

// One training sample: X(0) and the parallel loader of a random vector (constant angles), then
// the coupling-last Butterfly with (n/2) log2 n parameters.
struct sample_step {
  papillon::layered_circuit bf;
  papillon::circuit loader{1};
  papillon::circuit circ{1};
  std::vector<double> params;
  papillon::diagonal_observable obs;
};

sample_step make_sample_step(index_t n) {
  std::mt19937_64 rng(11);
  sample_step s;
  s.bf = papillon::butterfly(n);
  const auto x = random_input(n, rng);
  s.loader = papillon::parallel_loader(x);
  s.circ = s.loader;
  s.circ.append(s.bf.body);
  s.params = random_angles(s.bf.num_parameters(), rng);
  s.obs = ramp_observable(n);
  return s;
}

enum class schedule {
  serial,              // (a) serial four-term shift of every parameter, one call
  parallel_all,        // (b) parallel shift of every layer in one call (approximate but last)
  parallel_per_layer,  // (b) one call per layer, each layer shifted as a whole
  coupling,            // (c) docs/method.md 4 stage B: only the coupling layer, plus the value
  coupling_reduced,    // (c) the same with the two-term rule where it is proved exact
  grow,                // (c) layer-wise growth: stage l trains layer l, the trailing one
};

struct step_outcome {
  papillon::evaluation_ledger ledger;  // of one optimisation step
  std::uint64_t calls = 0;             // gradient calls in the step
  bool approximate = false;
  bool stages_agree = true;  // grow: every stage's step cost the same
};

void add(step_outcome& out, const papillon::gradient_result& r) {
  out.ledger += r.evaluations;
  out.approximate = out.approximate || r.approximate;
  ++out.calls;
}

step_outcome run_step(const sample_step& s, schedule which, papillon::backend& be) {
  papillon::gradient_options opt;
  opt.shots = step_shots;
  opt.seed = 5;
  opt.with_value = false;
  opt.max_batch_circuits = max_batch;
  step_outcome out;
  switch (which) {
    case schedule::serial:
      add(out, papillon::shift_gradient(s.circ, s.params, s.obs, be, opt));
      break;
    case schedule::parallel_all:
      opt.allow_approximate = true;
      add(out, papillon::parallel_shift_gradient(s.circ, s.params, s.obs, be, opt));
      break;
    case schedule::parallel_per_layer:
      opt.allow_approximate = true;
      for (const auto& layer : s.bf.layers) {
        opt.wrt = layer.parameters;
        add(out, papillon::parallel_shift_gradient(s.circ, s.params, s.obs, be, opt));
      }
      break;
    case schedule::coupling:
    case schedule::coupling_reduced:
      opt.with_value = true;
      opt.wrt = s.bf.layers.back().parameters;
      if (which == schedule::coupling_reduced) opt.rbs_rule = papillon::rbs_shift_rule::automatic;
      add(out, papillon::parallel_shift_gradient(s.circ, s.params, s.obs, be, opt));
      break;
    case schedule::grow: {
      // Stage l: the loader and layers 0..l; layer l is trained, the earlier ones are frozen.
      opt.with_value = true;
      std::vector<step_outcome> stages;
      for (index_t l = 0; l < s.bf.depth(); ++l) {
        papillon::circuit c = s.loader;
        const auto& layer = s.bf.layers[l];
        for (index_t i = 0; i < layer.first_operation + layer.pairs.size(); ++i)
          c.append(s.bf.body[i]);
        opt.wrt = layer.parameters;
        step_outcome st;
        add(st, papillon::parallel_shift_gradient(c, s.params, s.obs, be, opt));
        stages.push_back(st);
      }
      out = stages.back();
      for (const auto& st : stages)
        out.stages_agree = out.stages_agree && st.ledger == out.ledger && !st.approximate;
      break;
    }
  }
  return out;
}

void bm_scaling_ledger(benchmark::State& state, schedule which) {
  const auto n = static_cast<index_t>(state.range(0));
  const sample_step s = make_sample_step(n);
  papillon::simulator_backend_options bo;
  bo.max_qubits = n;
  bo.threads = 1;
  papillon::simulator_backend be(bo);
  step_outcome out;
  for (auto _ : state) {
    try {
      out = run_step(s, which, be);
    } catch (const papillon::error& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  if (!out.stages_agree) state.SkipWithError("grow: the stages' step costs differ");
  state.counters["params"] = static_cast<double>(s.bf.num_parameters());
  state.counters["layers"] = static_cast<double>(s.bf.depth());
  state.counters["circuits"] = static_cast<double>(out.ledger.circuits);
  state.counters["shots"] = static_cast<double>(out.ledger.shots);
  state.counters["batches"] = static_cast<double>(out.ledger.batches);
  state.counters["calls"] = static_cast<double>(out.calls);
  state.counters["approximate"] = out.approximate ? 1.0 : 0.0;
}

// The circuits the engine plans for the same sample circuit, from the functions shift_gradient
// and parallel_shift_gradient build their task lists with (four-term rule, no value circuit):
// one rule per occurrence, and per commuting layer the longest rule of its gates.
void bm_scaling_plan(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  const sample_step s = make_sample_step(n);
  std::uint64_t serial = 0;
  std::uint64_t parallel = 0;
  std::uint64_t layers = 0;
  for (auto _ : state) {
    const auto ex = papillon::expand_occurrences(s.circ, s.params);
    std::vector<index_t> positions;
    serial = 0;
    for (const auto& o : ex.occurrences) {
      positions.push_back(o.position);
      serial += papillon::shift_rule_for(ex.expanded[o.position].kind).evaluations();
    }
    const auto found = papillon::find_commuting_layers(ex.expanded, positions);
    parallel = 0;
    for (const auto& layer : found) {
      std::size_t longest = 0;
      for (index_t pos : layer.positions)
        longest = std::max(longest, papillon::shift_rule_for(ex.expanded[pos].kind).evaluations());
      parallel += longest;
    }
    layers = found.size();
  }
  state.counters["params"] = static_cast<double>(s.bf.num_parameters());
  state.counters["layers"] = static_cast<double>(layers);
  state.counters["serial_circuits"] = static_cast<double>(serial);
  state.counters["parallel_circuits"] = static_cast<double>(parallel);
}

// ---- Unary Butterfly on a batch ---------------------------------------------------------------

// 1024 random inputs (rows = samples) for the quantum layer.
Eigen::MatrixXd random_batch(index_t n) {
  std::mt19937_64 rng(13);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(batch_size), static_cast<Eigen::Index>(n));
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const auto v = random_input(n, rng);
    for (Eigen::Index j = 0; j < x.cols(); ++j) x(r, j) = v[static_cast<std::size_t>(j)];
  }
  return x;
}

papillon::nn::quantum_layer_options layer_options(index_t n) {
  papillon::nn::quantum_layer_options o;
  o.qubits = n;
  o.seed = 17;
  return o;
}

void set_unary_counters(benchmark::State& state, index_t n) {
  const index_t gates = papillon::butterfly_num_parameters(n);
  state.counters["gates"] = static_cast<double>(gates);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(batch_size));
}

// The layer's forward pass without a backend: normalisation, then the Butterfly as 2x2
// rotations of column pairs of the batch, p = y^2.
void bm_scaling_unary_layer_forward(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  papillon::nn::quantum_orthogonal layer(layer_options(n));
  const Eigen::MatrixXd x = random_batch(n);
  for (auto _ : state) benchmark::DoNotOptimize(layer.forward(x, true));
  set_unary_counters(state, n);
}

// The layer's backward pass after one forward pass: the reverse sweep that uncomputes y and
// dL/dy gate by gate and accumulates dL/dtheta (the adjoint gradient), plus dL/dx.
void bm_scaling_unary_layer_backward(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  papillon::nn::quantum_orthogonal layer(layer_options(n));
  const Eigen::MatrixXd x = random_batch(n);
  const Eigen::MatrixXd g = random_batch(n);
  (void)layer.forward(x, true);
  for (auto _ : state) benchmark::DoNotOptimize(layer.backward(g));
  set_unary_counters(state, n);
}

// The gradient engine per sample: one circuit whose loader angles are parameters too (slots
// after the Butterfly's), bound per sample, so no circuit is built in the timed loop.
struct engine_batch {
  papillon::circuit circ{1};
  std::vector<double> params;         // Butterfly angles, then one sample's loader angles
  std::vector<double> loader_angles;  // batch_size x (n - 1), sample-major
  std::vector<index_t> wrt;           // the Butterfly's parameters
  papillon::diagonal_observable obs;
  index_t butterfly_params = 0;
  index_t n = 0;

  void bind(index_t sample) {
    const auto first = loader_angles.begin() + static_cast<std::ptrdiff_t>(sample * (n - 1));
    std::copy(first, first + static_cast<std::ptrdiff_t>(n - 1),
              params.begin() + static_cast<std::ptrdiff_t>(butterfly_params));
  }
};

engine_batch make_engine_batch(index_t n) {
  std::mt19937_64 rng(19);
  engine_batch b;
  b.n = n;
  const auto bf = papillon::butterfly(n);
  b.butterfly_params = bf.num_parameters();
  b.circ = papillon::circuit(n);
  b.circ.x(0);
  for (index_t s = 0; s < batch_size; ++s) {
    const auto gates =
        papillon::loader_gates(papillon::loader_kind::parallel, random_input(n, rng));
    for (index_t j = 0; j < gates.size(); ++j) {
      if (s == 0) b.circ.rbs(gates[j].a, gates[j].b, papillon::param(b.butterfly_params + j));
      b.loader_angles.push_back(gates[j].theta);
    }
  }
  b.circ.append(bf.body);
  b.params = random_angles(b.butterfly_params, rng);
  b.params.resize(b.butterfly_params + n - 1, 0.0);
  for (index_t p = 0; p < b.butterfly_params; ++p) b.wrt.push_back(p);
  b.obs = ramp_observable(n);
  return b;
}

void bm_scaling_unary_engine_forward(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  auto b = make_engine_batch(n);
  double f = 0;
  for (auto _ : state) {
    for (index_t s = 0; s < batch_size; ++s) {
      b.bind(s);
      const auto p = papillon::simulate_probabilities(b.circ, b.params);
      for (index_t i = 0; i < p.values.size(); ++i) f += b.obs.unary_weight_of(i) * p.values[i];
    }
  }
  benchmark::DoNotOptimize(f);
  set_unary_counters(state, n);
}

void bm_scaling_unary_engine_adjoint(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  auto b = make_engine_batch(n);
  papillon::gradient_options opt;
  opt.wrt = b.wrt;
  std::vector<double> grad(b.butterfly_params, 0.0);
  for (auto _ : state) {
    for (index_t s = 0; s < batch_size; ++s) {
      b.bind(s);
      const auto r = papillon::adjoint_gradient(b.circ, b.params, b.obs, opt);
      for (index_t p = 0; p < grad.size(); ++p) grad[p] += r.gradient[p];
    }
  }
  benchmark::DoNotOptimize(grad.data());
  set_unary_counters(state, n);
}

// ---- Weight-k subspaces -------------------------------------------------------------------------

// range(0) = k, range(1) = n: the Butterfly and its angles.
struct subspace_case {
  index_t k;
  index_t n;
  papillon::layered_circuit bf;
  std::vector<double> params;
};

subspace_case make_subspace_case(const benchmark::State& state) {
  subspace_case c{static_cast<index_t>(state.range(0)),
                  static_cast<index_t>(state.range(1)),
                  papillon::butterfly(static_cast<index_t>(state.range(1))),
                  {}};
  std::mt19937_64 rng(23);
  c.params = random_angles(c.bf.num_parameters(), rng);
  return c;
}

// The basis state with qubits 0..k-1 set, then the Butterfly.
void bm_scaling_subspace(benchmark::State& state) {
  const subspace_case sc = make_subspace_case(state);
  const auto& bf = sc.bf;
  std::vector<index_t> occupied(sc.k);
  for (index_t i = 0; i < sc.k; ++i) occupied[i] = i;
  papillon::real_subspace_state<double> st(sc.n, occupied);
  for (auto _ : state) {
    st.apply(bf.body, sc.params);
    benchmark::DoNotOptimize(st.amplitudes().data());
  }
  const auto amps = static_cast<double>(st.size());
  const auto gates = static_cast<double>(bf.num_parameters());
  state.counters["amplitudes"] = amps;
  state.counters["gates"] = gates;
  state.counters["amp_gates_per_s"] = benchmark::Counter(
      amps * gates * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// The weight-k kernel papillon used up to 64 qubits before subspace_state enumerated only the
// changed pairs, kept as the reference of the ratio in scaling.md 2.2: every RBS scans all
// C(n, k) states (64-bit masks) and ranks the partner of each state with qubit a set and b
// clear.
void bm_scaling_subspace_scan(benchmark::State& state) {
  const subspace_case sc = make_subspace_case(state);
  const auto& params = sc.params;
  const papillon::combination_indexer ix(sc.n, sc.k);
  const std::vector<papillon::basis_state> basis = ix.enumerate();
  Eigen::VectorXd amps = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(basis.size()));
  amps[0] = 1.0;  // qubits 0 .. k-1 set: colex rank 0
  for (auto _ : state) {
    for (const auto& op : sc.bf.body.operations()) {
      const double theta = op.angle(params);
      const double c = std::cos(theta), sn = std::sin(theta);
      const papillon::basis_state ba = papillon::basis_state{1} << op.qubits[0];
      const papillon::basis_state bb = papillon::basis_state{1} << op.qubits[1];
      for (std::size_t r = 0; r < basis.size(); ++r) {
        const papillon::basis_state s10 = basis[r];
        if ((s10 & ba) == 0 || (s10 & bb) != 0) continue;
        const auto r01 = static_cast<Eigen::Index>(ix.rank(s10 ^ ba ^ bb));
        const double v10 = amps[static_cast<Eigen::Index>(r)], v01 = amps[r01];
        amps[r01] = c * v01 + sn * v10;
        amps[static_cast<Eigen::Index>(r)] = -sn * v01 + c * v10;
      }
    }
    benchmark::DoNotOptimize(amps.data());
  }
  state.counters["amplitudes"] = static_cast<double>(basis.size());
}

// Weight-k widths: up to 4096 qubits for k = 2 (8.4 M amplitudes; the circuit qubit limit),
// 2048 for k = 3 (1.43 G amplitudes, 10.7 GiB real; 4096 would need 86 GiB) and 256 for k = 4
// (175 M; 512 would need 21 GiB, about the 24 GiB of memory here); the reference scan kernel up
// to 64.
void subspace_widths(benchmark::internal::Benchmark* b) {
  for (int n = 8; n <= 4096; n *= 2) b->Args({2, n});
  for (int n = 8; n <= 2048; n *= 2) b->Args({3, n});
  for (int n = 8; n <= 256; n *= 2) b->Args({4, n});
  b->Unit(benchmark::kMillisecond);
}

void scan_widths(benchmark::internal::Benchmark* b) {
  b->ArgsProduct({{2, 3, 4}, {8, 16, 32, 64}})->Unit(benchmark::kMillisecond);
}

// ---- Full state vectors -------------------------------------------------------------------------

// The Butterfly for n a power of two; for other n the same strides 1, 2, 4, ... < n with the
// pairs (i, i + s), i + s < n, that butterfly_layer_pairs keeps (padding would double the state).
papillon::circuit butterfly_shaped(index_t n, index_t& params) {
  papillon::circuit c(n);
  params = 0;
  for (index_t stride = 1; stride < n; stride *= 2)
    for (const auto& [a, b] : papillon::butterfly_layer_pairs(n, stride))
      c.rbs(a, b, papillon::param(params++));
  return c;
}

void bm_scaling_full(benchmark::State& state) {
  const auto n = static_cast<index_t>(state.range(0));
  index_t gates = 0;
  const papillon::circuit c = butterfly_shaped(n, gates);
  std::mt19937_64 rng(29);
  const auto params = random_angles(gates, rng);
  papillon::statevector<double> sv(n);
  // A spread-out state (cheap to fill: 2^28 amplitudes are 4 GiB).
  std::uint64_t h = 0x9E3779B97F4A7C15ULL;
  const auto next = [&h] {
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(h >> 11) * 0x1.0p-53 - 0.5;
  };
  for (auto& a : sv.amplitudes()) a = {next(), next()};
  sv.amplitudes().normalize();
  for (auto _ : state) {
    sv.apply(c, params);
    benchmark::ClobberMemory();
  }
  const double dim = static_cast<double>(std::uint64_t{1} << n);
  state.counters["gates"] = static_cast<double>(gates);
  state.counters["gib"] = dim * 16.0 / (1024.0 * 1024.0 * 1024.0);
  state.counters["amp_gates_per_s"] =
      benchmark::Counter(dim * static_cast<double>(gates) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

// ---- Evaluation ledger while training ---------------------------------------------------------

// The circuits the trainer sends per optimisation step, read from the quantum layer's ledger
// during train::trainer::fit. Model: dense(4 -> n) -> tanh -> quantum_orthogonal(n, 1000 shots
// per circuit, probabilities readout) -> dense(n -> 1), on 2 samples in one mini-batch, so
// every epoch is one step. Schedules:
// - hardware: make_hybrid_stages(hardware): stage A (1 epoch, exact simulation) then stage B
//   (1 epoch): the coupling layer on the simulator backend;
// - grow: make_hybrid_stages(grow): log2 n stages of 1 epoch, stage l trains Butterfly layer l
//   on the backend;
// - serial: one stage training every parameter with the layer on the backend: the serial
//   four-term shift of all (n/2) log2 n angles.
// Counters: circuits and shots per backend step (every backend step must cost the same, or the
// benchmark fails), backend steps, and the totals.
enum class training_schedule { hardware, grow, serial };

void bm_scaling_training(benchmark::State& state, training_schedule which) {
  namespace nn = papillon::nn;
  namespace tr = papillon::train;
  const auto n = static_cast<index_t>(state.range(0));
  constexpr Eigen::Index samples = 2;
  std::uint64_t per_step = 0, shots_per_step = 0, backend_steps = 0, total = 0;
  bool uniform = true;
  for (auto _ : state) {
    nn::sequential model;
    model.emplace<nn::dense>(4, n, nn::dense_options{.seed = 1}).set_name("pre");
    model.emplace<nn::tanh_activation>();
    nn::quantum_layer_options qo;
    qo.qubits = n;
    qo.seed = 7;
    qo.shots = step_shots;
    qo.max_batch_circuits = max_batch;
    if (which == training_schedule::hardware) qo.init = nn::quantum_init::zero_coupling;
    auto& quantum = model.emplace<nn::quantum_orthogonal>(qo);
    quantum.set_name("quantum");
    model.emplace<nn::dense>(n, 1, nn::dense_options{.seed = 2}).set_name("post");

    tr::dataset data;
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    data.inputs.resize(samples, 4);
    data.targets.resize(samples, 1);
    for (Eigen::Index i = 0; i < data.inputs.size(); ++i) data.inputs(i) = u(rng);
    for (Eigen::Index i = 0; i < data.targets.size(); ++i) data.targets(i) = u(rng);

    papillon::simulator_backend_options bo;
    bo.max_qubits = n;
    bo.threads = 1;
    auto sim = std::make_shared<papillon::simulator_backend>(bo);
    tr::trainer_options to;
    to.batch_size = static_cast<index_t>(samples);
    to.seed = 4;
    tr::hybrid_schedule_options so;
    so.epochs = 1;
    so.hardware_epochs = 1;
    if (which == training_schedule::serial) {
      to.stages = {tr::stage{"serial", 1, std::vector<std::string>{"*"}, {}, false, {}}};
      quantum.set_backend(sim);
    } else {
      const auto s = which == training_schedule::hardware ? tr::hybrid_schedule::hardware
                                                          : tr::hybrid_schedule::grow;
      to.stages = tr::make_hybrid_stages(model, s, so);
      tr::attach_stage_backends(to, model, s, so, sim);
    }
    papillon::evaluation_ledger before = quantum.ledger();
    per_step = shots_per_step = backend_steps = 0;
    uniform = true;
    to.on_step = [&](const tr::step_report&) {
      const auto now = quantum.ledger();
      const std::uint64_t c = now.circuits - before.circuits;
      const std::uint64_t sh = now.shots - before.shots;
      before = now;
      if (c == 0) return;  // a stage in exact simulation
      if (backend_steps > 0 && (c != per_step || sh != shots_per_step)) uniform = false;
      per_step = c;
      shots_per_step = sh;
      ++backend_steps;
    };
    nn::adam optimizer;
    nn::masked_mse loss;
    tr::trainer trainer(model, optimizer, loss, to);
    trainer.fit(data);
    total = quantum.ledger().circuits;
  }
  if (!uniform) state.SkipWithError("backend steps of one run cost different circuit counts");
  state.counters["params"] = static_cast<double>(papillon::butterfly_num_parameters(n));
  state.counters["samples_per_step"] = static_cast<double>(samples);
  state.counters["circuits_per_step"] = static_cast<double>(per_step);
  state.counters["circuits_per_sample"] = static_cast<double>(per_step) / samples;
  state.counters["shots_per_step"] = static_cast<double>(shots_per_step);
  state.counters["backend_steps"] = static_cast<double>(backend_steps);
  state.counters["circuits_total"] = static_cast<double>(total);
}

void widths_8_to(benchmark::internal::Benchmark* b, int last) {
  for (int n = 8; n <= last; n *= 2) b->Arg(n);
}

void ledger_widths(benchmark::internal::Benchmark* b) {
  widths_8_to(b, 1024);
  b->Iterations(1)->Unit(benchmark::kMillisecond);
}

void unary_widths(benchmark::internal::Benchmark* b) {
  widths_8_to(b, 4096);
  b->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK_CAPTURE(bm_scaling_ledger, serial, schedule::serial)->Apply(ledger_widths);
BENCHMARK_CAPTURE(bm_scaling_ledger, parallel_all, schedule::parallel_all)->Apply(ledger_widths);
BENCHMARK_CAPTURE(bm_scaling_ledger, parallel_per_layer, schedule::parallel_per_layer)
    ->Apply(ledger_widths);
BENCHMARK_CAPTURE(bm_scaling_ledger, coupling, schedule::coupling)->Apply(ledger_widths);
BENCHMARK_CAPTURE(bm_scaling_ledger, coupling_reduced, schedule::coupling_reduced)
    ->Apply(ledger_widths);
BENCHMARK_CAPTURE(bm_scaling_ledger, grow, schedule::grow)->Apply(ledger_widths);
BENCHMARK_CAPTURE(bm_scaling_training, hardware, training_schedule::hardware)->Apply(ledger_widths);
BENCHMARK_CAPTURE(bm_scaling_training, grow, training_schedule::grow)->Apply(ledger_widths);
BENCHMARK_CAPTURE(bm_scaling_training, serial, training_schedule::serial)->Apply(ledger_widths);
BENCHMARK(bm_scaling_plan)->Apply([](benchmark::internal::Benchmark* b) {
  widths_8_to(b, 4096);
  b->Iterations(1)->Unit(benchmark::kMillisecond);
});
BENCHMARK(bm_scaling_unary_layer_forward)->Apply(unary_widths);
BENCHMARK(bm_scaling_unary_layer_backward)->Apply(unary_widths);
BENCHMARK(bm_scaling_unary_engine_forward)->Apply(unary_widths);
BENCHMARK(bm_scaling_unary_engine_adjoint)->Apply(unary_widths);
BENCHMARK(bm_scaling_subspace)->Apply(subspace_widths);
BENCHMARK(bm_scaling_subspace_scan)->Apply(scan_widths);
BENCHMARK(bm_scaling_full)->DenseRange(10, 28, 2)->Unit(benchmark::kMillisecond);
