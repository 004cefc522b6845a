# `papillon impute` on degenerate data (included from tests/cli/CMakeLists.txt): refused with one
# line naming the file or column, or scored with a warning in the report (docs/imputation.md,
# "Degenerate data"); and the --checkpoint kill-and-resume test (impute_resume.cmake).

papillon_add_cli_test(NAME cli_impute_one_row
  ARGS impute --data "${PAPILLON_CLI_TEST_DATA}/impute_one_row.csv" --columns HR,NIMAP,Temp
       --method mean
  EXIT_CODE 2
  STDERR_ONE_LINE
  STDERR_REGEX "too few rows" "impute_one_row\\.csv: 1 row\\(s\\), at least 10")
papillon_add_cli_test(NAME cli_impute_two_rows
  ARGS impute --data "${PAPILLON_CLI_TEST_DATA}/impute_two_rows.csv" --columns HR,NIMAP,Temp
       --method mean,knn
  EXIT_CODE 2
  STDERR_ONE_LINE
  STDERR_REGEX "too few rows" "impute_two_rows\\.csv: 2 row\\(s\\)")
papillon_add_cli_test(NAME cli_impute_all_missing_target
  ARGS impute --data "${PAPILLON_CLI_TEST_DATA}/impute_all_missing.csv" --columns HR,NIMAP,Temp
       --method mean
  EXIT_CODE 2
  STDERR_ONE_LINE
  STDERR_REGEX "target column 'Temp' has no observed value" "impute_all_missing\\.csv")
papillon_add_cli_test(NAME cli_impute_all_missing_covariate
  ARGS impute --data "${PAPILLON_CLI_TEST_DATA}/impute_all_missing.csv" --columns HR,NIMAP
       --covariates Temp --method mean
  EXIT_CODE 2
  STDERR_ONE_LINE
  STDERR_REGEX "covariate column 'Temp' has no observed value")
papillon_add_cli_test(NAME cli_impute_too_few_for_folds
  ARGS impute --data "${PAPILLON_CLI_TEST_DATA}/impute_one_positive.csv" --columns HR,NIMAP,Temp
       --outcome death --folds 3 --method mean
  EXIT_CODE 2
  STDERR_ONE_LINE
  STDERR_REGEX "outcome column 'death' has too few rows of class 1"
               "1 labelled row\\(s\\), 3 folds")
papillon_add_cli_test(NAME cli_impute_too_few_for_mask
  ARGS impute --data "${PAPILLON_CLI_TEST_DATA}/impute_too_sparse.csv" --columns HR --method mean
  EXIT_CODE 2
  STDERR_ONE_LINE
  STDERR_REGEX "the mask hides no target cell" "impute_too_sparse\\.csv: seed 0")
papillon_add_cli_test(NAME cli_impute_constant_column
  ARGS impute --data "${PAPILLON_CLI_TEST_DATA}/impute_constant.csv" --columns HR,NIMAP,Temp
       --outcome death --folds 2 --seeds 2 --method mean
  STDOUT_JSON
  STDOUT_REGEX "\"warnings\": .\n *\"target column 'Temp' is constant \\(every observed value is 37\\)"
  STDERR_REGEX "warning: target column 'Temp' is constant")
papillon_add_cli_test(NAME cli_impute_few_observed
  ARGS impute --data "${PAPILLON_CLI_TEST_DATA}/impute_too_sparse.csv" --columns HR,NIMAP
       --outcome death --folds 2 --method mean
  STDOUT_JSON
  STDOUT_REGEX "target column 'HR' has only 1 observed cell"
               "\"rmse\": {[^}]*\"mean\": [0-9]")
# Every output path is checked before any work (docs/cli.md section 2), so an HTML path that
# cannot be written now fails at once, naming --html, and nothing has run that could be lost.
# (The JSON report is still written before the HTML, for failures that come later.)
papillon_add_cli_test(NAME cli_impute_html_checked_first
  ARGS impute --synthetic 60 --method mean --seeds 1 --folds 2
       --report "${CMAKE_CURRENT_BINARY_DIR}/impute_json_before_html.json"
       --html "${CMAKE_CURRENT_BINARY_DIR}/no-such-directory/report.html"
  EXIT_CODE 2
  STDERR_ONE_LINE
  STDOUT_REGEX "^$"
  STDERR_REGEX "cannot write the --html file: .*report\\.html")

if(UNIX)
  add_test(NAME cli_impute_checkpoint_resume
    COMMAND "${CMAKE_COMMAND}" -DPAPILLON=$<TARGET_FILE:papillon_cli>
            -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/impute_checkpoint_resume
            -P "${CMAKE_CURRENT_SOURCE_DIR}/impute_resume.cmake")
  set_tests_properties(cli_impute_checkpoint_resume PROPERTIES LABELS cli)
endif()
