# papillon_enable_warnings(<target>)
#
# Turns on the project's warning set for one of papillon's OWN targets: tests, examples,
# benchmarks and the CLI. Never call it on an exported library target: warning flags must not
# reach consumers through INTERFACE properties. With PAPILLON_WERROR=ON warnings become errors.
include_guard(GLOBAL)

function(papillon_enable_warnings target)
  # Our programs parallelise across circuits, samples and amplitudes themselves; Eigen's own
  # OpenMP products inside them would oversubscribe the cores (spinning OpenMP teams made
  # small-batch training several times slower on 2 cores). Consumers decide for themselves.
  target_compile_definitions("${target}" PRIVATE EIGEN_DONT_PARALLELIZE)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    # No -Wconversion: Eigen expressions make it too noisy to be useful.
    target_compile_options("${target}" PRIVATE
      -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
    if(PAPILLON_WERROR)
      target_compile_options("${target}" PRIVATE -Werror)
    endif()
  elseif(MSVC)
    target_compile_options("${target}" PRIVATE /W4 /permissive-)
    if(PAPILLON_WERROR)
      target_compile_options("${target}" PRIVATE /WX)
    endif()
  endif()
endfunction()
