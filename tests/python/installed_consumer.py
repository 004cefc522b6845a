"""Imports the installed papillon package (argv[1] is its site directory) and uses each part."""

import os
import sys

import papillon

site = os.path.realpath(sys.argv[1])
where = os.path.realpath(papillon.__file__)
assert where.startswith(site + os.sep), f"papillon imported from {where}, not from {site}"

c = papillon.butterfly(4).circuit
p = papillon.simulate_probabilities(papillon.loader([1.0, 2.0, 3.0, 4.0]), mode="subspace")
assert abs(p.values.sum() - 1.0) < 1e-12

import torch  # noqa: E402

from papillon.torch import QuantumOrthogonal  # noqa: E402

layer = QuantumOrthogonal(4, seed=1)
y = layer(torch.rand(3, 4, dtype=torch.float64) + 0.1)
y.sum().backward()
assert layer.theta.grad.shape == (c.num_parameters,)

import numpy as np  # noqa: E402

from papillon.sklearn import MeanImputer  # noqa: E402

out = MeanImputer().fit_transform(np.array([[1.0, np.nan], [3.0, 4.0]]))
assert out.tolist() == [[1.0, 4.0], [3.0, 4.0]]
print("papillon", papillon.__version__, "installed at", where)
