#pragma once

/// @file
/// How the backend gradient methods send their circuits: one run_batch call, or consecutive
/// calls of at most gradient_options::max_batch_circuits circuits, with the ledger filled.

#include <papillon/backend/backend.hpp>
#include <papillon/grad/gradient_options.hpp>
#include <papillon/grad/gradient_result.hpp>

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

namespace papillon::detail {

/// Runs the tasks (none if empty) and counts them in the ledger. A split batch passes each
/// part's offset as run_options::first_task, so the parts draw what the whole would.
inline std::vector<run_result> run_ledgered(backend& b, std::span<const run_task> tasks,
                                            const gradient_options& opt,
                                            evaluation_ledger& ledger) {
  std::vector<run_result> out;
  if (tasks.empty()) return out;
  const std::size_t chunk =
      opt.max_batch_circuits == 0 ? tasks.size() : static_cast<std::size_t>(opt.max_batch_circuits);
  out.reserve(tasks.size());
  for (std::size_t first = 0; first < tasks.size(); first += chunk) {
    const std::size_t count = std::min(chunk, tasks.size() - first);
    auto part = b.run_batch(tasks.subspan(first, count), run_options{opt.shots, opt.seed, first});
    for (auto& r : part) out.push_back(std::move(r));
    ledger.circuits += count;
    ledger.shots += opt.shots * count;
    ledger.batches += 1;
  }
  return out;
}

}  // namespace papillon::detail
