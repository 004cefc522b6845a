#pragma once

/// @file
/// The library version. CMake parses the three macros below; this header is the single source
/// of truth for the package version.

#define PAPILLON_VERSION_MAJOR 0
#define PAPILLON_VERSION_MINOR 1
#define PAPILLON_VERSION_PATCH 0

#define PAPILLON_DETAIL_STR2(x) #x
#define PAPILLON_DETAIL_STR(x) PAPILLON_DETAIL_STR2(x)
#define PAPILLON_VERSION_STRING               \
  PAPILLON_DETAIL_STR(PAPILLON_VERSION_MAJOR) \
  "." PAPILLON_DETAIL_STR(PAPILLON_VERSION_MINOR) "." PAPILLON_DETAIL_STR(PAPILLON_VERSION_PATCH)

namespace papillon {

/// The version as "major.minor.patch".
inline constexpr const char* version_string = PAPILLON_VERSION_STRING;

}  // namespace papillon
