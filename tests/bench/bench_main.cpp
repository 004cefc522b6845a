// The entry point of papillon-bench. The benchmarks live in the other files of this directory.

#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
