# The bad-input matrix of the command-line tool (docs/cli.md, "Bad input"): one row per case,
#
#   papillon_bad_input(<name> <stderr regex> <arg>...)
#
# Each case must exit 2 within the timeout, print exactly one line on stderr and nothing on
# stdout, and match "^papillon: error: .*<regex>", the regex naming the option, file, field or
# column the input is about. Then a few valid boundary cases (papillon_boundary_input) check
# that the limits are not off by one. Included from tests/cli/CMakeLists.txt.

set(bad_c4 "${PAPILLON_CLI_TEST_DATA}/run_butterfly4.json")  # 4 qubits, 4 parameters
set(bad_p4 "0.1,0.2,0.3,0.4")
set(bad_g8 "${PAPILLON_CLI_TEST_DATA}/grad_section8.json")  # 8 qubits, 12 parameters
set(bad_p12 "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0,1.1,1.2")
set(bad_dir "${PAPILLON_CLI_TEST_DATA}")                      # a directory where a file is due
set(bad_missing "${PAPILLON_CLI_TEST_DATA}/no_such_file.json")
set(bad_unwritable "${CMAKE_CURRENT_BINARY_DIR}/no_such_dir/out.json")
# Not a regular file: an atomic write (rename over it) must refuse it. A FIFO in the build tree,
# not /dev/null, so a regression replaces nothing of the system's.
set(bad_fifo "${CMAKE_CURRENT_BINARY_DIR}/not_regular.fifo")
if(NOT EXISTS "${bad_fifo}")
  execute_process(COMMAND mkfifo "${bad_fifo}")
endif()

function(papillon_bad_input name regex)
  papillon_add_cli_test(NAME cli_bad_${name}
    ARGS ${ARGN}
    EXIT_CODE 2
    STDERR_ONE_LINE
    STDOUT_REGEX "^$"
    STDERR_REGEX "^papillon: error: .*${regex}"
    LABELS bad_input)
  # A hang (the old `--shots -5`) fails instead of holding the suite.
  set_tests_properties(cli_bad_${name} PROPERTIES TIMEOUT 60)
endfunction()

function(papillon_boundary_input name stdout_regex)
  papillon_add_cli_test(NAME cli_boundary_${name}
    ARGS ${ARGN}
    STDOUT_REGEX "${stdout_regex}"
    LABELS bad_input)
  set_tests_properties(cli_boundary_${name} PROPERTIES TIMEOUT 120)
endfunction()

# ---- Class: negative number for an unsigned option (used to wrap to about 2^64) ---------------
papillon_bad_input(run_shots_negative "--shots: '-5' is negative" run ${bad_c4} --params ${bad_p4} --shots -5)
papillon_bad_input(grad_shots_negative "--shots: '-2' is negative" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --method shift --shots -2)
papillon_bad_input(run_seed_negative "--seed: '-1' is negative" run ${bad_c4} --params ${bad_p4} --shots 10 --seed -1)
papillon_bad_input(grad_seed_negative "--seed: '-1' is negative" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --method shift --shots 10 --seed -1)
papillon_bad_input(run_trajectories_negative "--trajectories: '-3' is negative" run ${bad_c4} --params ${bad_p4} --noise forte-1 --shots 10 --trajectories -3)
papillon_bad_input(run_ionq_max_shots_negative "--ionq-max-shots: '-1' is negative" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --ionq-max-shots -1)
papillon_bad_input(grad_max_batch_negative "--max-batch: '-1' is negative" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --method shift --max-batch -1)
papillon_bad_input(impute_synthetic_negative "--synthetic: '-5' is negative" impute --synthetic -5 --method mean)
papillon_bad_input(impute_seeds_negative "--seeds: '-1' is negative" impute --synthetic 100 --method mean --seeds -1)
papillon_bad_input(impute_first_seed_negative "--first-seed: '-1' is negative" impute --synthetic 100 --method mean --first-seed -1)
papillon_bad_input(impute_synthetic_seed_negative "--synthetic-seed: '-2' is negative" impute --synthetic 100 --method mean --synthetic-seed -2)
papillon_bad_input(impute_knn_negative "--knn: '-1' is negative" impute --synthetic 100 --method knn --knn -1)
papillon_bad_input(impute_shots_negative "--shots: '-3' is negative" impute --synthetic 100 --method mean --shots -3)
papillon_bad_input(impute_folds_negative "--folds: '-3' is negative" impute --synthetic 100 --method mean --folds -3)
papillon_bad_input(impute_epochs_negative "--epochs: '-1' is negative" impute --synthetic 100 --method mlp --epochs -1)
papillon_bad_input(impute_mice_imputations_negative "--mice-imputations: '-1' is negative" impute --synthetic 100 --method mice --mice-imputations -1)
papillon_bad_input(impute_mask_rate_negative "--mask-rate: '-0.1' is out of range" impute --synthetic 100 --method mean --mask-rate -0.1)
papillon_bad_input(plot_bench_fit_from_negative "--fit-from: '-1' is out of range" plot-bench "${PAPILLON_CLI_TEST_DATA}/bench_powers.csv" --fit-from -1)
papillon_bad_input(butterfly_qubits_negative "--qubits: '-2' is out of range" butterfly --qubits -2)

# ---- Class: zero where at least one is needed ---------------------------------------------------
papillon_bad_input(butterfly_qubits_zero "--qubits: '0' is out of range" butterfly --qubits 0)
papillon_bad_input(impute_synthetic_zero "--synthetic: '0' is out of range" impute --synthetic 0 --method mean)
papillon_bad_input(impute_seeds_zero "--seeds: '0' is out of range" impute --synthetic 100 --method mean --seeds 0)
papillon_bad_input(impute_folds_one "--folds: '1' is out of range; allowed: \\[2, 100\\]" impute --synthetic 100 --method mean --folds 1)
papillon_bad_input(impute_knn_zero "--knn: '0' is out of range" impute --synthetic 100 --method knn --knn 0)
papillon_bad_input(impute_epochs_zero "--epochs: '0' is out of range" impute --synthetic 100 --method mlp --epochs 0)
papillon_bad_input(impute_hardware_epochs_zero "--hardware-epochs: '0' is out of range" impute --synthetic 100 --method qnn --schedule hardware --hardware-epochs 0)
papillon_bad_input(impute_copies_zero "--copies: '0' is out of range" impute --synthetic 100 --method mlp --copies 0)
papillon_bad_input(impute_qubits_zero "--qubits: '0' is out of range" impute --synthetic 100 --method mlp --qubits 0)
papillon_bad_input(impute_wide_width_zero "--wide-width: '0' is out of range" impute --synthetic 100 --method wide --wide-width 0)
papillon_bad_input(impute_mice_iterations_zero "--mice-iterations: '0' is out of range" impute --synthetic 100 --method mice --mice-iterations 0)
papillon_bad_input(impute_mask_rate_zero "mask rate must be in \\(0, 1\\) \\(--mask-rate 0\\)" impute --synthetic 100 --method mean --mask-rate 0)
papillon_bad_input(impute_mask_rate_one "mask rate must be in \\(0, 1\\) \\(--mask-rate 1\\)" impute --synthetic 100 --method mean --mask-rate 1)
papillon_bad_input(run_ionq_max_shots_zero "--ionq-max-shots: '0' is out of range" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --ionq-max-shots 0)

# ---- Class: above the documented limit, and beyond 64 bits --------------------------------------
papillon_bad_input(run_shots_above_limit "--shots: '10000001' is out of range; allowed: \\[0, 10000000\\]" run ${bad_c4} --params ${bad_p4} --shots 10000001)
papillon_bad_input(run_shots_huge "--shots: '1000000000000000000' is out of range" run ${bad_c4} --params ${bad_p4} --shots 1000000000000000000)
papillon_bad_input(run_shots_overflow "--shots: '99999999999999999999999' is out of range" run ${bad_c4} --params ${bad_p4} --shots 99999999999999999999999)
papillon_bad_input(run_seed_overflow "--seed: '18446744073709551616' is out of range" run ${bad_c4} --params ${bad_p4} --shots 10 --seed 18446744073709551616)
papillon_bad_input(run_trajectories_above_limit "--trajectories: '10000001' is out of range" run ${bad_c4} --params ${bad_p4} --noise forte-1 --shots 10 --trajectories 10000001)
papillon_bad_input(run_ionq_max_shots_above_limit "--ionq-max-shots: '1000000001' is out of range" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --ionq-max-shots 1000000001)
papillon_bad_input(grad_shots_above_limit "--shots: '10000001' is out of range" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --method shift --shots 10000001)
papillon_bad_input(grad_max_batch_above_limit "--max-batch: '1000001' is out of range" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --method shift --max-batch 1000001)
papillon_bad_input(butterfly_qubits_above_limit "--qubits: '8192' is out of range; allowed: \\[1, 4096\\]" butterfly --qubits 8192)
papillon_bad_input(butterfly_qubits_overflow "--qubits: '99999999999999999999' is out of range" butterfly --qubits 99999999999999999999)
papillon_bad_input(impute_synthetic_above_limit "--synthetic: '1000001' is out of range" impute --synthetic 1000001 --method mean)
papillon_bad_input(impute_seeds_above_limit "--seeds: '1001' is out of range" impute --synthetic 100 --method mean --seeds 1001)
papillon_bad_input(impute_first_seed_above_limit "--first-seed: '18446744073709551615' is out of range" impute --synthetic 100 --method mean --first-seed 18446744073709551615)
papillon_bad_input(impute_folds_above_limit "--folds: '101' is out of range" impute --synthetic 100 --method mean --folds 101)
papillon_bad_input(impute_shots_above_limit "--shots: '10000001' is out of range" impute --synthetic 100 --method mean --shots 10000001)
papillon_bad_input(impute_qubits_above_limit "--qubits: '4096' is out of range; allowed: \\[1, 2048\\]" impute --synthetic 100 --method qnn --qubits 4096)
papillon_bad_input(impute_wide_width_above_limit "--wide-width: '2049' is out of range" impute --synthetic 100 --method wide --wide-width 2049)
papillon_bad_input(impute_epochs_above_limit "--epochs: '100001' is out of range" impute --synthetic 100 --method mlp --epochs 100001)
papillon_bad_input(impute_copies_above_limit "--copies: '1001' is out of range" impute --synthetic 100 --method mlp --copies 1001)
papillon_bad_input(impute_knn_above_limit "--knn: '10001' is out of range" impute --synthetic 100 --method knn --knn 10001)
papillon_bad_input(impute_mice_imputations_above_limit "--mice-imputations: '101' is out of range" impute --synthetic 100 --method mice --mice-imputations 101)
papillon_bad_input(impute_mask_rate_above_one "--mask-rate: '1.5' is out of range" impute --synthetic 100 --method mean --mask-rate 1.5)

# ---- Class: not a number, or not a plain whole number ------------------------------------------
papillon_bad_input(run_shots_text "--shots: 'abc' is not a whole number" run ${bad_c4} --params ${bad_p4} --shots abc)
papillon_bad_input(run_shots_exponent "--shots: '1e3' is not a whole number" run ${bad_c4} --params ${bad_p4} --shots 1e3)
papillon_bad_input(run_shots_hex "--shots: '0x10' is not a whole number" run ${bad_c4} --params ${bad_p4} --shots 0x10)
papillon_bad_input(run_shots_fraction "--shots: '1.5' is not a whole number" run ${bad_c4} --params ${bad_p4} --shots 1.5)
papillon_bad_input(run_shots_plus_sign "--shots: '\\+5' is not a whole number" run ${bad_c4} --params ${bad_p4} --shots +5)
papillon_bad_input(butterfly_qubits_text "--qubits: 'eight' is not a whole number" butterfly --qubits eight)
papillon_bad_input(impute_seeds_fraction "--seeds: '2.5' is not a whole number" impute --synthetic 100 --method mean --seeds 2.5)
papillon_bad_input(impute_mask_rate_text "--mask-rate: 'half' is not a finite number" impute --synthetic 100 --method mean --mask-rate half)
papillon_bad_input(run_params_text "'zz' is not a finite number \\(--params, entry 1\\)" run ${bad_c4} --params "0.1,zz,0.3,0.4")
papillon_bad_input(grad_wrt_text "'x' is not a parameter index \\(--wrt, entry 0\\)" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --wrt x)
papillon_bad_input(grad_wrt_negative "'-1' is not a parameter index \\(--wrt, entry 0\\)" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --wrt -1)
papillon_bad_input(grad_wrt_overflow "is not a parameter index \\(--wrt, entry 0\\)" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --wrt 99999999999999999999999)
papillon_bad_input(grad_weights_value_text "--weights, entry 0" grad ${bad_g8} --params ${bad_p12} --weights 1:x)
papillon_bad_input(grad_weights_key_text "basis state 'a' is not a decimal integer \\(--weights, entry 0\\)" grad ${bad_g8} --params ${bad_p12} --weights a:1)
papillon_bad_input(grad_weights_key_negative "basis state '-1' is not a decimal integer \\(--weights, entry 0\\)" grad ${bad_g8} --params ${bad_p12} --weights -1:1)
papillon_bad_input(grad_weights_no_colon "weight '3' is not <basis>:<weight> \\(--weights, entry 0\\)" grad ${bad_g8} --params ${bad_p12} --weights 3)
papillon_bad_input(butterfly_vector_text "--vector, entry 2" butterfly --qubits 4 --vector "1,2,x,4")

papillon_bad_input(run_shots_long_text "--shots: '1111111111111111111111111111111111111111\\.\\.\\.' is out of range" run ${bad_c4} --params ${bad_p4} --shots 1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111)
papillon_bad_input(run_shots_control_character "--shots: '1\\?2' is not a whole number" run ${bad_c4} --params ${bad_p4} --shots "1\t2")

# ---- Class: NaN, infinity and reals too large for a double -------------------------------------
papillon_bad_input(run_params_nan "'nan' is not a finite number \\(--params, entry 0\\)" run ${bad_c4} --params "nan,0.2,0.3,0.4")
papillon_bad_input(run_params_inf "'inf' is not a finite number \\(--params, entry 3\\)" run ${bad_c4} --params "0.1,0.2,0.3,inf")
papillon_bad_input(run_params_huge "'1e999' is not a finite number \\(--params, entry 1\\)" run ${bad_c4} --params "0.1,1e999,0.3,0.4")
papillon_bad_input(grad_weights_nan "--weights, entry 1" grad ${bad_g8} --params ${bad_p12} --weights "1:1,2:nan")
papillon_bad_input(butterfly_vector_inf "--vector, entry 0" butterfly --qubits 4 --vector "inf,1,1,1")
papillon_bad_input(impute_mask_rate_nan "--mask-rate: 'nan' is not a finite number" impute --synthetic 100 --method mean --mask-rate nan)
papillon_bad_input(impute_mask_rate_inf "--mask-rate: 'inf' is not a finite number" impute --synthetic 100 --method mean --mask-rate inf)
papillon_bad_input(plot_bench_fit_from_nan "--fit-from: 'nan' is not a finite number" plot-bench "${PAPILLON_CLI_TEST_DATA}/bench_powers.csv" --fit-from nan)
papillon_bad_input(plot_bench_fit_from_inf "--fit-from: 'inf' is not a finite number" plot-bench "${PAPILLON_CLI_TEST_DATA}/bench_powers.csv" --fit-from inf)

# ---- Class: empty value, empty list, empty list entry ------------------------------------------
papillon_bad_input(run_params_empty "--params: 1 required" run ${bad_c4} --params=)
papillon_bad_input(run_params_blank "--params has 0 values, the circuit has 4 parameters" run ${bad_c4} "--params= ")
papillon_bad_input(run_params_empty_entry "'' is not a finite number \\(--params, entry 1\\)" run ${bad_c4} --params "0.1,,0.3,0.4")
papillon_bad_input(run_params_only_comma "'' is not a finite number \\(--params, entry 0\\)" run ${bad_c4} --params ",")
papillon_bad_input(grad_weights_empty_entry "weight '' is not <basis>:<weight> \\(--weights, entry 1\\)" grad ${bad_g8} --params ${bad_p12} --weights "1:1,")
papillon_bad_input(grad_weights_blank "no weights given \\(--weights" grad ${bad_g8} --params ${bad_p12} "--weights= ")
papillon_bad_input(grad_wrt_empty_entry "'' is not a parameter index \\(--wrt, entry 1\\)" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --wrt "1,,2")
papillon_bad_input(butterfly_vector_only_comma "--vector, entry 0" butterfly --qubits 4 --vector ",")
papillon_bad_input(impute_method_blank "no method given \\(--method\\)" impute --synthetic 100 "--method= ")
papillon_bad_input(impute_method_only_comma "unknown method '' \\(--method" impute --synthetic 100 --method ",")
papillon_bad_input(impute_columns_empty_entry "no column '' in the data \\(--columns" impute --synthetic 100 --method mean --columns "HR,,Temp")
papillon_bad_input(impute_no_data "no data" impute --method mean)

# ---- Class: duplicate entries -------------------------------------------------------------------
papillon_bad_input(grad_wrt_duplicate "--wrt 1,1: .*parameter listed twice" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --wrt "1,1")
papillon_bad_input(impute_method_duplicate "method 'mean' given twice \\(--method\\)" impute --synthetic 100 --method "mean,mean")
papillon_bad_input(impute_columns_duplicate "--columns and --covariates: .*duplicate column name \\('HR'\\)" impute --synthetic 100 --method mean --columns "HR,HR")
papillon_bad_input(impute_covariate_is_target "--columns and --covariates: .*duplicate column name \\('Age'\\)" impute --synthetic 100 --method mean --columns "HR,Age")
papillon_bad_input(impute_log1p_duplicate "a column is listed twice \\(--log1p" impute --synthetic 100 --method mean --log1p "Urine,Urine")

# ---- Class: wrong count, or an index or state outside the circuit ------------------------------
papillon_bad_input(run_params_too_many "--params has 6 values, the circuit has 4 parameters" run ${bad_c4} --params "0.1,0.2,0.3,0.4,0.5,0.6")
papillon_bad_input(run_params_too_few "--params has 1 value, the circuit has 4 parameters" run ${bad_c4} --params 0.1)
papillon_bad_input(run_params_missing "--params has 0 values, the circuit has 4 parameters" run ${bad_c4})
papillon_bad_input(grad_params_too_many "--params has 13 values, the circuit has 12 parameters" grad ${bad_g8} --params "${bad_p12},1.3" --weights 1:1)
papillon_bad_input(transpile_params_too_many "--params has 5 values, the circuit has 4 parameters" transpile ${bad_c4} --params "${bad_p4},0.5")
papillon_bad_input(grad_wrt_out_of_range "--wrt 12: .*parameter index out of range" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --wrt 12)
papillon_bad_input(grad_weights_beyond_qubits "--weights: .*basis state beyond the qubits \\(state 256, 8 qubits\\)" grad ${bad_g8} --params ${bad_p12} --weights 256:1)
papillon_bad_input(grad_weights_wide_not_unary "does not fit 64 bits and is not a unary state \\(--weights, entry 0\\)" grad ${bad_g8} --params ${bad_p12} --weights 99999999999999999999999:1)
papillon_bad_input(butterfly_vector_too_short "--vector has 3 entries, --qubits is 8" butterfly --qubits 8 --vector "1,2,3")
papillon_bad_input(butterfly_qubits_not_power_of_two "--qubits 12: .*power of two" butterfly --qubits 12)
papillon_bad_input(butterfly_qubits_one "--qubits 1: .*power of two" butterfly --qubits 1)
papillon_bad_input(impute_qubits_not_power_of_two "--qubits 12 \\(qnn\\): .*power-of-two width" impute --synthetic 100 --method qnn --qubits 12)
papillon_bad_input(impute_qubits_all_methods "--qubits 12 \\(qnn\\): .*power-of-two width" impute --synthetic 100 --method all --qubits 12)

# ---- Class: missing input file, a directory given as a file ------------------------------------
papillon_bad_input(run_missing_file "cannot read the circuit file: no such file" run ${bad_missing})
papillon_bad_input(run_directory_as_file "cannot read the circuit file: it is a directory" run ${bad_dir})
papillon_bad_input(grad_directory_as_file "cannot read the circuit file: it is a directory" grad ${bad_dir} --weights 1:1)
papillon_bad_input(transpile_missing_file "cannot read the circuit file: no such file" transpile ${bad_missing})
papillon_bad_input(transpile_directory_as_file "cannot read the circuit file: it is a directory" transpile ${bad_dir})
papillon_bad_input(plot_bench_directory_as_file "cannot read the input file: it is a directory" plot-bench ${bad_dir})
papillon_bad_input(impute_data_missing "cannot read the --data file: no such file" impute --data "${PAPILLON_CLI_TEST_DATA}/no_such.csv" --method mean)
papillon_bad_input(impute_data_directory "cannot read the --data file: it is a directory" impute --data ${bad_dir} --method mean)
papillon_bad_input(run_ionq_key_file_missing "cannot read the --ionq-key-file: no such file" run ${bad_c4} --params ${bad_p4} --backend ionq --ionq-key-file ${bad_missing})
papillon_bad_input(impute_checkpoint_is_file "--checkpoint is not a directory" impute --synthetic 100 --method mean --checkpoint ${bad_c4})
papillon_bad_input(impute_mask_dir_is_file "--mask-dir is not a directory" impute --synthetic 100 --method mean --mask-dir ${bad_c4})

# ---- Class: unwritable output, a directory given as an output file -----------------------------
papillon_bad_input(run_output_unwritable "cannot write the --output file: it does not open" run ${bad_c4} --params ${bad_p4} --output ${bad_unwritable})
papillon_bad_input(run_output_directory "cannot write the --output file: it is a directory" run ${bad_c4} --params ${bad_p4} --output ${bad_dir})
papillon_bad_input(grad_output_unwritable "cannot write the --output file" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --output ${bad_unwritable})
papillon_bad_input(butterfly_output_directory "cannot write the --output file: it is a directory" butterfly --qubits 4 --draw --output ${bad_dir})
papillon_bad_input(transpile_output_unwritable "cannot write the --output file" transpile ${bad_c4} --params ${bad_p4} --output ${bad_unwritable})
papillon_bad_input(plot_bench_output_directory "cannot write the --output file: it is a directory" plot-bench "${PAPILLON_CLI_TEST_DATA}/bench_powers.csv" --output ${bad_dir})
papillon_bad_input(run_ionq_journal_directory "cannot write the --ionq-journal: it is a directory" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --ionq-journal ${bad_dir})
papillon_bad_input(impute_html_unwritable "cannot write the --html file" impute --synthetic 100 --method mean --html ${bad_unwritable})
papillon_bad_input(impute_html_device "--html file: it is not a regular file" impute --synthetic 100 --method mean --html ${bad_fifo})
papillon_bad_input(impute_report_directory "cannot write the --report file: it is a directory" impute --synthetic 100 --method mean --report ${bad_dir})
papillon_bad_input(impute_imputed_unwritable "cannot write the --imputed file" impute --synthetic 100 --method mean --imputed ${bad_unwritable})

# ---- Class: one file in two roles (an output over an input or over another output) --------------
papillon_bad_input(run_output_over_circuit "the circuit file and the --output file are the same file" run ${bad_c4} --params ${bad_p4} --output ${bad_c4})
papillon_bad_input(grad_output_over_circuit "the circuit file and the --output file are the same file" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --output ${bad_g8})
papillon_bad_input(transpile_output_over_circuit "the circuit file and the --output file are the same file" transpile ${bad_c4} --params ${bad_p4} --output ${bad_c4})
papillon_bad_input(plot_bench_output_over_input "the input file and the --output file are the same file" plot-bench "${PAPILLON_CLI_TEST_DATA}/bench_powers.csv" --output "${PAPILLON_CLI_TEST_DATA}/bench_powers.csv")
papillon_bad_input(impute_imputed_over_data "the --data file and the --imputed file are the same file" impute --data "${PAPILLON_CLI_TEST_DATA}/impute_bad.csv" --method mean --imputed "${PAPILLON_CLI_TEST_DATA}/impute_bad.csv")
papillon_bad_input(impute_report_and_html_same "the --report file and the --html file are the same file" impute --synthetic 100 --method mean --report "${CMAKE_CURRENT_BINARY_DIR}/same_report" --html "${CMAKE_CURRENT_BINARY_DIR}/same_report")

# ---- Class: unknown name of a choice ------------------------------------------------------------
papillon_bad_input(run_unknown_mode "--mode: sideways not in" run ${bad_c4} --params ${bad_p4} --mode sideways)
papillon_bad_input(run_unknown_backend "--backend: qpu not in \\{sim,ionq\\}" run ${bad_c4} --params ${bad_p4} --backend qpu)
papillon_bad_input(run_unknown_noise "--noise nowhere-1: .*unknown noise model" run ${bad_c4} --params ${bad_p4} --noise nowhere-1 --shots 10)
papillon_bad_input(run_ionq_unknown_noise "--noise bogus: .*unknown IonQ noise model" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --noise bogus --shots 10)
papillon_bad_input(run_ionq_bad_target "--ionq-target bad target.*invalid target name" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --ionq-target "bad target")
papillon_bad_input(run_unknown_gateset "--gateset: native-xx not in" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --gateset native-xx)
papillon_bad_input(grad_unknown_method "--method: backprop not in" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --method backprop)
papillon_bad_input(butterfly_unknown_gate "--gate: cnot not in" butterfly --qubits 4 --gate cnot)
papillon_bad_input(butterfly_unknown_loader "--loader: spiral not in" butterfly --qubits 4 --loader spiral --vector "1,1,1,1")
papillon_bad_input(transpile_unknown_target "--target: ionq-foo not in" transpile ${bad_c4} --params ${bad_p4} --target ionq-foo)
papillon_bad_input(impute_unknown_schedule "--schedule: later not in" impute --synthetic 100 --method qnn --schedule later)
papillon_bad_input(impute_unknown_readout "--readout: phases not in" impute --synthetic 100 --method qnn --readout phases)
papillon_bad_input(impute_unknown_backend "--backend: qpu not in" impute --synthetic 100 --method qnn --backend qpu)
papillon_bad_input(impute_unknown_noise "--noise bogus: .*unknown noise model" impute --synthetic 100 --method qnn --schedule hardware --noise bogus)
papillon_bad_input(impute_unknown_covariate "no column 'Height' in the data \\(--covariates" impute --synthetic 100 --method mean --covariates Height)
papillon_bad_input(impute_unknown_outcome "no outcome column 'Death' in the data \\(--outcome" impute --synthetic 100 --method mean --outcome Death)
papillon_bad_input(run_unknown_option "--shot" run ${bad_c4} --params ${bad_p4} --shot 5)
papillon_bad_input(run_option_without_value "--shots" run ${bad_c4} --params ${bad_p4} --shots)

# ---- Class: conflicting or pointless options ----------------------------------------------------
papillon_bad_input(run_trajectories_without_noise "--trajectories needs --noise" run ${bad_c4} --params ${bad_p4} --shots 10 --trajectories 5)
papillon_bad_input(run_noise_without_shots "noisy simulation needs --shots > 0" run ${bad_c4} --params ${bad_p4} --noise forte-1)
papillon_bad_input(run_dry_run_without_ionq "--dry-run needs --backend ionq" run ${bad_c4} --params ${bad_p4} --dry-run)
papillon_bad_input(run_ionq_max_shots_without_ionq "--ionq-max-shots needs --backend ionq" run ${bad_c4} --params ${bad_p4} --ionq-max-shots 5)
papillon_bad_input(run_ionq_noise_on_qpu "--ionq-target qpu.aria-1.*noise models exist only on the cloud simulator" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --ionq-target qpu.aria-1 --noise aria-1 --shots 10)
papillon_bad_input(run_ionq_gateset_mismatch "--gateset native-ms.*Forte QPUs do not accept ms gates" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --ionq-target qpu.forte-1 --gateset native-ms --shots 10)
papillon_bad_input(grad_shots_with_adjoint "--shots needs a backend method" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --shots 100)
papillon_bad_input(grad_max_batch_with_adjoint "--max-batch needs a backend method" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --max-batch 2)
papillon_bad_input(grad_approximate_without_parallel "--allow-approximate needs --method parallel" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --allow-approximate)
papillon_bad_input(butterfly_loader_without_vector "--loader needs --vector" butterfly --qubits 4 --loader diagonal)
papillon_bad_input(impute_data_and_synthetic "--data excludes --synthetic" impute --data "${PAPILLON_CLI_TEST_DATA}/impute_bad.csv" --synthetic 100 --method mean)
papillon_bad_input(impute_backend_without_qnn "--backend and --noise are used only by qnn" impute --synthetic 100 --method mean --backend ionq)
papillon_bad_input(impute_noise_without_hardware "--backend and --noise are used only by qnn" impute --synthetic 100 --method qnn --noise aria-2)
papillon_bad_input(impute_ionq_option_without_ionq "--ionq-journal needs --backend ionq" impute --synthetic 100 --method mean --ionq-journal journal.jsonl)
papillon_bad_input(impute_imputed_two_methods "--imputed needs exactly one --method" impute --synthetic 100 --method "mean,knn" --imputed out.csv)
papillon_bad_input(impute_dry_run_training "--dry-run cannot train" impute --synthetic 100 --method qnn --schedule hardware --backend ionq --dry-run)

# ---- Reserved: inputs read from files and servers (nested JSON, huge CSV cells, IonQ responses)
# go below, one row per case, with their data files in tests/cli/data/. -------------------------

# ---- Valid boundary cases: the largest (or smallest) allowed value is accepted --------------------
papillon_boundary_input(run_shots_at_limit "\"shots\": 10000000" run ${bad_c4} --params ${bad_p4} --shots 10000000)
papillon_boundary_input(run_seed_at_limit "\"shots\": 1" run ${bad_c4} --params ${bad_p4} --shots 1 --seed 18446744073709551615)
papillon_boundary_input(run_ionq_max_shots_at_limit "\"dry_run\": true" run ${bad_c4} --params ${bad_p4} --backend ionq --dry-run --shots 10 --ionq-max-shots 1000000000)
papillon_boundary_input(run_params_exact_count "\"probabilities\"" run ${bad_c4} --params ${bad_p4})
papillon_boundary_input(butterfly_qubits_at_limit "\"qubits\": 4096" butterfly --qubits 4096)
papillon_boundary_input(butterfly_qubits_smallest "\"parameters\": 1" butterfly --qubits 2)
papillon_boundary_input(grad_max_batch_at_limit "\"batches\": 1" grad ${bad_g8} --params ${bad_p12} --weights 1:1 --method shift --max-batch 1000000)
papillon_boundary_input(impute_first_seed_at_limit "\"seeds\": \\[\n? *18446744073709550615" impute --synthetic 100 --method mean --seeds 1 --folds 2 --first-seed 18446744073709550615)
papillon_boundary_input(impute_mask_rate_near_one "\"mask_rate\": 0.9" impute --synthetic 100 --method mean --seeds 1 --folds 2 --mask-rate 0.9)
papillon_boundary_input(plot_bench_fit_from_zero "^<svg" plot-bench "${PAPILLON_CLI_TEST_DATA}/bench_powers.csv" --fit-from 0)
