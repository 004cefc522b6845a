# cmake -DSPEC=<file> -P papillonRunTest.cmake
#
# Runs one program as described by a spec file written by papillon_add_run_test() (see
# papillonTesting.cmake) and fails unless the exit code and the output match.
cmake_minimum_required(VERSION 3.21)

if(NOT DEFINED SPEC OR NOT EXISTS "${SPEC}")
  message(FATAL_ERROR "papillonRunTest: no spec file '${SPEC}'")
endif()
include("${SPEC}")

set(extra "")
if(RUN_INPUT_FILE)
  list(APPEND extra INPUT_FILE "${RUN_INPUT_FILE}")
else()
  list(APPEND extra INPUT_FILE /dev/null)
endif()
if(RUN_WORKING_DIRECTORY)
  list(APPEND extra WORKING_DIRECTORY "${RUN_WORKING_DIRECTORY}")
endif()

list(JOIN RUN_COMMAND " " shown)
message(STATUS "running: ${shown}")
execute_process(COMMAND ${RUN_COMMAND}
                RESULT_VARIABLE rc
                OUTPUT_VARIABLE out
                ERROR_VARIABLE err
                ${extra})
message("---- stdout ----\n${out}---- stderr ----\n${err}---- exit code: ${rc} ----")

set(failures "")
if(NOT rc STREQUAL RUN_EXIT_CODE)
  list(APPEND failures "exit code is '${rc}', expected ${RUN_EXIT_CODE}")
endif()
foreach(regex IN LISTS RUN_STDOUT_REGEX)
  if(NOT out MATCHES "${regex}")
    list(APPEND failures "stdout does not match '${regex}'")
  endif()
endforeach()
foreach(regex IN LISTS RUN_STDERR_REGEX)
  if(NOT err MATCHES "${regex}")
    list(APPEND failures "stderr does not match '${regex}'")
  endif()
endforeach()
if(RUN_STDOUT_JSON)
  string(JSON type ERROR_VARIABLE json_error TYPE "${out}")
  if(json_error)
    list(APPEND failures "stdout is not one JSON document: ${json_error}")
  endif()
endif()
if(RUN_STDERR_ONE_LINE)
  string(STRIP "${err}" stripped)
  if(stripped STREQUAL "" OR stripped MATCHES "\n")
    list(APPEND failures "stderr is not exactly one line")
  endif()
endif()

if(failures)
  list(JOIN failures "\n  " text)
  message(FATAL_ERROR "FAILED:\n  ${text}")
endif()
