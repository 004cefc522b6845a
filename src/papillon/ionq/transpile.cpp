// The IonQ `input` object of a transpiled program (docs/ionq-api.md section 3).

#include <papillon/ionq/transpile.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace papillon {

std::string ionq_input_json(const ionq_program& p, int indent) {
  using json = nlohmann::ordered_json;
  json circ = json::array();
  for (const auto& g : p.gates) {
    json j;
    j["gate"] = g.gate;
    // Singular forms for one qubit, as IonQ's own examples write them.
    if (g.controls.size() == 1)
      j["control"] = g.controls[0];
    else if (!g.controls.empty())
      j["controls"] = g.controls;
    if (g.targets.size() == 1)
      j["target"] = g.targets[0];
    else
      j["targets"] = g.targets;
    if (g.rotation) j["rotation"] = *g.rotation;
    if (g.phase) j["phase"] = *g.phase;
    if (!g.phases.empty()) j["phases"] = g.phases;
    if (g.angle) j["angle"] = *g.angle;
    circ.push_back(std::move(j));
  }
  json doc;
  doc["qubits"] = p.qubits;
  doc["gateset"] = std::string(ionq_gateset_field(p.gateset));
  doc["circuit"] = std::move(circ);
  return doc.dump(indent);
}

}  // namespace papillon
