#pragma once

/// @file
/// Shared declarations of the Python module papillon._papillon (docs/python.md): one bind_*
/// function per part of the API, and the conversions between library values and numpy arrays.
/// Results move into numpy arrays without a copy: the array views the library's buffer, which a
/// capsule owns.

#include <papillon/backend/evaluation_ledger.hpp>
#include <papillon/core/basis_key.hpp>
#include <papillon/core/enum_names.hpp>
#include <papillon/core/types.hpp>

#include <Eigen/Core>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papillon::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_circuit(py::module_& m);
void bind_simulation(py::module_& m);
void bind_gradients(py::module_& m);
void bind_backends(py::module_& m);
void bind_quantum_layer(py::module_& m);
void bind_imputers(py::module_& m);

/// A contiguous float64 array (a view when the input already is one, else a converted copy).
using double_array = py::array_t<double, py::array::c_style | py::array::forcecast>;

/// The elements of a contiguous array as a span (no copy).
inline std::span<const double> as_span(const double_array& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}

/// A numpy array owning a moved-in vector (no copy of the elements).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* owned = new std::vector<T>(std::move(v));
  py::capsule free(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), free);
}

/// A numpy array owning a moved-in Eigen matrix or vector, in Eigen's column-major layout.
template <class Scalar, int Rows, int Cols>
py::array_t<Scalar> to_numpy(Eigen::Matrix<Scalar, Rows, Cols>&& m) {
  using matrix = Eigen::Matrix<Scalar, Rows, Cols>;
  auto* owned = new matrix(std::move(m));
  py::capsule free(owned, [](void* p) { delete static_cast<matrix*>(p); });
  constexpr auto item = static_cast<py::ssize_t>(sizeof(Scalar));
  if constexpr (Cols == 1)
    return py::array_t<Scalar>({static_cast<py::ssize_t>(owned->size())}, {item}, owned->data(),
                               free);
  else
    return py::array_t<Scalar>(
        {static_cast<py::ssize_t>(owned->rows()), static_cast<py::ssize_t>(owned->cols())},
        {item, item * static_cast<py::ssize_t>(owned->rows())}, owned->data(), free);
}

/// A 2-d float64 array copied into an Eigen matrix (the library's layers and imputers take
/// Eigen::MatrixXd, column-major).
inline Eigen::MatrixXd to_matrix(const py::array_t<double, py::array::forcecast>& a,
                                 std::string_view where) {
  if (a.ndim() != 2)
    throw py::value_error("papillon::" + std::string(where) + ": expected a 2-d array (got " +
                          std::to_string(a.ndim()) + " dimensions)");
  const auto r = a.unchecked<2>();
  Eigen::MatrixXd out(r.shape(0), r.shape(1));
  for (py::ssize_t j = 0; j < r.shape(1); ++j)
    for (py::ssize_t i = 0; i < r.shape(0); ++i) out(i, j) = r(i, j);
  return out;
}

/// A basis state as a Python int (bit i = qubit i), for registers of any width.
inline py::int_ to_int(const basis_key& k) {
  py::int_ out(0);
  for (index_t q : k.qubits())
    out = py::int_(out.attr("__or__")(py::int_(1).attr("__lshift__")(q)));
  return out;
}

/// A Python int (bit i = qubit i) as a basis state.
inline basis_key to_key(const py::int_& v) {
  const std::string bits = py::str(py::module_::import("builtins").attr("bin")(v));
  if (bits.rfind("0b", 0) != 0)
    throw py::value_error("papillon: a basis state must be a non-negative int (got " + bits + ")");
  std::vector<index_t> qubits;
  for (std::size_t i = 0; i + 2 < bits.size(); ++i)
    if (bits[bits.size() - 1 - i] == '1') qubits.push_back(i);
  return basis_key::from_qubits(qubits);
}

/// An enum from its library name (the names of model files and the command line).
template <class E>
E enum_from(std::string_view name, std::string_view where) {
  return parse_enum<E>(name, where);
}

/// The ledger as a dict (circuits, shots, batches).
inline py::dict ledger_dict(const evaluation_ledger& l) {
  py::dict d;
  d["circuits"] = l.circuits;
  d["shots"] = l.shots;
  d["batches"] = l.batches;
  return d;
}

}  // namespace papillon::python
