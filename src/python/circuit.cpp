// Circuits: building, binding parameters, circuit JSON, the Butterfly/Pyramid/X builders and the
// unary loaders (papillon/circuit/, papillon/io/circuit_json.hpp).

#include <papillon/circuit/butterfly.hpp>
#include <papillon/circuit/circuit.hpp>
#include <papillon/circuit/layered_circuit.hpp>
#include <papillon/circuit/loaders.hpp>
#include <papillon/circuit/pyramid.hpp>
#include <papillon/circuit/unary.hpp>
#include <papillon/circuit/x_circuit.hpp>
#include <papillon/io/circuit_json.hpp>

#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <variant>

#include "bindings.hpp"

namespace papillon::python {

namespace {

using angle = std::variant<parameter_ref, double>;

// A rotation gate with a constant angle or a parameter reference.
template <class Fn>
circuit& rotation(const angle& a, Fn&& fn) {
  return std::visit([&](const auto& v) -> circuit& { return fn(v); }, a);
}

// The circuit with every parameter reference replaced by its angle under `params`.
circuit bind_parameters(const circuit& c, std::span<const double> params) {
  check_parameters(c, params, "circuit::bind");
  circuit out(c.num_qubits());
  for (const operation& op : c.operations()) {
    operation b = op;
    if (b.param) {
      b.theta = op.angle(params);
      b.param.reset();
    }
    out.append(b);
  }
  return out;
}

py::dict operation_dict(const operation& op) {
  py::dict d;
  d["gate"] = std::string(traits(op.kind).name);
  if (op.arity() == 1)
    d["qubits"] = py::make_tuple(op.qubits[0]);
  else
    d["qubits"] = py::make_tuple(op.qubits[0], op.qubits[1]);
  if (op.param)
    d["param"] = op.param->index, d["scale"] = op.param->scale;
  else if (traits(op.kind).rotation)
    d["theta"] = op.theta;
  if (traits(op.kind).native_ionq)
    d["turns"] = py::make_tuple(op.turns[0], op.turns[1], op.turns[2]);
  return d;
}

py::list layers_of(const layered_circuit& lc) {
  py::list out;
  for (const auto& l : lc.layers) {
    py::dict d;
    d["pairs"] = l.pairs;
    d["parameters"] = l.parameters;
    d["first_operation"] = l.first_operation;
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_circuit(py::module_& m) {
  py::class_<parameter_ref>(m, "Param",
                            "A reference to entry `index` of the parameter vector, times `scale`.")
      .def(py::init([](index_t index, double scale) {
             return parameter_ref{index, scale};
           }),
           py::arg("index"), py::arg("scale") = 1.0)
      .def_readwrite("index", &parameter_ref::index)
      .def_readwrite("scale", &parameter_ref::scale)
      .def("__repr__", [](const parameter_ref& p) {
        return "Param(" + std::to_string(p.index) + ", " +
               py::repr(py::float_(p.scale)).cast<std::string>() + ")";
      });

  py::class_<circuit> c(
      m, "Circuit", "A value-type quantum circuit; gate methods append and return the circuit.");
  c.def(py::init<index_t>(), py::arg("num_qubits"))
      .def_property_readonly("num_qubits", &circuit::num_qubits)
      .def_property_readonly("num_parameters", &circuit::num_parameters)
      .def("set_num_parameters", &circuit::set_num_parameters, py::arg("n"),
           py::return_value_policy::reference_internal)
      .def("__len__", &circuit::size)
      .def("__eq__", [](const circuit& a, const circuit& b) { return a == b; })
      .def("__copy__", [](const circuit& a) { return a; })
      .def("__deepcopy__", [](const circuit& a, py::dict) { return a; })
      .def_property_readonly(
          "operations",
          [](const circuit& self) {
            py::list out;
            for (const auto& op : self.operations()) out.append(operation_dict(op));
            return out;
          },
          "The operations as dicts (gate, qubits, and theta, param/scale or turns).")
      .def("append", py::overload_cast<const circuit&>(&circuit::append), py::arg("other"),
           py::return_value_policy::reference_internal)
      .def("inverse", &circuit::inverse)
      .def(
          "bind",
          [](const circuit& self, const double_array& params) {
            return bind_parameters(self, as_span(params));
          },
          py::arg("params"), "The circuit with every parameter replaced by its value.")
      .def(
          "to_json",
          [](const circuit& self, int indent) { return circuit_to_json_string(self, indent); },
          py::arg("indent") = 2, "The circuit JSON (papillon.circuit.v1).")
      .def_static(
          "from_json", [](std::string_view text) { return parse_circuit_json(text); },
          py::arg("text"))
      .def_static(
          "read", [](const std::filesystem::path& p) { return read_circuit_file(p); },
          py::arg("path"))
      .def(
          "write",
          [](const circuit& self, const std::filesystem::path& p) { write_circuit_file(p, self); },
          py::arg("path"))
      .def(
          "unary_matrix",
          [](const circuit& self, const double_array& params) {
            return to_numpy(unary_matrix(self, as_span(params)));
          },
          py::arg("params") = double_array(0),
          "The n x n orthogonal matrix of an RBS/FBS circuit on unary states (column j = image of "
          "e_j).")
      .def("__repr__", [](const circuit& self) {
        return "Circuit(" + std::to_string(self.num_qubits()) + " qubits, " +
               std::to_string(self.size()) + " operations, " +
               std::to_string(self.num_parameters()) + " parameters)";
      });

  const auto rp = py::return_value_policy::reference_internal;
#define PAPILLON_ONE(name) c.def(#name, &circuit::name, py::arg("q"), rp)
  PAPILLON_ONE(x);
  PAPILLON_ONE(y);
  PAPILLON_ONE(z);
  PAPILLON_ONE(h);
  PAPILLON_ONE(s);
  PAPILLON_ONE(sdg);
  PAPILLON_ONE(t);
  PAPILLON_ONE(tdg);
#undef PAPILLON_ONE
#define PAPILLON_ROT1(name)                                                             \
  c.def(                                                                                \
      #name,                                                                            \
      [](circuit& self, index_t q, const angle& a) -> circuit& {                        \
        return rotation(a, [&](const auto& v) -> circuit& { return self.name(q, v); }); \
      },                                                                                \
      py::arg("q"), py::arg("theta"), rp)
  PAPILLON_ROT1(rx);
  PAPILLON_ROT1(ry);
  PAPILLON_ROT1(rz);
#undef PAPILLON_ROT1
#define PAPILLON_ROT2(name)                                                                 \
  c.def(                                                                                    \
      #name,                                                                                \
      [](circuit& self, index_t a, index_t b, const angle& th) -> circuit& {                \
        return rotation(th, [&](const auto& v) -> circuit& { return self.name(a, b, v); }); \
      },                                                                                    \
      py::arg("a"), py::arg("b"), py::arg("theta"), rp)
  PAPILLON_ROT2(rbs);
  PAPILLON_ROT2(fbs);
  PAPILLON_ROT2(xx);
  PAPILLON_ROT2(yy);
  PAPILLON_ROT2(zz);
#undef PAPILLON_ROT2
  c.def("cnot", &circuit::cnot, py::arg("control"), py::arg("target"), rp)
      .def("cz", &circuit::cz, py::arg("a"), py::arg("b"), rp)
      .def("swap", &circuit::swap, py::arg("a"), py::arg("b"), rp)
      .def("gpi", &circuit::gpi, py::arg("q"), py::arg("phase"), rp)
      .def("gpi2", &circuit::gpi2, py::arg("q"), py::arg("phase"), rp)
      .def("ms", &circuit::ms, py::arg("a"), py::arg("b"), py::arg("phase0"), py::arg("phase1"),
           py::arg("angle") = 0.25, rp);

  py::class_<layered_circuit>(m, "LayeredCircuit", "A circuit with its layers of commuting gates.")
      .def_readonly("circuit", &layered_circuit::body)
      .def_property_readonly("depth", &layered_circuit::depth)
      .def_property_readonly("num_parameters", &layered_circuit::num_parameters)
      .def_property_readonly("num_gates", &layered_circuit::num_gates)
      .def_property_readonly("layers", &layers_of);

  m.def(
      "butterfly",
      [](index_t n, std::string_view order, std::string_view gate, index_t first_param) {
        butterfly_options o;
        o.order = enum_from<butterfly_order>(order, "butterfly");
        o.gate = enum_from<gate_kind>(gate, "butterfly");
        o.first_param = first_param;
        return butterfly(n, o);
      },
      py::arg("n"), py::arg("order") = "coupling-last", py::arg("gate") = "rbs",
      py::arg("first_param") = 0, "The Butterfly circuit on n qubits (a power of two).");
  m.def("pyramid", &pyramid, py::arg("n"), py::arg("first_param") = 0);
  m.def("x_circuit", &x_circuit, py::arg("n"), py::arg("first_param") = 0);
  m.def(
      "loader",
      [](const double_array& x, std::string_view kind, index_t num_qubits) {
        return unary_loader(enum_from<loader_kind>(kind, "loader"), as_span(x), {num_qubits});
      },
      py::arg("x"), py::arg("kind") = "parallel", py::arg("num_qubits") = 0,
      "The unary loader of vector x: parallel, diagonal or semi-diagonal.");
}

}  // namespace papillon::python
