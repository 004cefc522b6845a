"""One training epoch of the hybrid imputer: PyTorch with the papillon layer against the C++
trainer on the same data (docs/benchmarks.md).

The data are the 25 vitals and labs of PhysioNet 2012 set A (4000 patients, ../shared/data
relative to the repository root), standardised with their observed means and deviations. The
C++ side is papillon.sklearn.QNNImputer(width=16, epochs=1, validation_fraction=0), that is
impute::neural_imputer and train::trainer. The PyTorch side builds the same training set (8
corrupted copies of every row, 30 % of the observed cells hidden, loss weight 1 on hidden and
0.05 on visible observed cells), the same model (dense 2f -> 16, tanh, 16-qubit
QuantumOrthogonal with small initial angles, dense 16 -> f), the same loss (weighted MSE over
the observed cells) and optimiser (Adam, learning rates 2e-3 and 2e-2 for the angles, weight
decay 1e-5, gradient norm clipped at 5), batches of 64. Only the random draws (corruption,
initial weights, shuffling) differ. Reports the epoch's CPU time (of the process, building the
training set included; on a shared machine waiting for a core is not the epoch's cost) and its
training loss (mean
over the epoch's batches, weighted by their cells, as the C++ trainer reports it), median and
range over seeds 0..--repetitions-1.

  PYTHONPATH=build/release/python /usr/bin/python3 tests/python/bench_imputer_epoch.py
"""

import argparse
import pathlib
import statistics
import time

import numpy as np
import pandas as pd
import torch

from papillon.sklearn import QNNImputer
from papillon.torch import QuantumOrthogonal

DATA = (pathlib.Path(__file__).resolve().parents[3] / "shared" / "data" / "physionet2012"
        / "physionet2012_set-a_core_mean48h.csv")
FEATURES = ["HR", "MAP", "SysABP", "DiasABP", "NIMAP", "Temp", "GCS", "Urine", "FiO2", "PaO2",
            "PaCO2", "pH", "Lactate", "Glucose", "BUN", "Creatinine", "Na", "K", "Mg", "HCO3",
            "HCT", "Platelets", "WBC", "Albumin", "Bilirubin"]


def load(path):
    x = pd.read_csv(path)[FEATURES].to_numpy(dtype=np.float64)
    return (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0)


def cpp_epoch(x, seed):
    est = QNNImputer(width=16, epochs=1, validation_fraction=0.0, seed=seed)
    start = time.process_time()
    est.fit(x)
    return time.process_time() - start, est.history_["train_loss"][0]


def torch_epoch(x, seed, width=16, copies=8, corruption=0.3, visible_weight=0.05, batch=64):
    start = time.process_time()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    observed = ~np.isnan(x)
    x0 = np.nan_to_num(x)
    inputs, targets, weights = [], [], []
    for _ in range(copies):
        visible = observed & (rng.random(x.shape) >= corruption)
        inputs.append(np.hstack([np.where(visible, x0, 0.0), visible.astype(np.float64)]))
        targets.append(x0)
        weights.append(np.where(observed, np.where(visible, visible_weight, 1.0), 0.0))
    inputs, targets, weights = (torch.from_numpy(np.vstack(a)) for a in (inputs, targets, weights))
    f = x.shape[1]
    quantum = QuantumOrthogonal(width, init="small", seed=seed)
    model = torch.nn.Sequential(torch.nn.Linear(2 * f, width), torch.nn.Tanh(), quantum,
                                torch.nn.Linear(width, f)).double()
    classical = [p for name, p in model.named_parameters() if not name.endswith("theta")]
    opt = torch.optim.Adam([{"params": classical, "lr": 2e-3},
                            {"params": [quantum.theta], "lr": 2e-2}], weight_decay=1e-5)
    total, count = 0.0, 0.0
    for idx in torch.randperm(len(inputs)).split(batch):
        w = weights[idx]
        opt.zero_grad()
        loss = (w * (model(inputs[idx]) - targets[idx]) ** 2).sum() / w.sum()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        total += loss.item() * w.sum().item()
        count += w.sum().item()
    return time.process_time() - start, total / count


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--repetitions", type=int, default=5)
    a = ap.parse_args()
    x = load(a.data)
    print(f"{x.shape[0]} rows, {x.shape[1]} features, {np.isnan(x).mean():.1%} missing, "
          f"torch threads {torch.get_num_threads()}")
    print("| trainer | epoch time | training loss |")
    print("|---|---|---|")
    for name, fn in (("C++ (QNNImputer)", cpp_epoch), ("PyTorch + papillon layer", torch_epoch)):
        runs = [fn(x, seed) for seed in range(a.repetitions)]
        t = [r[0] for r in runs]
        loss = [r[1] for r in runs]
        print(f"| {name} | {statistics.median(t):.3f} s ({min(t):.3f}-{max(t):.3f}) | "
              f"{statistics.median(loss):.4f} ({min(loss):.4f}-{max(loss):.4f}) |")


if __name__ == "__main__":
    main()
