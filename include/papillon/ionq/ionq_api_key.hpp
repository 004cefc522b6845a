#pragma once

/// @file
/// Where the IonQ API key comes from: the IONQ_API_KEY environment variable or a key file the
/// user names. A key file readable by group or others is refused, like ssh refuses such private
/// keys. No function here ever puts the key in an exception message. Compiled in
/// src/papillon/ionq/ionq_api_key.cpp.

#include <papillon/error.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace papillon::ionq {

/// The name of the environment variable holding the key.
inline constexpr const char* api_key_variable = "IONQ_API_KEY";

/// The key from IONQ_API_KEY, trimmed of surrounding blanks; nullopt if unset or blank.
std::optional<std::string> api_key_from_environment();

/// Reads a key file: the first non-blank line, trimmed.
/// @throws data_error if the file cannot be read, is empty, or is readable by group or others
///         (the message gives the path, the mode and the fix, `chmod 600 <file>`, never the
///         content).
std::string read_api_key_file(const std::filesystem::path& path);

/// The key from `key_file` when given, else from IONQ_API_KEY.
/// @throws data_error if neither yields a key (saying where a key is looked for), or as
///         read_api_key_file.
std::string load_api_key(const std::optional<std::filesystem::path>& key_file = std::nullopt);

}  // namespace papillon::ionq
