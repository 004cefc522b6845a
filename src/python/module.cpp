// The Python module papillon._papillon: a thin layer over the C++ API (docs/python.md).

#include <papillon/version.hpp>

#include "bindings.hpp"

PYBIND11_MODULE(_papillon, m) {
  namespace py = pybind11;
  m.doc() = "papillon: quantum neural networks on the papillon C++ engine";
  m.attr("__version__") = PAPILLON_PYTHON_VERSION_INFO;
  papillon::python::bind_errors(m);
  papillon::python::bind_circuit(m);
  papillon::python::bind_simulation(m);
  papillon::python::bind_backends(m);
  papillon::python::bind_gradients(m);
  papillon::python::bind_quantum_layer(m);
  papillon::python::bind_imputers(m);
}
