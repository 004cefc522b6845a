// A noisy Butterfly batch spread over the MPI ranks; a benchmark for docs/benchmarks.md, not a
// test. Each rank's simulator backend uses `threads` worker threads (1 by default, so 1 rank
// against 2 ranks compares one core against two). Rank 0 prints one JSON line per batch size:
// the median, minimum and maximum wall time of a batch over the repetitions, and this rank's
// run and exchange time and bytes per batch.
//
//   mpirun -np N papillon_mpi_batch_bench [qubits=16] [shots=100] [noise=forte-1] [reps=5]
//                                          [threads=1] [batch sizes...=1 4 16 64 256]

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/mpi/communicator.hpp>
#include <papillon/mpi/distributed_backend.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace pm = papillon::mpi;
using namespace papillon;

namespace {

// X(0), a loader chain, then a parameterised Butterfly: the hybrid's central layer.
circuit unary_butterfly(index_t n) {
  circuit c(n);
  c.x(0);
  for (index_t i = 0; i + 1 < n; ++i) c.rbs(i, i + 1, 0.2 + 0.05 * static_cast<double>(i));
  index_t p = 0;
  for (index_t s = 1; s < n; s *= 2)
    for (index_t i = 0; i < n; ++i)
      if ((i / s) % 2 == 0) c.rbs(i, i + s, param(p++));
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  pm::environment env(argc, argv);
  const pm::communicator comm;
  return pm::run_or_abort(comm, [&] {
    const auto arg = [&](int i, long fallback) {
      return argc > i ? std::strtol(argv[i], nullptr, 10) : fallback;
    };
    const auto qubits = static_cast<index_t>(arg(1, 16));
    const auto shots = static_cast<std::uint64_t>(arg(2, 100));
    const std::string noise = argc > 3 ? argv[3] : "forte-1";
    const int reps = static_cast<int>(arg(4, 5));
    const auto threads = static_cast<unsigned>(arg(5, 1));
    std::vector<std::size_t> sizes;
    for (int i = 6; i < argc; ++i) sizes.push_back(static_cast<std::size_t>(arg(i, 1)));
    if (sizes.empty()) sizes = {1, 4, 16, 64, 256};

    simulator_backend_options bo;
    bo.noise = noise;
    bo.threads = threads;
    simulator_backend local(bo);
    pm::distributed_backend spread(comm, &local);
    const circuit c = unary_butterfly(qubits);
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> ang(-1.5, 1.5);

    for (const auto n : sizes) {
      std::vector<run_task> tasks(n);
      for (auto& t : tasks) {
        t.circ = &c;
        t.params.resize(c.num_parameters());
        for (auto& p : t.params) p = ang(rng);
      }
      const auto before = spread.statistics();
      std::vector<double> wall;
      for (int r = 0; r < reps; ++r) {
        comm.barrier();
        const auto t0 = std::chrono::steady_clock::now();
        const auto res = spread.run_batch(tasks, run_options{.shots = shots, .seed = 3});
        comm.barrier();
        wall.push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        if (res.size() != n) throw std::runtime_error("wrong result count");
      }
      const auto& s = spread.statistics();
      std::sort(wall.begin(), wall.end());
      const double k = reps;
      if (comm.is_root())
        std::printf(
            "{\"ranks\": %d, \"qubits\": %lld, \"noise\": \"%s\", \"shots\": %llu, \"batch\": %zu, "
            "\"threads\": %u, \"reps\": %d, \"median_ms\": %.3f, \"min_ms\": %.3f, \"max_ms\": "
            "%.3f, \"run_ms\": %.3f, \"exchange_ms\": %.3f, \"bytes_received\": %.0f}\n",
            comm.size(), static_cast<long long>(qubits), noise.c_str(),
            static_cast<unsigned long long>(shots), n, threads, reps, 1e3 * wall[wall.size() / 2],
            1e3 * wall.front(), 1e3 * wall.back(), 1e3 * (s.run_seconds - before.run_seconds) / k,
            1e3 * (s.exchange_seconds - before.exchange_seconds) / k,
            static_cast<double>(s.bytes_received - before.bytes_received) / k);
    }
    return 0;
  });
}
