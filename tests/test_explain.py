"""The sentences that interpret the model's numbers follow from those numbers."""

import itertools
import math
import re

import numpy as np
import pytest

from perceptron import make_dataset, predict_proba
from perceptron.explain import (
    counts,
    counts_sentence,
    data_chart_text,
    predicted_class,
    series_texts,
    update_narration,
    update_reason,
    verdicts,
)
from perceptron.training import TrainConfig, train

GRID = [0.0, 1e-12, 0.01, 0.1, 0.24, 0.3, 0.49, 0.5, 0.51, 0.76, 0.9, 0.99, 1 - 1e-12, 1.0]


def test_predicted_class_and_verdicts_treat_one_half_as_undecided():
    y_hat = np.array([0.2, 0.5, 0.8, 0.5])
    assert predicted_class(y_hat).tolist() == [0, -1, 1, -1]
    assert verdicts(y_hat, [0, 0, 0, 1]).tolist() == ["right", "undecided", "wrong", "undecided"]
    assert counts(y_hat, [0, 0, 0, 1]) == {"right": 1, "wrong": 1, "undecided": 2}
    assert counts_sentence(np.full(20, 0.5), np.zeros(20)) == (
        "0 of 20 points on the right side, 20 undecided (ŷ = 0.5)"
    )


@pytest.mark.parametrize(("y", "y_hat"), list(itertools.product([0, 1], GRID)))
def test_the_update_reason_follows_sign_size_and_side(y, y_hat):
    text = update_reason(y, y_hat)
    error = y - y_hat
    right = (y == 1 and y_hat > 0.5) or (y == 0 and y_hat < 0.5)
    if y_hat == 0.5:
        assert "undecided" in text and "wrong" not in text and "right side" not in text
    elif right:
        assert "right side" in text and "wrong" not in text
    else:
        assert "wrong side" in text and "right side" not in text
    if error == 0:
        assert "changes nothing" in text
        return
    # The number shown is y − ŷ with its true sign, and the direction follows that sign.
    shown = float(re.search(r"y − ŷ = ([+−][\d.e+−-]+)", text).group(1).replace("−", "-"))
    assert np.sign(shown) == np.sign(error)
    assert ("raises ŷ" in text) == (error > 0) and ("lowers ŷ" in text) == (error < 0)
    # Size words: a point on the right side never gets a large update, a wrong one always does.
    size = re.search(r"is (\w+(?: large)?):", text).group(1)
    if right:
        assert size in ("tiny", "small", "moderate")
    elif y_hat != 0.5:
        assert size in ("large", "very large")


def test_the_reported_case_is_no_longer_called_a_poor_prediction():
    # Class 0 with ŷ = 0.24 is on the right side: a modest push down, not "a poor prediction".
    text = update_reason(0, 0.24)
    assert "right side" in text and "small" in text and "lowers ŷ" in text


# ------------------------------------------------------------ words for a screen reader


def test_the_data_chart_text_says_step_boundary_counts_and_loss():
    text = data_chart_text(
        12, 400, (0.5, -1), [-4, 3, 5, -2], None, [0.2, 0.7, 0.6], [0, 1, 0], 0.21, 0.693
    )
    assert text.startswith("Step 12 of 400. The boundary crosses the view from (−4, 3) to (5, −2)")
    assert "w = (0.5, −1)" in text
    assert "2 of 3 points on the right side, 1 on the wrong side" in text
    assert text.endswith("Mean loss 0.21, down from 0.693 at the start.")
    rising = data_chart_text(3, 9, (1, 1), None, "No boundary: w = 0.", [0.5], [1], 0.9, 0.7)
    assert "No boundary: w = 0." in rising and "up from 0.7" in rising
    assert "undecided" in rising
    assert data_chart_text(0, 0, (0, 0), None, None, [], [], math.nan, math.nan).startswith(
        "No points yet"
    )


def test_series_texts_name_every_value_at_k():
    loss_text, grads, weights = series_texts(7, 0.25, [-0.5, 0.125, None], [1, -2, 0.001])
    assert "0.25 at step 7" in loss_text
    assert (
        grads == "Derivatives used by update 7: ∂L/∂w1 = −0.5, ∂L/∂w2 = 0.125, ∂L/∂b = undefined."
    )
    assert weights == "Weights and bias at step 7: w1 = 1, w2 = −2, b = 0.001."
    assert "no update yet" in series_texts(0, 0.7, [None] * 3, [0, 0, 0])[1]


@pytest.mark.parametrize("mode", ["stochastic", "batch"])
def test_the_narration_follows_the_real_update(mode):
    """Every "rose"/"fell", side and pull in the narration agrees with the run itself."""
    X, y = make_dataset("overlapping", n=12, seed=3)
    history = train(X, y, TrainConfig(learning_rate=0.5, epochs=3, mode=mode))
    for k in range(1, history.n_updates + 1):
        w0, b0 = history.state(k - 1)
        w1, b1 = history.state(k)
        used = history.points_used(k)
        y_hat = predict_proba(w0, b0, X[used])
        said = update_narration(k, used, X, y, y_hat, (*w0, b0), (*w1, b1))
        for name, old, new in zip(("w1", "w2", "b"), (*w0, b0), (*w1, b1), strict=True):
            way = "rose" if new > old else "fell" if new < old else "stayed"
            assert f"{name} {way}" in said, (k, said)
        if mode == "stochastic":
            (i,) = used
            assert said.startswith(f"Update {k} used point {i + 1}, class {int(y[i])}")
            if y_hat[0] == 0.5:
                assert "the neuron was undecided about it" in said, (k, said)
            else:
                side = "wrong" if (y_hat[0] > 0.5) != bool(y[i]) else "right"
                assert f"on the {side} side" in said, (k, said)
            assert ("pulls ŷ up" in said) == (y[i] == 1), (k, said)
        else:
            right = int(np.sum(np.where(y_hat == 0.5, False, (y_hat > 0.5) == (y[used] == 1))))
            assert said.startswith(f"Update {k} used the mean over {len(used)} points: ")
            assert f"Before it, {right} of {len(used)} points on the right side" in said


def test_the_narration_keeps_a_sure_y_hat_from_reading_as_1():
    said = update_narration(
        1, [0], np.zeros((1, 2)), np.array([1]), [1 - 2e-5], (0, 0, 0), (0, 0, 0)
    )
    assert "ŷ = 1 − 2e−05" in said and "w1 stayed" in said


def test_the_series_text_names_the_loss_and_the_penalty():
    assert "the mean log loss over all points" in series_texts(3, 0.5, (1, 2, 3), (1, 2, 3))[0]
    squared = series_texts(3, 0.5, (1, 2, 3), (1, 2, 3), "squared", 0.01)[0]
    assert "the mean squared error plus (λ/2)(w1² + w2²) over all points" in squared
