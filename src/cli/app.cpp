// The papillon application: every registered subcommand, and parsing a command line.

#include "cli/app.hpp"

#include <papillon/version.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon::cli {

std::vector<command_entry>& command_registry() {
  static std::vector<command_entry> registry;
  return registry;
}

void print_error(std::ostream& err, std::string_view message) {
  // One write of the whole line, so lines of processes failing together never interleave.
  std::string line = "papillon: error: " + std::string(message);
  std::replace(line.begin(), line.end(), '\n', ' ');
  line += '\n';
  err.write(line.data(), static_cast<std::streamsize>(line.size()));
  err.flush();
}

parsed_command_line parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                       std::ostream& err) {
  parsed_command_line result;
  result.app = std::make_shared<CLI::App>(
      "papillon: quantum neural networks with Butterfly circuits, parallel parameter-shift\n"
      "gradients and IonQ backends. Every subcommand prints one document on stdout (JSON;\n"
      "plot-bench: SVG). Errors: one line on stderr, exit 2 for bad input. See docs/cli.md.",
      "papillon");
  CLI::App& app = *result.app;
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
      result.exit_code = app.exit(e, out, err);  // --help, --version
      return result;
    }
    print_error(err, std::string(e.what()) + " (run 'papillon --help')");
    result.exit_code = exit_bad_input;
    return result;
  }

  for (auto& [sub, runner] : runners) {
    if (sub->parsed()) {
      result.runner = std::move(runner);
      return result;
    }
  }
  err << app.help() << "papillon: error: no subcommand given\n";
  result.exit_code = exit_bad_input;
  return result;
}

}  // namespace papillon::cli
