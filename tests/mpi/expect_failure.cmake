# Runs an MPI job that must fail: a non-zero exit, within TIMEOUT seconds, with EXPECT in its
# error output.
#   cmake -DCOMMAND=<;-list> -DEXPECT=<regex> -DTIMEOUT=<s> -P expect_failure.cmake
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                TIMEOUT ${TIMEOUT})
if(rc STREQUAL "0")
  message(FATAL_ERROR "the job succeeded; it should have failed\n${out}\n${err}")
endif()
if(rc MATCHES "timeout|Process terminated due to timeout")
  message(FATAL_ERROR "the job hung (no exit within ${TIMEOUT} s)\n${out}\n${err}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "the failing rank's message is missing (wanted '${EXPECT}')\n${out}\n${err}")
endif()
message(STATUS "failed as expected (exit ${rc})")
