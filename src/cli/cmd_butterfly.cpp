// `papillon butterfly`: print a Butterfly circuit, optionally preceded by a unary loader, as
// circuit JSON (docs/cli.md).

#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/io/circuit_json.hpp>
#include <papillon/io/draw.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_util.hpp"
#include "cli/commands.hpp"

namespace papillon::cli {
namespace {

struct butterfly_cli_options {
  std::int64_t qubits = 0;
  std::string order{name_of(butterfly_order::coupling_last)};
  std::string gate{gate_name(gate_kind::rbs)};
  std::string loader;
  std::string vector;
  bool draw = false;
  std::string output;
};

command_runner make_butterfly(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "butterfly", "Print a Butterfly circuit (optionally after a unary loader) as circuit JSON");
  auto o = std::make_shared<butterfly_cli_options>();
  sub->add_option(
         "--qubits", o->qubits,
         fmt::format("Number of qubits, a power of two in [2, {}]", limits::butterfly_qubits))
      ->check(bounded<std::int64_t>(1, limits::butterfly_qubits))  // 1: the library explains
      ->required();
  sub->add_option("--order", o->order,
                  "Layer order: " + butterfly_order_names.names_text(", ", " or ") + " (default " +
                      o->order + ")")
      ->check(one_of_enum<butterfly_order>());
  const std::vector<std::string> gates{std::string(gate_name(gate_kind::rbs)),
                                       std::string(gate_name(gate_kind::fbs))};
  sub->add_option(
         "--gate", o->gate,
         with_default("Two-qubit gate of the layers: " + gates[0] + " or " + gates[1], o->gate))
      ->check(CLI::IsMember(gates));
  sub->add_option("--loader", o->loader,
                  "Unary loader for --vector: " + loader_names.names_text(", ", " or ") +
                      " (default " + std::string(loader_name(loader_kind::parallel)) + ")")
      ->check(one_of_enum<loader_kind>());
  sub->add_option("--vector", o->vector,
                  "Input vector \"x0,x1,...\" with --qubits entries (need not be normalised)");
  sub->add_flag("--draw", o->draw, "Also draw the circuit as text on standard error");
  sub->add_option("--output", o->output, "Write the JSON document to this file");
  return [o] {
    butterfly_options bo;
    bo.order = parse_enum<butterfly_order>(o->order, "butterfly");
    bo.gate = parse_enum<gate_kind>(o->gate, "butterfly");
    const auto n = static_cast<index_t>(o->qubits);
    const layered_circuit layer =
        about_option("--qubits " + std::to_string(n), [&] { return butterfly(n, bo); });

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
    check_writable("--output file", o->output);
    if (o->draw) std::cerr << draw_circuit(c);
    write_document(circuit_to_json(c), o->output);
    return 0;
  };
}

const register_command butterfly_command{"butterfly", &make_butterfly};

}  // namespace
}  // namespace papillon::cli
