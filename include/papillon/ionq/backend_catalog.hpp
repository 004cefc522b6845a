#pragma once

/// @file
/// The backend list (`GET /backends`) as the source of truth about a target: its width, its
/// native gate set, whether it runs, and the noise model its characterization implies
/// (docs/ionq-api.md 2.7). Compiled in src/papillon/ionq/backend_catalog.cpp.

#include <papillon/ionq/ionq_client.hpp>
#include <papillon/ionq/transpile.hpp>
#include <papillon/sim/noise.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace papillon::ionq {

/// The entry of `target` in a backend list.
/// @throws data_error when the list does not name it (listing the names it has).
const backend_description& find_backend(std::span<const backend_description> list,
                                        std::string_view target);

/// The native gate set of a QPU from its `supported_native_gates`: ms gives native_ms (Aria),
/// zz gives native_zz (Forte); a device listing both gives native_zz.
/// @throws data_error when it lists neither (the simulator, or a list without gates).
ionq_gateset native_gateset_of(const backend_description& d);

/// Checks a target before anything is sent to it.
/// @param widest the qubits of the widest circuit to run (0: not checked)
/// @return warnings for people: the target is retired, unavailable (offline) or degraded
/// @throws dimension_error when `widest` exceeds the device's qubits.
std::vector<std::string> check_target(const backend_description& d, index_t widest);

/// The local noise model of a QPU: from its current characterization when the server has one,
/// else the preset of the same name without "qpu." (docs/noise.md), e.g. "forte-1".
/// @param source set to "characterization <id> of <date>" or "preset <name>"
/// @throws data_error when there is neither; as client::backends otherwise.
noise_model noise_preset_for(client& c, std::string_view target, std::string* source = nullptr);

}  // namespace papillon::ionq
