// Backends: the abstract backend, its evaluation ledger, the simulator backend with its noise
// presets, and the IonQ backend with its job journal, budget and dry run (papillon/backend/,
// papillon/ionq/).

#include <papillon/backend/backend.hpp>
#include <papillon/backend/simulator_backend.hpp>
#include <papillon/ionq/ionq_api_key.hpp>
#include <papillon/ionq/ionq_backend.hpp>

#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <tuple>

#include "bindings.hpp"

namespace papillon::python {

namespace {

py::dict result_dict(const run_result& r) {
  py::dict d;
  d["qubits"] = r.qubits;
  d["shots"] = r.shots;
  py::dict probs;
  for (const auto& [k, v] : r.probabilities) probs[to_int(k)] = v;
  py::dict counts;
  for (const auto& [k, v] : r.counts) counts[to_int(k)] = v;
  d["probabilities"] = probs;
  d["counts"] = counts;
  return d;
}

// The JSON text of a library value, parsed by Python's json module into dicts and lists.
py::object from_json(const nlohmann::ordered_json& j) {
  return py::module_::import("json").attr("loads")(j.dump());
}

}  // namespace

void bind_backends(py::module_& m) {
  py::class_<evaluation_ledger>(m, "Ledger", "Circuits, shots and run_batch calls spent.")
      .def(py::init<>())
      .def_readonly("circuits", &evaluation_ledger::circuits)
      .def_readonly("shots", &evaluation_ledger::shots)
      .def_readonly("batches", &evaluation_ledger::batches)
      .def("__eq__", [](const evaluation_ledger& a, const evaluation_ledger& b) { return a == b; })
      .def("to_dict", &ledger_dict)
      .def("__repr__", [](const evaluation_ledger& l) {
        return "Ledger(circuits=" + std::to_string(l.circuits) +
               ", shots=" + std::to_string(l.shots) + ", batches=" + std::to_string(l.batches) +
               ")";
      });

  // Backends are shared, never copied (a layer and its trainer use the same one): copy and
  // deepcopy (scikit-learn's clone) return the same backend.
  py::class_<backend, std::shared_ptr<backend>>(m, "Backend", "Runs circuits: exact or sampled.")
      .def("__copy__", [](py::object self) { return self; })
      .def("__deepcopy__", [](py::object self, const py::dict&) { return self; })
      .def_property_readonly("info",
                             [](const backend& b) {
                               const backend_info& i = b.info();
                               py::dict d;
                               d["name"] = i.name;
                               d["max_qubits"] = i.max_qubits;
                               d["gatesets"] = i.gatesets;
                               d["exact"] = i.exact;
                               d["sampled"] = i.sampled;
                               d["noise_models"] = i.noise_models;
                               return d;
                             })
      .def_property_readonly("stats", &backend::stats, "The ledger of every run on this backend.")
      .def(
          "run",
          [](backend& b, const circuit& c, const double_array& params, std::uint64_t shots,
             std::uint64_t seed) {
            const std::vector<double> p(as_span(params).begin(), as_span(params).end());
            run_result r;
            {
              py::gil_scoped_release nogil;
              r = b.run(c, p, {shots, seed});
            }
            return result_dict(r);
          },
          py::arg("circuit"), py::arg("params") = double_array(0), py::arg("shots") = 0,
          py::arg("seed") = 0,
          "One circuit: a dict with qubits, shots, probabilities and counts ({basis state: "
          "value}).")
      .def(
          "run_batch",
          [](backend& b, const std::vector<std::tuple<circuit, std::vector<double>>>& items,
             std::uint64_t shots, std::uint64_t seed) {
            std::vector<run_task> tasks;
            tasks.reserve(items.size());
            for (const auto& [c, p] : items) tasks.push_back({&c, p});
            std::vector<run_result> rs;
            {
              py::gil_scoped_release nogil;
              rs = b.run_batch(tasks, {shots, seed});
            }
            py::list out;
            for (const auto& r : rs) out.append(result_dict(r));
            return out;
          },
          py::arg("tasks"), py::arg("shots") = 0, py::arg("seed") = 0,
          "A batch of (circuit, params) pairs in one call.");

  py::class_<simulator_backend, backend, std::shared_ptr<simulator_backend>>(
      m, "SimulatorBackend", "The built-in simulator: exact, sampled, or noisy (a noise preset).")
      .def(py::init([](const std::string& noise, std::string_view mode, unsigned threads,
                       index_t max_qubits, std::uint64_t trajectories) {
             simulator_backend_options o;
             o.noise = noise;
             o.mode = enum_from<simulation_mode>(mode, "simulator_backend");
             o.threads = threads;
             o.max_qubits = max_qubits;
             o.trajectories = trajectories;
             return std::make_shared<simulator_backend>(o);
           }),
           py::arg("noise") = "ideal", py::arg("mode") = "auto", py::arg("threads") = 0,
           py::arg("max_qubits") = 30, py::arg("trajectories") = 0)
      .def_property_readonly("noise", [](const simulator_backend& b) { return b.noise().name; });

  py::class_<ionq::ionq_backend, backend, std::shared_ptr<ionq::ionq_backend>>(
      m, "IonQBackend",
      "IonQ over its REST API, with a budget guard, an optional job journal (resumes or reuses "
      "recorded jobs) and a dry run that records the payloads without sending anything.")
      .def(py::init([](const std::string& target, std::string_view gateset,
                       const std::string& noise_model, std::optional<std::filesystem::path> journal,
                       bool dry_run, std::optional<std::string> api_key,
                       std::optional<std::filesystem::path> key_file,
                       std::optional<std::string> base_url, std::uint64_t max_shots,
                       std::uint64_t max_circuits, const std::string& job_name,
                       unsigned max_retries) {
             ionq::ionq_backend_options o;
             o.target = target;
             o.gateset = enum_from<ionq_gateset>(gateset, "ionq_backend");
             o.noise_model = noise_model;
             if (journal) o.journal = *journal;
             o.dry_run = dry_run;
             o.budget.max_shots = max_shots;
             o.budget.max_circuits = max_circuits;
             o.job_name = job_name;
             ionq::client_options co;
             if (base_url) co.base_url = *base_url;
             co.retry.max_retries = max_retries;
             if (api_key)
               co.api_key = *api_key;
             else if (!dry_run)
               co.api_key = ionq::load_api_key(key_file);
             return std::make_shared<ionq::ionq_backend>(std::move(o), std::move(co));
           }),
           py::arg("target") = "simulator", py::arg("gateset") = "qis", py::arg("noise_model") = "",
           py::arg("journal") = py::none(), py::arg("dry_run") = false,
           py::arg("api_key") = py::none(), py::arg("key_file") = py::none(),
           py::arg("base_url") = py::none(), py::arg("max_shots") = 1'000'000,
           py::arg("max_circuits") = 10'000, py::arg("job_name") = "papillon",
           py::arg("max_retries") = 5)
      .def(
          "plan",
          [](const ionq::ionq_backend& b,
             const std::vector<std::tuple<circuit, std::vector<double>>>& items,
             std::uint64_t shots, std::uint64_t seed) {
            std::vector<run_task> tasks;
            for (const auto& [c, p] : items) tasks.push_back({&c, p});
            return from_json(b.plan(tasks, {shots, seed}).to_json());
          },
          py::arg("tasks"), py::arg("shots") = 1000, py::arg("seed") = 0,
          "The jobs a batch would submit (payloads, hashes, tags), without sending anything.")
      .def_property_readonly(
          "last_plan",
          [](const ionq::ionq_backend& b) { return from_json(b.last_plan().to_json()); })
      .def_property_readonly("spent", [](const ionq::ionq_backend& b) {
        py::dict d;
        d["shots"] = b.spent().shots;
        d["circuits"] = b.spent().circuits;
        d["jobs"] = b.spent().jobs;
        return d;
      });
}

}  // namespace papillon::python
