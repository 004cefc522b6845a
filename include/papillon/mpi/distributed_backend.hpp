#pragma once

/// @file
/// A backend batch spread over MPI ranks. Every rank calls run_batch with the same batch (the
/// usual SPMD pattern: the gradient engine, the trainer and the CLI build the same circuits on
/// every rank) and every rank gets every result, in task order.
///
/// - `spread`: rank r runs one contiguous block of the batch on its own backend, with
///   run_options::first_task moved to the block's start, so a simulator backend draws exactly the
///   shots and trajectories of the whole batch on one rank: results are identical at any rank
///   count. Serial shift, finite differences and noisy trajectories all pay off this way.
/// - `root_only`: rank 0 runs the whole batch and sends the results to the others. This is the
///   mode for hardware: only rank 0 holds the key, the client and the job journal, so no job is
///   sent or paid twice at any rank count. The other ranks pass no backend.
///
/// Errors never leave a rank waiting: a rank whose backend throws still takes part in the
/// exchange, then every rank throws; the failing rank rethrows its own exception, the others a
/// backend_error naming it.

#include <papillon/backend/backend.hpp>
#include <papillon/mpi/communicator.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace papillon::mpi {

/// Where a batch runs.
enum class batch_placement {
  spread,     ///< contiguous blocks over all ranks (simulators)
  root_only,  ///< rank 0 runs everything (hardware: one client, one journal)
};

struct distributed_backend_options {
  batch_placement placement = batch_placement::spread;
  /// Batches smaller than this (tasks per rank, times the rank count) run whole on every rank
  /// with no exchange: below it the messages cost more than the circuits. 1 spreads everything.
  std::size_t min_tasks_per_rank = 1;
};

/// Traffic and time of the exchanges (this rank's view).
struct batch_exchange_statistics {
  std::uint64_t batches = 0;         ///< run_batch calls
  std::uint64_t exchanged = 0;       ///< of them, batches that were exchanged
  std::uint64_t tasks_run_here = 0;  ///< tasks this rank's backend ran
  double run_seconds = 0.0;          ///< in this rank's backend
  double exchange_seconds = 0.0;     ///< in the collective calls (waiting included)
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
};

class distributed_backend final : public backend {
 public:
  /// Collective: every rank of `comm` constructs one, with the same options. `local` is this
  /// rank's backend; with root_only it is used on rank 0 only and may be null elsewhere. The
  /// capabilities are rank 0's, sent to every rank. Keeps references to `comm` and `local`.
  /// @throws data_error for a null backend where one is needed (on every rank, before any
  ///         exchange, so the construction cannot leave ranks waiting) and communication_error.
  distributed_backend(const communicator& comm, backend* local,
                      distributed_backend_options options = {});

  [[nodiscard]] const backend_info& info() const noexcept override { return m_info; }
  [[nodiscard]] const distributed_backend_options& options() const noexcept { return m_options; }
  [[nodiscard]] const batch_exchange_statistics& statistics() const noexcept { return m_stats; }

  /// The block [first, last) of a batch of `tasks` tasks that `rank` of `ranks` runs (spread).
  struct block {
    std::size_t first = 0;
    std::size_t last = 0;
  };
  [[nodiscard]] static block block_of(std::size_t tasks, int rank, int ranks) noexcept;

 protected:
  std::vector<run_result> do_run_batch(std::span<const run_task> tasks,
                                       const run_options& opt) override;

 private:
  const communicator& m_comm;
  backend* m_local;
  distributed_backend_options m_options;
  backend_info m_info;
  batch_exchange_statistics m_stats;
};

/// Results as bytes and back (the exchange format; exposed for tests).
[[nodiscard]] std::string encode_results(std::span<const run_result> results);
[[nodiscard]] std::vector<run_result> decode_results(const std::string& bytes);

}  // namespace papillon::mpi
