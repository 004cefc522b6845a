#pragma once

/// @file
/// Where the chunks of a mini-batch (and other independent work items) are computed. The trainer
/// splits a mini-batch into chunks of a fixed size, asks an executor for every chunk's result
/// vector (gradient sums, loss sum and count, layer counters) and adds them in chunk order itself,
/// so the step does not depend on which process computed which chunk. The serial executor computes
/// every chunk here; a distributed one (papillon::mpi) computes a share of them per process and
/// gathers the rest.

#include <papillon/core/types.hpp>

#include <functional>
#include <string>
#include <vector>

namespace papillon::train {

/// Computes chunk results, in any place, and returns all of them in chunk order.
class chunk_executor {
 public:
  chunk_executor() = default;
  chunk_executor(const chunk_executor&) = delete;
  chunk_executor& operator=(const chunk_executor&) = delete;
  chunk_executor(chunk_executor&&) = delete;
  chunk_executor& operator=(chunk_executor&&) = delete;
  virtual ~chunk_executor() = default;

  /// The function that computes chunk c's result vector. Every chunk's vector has the same
  /// length.
  using chunk_function = std::function<std::vector<double>(index_t chunk)>;

  /// Returns the results of chunks 0 .. num_chunks - 1, in that order, each computed by
  /// `compute` in some process. Every process of a distributed run calls it with the same
  /// num_chunks and gets the same results.
  virtual std::vector<std::vector<double>> run(index_t num_chunks,
                                               const chunk_function& compute) = 0;

  /// The function that computes work item i's result as text.
  using text_function = std::function<std::string(index_t item)>;

  /// Returns the texts of items 0 .. num_items - 1, in that order, each computed by `compute`
  /// in one process, for work whose results are not vectors of numbers (the imputation
  /// benchmark's units). Same contract as run(). This default computes every item here.
  virtual std::vector<std::string> run_text(index_t num_items, const text_function& compute) {
    std::vector<std::string> out;
    out.reserve(num_items);
    for (index_t i = 0; i < num_items; ++i) out.push_back(compute(i));
    return out;
  }

  /// Makes `values` equal to process 0's copy in every process (initial parameters, as a
  /// safeguard against processes that built their models differently). Serial: nothing.
  virtual void share_from_root(std::vector<double>& /*values*/) {}

  /// True in the one process that writes checkpoints and progress output.
  [[nodiscard]] virtual bool is_root() const noexcept { return true; }
  /// The process number and count, for progress output.
  [[nodiscard]] virtual int rank() const noexcept { return 0; }
  [[nodiscard]] virtual int size() const noexcept { return 1; }
};

/// Computes every chunk in this process, in order.
class serial_chunk_executor final : public chunk_executor {
 public:
  std::vector<std::vector<double>> run(index_t num_chunks, const chunk_function& compute) override {
    std::vector<std::vector<double>> out;
    out.reserve(num_chunks);
    for (index_t c = 0; c < num_chunks; ++c) out.push_back(compute(c));
    return out;
  }
};

}  // namespace papillon::train
