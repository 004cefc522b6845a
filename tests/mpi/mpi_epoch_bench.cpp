// One training epoch of the hybrid (qnn) imputer, spread over the MPI ranks; a benchmark for
// docs/benchmarks.md, not a test. Rank 0 prints one JSON line: the epoch's wall time and, per
// optimiser step, this rank's compute and exchange time and the bytes gathered.
//
//   mpirun -np N papillon_mpi_epoch_bench <csv> [qubits=32] [chunk=16] [batch=64] [copies=8]

#include <papillon/data/csv.hpp>
#include <papillon/data/standardizer.hpp>
#include <papillon/data/synthetic_icu.hpp>
#include <papillon/impute/neural_imputer.hpp>
#include <papillon/mpi/chunk_executor.hpp>
#include <papillon/mpi/communicator.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace pm = papillon::mpi;

int main(int argc, char** argv) {
  pm::environment env(argc, argv);
  const pm::communicator comm;
  return pm::run_or_abort(comm, [&] {
    if (argc < 2) throw std::runtime_error("usage: papillon_mpi_epoch_bench <csv> [qubits] ...");
    const auto arg = [&](int i, long fallback) {
      return argc > i ? std::strtol(argv[i], nullptr, 10) : fallback;
    };
    const auto qubits = static_cast<papillon::index_t>(arg(2, 32));
    const auto chunk = static_cast<papillon::index_t>(arg(3, 16));
    const auto batch = static_cast<papillon::index_t>(arg(4, 64));
    const auto copies = static_cast<papillon::index_t>(arg(5, 8));

    const auto table = papillon::data::read_csv(argv[1]);
    const auto x = table.select(papillon::data::synthetic_icu_targets());
    const auto observed = x.observed();
    papillon::data::standardizer scaler;
    scaler.fit(x.values(), observed,
               {papillon::data::log1p_flags(x, papillon::data::synthetic_icu_skewed())});
    const Eigen::MatrixXd z = scaler.transform(x.values());

    auto exec = std::make_shared<pm::chunk_executor>(comm);
    auto o = papillon::impute::qnn_imputer_options(qubits);
    o.epochs = 1;
    o.batch_size = batch;
    o.copies = copies;
    o.validation_fraction = 0.0;  // the epoch's training steps only
    o.chunk_size = chunk;
    o.executor = exec;
    papillon::impute::neural_imputer model(o);

    comm.barrier();
    const auto t0 = std::chrono::steady_clock::now();
    model.fit(z, observed);
    comm.barrier();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const auto& s = exec->statistics();
    const double steps = s.exchanges > 0 ? static_cast<double>(s.exchanges) : 1.0;
    if (comm.is_root())
      std::printf(
          "{\"ranks\": %d, \"qubits\": %lld, \"chunk\": %lld, \"batch\": %lld, \"rows\": %lld, "
          "\"steps\": %llu, \"epoch_seconds\": %.4f, \"compute_ms_per_step\": %.4f, "
          "\"exchange_ms_per_step\": %.4f, \"bytes_received_per_step\": %.0f, "
          "\"bytes_sent_per_step\": %.0f}\n",
          comm.size(), static_cast<long long>(qubits), static_cast<long long>(chunk),
          static_cast<long long>(batch), static_cast<long long>(z.rows()),
          static_cast<unsigned long long>(s.exchanges), seconds, 1e3 * s.compute_seconds / steps,
          1e3 * s.exchange_seconds / steps, static_cast<double>(s.bytes_received) / steps,
          static_cast<double>(s.bytes_sent) / steps);
    return 0;
  });
}
