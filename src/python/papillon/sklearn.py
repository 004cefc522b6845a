"""papillon.sklearn: the papillon imputers as scikit-learn transformers.

Missing cells are NaN (numpy arrays or pandas frames); every other cell is observed and comes
back unchanged. Fitting and imputing run in C++ (papillon::impute) with the GIL released. The
estimators follow scikit-learn's conventions: parameters are plain constructor arguments (so
clone, Pipeline and GridSearchCV work), fitted state ends in an underscore, and
``set_output(transform="pandas")`` returns frames.

Pickling a fitted estimator keeps its training data and fits again on unpickling: the C++ models
have no serial form, and every fit is deterministic under its seed.
"""

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import _papillon

__all__ = ["MeanImputer", "KNNImputer", "MICEImputer", "MLPImputer", "QNNImputer"]


class _PapillonImputer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    def _core(self):
        raise NotImplementedError

    def _check(self, X, reset):
        # Fitting needs two rows (a mean, a neighbour, a regression); imputing takes one.
        return self._validate_data(
            X, dtype=np.float64, force_all_finite="allow-nan", reset=reset,
            ensure_min_samples=2 if reset else 1)

    def fit(self, X, y=None):
        """Fits the imputer on X (NaN = missing). y is ignored."""
        X = self._check(X, reset=True)
        core = self._core()
        core.fit(X)
        self.core_ = core
        self.fit_data_ = X
        return self

    def transform(self, X):
        """X with every NaN imputed."""
        check_is_fitted(self, "core_")
        return self.core_.transform(self._check(X, reset=False))

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: it may be the live __dict__
        state.pop("core_", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "fit_data_" in state:
            self.core_ = self._core()
            self.core_.fit(self.fit_data_)

    def _more_tags(self):
        return {"allow_nan": True}


class MeanImputer(_PapillonImputer):
    """Fills a missing cell with its column's observed mean."""

    def _core(self):
        return _papillon.mean_imputer()


class KNNImputer(_PapillonImputer):
    """Fills a missing cell from the k nearest rows that observe it (standardised distances)."""

    def __init__(self, k=5, standardize=True):
        self.k = k
        self.standardize = standardize

    def _core(self):
        return _papillon.knn_imputer(k=self.k, standardize=self.standardize)


class MICEImputer(_PapillonImputer):
    """Multiple imputation by chained equations (method "regression-mean", "pmm" or
    "bayesian-draw")."""

    def __init__(self, iterations=10, imputations=5, method="regression-mean", donors=5,
                 ridge=1e-5, seed=0):
        self.iterations = iterations
        self.imputations = imputations
        self.method = method
        self.donors = donors
        self.ridge = ridge
        self.seed = seed

    def _core(self):
        return _papillon.mice_imputer(
            iterations=self.iterations, imputations=self.imputations, method=self.method,
            donors=self.donors, ridge=self.ridge, seed=self.seed)


class _NeuralImputer(_PapillonImputer):
    _kind = None

    def __init__(self, width=16, epochs=60, batch_size=64, learning_rate=2e-3,
                 quantum_learning_rate=2e-2, weight_decay=1e-5, clip_norm=5.0, corruption=0.3,
                 copies=8, visible_weight=0.05, validation_fraction=0.1, patience=8, seed=0,
                 readout="probabilities", init="small", shots=1000, schedule="simulation",
                 training_backend=None, inference_backend=None):
        self.width = width
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.quantum_learning_rate = quantum_learning_rate
        self.weight_decay = weight_decay
        self.clip_norm = clip_norm
        self.corruption = corruption
        self.copies = copies
        self.visible_weight = visible_weight
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.seed = seed
        self.readout = readout
        self.init = init
        self.shots = shots
        self.schedule = schedule
        self.training_backend = training_backend
        self.inference_backend = inference_backend

    def _core(self):
        return _papillon.neural_imputer(self._kind, **self.get_params())

    @property
    def history_(self):
        """Training and validation loss of each epoch."""
        check_is_fitted(self, "core_")
        return self.core_.history

    @property
    def evaluations_(self):
        """Epochs, steps, parameters, and the quantum layer's circuits and shots."""
        check_is_fitted(self, "core_")
        return self.core_.evaluations


class MLPImputer(_NeuralImputer):
    """Denoising autoencoder with a dense central layer of ``width`` units."""

    _kind = "mlp"


class QNNImputer(_NeuralImputer):
    """Denoising autoencoder with a ``width``-qubit quantum orthogonal central layer."""

    _kind = "qnn"
