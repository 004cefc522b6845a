# Bad inputs of the readers (circuit JSON, CSV) and the IonQ options: each exits 2 with one short
# line naming the file, field or option. Large inputs are written at test time into the build
# directory by make_bad_inputs_io.cmake (fixture cli_io_inputs); small ones are in data/.

set(papillon_io_dir "${CMAKE_CURRENT_BINARY_DIR}/bad_inputs_io")
add_test(NAME cli_bad_io_make_inputs
         COMMAND "${CMAKE_COMMAND}" "-DDIR=${papillon_io_dir}"
                 -P "${CMAKE_CURRENT_SOURCE_DIR}/make_bad_inputs_io.cmake")
set_tests_properties(cli_bad_io_make_inputs PROPERTIES FIXTURES_SETUP cli_io_inputs LABELS cli)

# papillon_add_bad_io_test(<name> ARGS <arg>... REGEX <regex>...): exit 2, one line on stderr.
# A regex must not hold an unbalanced '[': CMake would not split the list there.
function(papillon_add_bad_io_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "ARGS;REGEX")
  papillon_add_cli_test(NAME cli_bad_io_${name}
    ARGS ${arg_ARGS}
    EXIT_CODE 2
    STDERR_ONE_LINE
    STDERR_REGEX "^papillon: error: " ${arg_REGEX})
  set_tests_properties(cli_bad_io_${name} PROPERTIES FIXTURES_REQUIRED cli_io_inputs)
endfunction()

set(d "${PAPILLON_CLI_TEST_DATA}")
set(g "${papillon_io_dir}")

# ---- Circuit JSON ---------------------------------------------------------------------------------
foreach(cmd IN ITEMS run transpile)
  papillon_add_bad_io_test(${cmd}_nested_open ARGS ${cmd} "${g}/nested_open.json"
    REGEX "JSON nested too deeply" "more than 64 levels" "nested_open\\.json")
  papillon_add_bad_io_test(${cmd}_directory ARGS ${cmd} "${d}"
    REGEX "is a directory" "tests/cli/data")
endforeach()
papillon_add_bad_io_test(run_nested_closed ARGS run "${g}/nested_closed.json"
  REGEX "JSON nested too deeply" "nested_closed\\.json")
papillon_add_bad_io_test(run_nested_objects ARGS run "${g}/nested_objects.json"
  REGEX "JSON nested too deeply" "at a\\.a\\.a" "nested_objects\\.json")
papillon_add_bad_io_test(grad_nested ARGS grad "${g}/nested_closed.json" --params 0.1
  --weights 1:1 REGEX "JSON nested too deeply" "nested_closed\\.json")
papillon_add_bad_io_test(grad_directory ARGS grad "${d}" --params 0.1 --weights 1:1
  REGEX "is a directory")
papillon_add_bad_io_test(run_angle_1e999 ARGS run "${d}/io_angle_1e999.json"
  REGEX "number out of range" "gates\\[0\\]\\.theta" "1e999" "io_angle_1e999\\.json")
papillon_add_bad_io_test(transpile_angle_1e999 ARGS transpile "${d}/io_angle_1e999.json"
  REGEX "number out of range" "gates\\[0\\]\\.theta" "io_angle_1e999\\.json")
papillon_add_bad_io_test(run_big_format ARGS run "${g}/big_format.json"
  REGEX "unsupported format \"9999" "\\.\\.\\. \\(1048576 bytes\\)" "big_format\\.json")
papillon_add_bad_io_test(run_gate_escape ARGS run "${d}/io_gate_escape.json"
  REGEX "unknown gate \"h\\\\x1b.2J\"" "io_gate_escape\\.json")

# ---- CSV ------------------------------------------------------------------------------------------
# Only requested columns are parsed: each case requests the column of its bad cell.
papillon_add_bad_io_test(csv_big_cell ARGS impute --data "${g}/big_cell.csv" --columns HR,NIMAP
  --method mean
  REGEX "not a finite number" "\\.\\.\\. \\(16777217 bytes\\)" "big_cell\\.csv, line 3, column 2")
papillon_add_bad_io_test(csv_nul_cell ARGS impute --data "${d}/io_nul_cell.csv"
  --columns HR,NIMAP --method mean
  REGEX "not a finite number: '7\\\\0x'" "io_nul_cell\\.csv, line 3, column 2 'NIMAP'")
# The column's name holds ESC [: last in ARGS, as an unbalanced '[' would join the list
# elements after it.
string(ASCII 27 papillon_esc)
papillon_add_bad_io_test(csv_escape_cell ARGS impute --data "${d}/io_escape_cell.csv"
  --method mean --columns "HR,${papillon_esc}[2JNIMAP"
  REGEX "'abc\\\\x07'" "column 2 '\\\\x1b.2JNIMAP'")
papillon_add_bad_io_test(csv_big_header ARGS impute --data "${g}/big_header.csv" --columns HR
  --method mean
  REGEX "bad header" "duplicate column name" "big_header\\.csv")
papillon_add_bad_io_test(csv_directory ARGS impute --data "${d}" --method mean
  REGEX "is a directory" "tests/cli/data")

# ---- IonQ options ---------------------------------------------------------------------------------
foreach(value IN ITEMS 0 -5 nan 1e999 604801)
  string(REPLACE "-" "minus" tag "${value}")
  papillon_add_bad_io_test(ionq_timeout_${tag}
    ARGS run "${d}/run_h_cnot.json" --backend ionq --dry-run --ionq-timeout ${value}
    REGEX "--ionq-timeout")
endforeach()
