// Backend batches over MPI ranks, for the ctest tests of label "mpi". Every rank checks itself
// and exits non-zero on the first difference.
//
//   mpi_batches spread   exact, sampled and noisy batches and the serial shift, parallel shift
//                        and finite-difference gradients: equal bit for bit to one rank
//   mpi_batches ionq     rank 0 alone talks to a loopback fake IonQ server: one POST per job
//   mpi_batches fail     rank 1's backend throws: every rank gets an error, none hangs, and the
//                        next batch still runs

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/grad/gradient.hpp>
#include <papillon/ionq/ionq_backend.hpp>
#include <papillon/mpi/communicator.hpp>
#include <papillon/mpi/distributed_backend.hpp>

#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/fake_ionq_server.hpp"

namespace pm = papillon::mpi;
using namespace papillon;

namespace {

constexpr index_t width = 8;

// X(0), a fixed loader chain, then a Butterfly whose parameters come from the tasks.
circuit unary_butterfly() {
  circuit c(width);
  c.x(0);
  for (index_t i = 0; i + 1 < width; ++i) c.rbs(i, i + 1, 0.3 + 0.1 * static_cast<double>(i));
  index_t p = 0;
  for (index_t s = 1; s < width; s *= 2)
    for (index_t i = 0; i < width; ++i)
      if ((i / s) % 2 == 0) c.rbs(i, i + s, param(p++));
  return c;
}

std::vector<run_task> tasks_of(const circuit& c, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ang(-1.5, 1.5);
  std::vector<run_task> t(n);
  for (auto& x : t) {
    x.circ = &c;
    x.params.resize(c.num_parameters());
    for (auto& p : x.params) p = ang(rng);
  }
  return t;
}

// run_or_abort names the rank in the message.
void expect(bool ok, const pm::communicator& /*comm*/, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

int spread(const pm::communicator& comm) {
  const circuit c = unary_butterfly();
  simulator_backend_options noisy_opt;
  noisy_opt.noise = "forte-1";
  simulator_backend ideal, ideal_here, noisy(noisy_opt), noisy_here(noisy_opt);
  pm::distributed_backend dist(comm, &ideal);
  pm::distributed_backend dist_noisy(comm, &noisy);

  // Batch sizes below, at and above the rank count, and a split batch (first_task > 0).
  for (const std::size_t n : {std::size_t{1}, std::size_t{3}, std::size_t{13}}) {
    const auto t = tasks_of(c, n, n);
    for (const std::uint64_t shots : {std::uint64_t{0}, std::uint64_t{200}}) {
      const run_options o{.shots = shots, .seed = 9, .first_task = 4};
      expect(dist.run_batch(t, o) == ideal_here.run_batch(t, o), comm,
             "ideal batch of " + std::to_string(n) + ", shots " + std::to_string(shots));
    }
    const run_options o{.shots = 100, .seed = 21};
    expect(dist_noisy.run_batch(t, o) == noisy_here.run_batch(t, o), comm,
           "noisy batch of " + std::to_string(n));
  }

  // Gradients through the backend: every method's circuits spread, the same numbers.
  const auto params = tasks_of(c, 1, 77).front().params;
  std::vector<double> w(width);
  for (index_t i = 0; i < width; ++i) w[i] = 0.5 + static_cast<double>(i);
  const auto obs = diagonal_observable::from_unary(w);
  for (const auto method :
       {gradient_method::shift, gradient_method::parallel, gradient_method::finite}) {
    for (const std::uint64_t shots : {std::uint64_t{0}, std::uint64_t{500}}) {
      gradient_options g;
      g.method = method;
      g.shots = shots;
      g.seed = 3;
      g.max_batch_circuits = 7;    // split batches too
      g.allow_approximate = true;  // the loader chain makes the parallel rule approximate here
      const auto a = gradient(c, params, obs, dist, g);
      const auto b = gradient(c, params, obs, ideal_here, g);
      expect(a.gradient == b.gradient && a.value == b.value, comm,
             std::string("gradient ") + std::string(gradient_method_names.name_of(method)) +
                 ", shots " + std::to_string(shots));
      expect(a.evaluations.circuits == b.evaluations.circuits, comm, "gradient ledger");
    }
  }

  // Small batches can stay whole on every rank; the results do not change.
  pm::distributed_backend coarse(comm, &ideal, {.min_tasks_per_rank = 100});
  const auto t = tasks_of(c, 13, 5);
  const auto before = coarse.statistics().exchanged;
  expect(coarse.run_batch(t, {}) == ideal_here.run_batch(t, {}), comm, "unexchanged batch");
  expect(coarse.statistics().exchanged == before, comm, "a small batch was exchanged");
  expect(comm.size() == 1 || dist.statistics().exchanged > 0, comm, "nothing was exchanged");
  if (comm.is_root())
    std::printf(
        "mpi_batches spread: %d ranks, %llu batches exchanged, %llu bytes received: "
        "equal to one rank\n",
        comm.size(), static_cast<unsigned long long>(dist.statistics().exchanged),
        static_cast<unsigned long long>(dist.statistics().bytes_received));
  return 0;
}

int ionq_root_only(const pm::communicator& comm) {
  const circuit c = unary_butterfly();
  const auto t = tasks_of(c, 12, 8);
  // Only rank 0 has a server, a key, a client and a journal.
  std::unique_ptr<test::fake_ionq_server> srv;
  std::unique_ptr<ionq::ionq_backend> hw;
  if (comm.is_root()) {
    srv = std::make_unique<test::fake_ionq_server>();
    ionq::ionq_backend_options o;
    o.max_circuits_per_job = 5;  // three jobs
    ionq::client_options co;
    co.base_url = srv->base_url();
    co.api_key = srv->api_key();
    co.poll.initial = ionq::seconds_d(0.01);
    co.poll.max = ionq::seconds_d(0.02);
    co.deadline = ionq::seconds_d(120);
    hw = std::make_unique<ionq::ionq_backend>(o, co);
  }
  pm::distributed_backend dist(comm, hw.get(), {.placement = pm::batch_placement::root_only});
  expect(dist.info().name.find("ionq") != std::string::npos, comm, "rank 0's capabilities");
  const auto got = dist.run_batch(t, {});
  simulator_backend sim;
  const auto want = sim.run_batch(t, {});
  expect(got.size() == want.size(), comm, "result count");
  for (std::size_t i = 0; i < got.size(); ++i)
    for (const auto& [k, p] : want[i].probabilities)
      expect(std::abs(got[i].probabilities.at(k) - p) < 1e-9, comm,
             "task " + std::to_string(i) + " differs from the simulator");
  if (comm.is_root()) {
    expect(srv->count("POST", "/v0.4/jobs") == 3, comm,
           "jobs sent: " + std::to_string(srv->count("POST", "/v0.4/jobs")) + ", want 3");
    std::printf("mpi_batches ionq: %d ranks, 3 jobs sent once by rank 0\n", comm.size());
  }
  return 0;
}

// Runs its part like a simulator, except on rank 1 where it throws.
class failing_backend final : public backend {
 public:
  failing_backend(int rank, bool armed) : m_rank(rank), m_armed(armed) {}
  const backend_info& info() const noexcept override { return m_sim.info(); }
  void disarm() { m_armed = false; }

 protected:
  std::vector<run_result> do_run_batch(std::span<const run_task> t, const run_options& o) override {
    if (m_armed && m_rank == 1) throw data_error("mpi_batches", "rank 1 fails on purpose");
    return m_sim.run_batch(t, o);
  }

 private:
  simulator_backend m_sim;
  int m_rank;
  bool m_armed;
};

int fail(const pm::communicator& comm) {
  const circuit c = unary_butterfly();
  const auto t = tasks_of(c, 9, 1);
  failing_backend local(comm.rank(), true);
  pm::distributed_backend dist(comm, &local);
  bool caught = false;
  try {
    (void)dist.run_batch(t, {});
  } catch (const data_error& e) {
    caught = comm.rank() == 1 && std::string(e.what()).find("on purpose") != std::string::npos;
  } catch (const backend_error& e) {
    const std::string m = e.what();
    caught = comm.rank() != 1 && m.find("rank 1 failed") != std::string::npos &&
             m.find("on purpose") != std::string::npos;
  }
  expect(caught, comm, "the failure of rank 1 did not reach this rank as expected");
  local.disarm();
  simulator_backend sim;
  expect(dist.run_batch(t, {}) == sim.run_batch(t, {}), comm, "the batch after a failure");
  if (comm.is_root()) std::printf("mpi_batches fail: every rank saw rank 1's error\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  pm::environment env(argc, argv);
  const pm::communicator comm;
  return pm::run_or_abort(comm, [&] {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "spread") return spread(comm);
    if (mode == "ionq") return ionq_root_only(comm);
    if (mode == "fail") return fail(comm);
    throw std::runtime_error("usage: mpi_batches spread|ionq|fail");
  });
}
