"""The binding overhead of papillon.torch.QuantumOrthogonal (docs/benchmarks.md).

Times forward plus backward of the layer on a batch from Python, through torch autograd and
through the bare module call (numpy in, numpy out), and runs papillon_python_bench for the same
call from C++. Each repetition is the mean of --calls calls; the table gives the median and the
spread (min to max) over --repetitions repetitions, and the overhead of each Python path over
C++ as the ratio of medians.

  cmake --build build/release --target papillon_python papillon_python_bench
  PYTHONPATH=build/release/python /usr/bin/python3 tests/python/bench_binding.py \
      --cpp build/release/tests/python/papillon_python_bench
"""

import argparse
import statistics
import subprocess
import time

import numpy as np
import torch

from papillon.torch import QuantumOrthogonal


def random_rows(batch, n, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1, 1.0, (batch, n)) * rng.choice([-1.0, 1.0], (batch, n))


def repeat(fn, repetitions, calls):
    fn()  # warm-up
    out = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        out.append((time.perf_counter() - start) * 1e3 / calls)
    return out


def time_torch(n, batch, repetitions, calls):
    layer = QuantumOrthogonal(n, seed=17)
    x = torch.from_numpy(random_rows(batch, n, 1)).requires_grad_(True)
    g = torch.from_numpy(random_rows(batch, n, 2))

    def step():
        layer.theta.grad = None
        x.grad = None
        layer(x).backward(g)

    return repeat(step, repetitions, calls)


def time_module(n, batch, repetitions, calls):
    core = QuantumOrthogonal(n, seed=17).core
    theta = np.array(core.initial_parameters)
    x = random_rows(batch, n, 1)
    g = random_rows(batch, n, 2)

    def step():
        _, token = core.forward(x, theta)
        core.backward(g, x, theta, token, True)

    return repeat(step, repetitions, calls)


def time_cpp(program, n, batch, repetitions, calls):
    out = subprocess.run([program, str(n), str(batch), str(repetitions + 1), str(calls)],
                         check=True, capture_output=True, text=True).stdout
    return [float(v) for v in out.split()][1:]  # the first repetition is the warm-up


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
    print(f"batch {a.batch}, {a.repetitions} repetitions of {a.calls} calls, torch threads "
          f"{torch.get_num_threads()}")
    print("| qubits | C++ | Python, torch autograd | overhead | Python, module call | overhead |")
    print("|---|---|---|---|---|---|")
    for n in a.qubits:
        cpp = time_cpp(a.cpp, n, a.batch, a.repetitions, a.calls)
        tor = time_torch(n, a.batch, a.repetitions, a.calls)
        mod = time_module(n, a.batch, a.repetitions, a.calls)
        base = statistics.median(cpp)
        print(f"| {n} | {summary(cpp)} | {summary(tor)} | "
              f"{100 * (statistics.median(tor) / base - 1):+.1f} % | {summary(mod)} | "
              f"{100 * (statistics.median(mod) / base - 1):+.1f} % |")


if __name__ == "__main__":
    main()
