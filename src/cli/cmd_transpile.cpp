// `papillon transpile`: print the IonQ job `input` object of a circuit with bound parameters
// (docs/cli.md), gate counts on standard error.

#include <papillon/io/circuit_json.hpp>
#include <papillon/ionq/transpile.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"

namespace papillon::cli {
namespace {

struct transpile_cli_options {
  std::string circuit_path;
  std::string params;
  std::string target = ionq_target_name(ionq_gateset::qis);
  bool keep_final_z = false;
  std::string output;
};

command_runner make_transpile(CLI::App& app) {
  auto* sub = app.add_subcommand("transpile", "Print the IonQ job input object of a circuit");
  auto o = std::make_shared<transpile_cli_options>();
  sub->add_option("circuit", o->circuit_path, "Circuit JSON file (papillon.circuit.v1)")
      ->required();
  sub->add_option("--params", o->params, "Parameter values \"p0,p1,...\"");
  sub->add_option("--target", o->target,
                  "Gate set: " + ionq_target_name(ionq_gateset::qis) + " (default), " +
                      ionq_target_name(ionq_gateset::native_ms) + " (Aria), " +
                      ionq_target_name(ionq_gateset::native_zz) + " (Forte)")
      ->check(one_of_enum<ionq_gateset>());
  sub->add_flag("--keep-final-z", o->keep_final_z,
                "Native targets: emit the final virtual Z rotations instead of dropping them");
  sub->add_option("--output", o->output, "Write the JSON document to this file");
  return [o] {
    // Everything is checked before any work or output.
    const ionq_gateset target = parse_ionq_gateset(o->target);
    check_readable("circuit file", o->circuit_path);
    const circuit c = read_circuit_file(o->circuit_path);
    const std::vector<double> params = parse_params(o->params, c);
    check_writable("--output file", o->output);
    check_distinct({{"circuit file", o->circuit_path}, {"--output file", o->output}});
    transpile_options opt;
    opt.drop_final_z = !o->keep_final_z;
    const ionq_program p = transpile(c, params, target, opt);
    const auto counts = count_gates(p);
    std::cerr << "papillon transpile: " << ionq_gateset_name(target) << ", " << counts.total
              << " gates (" << counts.two_qubit << " two-qubit):";
    for (const auto& [name, n] : counts.by_gate) std::cerr << ' ' << name << '=' << n;
    std::cerr << '\n';
    write_document(nlohmann::ordered_json::parse(ionq_input_json(p)), o->output);
    return 0;
  };
}

const register_command transpile_command{"transpile", &make_transpile};

}  // namespace
}  // namespace papillon::cli
