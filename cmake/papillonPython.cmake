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

# PAPILLON_PYTHON_TORCH: the extension papillon._torch, the quantum layer as a torch operation
# with its autograd node in C++ (docs/python.md). AUTO (default) builds it when the module is
# built and libtorch's CMake package (Debian: libtorch-dev) matches the interpreter's torch; ON
# fails otherwise; OFF leaves papillon.torch on its pure-Python autograd.Function.
set(PAPILLON_PYTHON_TORCH AUTO CACHE STRING
    "Build papillon._torch (the quantum layer's autograd in C++, needs libtorch): OFF, ON or AUTO")
set_property(CACHE PAPILLON_PYTHON_TORCH PROPERTY STRINGS OFF ON AUTO)
string(TOUPPER "${PAPILLON_PYTHON_TORCH}" papillon_torch_mode)
if(NOT papillon_torch_mode MATCHES "^(OFF|ON|AUTO)$")
  message(FATAL_ERROR "PAPILLON_PYTHON_TORCH must be OFF, ON or AUTO, not "
                      "'${PAPILLON_PYTHON_TORCH}'")
endif()

set(papillon_with_torch OFF)
if(papillon_with_python AND NOT papillon_torch_mode STREQUAL "OFF")
  set(papillon_torch_missing "")
  # The extension must link the libtorch the interpreter's torch loads: a pip wheel ships its
  # CMake package inside the torch package, Debian's python3-torch uses libtorch-dev's.
  execute_process(
    COMMAND "${Python3_EXECUTABLE}" -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
    RESULT_VARIABLE papillon_torch_rc OUTPUT_VARIABLE papillon_torch_prefix
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT papillon_torch_rc EQUAL 0)
    list(APPEND papillon_torch_missing "torch for ${Python3_EXECUTABLE} (python3-torch)")
  else()
    find_package(Torch CONFIG QUIET HINTS "${papillon_torch_prefix}/Torch")
    if(NOT Torch_FOUND)
      list(APPEND papillon_torch_missing "libtorch's CMake package (libtorch-dev)")
    else()
      find_library(PAPILLON_TORCH_PYTHON_LIBRARY torch_python
                   HINTS "${TORCH_INSTALL_PREFIX}/lib" "${papillon_torch_prefix}/../../lib")
      if(NOT PAPILLON_TORCH_PYTHON_LIBRARY)
        list(APPEND papillon_torch_missing "libtorch_python (libtorch-dev)")
      endif()
      # The library and the module are built with the new libstdc++ ABI; a libtorch built with
      # the old one cannot share std::string with them.
      if("${TORCH_CXX_FLAGS}" MATCHES "_GLIBCXX_USE_CXX11_ABI=0")
        list(APPEND papillon_torch_missing "a libtorch built with the C++11 ABI "
                                           "(${TORCH_INSTALL_PREFIX} has the old one)")
      endif()
    endif()
  endif()
  if(papillon_torch_missing)
    list(JOIN papillon_torch_missing ", " papillon_torch_missing)
    if(papillon_torch_mode STREQUAL "ON")
      message(FATAL_ERROR "PAPILLON_PYTHON_TORCH=ON, but not found: ${papillon_torch_missing}. "
                          "Install them or set PAPILLON_PYTHON_TORCH=AUTO or OFF.")
    endif()
    message(STATUS "papillon: papillon.torch runs its pure-Python autograd.Function "
                   "(no papillon._torch; not found: ${papillon_torch_missing})")
  else()
    set(papillon_with_torch ON)
    message(STATUS "papillon: papillon.torch runs the C++ autograd op papillon._torch "
                   "(libtorch ${Torch_VERSION} in ${TORCH_INSTALL_PREFIX})")
  endif()
elseif(papillon_with_python)
  message(STATUS "papillon: papillon.torch runs its pure-Python autograd.Function "
                 "(PAPILLON_PYTHON_TORCH=OFF)")
endif()
