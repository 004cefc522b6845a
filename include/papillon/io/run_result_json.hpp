#pragma once

/// @file
/// The outcome of a backend run as JSON, as `papillon run` writes it (docs/cli.md). Compiled in
/// src/papillon/io/run_result_json.cpp.

#include <papillon/backend/backend.hpp>

#include <nlohmann/json_fwd.hpp>

namespace papillon {

/// Entries below this probability are left out of written exact results (numerical noise of
/// the simulator, not outcomes).
inline constexpr double run_result_json_omit_below = 1e-14;

/// The outcome part of a run document, keys in this order: exact results (shots == 0) give
/// {"probabilities": {...}} without the entries below run_result_json_omit_below; sampled ones
/// give {"shots": n, "counts": {...}}. Outcomes are keyed by basis_key::decimal_label() in
/// ascending numeric order. The caller adds its own fields before it (qubits, mode, ...), e.g.
/// with `doc.update(to_json(r))`.
nlohmann::ordered_json to_json(const run_result& r);

}  // namespace papillon
