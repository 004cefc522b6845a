#include <papillon/io/run_result_json.hpp>

#include <nlohmann/json.hpp>

namespace papillon {

nlohmann::ordered_json to_json(const run_result& r) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  if (r.shots == 0) {
    nlohmann::ordered_json probs = nlohmann::ordered_json::object();
    for (const auto& [s, p] : r.probabilities)
      if (p >= run_result_json_omit_below) probs[s.decimal_label()] = p;
    doc["probabilities"] = std::move(probs);
    return doc;
  }
  doc["shots"] = r.shots;
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto& [s, n] : r.counts) counts[s.decimal_label()] = n;
  doc["counts"] = std::move(counts);
  return doc;
}

}  // namespace papillon
