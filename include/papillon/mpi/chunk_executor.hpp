#pragma once

/// @file
/// The trainer's chunks spread over MPI ranks: chunk c is computed by rank c mod size, every
/// rank's results are gathered to every rank, and the trainer adds them in chunk order, so the
/// parameters after any number of steps are the same bit for bit at any rank count and equal
/// to the serial chunked trainer.

#include <papillon/core/types.hpp>
#include <papillon/mpi/communicator.hpp>
#include <papillon/train/chunk_executor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace papillon::mpi {

/// Time and traffic of the executor since construction (this rank's view).
struct exchange_statistics {
  std::uint64_t exchanges = 0;        ///< run() calls (optimiser steps)
  std::uint64_t chunks_computed = 0;  ///< chunks this rank computed
  double compute_seconds = 0.0;       ///< in this rank's chunk computations
  double exchange_seconds = 0.0;      ///< in the gathers (waiting for slower ranks included)
  std::uint64_t bytes_sent = 0;       ///< this rank's result bytes sent
  std::uint64_t bytes_received = 0;   ///< all ranks' result bytes received
};

class chunk_executor final : public train::chunk_executor {
 public:
  /// Keeps a reference to `comm`, which must outlive the executor.
  explicit chunk_executor(const communicator& comm) : m_comm(comm) {}

  /// @throws communication_error if an MPI call fails or ranks disagree on the chunk count or
  ///         the result length.
  std::vector<std::vector<double>> run(index_t num_chunks, const chunk_function& compute) override;
  /// Item i runs in rank i mod size; the texts are gathered to every rank.
  /// @throws communication_error if an MPI call fails or ranks disagree on the item count.
  std::vector<std::string> run_text(index_t num_items, const text_function& compute) override;
  void share_from_root(std::vector<double>& values) override { m_comm.broadcast(values, 0); }
  [[nodiscard]] bool is_root() const noexcept override { return m_comm.is_root(); }
  [[nodiscard]] int rank() const noexcept override { return m_comm.rank(); }
  [[nodiscard]] int size() const noexcept override { return m_comm.size(); }

  [[nodiscard]] const exchange_statistics& statistics() const noexcept { return m_stats; }

 private:
  const communicator& m_comm;
  exchange_statistics m_stats;
};

}  // namespace papillon::mpi
