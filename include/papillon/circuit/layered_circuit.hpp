#pragma once

/// @file
/// A circuit fragment together with its layer structure: for each layer of commuting gates, the
/// qubit pairs it acts on (disjoint within the layer) and the parameter indices it reads. The
/// topology builders (butterfly.hpp, pyramid.hpp, x_circuit.hpp) return this, so layer-wise
/// training and the parallel shift rule can find a layer's parameters without re-deriving the
/// layout.

#include <papillon/circuit/circuit.hpp>
#include <papillon/error.hpp>

#include <string>
#include <utility>
#include <vector>

namespace papillon {

/// An ordered qubit pair (a, b): a is the first target of the gate.
using qubit_pair = std::pair<index_t, index_t>;

/// One layer of a layered circuit: gates on pairwise disjoint qubit pairs, so their generators
/// commute and the layer can be shifted as a whole.
struct circuit_layer {
  std::vector<qubit_pair> pairs;    ///< qubit pairs in gate order
  std::vector<index_t> parameters;  ///< parameter index of each gate (same order as pairs)
  index_t first_operation = 0;      ///< position of the layer's first gate in `body`

  bool operator==(const circuit_layer&) const = default;
};

/// A parameterised circuit fragment and its layers. Gate k of layer l is operation
/// `layers[l].first_operation + k` of `body`.
struct layered_circuit {
  circuit body{1};  ///< a default-constructed value is an empty one-qubit circuit
  std::vector<circuit_layer> layers;

  /// The number of layers (the depth counted in two-qubit gates).
  [[nodiscard]] index_t depth() const noexcept { return layers.size(); }
  /// The length of the parameter vector the body reads.
  [[nodiscard]] index_t num_parameters() const noexcept { return body.num_parameters(); }
  /// The number of gates over all layers.
  [[nodiscard]] index_t num_gates() const noexcept {
    index_t g = 0;
    for (const auto& l : layers) g += l.pairs.size();
    return g;
  }

  bool operator==(const layered_circuit&) const = default;
};

namespace detail {

/// Appends a layer of parameterised two-qubit rotations to `lc`; parameters are numbered from
/// `next_param` in gate order, and `next_param` is advanced.
inline void append_rotation_layer(layered_circuit& lc, gate_kind gate,
                                  const std::vector<qubit_pair>& pairs, index_t& next_param) {
  circuit_layer layer;
  layer.first_operation = lc.body.size();
  layer.pairs = pairs;
  for (const auto& [a, b] : pairs) {
    operation op = make_operation(gate, a, b);
    op.param = parameter_ref{next_param, 1.0};
    lc.body.append(op);
    layer.parameters.push_back(next_param++);
  }
  lc.layers.push_back(std::move(layer));
}

}  // namespace detail

/// Checks the layer metadata against the body: every layer's pairs are disjoint and match the
/// gates at its position, with the listed parameters.
/// @throws circuit_error naming the layer and gate that disagree.
inline void check_layers(const layered_circuit& lc) {
  for (index_t l = 0; l < lc.layers.size(); ++l) {
    const auto& layer = lc.layers[l];
    const std::string where_l = "layer " + std::to_string(l);
    if (layer.parameters.size() != layer.pairs.size())
      throw circuit_error("check_layers", "pair and parameter counts differ", where_l);
    std::vector<bool> used(lc.body.num_qubits(), false);
    for (index_t k = 0; k < layer.pairs.size(); ++k) {
      const auto [a, b] = layer.pairs[k];
      const std::string where = where_l + ", gate " + std::to_string(k);
      if (a >= used.size() || b >= used.size() || a == b)
        throw circuit_error("check_layers", "bad qubit pair", where);
      if (used[a] || used[b])
        throw circuit_error("check_layers", "qubit pairs overlap within the layer", where);
      used[a] = used[b] = true;
      const index_t pos = layer.first_operation + k;
      if (pos >= lc.body.size())
        throw circuit_error("check_layers", "layer runs past the end of the body", where);
      const operation& op = lc.body[pos];
      if (op.qubits[0] != a || op.qubits[1] != b || !op.param ||
          op.param->index != layer.parameters[k])
        throw circuit_error("check_layers", "metadata disagrees with the body",
                            where + ", operation " + std::to_string(pos));
    }
  }
}

}  // namespace papillon
