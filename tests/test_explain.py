"""The sentences that interpret the model's numbers follow from those numbers."""

import itertools
import re

import numpy as np
import pytest

from perceptron.explain import counts, counts_sentence, predicted_class, update_reason, verdicts

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
