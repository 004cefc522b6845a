// The backend list as the source of truth (docs/ionq-api.md 2.7).

#include <papillon/error.hpp>
#include <papillon/ionq/backend_catalog.hpp>

#include <algorithm>

namespace papillon::ionq {

namespace {

bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

const backend_description& find_backend(std::span<const backend_description> list,
                                        std::string_view target) {
  for (const auto& d : list)
    if (d.name == target) return d;
  std::string names;
  for (const auto& d : list) names += (names.empty() ? "" : ", ") + d.name;
  throw data_error("ionq::find_backend", "IonQ lists no backend '" + std::string(target) + "'",
                   "listed: " + (names.empty() ? std::string("none") : names));
}

ionq_gateset native_gateset_of(const backend_description& d) {
  if (has(d.native_gates, "zz")) return ionq_gateset::native_zz;
  if (has(d.native_gates, "ms")) return ionq_gateset::native_ms;
  throw data_error("ionq::native_gateset_of", "backend lists no native two-qubit gate (ms or zz)",
                   "backend '" + d.name + "'");
}

std::vector<std::string> check_target(const backend_description& d, index_t widest) {
  if (widest > 0 && d.qubits > 0 && widest > d.qubits)
    throw dimension_error(
        "ionq::check_target", "circuit is wider than the device",
        std::to_string(widest) + " qubits on '" + d.name + "' of " + std::to_string(d.qubits));
  std::vector<std::string> out;
  if (d.status == "retired")
    out.push_back("backend '" + d.name + "' is retired: jobs sent to it will not run");
  else if (!d.status.empty() && d.status != "available")
    out.push_back("backend '" + d.name + "' is " + d.status +
                  " (offline): jobs wait in the queue until it returns");
  if (d.degraded) out.push_back("backend '" + d.name + "' is degraded: results may be worse");
  return out;
}

noise_model noise_preset_for(client& c, std::string_view target, std::string* source) {
  const auto list = c.backends();
  const backend_description& d = find_backend(list, target);
  if (auto ch = c.current_characterization(target, d.characterization_id)) {
    if (ch->fidelity_1q && ch->fidelity_2q) {
      if (source) *source = "characterization " + ch->id + " of " + ch->date;
      return noise_from_characterization(*ch);
    }
  }
  std::string name(target);
  if (name.rfind("qpu.", 0) == 0) name = name.substr(4);
  noise_model m = find_noise_model(name);
  if (source) *source = "preset " + name;
  return m;
}

}  // namespace papillon::ionq
