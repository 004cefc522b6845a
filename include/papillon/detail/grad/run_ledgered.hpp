#pragma once

/// @file
/// How the backend gradient methods send their circuits: one run_batch call, or consecutive
/// calls of at most gradient_options::max_batch_circuits circuits, with the ledger filled.
/// Tasks are built and results handed over part by part, so a split gradient holds one part's
/// angle vectors and results at a time (a serial shift of a 1024-qubit Butterfly is 20 480
/// circuits of 6 143 angles each).

#include <papillon/backend/backend.hpp>
#include <papillon/grad/gradient_options.hpp>
#include <papillon/grad/gradient_result.hpp>

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace papillon::detail {

/// Runs tasks make_task(0) ... make_task(count - 1) and passes each result to
/// consume(i, run_result&&), in order. A split batch passes each part's offset as
/// run_options::first_task, so the parts draw what the whole would.
template <class MakeTask, class Consume>
void run_ledgered(backend& b, std::size_t count, MakeTask&& make_task, Consume&& consume,
                  const gradient_options& opt, evaluation_ledger& ledger) {
  const std::size_t chunk =
      opt.max_batch_circuits == 0 ? count : static_cast<std::size_t>(opt.max_batch_circuits);
  std::vector<run_task> tasks;
  for (std::size_t first = 0; first < count; first += chunk) {
    const std::size_t n = std::min(chunk, count - first);
    tasks.clear();
    tasks.reserve(n);
    for (std::size_t i = 0; i < n; ++i) tasks.push_back(make_task(first + i));
    auto results = b.run_batch(tasks, run_options{opt.shots, opt.seed, first});
    ledger.circuits += n;
    ledger.shots += opt.shots * n;
    ledger.batches += 1;
    for (std::size_t i = 0; i < n; ++i) consume(first + i, std::move(results[i]));
  }
}

}  // namespace papillon::detail
