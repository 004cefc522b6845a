# `papillon impute --checkpoint DIR` survives a kill: runs the benchmark once without
# interruption, then again with --checkpoint, kills that run with SIGKILL once the MLP has
# written a trainer checkpoint, reruns it with the same arguments, and requires the two JSON
# reports to be equal apart from their wall times ("wall_seconds", "impute_seconds").
#
#   cmake -DPAPILLON=<binary> -DWORK_DIR=<dir> -P impute_resume.cmake
cmake_minimum_required(VERSION 3.21)

foreach(var IN ITEMS PAPILLON WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "impute_resume.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(dir "${WORK_DIR}/checkpoint")
set(args impute --synthetic 150 --method mean,knn,mlp --seeds 2 --folds 2 --epochs 40
         --qubits 8 --copies 4)

execute_process(COMMAND "${PAPILLON}" ${args} --report "${WORK_DIR}/whole.json"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "uninterrupted run failed (${rc}): ${err}")
endif()

# The interrupted run: killed as soon as the first MLP unit has a trainer checkpoint (or when
# it ends by itself, which leaves nothing to resume and fails the check below).
set(quoted "")
foreach(a IN LISTS args)
  string(APPEND quoted " '${a}'")
endforeach()
execute_process(
  COMMAND /bin/sh -c
    "'${PAPILLON}'${quoted} --checkpoint '${dir}' >/dev/null 2>&1 & pid=$!
     while kill -0 $pid 2>/dev/null; do
       for f in '${dir}'/train-*-mlp-seed*.json; do
         if [ -e \"$f\" ]; then kill -9 $pid; wait $pid; exit 0; fi
       done
       sleep 0.02
     done
     exit 3"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the run ended before it could be killed mid-training (${rc})")
endif()
file(GLOB units "${dir}/unit-*.json")
list(LENGTH units finished)
if(finished EQUAL 0)
  message(FATAL_ERROR "the killed run kept no finished unit in ${dir}")
endif()
message(STATUS "killed with ${finished} finished unit(s) and a trainer checkpoint")

execute_process(COMMAND "${PAPILLON}" ${args} --checkpoint "${dir}"
                        --report "${WORK_DIR}/resumed.json"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "resumed run failed (${rc}): ${err}")
endif()
if(NOT err MATCHES "loaded from the checkpoint")
  message(FATAL_ERROR "the resumed run loaded nothing from the checkpoint: ${err}")
endif()

function(strip_times file out)
  file(READ "${file}" doc)
  string(JSON doc REMOVE "${doc}" wall_seconds)
  string(JSON n LENGTH "${doc}" methods)
  math(EXPR last "${n} - 1")
  foreach(m RANGE ${last})
    string(JSON doc REMOVE "${doc}" methods ${m} wall_seconds)
    string(JSON runs LENGTH "${doc}" methods ${m} runs)
    math(EXPR last_run "${runs} - 1")
    foreach(r RANGE ${last_run})
      string(JSON doc REMOVE "${doc}" methods ${m} runs ${r} impute_seconds)
    endforeach()
  endforeach()
  set(${out} "${doc}" PARENT_SCOPE)
endfunction()
strip_times("${WORK_DIR}/whole.json" whole)
strip_times("${WORK_DIR}/resumed.json" resumed)
string(JSON same EQUAL "${whole}" "${resumed}")
if(NOT same)
  message(FATAL_ERROR "the resumed report differs from the uninterrupted one: compare "
                      "${WORK_DIR}/whole.json and ${WORK_DIR}/resumed.json")
endif()

# The same directory with other arguments is refused, naming the option.
execute_process(COMMAND "${PAPILLON}" ${args} --knn 3 --checkpoint "${dir}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 2 OR NOT err MATCHES "^[^\n]*--checkpoint[^\n]*differs in 'settings'[^\n]*\n?$"
   OR NOT out STREQUAL "")
  message(FATAL_ERROR "a directory from other arguments was not refused (${rc}): ${err}")
endif()
