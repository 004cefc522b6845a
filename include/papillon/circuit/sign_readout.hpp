#pragma once

/// @file
/// Circuits for reading signed unary outputs: the ancilla reference-state circuit (its outcomes
/// are decoded by signed_amplitudes() in papillon/readout/unary_readout.hpp) and the
/// neighbour-pair sign-fix circuits (decoded by neighbour_signed_amplitudes()).
///
/// Basis states are little-endian (bit i = qubit i): e_j is 2^j and "ancilla 1, data e_j" is
/// 2^n + 2^j.

#include <papillon/circuit/circuit.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/error.hpp>

#include <algorithm>
#include <numbers>
#include <span>
#include <string>

namespace papillon {

/// Options of sign_readout_circuit().
struct sign_readout_options {
  loader_kind loader = loader_kind::parallel;     ///< loader of the input x
  loader_kind reference = loader_kind::parallel;  ///< loader of the uniform reference u
};

/// The ancilla reference-state circuit on n + 1 qubits (ancilla = qubit n) for input x and
/// unary layer `layer` (on n = x.size() qubits, possibly parameterised; the result reads the
/// same parameter vector):
/// H(anc); CNOT(anc -> start of x-loader); x-loader RBS gates; layer; inverse u-loader RBS gates;
/// X(anc); CNOT(anc -> start of u-loader); u-loader RBS gates; H(anc).
/// @throws dimension_error if layer.num_qubits() != x.size(); circuit_error if the layer holds a
///         gate other than rbs, fbs, z, cz, swap (it must fix |0...0> and preserve weight);
///         loader errors for x.
circuit sign_readout_circuit(std::span<const double> x, const circuit& layer,
                             const sign_readout_options& options = {});

/// The neighbour-pair sign-fix circuit (method.md 2.5, option 2): `base` (a unary circuit that
/// prepares y, e.g. loader + layer) followed by RBS(pi/4) on (i, i+1) for every i of the given
/// parity (0: pairs (0,1), (2,3), ...; 1: pairs (1,2), (3,4), ...). Measuring it gives
/// p'_{i+1} = (y_i + y_{i+1})^2 / 2 for the rotated pairs.
/// @throws dimension_error if parity is not 0 or 1.
circuit neighbour_sign_circuit(const circuit& base, index_t parity);

// ---- Definitions -------------------------------------------------------------------------------

inline circuit sign_readout_circuit(std::span<const double> x, const circuit& layer,
                                    const sign_readout_options& options) {
  const index_t n = x.size();
  if (layer.num_qubits() != n)
    throw dimension_error(
        "sign_readout_circuit", "layer and vector sizes differ",
        std::to_string(layer.num_qubits()) + " qubits, " + std::to_string(n) + " entries");
  for (index_t i = 0; i < layer.size(); ++i) {
    const gate_kind k = layer[i].kind;
    if (k != gate_kind::rbs && k != gate_kind::fbs && k != gate_kind::z && k != gate_kind::cz &&
        k != gate_kind::swap)
      throw circuit_error("sign_readout_circuit",
                          "layer gate must be rbs, fbs, z, cz or swap (fix |0...0>, keep weight)",
                          "operation " + std::to_string(i) + ": " + std::string(gate_name(k)));
  }
  const std::vector<double> uniform(n, 1.0);
  const auto x_gates = loader_gates(options.loader, x);
  const auto u_gates = loader_gates(options.reference, uniform);
  const index_t anc = n;

  circuit c(n + 1);
  c.h(anc);
  c.cnot(anc, loader_start_qubit(options.loader, n));
  for (const auto& g : x_gates) c.rbs(g.a, g.b, g.theta);
  c.append(layer);
  for (auto it = u_gates.rbegin(); it != u_gates.rend(); ++it) c.rbs(it->a, it->b, -it->theta);
  c.x(anc);
  c.cnot(anc, loader_start_qubit(options.reference, n));
  for (const auto& g : u_gates) c.rbs(g.a, g.b, g.theta);
  c.h(anc);
  c.set_num_parameters(std::max(c.num_parameters(), layer.num_parameters()));
  return c;
}

inline circuit neighbour_sign_circuit(const circuit& base, index_t parity) {
  if (parity > 1)
    throw dimension_error("neighbour_sign_circuit", "parity must be 0 or 1",
                          "got " + std::to_string(parity));
  circuit c = base;
  for (index_t i = parity; i + 1 < base.num_qubits(); i += 2) c.rbs(i, i + 1, std::numbers::pi / 4);
  return c;
}

}  // namespace papillon
