#pragma once

/// @file
/// Atomic file writes and reading of training checkpoints ("papillon.checkpoint.v1").
///
/// A checkpoint is one JSON document:
/// {"format", "model" (papillon.model.v1), "optimizer", "position" {stage, epoch_in_stage,
///  global_epoch, global_step}, "rng", "early_stopping", "history", "stages", "ledger",
///  "schedule" (fingerprint checked on resume)}. The trainer writes it; load_checkpoint reads it.

#include <papillon/error.hpp>

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace papillon::train {

/// The "format" field of checkpoints.
inline constexpr std::string_view checkpoint_format = "papillon.checkpoint.v1";

/// Replaces `path` with `contents` atomically: the text goes to "<path>.tmp", is flushed to
/// disk (fsync), then renamed over `path` (and, on POSIX, the directory is synced). A crash
/// leaves either the old file or the new one, never a torn one.
/// @throws data_error if any step fails.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

/// Reads and checks a checkpoint file. @throws data_error if unreadable, not JSON, or not a
/// papillon checkpoint.
[[nodiscard]] nlohmann::json load_checkpoint(const std::filesystem::path& path);

}  // namespace papillon::train
