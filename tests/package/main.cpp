// A downstream program: it must compile, link and run against papillon as a consumer sees it.

#include <papillon/error.hpp>
#include <papillon/version.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>

int main() {
  try {
    throw papillon::circuit_error("circuit::append", "qubit out of range", "qubit 5, n = 4");
  } catch (const papillon::error& e) {
    const std::string expected = "papillon::circuit::append: qubit out of range (qubit 5, n = 4)";
    if (e.what() != expected) {
      std::fprintf(stderr, "unexpected message: %s\n", e.what());
      return 1;
    }
  }
  std::printf("papillon %s\n", papillon::version_string);
  return 0;
}
