# Finds what the Python module needs (docs/python.md) and sets papillon_with_python.
#
# PAPILLON_PYTHON: OFF (default), ON (fail when something is missing) or AUTO (build the module
# when everything is found). Needs a Python 3 interpreter with its development headers, numpy,
# and pybind11's CMake package. Another interpreter than the first python3 on PATH is chosen
# with -DPython3_EXECUTABLE=<path> (the interpreter whose numpy, torch and scikit-learn the
# module is used with).
include_guard(GLOBAL)

set(PAPILLON_PYTHON OFF CACHE STRING "Build the Python module: OFF, ON or AUTO")
set_property(CACHE PAPILLON_PYTHON PROPERTY STRINGS OFF ON AUTO)
string(TOUPPER "${PAPILLON_PYTHON}" papillon_python_mode)
if(NOT papillon_python_mode MATCHES "^(OFF|ON|AUTO)$")
  message(FATAL_ERROR "PAPILLON_PYTHON must be OFF, ON or AUTO, not '${PAPILLON_PYTHON}'")
endif()

set(papillon_with_python OFF)
if(NOT papillon_python_mode STREQUAL "OFF")
  set(papillon_python_missing "")
  find_package(Python3 3.8 QUIET COMPONENTS Interpreter Development.Module)
  if(NOT Python3_FOUND)
    list(APPEND papillon_python_missing "a Python 3 interpreter with its headers (python3-dev)")
  else()
    # pybind11 finds the same interpreter: Python3 is found first.
    find_package(pybind11 2.6 CONFIG QUIET)
    if(NOT pybind11_FOUND)
      list(APPEND papillon_python_missing "pybind11 (pybind11-dev)")
    endif()
    execute_process(COMMAND "${Python3_EXECUTABLE}" -c "import numpy"
                    RESULT_VARIABLE papillon_numpy_rc OUTPUT_QUIET ERROR_QUIET)
    if(NOT papillon_numpy_rc EQUAL 0)
      list(APPEND papillon_python_missing "numpy for ${Python3_EXECUTABLE} (python3-numpy)")
    endif()
  endif()
  if(papillon_python_missing)
    list(JOIN papillon_python_missing ", " papillon_python_missing)
    if(papillon_python_mode STREQUAL "ON")
      message(FATAL_ERROR "PAPILLON_PYTHON=ON, but not found: ${papillon_python_missing}. "
                          "Install them, pass -DPython3_EXECUTABLE=<python3 that has them>, or "
                          "set PAPILLON_PYTHON=AUTO or OFF.")
    endif()
    message(STATUS "papillon: no Python module (not found: ${papillon_python_missing})")
  else()
    set(papillon_with_python ON)
    message(STATUS "papillon: Python module for ${Python3_EXECUTABLE} (${Python3_VERSION})")
  endif()
endif()
