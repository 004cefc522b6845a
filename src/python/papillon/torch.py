"""papillon.torch: the quantum orthogonal layer as a torch.nn.Module.

Forward and backward run in C++ (papillon::nn::quantum_orthogonal) with the GIL released:
without a backend, the exact batched unary simulation and its adjoint sweep; with a backend,
every sample's circuit goes to the backend and the angle gradient comes from the parameter
shift rules (parallel when proven exact, serial otherwise), counted in the layer's ledger.
float64 and float32 inputs are accepted; the engine computes in float64.

When the extension papillon._torch is built (libtorch found at configure time), the layer is a
torch operation whose autograd node is C++: one call from Python per forward, none per
backward. Otherwise it is the autograd.Function below, with the same results.
"""

import numpy as np
import torch

from . import _papillon

try:
    from . import _torch
except ImportError:  # built without libtorch (PAPILLON_PYTHON_TORCH), or another torch
    _torch = None

__all__ = ["QuantumOrthogonal", "quantum_orthogonal", "extension_built"]

#: Whether the layer runs as the C++ torch operation of papillon._torch.
extension_built = _torch is not None


class _QuantumOrthogonalFunction(torch.autograd.Function):
    # Few torch calls on the way: at batch 1024 and 16 qubits the whole C++ call takes about
    # 0.1 ms, so every conversion shows in the binding's overhead (docs/benchmarks.md). Arrays
    # pass as row-major numpy views and come back row-major, which the module reads and writes
    # in place, so x.grad takes dL/dx without a layout copy.
    @staticmethod
    def forward(ctx, x, theta, core):
        cpu = x.device.type == "cpu"
        xn = (x if cpu else x.cpu()).detach().numpy()
        angles = _angles(theta)
        out, token = core.forward(xn, angles)
        ctx.core, ctx.token, ctx.xn, ctx.angles = core, token, xn, angles
        ctx.theta_meta = (theta.device, theta.dtype)
        ctx.save_for_backward(x, theta)  # torch then refuses a backward after in-place changes
        out = torch.from_numpy(out)
        return out if cpu else out.to(x.device)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, grad_output):
        want_x, want_theta = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        if not (want_x or want_theta):
            return None, None, None
        ctx.saved_tensors  # noqa: B018 (the check of in-place changes)
        device = grad_output.device
        g = grad_output if device.type == "cpu" else grad_output.cpu()
        gx, gtheta = ctx.core.backward(g.detach().numpy(), ctx.xn, ctx.angles, ctx.token,
                                       want_theta)
        gx = torch.from_numpy(gx) if want_x else None
        if gx is not None and device.type != "cpu":
            gx = gx.to(device)
        if gtheta is not None:
            theta_device, theta_dtype = ctx.theta_meta
            gtheta = torch.from_numpy(gtheta).to(device=theta_device, dtype=theta_dtype)
        return gx, gtheta, None


def _angles(theta):
    theta = theta.detach()
    if theta.dtype != torch.float64 or theta.device.type != "cpu":
        theta = theta.to(device="cpu", dtype=torch.float64)
    return theta.numpy()  # the module makes a C-order copy only if it is not one


def quantum_orthogonal(x, theta, core, *, kernel=None):
    """The layer as a function on a 2-d batch: ``core`` is a papillon.QuantumOrthogonalCore.

    ``kernel`` (``core._kernel()``, kept by the caller to save its creation on every call) is
    used when papillon._torch is built.
    """
    if _torch is not None:
        return _torch.quantum_orthogonal(x, theta, core._kernel() if kernel is None else kernel)
    return _QuantumOrthogonalFunction.apply(x, theta, core)


class QuantumOrthogonal(torch.nn.Module):
    """x -> x / ||x|| -> unary loader -> Butterfly(theta) -> readout, on ``qubits`` qubits.

    The input's last dimension is ``qubits`` (a power of two >= 2); leading dimensions are
    batch dimensions. ``readout`` is "probabilities" (y_i^2) or "amplitudes" (||x|| y_i).
    ``init`` ("uniform", "small", "zero_coupling") and ``seed`` pick the initial angles, as in
    the C++ layer. With ``backend`` (a papillon.Backend), circuits run there with ``shots``
    shots each and the gradient uses the shift rule ``shift_rule`` ("four-term" or "automatic").
    """

    def __init__(
        self,
        qubits,
        *,
        readout="probabilities",
        init="uniform",
        order="coupling-last",
        loader="parallel",
        seed=0,
        backend=None,
        shots=1000,
        shift_rule="four-term",
        max_batch_circuits=0,
        dtype=torch.float64,
    ):
        super().__init__()
        self.core = _papillon.QuantumOrthogonalCore(
            qubits,
            order=order,
            loader=loader,
            readout=readout,
            init=init,
            seed=seed,
            shots=shots,
            shift_rule=shift_rule,
            max_batch_circuits=max_batch_circuits,
        )
        self.qubits = qubits
        self.readout = readout
        initial = torch.from_numpy(np.array(self.core.initial_parameters))
        self.theta = torch.nn.Parameter(initial.to(dtype))
        if backend is not None:
            self.core.set_backend(backend)
        self._kernel = self.core._kernel() if _torch is not None else None

    def forward(self, x):
        if x.dim() == 2:  # no reshape nodes in the graph for a plain batch
            if self._kernel is not None:  # the whole call is one C++ function
                return _torch.quantum_orthogonal(x, self.theta, self._kernel)
            return _QuantumOrthogonalFunction.apply(x, self.theta, self.core)
        shape = x.shape
        out = quantum_orthogonal(x.reshape(-1, shape[-1]), self.theta, self.core,
                                 kernel=self._kernel)
        return out.reshape(shape)

    @property
    def backend(self):
        return self.core.backend

    @backend.setter
    def backend(self, b):
        self.core.set_backend(b)

    @property
    def ledger(self):
        """Circuits, shots and batches this layer sent to backends."""
        return self.core.ledger

    @property
    def active_layers(self):
        return self.core.active_layers

    @active_layers.setter
    def active_layers(self, k):
        self.core.active_layers = k

    def unary_matrix(self):
        """W(theta), the n x n orthogonal matrix of the active layers, as a tensor."""
        return torch.from_numpy(self.core.unary_matrix(_angles(self.theta)))

    def extra_repr(self):
        return f"qubits={self.qubits}, readout={self.readout!r}, parameters={self.theta.numel()}"
