#pragma once

/// @file
/// The X circuit (docs/method.md 2.3.3): 2n-3 nearest-neighbour RBS gates, two diagonals that
/// cross in one shared centre gate.
///
/// Layout, with c = n/2 - 1 for even n and c = (n-1)/2 for odd n; the centre gate is on
/// (c, c+1):
/// - even n: layer t < c holds (t, t+1) and (n-2-t, n-1-t); layer c holds the centre; layer
///   c+s (s = 1..c) holds (c-s, c-s+1) and (c+s, c+s+1). Depth n-1, as in docs/method.md.
/// - odd n: layer t < c holds (t, t+1) and, for t >= 1, (n-1-t, n-t); layer c holds the centre;
///   layer c+s (s = 1..c) holds (c-s, c-s+1) and, for s <= c-1, (c+s, c+s+1). Depth n: n-1 is
///   impossible for odd n (for n = 3 all three gates share qubit 1).
/// Pairs in a layer are listed in increasing first qubit; parameters in gate order from
/// first_param.

#include <papillon/circuit/layered_circuit.hpp>
#include <papillon/error.hpp>

#include <string>
#include <vector>

namespace papillon {

/// Parameters (gates) of an X circuit on n >= 2 qubits: 2n-3.
constexpr index_t x_circuit_num_parameters(index_t n) noexcept { return 2 * n - 3; }

/// Depth of an X circuit: n-1 for even n, n for odd n.
constexpr index_t x_circuit_depth(index_t n) noexcept { return n % 2 == 0 ? n - 1 : n; }

/// The X circuit on n >= 2 qubits with its layer metadata.
/// @throws circuit_error if n < 2 or n exceeds max_circuit_qubits.
inline layered_circuit x_circuit(index_t n, index_t first_param = 0) {
  if (n < 2 || n > max_circuit_qubits)
    throw circuit_error("x_circuit", "qubit count must be in 2..4096", "n = " + std::to_string(n));
  layered_circuit lc{circuit(n), {}};
  index_t next = first_param;
  const bool even = n % 2 == 0;
  const index_t c = even ? n / 2 - 1 : (n - 1) / 2;
  for (index_t t = 0; t < c; ++t) {
    std::vector<qubit_pair> pairs{{t, t + 1}};
    if (even)
      pairs.emplace_back(n - 2 - t, n - 1 - t);
    else if (t >= 1)
      pairs.emplace_back(n - 1 - t, n - t);
    detail::append_rotation_layer(lc, gate_kind::rbs, pairs, next);
  }
  detail::append_rotation_layer(lc, gate_kind::rbs, {{c, c + 1}}, next);
  for (index_t s = 1; s <= c; ++s) {
    std::vector<qubit_pair> pairs{{c - s, c - s + 1}};
    if (even || s + 1 <= c) pairs.emplace_back(c + s, c + s + 1);
    detail::append_rotation_layer(lc, gate_kind::rbs, pairs, next);
  }
  return lc;
}

}  // namespace papillon
