#pragma once

/// @file
/// PAPILLON_ASSERT: checks an internal invariant and throws papillon::internal_error, with the
/// file and line, when it is broken. Input is validated at the entry points with the specific
/// errors of error.hpp; an assertion marks what must hold once that validation has passed, so a
/// failure is a bug, reported instead of aborting or computing a silent default. The check
/// stays in release builds: it guards kernel dispatch, not inner loops.

#include <papillon/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace papillon::detail {

/// Throws the internal_error of a failed assertion.
[[noreturn]] inline void assertion_failed(std::string_view where, std::string_view what,
                                          std::string_view condition, std::string_view file,
                                          long line) {
  // Only the part of the path below the repository's include/, src/ or tests/ folder.
  std::size_t cut = 0;
  for (std::string_view root : {"include/", "src/", "tests/"}) {
    const auto at = file.rfind(root);
    if (at != std::string_view::npos && at + root.size() > cut) cut = at + root.size();
  }
  file.remove_prefix(cut);
  std::string context = "broken invariant";
  if (!condition.empty()) context.append(" '").append(condition).append("'");
  context.append(" at ").append(file).append(":").append(std::to_string(line));
  throw internal_error(where, what, context);
}

}  // namespace papillon::detail

/// Throws papillon::internal_error("<where>: <what> (broken invariant 'cond' at file:line)")
/// unless `cond` holds.
#define PAPILLON_ASSERT(cond, where, what) \
  ((cond) ? static_cast<void>(0)           \
          : ::papillon::detail::assertion_failed((where), (what), #cond, __FILE__, __LINE__))

/// Marks a branch that valid input never reaches; throws papillon::internal_error.
#define PAPILLON_UNREACHABLE(where, what) \
  ::papillon::detail::assertion_failed((where), (what), {}, __FILE__, __LINE__)
