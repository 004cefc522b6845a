#pragma once

/// @file
/// The abstract backend: anything that runs batches of (circuit, parameters) pairs and returns
/// outcome probabilities or counts per circuit, in order. The gradient engine, the trainer and
/// the CLI talk to hardware and simulators only through this interface.
///
/// Thread safety: a backend is not required to be re-entrant; call run_batch from one thread at
/// a time. Implementations may parallelise inside one call.

#include <papillon/backend/evaluation_ledger.hpp>
#include <papillon/circuit/circuit.hpp>
#include <papillon/core/basis_key.hpp>

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace papillon {

/// What a backend can do.
struct backend_info {
  std::string name;
  index_t max_qubits = 0;
  std::vector<std::string> gatesets;      ///< e.g. "papillon", "qis", "native-ms", "native-zz"
  bool exact = false;                     ///< returns exact probabilities when shots == 0
  bool sampled = true;                    ///< returns counts when shots > 0
  std::vector<std::string> noise_models;  ///< names accepted by the backend's options
};

/// Options of one batch.
struct run_options {
  /// Shots per circuit; 0 asks for exact probabilities (only if info().exact).
  std::uint64_t shots = 0;
  /// Base seed; circuit i of a batch uses derive_seed(seed, first_task + i), so results do not
  /// depend on how a backend splits or parallelises the batch.
  std::uint64_t seed = 0;
  /// Index of the batch's first circuit in a larger batch the caller split (0 otherwise). On
  /// the simulator backend the parts of a split batch then draw exactly what the whole batch
  /// would, and errors name tasks by their index in the whole batch. Backends whose randomness
  /// is not per circuit (IonQ seeds its noisy simulator per job) give each part its own seeds,
  /// and checks such as a shot budget apply per call.
  std::uint64_t first_task = 0;
};

/// One circuit of a batch with its bound parameters. The circuit is borrowed for the duration
/// of the call.
struct run_task {
  const circuit* circ = nullptr;
  std::vector<double> params;
};

/// The outcome of one circuit, keyed by basis_key for registers of any width (bit i = qubit i;
/// a register of up to 64 qubits has 64-bit mask keys, so `probabilities.at(0b101)` works).
struct run_result {
  index_t qubits = 0;
  /// Shots drawn (0 for exact results).
  std::uint64_t shots = 0;
  /// Outcome probabilities: exact when shots == 0, otherwise the observed frequencies.
  std::map<basis_key, double> probabilities;
  /// Counts per outcome when shots > 0.
  std::map<basis_key, std::uint64_t> counts;

  bool operator==(const run_result&) const = default;
};

class backend {
 public:
  virtual ~backend() = default;
  backend(const backend&) = delete;
  backend& operator=(const backend&) = delete;
  backend(backend&&) = delete;
  backend& operator=(backend&&) = delete;

  /// Capabilities.
  [[nodiscard]] virtual const backend_info& info() const noexcept = 0;

  /// Runs every task and returns one result per task, in order. Validates the whole batch
  /// before running anything.
  /// @throws dimension_error, circuit_error, data_error for bad tasks (naming the task index);
  ///         backend_error subclasses for failures of the backend itself.
  std::vector<run_result> run_batch(std::span<const run_task> tasks, const run_options& opt) {
    validate(tasks, opt);
    auto out = do_run_batch(tasks, opt);
    m_stats.add(tasks.size(), opt.shots);
    return out;
  }

  /// Runs one circuit (a batch of one).
  run_result run(const circuit& c, std::span<const double> params, const run_options& opt) {
    const run_task t{&c, std::vector<double>(params.begin(), params.end())};
    return run_batch(std::span<const run_task>(&t, 1), opt).front();
  }

  /// Counts of what this backend has run.
  [[nodiscard]] const evaluation_ledger& stats() const noexcept { return m_stats; }

  /// What running cost beyond circuits and shots, as named counters for the reports'
  /// `evaluations` (remote jobs, money in millionths of its unit, ...); empty by default.
  /// Cumulative over the backend's lifetime.
  [[nodiscard]] virtual std::map<std::string, std::uint64_t> usage() const { return {}; }

 protected:
  backend() = default;

  /// Runs a validated batch.
  virtual std::vector<run_result> do_run_batch(std::span<const run_task> tasks,
                                               const run_options& opt) = 0;

 private:
  void validate(std::span<const run_task> tasks, const run_options& opt) const {
    const auto& inf = info();
    if (opt.shots == 0 && !inf.exact)
      throw backend_error("backend::run_batch", "backend has no exact mode: shots must be > 0",
                          inf.name);
    if (opt.shots > 0 && !inf.sampled)
      throw backend_error("backend::run_batch", "backend does not sample: shots must be 0",
                          inf.name);
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      // Numbered in the caller's whole batch when it was split.
      const std::string where = "task " + std::to_string(opt.first_task + i);
      if (tasks[i].circ == nullptr)
        throw data_error("backend::run_batch", "task has no circuit", where);
      if (tasks[i].circ->num_qubits() > inf.max_qubits)
        throw dimension_error("backend::run_batch",
                              "circuit has more qubits than the backend supports",
                              where + ": " + std::to_string(tasks[i].circ->num_qubits()) + " > " +
                                  std::to_string(inf.max_qubits));
      check_parameters(*tasks[i].circ, tasks[i].params, "backend::run_batch (" + where + ")");
    }
  }

  evaluation_ledger m_stats;
};

}  // namespace papillon
