# `papillon grad` under mpirun: the gradient's circuits are spread over the ranks and the
# document on stdout is the same bytes at 1, 2 and 3 ranks, printed once.
#   cmake -DMPIRUN=<;-list: launcher, -np flag, flags> -DCLI=<papillon> -DCIRCUIT=<json> -P ...
list(GET MPIRUN 0 launcher)
list(GET MPIRUN 1 np_flag)
list(SUBLIST MPIRUN 2 -1 flags)
set(common "${CIRCUIT}" --params "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0,1.1,1.2"
           --weights "1:1,2:2,4:3,8:4,16:5,32:6,64:7,128:8" --seed 7)
foreach(method "shift;--shots;100" "finite" "parallel;--allow-approximate;--shots;50")
  set(reference "")
  foreach(n 1 2 3)
    execute_process(COMMAND ${launcher} ${np_flag} ${n} ${flags} "${CLI}" grad ${common}
                            --method ${method}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
    if(NOT rc STREQUAL "0")
      message(FATAL_ERROR "--method ${method}, np ${n} failed (${rc})\n${out}\n${err}")
    endif()
    string(REGEX MATCHALL "\"gradient\"" documents "${out}")
    list(LENGTH documents count)
    if(NOT count EQUAL 1)
      message(FATAL_ERROR "--method ${method}, np ${n}: ${count} documents; only rank 0 prints")
    endif()
    if(n EQUAL 1)
      set(reference "${out}")
    elseif(NOT out STREQUAL reference)
      message(FATAL_ERROR "--method ${method}: np ${n} differs from np 1\n${out}\n${reference}")
    endif()
  endforeach()
endforeach()
message(STATUS "grad: the same document at 1, 2 and 3 ranks for shift, finite and parallel")
