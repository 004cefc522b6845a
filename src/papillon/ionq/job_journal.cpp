// The append-only job journal, and SHA-256 (FIPS 180-4) for payload hashes.

#include <papillon/ionq/job_journal.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

namespace papillon {

// ---- SHA-256 ---------------------------------------------------------------------------------

namespace {

constexpr std::array<std::uint32_t, 64> sha_k = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, unsigned n) noexcept {
  return (x >> n) | (x << (32 - n));
}

void sha_block(std::array<std::uint32_t, 8>& h, const unsigned char* p) noexcept {
  std::array<std::uint32_t, 64> w{};
  for (int i = 0; i < 16; ++i)
    w[i] = (std::uint32_t{p[4 * i]} << 24) | (std::uint32_t{p[4 * i + 1]} << 16) |
           (std::uint32_t{p[4 * i + 2]} << 8) | std::uint32_t{p[4 * i + 3]};
  for (int i = 16; i < 64; ++i) {
    const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; ++i) {
    const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const std::uint32_t ch = (e & f) ^ (~e & g);
    const std::uint32_t t1 = k + s1 + ch + sha_k[i] + w[i];
    const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    const std::uint32_t t2 = s0 + maj;
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  std::size_t off = 0;
  for (; n - off >= 64; off += 64) sha_block(h, bytes + off);
  // Padding: 0x80, zeros, then the bit length as a big-endian 64-bit integer.
  std::array<unsigned char, 128> tail{};
  const std::size_t rest = n - off;
  std::memcpy(tail.data(), bytes + off, rest);
  tail[rest] = 0x80;
  const std::size_t total = rest + 1 + 8 <= 64 ? 64 : 128;
  const std::uint64_t bits = static_cast<std::uint64_t>(n) * 8;
  for (int i = 0; i < 8; ++i) tail[total - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  sha_block(h, tail.data());
  if (total == 128) sha_block(h, tail.data() + 64);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (std::uint32_t v : h)
    for (int s = 28; s >= 0; s -= 4) out.push_back(hex[(v >> s) & 0xf]);
  return out;
}

namespace ionq {

// ---- job_journal -----------------------------------------------------------------------------

namespace {

std::string sys_error(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Holds flock(LOCK_EX) for a scope.
class file_lock {
 public:
  explicit file_lock(int fd) : m_fd(fd) {
    while (::flock(m_fd, LOCK_EX) != 0)
      if (errno != EINTR) throw data_error("ionq::job_journal", sys_error("flock failed"));
  }
  ~file_lock() { ::flock(m_fd, LOCK_UN); }
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;

 private:
  int m_fd;
};

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw data_error("ionq::job_journal", sys_error("write failed"), path);
    }
    done += static_cast<std::size_t>(n);
  }
}

std::int64_t unix_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

job_journal::job_journal(std::filesystem::path path) : m_path(std::move(path)) {
  const std::string p = m_path.string();
  m_fd = ::open(p.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (m_fd < 0) throw data_error("ionq::job_journal", sys_error("cannot open the journal"), p);
  try {
    file_lock lock(m_fd);
    std::string text;
    std::array<char, 65536> buf{};
    ::lseek(m_fd, 0, SEEK_SET);
    while (true) {
      const ssize_t n = ::read(m_fd, buf.data(), buf.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw data_error("ionq::job_journal", sys_error("cannot read the journal"), p);
      }
      if (n == 0) break;
      text.append(buf.data(), static_cast<std::size_t>(n));
    }
    std::size_t start = 0;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      const bool complete = end != std::string::npos;
      if (!complete) end = text.size();
      const std::string_view line(text.data() + start, end - start);
      if (!line.empty()) {
        const auto rec = nlohmann::json::parse(line, nullptr, false);
        if (complete && !rec.is_discarded() && rec.is_object())
          apply(rec);
        else
          ++m_skipped;
      }
      start = end + 1;
    }
    // A torn last line must not swallow the next record: terminate it.
    if (!text.empty() && text.back() != '\n') {
      write_all(m_fd, "\n", p);
      if (::fsync(m_fd) != 0) throw data_error("ionq::job_journal", sys_error("fsync failed"), p);
    }
  } catch (...) {
    ::close(m_fd);
    throw;
  }
}

job_journal::job_journal(job_journal&& o) noexcept
    : m_path(std::move(o.m_path)),
      m_fd(std::exchange(o.m_fd, -1)),
      m_entries(std::move(o.m_entries)),
      m_skipped(o.m_skipped) {}

job_journal& job_journal::operator=(job_journal&& o) noexcept {
  if (this != &o) {
    if (m_fd >= 0) ::close(m_fd);
    m_path = std::move(o.m_path);
    m_fd = std::exchange(o.m_fd, -1);
    m_entries = std::move(o.m_entries);
    m_skipped = o.m_skipped;
  }
  return *this;
}

job_journal::~job_journal() {
  if (m_fd >= 0) ::close(m_fd);
}

void job_journal::apply(const nlohmann::json& r) {
  if (!r.contains("event") || !r["event"].is_string() || !r.contains("hash") ||
      !r["hash"].is_string()) {
    ++m_skipped;
    return;
  }
  const std::string event = r["event"].get<std::string>();
  const std::string hash = r["hash"].get<std::string>();
  const auto str = [&](const char* k) {
    return r.contains(k) && r[k].is_string() ? r[k].get<std::string>() : std::string();
  };
  auto it = m_entries.find(hash);
  if (event == "intent") {
    if (it != m_entries.end() && it->second.probabilities) return;  // results are kept
    journal_entry e;
    e.hash = hash;
    e.tag = str("tag");
    m_entries[hash] = std::move(e);
  } else if (event == "submitted") {
    auto& e = m_entries[hash];
    if (e.probabilities) return;
    e.hash = hash;
    e.tag = str("tag");
    e.job_id = str("job_id");
  } else if (event == "results") {
    auto& e = m_entries[hash];
    e.hash = hash;
    if (e.job_id.empty()) e.job_id = str("job_id");
    if (r.contains("probabilities") && r["probabilities"].is_array())
      e.probabilities = r["probabilities"];
  } else if (event == "failed") {
    if (it != m_entries.end() && !it->second.probabilities) m_entries.erase(it);
  } else if (event == "cost") {
    // Informative only: a cost never creates an entry nor changes what is resumed.
    if (it != m_entries.end() && r.contains("cost") && r["cost"].is_number()) {
      it->second.cost = r["cost"].get<double>();
      it->second.cost_unit = str("unit");
    }
  } else {
    ++m_skipped;
  }
}

void job_journal::append(const nlohmann::ordered_json& record) {
  const std::string line = record.dump() + "\n";
  {
    file_lock lock(m_fd);
    // One write(2) on an O_APPEND descriptor: the line lands whole at the end of the file.
    write_all(m_fd, line, m_path.string());
    if (::fsync(m_fd) != 0)
      throw data_error("ionq::job_journal", sys_error("fsync failed"), m_path.string());
  }
  apply(nlohmann::json(record));
}

std::optional<journal_entry> job_journal::find(std::string_view hash) const {
  const auto it = m_entries.find(hash);
  if (it == m_entries.end()) return std::nullopt;
  return it->second;
}

void job_journal::record_intent(std::string_view hash, std::string_view tag,
                                const journal_summary& s) {
  nlohmann::ordered_json r;
  r["v"] = 1;
  r["event"] = "intent";
  r["hash"] = hash;
  r["tag"] = tag;
  r["backend"] = s.backend;
  r["circuits"] = s.circuits;
  r["shots"] = s.shots;
  if (s.estimated_cost) {
    r["estimated_cost"] = *s.estimated_cost;
    r["cost_unit"] = s.cost_unit;
  }
  r["time_ms"] = unix_millis();
  append(r);
}

void job_journal::record_submitted(std::string_view hash, std::string_view tag,
                                   std::string_view job_id, const journal_summary& s) {
  nlohmann::ordered_json r;
  r["v"] = 1;
  r["event"] = "submitted";
  r["hash"] = hash;
  r["tag"] = tag;
  r["job_id"] = job_id;
  r["backend"] = s.backend;
  r["circuits"] = s.circuits;
  r["shots"] = s.shots;
  if (s.estimated_cost) {
    r["estimated_cost"] = *s.estimated_cost;
    r["cost_unit"] = s.cost_unit;
  }
  r["time_ms"] = unix_millis();
  append(r);
}

void job_journal::record_results(std::string_view hash, std::string_view job_id,
                                 const nlohmann::json& probabilities) {
  nlohmann::ordered_json r;
  r["v"] = 1;
  r["event"] = "results";
  r["hash"] = hash;
  r["job_id"] = job_id;
  r["probabilities"] = probabilities;
  r["time_ms"] = unix_millis();
  append(r);
}

void job_journal::record_failed(std::string_view hash, std::string_view job_id,
                                std::string_view status, std::string_view message) {
  nlohmann::ordered_json r;
  r["v"] = 1;
  r["event"] = "failed";
  r["hash"] = hash;
  r["job_id"] = job_id;
  r["status"] = status;
  r["message"] = message;
  r["time_ms"] = unix_millis();
  append(r);
}

void job_journal::record_cost(std::string_view hash, std::string_view job_id,
                              std::optional<double> actual, std::optional<double> estimated,
                              std::string_view unit) {
  nlohmann::ordered_json r;
  r["v"] = 1;
  r["event"] = "cost";
  r["hash"] = hash;
  r["job_id"] = job_id;
  r["cost"] = actual ? nlohmann::ordered_json(*actual) : nlohmann::ordered_json();
  r["estimated"] = estimated ? nlohmann::ordered_json(*estimated) : nlohmann::ordered_json();
  r["unit"] = unit;
  r["time_ms"] = unix_millis();
  append(r);
}

}  // namespace ionq
}  // namespace papillon
