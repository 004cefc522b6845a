#pragma once

/// @file
/// The entry points of a papillon.QuantumOrthogonalCore for the extension papillon._torch
/// (src/python/torch/), which calls the layer from a C++ autograd node. That module links
/// libtorch, not the library: the layer stays in papillon._papillon and the two modules share
/// this struct only (plain pointers and sizes, no library or torch type), passed in a capsule.
///
/// Batches are in the layer's transposed layout: `width` x `batch` column-major, which is the
/// memory of a row-major batch x width array. Both calls run without the GIL and throw the
/// library's exceptions (papillon/error.hpp).

#include <cstdint>
#include <memory>

namespace papillon::python {

struct quantum_layer_kernel {
  static constexpr const char* capsule_name = "papillon.quantum_layer_kernel.v1";

  std::shared_ptr<void> owner;  ///< keeps the layer alive as long as any copy of the kernel
  void* layer = nullptr;
  std::int64_t qubits = 0;
  std::int64_t num_parameters = 0;
  /// Runs the layer on x under the angles theta, writes the outputs to y (x's shape) and
  /// returns the token of this forward pass.
  std::uint64_t (*forward)(void* layer, const double* x, std::int64_t width, std::int64_t batch,
                           double* y, const double* theta, std::int64_t num_theta) = nullptr;
  /// dL/dx into gx (x's shape) and, unless gtheta is null, dL/dtheta into gtheta (num_parameters)
  /// for the forward pass `token` of x under theta (recomputed first if another forward ran
  /// since).
  void (*backward)(void* layer, const double* g, const double* x, std::int64_t width,
                   std::int64_t batch, const double* theta, std::int64_t num_theta,
                   std::uint64_t token, double* gx, double* gtheta) = nullptr;
};

}  // namespace papillon::python
