# Optional XGBoost detection for the downstream mortality classifier of the imputation
# benchmark (spec/method.md section 5.1: the group's earlier study used XGBoost with default
# parameters). The L2 logistic regression in include/papillon/eval/ always works; XGBoost is an
# extra, used only when found.
#
# Debian 12 ships it as libxgboost-dev (1.7.4), which installs include/xgboost/c_api.h and
# libxgboost.so but no CMake package, so both the config package (upstream builds) and a plain
# header/library search are tried.
#
# Result (include this file from the top-level CMakeLists.txt):
#   PAPILLON_WITH_XGBOOST   option, default ON: look for XGBoost at all
#   papillon_xgboost_FOUND  TRUE when usable
#   papillon::xgboost       INTERFACE target carrying the include directory, the library and
#                           the compile definition PAPILLON_HAVE_XGBOOST=1
include_guard(GLOBAL)

option(PAPILLON_WITH_XGBOOST "Use XGBoost for the downstream classifier when it is found" ON)
set(papillon_xgboost_FOUND FALSE)

if(PAPILLON_WITH_XGBOOST)
  find_package(xgboost CONFIG QUIET)
  if(TARGET xgboost::xgboost)
    add_library(papillon_xgboost INTERFACE)
    target_link_libraries(papillon_xgboost INTERFACE xgboost::xgboost)
    set(papillon_xgboost_FOUND TRUE)
  else()
    find_path(PAPILLON_XGBOOST_INCLUDE_DIR NAMES xgboost/c_api.h)
    find_library(PAPILLON_XGBOOST_LIBRARY NAMES xgboost)
    mark_as_advanced(PAPILLON_XGBOOST_INCLUDE_DIR PAPILLON_XGBOOST_LIBRARY)
    if(PAPILLON_XGBOOST_INCLUDE_DIR AND PAPILLON_XGBOOST_LIBRARY)
      add_library(papillon_xgboost INTERFACE)
      target_include_directories(papillon_xgboost SYSTEM INTERFACE "${PAPILLON_XGBOOST_INCLUDE_DIR}")
      target_link_libraries(papillon_xgboost INTERFACE "${PAPILLON_XGBOOST_LIBRARY}")
      set(papillon_xgboost_FOUND TRUE)
    endif()
  endif()
endif()

if(papillon_xgboost_FOUND)
  target_compile_definitions(papillon_xgboost INTERFACE PAPILLON_HAVE_XGBOOST=1)
  add_library(papillon::xgboost ALIAS papillon_xgboost)
  message(STATUS "papillon: XGBoost found; the XGBoost downstream classifier can be built")
elseif(PAPILLON_WITH_XGBOOST)
  message(STATUS "papillon: XGBoost not found (Debian: apt-get install libxgboost-dev); "
                 "the downstream classifier is the L2 logistic regression")
endif()
