// Chunks round-robin over ranks, results gathered to every rank in chunk order.

#include <papillon/mpi/chunk_executor.hpp>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

namespace papillon::mpi {

std::vector<std::vector<double>> chunk_executor::run(index_t num_chunks,
                                                     const chunk_function& compute) {
  constexpr std::string_view where = "mpi::chunk_executor";
  using clock = std::chrono::steady_clock;
  const auto rank = static_cast<index_t>(m_comm.rank());
  const auto size = static_cast<index_t>(m_comm.size());

  // This rank's chunks (rank, rank + size, ...), their results back to back, then the chunk
  // count and the result length so every rank can check that all agree.
  const auto t0 = clock::now();
  std::vector<double> mine;
  index_t length = 0;
  index_t computed = 0;
  for (index_t c = rank; c < num_chunks; c += size) {
    const auto r = compute(c);
    if (computed > 0 && r.size() != length)
      throw communication_error(where, "chunk results of different lengths",
                                std::to_string(length) + " and " + std::to_string(r.size()));
    length = r.size();
    mine.insert(mine.end(), r.begin(), r.end());
    ++computed;
  }
  mine.push_back(static_cast<double>(num_chunks));
  mine.push_back(static_cast<double>(length));
  const auto t1 = clock::now();
  const auto all = m_comm.allgather(mine);
  const auto t2 = clock::now();

  // Every rank with chunks must report the same length; ranks without chunks report 0.
  index_t common = 0;
  for (const auto& part : all) {
    const auto n = static_cast<index_t>(part.at(part.size() - 2));
    const auto len = static_cast<index_t>(part.back());
    if (n != num_chunks)
      throw communication_error(where, "ranks disagree on the number of chunks",
                                std::to_string(n) + " and " + std::to_string(num_chunks));
    if (len != 0) {
      if (common != 0 && len != common)
        throw communication_error(where, "ranks disagree on the chunk result length",
                                  std::to_string(common) + " and " + std::to_string(len));
      common = len;
    }
  }
  std::vector<std::vector<double>> out(num_chunks);
  for (index_t c = 0; c < num_chunks; ++c) {
    const auto& part = all[c % size];
    const auto at = static_cast<std::ptrdiff_t>((c / size) * common);
    out[c].assign(part.begin() + at, part.begin() + at + static_cast<std::ptrdiff_t>(common));
  }

  ++m_stats.exchanges;
  m_stats.chunks_computed += computed;
  m_stats.compute_seconds += std::chrono::duration<double>(t1 - t0).count();
  m_stats.exchange_seconds += std::chrono::duration<double>(t2 - t1).count();
  m_stats.bytes_sent += mine.size() * sizeof(double);
  for (const auto& part : all) m_stats.bytes_received += part.size() * sizeof(double);
  return out;
}

std::vector<std::string> chunk_executor::run_text(index_t num_items, const text_function& compute) {
  constexpr std::string_view where = "mpi::chunk_executor";
  using clock = std::chrono::steady_clock;
  const auto rank = static_cast<index_t>(m_comm.rank());
  const auto size = static_cast<index_t>(m_comm.size());
  // This rank's texts, each after its length (8 bytes, host order: one binary, one job), then
  // the item count so every rank can check that all agree.
  const auto put = [](std::string& out, std::uint64_t v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
  };
  const auto t0 = clock::now();
  std::string mine;
  index_t computed = 0;
  for (index_t i = rank; i < num_items; i += size) {
    const auto text = compute(i);
    put(mine, text.size());
    mine += text;
    ++computed;
  }
  put(mine, num_items);
  const auto t1 = clock::now();
  const auto all = m_comm.allgather(mine);
  const auto t2 = clock::now();

  std::vector<std::string> out(num_items);
  for (index_t r = 0; r < size; ++r) {
    const auto& part = all[r];
    std::uint64_t n = 0;
    if (part.size() < sizeof n)
      throw communication_error(where, "a rank sent a truncated message", std::to_string(r));
    std::memcpy(&n, part.data() + part.size() - sizeof n, sizeof n);
    if (n != num_items)
      throw communication_error(where, "ranks disagree on the number of items",
                                std::to_string(n) + " and " + std::to_string(num_items));
    std::size_t at = 0;
    const std::size_t end = part.size() - sizeof n;
    for (index_t i = r; i < num_items; i += size) {
      std::uint64_t len = 0;
      if (end - at < sizeof len)
        throw communication_error(where, "a rank sent a truncated message", std::to_string(r));
      std::memcpy(&len, part.data() + at, sizeof len);
      at += sizeof len;
      if (end - at < len)
        throw communication_error(where, "a rank sent a truncated message", std::to_string(r));
      out[i] = part.substr(at, len);
      at += len;
    }
  }
  ++m_stats.exchanges;
  m_stats.chunks_computed += computed;
  m_stats.compute_seconds += std::chrono::duration<double>(t1 - t0).count();
  m_stats.exchange_seconds += std::chrono::duration<double>(t2 - t1).count();
  m_stats.bytes_sent += mine.size();
  for (const auto& part : all) m_stats.bytes_received += part.size();
  return out;
}

}  // namespace papillon::mpi
