// `papillon butterfly`: print a Butterfly circuit, optionally preceded by a unary loader, as
// circuit JSON (docs/interfaces.md section 3).

#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/io/circuit_json.hpp>
#include <papillon/io/draw.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"

namespace papillon::cli {
namespace {

struct butterfly_cli_options {
  long long qubits = 0;  // signed, so "-2" is reported rather than wrapped
  std::string order = "coupling-last";
  std::string gate = "rbs";
  std::string loader;
  std::string vector;
  bool draw = false;
  std::string output;
};

command_runner make_butterfly(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "butterfly", "Print a Butterfly circuit (optionally after a unary loader) as circuit JSON");
  auto o = std::make_shared<butterfly_cli_options>();
  sub->add_option("--qubits", o->qubits, "Number of qubits (a power of two >= 2)")->required();
  sub->add_option("--order", o->order, "Layer order: coupling-last (default) or coupling-first")
      ->check(CLI::IsMember({"coupling-last", "coupling-first"}));
  sub->add_option("--gate", o->gate, "Two-qubit gate of the layers: rbs (default) or fbs")
      ->check(CLI::IsMember({"rbs", "fbs"}));
  sub->add_option("--loader", o->loader,
                  "Unary loader for --vector: parallel (default), diagonal or semi-diagonal")
      ->check(CLI::IsMember({"parallel", "diagonal", "semi-diagonal"}));
  sub->add_option("--vector", o->vector,
                  "Input vector \"x0,x1,...\" with --qubits entries (need not be normalised)");
  sub->add_flag("--draw", o->draw, "Also draw the circuit as text on standard error");
  sub->add_option("--output", o->output, "Write the JSON document to this file");
  return [o] {
    butterfly_options bo;
    bo.order = o->order == "coupling-first" ? butterfly_order::coupling_first
                                            : butterfly_order::coupling_last;
    bo.gate = o->gate == "fbs" ? gate_kind::fbs : gate_kind::rbs;
    if (o->qubits < 1)
      throw data_error("butterfly", "--qubits must be a positive integer",
                       "got " + std::to_string(o->qubits));
    const auto n = static_cast<index_t>(o->qubits);
    const layered_circuit layer = butterfly(n, bo);  // checks the width

    circuit c(n);
    if (!o->loader.empty() && o->vector.empty())
      throw data_error("butterfly", "--loader needs --vector", "--loader " + o->loader);
    if (!o->vector.empty()) {
      const std::vector<double> x = parse_double_list("--vector", o->vector);
      if (x.size() != n)
        throw dimension_error("butterfly",
                              "--vector has " + std::to_string(x.size()) +
                                  " entries, --qubits is " + std::to_string(o->qubits),
                              "zero-pad the vector at the front to the circuit width "
                              "(docs/method.md 2.3.2)");
      const loader_kind kind =
          o->loader.empty() ? loader_kind::parallel : loader_from_name(o->loader);
      c.append(unary_loader(kind, x));
    }
    c.append(layer.body);
    if (o->draw) std::cerr << draw_circuit(c);
    write_document(circuit_to_json(c), o->output);
    return 0;
  };
}

const register_command butterfly_command{"butterfly", &make_butterfly};

}  // namespace
}  // namespace papillon::cli
