// The MPI environment and communicator. The only file that includes mpi.h besides the executor.

#include <papillon/mpi/communicator.hpp>

#include <mpi.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon::mpi {

namespace {

std::string error_text(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS)
    return "MPI error " + std::to_string(code);
  return std::string(text, static_cast<std::size_t>(length));
}

void check(int code, std::string_view where, std::string_view call) {
  if (code != MPI_SUCCESS)
    throw communication_error(where, std::string(call) + " failed", error_text(code));
}

int as_count(std::size_t n, std::string_view where) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw communication_error(where, "message too long for one MPI call", std::to_string(n));
  return static_cast<int>(n);
}

}  // namespace

struct communicator::handle {
  MPI_Comm comm = MPI_COMM_NULL;
};

bool environment::initialized() noexcept {
  int init = 0;
  int done = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&done);
  return init != 0 && done == 0;
}

namespace {

// Initialises MPI unless it already is; true when this call did (and so owns finalising it).
bool init_once(int* argc, char*** argv) {
  int init = 0;
  int done = 0;
  MPI_Initialized(&init);
  MPI_Finalized(&done);
  if (done != 0) throw communication_error("mpi::environment", "MPI was already finalised");
  if (init != 0) return false;
  check(MPI_Init(argc, argv), "mpi::environment", "MPI_Init");
  return true;
}

}  // namespace

environment::environment(int& argc, char**& argv) : m_owner(init_once(&argc, &argv)) {}

environment::environment() : m_owner(init_once(nullptr, nullptr)) {}

environment::~environment() {
  if (m_owner) MPI_Finalize();
}

communicator::communicator() : m_comm(std::make_unique<handle>()) {
  constexpr std::string_view where = "mpi::communicator";
  if (!environment::initialized())
    throw communication_error(where, "MPI is not initialised",
                              "construct an mpi::environment first");
  check(MPI_Comm_dup(MPI_COMM_WORLD, &m_comm->comm), where, "MPI_Comm_dup");
  check(MPI_Comm_set_errhandler(m_comm->comm, MPI_ERRORS_RETURN), where, "MPI_Comm_set_errhandler");
  check(MPI_Comm_rank(m_comm->comm, &m_rank), where, "MPI_Comm_rank");
  check(MPI_Comm_size(m_comm->comm, &m_size), where, "MPI_Comm_size");
}

communicator::communicator(communicator&&) noexcept = default;
communicator& communicator::operator=(communicator&&) noexcept = default;

communicator::~communicator() {
  // Freeing after MPI_Finalize is an error; the environment usually outlives us, but not always.
  if (m_comm && m_comm->comm != MPI_COMM_NULL && environment::initialized())
    MPI_Comm_free(&m_comm->comm);
}

void communicator::barrier() const {
  check(MPI_Barrier(m_comm->comm), "mpi::communicator::barrier", "MPI_Barrier");
}

void communicator::broadcast(std::vector<double>& values, int root) const {
  constexpr std::string_view where = "mpi::communicator::broadcast";
  unsigned long long n = values.size();
  check(MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, m_comm->comm), where, "MPI_Bcast");
  values.resize(static_cast<std::size_t>(n));
  check(MPI_Bcast(values.data(), as_count(values.size(), where), MPI_DOUBLE, root, m_comm->comm),
        where, "MPI_Bcast");
}

void communicator::broadcast(std::string& bytes, int root) const {
  constexpr std::string_view where = "mpi::communicator::broadcast";
  unsigned long long n = bytes.size();
  check(MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, root, m_comm->comm), where, "MPI_Bcast");
  bytes.resize(static_cast<std::size_t>(n));
  check(MPI_Bcast(bytes.data(), as_count(bytes.size(), where), MPI_CHAR, root, m_comm->comm), where,
        "MPI_Bcast");
}

namespace {

// Allgatherv of `count` elements of `type` per rank; counts travel first.
template <class T>
std::vector<std::vector<T>> allgather_impl(MPI_Comm comm, int size, const T* data, std::size_t n,
                                           MPI_Datatype type) {
  constexpr std::string_view where = "mpi::communicator::allgather";
  const int mine = as_count(n, where);
  std::vector<int> counts(static_cast<std::size_t>(size));
  check(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, comm), where, "MPI_Allgather");
  std::vector<int> displs(counts.size());
  std::size_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    displs[r] = as_count(total, where);
    total += static_cast<std::size_t>(counts[r]);
  }
  as_count(total, where);
  std::vector<T> all(total);
  check(MPI_Allgatherv(data, mine, type, all.data(), counts.data(), displs.data(), type, comm),
        where, "MPI_Allgatherv");
  std::vector<std::vector<T>> out(counts.size());
  for (std::size_t r = 0; r < counts.size(); ++r)
    out[r].assign(all.begin() + displs[r], all.begin() + displs[r] + counts[r]);
  return out;
}

}  // namespace

std::vector<std::vector<double>> communicator::allgather(const std::vector<double>& mine) const {
  return allgather_impl(m_comm->comm, m_size, mine.data(), mine.size(), MPI_DOUBLE);
}

std::vector<std::string> communicator::allgather(const std::string& mine) const {
  const auto parts = allgather_impl(m_comm->comm, m_size, mine.data(), mine.size(), MPI_CHAR);
  std::vector<std::string> out;
  out.reserve(parts.size());
  for (const auto& p : parts) out.emplace_back(p.begin(), p.end());
  return out;
}

std::vector<std::string> communicator::gather(const std::string& mine, int root) const {
  constexpr std::string_view where = "mpi::communicator::gather";
  const int n = as_count(mine.size(), where);
  std::vector<int> counts(m_rank == root ? static_cast<std::size_t>(m_size) : 0);
  check(MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, root, m_comm->comm), where,
        "MPI_Gather");
  std::vector<int> displs(counts.size());
  std::size_t total = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    displs[r] = as_count(total, where);
    total += static_cast<std::size_t>(counts[r]);
  }
  std::string all(total, '\0');
  check(MPI_Gatherv(mine.data(), n, MPI_CHAR, all.data(), counts.data(), displs.data(), MPI_CHAR,
                    root, m_comm->comm),
        where, "MPI_Gatherv");
  std::vector<std::string> out;
  for (std::size_t r = 0; r < counts.size(); ++r)
    out.push_back(
        all.substr(static_cast<std::size_t>(displs[r]), static_cast<std::size_t>(counts[r])));
  return out;
}

void communicator::abort(int code) const noexcept {
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Abort(m_comm && m_comm->comm != MPI_COMM_NULL ? m_comm->comm : MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; this only satisfies [[noreturn]]
}

int run_or_abort(const communicator& comm, const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "papillon: rank %d of %d: %s\n", comm.rank(), comm.size(), e.what());
  } catch (...) {
    std::fprintf(stderr, "papillon: rank %d of %d: unknown exception\n", comm.rank(), comm.size());
  }
  comm.abort(1);
}

}  // namespace papillon::mpi
