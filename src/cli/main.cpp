// The papillon command-line tool. Subcommands register themselves (see commands.hpp); this
// file parses the command line and turns exceptions into exit codes (docs/cli.md):
// 0 on success, 2 on bad input with a one-line message on stderr, 1 on any other failure.

#include <papillon/error.hpp>

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <memory>
#include <string_view>

#include "cli/app.hpp"
#include "cli/distributed.hpp"

namespace papillon::cli {
namespace {

int run(int argc, char** argv) {
  const parsed_command_line parsed = parse_command_line(argc, argv, std::cout, std::cerr);
  if (!parsed.runner) return parsed.exit_code;
  return parsed.runner();
}

/// Prints "papillon: error: <message>" as a single line on stderr.
void report(std::string_view message) { print_error(std::cerr, message); }

}  // namespace
}  // namespace papillon::cli

int main(int argc, char** argv) {
  using papillon::cli::exit_bad_input;
  using papillon::cli::exit_failure;
  using papillon::cli::report;
  // Under mpirun a failing rank ends the whole job (with its rank in the message), so the
  // others never wait for it in a collective call.
  std::unique_ptr<papillon::cli::distributed_session> session;
  const auto fail = [&session](std::string_view message, int code) {
    if (session) session->abort_if_distributed(message, code);
    report(message);
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
