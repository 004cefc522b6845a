// Error-mitigation settings of IonQ jobs (docs/ionq-api.md 5.1).

#include <papillon/error.hpp>
#include <papillon/ionq/mitigation.hpp>

#include <nlohmann/json.hpp>

namespace papillon::ionq {

using json = nlohmann::ordered_json;

namespace {

bool is_qpu(std::string_view target) { return target.rfind("qpu.", 0) == 0; }

}  // namespace

bool debiasing_in_effect(const error_mitigation& m, std::string_view target, ionq_gateset g,
                         std::uint64_t shots) noexcept {
  if (m.debiasing) return *m.debiasing;
  return is_qpu(target) && g == ionq_gateset::qis && shots >= min_debiasing_shots;
}

void check_mitigation(const error_mitigation& m, std::string_view target, ionq_gateset g,
                      std::uint64_t shots) {
  constexpr std::string_view where = "ionq::check_mitigation";
  if (m.debiasing.value_or(false)) {
    if (!is_qpu(target))
      throw data_error(where, "debiasing runs only on QPUs",
                       "target '" + std::string(target) + "'; turn debiasing off or use a qpu.*");
    if (shots < min_debiasing_shots)
      throw data_error(where, "debiasing needs at least 500 shots per circuit",
                       std::to_string(shots) +
                           " shots asked: IonQ splits the shots over several circuit variants, "
                           "so fewer give no usable average");
  }
  if (m.aggregation != result_aggregation::server_default &&
      !debiasing_in_effect(m, target, g, shots))
    throw data_error(where, "result aggregation applies only to debiased jobs",
                     "aggregation '" +
                         std::string(result_aggregation_names.name_of(m.aggregation)) +
                         "' without debiasing");
}

nlohmann::ordered_json mitigation_settings_json(const error_mitigation& m) {
  json o = json::object();
  if (m.debiasing) o["debiasing"] = *m.debiasing;
  if (m.symmetry_verification) o["symmetry_verification"] = *m.symmetry_verification;
  return o;
}

nlohmann::ordered_json describe(const error_mitigation& m, std::string_view target, ionq_gateset g,
                                std::uint64_t shots) {
  json o;
  o["debiasing"] = debiasing_in_effect(m, target, g, shots);
  o["debiasing_source"] = m.debiasing ? "explicit" : "ionq default";
  if (m.symmetry_verification)
    o["symmetry_verification"] = *m.symmetry_verification;
  else
    o["symmetry_verification"] = "ionq default";
  o["aggregation"] = std::string(result_aggregation_names.name_of(m.aggregation));
  return o;
}

}  // namespace papillon::ionq
