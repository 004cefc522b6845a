// libFuzzer target: the command-line parser. The input is split at NUL bytes into arguments;
// the application is built and the arguments parsed and checked, but no subcommand runs.
// A bad command line must end in a papillon or CLI11 error, never a crash or another exception.

#include <papillon/error.hpp>

#include <CLI/CLI.hpp>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"papillon"};
  std::string current;
  for (std::size_t i = 0; i < size && args.size() < 64; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  if (!current.empty()) args.push_back(current);
  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out;
  std::ostringstream err;
  try {
    const auto parsed =
        papillon::cli::parse_command_line(static_cast<int>(argv.size()), argv.data(), out, err);
    if (!parsed.runner && parsed.exit_code != 0 && parsed.exit_code != 2) std::abort();
  } catch (const papillon::error&) {  // a check of an option value
  }
  return 0;
}
