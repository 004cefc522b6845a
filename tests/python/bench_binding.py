"""The binding overhead of papillon.torch.QuantumOrthogonal (docs/benchmarks.md).

Times forward plus backward of the layer on a batch from Python, through torch autograd and through
the bare module call (numpy in, numpy out), and runs papillon_python_bench for the same call from
C++: forward()/backward() on Eigen matrices (the reference of the overheads), and the entry points
on the transposed layout that both Python paths call (forward_transposed() and
backward_transposed(), on the memory of a row-major batch), which separates the cost of the layout
from the cost of the binding. papillon.torch runs the C++ autograd op of papillon._torch when it is
built, its pure-Python autograd.Function otherwise (the first line says which). Times are CPU time
of the calling thread (on a shared machine, waiting for a core is not the call's cost). Each
repetition is the mean of --calls calls, the four timings interleaved; the table gives the median and
the spread (min to max) over --repetitions repetitions, and the overhead of each Python path over
C++ as the ratio of medians.

glibc returns freed blocks of 128 KiB and more to the system and faults them in again on the
next call; a long-running Python process has usually raised its thresholds already, a fresh C++
program has not. docs/benchmarks.md runs both with the thresholds raised (the environment
passes to the C++ program):

  cmake --build build/release --target papillon_python papillon_python_bench
  MALLOC_MMAP_THRESHOLD_=1000000000 MALLOC_TRIM_THRESHOLD_=1000000000 \
  PYTHONPATH=build/release/python /usr/bin/python3 tests/python/bench_binding.py \
      --cpp build/release/tests/python/papillon_python_bench
"""

import argparse
import statistics
import subprocess
import time

import numpy as np
import torch

import papillon.torch
from papillon.torch import QuantumOrthogonal


def random_rows(batch, n, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1, 1.0, (batch, n)) * rng.choice([-1.0, 1.0], (batch, n))


def one_repetition(fn, calls):
    start = time.thread_time()  # CPU time of this thread, which runs the C++ calls too
    for _ in range(calls):
        fn()
    return (time.thread_time() - start) * 1e3 / calls


def torch_step(n, batch):
    layer = QuantumOrthogonal(n, seed=17)
    x = torch.from_numpy(random_rows(batch, n, 1)).requires_grad_(True)
    g = torch.from_numpy(random_rows(batch, n, 2))

    def step():
        layer.theta.grad = None
        x.grad = None
        layer(x).backward(g)

    return step


def module_step(n, batch):
    core = QuantumOrthogonal(n, seed=17).core
    theta = np.array(core.initial_parameters)
    x = random_rows(batch, n, 1)
    g = random_rows(batch, n, 2)

    def step():
        _, token = core.forward(x, theta)
        core.backward(g, x, theta, token, True)

    return step


def cpp_repetition(program, n, batch, calls, *mode):
    out = subprocess.run([program, str(n), str(batch), "2", str(calls), *mode],
                         check=True, capture_output=True, text=True).stdout
    return float(out.split()[1])  # the first repetition is the warm-up


def summary(ms):
    return f"{statistics.median(ms):.3f} ms ({min(ms):.3f}-{max(ms):.3f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cpp", required=True, help="path of papillon_python_bench")
    ap.add_argument("--qubits", type=int, nargs="+", default=[16, 64])
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--repetitions", type=int, default=15)
    ap.add_argument("--calls", type=int, default=20)
    a = ap.parse_args()
    path = "C++ autograd op (papillon._torch)" if papillon.torch.extension_built else \
        "Python autograd.Function"
    print(f"batch {a.batch}, {a.repetitions} repetitions of {a.calls} calls, torch threads "
          f"{torch.get_num_threads()}, papillon.torch: {path}")
    print("| qubits | C++ | C++, transposed | Python, torch autograd | overhead | "
          "Python, module call | overhead |")
    print("|---|---|---|---|---|---|---|")
    for n in a.qubits:
        steps = {"torch": torch_step(n, a.batch), "module": module_step(n, a.batch)}
        for step in steps.values():
            step()  # warm-up
        cpp, cppt, tor, mod = [], [], [], []
        for _ in range(a.repetitions):  # interleaved, so that load changes hit every path alike
            cpp.append(cpp_repetition(a.cpp, n, a.batch, a.calls))
            cppt.append(cpp_repetition(a.cpp, n, a.batch, a.calls, "transposed"))
            tor.append(one_repetition(steps["torch"], a.calls))
            mod.append(one_repetition(steps["module"], a.calls))
        base = statistics.median(cpp)
        print(f"| {n} | {summary(cpp)} | {summary(cppt)} | {summary(tor)} | "
              f"{100 * (statistics.median(tor) / base - 1):+.1f} % | {summary(mod)} | "
              f"{100 * (statistics.median(mod) / base - 1):+.1f} % |")


if __name__ == "__main__":
    main()
