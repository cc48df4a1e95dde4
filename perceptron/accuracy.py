"""How well the neuron classifies: accuracy, and per class how many points are correct,
wrong or undecided, at one state or along many.

A point is *correct* when the neuron predicts its class (ŷ > 0.5 for class 1, ŷ < 0.5
for class 0), *wrong* when it predicts the other, and *undecided* at ŷ = 0.5 exactly, as
in ``perceptron.explain``: ŷ is ``model.sigmoid(z)`` and the verdict is read from it, so
a point whose tiny z rounds ŷ to exactly 0.5 is undecided here as on the charts.
Accuracy is correct / n: an undecided point is not correct.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perceptron.explain import predicted_class
from perceptron.model import sigmoid

CORRECT, WRONG, UNDECIDED = 0, 1, 2
KINDS = ("correct", "wrong", "undecided")
# The history export's columns, in the order of ``counts_from_logit(...).reshape(-1, 6)``.
COUNT_COLUMNS = tuple(f"{kind}_{cls}" for cls in (0, 1) for kind in KINDS)
# Beyond this |z|, σ(z) is at least 2.5e−11 away from 0.5: its side is the sign of z.
NEAR_BOUNDARY = 1e-10


@dataclass(frozen=True)
class Tally:
    """The verdicts at one state. ``counts[c]`` is (correct, wrong, undecided) among the
    points of class c (c = 0, 1)."""

    counts: tuple[tuple[int, int, int], tuple[int, int, int]]

    @property
    def n(self) -> int:
        return sum(map(sum, self.counts))

    @property
    def correct(self) -> int:
        return self.counts[0][CORRECT] + self.counts[1][CORRECT]

    @property
    def wrong(self) -> int:
        return self.counts[0][WRONG] + self.counts[1][WRONG]

    @property
    def undecided(self) -> int:
        return self.counts[0][UNDECIDED] + self.counts[1][UNDECIDED]

    @property
    def accuracy(self) -> float:
        """Correct / n (NaN without points)."""
        return self.correct / self.n if self.n else float("nan")

    def sentence(self) -> str:
        """E.g. "Accuracy 85% (17 of 20 correct). Class 0: 9 correct, 1 wrong. Class 1: 8
        correct, 1 wrong, 1 undecided (ŷ = 0.5)."."""
        if not self.n:
            return "No points, so no accuracy yet."
        parts = [f"Accuracy {self.accuracy:.0%} ({self.correct:,} of {self.n:,} correct)."]
        for cls, (right, wrong, undecided) in enumerate(self.counts):
            if right + wrong + undecided == 0:
                continue
            words = [f"{right:,} correct", f"{wrong:,} wrong"]
            if undecided:
                words.append(f"{undecided:,} undecided (ŷ = 0.5)")
            parts.append(f"Class {cls}: " + ", ".join(words) + ".")
        return " ".join(parts)


def predicted_from_logit(z) -> np.ndarray:
    """1 where ŷ = σ(z) > 0.5, 0 where ŷ < 0.5, −1 where ŷ = 0.5 exactly (undecided).

    The same as ``explain.predicted_class(sigmoid(z))``; σ is evaluated only near z = 0,
    where it may round to 0.5, since elsewhere the sign of z decides.
    """
    z = np.asarray(z, dtype=np.float64)
    predicted = (z > 0).astype(np.int8)
    near = np.abs(z) < NEAR_BOUNDARY
    if near.any():
        predicted[near] = predicted_class(sigmoid(z[near]))
    return predicted


def counts_from_logit(z, y) -> np.ndarray:
    """Per state, per class, the number of correct, wrong and undecided points.

    ``z`` has shape ``(m, n)`` (the logits of n points at m states) or ``(n,)``;
    ``y`` ``(n,)``. Returns int32 counts of shape ``(m, 2, 3)`` (or ``(2, 3)``):
    [state, class, (correct, wrong, undecided)].
    """
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    predicted = predicted_from_logit(z)
    undecided = predicted == -1
    correct = predicted == y
    counts = np.empty((*z.shape[:-1], 2, 3), dtype=np.int32)
    for cls in (0, 1):
        mine = y == cls
        counts[..., cls, CORRECT] = np.count_nonzero(correct & mine, axis=-1)
        counts[..., cls, UNDECIDED] = np.count_nonzero(undecided & mine, axis=-1)
        counts[..., cls, WRONG] = np.count_nonzero(mine) - (
            counts[..., cls, CORRECT] + counts[..., cls, UNDECIDED]
        )
    return counts


def tally(w, b: float, X, y) -> Tally:
    """The verdicts of the neuron (w, b) on the points X ``(n, 2)`` with labels y ``(n,)``."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    z = X @ np.asarray(w, dtype=np.float64) + float(b)
    counts = counts_from_logit(z, y)
    return Tally(tuple(tuple(int(v) for v in row) for row in counts))


def accuracy_of(counts: np.ndarray) -> np.ndarray:
    """Accuracy from counts of shape ``(..., 2, 3)``: correct / n along the last two axes."""
    counts = np.asarray(counts)
    n = counts.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts[..., :, CORRECT].sum(axis=-1) / n
