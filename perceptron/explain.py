"""The model's numbers in plain words: which side of the boundary a point is on, and why an
update is as large as it is and goes the way it goes.

A point's verdict follows ŷ: class 1 is predicted where ŷ > 0.5, class 0 where ŷ < 0.5,
and at exactly ŷ = 0.5 (on the boundary, z = 0) the neuron is *undecided*: it predicts
neither class, so the point is neither right nor wrong.
"""

from __future__ import annotations

import numpy as np

RIGHT, WRONG, UNDECIDED = "right", "wrong", "undecided"


def predicted_class(y_hat) -> np.ndarray:
    """1 where ŷ > 0.5, 0 where ŷ < 0.5, −1 where ŷ = 0.5 exactly (undecided)."""
    y_hat = np.asarray(y_hat, dtype=float)
    return np.where(y_hat > 0.5, 1, np.where(y_hat < 0.5, 0, -1))


def verdicts(y_hat, y) -> np.ndarray:
    """Per point: ``RIGHT``, ``WRONG`` or ``UNDECIDED`` (ŷ = 0.5), as an array of str."""
    predicted = predicted_class(y_hat)
    y = np.asarray(y)
    return np.where(predicted == -1, UNDECIDED, np.where(predicted == y, RIGHT, WRONG))


def counts(y_hat, y) -> dict[str, int]:
    """How many points are right, wrong and undecided."""
    v = verdicts(y_hat, y)
    return {kind: int(np.sum(v == kind)) for kind in (RIGHT, WRONG, UNDECIDED)}


def counts_sentence(y_hat, y) -> str:
    """E.g. "18 of 20 points on the right side, 1 wrong, 1 undecided (ŷ = 0.5)"."""
    c = counts(y_hat, y)
    n = sum(c.values())
    parts = [f"{c[RIGHT]} of {n} points on the right side"]
    if c[WRONG]:
        parts.append(f"{c[WRONG]} on the wrong side")
    if c[UNDECIDED]:
        parts.append(f"{c[UNDECIDED]} undecided (ŷ = 0.5)")
    return ", ".join(parts)


def size_word(error: float) -> str:
    """How large |y − ŷ| is, in a word (it is at most 1)."""
    e = abs(error)
    if e < 0.05:
        return "tiny"
    if e < 0.25:
        return "small"
    if e < 0.5:
        return "moderate"
    if e < 0.9:
        return "large"
    return "very large"


def update_reason(y: int, y_hat: float) -> str:
    """Why one point's update is as large as it is and which way it pushes ŷ.

    Every derivative of the update is −(y − ŷ) times an input, so y − ŷ sets both its size
    and its direction: the update raises ŷ for this point when y − ŷ > 0, lowers it when
    y − ŷ < 0.
    """
    error = float(y) - float(y_hat)
    verdict = str(verdicts([y_hat], [y])[0])
    where = {
        RIGHT: f"ŷ is on the right side for class {int(y)}",
        WRONG: f"ŷ is on the wrong side for class {int(y)}",
        UNDECIDED: "ŷ = 0.5: the neuron is undecided about this point",
    }[verdict]
    if error == 0:
        return f"{where}, and y − ŷ = 0: this update changes nothing."
    way = "raises" if error > 0 else "lowers"
    return (
        f"{where}, so y − ŷ = {error:+.3g} is {size_word(error)}: ".replace("-", "−")
        + f"a {size_word(error)} update that {way} ŷ for this point."
    )
