"""The model's numbers in plain words: which side of the boundary a point is on, and why an
update is as large as it is and goes the way it goes.

A point's verdict follows ŷ: class 1 is predicted where ŷ > 0.5, class 0 where ŷ < 0.5,
and at exactly ŷ = 0.5 (on the boundary, z = 0) the neuron is *undecided*: it predicts
neither class, so the point is neither right nor wrong.
"""

from __future__ import annotations

import math

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


def _signed(v: float | None) -> str:
    """v in 3 digits with a true minus sign; "undefined" where there is no number."""
    if v is None or not math.isfinite(v):
        return "undefined"
    return f"{v:.3g}".replace("-", "−")


def _point(x: float, y: float) -> str:
    return f"({_signed(x)}, {_signed(y)})"


def data_chart_text(
    k: int, K: int, w, boundary, note: str | None, y_hat, y, loss_now: float, loss_start: float
) -> str:
    """What the data chart shows at step k, for a screen reader: e.g. "Step 12 of 400.
    The boundary crosses the view from (−4, 3) to (5, −2)… 18 of 20 points on the right
    side. Mean loss 0.21, down from 0.693 at the start." ``boundary`` is the visible
    segment [x0, y0, x1, y1] or None (then ``note`` says why); ``w`` = (w1, w2)."""
    if len(np.asarray(y)) == 0:
        return "No points yet: click or tap the chart, or use the Data page, to place some."
    where = (
        f"The boundary crosses the view from {_point(*boundary[:2])} to {_point(*boundary[2:])};"
        f" ŷ > 0.5 on the side that w = {_point(*w)} points to."
        if boundary is not None
        else (note or "No boundary in view").rstrip(".") + "."
    )
    trend = ""
    if k > 0 and math.isfinite(loss_start):
        way = "down" if loss_now < loss_start else "up" if loss_now > loss_start else "level"
        trend = f", {way} from {_signed(loss_start)} at the start"
    return (
        f"Step {k:,} of {K:,}. {where} {counts_sentence(y_hat, y)}. "
        f"Mean loss {_signed(loss_now)}{trend}."
    )


LOSS_WORDS = {"log": "mean log loss", "squared": "mean squared error"}


def series_texts(
    k: int, loss_now: float, grads, weights, loss: str = "log", l2: float = 0.0
) -> list[str]:
    """What the loss, derivative and weight charts show at step k, one sentence each."""
    what = LOSS_WORDS[loss] + (" plus (λ/2)(w1² + w2²)" if l2 else "")
    names = ("∂L/∂w1", "∂L/∂w2", "∂L/∂b")
    used = (
        "Derivatives used by update "
        f"{k:,}: " + ", ".join(f"{n} = {_signed(g)}" for n, g in zip(names, grads, strict=True))
        if k > 0
        else "Derivatives by update: step 0 is the start, no update yet."
    )
    return [
        f"Loss by step, the {what} over all points: {_signed(loss_now)} at step {k:,}.",
        used + ".",
        f"Weights and bias at step {k:,}: w1 = {_signed(weights[0])}, "
        f"w2 = {_signed(weights[1])}, b = {_signed(weights[2])}.",
    ]


def _probability(p: float) -> str:
    """ŷ in 3 digits, written 1 − q within 0.001 of 1 so that it does not read as 1."""
    return f"1 − {_signed(1 - p)}" if 0.999 < p < 1 else f"{p:.3g}"


def _moves(before, after) -> str:
    parts = []
    for name, old, new in zip(("w1", "w2", "b"), before, after, strict=True):
        change = new - old
        way = "rose" if change > 0 else "fell" if change < 0 else "stayed"
        parts.append(f"{name} {way}" + (f" by {abs(change):.2g}" if change else ""))
    return ", ".join(parts)


def update_narration(k: int, used, X, y, y_hat_used, before, after) -> str:
    """What a screen reader says when the learner steps to update k, in plain words: e.g.
    "Update 5 used point 3, class 1, ŷ = 0.31: w1 rose by 0.07, w2 fell by 0.02, b rose
    by 0.07, because that point was on the wrong side, so y − ŷ = +0.69 pulls ŷ up."
    ``used``: the rows update k used; ``y_hat_used``: their ŷ before the update."""
    if k == 0:
        return "Step 0, the start: no update yet."
    used = np.asarray(used)
    moves = _moves(before, after)
    if len(used) == 1:
        i, t, p = int(used[0]), int(y[used[0]]), float(y_hat_used[0])
        verdict = str(verdicts([p], [t])[0])
        side = {RIGHT: "right", WRONG: "wrong", UNDECIDED: "undecided (ŷ = 0.5)"}[verdict]
        error = t - p
        pull = "up" if error > 0 else "down" if error < 0 else "nowhere"
        return (
            f"Update {k:,} used point {i + 1}, class {t}, ŷ = {_probability(p)}: {moves}, "
            "because that "
            f"point was on the {side} side"
            if verdict != UNDECIDED
            else f"Update {k:,} used point {i + 1}, class {t}, ŷ = 0.5: {moves}, because the "
            "neuron was undecided about it"
        ) + f", so y − ŷ = {error:+.2g} pulls ŷ {pull}.".replace("-", "−")
    before_it = counts_sentence(y_hat_used, np.asarray(y)[used])
    return f"Update {k:,} used the mean over {len(used):,} points: {moves}. Before it, {before_it}."
