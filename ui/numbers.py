"""Update k written out with its numbers, as the Playground shows it beside the data chart.

Lines of text with **bold** parts: which point(s) the update used, ŷ, each derivative with
its factors filled in, the update itself, and a warning where float64 has run out. The
chain-rule page shows the same warning.
"""

from __future__ import annotations

import numpy as np

from perceptron import History, Scenario, point_derivatives, predict_proba
from perceptron.explain import counts_sentence, update_reason
from perceptron.formatting import text_number as fmt
from perceptron.model import penalty_gradient
from perceptron.precision import Precision
from perceptron.uphill import Rises

WEIGHTS = ("w1", "w2", "b")
NO_POINTS = (
    "**No points yet:** click or tap the chart to place some (or load a preset) "
    "to train the neuron."
)


def update_numbers(
    s: Scenario, history: History, k: int, p: Precision, rises: Rises | None = None
) -> list[str]:
    """The numbers of update k, as lines with **bold** parts: the point(s) used, ŷ, the
    derivatives (of the run's loss, with λ·w when regularising) and the update itself,
    whether the loss went up at k (``rises``: the run's rises around k), and where float64
    ran out (``p``, the run's precision). The chart component shows them beside the charts."""
    X, y = np.asarray(s.X), np.asarray(s.y)
    if k == 0:
        return _start_lines(history, X, y)
    used = history.points_used(k)
    if len(used) == 1:
        head, why, formulas, factors = _one_point(history, k, int(used[0]), X, y)
    else:
        head, why, formulas, factors = _mean_over(history, k, used, X, y)
    w_prev, b_prev = history.state(k - 1)
    w, b = history.state(k)
    before, after = (*w_prev, b_prev), (*w, b)
    grads = (*history.grad_w[k - 1], history.grad_b[k - 1])
    config = s.config
    penalty = (*penalty_gradient(w_prev, config.l2), 0.0) if config.l2 else None
    weights = _weight_lines(formulas, factors, before, grads, after, config.learning_rate, penalty)
    rise = rises.at(k) if rises is not None else None
    went_up = [f"**Uphill:** {rise.sentence()}"] if rise else []
    return [head, why, *weights, *went_up, *precision_warning(p, k)]


# The derivative of one point's loss along z, as the lecture writes it for each loss.
SLOPES = {"log": "−(y−ŷ)", "squared": "(ŷ−y)·ŷ(1−ŷ)"}
LOSS_NAMES = {"log": "its loss L", "squared": "its squared error L = ½(ŷ−y)²"}


def segments(line: str) -> list[list]:
    """A line with **bold** parts as [[text, bold], ...], for the browser to set as text."""
    return [[part, i % 2 == 1] for i, part in enumerate(line.split("**")) if part]


def _start_lines(history: History, X, y) -> list[str]:
    w, b = history.state(0)
    return [
        f"**Step 0 is the start:** w1 = {fmt(w[0])}, w2 = {fmt(w[1])}, b = {fmt(b)}; "
        f"{counts_sentence(predict_proba(w, b, X), y)}.",
        "Press **Step** (or the Right arrow) to make the first update.",
    ]


def _one_point(history: History, k: int, i: int, X, y):
    """Update k used point i alone: its ŷ, its loss, and each derivative's factors."""
    config = history.config
    w_prev, b_prev = history.state(k - 1)
    d = point_derivatives(w_prev, b_prev, X[i], y[i], loss=config.loss, l2=config.l2)
    # Within 0.001 of 1, ŷ is written 1 − q so that it keeps its digits.
    near_one = d.one_minus_y_hat < 1e-3
    y_hat = f"(1 − {fmt(d.one_minus_y_hat)})" if near_one else fmt(d.y_hat)
    shown = y_hat if near_one else f"{d.y_hat:.4f}"
    if config.loss == "squared":
        slope = f"({y_hat} − {int(y[i])})·{_sub(d.dyhat_db)}"
        why = d.note
    else:
        slope = f"−({int(y[i])} − {y_hat})"
        why = update_reason(int(y[i]), d.y_hat) + _penalty_words(d)
    head = (
        f"**Update {k:,}** (epoch {int(history.epoch[k - 1])}) used **point #{i + 1}** at "
        f"({fmt(X[i, 0])}, {fmt(X[i, 1])}) with label y = {int(y[i])}: "
        f"z = {fmt(d.z)}, ŷ = σ(z) = **{shown}**, {LOSS_NAMES[config.loss]} = {fmt(d.loss)}."
    )
    formula = SLOPES[config.loss]
    formulas = (f"{formula}·x1", f"{formula}·x2", formula)
    factors = (f"{slope}·{_sub(X[i, 0])}", f"{slope}·{_sub(X[i, 1])}", slope)
    return head, why, formulas, factors


def _penalty_words(d) -> str:
    if not (d.l2 and (d.dR_dw1 or d.dR_dw2)):
        return ""
    return (
        f" The penalty adds λ·w1 = {fmt(d.dR_dw1)} and λ·w2 = {fmt(d.dR_dw2)} to the "
        "derivatives of w1 and w2: each update also pulls both weights a little towards 0."
    )


def _mean_over(history: History, k: int, used, X, y):
    """Update k used the mean over m points: how they stand, and the mean's formulas."""
    w_prev, b_prev = history.state(k - 1)
    m = len(used)
    y_hat = predict_proba(w_prev, b_prev, X[used])
    head = (
        f"**Update {k:,}** (epoch {int(history.epoch[k - 1])}) used the "
        f"**mean over m = {m:,} points**"
        + (" (all of them)" if m == len(y) else "")
        + f": {counts_sentence(y_hat, y[used])}; "
        f"mean |y − ŷ| = {np.mean(np.abs(y[used] - y_hat)):.3f}."
    )
    why = f"Each derivative is the mean of the point's formula over the {m:,} points."
    formula = SLOPES[history.config.loss]
    formulas = (f"mean of {formula}·x1", f"mean of {formula}·x2", f"mean of {formula}")
    return head, why, formulas, None


def _sub(v: float) -> str:
    """A number substituted into a product: in parentheses when negative."""
    return f"({fmt(v)})" if fmt(v).startswith("−") else fmt(v)


def _weight_lines(formulas, factors, before, grads, after, lr: float, penalty) -> list[str]:
    """One line per weight: its derivative (with the factors filled in, for one point), the
    penalty's λ·w when regularising (``penalty``: ∂R/∂w1, ∂R/∂w2, 0; None without), and
    the update w ← w − α·∂J/∂w."""
    lines = []
    for j, name in enumerate(WEIGHTS):
        derivative = f"∂L/∂{name} = {formulas[j]}"
        if factors is not None:
            derivative += f" = {factors[j]}"
        if penalty is not None and name != "b":
            derivative += (
                f" = {fmt(grads[j] - penalty[j])}, plus λ·{name} = {fmt(penalty[j])}: ∂J/∂{name}"
            )
        lines.append(
            f"{derivative} = **{fmt(grads[j])}**, so {name} ← {fmt(before[j])} − "
            f"{fmt(lr)} · {_sub(grads[j])} = **{fmt(after[j])}**"
        )
    return lines


def precision_warning(p: Precision, k: int) -> list[str]:
    """A line saying that step k's digits mean nothing any more, when they do not."""
    if p.reliable(k):
        return []
    return [
        f"**The computer's digits have run out here.** From update {p.reliable_until + 1:,} "
        f"on, this run makes its own rounding errors (float64 keeps about 16 digits) grow "
        f"about ×{p.growth:.2f} per update, past the 4 digits shown: these numbers are not "
        "the exact descent's any more, and another computer could show others. The "
        "learning rate is too large for these points: the "
        "descent does not settle."
    ]
