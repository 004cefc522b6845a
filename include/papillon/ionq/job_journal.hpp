#pragma once

/// @file
/// The job journal: an append-only file of JSON lines recording every remote job the IonQ
/// backend submits, so a paid result is never lost or paid twice. Compiled in
/// src/papillon/ionq/job_journal.cpp.
///
/// Records (one JSON object per line, `"v": 1`):
///
///     {"v":1,"event":"intent","hash":H,"tag":T,"backend":B,"circuits":C,"shots":S,"time":...}
///     {"v":1,"event":"submitted","hash":H,"tag":T,"job_id":J,...}
///     {"v":1,"event":"results","hash":H,"job_id":J,"probabilities":[{"0":0.5,"3":0.5},...]}
///     {"v":1,"event":"failed","hash":H,"job_id":J,"status":"failed","message":M}
///     {"v":1,"event":"cost","hash":H,"job_id":J,"cost":X,"estimated":Y,"unit":"usd"}
///
/// With cost tracking, intent and submitted records also carry `"estimated_cost"` and
/// `"cost_unit"` (IonQ's quote before sending).
///
/// H is the SHA-256 of the job payload (sha256_hex), T the tag sent in the job's metadata.
/// Every append is written with one write(2) and fsync(2)ed before the call returns, under an
/// exclusive flock(2), so a record that a caller saw written survives a crash or SIGKILL. A torn
/// last line (a crash during the write) is ignored when the file is read back. The journal never
/// holds the API key: payloads are not stored, only their hash.
///
/// Lookup semantics (find): the latest record for a hash wins, except that results are never
/// forgotten once recorded. A `failed` record clears the hash, so the same payload may be
/// submitted again (IonQ does not bill failed or canceled jobs).

#include <papillon/error.hpp>

// Full JSON, not json_fwd: journal_entry holds an optional json and compares it.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace papillon {

/// The SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

namespace ionq {

/// What the journal knows about one payload.
struct journal_entry {
  std::string hash;
  std::string tag;     ///< the metadata tag of the submission (set from the intent on)
  std::string job_id;  ///< empty while only the intent is recorded
  /// The fetched results, one probability object per circuit in input order (JSON, keys are
  /// decimal basis states as IonQ sends them); empty until fetched.
  std::optional<nlohmann::json> probabilities;
  /// What the job cost, when a cost record was written, and its unit.
  std::optional<double> cost;
  std::string cost_unit;
  bool operator==(const journal_entry&) const = default;
};

/// Summary fields of an intent or submission record (for people reading the journal).
struct journal_summary {
  std::string backend;
  std::uint64_t circuits = 0;
  std::uint64_t shots = 0;               ///< shots over all circuits
  std::optional<double> estimated_cost;  ///< IonQ's quote, with cost tracking
  std::string cost_unit;
};

/// An append-only JSON-lines journal of remote jobs.
///
/// Thread safety: one journal object per thread; several processes may append to the same file
/// (appends are atomic lines under flock), but each reads the others' records only on open.
class job_journal {
 public:
  /// Opens (creating with mode 0600 if needed) and reads the journal at `path`.
  /// @throws data_error if the file cannot be opened, locked or read.
  explicit job_journal(std::filesystem::path path);

  job_journal(const job_journal&) = delete;
  job_journal& operator=(const job_journal&) = delete;
  job_journal(job_journal&&) noexcept;
  job_journal& operator=(job_journal&&) noexcept;
  ~job_journal();

  /// The entry of a payload hash, if any.
  [[nodiscard]] std::optional<journal_entry> find(std::string_view hash) const;

  /// Records that the payload is about to be submitted with this tag (before POST /jobs).
  void record_intent(std::string_view hash, std::string_view tag, const journal_summary& s);
  /// Records the id the server gave the job.
  void record_submitted(std::string_view hash, std::string_view tag, std::string_view job_id,
                        const journal_summary& s);
  /// Records fetched results (an array of probability objects, input order).
  void record_results(std::string_view hash, std::string_view job_id,
                      const nlohmann::json& probabilities);
  /// Records that the job failed or was canceled (the hash may be submitted again).
  void record_failed(std::string_view hash, std::string_view job_id, std::string_view status,
                     std::string_view message);
  /// Records what a completed job cost (`actual` unset: the server had no amount yet).
  void record_cost(std::string_view hash, std::string_view job_id, std::optional<double> actual,
                   std::optional<double> estimated, std::string_view unit);

  /// The file.
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
  /// Lines that could not be parsed when the file was read (a torn last line, typically).
  [[nodiscard]] std::size_t skipped_lines() const noexcept { return m_skipped; }

 private:
  void append(const nlohmann::ordered_json& record);
  void apply(const nlohmann::json& record);

  std::filesystem::path m_path;
  int m_fd = -1;
  std::map<std::string, journal_entry, std::less<>> m_entries;
  std::size_t m_skipped = 0;
};

}  // namespace ionq
}  // namespace papillon
