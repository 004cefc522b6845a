// Distributed chunked training under mpirun, for the ctest tests of label "mpi".
//
//   mpi_train train <params file>       train; rank 0 writes the parameters' bytes and checks
//                                        them against a serial chunked run in its own process
//   mpi_train interrupt <checkpoint>    train with checkpoints, stop every rank after epoch 2
//   mpi_train resume <checkpoint> <params file>
//   mpi_train fail <rank>               that rank throws in its second step

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/mpi/chunk_executor.hpp>
#include <papillon/mpi/communicator.hpp>
#include <papillon/nn/activation.hpp>
#include <papillon/nn/dense.hpp>
#include <papillon/nn/dropout.hpp>
#include <papillon/nn/loss.hpp>
#include <papillon/nn/optimizer.hpp>
#include <papillon/nn/quantum_orthogonal.hpp>
#include <papillon/nn/random.hpp>
#include <papillon/nn/sequential.hpp>
#include <papillon/train/trainer.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace nn = papillon::nn;
namespace tr = papillon::train;
namespace pm = papillon::mpi;

namespace {

constexpr papillon::index_t epochs = 4;

tr::dataset data() {
  nn::rng_type rng(11);
  tr::dataset d;
  d.inputs.resize(53, 4);  // batches of 12 (the last of 5), chunks of 5 (the last of 2)
  d.targets.resize(53, 3);
  d.mask.resize(53, 3);
  for (Eigen::Index i = 0; i < d.inputs.size(); ++i) d.inputs(i) = 2.0 * nn::uniform01(rng) - 1.0;
  for (Eigen::Index i = 0; i < d.targets.size(); ++i) d.targets(i) = nn::uniform01(rng);
  for (Eigen::Index i = 0; i < d.mask.size(); ++i) d.mask(i) = nn::uniform01(rng) < 0.3 ? 0 : 1;
  return d;
}

// Every kind of randomness the trainer meets: dropout masks and shot noise.
nn::sequential model(int rank) {
  nn::sequential m;
  // Ranks other than 0 start from other weights: the broadcast of rank 0's must fix that.
  m.emplace<nn::dense>(4, 4, nn::dense_options{.seed = 1 + static_cast<std::uint64_t>(rank)});
  m.emplace<nn::tanh_activation>();
  nn::quantum_layer_options q;
  q.qubits = 4;
  q.seed = 3;
  q.shots = 100;
  m.emplace<nn::quantum_orthogonal>(q).set_backend(std::make_shared<papillon::simulator_backend>());
  // After the quantum layer: a row dropped whole would be a zero vector it cannot load.
  m.emplace<nn::dropout>(0.2, 7);
  m.emplace<nn::dense>(4, 3, nn::dense_options{.seed = 2});
  return m;
}

tr::trainer_options options(std::shared_ptr<tr::chunk_executor> exec) {
  tr::trainer_options o;
  o.batch_size = 12;
  o.chunk_size = 5;
  o.seed = 5;
  o.epochs = epochs;
  o.executor = std::move(exec);
  return o;
}

std::string bytes_of(const nn::sequential& m) {
  const Eigen::VectorXd p = m.flat_parameters();
  std::string out(sizeof(double) * static_cast<std::size_t>(p.size()), '\0');
  std::memcpy(out.data(), p.data(), out.size());
  const auto& q = dynamic_cast<const nn::quantum_orthogonal&>(m[2]);
  out += " circuits " + std::to_string(q.ledger().circuits) + " shots " +
         std::to_string(q.ledger().shots) + " batches " + std::to_string(q.ledger().batches);
  return out;
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

struct interrupted {};

int run(const pm::communicator& comm, int argc, char** argv) {
  if (argc < 3) throw std::runtime_error("usage: mpi_train train|interrupt|resume|fail ...");
  const std::string mode = argv[1];
  const auto d = data();
  auto exec = std::make_shared<pm::chunk_executor>(comm);
  auto m = model(comm.rank());
  nn::adam opt;
  nn::masked_mse loss;
  auto o = options(exec);

  if (mode == "train") {
    tr::trainer(m, opt, loss, o).fit(d);
    if (comm.is_root()) {
      write(argv[2], bytes_of(m));
      // The serial chunked trainer in this process, from the same start: the same bytes.
      auto s = model(0);
      nn::adam sopt;
      tr::trainer(s, sopt, loss, options(nullptr)).fit(d);
      if (bytes_of(s) != bytes_of(m)) {
        std::fprintf(stderr, "mpi_train: %d ranks differ from the serial chunked trainer\n",
                     comm.size());
        return 2;
      }
      std::printf("mpi_train: %d ranks, %llu exchanges, %llu bytes received: equal to serial\n",
                  comm.size(), static_cast<unsigned long long>(exec->statistics().exchanges),
                  static_cast<unsigned long long>(exec->statistics().bytes_received));
    }
    return 0;
  }
  if (mode == "interrupt") {
    o.checkpoint_path = argv[2];
    // Every rank stops at the same point, after the checkpoint of epoch 2 was written.
    o.on_epoch = [](const tr::epoch_report& r) {
      if (r.global_epoch == 3) throw interrupted{};
    };
    try {
      tr::trainer(m, opt, loss, o).fit(d);
    } catch (const interrupted&) {
      return 0;
    }
    throw std::runtime_error("the run was not interrupted");
  }
  if (mode == "resume") {
    if (argc < 4) throw std::runtime_error("usage: mpi_train resume <checkpoint> <params file>");
    const auto report = tr::trainer(m, opt, loss, o).resume(argv[2], d);
    if (!report.resumed) throw std::runtime_error("not resumed");
    if (comm.is_root()) write(argv[3], bytes_of(m));
    return 0;
  }
  if (mode == "fail") {
    const int failing = std::atoi(argv[2]);
    o.on_step = [&](const tr::step_report& s) {
      if (s.global_step == 2 && comm.rank() == failing)
        throw papillon::data_error("mpi_train", "this rank fails on purpose",
                                   "rank " + std::to_string(failing));
    };
    tr::trainer(m, opt, loss, o).fit(d);
    return 0;
  }
  throw std::runtime_error("unknown mode " + mode);
}

}  // namespace

int main(int argc, char** argv) {
  pm::environment env(argc, argv);
  const pm::communicator comm;
  return pm::run_or_abort(comm, [&] { return run(comm, argc, argv); });
}
