// Reading the IonQ API key from the environment or from a private key file.

#include <papillon/ionq/ionq_api_key.hpp>

#include <fmt/core.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace papillon::ionq {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::optional<std::string> api_key_from_environment() {
  const char* v = std::getenv(api_key_variable);
  if (v == nullptr) return std::nullopt;
  std::string key = trim(v);
  if (key.empty()) return std::nullopt;
  return key;
}

std::string read_api_key_file(const std::filesystem::path& path) {
  const std::string p = path.string();
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0)
    throw data_error("ionq::read_api_key_file", "cannot read the key file",
                     p + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw data_error("ionq::read_api_key_file", "the key file is not a regular file", p);
  // Refuse before reading: a key others can read may already be compromised.
  if ((st.st_mode & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH)) != 0)
    throw data_error("ionq::read_api_key_file",
                     "the key file is readable or writable by group or others",
                     fmt::format("{} has mode {:03o}; run: chmod 600 {}", p, st.st_mode & 0777, p));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error("ionq::read_api_key_file", "cannot read the key file", p);
  std::string line;
  while (std::getline(in, line)) {
    std::string key = trim(line);
    if (!key.empty()) return key;
  }
  throw data_error("ionq::read_api_key_file", "the key file is empty", p);
}

std::string load_api_key(const std::optional<std::filesystem::path>& key_file) {
  if (key_file) return read_api_key_file(*key_file);
  if (auto key = api_key_from_environment()) return *key;
  throw data_error("ionq::load_api_key", "no IonQ API key",
                   "set IONQ_API_KEY or pass a key file (mode 600)");
}

}  // namespace papillon::ionq
