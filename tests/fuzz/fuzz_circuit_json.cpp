// libFuzzer target: the circuit JSON reader (parse_circuit_json) on arbitrary bytes. Every input
// either gives a circuit that writes and reads back equal, or a papillon error with a bounded,
// printable message.

#include <papillon/error.hpp>
#include <papillon/io/circuit_json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const papillon::circuit c = papillon::parse_circuit_json(text);
    // Writing is lossless: what was read must read back equal.
    if (!(papillon::parse_circuit_json(papillon::circuit_to_json_string(c, -1)) == c)) std::abort();
  } catch (const papillon::error& e) {
    papillon::fuzz::check_message(e.what());
  }
  return 0;
}
