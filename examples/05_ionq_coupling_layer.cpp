// Example 05: training the 16-qubit coupling layer through the IonQ backend.
//
// The circuit loads a 16-entry vector with the parallel unary loader and applies the last
// Butterfly layer (stride 8: RBS on (i, i+8) for i = 0..7, parameters 0..7). The loss is the
// probability mass on the upper half of the unary outputs, L = sum_{i >= 8} p(e_i), which
// gradient descent drives towards 0. Gradients use the parallel parameter-shift rule: every
// angle of the layer is shifted together, so one step costs 4 shifted circuits plus 1 for the
// loss, whatever the layer width, and those 5 circuits travel as one multi-circuit IonQ job.
//
// IonQ itself is replaced by the loopback fake server from tests/support (started in-process on
// 127.0.0.1), which runs the circuits on papillon's simulator, so the example needs no key and
// no network. Against the real service, drop the fake, set IONQ_API_KEY and keep the default
// base URL (docs/ionq.md).

#include <papillon/ionq/ionq_backend.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/grad/gradient.hpp>

#include <cstdio>
#include <vector>

#include "../tests/support/fake_ionq_server.hpp"

int main() {
  using namespace papillon;
  constexpr index_t n = 16;
  constexpr index_t half = n / 2;

  test::fake_ionq_server::options server_options;
  server_options.polls_to_complete = 1;
  test::fake_ionq_server server(server_options);

  std::vector<double> x(n);
  for (index_t i = 0; i < n; ++i) x[i] = 1.0 + static_cast<double>((3 * i) % 7);
  circuit c = parallel_loader(x);
  for (index_t i = 0; i < half; ++i) c.rbs(i, i + half, param(i));

  std::vector<double> w(n, 0.0);
  for (index_t i = half; i < n; ++i) w[i] = 1.0;
  const diagonal_observable loss = diagonal_observable::from_unary(w);

  ionq::ionq_backend_options bo;
  bo.target = "simulator";
  bo.gateset = ionq_gateset::qis;
  bo.job_name = "coupling-layer";
  ionq::client_options co;
  co.base_url = server.base_url();
  co.api_key = server.api_key();
  co.poll.initial = ionq::seconds_d(0.01);
  ionq::ionq_backend backend(bo, co);

  gradient_options go;
  go.method = gradient_method::parallel;
  go.with_value = true;

  std::vector<double> theta(half, 0.1);
  const double rate = 2.0;
  constexpr int steps = 5;
  double first = 0;
  double last = 0;
  std::uint64_t circuits_per_step = 0;
  for (int step = 0; step < steps; ++step) {
    const gradient_result g = parallel_shift_gradient(c, theta, loss, backend, go);
    if (step == 0) first = g.value;
    last = g.value;
    circuits_per_step = g.evaluations.circuits;
    std::printf("step %d: loss %.6f, %llu circuits in %llu job(s)\n", step, g.value,
                static_cast<unsigned long long>(g.evaluations.circuits),
                static_cast<unsigned long long>(g.evaluations.batches));
    for (std::size_t k = 0; k < g.parameters.size(); ++k)
      theta[g.parameters[k]] -= rate * g.gradient[k];
  }
  const run_result final_run = backend.run(c, theta, run_options{});
  double final_loss = 0;
  for (const auto& [s, p] : final_run.probabilities) final_loss += loss.weight_of(s) * p;

  std::printf(
      "ionq coupling layer: loss %.4f -> %.4f in %d steps, %llu circuits/step, %llu jobs, "
      "%zu POST /jobs\n",
      first, final_loss, steps, static_cast<unsigned long long>(circuits_per_step),
      static_cast<unsigned long long>(backend.spent().jobs), server.count("POST", "/v0.4/jobs"));
  return final_loss < last && last < first ? 0 : 1;
}
