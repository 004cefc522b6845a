# cmake -DMODE=install|build_tree|subdir -DPAPILLON_SOURCE_DIR=... -DPAPILLON_BUILD_DIR=...
#       -DWORK_DIR=... -DGENERATOR=... -DCXX_COMPILER=... [-DCXX_FLAGS=...] [-DBUILD_TYPE=...]
#       -DEXPECTED_VERSION=x.y.z [-DEXPECT_CLI=1] [-DCXX_LAUNCHER=ccache] -P run_consumer_test.cmake
#
# Builds and runs a downstream consumer of papillon:
#   install     installs PAPILLON_BUILD_DIR into WORK_DIR/stage, then builds tests/package with
#               CMAKE_PREFIX_PATH=<stage> (find_package against the installed package);
#   build_tree  builds tests/package with papillon_DIR=PAPILLON_BUILD_DIR (no install);
#   subdir      builds tests/package_subdir, which add_subdirectory()s the source tree.
# Fails if any step fails or the program does not print "papillon <EXPECTED_VERSION>".
cmake_minimum_required(VERSION 3.21)

foreach(var IN ITEMS MODE PAPILLON_SOURCE_DIR PAPILLON_BUILD_DIR WORK_DIR GENERATOR
                     CXX_COMPILER EXPECTED_VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer_test: ${var} is not set")
  endif()
endforeach()

function(run)
  list(JOIN ARGN " " shown)
  message(STATUS "run_consumer_test: ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run_consumer_test (${MODE}): command failed (${rc}): ${shown}")
  endif()
endfunction()

set(config_args "")
if(BUILD_TYPE)
  set(config_args --config "${BUILD_TYPE}")
endif()

set(stage "${WORK_DIR}/stage")
set(consumer_build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${consumer_build}")

set(configure_args
  -G "${GENERATOR}"
  "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
# The launcher (ccache) of papillon's own build, so the consumers' objects are reused too.
if(CXX_LAUNCHER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_LAUNCHER}")
endif()

if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${stage}")
  run("${CMAKE_COMMAND}" --install "${PAPILLON_BUILD_DIR}" --prefix "${stage}" ${config_args})
  set(source "${PAPILLON_SOURCE_DIR}/tests/package")
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${stage}")
  set(programs app app_core app_io app_ionq app_learning)
elseif(MODE STREQUAL "build_tree")
  set(source "${PAPILLON_SOURCE_DIR}/tests/package")
  list(APPEND configure_args "-Dpapillon_DIR=${PAPILLON_BUILD_DIR}")
  set(programs app app_core app_io app_ionq app_learning)
elseif(MODE STREQUAL "subdir")
  set(source "${PAPILLON_SOURCE_DIR}/tests/package_subdir")
  list(APPEND configure_args "-DPAPILLON_SOURCE_DIR=${PAPILLON_SOURCE_DIR}")
  set(programs app)
else()
  message(FATAL_ERROR "run_consumer_test: unknown MODE '${MODE}'")
endif()

run("${CMAKE_COMMAND}" -S "${source}" -B "${consumer_build}" ${configure_args})
run("${CMAKE_COMMAND}" --build "${consumer_build}" ${config_args} --parallel 2)

if(MODE STREQUAL "install" AND EXPECT_CLI)
  if(NOT EXISTS "${stage}/bin/papillon")
    message(FATAL_ERROR "run_consumer_test: the papillon tool was not installed to ${stage}/bin")
  endif()
  list(APPEND programs "${stage}/bin/papillon")
endif()

foreach(program IN LISTS programs)
  if(IS_ABSOLUTE "${program}")
    set(exe "${program}")
    set(exe_args --version)
  else()
    file(GLOB_RECURSE exe LIST_DIRECTORIES false "${consumer_build}/${program}"
         "${consumer_build}/*/${program}" "${consumer_build}/${program}.exe"
         "${consumer_build}/*/${program}.exe")
    list(GET exe 0 exe)
    set(exe_args "")
  endif()
  execute_process(COMMAND "${exe}" ${exe_args} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  message(STATUS "run_consumer_test: ${exe} ${exe_args} -> ${rc}: ${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run_consumer_test (${MODE}): ${exe} exited with ${rc}")
  endif()
  string(REPLACE "." "\\." version_regex "${EXPECTED_VERSION}")
  if(NOT out MATCHES "^papillon ${version_regex}\n")
    message(FATAL_ERROR "run_consumer_test (${MODE}): ${exe} printed '${out}'")
  endif()
endforeach()
