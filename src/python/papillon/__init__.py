"""papillon: quantum neural networks on the papillon C++ engine.

A thin layer over the C++ library: circuits and their builders, exact and sampled simulation,
gradients with their ledger, the simulator and IonQ backends. ``papillon.torch`` holds the
quantum orthogonal layer as a ``torch.nn.Module`` and ``papillon.sklearn`` the imputers as
scikit-learn estimators; each is imported on its own, so ``import papillon`` needs only numpy.
Errors are ``papillon.Error`` subclasses whose messages are the library's.
"""

from ._papillon import (  # noqa: F401
    Amplitudes,
    Backend,
    BackendError,
    Circuit,
    CircuitError,
    Counts,
    DataError,
    DimensionError,
    Error,
    GradientResult,
    HttpError,
    ImputerCore,
    InternalError,
    IonQBackend,
    LayeredCircuit,
    Ledger,
    Param,
    Probabilities,
    QuantumOrthogonalCore,
    RemoteJobError,
    SimulatorBackend,
    TimeoutError,
    TransportError,
    __version__,
    amplitudes,
    butterfly,
    gradient,
    knn_imputer,
    loader,
    mean_imputer,
    mice_imputer,
    neural_imputer,
    noise_presets,
    pyramid,
    simulate_counts,
    simulate_probabilities,
    x_circuit,
)

# The exceptions print as papillon.<Name>, where users catch them.
for _error in (Error, CircuitError, DimensionError, DataError, InternalError, BackendError,
               TransportError, HttpError, RemoteJobError, TimeoutError):
    _error.__module__ = "papillon"
del _error

__all__ = [name for name in dir() if not name.startswith("_")] + ["__version__"]
