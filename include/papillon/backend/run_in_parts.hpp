#pragma once

/// @file
/// Sending many circuits to a backend part by part: one run_batch call, or consecutive calls of
/// at most `max_batch_circuits` tasks, with an evaluation ledger filled. Tasks are built and
/// results handed over part by part, so a split batch holds one part's angle vectors and
/// results at a time (a serial shift of a 1024-qubit Butterfly is 20 480 circuits of 6 143
/// angles each). The gradient engine and the quantum layer send every circuit through here.

#include <papillon/backend/backend.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace papillon {

/// How run_in_parts sends its tasks.
struct batch_options {
  /// Shots per circuit; 0 asks for exact probabilities.
  std::uint64_t shots = 0;
  /// Seed of the whole batch.
  std::uint64_t seed = 0;
  /// The most tasks in one run_batch call; 0 sends all in one call. Splitting changes no
  /// result: each part is seeded as its tasks would be in the whole batch.
  std::uint64_t max_batch_circuits = 0;
};

/// Runs tasks make_task(0) ... make_task(count - 1) and passes each result to
/// consume(i, run_result&&), in order, adding what was sent to `ledger`. A split batch passes
/// each part's offset as run_options::first_task, so the parts draw what the whole would.
template <class MakeTask, class Consume>
void run_in_parts(backend& b, std::size_t count, MakeTask&& make_task, Consume&& consume,
                  const batch_options& opt, evaluation_ledger& ledger) {
  const std::size_t chunk =
      opt.max_batch_circuits == 0 ? count : static_cast<std::size_t>(opt.max_batch_circuits);
  std::vector<run_task> tasks;
  for (std::size_t first = 0; first < count; first += chunk) {
    const std::size_t n = std::min(chunk, count - first);
    tasks.clear();
    tasks.reserve(n);
    for (std::size_t i = 0; i < n; ++i) tasks.push_back(make_task(first + i));
    auto results = b.run_batch(tasks, run_options{opt.shots, opt.seed, first});
    ledger.add(n, opt.shots);
    for (std::size_t i = 0; i < n; ++i) consume(first + i, std::move(results[i]));
  }
}

}  // namespace papillon
