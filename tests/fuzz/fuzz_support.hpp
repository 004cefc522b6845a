#pragma once

// Checks shared by the fuzz targets: what every message of papillon promises about outside text.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace papillon::fuzz {

/// Longest message a target accepts: several sanitised quotes (core/text.hpp) and their context.
inline constexpr std::size_t max_message = 2000;

/// Aborts (a finding) when a message is too long or holds a control character or a NUL.
inline void check_message(std::string_view m) {
  if (m.size() > max_message) {
    std::fprintf(stderr, "message of %zu bytes: %.200s...\n", m.size(), std::string(m).c_str());
    std::abort();
  }
  for (const char c : m)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      std::fprintf(stderr, "control character 0x%02x in message: %.300s\n",
                   static_cast<unsigned>(static_cast<unsigned char>(c)), std::string(m).c_str());
      std::abort();
    }
}

}  // namespace papillon::fuzz
