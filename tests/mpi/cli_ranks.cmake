# `papillon impute` under mpirun: the completed data at 2 ranks is the same bytes as at 1 rank,
# rank 0 alone prints (one JSON document on stdout) and --progress names the ranks.
#   cmake -DMPIRUN=<;-list: launcher, -np flag, flags> -DCLI=<papillon> -DWORK=<dir> -P cli_ranks.cmake
file(MAKE_DIRECTORY "${WORK}")
set(args impute --synthetic 120 --method qnn --qubits 4 --epochs 2 --copies 2 --seeds 1
         --folds 2 --chunk-size 8)
foreach(n 1 2)
  list(GET MPIRUN 0 launcher)
  list(GET MPIRUN 1 np_flag)
  list(SUBLIST MPIRUN 2 -1 flags)
  execute_process(COMMAND ${launcher} ${np_flag} ${n} ${flags} "${CLI}" ${args} --progress
                          --imputed "${WORK}/imputed_np${n}.csv"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 240)
  if(NOT rc STREQUAL "0")
    message(FATAL_ERROR "np ${n} failed (${rc})\n${out}\n${err}")
  endif()
  string(JSON format ERROR_VARIABLE json_error GET "${out}" format)
  if(json_error OR NOT format STREQUAL "papillon.impute.v1")
    message(FATAL_ERROR "np ${n}: stdout is not one impute document (${json_error})\n${out}")
  endif()
  string(REGEX MATCHALL "papillon.impute.v1" documents "${out}")
  list(LENGTH documents count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "np ${n}: ${count} documents on stdout; only rank 0 may print")
  endif()
  if(n EQUAL 2)
    string(JSON ranks GET "${out}" settings ranks)
    if(NOT ranks EQUAL 2 OR NOT err MATCHES "\\[2 ranks\\]")
      message(FATAL_ERROR "np 2: the ranks are not reported\n${out}\n${err}")
    endif()
  endif()
endforeach()
execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${WORK}/imputed_np1.csv"
                        "${WORK}/imputed_np2.csv" RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  message(FATAL_ERROR "the completed data differs between 1 and 2 ranks")
endif()
message(STATUS "1 and 2 ranks: the same completed data, one document")
