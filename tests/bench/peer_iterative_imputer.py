#!/usr/bin/env python3
"""The scikit-learn peer of `papillon impute --method forest`, on papillon's own masks.

IterativeImputer(ExtraTreesRegressor(min_samples_leaf=5)) (missForest-style chained equations
with a tree ensemble) scored exactly as papillon's benchmark scores: the same targets and
covariates, log1p on the skewed columns, z-scores fitted on the cells left visible (sample sd),
RMSE of the hidden cells pooled over the targets, one figure per mask seed. The masks are the
files `papillon impute --mask-dir DIR` writes (mask_rate<rate>_seed<k>.csv, `row,column` lines).

    /usr/bin/python3 tests/bench/peer_iterative_imputer.py --data FILE.csv --mask-dir DIR \
        --columns HR,NIMAP,... --covariates Age,Gender,ICUType --rate 0.3 --seeds 0 1 2

With --write-visible OUT.csv and one seed, it instead writes the table with that seed's hidden
cells blanked: validation data on which settings can be chosen without the test cells.
Only scikit-learn, numpy and pandas are imported; nothing of them is copied here.
"""

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import ExtraTreesRegressor
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer

SKEWED = ["Urine", "Glucose", "BUN", "Creatinine", "Platelets", "WBC"]


def mask_file(rate, seed):
    # papillon's name: the rate in per mille, e.g. mask_rate300pm_seed0.csv
    return f"mask_rate{int(round(rate * 1000))}pm_seed{seed}.csv"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--mask-dir", required=True)
    ap.add_argument("--columns", required=True)
    ap.add_argument("--covariates", default="")
    ap.add_argument("--log1p", default=None, help="default: the skewed PhysioNet columns present")
    ap.add_argument("--rate", type=float, default=0.3)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--max-iter", type=int, default=10)
    ap.add_argument("--write-visible", default=None)
    a = ap.parse_args()

    targets = a.columns.split(",")
    covariates = [c for c in a.covariates.split(",") if c]
    features = targets + covariates
    skewed = a.log1p.split(",") if a.log1p is not None else [c for c in SKEWED if c in features]
    raw = pd.read_csv(a.data)
    table = raw[features].to_numpy(dtype=float)
    col = {c: j for j, c in enumerate(features)}

    for seed in a.seeds:
        m = pd.read_csv(f"{a.mask_dir}/{mask_file(a.rate, seed)}")
        hidden = np.zeros(table.shape, dtype=bool)
        hidden[m["row"].to_numpy(), [col[c] for c in m["column"]]] = True
        if a.write_visible:
            out = raw.copy()
            for c in features:
                out.loc[hidden[:, col[c]], c] = np.nan
            out.to_csv(a.write_visible, index=False)
            return
        x = table.copy()
        for c in skewed:
            x[:, col[c]] = np.log1p(x[:, col[c]])
        truth = x.copy()
        x[hidden] = np.nan
        mean = np.nanmean(x, axis=0)
        sd = np.nanstd(x, axis=0, ddof=1)
        sd[~(sd > 0)] = 1.0
        z = (x - mean) / sd
        zt = (truth - mean) / sd
        t0 = time.perf_counter()
        imp = IterativeImputer(estimator=ExtraTreesRegressor(min_samples_leaf=5, random_state=seed),
                               max_iter=a.max_iter, random_state=seed)
        done = imp.fit_transform(z)
        secs = time.perf_counter() - t0
        err = (done - zt)[hidden]
        print(f"seed {seed}: rmse_z {np.sqrt(np.mean(err ** 2)):.4f} cells {err.size} "
              f"iterations {imp.n_iter_} seconds {secs:.1f}", flush=True)


if __name__ == "__main__":
    main()
