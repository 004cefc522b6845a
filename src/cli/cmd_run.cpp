// `papillon run`: simulate a circuit and print exact probabilities or sampled counts
// (docs/cli.md).

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/io/circuit_json.hpp>
#include <papillon/io/run_result_json.hpp>
#include <papillon/ionq/ionq_backend.hpp>
#include <papillon/sim/simulator.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"
#include "cli/run_ionq.hpp"

namespace papillon::cli {
namespace {

struct run_cli_options {
  std::string circuit_path;
  std::string params;
  std::uint64_t shots = 0;
  std::uint64_t seed = 0;
  std::string mode{name_of(simulation_mode::automatic)};
  std::string output;
  // Backend routing (issue 5): --backend sim or --noise runs through simulator_backend.
  std::string backend;
  std::string noise;
  std::uint64_t trajectories = 0;
  // IonQ (issue 6): --backend ionq and its options, see run_ionq.hpp.
  ionq_run_options ionq;
};

const std::vector<std::string> run_backends{"sim", "ionq"};

// The simulator backend of `--backend sim` / `--noise MODEL`: noise presets, trajectories and
// the backend's seeding apply. Built before any work, so a bad model or a noisy run without
// shots is refused up front.
std::unique_ptr<simulator_backend> make_simulator_backend(const run_cli_options& o,
                                                          const circuit& c, simulation_mode mode) {
  simulator_backend_options bo;
  bo.noise = o.noise.empty() ? "ideal" : o.noise;
  bo.mode = mode;
  bo.trajectories = o.trajectories;
  bo.max_qubits = c.num_qubits();  // the circuit given is the one to run
  auto b =
      about_option("--noise " + bo.noise, [&] { return std::make_unique<simulator_backend>(bo); });
  if (!b->noise().is_ideal() && o.shots == 0)
    throw data_error("run", "noisy simulation needs --shots > 0",
                     "--noise " + b->noise().name +
                         " samples trajectories; exact noisy "
                         "probabilities are not available");
  return b;
}

// Output keys as without a backend, plus "noise" when a model was given.
nlohmann::ordered_json run_on_simulator_backend(const run_cli_options& o, simulator_backend& b,
                                                const circuit& c, const std::vector<double>& params,
                                                simulation_mode mode) {
  const bool noisy = !b.noise().is_ideal();
  nlohmann::ordered_json doc;
  doc["qubits"] = c.num_qubits();
  doc["mode"] = std::string(
      name_of(noisy ? simulation_mode::full : choose_mode(c, simulation_options{mode})));
  if (!o.noise.empty()) doc["noise"] = b.noise().name;
  // The backend's refusals (a noisy run wider than 63 qubits...) name the circuit and model.
  const run_result r = about_option(o.circuit_path + " with --noise " + b.noise().name, [&] {
    return b.run(c, params, run_options{o.shots, o.seed});
  });
  doc.update(to_json(r));
  return doc;
}

command_runner make_run(CLI::App& app) {
  auto* sub =
      app.add_subcommand("run", "Simulate a circuit: exact probabilities or sampled counts");
  auto o = std::make_shared<run_cli_options>();
  sub->add_option("circuit", o->circuit_path, "Circuit JSON file (papillon.circuit.v1)")
      ->required();
  sub->add_option("--params", o->params,
                  "Parameter values \"p0,p1,...\", one per circuit parameter");
  add_bounded(sub, "--shots", o->shots, "Shots to sample (0: exact probabilities)",
              std::uint64_t{0}, limits::shots);
  add_bounded(sub, "--seed", o->seed, "Seed of the sampler", std::uint64_t{0},
              std::numeric_limits<std::uint64_t>::max());
  sub->add_option(
         "--mode", o->mode,
         with_default("Representation: " + simulation_mode_names.names_text(", ", " or "), o->mode))
      ->check(one_of_enum<simulation_mode>());
  sub->add_option("--output", o->output, "Write the JSON document to this file");
  sub->add_option("--backend", o->backend,
                  "Backend: sim (the simulator backend) or ionq (default: the simulator directly)")
      ->check(CLI::IsMember(run_backends));
  sub->add_option("--noise", o->noise,
                  "Noise model: the simulator backend's " + noise_preset_names() +
                      "; with --backend ionq, IonQ's cloud simulator models (docs/cli.md)");
  add_bounded(sub, "--trajectories", o->trajectories,
              "Noisy runs: trajectories per circuit (0: one per shot)", std::uint64_t{0},
              limits::trajectories);
  add_ionq_run_options(sub, o->ionq);
  return [o, sub] {
    // Everything is checked before any work or output.
    check_readable("circuit file", o->circuit_path);
    const circuit c = read_circuit_file(o->circuit_path);
    const std::vector<double> params = parse_params(o->params, c);
    simulation_options opt;
    opt.mode = parse_enum<simulation_mode>(o->mode, "run");
    about_option("--mode " + o->mode, [&] { (void)choose_mode(c, opt); });
    if (o->trajectories > 0 && o->noise.empty())
      throw data_error("run", "--trajectories needs --noise",
                       "--trajectories " + std::to_string(o->trajectories));
    if (o->backend != "ionq") check_no_ionq_options(*sub);
    check_writable("--output file", o->output);
    check_distinct({{"circuit file", o->circuit_path},
                    {"--output file", o->output},
                    {"--ionq-journal file", o->ionq.journal}});
    if (o->backend == "ionq") {
      const auto b = make_ionq_backend(o->ionq, o->noise);
      write_document(run_on_ionq(o->ionq, *b, c, params, o->shots, o->seed), o->output);
      return 0;
    }
    if (!o->backend.empty() || !o->noise.empty()) {
      const auto b = make_simulator_backend(*o, c, opt.mode);
      write_document(run_on_simulator_backend(*o, *b, c, params, opt.mode), o->output);
      return 0;
    }
    // Straight through the simulator (any width, no max_qubits), written as a backend result.
    run_result res;
    res.qubits = c.num_qubits();
    res.shots = o->shots;
    simulation_mode used = simulation_mode::full;
    // The simulator's refusals (a full state above its memory limit) name the circuit and mode.
    about_option(o->circuit_path + " with --mode " + o->mode, [&] {
      if (o->shots == 0) {
        const auto r = simulate_probabilities(c, params, opt);
        used = r.mode;
        res.probabilities = r.to_map();
      } else {
        const auto r = simulate_counts(c, params, o->shots, o->seed, opt);
        used = r.exact.mode;
        for (const auto& [i, n] : r.counts)
          res.counts.emplace_hint(res.counts.end(), r.exact.key_of(i), n);
      }
    });
    nlohmann::ordered_json doc;
    doc["qubits"] = c.num_qubits();
    doc["mode"] = std::string(name_of(used));
    doc.update(to_json(res));
    write_document(doc, o->output);
    return 0;
  };
}

const register_command run_command{"run", &make_run};

}  // namespace
}  // namespace papillon::cli
