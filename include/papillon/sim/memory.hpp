#pragma once

/// @file
/// Memory budgets for states: a state that would not fit is refused before allocating.

#include <papillon/core/types.hpp>
#include <papillon/error.hpp>

#include <unistd.h>

#include <cstdint>
#include <string>

namespace papillon {

/// Memory settings of a state.
struct memory_options {
  /// Largest amplitude buffer in bytes; 0 means the machine's physical memory.
  std::uint64_t limit_bytes = 0;
};

namespace detail {

/// Physical memory of this machine in bytes (POSIX sysconf), or 2^40 when unknown. Read once:
/// sysconf(_SC_PHYS_PAGES) is a system call, and small states are created in hot loops.
inline std::uint64_t physical_memory_bytes() noexcept {
  static const std::uint64_t bytes = [] {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return std::uint64_t{1} << 40;
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
  }();
  return bytes;
}

inline std::string format_bytes(long double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (b >= 1024 && u < 6) {
    b /= 1024;
    ++u;
  }
  std::string s = std::to_string(static_cast<double>(b));
  s = s.substr(0, s.find('.') + 2);
  return s + " " + units[u];
}

/// Throws dimension_error if `count` amplitudes of `bytes_each` exceed the budget.
inline void check_memory(std::string_view where, long double count, std::uint64_t bytes_each,
                         const memory_options& opt, const std::string& what) {
  const std::uint64_t limit = opt.limit_bytes ? opt.limit_bytes : physical_memory_bytes();
  const long double need = count * static_cast<long double>(bytes_each);
  if (need > static_cast<long double>(limit))
    throw dimension_error(where,
                          "state needs " + format_bytes(need) + ", above the memory limit of " +
                              format_bytes(static_cast<long double>(limit)),
                          what);
}

}  // namespace detail
}  // namespace papillon
