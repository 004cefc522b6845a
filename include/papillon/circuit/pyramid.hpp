#pragma once

/// @file
/// The Pyramid layout (docs/method.md 2.3.3): n(n-1)/2 nearest-neighbour RBS gates in 2n-3
/// layers, the quadratic-size baseline the Butterfly is compared with.
///
/// Layout. Layer t (t = 0..2n-4) holds the pairs (i, i+1) with i = t mod 2, i <= t and
/// i <= 2n-4-t, in increasing i. So pair (i, i+1) is used n-1-i times, at layers i, i+2, ...,
/// 2n-4-i: the pyramid's apex is the single gate on (n-2, n-1) at layer n-2. Parameters are
/// numbered in gate order from first_param.

#include <papillon/circuit/layered_circuit.hpp>
#include <papillon/error.hpp>

#include <string>
#include <vector>

namespace papillon {

/// Parameters (gates) of a Pyramid on n qubits: n(n-1)/2.
constexpr index_t pyramid_num_parameters(index_t n) noexcept { return n * (n - 1) / 2; }

/// The Pyramid on n >= 2 qubits with its layer metadata.
/// @throws circuit_error if n < 2 or n exceeds max_circuit_qubits.
/// @note O(n^2) gates.
inline layered_circuit pyramid(index_t n, index_t first_param = 0) {
  if (n < 2 || n > max_circuit_qubits)
    throw circuit_error("pyramid", "qubit count must be in 2..4096", "n = " + std::to_string(n));
  layered_circuit lc{circuit(n), {}};
  index_t next = first_param;
  for (index_t t = 0; t + 4 <= 2 * n; ++t) {  // t = 0 .. 2n-4
    std::vector<qubit_pair> pairs;
    for (index_t i = t % 2; i <= t && i + t <= 2 * n - 4; i += 2) pairs.emplace_back(i, i + 1);
    detail::append_rotation_layer(lc, gate_kind::rbs, pairs, next);
  }
  return lc;
}

}  // namespace papillon
