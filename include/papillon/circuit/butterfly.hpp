#pragma once

/// @file
/// The Butterfly layer (docs/method.md 2.3.1, docs/interfaces.md section 1): on n = 2^m qubits, m
/// layers of n/2 RBS gates on disjoint pairs, (n/2) log2 n parameters, depth log2 n.
///
/// Layer with stride s = 2^l pairs qubit i with i + s for every i whose bit l is 0, gates in
/// increasing i. Order coupling_last runs strides 1, 2, ..., n/2 (the group's recursive
/// construction: two half-size Butterflies, then the coupling layer); coupling_first runs
/// n/2, ..., 1. Parameter k is the k-th gate in that order, offset by first_param. The two
/// orders give the same family of orthogonal matrices: relabelling qubits by bit reversal maps
/// one onto the other with the angles permuted.
///
/// Widths that are not powers of two are not built: use the padding rule of docs/method.md 2.3.2
/// (butterfly_width, pad_front, keep_last).

#include <papillon/circuit/layered_circuit.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/error.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace papillon {

/// Order of the Butterfly layers.
enum class butterfly_order {
  coupling_last,   ///< strides 1, 2, ..., n/2 (default; the trained coupling layer is last)
  coupling_first,  ///< strides n/2, ..., 2, 1
};

/// The names of the layer orders, as model files and the command line spell them.
inline constexpr enum_table<butterfly_order, 2> butterfly_order_names{
    "Butterfly order",
    {{{butterfly_order::coupling_last, "coupling-last"},
      {butterfly_order::coupling_first, "coupling-first"}}}};
constexpr const auto& enum_names_of(butterfly_order) noexcept { return butterfly_order_names; }

/// Options of butterfly().
struct butterfly_options {
  butterfly_order order = butterfly_order::coupling_last;
  index_t first_param = 0;          ///< index of the first gate's parameter
  gate_kind gate = gate_kind::rbs;  ///< rbs or fbs
};

/// Whether n is a power of two (n >= 1).
constexpr bool is_power_of_two(index_t n) noexcept { return n != 0 && (n & (n - 1)) == 0; }

/// The number of layers of a Butterfly on n = 2^m qubits: m.
/// @throws circuit_error if n is not a power of two >= 2.
index_t butterfly_depth(index_t n);

/// The number of parameters of a Butterfly on n = 2^m qubits: (n/2) log2 n.
/// @throws circuit_error if n is not a power of two >= 2.
index_t butterfly_num_parameters(index_t n);

/// The strides of the layers in circuit order.
/// @throws circuit_error if n is not a power of two >= 2.
std::vector<index_t> butterfly_strides(index_t n, butterfly_order order = {});

/// The pairs of the stride-s layer: (i, i + s) for each i with (i / s) even, increasing i.
std::vector<qubit_pair> butterfly_layer_pairs(index_t n, index_t stride);

/// The parameterised Butterfly on n qubits with its layer metadata.
/// @throws circuit_error if n is not a power of two >= 2 (the message names the padding rule),
///         or the gate is neither rbs nor fbs.
/// @note O(n log n).
layered_circuit butterfly(index_t n, const butterfly_options& options = {});

/// Circuit width for a linear map from n_in to n_out features (docs/method.md 2.3.2): the next
/// power of two >= max(n_in, n_out, 2).
/// @throws dimension_error if the width would exceed max_circuit_qubits.
index_t butterfly_width(index_t n_in, index_t n_out = 0);

/// Zero-pads x at the front to `width` entries (docs/method.md 2.3.2).
/// @throws dimension_error if x is longer than width.
std::vector<double> pad_front(std::span<const double> x, index_t width);

/// The last n_out entries of y (docs/method.md 2.3.2).
/// @throws dimension_error if n_out exceeds y's length.
std::vector<double> keep_last(std::span<const double> y, index_t n_out);

// ---- Definitions -------------------------------------------------------------------------------

namespace detail {
inline void check_butterfly_width(index_t n, std::string_view where) {
  if (n < 2 || !is_power_of_two(n)) {
    std::string ctx = "n = " + std::to_string(n);
    if (n >= 2 && n <= max_circuit_qubits)
      ctx += "; padding rule (docs/method.md 2.3.2): build butterfly(" +
             std::to_string(std::bit_ceil(n)) +
             ") and zero-pad the input at the front (pad_front), keep the last outputs "
             "(keep_last)";
    throw circuit_error(where, "Butterfly width must be a power of two >= 2", ctx);
  }
}
}  // namespace detail

inline index_t butterfly_depth(index_t n) {
  detail::check_butterfly_width(n, "butterfly_depth");
  return static_cast<index_t>(std::countr_zero(n));
}

inline index_t butterfly_num_parameters(index_t n) {
  detail::check_butterfly_width(n, "butterfly_num_parameters");
  return n / 2 * static_cast<index_t>(std::countr_zero(n));
}

inline std::vector<index_t> butterfly_strides(index_t n, butterfly_order order) {
  detail::check_butterfly_width(n, "butterfly_strides");
  std::vector<index_t> s;
  for (index_t stride = 1; stride < n; stride *= 2) s.push_back(stride);
  if (order == butterfly_order::coupling_first) std::reverse(s.begin(), s.end());
  return s;
}

inline std::vector<qubit_pair> butterfly_layer_pairs(index_t n, index_t stride) {
  std::vector<qubit_pair> pairs;
  for (index_t i = 0; i + stride < n; ++i)
    if ((i / stride) % 2 == 0) pairs.emplace_back(i, i + stride);
  return pairs;
}

inline layered_circuit butterfly(index_t n, const butterfly_options& options) {
  detail::check_butterfly_width(n, "butterfly");
  if (options.gate != gate_kind::rbs && options.gate != gate_kind::fbs)
    throw circuit_error("butterfly", "gate must be rbs or fbs",
                        "got " + std::string(gate_name(options.gate)));
  layered_circuit lc{circuit(n), {}};
  index_t next = options.first_param;
  for (index_t stride : butterfly_strides(n, options.order))
    detail::append_rotation_layer(lc, options.gate, butterfly_layer_pairs(n, stride), next);
  return lc;
}

inline index_t butterfly_width(index_t n_in, index_t n_out) {
  const index_t m = std::max<index_t>({n_in, n_out, 2});
  if (m > max_circuit_qubits)
    throw dimension_error("butterfly_width", "width exceeds the circuit qubit limit",
                          std::to_string(m) + " > " + std::to_string(max_circuit_qubits));
  return std::bit_ceil(m);
}

inline std::vector<double> pad_front(std::span<const double> x, index_t width) {
  if (x.size() > width)
    throw dimension_error("pad_front", "vector longer than the padded width",
                          std::to_string(x.size()) + " > " + std::to_string(width));
  std::vector<double> out(width - x.size(), 0.0);
  out.insert(out.end(), x.begin(), x.end());
  return out;
}

inline std::vector<double> keep_last(std::span<const double> y, index_t n_out) {
  if (n_out > y.size())
    throw dimension_error("keep_last", "more outputs requested than available",
                          std::to_string(n_out) + " > " + std::to_string(y.size()));
  return {y.end() - static_cast<std::ptrdiff_t>(n_out), y.end()};
}

}  // namespace papillon
