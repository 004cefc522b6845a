// A consumer of papillon::ionq: a Butterfly transpiled to IonQ's native gates, offline.

#include <papillon/circuit/butterfly.hpp>
#include <papillon/ionq/transpile.hpp>
#include <papillon/version.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main() {
  const papillon::circuit c = papillon::butterfly(4).body;
  const std::vector<double> theta{0.1, 0.2, 0.3, 0.4};
  const auto program = papillon::transpile(c, theta, papillon::ionq_gateset::native_zz);
  const std::string input = papillon::ionq_input_json(program);
  if (input.find("\"gateset\":\"native\"") == std::string::npos) {
    std::fprintf(stderr, "unexpected IonQ input: %s\n", input.c_str());
    return 1;
  }
  std::printf("papillon %s\n", papillon::version_string);
  return 0;
}
