#pragma once

/// @file
/// JSON for results: the evaluation ledger and gradient results, as the command-line tool and
/// model files write them (docs/cli.md). nlohmann's adl_serializer finds these,
/// so `json j = ledger;` works with nlohmann::json and nlohmann::ordered_json alike; they are
/// templates on the JSON type, so this header needs only <nlohmann/json_fwd.hpp>.
///
///   evaluation_ledger  {"circuits": n, "shots": n, "batches": n}
///   gradient_result    {"value": f, "gradient": {"<parameter>": df, ...}, "method": "adjoint",
///                       "evaluations": <ledger>, "approximate": false}

#include <papillon/backend/evaluation_ledger.hpp>
#include <papillon/grad/gradient_result.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <utility>

namespace papillon {

/// {"circuits", "shots", "batches"}, in that order.
template <class Json>
void to_json(Json& j, const evaluation_ledger& l) {
  j = Json::object();
  j["circuits"] = l.circuits;
  j["shots"] = l.shots;
  j["batches"] = l.batches;
}

/// Reads what to_json wrote. @throws nlohmann::json::exception for a missing or mistyped field.
template <class Json>
void from_json(const Json& j, evaluation_ledger& l) {
  evaluation_ledger r;
  r.circuits = j.at("circuits").template get<std::uint64_t>();
  r.shots = j.at("shots").template get<std::uint64_t>();
  r.batches = j.at("batches").template get<std::uint64_t>();
  l = r;
}

/// The value, the gradient keyed by parameter index, the method, the ledger and whether the
/// parallel shift was approximate (the note is for messages, not the document).
template <class Json>
void to_json(Json& j, const gradient_result& r) {
  j = Json::object();
  j["value"] = r.value;
  Json g = Json::object();
  for (std::size_t i = 0; i < r.parameters.size(); ++i)
    g[std::to_string(r.parameters[i])] = r.gradient[i];
  j["gradient"] = std::move(g);
  j["method"] = std::string(method_name(r.method));
  j["evaluations"] = r.evaluations;
  j["approximate"] = r.approximate;
}

}  // namespace papillon
