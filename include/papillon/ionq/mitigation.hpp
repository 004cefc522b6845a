#pragma once

/// @file
/// IonQ's error mitigation, stated explicitly: debiasing, symmetry verification and the
/// aggregation of debiased results (docs/ionq-api.md 5.1). Compiled in
/// src/papillon/ionq/mitigation.cpp.
///
/// IonQ turns debiasing on by itself for QIS jobs of at least 500 shots on a QPU, and off for
/// native-gate jobs. An unset setting leaves that default to IonQ; describe() says which way
/// the default goes, so a result always says how it was mitigated.

#include <papillon/core/enum_names.hpp>
#include <papillon/ionq/transpile.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace papillon::ionq {

/// Fewest shots per circuit with which IonQ runs debiasing.
inline constexpr std::uint64_t min_debiasing_shots = 500;

/// How the results of a debiased job are combined (the `aggregation` query of the results).
enum class result_aggregation {
  server_default,  ///< no query: IonQ's default (averaging)
  average,         ///< the mean of the variants' distributions
  voting,          ///< plurality voting over the variants (IonQ's "sharpen")
};

inline constexpr enum_table<result_aggregation, 3> result_aggregation_names{
    "result aggregation",
    {{{result_aggregation::server_default, "default"},
      {result_aggregation::average, "average"},
      {result_aggregation::voting, "voting", {"sharpen"}}}}};
constexpr const auto& enum_names_of(result_aggregation) noexcept {
  return result_aggregation_names;
}

/// The error-mitigation settings of a job. Unset members are left to IonQ.
struct error_mitigation {
  /// `settings.error_mitigation.debiasing`.
  std::optional<bool> debiasing;
  /// `settings.error_mitigation.symmetry_verification`.
  std::optional<bool> symmetry_verification;
  /// How debiased results are fetched; anything but server_default needs debiasing on.
  result_aggregation aggregation = result_aggregation::server_default;
  bool operator==(const error_mitigation&) const = default;
};

/// Whether debiasing will run: the explicit setting, else IonQ's default (on for QIS jobs on a
/// QPU with at least min_debiasing_shots shots, off otherwise).
bool debiasing_in_effect(const error_mitigation& m, std::string_view target, ionq_gateset g,
                         std::uint64_t shots) noexcept;

/// Refuses, before anything is sent, settings IonQ would not honour: debiasing on the
/// simulator, debiasing below min_debiasing_shots shots, an aggregation without debiasing.
/// @throws data_error saying why.
void check_mitigation(const error_mitigation& m, std::string_view target, ionq_gateset g,
                      std::uint64_t shots);

/// The `settings.error_mitigation` object to send (an empty object when nothing is set).
nlohmann::ordered_json mitigation_settings_json(const error_mitigation& m);

/// How a job is mitigated, for results and reports: {"debiasing": true|false,
/// "debiasing_source": "explicit"|"ionq default", "symmetry_verification": true|false|"ionq
/// default", "aggregation": "default"|"average"|"voting"}.
nlohmann::ordered_json describe(const error_mitigation& m, std::string_view target, ionq_gateset g,
                                std::uint64_t shots);

}  // namespace papillon::ionq
