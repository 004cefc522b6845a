# Optional XGBoost detection for the downstream mortality classifier of the imputation
# benchmark (docs/method.md section 5.1: the group's earlier study used XGBoost with default
# parameters). The L2 logistic regression in include/papillon/eval/ always works; XGBoost is an
# extra, used only when found.
#
# Two callers include this file:
#   - the top-level CMakeLists.txt: XGBoost is optional, PAPILLON_WITH_XGBOOST switches the
#     search off, and a status message says what was found;
#   - the installed (or build-tree) papillonConfig.cmake, with papillon_xgboost_from_package
#     set, when papillon was built with XGBoost: the same search recreates papillon::xgboost for
#     the consumer (the role find_dependency() plays for packages with a CMake config), quietly,
#     and without the option.
#
# Search order. Debian 12 ships XGBoost as libxgboost-dev (1.7.4), which installs
# include/xgboost/c_api.h and libxgboost.so, and also a CMake package (xgboost-config.cmake) that
# cannot be loaded on its own: its XGBoostTargets file also exports the `xgboost` command-line
# program (xgboost::runxgboost), checks that /usr/bin/xgboost exists, and stops the configure
# with a FATAL_ERROR when it does not (that program is in the separate `xgboost` package), QUIET
# or not. So XGBoost's config package is used only when it is named explicitly with
# -Dxgboost_DIR=<dir> (for example a static upstream build, which needs the package's own
# dependencies; a consumer of papillon built that way passes the same xgboost_DIR), and
# otherwise a plain header/library search (which also finds upstream installs under
# CMAKE_PREFIX_PATH: they ship the same two files).
#
# Result:
#   PAPILLON_WITH_XGBOOST   option, default ON: look for XGBoost at all (top level only)
#   papillon_xgboost_FOUND  TRUE when usable (also the `xgboost` component of the package)
#   papillon::xgboost       IMPORTED target carrying the include directory, the library and
#                           the compile definition PAPILLON_HAVE_XGBOOST=1

if(NOT papillon_xgboost_from_package)
  option(PAPILLON_WITH_XGBOOST "Use XGBoost for the downstream classifier when it is found" ON)
endif()
set(papillon_xgboost_FOUND FALSE)

if(TARGET papillon::xgboost)
  # Included again (a second find_package(papillon) in the same directory).
  set(papillon_xgboost_FOUND TRUE)
  return()
endif()
if(NOT papillon_xgboost_from_package AND NOT PAPILLON_WITH_XGBOOST)
  return()
endif()

# Inside papillon's own build the target must be visible from every directory (like the alias
# of a normal target); in a consumer it stays local to the directory that called find_package.
set(papillon_xgboost_scope GLOBAL)
if(papillon_xgboost_from_package)
  set(papillon_xgboost_scope "")
endif()

if(xgboost_DIR)
  find_package(xgboost CONFIG QUIET)
  if(TARGET xgboost::xgboost)
    if(papillon_xgboost_scope STREQUAL "GLOBAL")
      get_target_property(papillon_xgboost_is_global xgboost::xgboost IMPORTED_GLOBAL)
      if(NOT papillon_xgboost_is_global)
        set_target_properties(xgboost::xgboost PROPERTIES IMPORTED_GLOBAL TRUE)
      endif()
    endif()
    add_library(papillon::xgboost INTERFACE IMPORTED ${papillon_xgboost_scope})
    set_property(TARGET papillon::xgboost PROPERTY INTERFACE_LINK_LIBRARIES xgboost::xgboost)
    set(papillon_xgboost_FOUND TRUE)
  endif()
endif()

if(NOT papillon_xgboost_FOUND)
  find_path(PAPILLON_XGBOOST_INCLUDE_DIR NAMES xgboost/c_api.h)
  find_library(PAPILLON_XGBOOST_LIBRARY NAMES xgboost)
  mark_as_advanced(PAPILLON_XGBOOST_INCLUDE_DIR PAPILLON_XGBOOST_LIBRARY)
  if(PAPILLON_XGBOOST_INCLUDE_DIR AND PAPILLON_XGBOOST_LIBRARY)
    add_library(papillon::xgboost UNKNOWN IMPORTED ${papillon_xgboost_scope})
    set_target_properties(papillon::xgboost PROPERTIES
      IMPORTED_LOCATION "${PAPILLON_XGBOOST_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${PAPILLON_XGBOOST_INCLUDE_DIR}")
    set(papillon_xgboost_FOUND TRUE)
  endif()
endif()

if(papillon_xgboost_FOUND)
  set_property(TARGET papillon::xgboost PROPERTY
    INTERFACE_COMPILE_DEFINITIONS PAPILLON_HAVE_XGBOOST=1)
  if(NOT papillon_xgboost_from_package)
    message(STATUS "papillon: XGBoost found; the XGBoost downstream classifier is built")
  endif()
elseif(NOT papillon_xgboost_from_package)
  message(STATUS "papillon: XGBoost not found (Debian: apt-get install libxgboost-dev); "
                 "the downstream classifier is the L2 logistic regression")
endif()
