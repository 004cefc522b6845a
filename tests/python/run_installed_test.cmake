# cmake -DPYTHON=... -DBUILD_DIR=... -DWORK_DIR=... -DSITE_DIR=<relative site dir> -DSCRIPT=...
#       -DCOMPONENTS=<install components, comma-separated> [-DBUILD_TYPE=...] -P run_installed_test.cmake
#
# Installs the components of BUILD_DIR into WORK_DIR/prefix and runs SCRIPT with PYTHONPATH set to the installed
# site directory only, from WORK_DIR, so the build tree's package cannot be imported instead.
cmake_minimum_required(VERSION 3.21)

foreach(var IN ITEMS PYTHON BUILD_DIR WORK_DIR SITE_DIR SCRIPT COMPONENTS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_installed_test: ${var} is not set")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${prefix}")
set(config_args "")
if(BUILD_TYPE)
  set(config_args --config "${BUILD_TYPE}")
endif()
string(REPLACE "," ";" COMPONENTS "${COMPONENTS}")
foreach(component IN LISTS COMPONENTS)
  execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}"
                          --component "${component}" ${config_args}
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run_installed_test: cmake --install of ${component} failed (${rc})")
  endif()
endforeach()
set(site "${prefix}/${SITE_DIR}")
if(NOT EXISTS "${site}/papillon/__init__.py")
  message(FATAL_ERROR "run_installed_test: no package at ${site}/papillon")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -E env "PYTHONPATH=${site}" PYTHONDONTWRITEBYTECODE=1
                        "${PYTHON}" "${SCRIPT}" "${site}"
                WORKING_DIRECTORY "${WORK_DIR}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run_installed_test: the installed module failed (${rc})")
endif()
