"""papillon.torch.QuantumOrthogonal: the C++ quantum layer as a torch.nn.Module."""

import os
import threading
import time

import numpy as np
import pytest
import torch

import papillon
from papillon.torch import QuantumOrthogonal


# The two implementations of papillon.torch: the C++ autograd op of papillon._torch (when it is
# built) and the pure-Python autograd.Function it falls back to. Layers pick theirs when built.
PATHS = ["extension", "python"] if papillon.torch.extension_built else ["python"]


@pytest.fixture(params=PATHS)
def path(request, monkeypatch):
    if request.param == "python":
        monkeypatch.setattr(papillon.torch, "_torch", None)
    return request.param


def test_the_extension_is_loaded_when_built():
    # ctest says whether CMake built papillon._torch: a build that has it must not fall back
    # silently (an import error would otherwise only show as a slower layer).
    expected = os.environ.get("PAPILLON_TORCH_EXTENSION")
    if expected is None:
        pytest.skip("not run by ctest")
    assert papillon.torch.extension_built == (expected == "ON")


def rows(batch, n, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(batch, n, generator=g, dtype=torch.float64) * 0.9 + 0.1
    signs = torch.randint(0, 2, (batch, n), generator=g) * 2 - 1
    return (x * signs).to(dtype)


@pytest.mark.parametrize("readout", ["probabilities", "amplitudes"])
def test_forward_is_the_layer_of_the_library(readout, path):
    layer = QuantumOrthogonal(8, readout=readout, seed=4)
    x = rows(5, 8)
    y = layer(x)
    w = layer.unary_matrix().numpy()
    xn = x.numpy()
    norms = np.linalg.norm(xn, axis=1, keepdims=True)
    ideal = (xn / norms) @ w.T
    expected = ideal**2 if readout == "probabilities" else norms * ideal
    np.testing.assert_allclose(y.detach().numpy(), expected, atol=1e-12)
    np.testing.assert_allclose(w.T @ w, np.eye(8), atol=1e-12)


@pytest.mark.parametrize("readout", ["probabilities", "amplitudes"])
def test_gradcheck(readout, path):
    layer = QuantumOrthogonal(8, readout=readout, init="uniform", seed=2)
    x = rows(4, 8, seed=1).requires_grad_(True)
    theta = layer.theta.detach().clone().requires_grad_(True)

    def f(x, theta):
        return papillon.torch.quantum_orthogonal(x, theta, layer.core)

    assert torch.autograd.gradcheck(f, (x, theta), eps=1e-6, atol=1e-6)


def test_backward_after_another_forward_recomputes_its_own(path):
    layer = QuantumOrthogonal(4, seed=5)
    a = rows(3, 4, seed=1).requires_grad_(True)
    b = rows(3, 4, seed=2).requires_grad_(True)
    ya = layer(a)
    layer(b)  # the C++ layer now caches b's pass
    ya.sum().backward()
    ga, gtheta = a.grad.clone(), layer.theta.grad.clone()
    layer.theta.grad = None
    a2 = a.detach().clone().requires_grad_(True)
    layer(a2).sum().backward()
    torch.testing.assert_close(ga, a2.grad)
    torch.testing.assert_close(gtheta, layer.theta.grad)


def test_float32_matches_float64(path):
    l64 = QuantumOrthogonal(16, seed=3)
    l32 = QuantumOrthogonal(16, seed=3, dtype=torch.float32)
    assert l32.theta.dtype == torch.float32
    x64 = rows(32, 16).requires_grad_(True)
    x32 = x64.detach().float().requires_grad_(True)
    y64, y32 = l64(x64), l32(x32)
    assert y32.dtype == torch.float32
    torch.testing.assert_close(y32.double(), y64.detach(), atol=1e-5, rtol=1e-4)
    y64.pow(2).sum().backward()
    y32.pow(2).sum().backward()
    assert x32.grad.dtype == torch.float32 and l32.theta.grad.dtype == torch.float32
    torch.testing.assert_close(x32.grad.double(), x64.grad, atol=1e-4, rtol=1e-3)
    torch.testing.assert_close(l32.theta.grad.double(), l64.theta.grad, atol=1e-4, rtol=1e-3)


def test_trains_inside_a_torch_model(path):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(6, 8), QuantumOrthogonal(8, init="small", seed=1), torch.nn.Linear(8, 1)
    ).double()
    x = torch.randn(64, 6, dtype=torch.float64)
    target = (x[:, :1] * x[:, 1:2]).tanh()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    losses = []
    for _ in range(60):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), target)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    assert model[1].theta.grad is not None


def test_leading_batch_dimensions(path):
    layer = QuantumOrthogonal(4, seed=1)
    x = rows(6, 4).reshape(2, 3, 4)
    torch.testing.assert_close(layer(x).reshape(6, 4), layer(x.reshape(6, 4)))


def test_backend_uses_shift_rules_and_its_ledger(path):
    exact = QuantumOrthogonal(4, seed=6)
    on_backend = QuantumOrthogonal(4, seed=6, backend=papillon.SimulatorBackend(), shots=0)
    x = rows(3, 4).requires_grad_(True)
    x2 = x.detach().clone().requires_grad_(True)
    y_exact, y_backend = exact(x), on_backend(x2)
    torch.testing.assert_close(y_backend, y_exact.detach(), atol=1e-12, rtol=0)
    assert on_backend.ledger.circuits == 3
    y_exact.sum().backward()
    y_backend.sum().backward()
    torch.testing.assert_close(on_backend.theta.grad, exact.theta.grad, atol=1e-10, rtol=0)
    torch.testing.assert_close(x2.grad, x.grad, atol=1e-12, rtol=0)
    assert on_backend.ledger.circuits > 3 and on_backend.ledger.batches == 2
    assert exact.ledger.circuits == 0


def test_gil_is_released_during_forward_and_backward(path):
    layer = QuantumOrthogonal(1024, seed=1)
    x = rows(2048, 1024).requires_grad_(True)
    done = threading.Event()
    ticks = 0

    def work():
        for _ in range(3):
            layer(x).sum().backward()
        done.set()

    t = threading.Thread(target=work)
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    elapsed = time.perf_counter() - start
    # The main thread kept running Python while the worker was in C++.
    assert elapsed > 0.05 and ticks > 10


def test_errors_carry_the_library_messages(path):
    with pytest.raises(papillon.CircuitError, match="papillon::nn::quantum_orthogonal: qubit count must be a power of two"):
        QuantumOrthogonal(6)
    layer = QuantumOrthogonal(4)
    with pytest.raises(papillon.DimensionError, match="papillon::nn::quantum_orthogonal::forward"):
        layer(torch.ones(2, 8, dtype=torch.float64))
    with pytest.raises(papillon.DataError, match="input row is the zero vector"):
        layer(torch.zeros(1, 4, dtype=torch.float64))


def test_batches_of_any_layout_give_the_same_c_order_results():
    layer = QuantumOrthogonal(8, seed=3)
    core, theta = layer.core, layer.theta.detach().numpy()
    x, g = rows(6, 8).numpy(), rows(6, 8, seed=1).numpy()
    y, token = core.forward(x, theta)
    gx, gtheta = core.backward(g, x, theta, token, True)
    assert y.flags.c_contiguous and gx.flags.c_contiguous
    reversed_rows = np.ascontiguousarray(x[::-1])[::-1]  # negative strides
    for other in (np.asfortranarray(x), reversed_rows, x[:, ::1]):
        y2, token2 = core.forward(other, theta)
        np.testing.assert_array_equal(y2, y)
        gx2, gtheta2 = core.backward(np.asfortranarray(g), other, theta, token2, True)
        np.testing.assert_array_equal(gx2, gx)
        np.testing.assert_array_equal(gtheta2, gtheta)
    xt = torch.from_numpy(x).requires_grad_(True)
    layer(xt).backward(torch.from_numpy(g))
    assert xt.grad.is_contiguous()
    np.testing.assert_array_equal(xt.grad.numpy(), gx)


@pytest.mark.parametrize("readout", ["probabilities", "amplitudes"])
def test_extension_gives_the_module_calls_results_exactly(readout):
    # Both call the same C++ entry points on the same memory: equal to the last bit, and equal
    # to the autograd.Function of the fallback.
    if not papillon.torch.extension_built:
        pytest.skip("papillon._torch not built")
    results = []
    for use_extension in (True, False):
        layer = QuantumOrthogonal(16, readout=readout, seed=8)
        if not use_extension:
            layer._kernel = None  # the autograd.Function
        x = rows(40, 16, seed=3).requires_grad_(True)
        g = rows(40, 16, seed=4)
        y = layer(x)
        y.backward(g)
        results.append((y.detach(), x.grad, layer.theta.grad))
    core = QuantumOrthogonal(16, readout=readout, seed=8).core
    theta = core.initial_parameters
    x, g = rows(40, 16, seed=3).numpy(), rows(40, 16, seed=4).numpy()
    y, token = core.forward(x, theta)
    gx, gtheta = core.backward(g, x, theta, token, True)
    for got in results:
        for a, b in zip(got, (y, gx, gtheta)):
            np.testing.assert_array_equal(a.numpy(), b)


def test_extension_refuses_in_place_changes_and_second_derivatives(path):
    layer = QuantumOrthogonal(8, seed=2)
    x = rows(3, 8).requires_grad_(True)
    x2 = x * 1.0
    y = layer(x2)
    x2.add_(1.0)  # changes the saved input
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    y = layer(x)
    (gx,) = torch.autograd.grad(y.pow(2).sum(), x, create_graph=True)
    with pytest.raises(RuntimeError, match="differentiate twice|not differentiable"):
        gx.sum().backward()


def test_extension_takes_only_the_inputs_it_needs(path):
    layer = QuantumOrthogonal(8, seed=2)
    x = rows(5, 8).requires_grad_(True)
    (gx,) = torch.autograd.grad(layer(x).sum(), x)  # no angle gradient asked
    assert layer.theta.grad is None
    frozen = QuantumOrthogonal(8, seed=2)
    frozen.theta.requires_grad_(False)
    x2 = x.detach().clone().requires_grad_(True)
    frozen(x2).sum().backward()
    torch.testing.assert_close(x2.grad, gx, atol=1e-12, rtol=0)
    with torch.no_grad():
        assert layer(x).grad_fn is None
