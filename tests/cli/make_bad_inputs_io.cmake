# Writes the large bad inputs of bad_inputs_io.cmake into DIR at test time (fixture
# cli_io_inputs), so the repository keeps only small files.
#   cmake -DDIR=<dir> -P make_bad_inputs_io.cmake

if(NOT DIR)
  message(FATAL_ERROR "make_bad_inputs_io: DIR is required")
endif()
file(MAKE_DIRECTORY "${DIR}")

# 100 000 nested brackets, unclosed and closed.
string(REPEAT "[" 100000 open)
string(REPEAT "]" 100000 close)
file(WRITE "${DIR}/nested_open.json" "${open}")
file(WRITE "${DIR}/nested_closed.json" "${open}${close}")
# 100 000 nested objects.
string(REPEAT "{\"a\":" 100000 objects)
file(WRITE "${DIR}/nested_objects.json" "${objects}")

# A 16 MiB cell that is not a number, and a 1 MiB format tag.
string(REPEAT "9" 1048576 mib)
string(REPEAT "${mib}" 16 cell)
file(WRITE "${DIR}/big_cell.csv" "HR,NIMAP\n80,75\n92,${cell}x\n")
file(WRITE "${DIR}/big_format.json"
     "{\"format\": \"${mib}\", \"qubits\": 1, \"gates\": []}\n")
# A 1 MiB header name and a duplicate of it.
file(WRITE "${DIR}/big_header.csv" "${mib},${mib}\n1,2\n")
