#pragma once

// Building the papillon application and parsing a command line, apart from running it, so the
// option parser and its checks can be exercised (tests, the CLI fuzz target) without doing any
// of the work a subcommand does.

#include <iosfwd>
#include <memory>

#include "cli/commands.hpp"

namespace papillon::cli {

/// Exit codes (docs/cli.md).
inline constexpr int exit_failure = 1;
inline constexpr int exit_bad_input = 2;

/// A parsed command line: the subcommand to run, or the exit code when there is nothing to run
/// (--help and --version give 0, a parse error or a missing subcommand gives exit_bad_input).
struct parsed_command_line {
  std::shared_ptr<CLI::App> app;  ///< keeps the options the runner reads alive
  command_runner runner;          ///< empty when there is nothing to run
  int exit_code = 0;
};

/// Builds the application with every registered subcommand and parses `argv`: CLI11's checks
/// run, no subcommand runs. Help and version text go to `out`; errors, as the one line
/// "papillon: error: ...", to `err`.
parsed_command_line parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                       std::ostream& err);

/// Prints "papillon: error: <message>" as a single line on `err`.
void print_error(std::ostream& err, std::string_view message);

}  // namespace papillon::cli
