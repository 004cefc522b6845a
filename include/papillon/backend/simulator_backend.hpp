#pragma once

/// @file
/// The local simulator as a backend: exact probabilities (shots == 0) or sampled counts
/// (shots > 0), ideal or under a gate-level noise model, with a batch run in parallel on
/// std::thread workers.
///
/// Ideal runs use simulate_probabilities / simulate_counts: noiseless weight-preserving circuits
/// run in the Hamming-weight subspace (C(n, k) amplitudes), everything else on the full state.
/// Noisy runs use Monte Carlo trajectories on the full state (see simulator_backend_options and
/// docs/noise.md).
///
/// Determinism: task i of a batch uses the seed derive_seed(run_options::seed, i); noisy
/// trajectory t of that task uses derive_seed(task seed, t). Every task and trajectory writes
/// its own slot and nothing is reduced in floating point across threads, so results are
/// bit-identical for every thread count.

#include <papillon/backend/backend.hpp>
#include <papillon/backend/detail/parallel_for.hpp>
#include <papillon/sim/memory.hpp>
#include <papillon/sim/noise.hpp>
#include <papillon/sim/sampling.hpp>
#include <papillon/sim/simulator.hpp>
#include <papillon/sim/statevector.hpp>
#include <papillon/sim/trajectory.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace papillon {

/// Options of simulator_backend.
struct simulator_backend_options {
  /// Noise preset name (noise_presets()); ignored when a noise_model is passed explicitly.
  std::string noise = "ideal";
  /// Representation of ideal runs. Noisy runs always use the full state (a Pauli error leaves
  /// the subspace), so `subspace` is refused together with noise.
  simulation_mode mode = simulation_mode::automatic;
  /// Worker threads for a batch; 0 means std::thread::hardware_concurrency().
  unsigned threads = 0;
  /// Largest circuit accepted. Circuits wider than 64 qubits run only ideal and in a
  /// Hamming-weight subspace (their basis_key results list the qubits beyond 63).
  index_t max_qubits = 30;
  /// Memory budget of each state.
  memory_options memory{};
  /// Noisy sampled runs: number of trajectories per circuit; 0 (the default) means one per shot,
  /// as IonQ's noisy simulator does, so shots are independent draws of the noisy channel. A
  /// smaller number splits the shots evenly among trajectories (cheaper; shots of one trajectory
  /// share its errors, which widens error bars but keeps estimates unbiased).
  std::uint64_t trajectories = 0;
  /// Noisy exact runs (shots == 0): number of trajectories whose outcome distributions are
  /// averaged (readout applied exactly). 0 (the default) refuses exact noisy runs, because the
  /// average is an estimate, not an exact distribution.
  std::uint64_t exact_trajectories = 0;
  /// Run the trajectory path even when the model is noiseless (tests and timing).
  bool force_trajectories = false;
};

/// The local simulator backend.
///
/// Thread safety: run_batch may be called from one thread at a time; it parallelises inside.
class simulator_backend final : public backend {
 public:
  /// A simulator with the noise preset named in `opt.noise`.
  /// @throws data_error for an unknown noise name (listing the valid ones), max_qubits = 0, or
  ///         subspace mode with noise.
  explicit simulator_backend(const simulator_backend_options& opt = {})
      : simulator_backend(find_noise_model(opt.noise), opt) {}

  /// A simulator with an explicit noise model (`opt.noise` is ignored).
  /// @throws data_error for rates outside [0, 1], max_qubits = 0, or subspace mode with noise.
  simulator_backend(noise_model noise, simulator_backend_options opt)
      : m_opt(std::move(opt)), m_noise(std::move(noise)) {
    validate_noise_model(m_noise);
    m_opt.noise = m_noise.name;
    if (m_opt.max_qubits == 0)
      throw data_error("simulator_backend", "max_qubits must be at least 1", "max_qubits = 0");
    if (noisy() && m_opt.mode == simulation_mode::subspace)
      throw data_error("simulator_backend",
                       "noisy simulation runs on the full state: subspace mode is unavailable",
                       "noise '" + m_noise.name + "'");
    m_info.name = noisy() ? "simulator (noise " + m_noise.name + ")" : "simulator";
    m_info.max_qubits = m_opt.max_qubits;
    m_info.gatesets = {"papillon"};
    m_info.exact = !noisy() || m_opt.exact_trajectories > 0;
    m_info.sampled = true;
    for (const auto& m : noise_presets()) m_info.noise_models.push_back(m.name);
  }

  [[nodiscard]] const backend_info& info() const noexcept override { return m_info; }

  /// The noise model in use.
  [[nodiscard]] const noise_model& noise() const noexcept { return m_noise; }

  /// The options in use (`noise` holds the model's name).
  [[nodiscard]] const simulator_backend_options& options() const noexcept { return m_opt; }

 protected:
  std::vector<run_result> do_run_batch(std::span<const run_task> tasks,
                                       const run_options& opt) override {
    for (std::size_t i = 0; i < tasks.size(); ++i) check_wide(*tasks[i].circ, opt.first_task + i);
    std::vector<run_result> out(tasks.size());
    const unsigned threads = detail::resolve_threads(m_opt.threads);
    const auto seed_of = [&](std::size_t i) { return derive_seed(opt.seed, opt.first_task + i); };
    if (!noisy() || tasks.size() >= threads) {
      // Enough tasks to fill the workers: one task per item, trajectories in sequence.
      detail::parallel_for(tasks.size(), threads, [&](std::size_t i) {
        out[i] = run_one(tasks[i], seed_of(i), opt.shots, 1);
      });
    } else {
      // Few noisy tasks: each spreads its trajectories over the workers.
      for (std::size_t i = 0; i < tasks.size(); ++i)
        out[i] = run_one(tasks[i], seed_of(i), opt.shots, threads);
    }
    return out;
  }

 private:
  /// Trajectories per work item of a parallel noisy run; fixed, so the split (and with it every
  /// result) does not depend on the thread count.
  static constexpr std::uint64_t chunk_trajectories = 64;

  [[nodiscard]] bool noisy() const noexcept {
    return !m_noise.is_ideal() || m_opt.force_trajectories;
  }

  /// Circuits wider than 64 qubits have no full state: they must run ideal in a Hamming-weight
  /// subspace. Checked for the whole batch before anything runs.
  void check_wide(const circuit& c, std::uint64_t task) const {
    const std::string where =
        "task " + std::to_string(task) + ": " + std::to_string(c.num_qubits()) + " qubits";
    // Trajectories index the full state by 64-bit masks: 2^64 amplitudes is already out of
    // reach, and refusing here keeps the masks in range.
    if (noisy() && c.num_qubits() >= max_basis_qubits)
      throw dimension_error("simulator_backend",
                            "noisy simulation needs the full state: at most 63 qubits", where);
    if (c.num_qubits() <= max_basis_qubits) return;
    if (m_opt.mode == simulation_mode::full)
      throw dimension_error("simulator_backend", "full-state simulation of more than 64 qubits",
                            where);
    const subspace_analysis a = analyze_subspace(c);
    if (!a.possible)
      throw dimension_error("simulator_backend",
                            "a circuit wider than 64 qubits must stay in one Hamming-weight "
                            "subspace",
                            where + ": " + a.reason);
  }

  [[nodiscard]] simulation_options sim_options() const {
    simulation_options s;
    s.mode = m_opt.mode;
    s.memory = m_opt.memory;
    return s;
  }

  run_result run_one(const run_task& task, std::uint64_t seed, std::uint64_t shots,
                     unsigned threads) const {
    const circuit& c = *task.circ;
    // backend::run_batch validated the task: from here on nothing checks it again.
    const detail::validated_circuit run = detail::assume_validated(c, task.params);
    run_result r;
    r.qubits = c.num_qubits();
    r.shots = shots;
    if (!noisy()) {
      if (shots == 0) {
        r.probabilities = detail::simulate_probabilities(run, sim_options()).to_map();
      } else {
        const auto cr = detail::simulate_counts(run, shots, seed, sim_options());
        for (const auto& [idx, n] : cr.counts)
          r.counts.emplace_hint(r.counts.end(), cr.exact.key_of(idx), n);
        fill_frequencies(r);
      }
      return r;
    }
    // The noiseless distribution, shared by every trajectory that draws no error (most of them
    // at hardware error rates); weight-preserving circuits get it from the subspace.
    simulation_options ideal_opt = sim_options();
    ideal_opt.mode = simulation_mode::automatic;
    const probability_result ideal = detail::simulate_probabilities(run, ideal_opt);
    if (shots == 0)
      r.probabilities = exact_average(run, ideal, seed);
    else
      sample_trajectories(run, ideal, seed, shots, threads, r);
    return r;
  }

  static void fill_frequencies(run_result& r) {
    const auto shots = static_cast<double>(r.shots);
    for (const auto& [s, n] : r.counts)
      r.probabilities.emplace_hint(r.probabilities.end(), s, static_cast<double>(n) / shots);
  }

  /// Calls fn(state) with a full state for the trajectories of c, real when c is.
  template <class Fn>
  void with_state(const circuit& c, Fn&& fn) const {
    // Real circuits stay real under Pauli errors (applied up to a global phase).
    detail::check_memory("simulator_backend",
                         static_cast<long double>(basis_state{1} << c.num_qubits()),
                         is_real_circuit(c) ? sizeof(double) : sizeof(std::complex<double>),
                         m_opt.memory, std::to_string(c.num_qubits()) + " qubits");
    if (is_real_circuit(c)) {
      real_statevector<double> state(c.num_qubits(), 0, m_opt.memory);
      fn(state);
    } else {
      statevector<double> state(c.num_qubits(), 0, m_opt.memory);
      fn(state);
    }
  }

  void sample_trajectories(const detail::validated_circuit& run, const probability_result& ideal,
                           std::uint64_t seed, std::uint64_t shots, unsigned threads,
                           run_result& r) const {
    const circuit& c = *run.circ;
    const index_t n = c.num_qubits();
    const std::uint64_t traj =
        m_opt.trajectories == 0 ? shots : std::min(m_opt.trajectories, shots);
    cdf_sampler ideal_cdf;
    ideal_cdf.assign(ideal.values);
    const std::uint64_t items = (traj + chunk_trajectories - 1) / chunk_trajectories;
    std::vector<std::map<basis_state, std::uint64_t>> partial(items);
    detail::parallel_for(items, threads, [&](std::size_t item) {
      with_state(c, [&](auto& state) {
        std::vector<pauli_event> events;
        cdf_sampler noisy_cdf;
        auto& counts = partial[item];
        const std::uint64_t first = item * chunk_trajectories;
        const std::uint64_t last = std::min(traj, first + chunk_trajectories);
        for (std::uint64_t t = first; t < last; ++t) {
          splitmix64 rng{derive_seed(seed, t)};
          const std::uint64_t k = shots / traj + (t < shots % traj ? 1 : 0);
          draw_errors(c, m_noise, rng, events);
          const bool clean = events.empty();
          if (!clean) {
            detail::run_trajectory(run, events, state);
            noisy_cdf.assign(state.probabilities());
          }
          for (std::uint64_t s = 0; s < k; ++s) {
            basis_state x = clean ? ideal.basis_of(ideal_cdf.draw(rng))
                                  : static_cast<basis_state>(noisy_cdf.draw(rng));
            if (m_noise.readout > 0) x = flip_bits(x, n, m_noise.readout, rng);
            ++counts[x];
          }
        }
      });
    });
    // Integer sums: the merge order cannot change the result.
    for (const auto& part : partial)
      for (const auto& [s, k] : part) r.counts[s] += k;
    fill_frequencies(r);
  }

  std::map<basis_key, double> exact_average(const detail::validated_circuit& run,
                                            const probability_result& ideal,
                                            std::uint64_t seed) const {
    const circuit& c = *run.circ;
    const std::uint64_t traj = m_opt.exact_trajectories;
    Eigen::VectorXd acc =
        Eigen::VectorXd::Zero(static_cast<Eigen::Index>(basis_state{1} << c.num_qubits()));
    std::uint64_t clean = 0;
    with_state(c, [&](auto& state) {
      std::vector<pauli_event> events;
      // Sequential and in trajectory order: a floating-point sum, kept independent of threads.
      for (std::uint64_t t = 0; t < traj; ++t) {
        splitmix64 rng{derive_seed(seed, t)};
        draw_errors(c, m_noise, rng, events);
        if (events.empty()) {
          ++clean;
          continue;
        }
        detail::run_trajectory(run, events, state);
        acc += state.amplitudes().cwiseAbs2();
      }
    });
    for (index_t i = 0; i < ideal.values.size(); ++i)
      acc[static_cast<Eigen::Index>(ideal.basis_of(i))] +=
          static_cast<double>(clean) * ideal.values[i];
    acc /= static_cast<double>(traj);
    apply_readout_channel(acc, c.num_qubits(), m_noise.readout);
    std::map<basis_key, double> out;
    for (Eigen::Index i = 0; i < acc.size(); ++i)
      if (acc[i] != 0.0) out.emplace_hint(out.end(), static_cast<basis_state>(i), acc[i]);
    return out;
  }

  simulator_backend_options m_opt;
  noise_model m_noise;
  backend_info m_info;
};

}  // namespace papillon
