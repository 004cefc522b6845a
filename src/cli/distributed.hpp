#pragma once

/// @file
/// The CLI under mpirun (or srun): which rank this process is, and the executor that spreads the
/// trainer's chunks over the ranks. Without MPI (or when not started by an MPI launcher) there
/// is one rank and no executor. Only rank 0 prints to standard output and writes files.

#include <papillon/backend/backend.hpp>
#include <papillon/train/chunk_executor.hpp>

#include <memory>
#include <string_view>

namespace papillon::cli {

/// The job this process belongs to.
struct distributed_job {
  int rank = 0;
  int size = 1;
  /// Spreads chunks over the ranks; null without MPI.
  std::shared_ptr<train::chunk_executor> executor{};
  [[nodiscard]] bool is_root() const noexcept { return rank == 0; }
};

/// The current job (one rank before a session exists or without MPI).
const distributed_job& distributed();

/// Starts MPI in main() when an MPI launcher started the process, and ends it on destruction.
/// Non-root ranks get a closed standard output.
class distributed_session {
 public:
  distributed_session(int& argc, char**& argv);
  distributed_session(const distributed_session&) = delete;
  distributed_session& operator=(const distributed_session&) = delete;
  distributed_session(distributed_session&&) = delete;
  distributed_session& operator=(distributed_session&&) = delete;
  ~distributed_session();

  /// With more than one rank, prints "papillon: error: rank R of N: <message>" and ends the
  /// whole job with `code`, so no rank waits for a failed one. Returns with one rank.
  void abort_if_distributed(std::string_view message, int code) const;

 private:
  struct state;
  std::unique_ptr<state> m_state;
};

/// A backend that spreads `local`'s batches over the ranks in contiguous blocks (results equal
/// to one rank's, on every rank), or null with one rank or without MPI. Collective: every rank
/// calls it at the same point. The result keeps a reference to `local` and must not outlive the
/// session.
std::unique_ptr<backend> spread_batches(backend& local);

/// Throws data_error if the job has more than one rank: for work that must happen once (a
/// hardware backend that sends and pays for jobs).
void require_single_rank(std::string_view where, std::string_view what);

}  // namespace papillon::cli
