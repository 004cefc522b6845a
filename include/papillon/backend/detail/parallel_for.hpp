#pragma once

/// @file
/// A minimal fork-join loop on std::thread for the backends: items are claimed from an atomic
/// counter, every item writes its own pre-allocated slot, and exceptions are marshalled to the
/// caller (the one of the lowest failing item index is rethrown after every worker joins, so the
/// error a caller sees does not depend on timing). Internal: not part of the public API.

#include <papillon/core/types.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

#if defined(_OPENMP)
#  include <omp.h>
#endif

namespace papillon::detail {

/// The number of workers for a `threads` setting (0 = hardware concurrency, at least 1).
inline unsigned resolve_threads(unsigned threads) noexcept {
  if (threads != 0) return threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1U : hw;
}

/// Calls fn(i) for every i in [0, count) on up to `threads` workers (the calling thread runs the
/// loop itself when one worker suffices). fn must only write state owned by item i.
/// @throws whatever fn threw for the lowest failing index, after all workers have stopped.
template <class Fn>
void parallel_for(std::size_t count, unsigned threads, Fn&& fn) {
  if (count == 0) return;
  const auto workers =
      static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), count));
  if (workers <= 1) {
    for (std::size_t i = 0; i < count; ++i) fn(i);
    return;
  }
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  const auto work = [&] {
#if defined(_OPENMP)
    // The workers already fill the cores: kernels inside them run single-threaded instead of
    // each opening an OpenMP team (this setting is per thread).
    omp_set_num_threads(1);
#endif
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= count) return;
      try {
        fn(i);
      } catch (...) {
        errors[i] = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers);
  try {
    for (unsigned w = 0; w < workers; ++w) pool.emplace_back(work);
  } catch (...) {
    // Could not start a thread: stop the ones running, then report.
    failed.store(true);
    for (auto& t : pool) t.join();
    throw;
  }
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace papillon::detail
