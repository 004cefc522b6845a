"""papillon.sklearn: the imputers as scikit-learn transformers."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

import papillon
from papillon.sklearn import KNNImputer, MeanImputer, MICEImputer, MLPImputer, QNNImputer

FAST_NEURAL = dict(epochs=3, copies=2, batch_size=16, validation_fraction=0.0)

ESTIMATORS = [
    MeanImputer(),
    KNNImputer(k=3),
    MICEImputer(iterations=3, imputations=2),
    MLPImputer(width=8, **FAST_NEURAL),
    QNNImputer(width=8, **FAST_NEURAL),
]

# Checks of sklearn.utils.estimator_checks that do not apply, by estimator, and why: none. (The
# checks' all-hidden rows of 1 to 5 features give the quantum layer zero vectors at the first
# step; the imputer's layer passes them through as zero, see nn::zero_row_policy.)
SKIPPED = {}


def data(rows=40, cols=4, missing=0.2, seed=0):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(rows, 2))
    x = np.column_stack([z[:, 0], z[:, 1], z[:, 0] + 0.1 * z[:, 1], z.sum(axis=1)])[:, :cols]
    full = x.copy()
    hidden = rng.random(x.shape) < missing
    hidden[:, 0] = False  # every row keeps an observed cell
    x[hidden] = np.nan
    return x, full, hidden


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_fills_every_nan_and_keeps_observed_cells(est):
    x, full, hidden = data()
    out = clone(est).fit(x).transform(x)
    assert out.shape == x.shape and np.isfinite(out).all()
    np.testing.assert_array_equal(out[~hidden], full[~hidden])


def test_mean_imputer_is_the_column_mean():
    x = np.array([[1.0, np.nan], [3.0, 4.0], [np.nan, 8.0]])
    np.testing.assert_allclose(MeanImputer().fit_transform(x), [[1.0, 6.0], [3.0, 4.0], [2.0, 8.0]])


def test_knn_is_better_than_the_mean_on_correlated_columns():
    x, full, hidden = data(rows=200)
    err = {type(e).__name__: np.abs(e.fit_transform(x) - full)[hidden].mean() for e in (MeanImputer(), KNNImputer())}
    assert err["KNNImputer"] < err["MeanImputer"]


def test_pandas_frames_in_and_out():
    x, _, _ = data()
    frame = pd.DataFrame(x, columns=["a", "b", "c", "d"])
    est = MeanImputer().set_output(transform="pandas").fit(frame)
    out = est.transform(frame)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["a", "b", "c", "d"]
    assert not out.isna().any().any()
    assert list(est.feature_names_in_) == ["a", "b", "c", "d"]


def test_pipeline_and_grid_search():
    x, full, _ = data(rows=120)
    y = full[:, 3] * 2.0 + 1.0
    pipe = Pipeline([("impute", KNNImputer()), ("scale", StandardScaler()), ("model", LinearRegression())])
    search = GridSearchCV(pipe, {"impute__k": [1, 5]}, cv=3).fit(x, y)
    assert search.best_params_["impute__k"] in (1, 5)
    assert search.score(x, y) > 0.5


def test_neural_imputers_report_their_training():
    x, _, _ = data()
    qnn = QNNImputer(width=4, **FAST_NEURAL).fit(x)
    assert len(qnn.history_["train_loss"]) == 3
    assert qnn.evaluations_["epochs"] == 3
    assert isinstance(qnn.core_, papillon.ImputerCore) and qnn.core_.name == "qnn"


@pytest.mark.parametrize("kind", [MLPImputer, QNNImputer])
def test_pickle_refits_to_the_same_model(kind):
    x, _, _ = data()
    est = kind(width=8, **FAST_NEURAL).fit(x)
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.transform(x), est.transform(x))


def test_library_errors_reach_python():
    with pytest.raises(papillon.DataError, match="papillon::impute::neural_imputer: the quantum central layer needs a power-of-two width"):
        QNNImputer(width=6).fit(data()[0])
    with pytest.raises(papillon.DataError, match="unknown MICE method"):
        MICEImputer(method="guess").fit(data()[0])
    with pytest.raises(ValueError):
        MeanImputer().fit(data()[0]).transform(np.ones((2, 3)))


def estimator_checks():
    for est in ESTIMATORS:
        for estimator, check in check_estimator(est, generate_only=True):
            name = check.func.__name__ if hasattr(check, "func") else check.__name__
            reason = SKIPPED.get(type(est).__name__, {}).get(name)
            marks = [pytest.mark.skip(reason=reason)] if reason else []
            yield pytest.param(estimator, check, id=f"{type(est).__name__}-{name}", marks=marks)


@pytest.mark.parametrize("estimator, check", list(estimator_checks()))
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
