#pragma once

/// @file
/// The library's vocabulary types: one name per concept.

#include <Eigen/Core>

#include <complex>
#include <cstddef>
#include <cstdint>

namespace papillon {

/// Sizes, qubit indices and parameter indices.
using index_t = std::size_t;

/// A computational basis state: bit i is qubit i (little-endian, as IonQ and Qiskit).
using basis_state = std::uint64_t;

/// Complex amplitude type for a given precision.
template <class Float>
using complex_t = std::complex<Float>;

/// A column of complex amplitudes.
template <class Float>
using state_vector = Eigen::Matrix<complex_t<Float>, Eigen::Dynamic, 1>;

/// The largest qubit count a basis_state can index.
inline constexpr index_t max_basis_qubits = 64;

}  // namespace papillon
