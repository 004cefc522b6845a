// The CLI's MPI session. MPI is only started when a launcher started this process, so a plain
// `papillon ...` run of an MPI build behaves as a build without MPI.

#include "cli/distributed.hpp"

#include <papillon/error.hpp>

#ifdef PAPILLON_HAVE_MPI
#  include <papillon/mpi/chunk_executor.hpp>
#  include <papillon/mpi/communicator.hpp>
#  include <papillon/mpi/distributed_backend.hpp>
#endif

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace papillon::cli {

namespace {

distributed_job& current() {
  static distributed_job job;
  return job;
}

#ifdef PAPILLON_HAVE_MPI
// The session's communicator, for the backends spread over it (null before the session).
const mpi::communicator*& session_comm() {
  static const mpi::communicator* comm = nullptr;
  return comm;
}
#endif

#ifdef PAPILLON_HAVE_MPI
// Variables set by Open MPI's mpirun, MPICH's Hydra, and PMI/PMIx launchers (srun --mpi=...).
bool started_by_launcher() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "PMIX_RANK"})
    if (std::getenv(v) != nullptr) return true;
  return false;
}
#endif

}  // namespace

const distributed_job& distributed() { return current(); }

struct distributed_session::state {
#ifdef PAPILLON_HAVE_MPI
  std::unique_ptr<mpi::environment> env;
  std::unique_ptr<mpi::communicator> comm;
#endif
};

distributed_session::distributed_session([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv)
    : m_state(std::make_unique<state>()) {
#ifdef PAPILLON_HAVE_MPI
  if (!started_by_launcher()) return;
  m_state->env = std::make_unique<mpi::environment>(argc, argv);
  m_state->comm = std::make_unique<mpi::communicator>();
  auto& job = current();
  job.rank = m_state->comm->rank();
  job.size = m_state->comm->size();
  job.executor = std::make_shared<mpi::chunk_executor>(*m_state->comm);
  session_comm() = m_state->comm.get();
  // One JSON document per job: the other ranks compute the same and say nothing.
  if (job.rank != 0 && std::freopen("/dev/null", "w", stdout) == nullptr)
    throw data_error("cli",
                     "cannot silence the standard output of rank " + std::to_string(job.rank));
#endif
}

distributed_session::~distributed_session() {
  current() = {};
#ifdef PAPILLON_HAVE_MPI
  session_comm() = nullptr;
  m_state->comm.reset();  // freed before MPI_Finalize
  m_state->env.reset();
#endif
}

void distributed_session::abort_if_distributed([[maybe_unused]] std::string_view message,
                                               [[maybe_unused]] int code) const {
#ifdef PAPILLON_HAVE_MPI
  if (!m_state->comm || m_state->comm->size() == 1) return;
  std::string line(message);
  for (char& c : line)
    if (c == '\n') c = ' ';
  // One write of the whole line: the other ranks may be failing at the same moment, and a line
  // written in pieces interleaves with theirs.
  const std::string text = "papillon: error: rank " + std::to_string(m_state->comm->rank()) +
                           " of " + std::to_string(m_state->comm->size()) + ": " + line + "\n";
  std::cerr.write(text.data(), static_cast<std::streamsize>(text.size()));
  std::cerr.flush();
  m_state->comm->abort(code);
#endif
}

void require_single_rank(std::string_view where, std::string_view what) {
  const auto& job = distributed();
  if (job.size > 1)
    throw data_error(where, std::string(what) + " runs on one rank only",
                     std::to_string(job.size) + " ranks; run it without mpirun or with -np 1");
}

std::unique_ptr<backend> spread_batches([[maybe_unused]] backend& local) {
#ifdef PAPILLON_HAVE_MPI
  if (session_comm() != nullptr && session_comm()->size() > 1)
    return std::make_unique<mpi::distributed_backend>(*session_comm(), &local);
#endif
  return nullptr;
}

}  // namespace papillon::cli
