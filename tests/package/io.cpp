// A consumer of papillon::io: a circuit written to JSON and read back.

#include <papillon/circuit/butterfly.hpp>
#include <papillon/io/circuit_json.hpp>
#include <papillon/version.hpp>

#include <cstdio>

int main() {
  const papillon::circuit c = papillon::butterfly(8).body;
  const auto back = papillon::parse_circuit_json(papillon::circuit_to_json_string(c));
  if (!(back == c)) {
    std::fprintf(stderr, "circuit changed on the way through JSON\n");
    return 1;
  }
  std::printf("papillon %s\n", papillon::version_string);
  return 0;
}
