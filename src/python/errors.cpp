// The library's exception hierarchy (papillon/error.hpp) as Python exceptions with the same
// messages. DimensionError and DataError are also ValueErrors, TimeoutError a Python
// TimeoutError, so callers that know only the builtins catch them too.

#include <papillon/error.hpp>

#include "bindings.hpp"

namespace papillon::python {

namespace {

// Translators run newest first, so the base classes are registered before their subclasses.
template <class E>
py::object add_exception(py::module_& m, const char* name, py::handle bases) {
  return py::register_exception<E>(m, name, bases);
}

}  // namespace

void bind_errors(py::module_& m) {
  const py::object base = add_exception<error>(m, "Error", PyExc_RuntimeError);
  add_exception<circuit_error>(m, "CircuitError", base);
  add_exception<dimension_error>(m, "DimensionError",
                                 py::make_tuple(base, py::handle(PyExc_ValueError)));
  add_exception<data_error>(m, "DataError", py::make_tuple(base, py::handle(PyExc_ValueError)));
  add_exception<internal_error>(m, "InternalError", base);
  const py::object backend = add_exception<backend_error>(m, "BackendError", base);
  add_exception<transport_error>(m, "TransportError", backend);
  add_exception<remote_job_error>(m, "RemoteJobError", backend);
  add_exception<timeout_error>(m, "TimeoutError",
                               py::make_tuple(backend, py::handle(PyExc_TimeoutError)));

  // HttpError carries the status and the server's message as attributes.
  static py::exception<http_error> http(m, "HttpError", backend);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const http_error& e) {
      py::object value = py::handle(http.ptr())(e.what());
      value.attr("status") = e.status();
      value.attr("server_message") = e.server_message();
      PyErr_SetObject(http.ptr(), value.ptr());
    }
  });
}

}  // namespace papillon::python
