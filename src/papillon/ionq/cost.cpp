// Estimates and costs of IonQ jobs (docs/ionq-api.md 2.9).

#include <papillon/error.hpp>
#include <papillon/ionq/cost.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace papillon::ionq {

using json = nlohmann::ordered_json;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A unit is a short lower-case word ("usd", "credits"): anything else is not shown as sent.
std::string checked_unit(const json& v, std::string_view where) {
  if (!v.is_string()) return {};
  std::string u = lower(v.get<std::string>());
  const bool ok = !u.empty() && u.size() <= 16 && std::all_of(u.begin(), u.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (!ok) throw backend_error(where, "cost unit is not a short word", "refused");
  return u;
}

std::optional<double> amount(const json& v, std::string_view where, const char* what) {
  if (v.is_null()) return std::nullopt;
  if (!v.is_number()) throw backend_error(where, std::string(what) + " is not a number");
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < 0)
    throw backend_error(where, std::string(what) + " is negative or not finite");
  return x;
}

}  // namespace

std::string estimate_query::to_query() const {
  std::string q =
      "backend=" + backend + "&type=ionq.circuit.v1&qubits=" + std::to_string(size.qubits);
  if (shots > 0) q += "&shots=" + std::to_string(shots);
  q += "&1q_gates=" + std::to_string(size.gates_1q) + "&2q_gates=" + std::to_string(size.gates_2q);
  q += error_mitigation ? "&error_mitigation=true" : "&error_mitigation=false";
  return q;
}

cost_estimate parse_cost_estimate(const nlohmann::ordered_json& doc) {
  constexpr std::string_view where = "ionq::parse_cost_estimate";
  if (!doc.is_object() || !doc.contains("estimated_cost"))
    throw backend_error(where, "estimate answer has no 'estimated_cost'");
  cost_estimate e;
  const auto c = amount(doc["estimated_cost"], where, "estimated_cost");
  if (!c) throw backend_error(where, "estimate answer has a null 'estimated_cost'");
  e.cost = *c;
  if (doc.contains("cost_unit")) e.unit = checked_unit(doc["cost_unit"], where);
  if (doc.contains("estimated_execution_time"))
    e.seconds = amount(doc["estimated_execution_time"], where, "estimated_execution_time");
  return e;
}

job_cost parse_job_cost(const nlohmann::ordered_json& doc) {
  constexpr std::string_view where = "ionq::parse_job_cost";
  if (!doc.is_object()) throw backend_error(where, "cost answer is not a JSON object");
  job_cost c;
  if (doc.contains("dry_run") && doc["dry_run"].is_boolean())
    c.dry_run = doc["dry_run"].get<bool>();
  std::string est_unit;
  std::string cost_unit;
  const auto read = [&](const char* key, std::optional<double>& value, std::string& unit) {
    if (!doc.contains(key) || !doc[key].is_object()) return;
    const auto& o = doc[key];
    if (o.contains("value")) value = amount(o["value"], where, key);
    if (o.contains("unit")) unit = checked_unit(o["unit"], where);
  };
  read("estimated_cost", c.estimated, est_unit);
  read("cost", c.actual, cost_unit);
  if (!est_unit.empty() && !cost_unit.empty() && est_unit != cost_unit)
    throw backend_error(where, "estimated and actual cost have different units",
                        est_unit + " and " + cost_unit);
  c.unit = cost_unit.empty() ? est_unit : cost_unit;
  return c;
}

nlohmann::ordered_json run_estimate::to_json() const {
  json o;
  o["total"] = total;
  o["unit"] = unit;
  o["jobs"] = jobs;
  o["requests"] = requests;
  return o;
}

std::string format_money(double amount, const std::string& unit) {
  return fmt::format("{:.2f} {}", amount, unit.empty() ? "(unit unknown)" : unit);
}

}  // namespace papillon::ionq
