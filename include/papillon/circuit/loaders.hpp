#pragma once

/// @file
/// Unary data loaders (docs/method.md 2.4): circuits that prepare |x> = sum_i x_i e_i from
/// |0...0> for a real vector x, with one X gate and n-1 constant-angle RBS gates. The vector
/// need not be normalised (angles depend only on ratios); signs and zero entries are handled.
///
/// All three loaders use one rule. A gate RBS(theta) on (a, b) receives the amplitude of a
/// block of entries on qubit a and splits it into a left block L kept on the a-side and a right
/// block R sent to qubit b: e_a -> cos(theta) e_a + sin(theta) e_b. Write v(B) for the signed
/// entry when block B is a single entry and for its Euclidean norm otherwise. Then
///     theta = atan2(v(R), v(L)),
/// so that the two blocks receive exactly v(L) and v(R) (|v(L)|^2 + |v(R)|^2 is the block's
/// squared norm). Blocks of several entries always carry a non-negative norm, so a sign is
/// applied exactly once, at the gate that splits off a single entry. Empty (all-zero) blocks give
/// theta = 0 or pi and are never split further with a non-zero amplitude.
///
/// - parallel: X on qubit 0; binary tree over [lo, hi) with mid = lo + (hi-lo)/2, RBS on
///   (lo, mid), level by level from the root (breadth-first, left to right). For n = 2^m this
///   is exactly docs/method.md's tree (depth m); other n give depth ceil(log2 n).
/// - diagonal: X on qubit 0; RBS on (i, i+1) for i = 0..n-2; gate i keeps entry i and sends
///   block [i+1, n) on. theta_i = atan2(||x[i+1:]||, x_i), last theta = atan2(x_{n-1}, x_{n-2}).
/// - semi_diagonal: X on h = ceil(n/2) - 1; RBS on (h, h+1) splits [0, h] | [h+1, n); then step
///   j = 1, 2, ... applies, in parallel, RBS(h-j+1, h-j) (keeps x_{h-j+1}, sends [0, h-j]
///   down) while h-j >= 0, and RBS(h+j, h+j+1) (keeps x_{h+j}, sends [h+j+1, n) up) while
///   h+j+1 < n. Closed form of the angles:
///     theta_0      = atan2(v([h+1, n)), v([0, h+1)))
///     left step j  = atan2(v([0, h-j+1)), x_{h-j+1})
///     right step j = atan2(v([h+j+1, n)), x_{h+j})
///   Depth 1 + max(h, n-2-h) = ceil(n/2).

#include <papillon/circuit/circuit.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/error.hpp>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

namespace papillon {

/// The loader layouts.
enum class loader_kind {
  parallel,       ///< depth ceil(log2 n), all-to-all
  diagonal,       ///< depth n-1, nearest neighbour
  semi_diagonal,  ///< depth about n/2, nearest neighbour
};

/// The names of the loader kinds ("semi_diagonal" is accepted for "semi-diagonal").
inline constexpr enum_table<loader_kind, 3> loader_names{
    "loader",
    {{{loader_kind::parallel, "parallel"},
      {loader_kind::diagonal, "diagonal"},
      {loader_kind::semi_diagonal, "semi-diagonal", {"semi_diagonal"}}}}};
constexpr const auto& enum_names_of(loader_kind) noexcept { return loader_names; }

/// The circuit name of a loader kind: "parallel", "diagonal", "semi-diagonal".
constexpr std::string_view loader_name(loader_kind k) noexcept { return loader_names.name_of(k); }

/// Looks a loader up by name ("parallel", "diagonal", "semi-diagonal"; "semi_diagonal" also).
/// @throws data_error for an unknown name.
loader_kind loader_from_name(std::string_view name);

/// One constant-angle RBS gate of a loader.
struct loader_gate {
  index_t a = 0;       ///< first target (keeps the left block)
  index_t b = 0;       ///< second target (receives the right block)
  double theta = 0.0;  ///< radians
  bool operator==(const loader_gate&) const = default;
};

/// Options of unary_loader().
struct loader_options {
  /// Qubits of the returned circuit; 0 means x.size(). More qubits than entries leave the extra
  /// qubits untouched (room for an ancilla).
  index_t num_qubits = 0;
};

/// The qubit the loader's X gate sets.
/// @throws dimension_error if n < 2.
index_t loader_start_qubit(loader_kind kind, index_t n);

/// The n-1 RBS gates of a loader for x, in circuit order.
/// @throws dimension_error if x has fewer than 2 entries (a loader of one entry cannot carry a
///         sign) or more than max_circuit_qubits; data_error if an entry is NaN or infinite or x
///         is the zero vector.
std::vector<loader_gate> loader_gates(loader_kind kind, std::span<const double> x);

/// The loader circuit: X on the start qubit, then the RBS gates with constant angles. It
/// prepares x / ||x||.
/// @throws as loader_gates, and dimension_error if options.num_qubits is non-zero and below
///         x.size().
circuit unary_loader(loader_kind kind, std::span<const double> x,
                     const loader_options& options = {});

/// unary_loader(loader_kind::parallel, x, options).
circuit parallel_loader(std::span<const double> x, const loader_options& options = {});
/// unary_loader(loader_kind::diagonal, x, options).
circuit diagonal_loader(std::span<const double> x, const loader_options& options = {});
/// unary_loader(loader_kind::semi_diagonal, x, options).
circuit semi_diagonal_loader(std::span<const double> x, const loader_options& options = {});

// ---- Definitions -------------------------------------------------------------------------------

namespace detail {

/// x scaled by 1 / max|x_i| after checking it (avoids overflow in the norms of huge entries).
inline std::vector<double> checked_loader_input(std::span<const double> x, std::string_view where) {
  if (x.size() < 2)
    throw dimension_error(where, "a loader needs at least 2 entries",
                          "got " + std::to_string(x.size()));
  if (x.size() > max_circuit_qubits)
    throw dimension_error(where, "vector longer than the circuit qubit limit",
                          std::to_string(x.size()) + " > " + std::to_string(max_circuit_qubits));
  double m = 0;
  for (index_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]))
      throw data_error(where, "vector entry is not finite", "entry " + std::to_string(i));
    m = std::max(m, std::abs(x[i]));
  }
  if (m == 0) throw data_error(where, "cannot load the zero vector", "all entries are 0");
  std::vector<double> out(x.begin(), x.end());
  for (double& v : out) v /= m;
  return out;
}

/// Signed value of a block [lo, hi): the entry itself when it has one entry, else its norm.
/// `sq` holds prefix sums of squares: sq[i] = sum_{k<i} x_k^2.
inline double block_value(const std::vector<double>& x, const std::vector<double>& sq, index_t lo,
                          index_t hi) {
  if (hi - lo == 1) return x[lo];
  // Prefix-sum differences can dip below 0 by rounding.
  return std::sqrt(std::max(0.0, sq[hi] - sq[lo]));
}

}  // namespace detail

inline loader_kind loader_from_name(std::string_view name) {
  return loader_names.parse(name, "loader_from_name");
}

inline index_t loader_start_qubit(loader_kind kind, index_t n) {
  if (n < 2)
    throw dimension_error("loader_start_qubit", "a loader needs at least 2 qubits",
                          "n = " + std::to_string(n));
  return kind == loader_kind::semi_diagonal ? (n + 1) / 2 - 1 : 0;
}

inline std::vector<loader_gate> loader_gates(loader_kind kind, std::span<const double> x_in) {
  const std::vector<double> x = detail::checked_loader_input(x_in, "loader_gates");
  const index_t n = x.size();
  std::vector<double> sq(n + 1, 0.0);
  for (index_t i = 0; i < n; ++i) sq[i + 1] = sq[i] + x[i] * x[i];
  const auto v = [&](index_t lo, index_t hi) { return detail::block_value(x, sq, lo, hi); };
  // Split [lo, hi) into [lo, mid) kept on qubit a and [mid, hi) sent to qubit b.
  const auto split = [&](index_t a, index_t b, index_t lo, index_t mid, index_t hi) {
    return loader_gate{a, b, std::atan2(v(mid, hi), v(lo, mid))};
  };
  std::vector<loader_gate> gates;
  gates.reserve(n - 1);
  switch (kind) {
    case loader_kind::parallel: {
      // Breadth-first over the blocks; a block of one entry is a leaf.
      std::vector<std::pair<index_t, index_t>> level{{0, n}};
      while (!level.empty()) {
        std::vector<std::pair<index_t, index_t>> next;
        for (const auto& [lo, hi] : level) {
          if (hi - lo < 2) continue;
          const index_t mid = lo + (hi - lo) / 2;
          gates.push_back(split(lo, mid, lo, mid, hi));
          next.emplace_back(lo, mid);
          next.emplace_back(mid, hi);
        }
        level = std::move(next);
      }
      break;
    }
    case loader_kind::diagonal:
      for (index_t i = 0; i + 1 < n; ++i) gates.push_back(split(i, i + 1, i, i + 1, n));
      break;
    case loader_kind::semi_diagonal: {
      const index_t h = loader_start_qubit(kind, n);
      gates.push_back(split(h, h + 1, 0, h + 1, n));
      for (index_t j = 1; j <= h || h + j + 1 < n; ++j) {
        if (j <= h) {
          // Keeps x_{h-j+1} on qubit h-j+1 and sends [0, h-j] down: the kept block is on the
          // a-side, so the angle is atan2(v(sent), x_kept).
          const index_t a = h - j + 1;
          gates.push_back(loader_gate{a, a - 1, std::atan2(v(0, a), x[a])});
        }
        if (h + j + 1 < n) gates.push_back(split(h + j, h + j + 1, h + j, h + j + 1, n));
      }
      break;
    }
  }
  return gates;
}

inline circuit unary_loader(loader_kind kind, std::span<const double> x,
                            const loader_options& options) {
  const index_t n = options.num_qubits == 0 ? x.size() : options.num_qubits;
  if (n < x.size())
    throw dimension_error("unary_loader", "fewer qubits than vector entries",
                          std::to_string(n) + " qubits, " + std::to_string(x.size()) + " entries");
  const auto gates = loader_gates(kind, x);
  circuit c(n);
  c.x(loader_start_qubit(kind, x.size()));
  for (const auto& g : gates) c.rbs(g.a, g.b, g.theta);
  return c;
}

inline circuit parallel_loader(std::span<const double> x, const loader_options& options) {
  return unary_loader(loader_kind::parallel, x, options);
}
inline circuit diagonal_loader(std::span<const double> x, const loader_options& options) {
  return unary_loader(loader_kind::diagonal, x, options);
}
inline circuit semi_diagonal_loader(std::span<const double> x, const loader_options& options) {
  return unary_loader(loader_kind::semi_diagonal, x, options);
}

}  // namespace papillon
