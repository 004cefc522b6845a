// The papillon command-line tool. Subcommands register themselves (see commands.hpp); this
// file parses the command line and turns exceptions into exit codes (docs/cli.md): 0 on success,
// 2 on bad input with a one-line message on stderr, 1 on any other failure.

#include <papillon/error.hpp>
#include <papillon/version.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "cli/distributed.hpp"

namespace papillon::cli {

std::vector<command_entry>& command_registry() {
  static std::vector<command_entry> registry;
  return registry;
}

namespace {

constexpr int exit_failure = 1;
constexpr int exit_bad_input = 2;

/// Prints "papillon: error: <message>" as a single line on stderr.
void print_error(std::string_view message) {
  std::string line(message);
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::cerr << "papillon: error: " << line << '\n';
}

int run(int argc, char** argv) {
  CLI::App app{
      "papillon: quantum neural networks with Butterfly circuits, parallel parameter-shift\n"
      "gradients and IonQ backends. Every subcommand prints one document on stdout (JSON;\n"
      "plot-bench: SVG). Errors: one line on stderr, exit 2 for bad input. See docs/cli.md.",
      "papillon"};
  app.set_version_flag("--version", std::string("papillon ") + papillon::version_string);
  app.require_subcommand(0, 1);

  auto& registry = command_registry();
  std::sort(registry.begin(), registry.end(),
            [](const command_entry& a, const command_entry& b) { return a.name < b.name; });
  std::vector<std::pair<CLI::App*, command_runner>> runners;
  runners.reserve(registry.size());
  for (const auto& entry : registry) {
    command_runner runner = entry.factory(app);
    CLI::App* sub = app.get_subcommand(std::string(entry.name));
    runners.emplace_back(sub, std::move(runner));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return app.exit(e);  // --help, --version
    }
    print_error(std::string(e.what()) + " (run 'papillon --help')");
    return exit_bad_input;
  }

  for (auto& [sub, runner] : runners) {
    if (sub->parsed()) return runner();
  }

  std::cerr << app.help() << "papillon: error: no subcommand given\n";
  return exit_bad_input;
}

}  // namespace
}  // namespace papillon::cli

int main(int argc, char** argv) {
  using papillon::cli::exit_bad_input;
  using papillon::cli::exit_failure;
  using papillon::cli::print_error;
  // Under mpirun a failing rank ends the whole job (with its rank in the message), so the
  // others never wait for it in a collective call.
  std::unique_ptr<papillon::cli::distributed_session> session;
  const auto fail = [&session](std::string_view message, int code) {
    if (session) session->abort_if_distributed(message, code);
    print_error(message);
    return code;
  };
  try {
    session = std::make_unique<papillon::cli::distributed_session>(argc, argv);
    return papillon::cli::run(argc, argv);
  } catch (const papillon::circuit_error& e) {
    return fail(e.what(), exit_bad_input);
  } catch (const papillon::dimension_error& e) {
    return fail(e.what(), exit_bad_input);
  } catch (const papillon::data_error& e) {
    return fail(e.what(), exit_bad_input);
  } catch (const CLI::ParseError& e) {
    return fail(e.what(), exit_bad_input);
  } catch (const std::exception& e) {
    return fail(e.what(), exit_failure);
  } catch (...) {
    return fail("unknown exception", exit_failure);
  }
}
