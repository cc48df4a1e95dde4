"""Accuracy and the per-class counts of correct, wrong and undecided points, against the
verdicts ``perceptron.explain`` gives the charts."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from perceptron.accuracy import (
    COUNT_COLUMNS,
    accuracy_of,
    counts_from_logit,
    predicted_from_logit,
    tally,
)
from perceptron.datasets import make_dataset
from perceptron.explain import RIGHT, UNDECIDED, WRONG, predicted_class, verdicts
from perceptron.model import sigmoid
from perceptron.training import TrainConfig, train

NEAR_ZERO = [0.0, -0.0, 1e-300, 1e-20, 2.0**-54, 2.0**-53, 1e-16, 3e-16, 1e-12, 1e-10, 1e-9]


def by_verdicts(z, y):
    """Counts [class][correct, wrong, undecided] from explain.verdicts, one state."""
    v = verdicts(sigmoid(np.asarray(z)), y)
    return np.array(
        [[np.sum((v == kind) & (y == cls)) for kind in (RIGHT, WRONG, UNDECIDED)] for cls in (0, 1)]
    )


def test_the_prediction_is_explains_even_where_y_hat_rounds_to_one_half():
    z = np.array([s * v for v in NEAR_ZERO for s in (1.0, -1.0)] + [0.3, -7.0, 40.0])
    assert_array_equal(predicted_from_logit(z), predicted_class(sigmoid(z)))
    assert predicted_from_logit(np.array([0.0]))[0] == -1  # ŷ = 0.5: undecided
    assert predicted_from_logit(np.array([1e-20]))[0] == -1  # σ rounds to exactly 0.5
    assert predicted_from_logit(np.array([1e-9]))[0] == 1


def test_counts_match_the_verdicts_at_every_state():
    rng = np.random.default_rng(2)
    y = (rng.random(25) < 0.4).astype(float)
    z = rng.normal(0, 3, (30, 25))
    z[:, ::4] = 0.0  # some points exactly on the boundary
    z[::3, 1] = 1e-18
    counts = counts_from_logit(z, y)
    assert counts.shape == (30, 2, 3) and counts.dtype == np.int32
    for state in range(30):
        assert_array_equal(counts[state], by_verdicts(z[state], y))
    assert_array_equal(counts.sum(axis=2), np.tile([np.sum(y == 0), np.sum(y == 1)], (30, 1)))
    accuracy = accuracy_of(counts)
    assert_array_equal(accuracy, (counts[:, 0, 0] + counts[:, 1, 0]) / 25)


def test_a_tally_at_one_state_and_its_sentence():
    X = np.array([[1.0, 0.0], [2.0, 0.0], [-1.0, 0.0], [0.0, 5.0], [-3.0, 1.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    t = tally([1.0, 0.0], 0.0, X, y)  # z = x1: right, wrong, right, undecided, wrong
    assert t.counts == ((1, 1, 0), (1, 1, 1))
    assert (t.correct, t.wrong, t.undecided, t.n) == (2, 2, 1, 5)
    assert t.accuracy == pytest.approx(0.4)
    assert t.sentence() == (
        "Accuracy 40% (2 of 5 correct). Class 0: 1 correct, 1 wrong. "
        "Class 1: 1 correct, 1 wrong, 1 undecided (ŷ = 0.5)."
    )
    assert tally([0, 0], 0, X[:0], y[:0]).sentence() == "No points, so no accuracy yet."


@pytest.mark.parametrize("mode", ["stochastic", "batch", "minibatch"])
def test_the_run_records_the_counts_where_it_records_the_loss(mode):
    X, y = make_dataset("overlapping", n=30, seed=5)
    history = train(X, y, TrainConfig(mode=mode, batch_size=4, epochs=5, learning_rate=0.5))
    assert history.counts.shape == (len(history.loss_steps), 2, 3)
    for row, step in enumerate(history.loss_steps):
        expected = tally(history.w[step], history.b[step], X, y).counts
        assert_array_equal(history.counts[row], expected)
    assert history.counts[0, :, 2].sum() == 30  # at w = 0, b = 0 every point is undecided
    assert history.accuracy[0] == 0.0 and history.accuracy[-1] > 0.7


def test_the_history_export_has_accuracy_and_counts():
    X, y = make_dataset("overlapping", n=2000, seed=1)
    history = train(X, y, TrainConfig(mode="batch", epochs=500))
    frame = history.to_frame()
    assert list(frame.columns[-7:]) == ["accuracy", *COUNT_COLUMNS]
    recorded = frame["loss"].notna()
    assert (frame["accuracy"].notna() == recorded).all()
    for name in COUNT_COLUMNS:
        assert (frame[name].notna() == recorded).all()
        assert isinstance(frame[name].dtype, pd.Int64Dtype)
    rows = frame[recorded]
    total = sum(rows[name] for name in COUNT_COLUMNS)
    assert (total == 2000).all()
    assert_array_equal(rows["accuracy"], history.accuracy)
    assert "data_loss" not in frame


def test_with_l2_the_export_has_the_data_loss_too():
    X, y = make_dataset("separable", n=20, seed=1)
    frame = train(X, y, TrainConfig(l2=0.01, epochs=3)).to_frame()
    assert list(frame.columns[8:11]) == ["loss", "data_loss", "accuracy"]
    assert (frame["loss"] >= frame["data_loss"]).all()
