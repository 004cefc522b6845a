#pragma once

/// @file
/// How subcommands of the `papillon` tool register themselves.
///
/// Each subcommand lives in its own file src/cli/<name>.cpp and registers a factory at static
/// initialisation time:
///
/// @code
/// namespace papillon::cli {
/// namespace {
/// command_runner make_butterfly(CLI::App& app) {
///   auto* sub = app.add_subcommand("butterfly", "Print a Butterfly circuit as JSON");
///   auto opts = std::make_shared<butterfly_options>();
///   sub->add_option("--qubits", opts->qubits, "Number of qubits")->required();
///   return [opts] {
///     // ... write one JSON document to stdout, messages to stderr ...
///     return 0;
///   };
/// }
/// const register_command butterfly_command{"butterfly", &make_butterfly};
/// }  // namespace
/// }  // namespace papillon::cli
/// @endcode
///
/// main() calls every factory (in name order, so --help is deterministic), parses the command
/// line, then calls the runner of the subcommand that was given. The factory must create a
/// subcommand with exactly the registered name. Runners report bad input by throwing
/// papillon::circuit_error, dimension_error or data_error (exit code 2) and other failures with
/// any other exception (exit code 1); see docs/cli.md.
///
/// The command files are compiled straight into the executable, never into a static library,
/// where the linker would drop the unreferenced registration objects.

#include <functional>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace papillon::cli {

/// Runs a parsed subcommand; returns the process exit code.
using command_runner = std::function<int()>;

/// Adds one subcommand to the application and returns the function that runs it.
using command_factory = command_runner (*)(CLI::App& app);

/// One registered subcommand.
struct command_entry {
  std::string_view name;
  command_factory factory;
};

/// Every registered subcommand, in registration order.
std::vector<command_entry>& command_registry();

/// Registers a subcommand when constructed; define one at namespace scope per subcommand.
struct register_command {
  register_command(std::string_view name, command_factory factory) {
    command_registry().push_back(command_entry{name, factory});
  }
};

}  // namespace papillon::cli
