// Characterizations of IonQ QPUs and the noise models they imply (docs/ionq-api.md 2.7,
// docs/noise.md).

#include <papillon/core/text.hpp>
#include <papillon/error.hpp>
#include <papillon/ionq/characterization.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace papillon::ionq {

using json = nlohmann::ordered_json;

namespace {

std::optional<double> median_of(const json& fid, const char* key) {
  constexpr std::string_view where = "ionq::parse_characterization";
  if (!fid.contains(key) || !fid[key].is_object() || !fid[key].contains("median")) return {};
  const auto& m = fid[key]["median"];
  if (m.is_null()) return {};
  if (!m.is_number()) throw backend_error(where, std::string(key) + " fidelity is not a number");
  const double v = m.get<double>();
  if (!std::isfinite(v) || v < 0 || v > 1)
    throw backend_error(where, std::string(key) + " fidelity is outside [0, 1]");
  return v;
}

}  // namespace

characterization parse_characterization(const nlohmann::ordered_json& doc) {
  constexpr std::string_view where = "ionq::parse_characterization";
  if (!doc.is_object()) throw backend_error(where, "characterization is not a JSON object");
  characterization c;
  const auto str = [&](const char* k) {
    return doc.contains(k) && doc[k].is_string() ? sanitize_text(doc[k].get<std::string>(), 80)
                                                 : std::string();
  };
  c.id = str("id");
  c.date = str("date");
  c.backend = str("backend");
  if (doc.contains("qubits") && doc["qubits"].is_number_unsigned())
    c.qubits = doc["qubits"].get<index_t>();
  if (doc.contains("fidelity") && doc["fidelity"].is_object()) {
    const auto& f = doc["fidelity"];
    c.spam = median_of(f, "spam");
    c.fidelity_1q = median_of(f, "1q");
    c.fidelity_2q = median_of(f, "2q");
  }
  return c;
}

noise_model noise_from_characterization(const characterization& c) {
  if (!c.fidelity_1q || !c.fidelity_2q)
    throw data_error("ionq::noise_from_characterization",
                     "the characterization gives no one- or two-qubit gate fidelity",
                     "backend '" + c.backend + "', characterization '" + c.id + "'");
  noise_model m;
  m.name = c.backend + "@" + c.date;
  m.p1 = std::min(1.0, 2.0 * (1.0 - *c.fidelity_1q));
  m.p2 = std::min(1.0, 4.0 / 3.0 * (1.0 - *c.fidelity_2q));
  m.readout = c.spam ? 1.0 - *c.spam : 0.0;
  return m;
}

}  // namespace papillon::ionq
