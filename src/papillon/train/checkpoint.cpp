// Atomic file writes and reading checkpoints.

#include <papillon/train/checkpoint.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#if defined(__unix__) || defined(__APPLE__)
#  include <fcntl.h>
#  include <unistd.h>
#  define PAPILLON_HAVE_POSIX_FILES 1
#else
#  define PAPILLON_HAVE_POSIX_FILES 0
#endif

namespace papillon::train {

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  constexpr std::string_view where = "train::write_file_atomically";
  // The rename replaces whatever the path names: a device or a pipe (/dev/null, /dev/full)
  // would become a regular file, so only regular files (or nothing) may be replaced.
  {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (std::filesystem::exists(st) && !std::filesystem::is_regular_file(st))
      throw data_error(where, "not a regular file; an atomic write would replace it",
                       path.string());
  }
  std::filesystem::path tmp = path;
  tmp += ".tmp";
#if PAPILLON_HAVE_POSIX_FILES
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw data_error(where, "cannot create file", tmp.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < contents.size()) {
    const auto n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw data_error(where, "write failed", tmp.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  // fsync before rename: otherwise the rename may reach the disk before the data does.
  if (::fsync(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw data_error(where, "fsync failed", tmp.string() + ": " + why);
  }
  if (::close(fd) != 0) throw data_error(where, "close failed", tmp.string());
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw data_error(where, "rename failed", path.string() + ": " + std::strerror(errno));
  // Sync the directory so the rename itself is durable.
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
#else
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw data_error(where, "cannot create file", tmp.string());
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    if (!out.flush()) throw data_error(where, "write failed", tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw data_error(where, "rename failed", path.string() + ": " + ec.message());
#endif
}

nlohmann::json load_checkpoint(const std::filesystem::path& path) {
  constexpr std::string_view where = "train::load_checkpoint";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(where, "cannot open file", path.string());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw data_error(where, "invalid JSON", path.string() + ": " + e.what());
  }
  if (!j.is_object() || j.value("format", std::string()) != checkpoint_format)
    throw data_error(where, "not a papillon checkpoint",
                     path.string() + ", expected format '" + std::string(checkpoint_format) + "'");
  return j;
}

}  // namespace papillon::train
