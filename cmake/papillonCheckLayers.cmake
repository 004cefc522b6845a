# Checks that every papillon include looks down the layer ladder of docs/design.md.
#
#   cmake -DSOURCE_DIR=<repository root> -P cmake/papillonCheckLayers.cmake
#
# The ladder is read from the table in docs/design.md whose rows look like
# "| 3 | `backend` | ...": a module may include its own headers and those of modules on lower
# rungs, never a sibling on the same rung or anything above. `<module>/detail/` headers are
# internal to their module. Top-level headers (error.hpp, version.hpp) belong to `core`. Files
# under include/papillon/<module>/ and src/papillon/<module>/ belong to <module>; src/cli/ and
# src/python/ (the Python module) are the top rung and may include any public header. Tests, examples and benchmarks are not checked.
# Written as a CMake script so the check needs nothing beyond CMake itself.

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "papillonCheckLayers: pass -DSOURCE_DIR=<repository root>")
endif()

get_filename_component(SOURCE_DIR "${SOURCE_DIR}" ABSOLUTE)
set(design "${SOURCE_DIR}/docs/design.md")
if(NOT EXISTS "${design}")
  message(FATAL_ERROR "papillonCheckLayers: ${design} does not exist")
endif()
file(STRINGS "${design}" ladder_rows REGEX "^\\| *[0-9]+ *\\| *`")
if(NOT ladder_rows)
  message(FATAL_ERROR "papillonCheckLayers: no ladder rows ('| N | `module` |') in ${design}")
endif()

set(known_modules "")
foreach(row IN LISTS ladder_rows)
  string(REGEX MATCH "^\\| *([0-9]+) *\\| *([^|]*)\\|" _ "${row}")
  set(rung "${CMAKE_MATCH_1}")
  string(REGEX MATCHALL "`[a-z_]+`" names "${CMAKE_MATCH_2}")
  foreach(name IN LISTS names)
    string(REPLACE "`" "" name "${name}")
    if(DEFINED rung_of_${name})
      message(FATAL_ERROR "papillonCheckLayers: module '${name}' is on two rungs in ${design}")
    endif()
    set(rung_of_${name} "${rung}")
    list(APPEND known_modules "${name}")
  endforeach()
endforeach()
set(rung_of_cli 1000000)
set(rung_of_python 1000000)

# The module a repository path or an include path (papillon/...) belongs to.
function(module_of path out)
  if(path MATCHES "^(include/|src/)?papillon/([a-z_]+)/")
    set(${out} "${CMAKE_MATCH_2}" PARENT_SCOPE)
  elseif(path MATCHES "^(include/)?papillon/[a-z_]+\\.hpp$")
    set(${out} "core" PARENT_SCOPE)
  elseif(path MATCHES "^src/(cli|python)/")
    set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}"
     "${SOURCE_DIR}/include/papillon/*.hpp" "${SOURCE_DIR}/src/*.hpp" "${SOURCE_DIR}/src/*.cpp")
list(SORT files)

set(violations 0)
set(checked 0)
foreach(file IN LISTS files)
  module_of("${file}" from)
  if(from STREQUAL "")
    continue()
  endif()
  if(NOT DEFINED rung_of_${from})
    message(NOTICE "layers: ${file}: module '${from}' is not on the ladder of docs/design.md")
    math(EXPR violations "${violations} + 1")
    continue()
  endif()
  file(STRINGS "${SOURCE_DIR}/${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]papillon/")
  foreach(line IN LISTS includes)
    string(REGEX MATCH "papillon/[^>\"]+" target "${line}")
    math(EXPR checked "${checked} + 1")
    module_of("${target}" to)
    if(NOT DEFINED rung_of_${to})
      message(NOTICE "layers: ${file}: includes ${target}, whose module '${to}' is not on the ladder")
      math(EXPR violations "${violations} + 1")
    elseif(target MATCHES "^papillon/[a-z_]+/detail/" AND NOT to STREQUAL from)
      message(NOTICE "layers: ${file}: includes ${target}, an internal header of module '${to}'")
      math(EXPR violations "${violations} + 1")
    elseif(NOT to STREQUAL from AND NOT rung_of_${to} LESS rung_of_${from})
      message(NOTICE
        "layers: ${file}: includes ${target} uphill ('${from}' is on rung ${rung_of_${from}}, "
        "'${to}' on rung ${rung_of_${to}}; see docs/design.md)")
      math(EXPR violations "${violations} + 1")
    endif()
  endforeach()
endforeach()

list(LENGTH files nfiles)
if(violations GREATER 0)
  message(FATAL_ERROR "papillonCheckLayers: ${violations} include(s) against the ladder")
endif()
message(STATUS "papillonCheckLayers: ${checked} includes in ${nfiles} files look down the ladder")
