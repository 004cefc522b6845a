// Batches over ranks: blocks or rank 0 alone, results exchanged as bytes, errors shared so no
// rank waits for a failed one.

#include <papillon/mpi/distributed_backend.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace papillon::mpi {

namespace {

constexpr std::string_view where = "mpi::distributed_backend";

// A tiny binary writer and reader: the results cross ranks of one job built from one binary, so
// host byte order and no versioning are enough.
void put(std::string& out, std::uint64_t v) {
  char b[sizeof v];
  std::memcpy(b, &v, sizeof v);
  out.append(b, sizeof v);
}
void put(std::string& out, double v) {
  char b[sizeof v];
  std::memcpy(b, &v, sizeof v);
  out.append(b, sizeof v);
}
void put(std::string& out, const basis_key& k) {
  if (k.fits_in_mask()) {
    put(out, std::uint64_t{0});
    put(out, static_cast<std::uint64_t>(k.mask()));
    return;
  }
  const auto q = k.qubits();
  put(out, static_cast<std::uint64_t>(q.size()));
  for (const auto i : q) put(out, static_cast<std::uint64_t>(i));
}

class reader {
 public:
  explicit reader(const std::string& s) : m_s(s) {}
  std::uint64_t u64() {
    std::uint64_t v = 0;
    take(&v, sizeof v);
    return v;
  }
  double f64() {
    double v = 0;
    take(&v, sizeof v);
    return v;
  }
  basis_key key() {
    const auto n = u64();
    if (n == 0) return basis_key(static_cast<basis_state>(u64()));
    if (n > (m_s.size() - m_at) / sizeof(std::uint64_t)) fail();
    basis_key::qubit_list q(n);
    for (auto& i : q) i = static_cast<index_t>(u64());
    return basis_key::from_qubits(q);
  }
  [[nodiscard]] bool done() const noexcept { return m_at == m_s.size(); }

 private:
  void take(void* v, std::size_t n) {
    if (m_s.size() - m_at < n) fail();
    std::memcpy(v, m_s.data() + m_at, n);
    m_at += n;
  }
  [[noreturn]] static void fail() {
    throw communication_error(where, "a rank sent a truncated result message");
  }
  const std::string& m_s;
  std::size_t m_at = 0;
};

// The message of one rank: a status byte ('r' results, 'e' error), the task count it was
// called with, then the results or the error text.
std::string message(char status, std::size_t tasks, const std::string& body) {
  std::string m(1, status);
  put(m, static_cast<std::uint64_t>(tasks));
  m += body;
  return m;
}

std::string info_to_json(const backend_info& i) {
  return nlohmann::json{{"name", i.name},         {"max_qubits", i.max_qubits},
                        {"gatesets", i.gatesets}, {"exact", i.exact},
                        {"sampled", i.sampled},   {"noise_models", i.noise_models}}
      .dump();
}

backend_info info_from_json(const std::string& s) {
  const auto j = nlohmann::json::parse(s);
  backend_info i;
  i.name = j.at("name").get<std::string>();
  i.max_qubits = j.at("max_qubits").get<index_t>();
  i.gatesets = j.at("gatesets").get<std::vector<std::string>>();
  i.exact = j.at("exact").get<bool>();
  i.sampled = j.at("sampled").get<bool>();
  i.noise_models = j.at("noise_models").get<std::vector<std::string>>();
  return i;
}

}  // namespace

std::string encode_results(std::span<const run_result> results) {
  std::string out;
  put(out, static_cast<std::uint64_t>(results.size()));
  for (const auto& r : results) {
    put(out, static_cast<std::uint64_t>(r.qubits));
    put(out, r.shots);
    put(out, static_cast<std::uint64_t>(r.probabilities.size()));
    for (const auto& [k, p] : r.probabilities) {
      put(out, k);
      put(out, p);
    }
    put(out, static_cast<std::uint64_t>(r.counts.size()));
    for (const auto& [k, c] : r.counts) {
      put(out, k);
      put(out, c);
    }
  }
  return out;
}

std::vector<run_result> decode_results(const std::string& bytes) {
  reader in(bytes);
  const auto n = in.u64();
  // Every result takes at least 32 bytes: a count beyond that is a damaged message.
  if (n > bytes.size() / 32)
    throw communication_error(where, "a rank sent a damaged result message");
  std::vector<run_result> out(n);
  for (auto& r : out) {
    r.qubits = static_cast<index_t>(in.u64());
    r.shots = in.u64();
    const auto np = in.u64();
    for (std::uint64_t i = 0; i < np; ++i) {
      auto k = in.key();
      r.probabilities.emplace_hint(r.probabilities.end(), std::move(k), in.f64());
    }
    const auto nc = in.u64();
    for (std::uint64_t i = 0; i < nc; ++i) {
      auto k = in.key();
      r.counts.emplace_hint(r.counts.end(), std::move(k), in.u64());
    }
  }
  if (!in.done())
    throw communication_error(where, "a rank sent a longer result message than expected");
  return out;
}

distributed_backend::block distributed_backend::block_of(std::size_t tasks, int rank,
                                                         int ranks) noexcept {
  const auto r = static_cast<std::size_t>(rank), n = static_cast<std::size_t>(ranks);
  const std::size_t base = tasks / n, extra = tasks % n;
  const std::size_t first = r * base + std::min(r, extra);
  return {first, first + base + (r < extra ? 1 : 0)};
}

distributed_backend::distributed_backend(const communicator& comm, backend* local,
                                         distributed_backend_options options)
    : m_comm(comm), m_local(local), m_options(options) {
  if (m_options.min_tasks_per_rank == 0)
    throw data_error(where, "min_tasks_per_rank must be at least 1", "0");
  // Every rank learns whether every rank has the backend it needs before anyone throws.
  const bool needs = m_options.placement == batch_placement::spread || m_comm.is_root();
  const auto flags = m_comm.allgather(std::string(1, needs && local == nullptr ? 'x' : '.'));
  for (std::size_t r = 0; r < flags.size(); ++r)
    if (flags[r] != ".")
      throw data_error(
          where, "a rank has no backend to run its part of the batches",
          "rank " + std::to_string(r) +
              (m_options.placement == batch_placement::spread ? " (spread)" : " (root_only)"));
  std::string info = m_comm.is_root() ? info_to_json(m_local->info()) : std::string();
  m_comm.broadcast(info, 0);
  m_info = info_from_json(info);
}

std::vector<run_result> distributed_backend::do_run_batch(std::span<const run_task> tasks,
                                                          const run_options& opt) {
  using clock = std::chrono::steady_clock;
  const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  ++m_stats.batches;
  const auto ranks = static_cast<std::size_t>(m_comm.size());
  const bool spread = m_options.placement == batch_placement::spread;
  if (ranks == 1 || (spread && tasks.size() < m_options.min_tasks_per_rank * ranks)) {
    const auto t0 = clock::now();
    auto out = m_local->run_batch(tasks, opt);
    m_stats.run_seconds += seconds(t0, clock::now());
    m_stats.tasks_run_here += tasks.size();
    return out;
  }
  ++m_stats.exchanged;

  // This rank's share, run with its own exception kept aside.
  block mine{0, 0};
  if (spread)
    mine = block_of(tasks.size(), m_comm.rank(), m_comm.size());
  else if (m_comm.is_root())
    mine = {0, tasks.size()};
  std::exception_ptr failure;
  std::string body;
  const auto t0 = clock::now();
  if (mine.last > mine.first) {
    try {
      run_options part = opt;
      part.first_task = opt.first_task + mine.first;
      const auto r = m_local->run_batch(tasks.subspan(mine.first, mine.last - mine.first), part);
      body = encode_results(r);
    } catch (const std::exception& e) {
      failure = std::current_exception();
      body = e.what();
    } catch (...) {
      failure = std::current_exception();
      body = "an exception that is not a std::exception";
    }
  } else {
    body = encode_results({});
  }
  const auto t1 = clock::now();
  m_stats.run_seconds += seconds(t0, t1);
  m_stats.tasks_run_here += mine.last - mine.first;

  const std::string own = message(failure ? 'e' : 'r', tasks.size(), body);
  std::vector<std::string> parts;
  if (spread) {
    parts = m_comm.allgather(own);
    m_stats.bytes_sent += own.size();
  } else {
    std::string root = m_comm.is_root() ? own : std::string();
    m_comm.broadcast(root, 0);
    if (m_comm.is_root()) m_stats.bytes_sent += own.size() * (ranks - 1);
    parts.push_back(std::move(root));
  }
  m_stats.exchange_seconds += seconds(t1, clock::now());
  for (const auto& p : parts) m_stats.bytes_received += p.size();

  // Errors first (the failing rank rethrows its own), then agreement on the batch.
  for (std::size_t r = 0; r < parts.size(); ++r) {
    if (parts[r].empty() || parts[r][0] != 'e') continue;
    if (failure) std::rethrow_exception(failure);
    throw backend_error(where, "rank " + std::to_string(r) + " failed to run its part of the batch",
                        parts[r].substr(1 + sizeof(std::uint64_t)));
  }
  std::vector<run_result> out;
  out.reserve(tasks.size());
  for (const auto& p : parts) {
    if (p.empty() || p[0] != 'r')
      throw communication_error(where, "a rank sent an unknown message");
    std::uint64_t n = 0;
    std::memcpy(&n, p.data() + 1, std::min(p.size() - 1, sizeof n));
    if (p.size() < 1 + sizeof n || n != tasks.size())
      throw communication_error(
          where, "ranks disagree on the batch",
          std::to_string(n) + " and " + std::to_string(tasks.size()) + " tasks");
    auto r = decode_results(p.substr(1 + sizeof n));
    for (auto& x : r) out.push_back(std::move(x));
  }
  if (out.size() != tasks.size())
    throw communication_error(where, "the ranks' results do not cover the batch",
                              std::to_string(out.size()) + " of " + std::to_string(tasks.size()));
  return out;
}

}  // namespace papillon::mpi
