#pragma once

/// @file
/// A small RAII wrapper of MPI (MPI-3 calls only, so Open MPI and MPICH both work): the
/// environment (MPI_Init / MPI_Finalize) and a communicator over all processes. mpi.h stays in
/// src/papillon/mpi/; errors are thrown as papillon::communication_error.

#include <papillon/error.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace papillon::mpi {

/// Initialises MPI on construction and finalises it on destruction, unless MPI was already
/// initialised by someone else (then it leaves both to them). One per program, in main().
class environment {
 public:
  /// @throws communication_error if MPI_Init fails or MPI was already finalised.
  environment(int& argc, char**& argv);
  /// Without the command line (MPI-2 and later allow null arguments).
  environment();
  environment(const environment&) = delete;
  environment& operator=(const environment&) = delete;
  environment(environment&&) = delete;
  environment& operator=(environment&&) = delete;
  ~environment();

  /// True between MPI_Init and MPI_Finalize (by anyone).
  [[nodiscard]] static bool initialized() noexcept;

 private:
  bool m_owner = false;
};

/// A duplicate of MPI_COMM_WORLD (so papillon's messages never mix with the caller's), with
/// errors returned instead of fatal and thrown as communication_error.
class communicator {
 public:
  /// @throws communication_error if MPI is not initialised or the duplicate fails.
  communicator();
  communicator(const communicator&) = delete;
  communicator& operator=(const communicator&) = delete;
  communicator(communicator&&) noexcept;
  communicator& operator=(communicator&&) noexcept;
  ~communicator();

  [[nodiscard]] int rank() const noexcept { return m_rank; }
  [[nodiscard]] int size() const noexcept { return m_size; }
  /// Rank 0: the process that prints, writes files and talks to hardware.
  [[nodiscard]] bool is_root() const noexcept { return m_rank == 0; }

  void barrier() const;

  /// Makes `values` equal to `root`'s in every process (the length too).
  void broadcast(std::vector<double>& values, int root = 0) const;
  /// Makes `bytes` equal to `root`'s in every process (the length too).
  void broadcast(std::string& bytes, int root = 0) const;

  /// Every process's `mine`, in rank order, in every process (lengths may differ).
  [[nodiscard]] std::vector<std::vector<double>> allgather(const std::vector<double>& mine) const;
  [[nodiscard]] std::vector<std::string> allgather(const std::string& mine) const;
  /// Every process's `mine`, in rank order, at `root`; empty elsewhere.
  [[nodiscard]] std::vector<std::string> gather(const std::string& mine, int root = 0) const;

  /// Ends every process of the job with `code` (MPI_Abort). Never returns.
  [[noreturn]] void abort(int code) const noexcept;

 private:
  struct handle;
  std::unique_ptr<handle> m_comm;
  int m_rank = 0;
  int m_size = 1;
};

/// Runs `body` and returns its exit code. If it throws, prints "papillon: rank R of N: <what>"
/// to stderr and ends the whole job with MPI_Abort(code 1), so a failing rank can never leave
/// the others waiting in a collective call.
int run_or_abort(const communicator& comm, const std::function<int()>& body);

}  // namespace papillon::mpi
