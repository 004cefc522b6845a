// Gradients of a diagonal observable's expectation: adjoint, serial and parallel parameter
// shift, finite differences, each with its ledger of circuit executions (papillon/grad/).

#include <papillon/backend/simulator_backend.hpp>
#include <papillon/grad/gradient.hpp>
#include <papillon/grad/observable.hpp>

#include <memory>
#include <optional>

#include "bindings.hpp"

namespace papillon::python {

namespace {

// A dict {basis state: weight}, or a sequence of unary weights (weight i on e_i).
diagonal_observable observable_from(const py::object& o) {
  if (py::isinstance<py::dict>(o)) {
    diagonal_observable d;
    for (const auto& [k, v] : o.cast<py::dict>())
      d.weights[to_key(k.cast<py::int_>())] = v.cast<double>();
    return d;
  }
  const double_array w = o.cast<double_array>();
  return diagonal_observable::from_unary(std::vector<double>(as_span(w).begin(), as_span(w).end()));
}

}  // namespace

void bind_gradients(py::module_& m) {
  py::class_<gradient_result>(m, "GradientResult")
      .def_readonly("value", &gradient_result::value)
      .def_readonly("parameters", &gradient_result::parameters)
      .def_property_readonly(
          "gradient",
          [](py::object self) {
            const auto& g = self.cast<const gradient_result&>().gradient;
            return py::array_t<double>(static_cast<py::ssize_t>(g.size()), g.data(), self);
          },
          "d value / d parameters[i] (a numpy view, no copy).")
      .def_property_readonly(
          "method", [](const gradient_result& r) { return std::string(name_of(r.method)); })
      .def_readonly("approximate", &gradient_result::approximate)
      .def_readonly("approximation_note", &gradient_result::approximation_note)
      .def_readonly("evaluations", &gradient_result::evaluations, "The ledger of this call.");

  m.def(
      "gradient",
      [](const circuit& c, const double_array& params, const py::object& observable,
         std::shared_ptr<backend> b, std::string_view method,
         std::optional<std::vector<index_t>> wrt, std::uint64_t shots, std::uint64_t seed,
         std::string_view rbs_rule, bool allow_approximate, double finite_step,
         std::uint64_t max_batch_circuits) {
        gradient_options o;
        o.method = parse_gradient_method(method);
        if (wrt) o.wrt = *wrt;
        o.shots = shots;
        o.seed = seed;
        o.rbs_rule = enum_from<rbs_shift_rule>(rbs_rule, "gradient");
        o.allow_approximate = allow_approximate;
        o.finite_step = finite_step;
        o.max_batch_circuits = max_batch_circuits;
        const diagonal_observable obs = observable_from(observable);
        if (!b) b = std::make_shared<simulator_backend>();
        py::gil_scoped_release nogil;
        return gradient(c, as_span(params), obs, *b, o);
      },
      py::arg("circuit"), py::arg("params"), py::arg("observable"), py::arg("backend") = py::none(),
      py::arg("method") = "adjoint", py::arg("wrt") = py::none(), py::arg("shots") = 0,
      py::arg("seed") = 0, py::arg("rbs_rule") = "four-term", py::arg("allow_approximate") = false,
      py::arg("finite_step") = 1e-5, py::arg("max_batch_circuits") = 0,
      "Gradient of sum_x w_x p_x: method adjoint (no circuit runs), shift (serial), parallel "
      "(a whole commuting layer at once, when proven exact) or finite. The observable is a dict "
      "{basis state: weight} or a list of unary weights. Shift and finite methods run on the "
      "backend (default: the exact simulator).");
}

}  // namespace papillon::python
