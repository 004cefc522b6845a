// Simulation: exact probabilities, amplitudes and sampled counts, on the full state or the
// Hamming-weight subspace (papillon/sim/).

#include <papillon/circuit/circuit.hpp>
#include <papillon/sim/noise.hpp>
#include <papillon/sim/simulator.hpp>
#include <papillon/sim/statevector.hpp>
#include <papillon/sim/subspace_state.hpp>

#include <complex>

#include "bindings.hpp"

namespace papillon::python {

namespace {

simulation_options sim_options(std::string_view mode) {
  simulation_options o;
  o.mode = enum_from<simulation_mode>(mode, "simulate");
  return o;
}

// A numpy view of a vector member of `owner`, which the array keeps alive.
py::array_t<double> view(const std::vector<double>& v, py::handle owner) {
  return py::array_t<double>(static_cast<py::ssize_t>(v.size()), v.data(), owner);
}

py::list basis_of(const probability_result& p) {
  py::list out;
  for (index_t i = 0; i < p.values.size(); ++i) out.append(to_int(p.key_of(i)));
  return out;
}

/// Amplitudes of a circuit run from |0...0>, in the full register or its weight subspace.
struct amplitude_result {
  simulation_mode mode = simulation_mode::full;
  index_t weight = 0;
  Eigen::VectorXcd values;
  std::vector<basis_key> basis;  // subspace mode: the basis state of each entry
};

amplitude_result amplitudes(const circuit& c, std::span<const double> params,
                            const simulation_options& opt) {
  check_parameters(c, params, "amplitudes");
  subspace_analysis a;
  amplitude_result out;
  out.mode = choose_mode(c, opt, &a);
  if (out.mode == simulation_mode::full) {
    statevector<double> sv(c.num_qubits(), 0, opt.memory);
    sv.apply(c, params);
    out.values = std::move(sv.amplitudes());
    return out;
  }
  // The leading X gates prepare the basis state the subspace starts from.
  circuit rest(c.num_qubits());
  for (index_t i = a.prefix_length; i < c.size(); ++i) rest.append(c[i]);
  rest.set_num_parameters(c.num_parameters());
  subspace_state<double> st(c.num_qubits(), a.occupied, opt.memory);
  st.apply(rest, params);
  out.weight = st.weight();
  out.basis.reserve(st.size());
  for (index_t r = 0; r < st.size(); ++r)
    out.basis.push_back(basis_key::from_qubits(st.occupied_of(r)));
  out.values = std::move(st.amplitudes());
  return out;
}

}  // namespace

void bind_simulation(py::module_& m) {
  py::class_<probability_result>(
      m, "Probabilities", "Exact outcome probabilities (full register or one weight subspace).")
      .def_readonly("qubits", &probability_result::qubits)
      .def_property_readonly(
          "mode", [](const probability_result& p) { return std::string(name_of(p.mode)); })
      .def_readonly("weight", &probability_result::weight)
      .def_property_readonly(
          "values",
          [](py::object self) { return view(self.cast<const probability_result&>().values, self); },
          "The probabilities (a numpy view, no copy); entry i is the outcome basis[i].")
      .def_property_readonly("basis", &basis_of,
                             "The basis state (int, bit i = qubit i) of each entry.")
      .def(
          "to_dict",
          [](const probability_result& p, double omit_below) {
            py::dict d;
            for (const auto& [k, v] : p.to_map(omit_below)) d[to_int(k)] = v;
            return d;
          },
          py::arg("omit_below") = 0.0)
      .def("__len__", [](const probability_result& p) { return p.values.size(); });

  py::class_<counts_result>(m, "Counts", "Sampled outcomes and the distribution they came from.")
      .def_readonly("exact", &counts_result::exact)
      .def_readonly("shots", &counts_result::shots)
      .def(
          "to_dict",
          [](const counts_result& r) {
            py::dict d;
            for (const auto& [i, n] : r.counts) d[to_int(r.exact.key_of(i))] = n;
            return d;
          },
          "{basis state: count} for the outcomes drawn at least once.");

  py::class_<amplitude_result>(m, "Amplitudes", "The final state's amplitudes.")
      .def_property_readonly("mode",
                             [](const amplitude_result& a) { return std::string(name_of(a.mode)); })
      .def_readonly("weight", &amplitude_result::weight)
      .def_property_readonly(
          "values",
          [](py::object self) {
            const auto& a = self.cast<const amplitude_result&>();
            return py::array_t<std::complex<double>>(a.values.size(), a.values.data(), self);
          },
          "Complex amplitudes (a numpy view, no copy): index = basis state (full) or basis[i].")
      .def_property_readonly("basis", [](const amplitude_result& a) {
        py::list out;
        if (a.mode == simulation_mode::full)
          for (Eigen::Index i = 0; i < a.values.size(); ++i) out.append(py::int_(i));
        else
          for (const auto& k : a.basis) out.append(to_int(k));
        return out;
      });

  m.def(
      "simulate_probabilities",
      [](const circuit& c, const double_array& params, std::string_view mode) {
        const auto opt = sim_options(mode);
        py::gil_scoped_release nogil;
        return simulate_probabilities(c, as_span(params), opt);
      },
      py::arg("circuit"), py::arg("params") = double_array(0), py::arg("mode") = "auto",
      "Exact probabilities; mode auto (subspace when the circuit allows it), full or subspace.");
  m.def(
      "simulate_counts",
      [](const circuit& c, const double_array& params, std::uint64_t shots, std::uint64_t seed,
         std::string_view mode) {
        const auto opt = sim_options(mode);
        py::gil_scoped_release nogil;
        return simulate_counts(c, as_span(params), shots, seed, opt);
      },
      py::arg("circuit"), py::arg("params") = double_array(0), py::arg("shots") = 1000,
      py::arg("seed") = 0, py::arg("mode") = "auto");
  m.def(
      "amplitudes",
      [](const circuit& c, const double_array& params, std::string_view mode) {
        const auto opt = sim_options(mode);
        py::gil_scoped_release nogil;
        return amplitudes(c, as_span(params), opt);
      },
      py::arg("circuit"), py::arg("params") = double_array(0), py::arg("mode") = "auto");

  py::list presets;
  for (const auto& n : noise_presets()) presets.append(n.name);
  m.attr("noise_presets") = presets;
}

}  // namespace papillon::python
