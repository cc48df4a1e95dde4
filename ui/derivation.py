"""The Derivation page's pieces: the lecture's chain rule, worked with the learner's numbers.

The order follows the lecture: forward pass (z, ŷ, L), the chain rule, the four factors,
their products and the cancellation, the update, then every point's contribution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from perceptron import History, PointDerivatives, Scenario, gradient, point_derivatives
from perceptron.explain import WRONG, verdicts
from perceptron.gradcheck import Estimate, NumericalDerivatives, numerical_derivatives
from perceptron.model import error_from_logit, logit, predict_proba
from ui import numbers, playground, state
from ui.common import SHOWN_DIGITS, agreement, chart_config, fmt, layout, paren, tex
from ui.keys import DERIVATION_COLUMN, DERIVATION_FOLLOWS, DERIVATION_POINT, DERIVATION_STEP
from ui.style import BOTH_THEMES

# Readable in both themes; misclassified bars are also hatched, so colour is not needed.
MISCLASSIFIED_COLOR = BOTH_THEMES["purple"]
CORRECT_COLOR = BOTH_THEMES["grey"]
MEAN_COLOR = BOTH_THEMES["orange"]
# Beyond this many bars the point labels under the bar chart are left out.
MAX_BAR_LABELS = 60


@dataclass(frozen=True)
class Case:
    """Everything the derivation shows: step k, point i, its derivatives and their checks."""

    k: int
    i: int
    w: np.ndarray
    b: float
    x: np.ndarray
    y: float
    d: PointDerivatives
    check: NumericalDerivatives


def case(s: Scenario, history: History, i: int) -> Case:
    """The derivation of point i at the weights of step ``s.step``."""
    w, b = history.state(s.step)
    x, y = np.asarray(s.X[i]), float(s.y[i])
    return Case(
        s.step, i, w, b, x, y, point_derivatives(w, b, x, y), numerical_derivatives(w, b, x, y)
    )


# ---------------------------------------------------------------- controls


def next_update_point(history: History, k: int) -> int:
    """The first point update k+1 uses (its only one, per point); point 0 at the last step."""
    return int(history.points_used(k + 1)[0]) if k < history.n_updates else 0


def _on_step() -> None:
    # None: the box was emptied or held a number beyond its limits (see ui.controls).
    if st.session_state[DERIVATION_STEP] is not None:
        playground.go_to(st.session_state[DERIVATION_STEP])


def controls(s: Scenario, history: History) -> int:
    """Step k and point pickers; returns the chosen point's row. Writes the shared step."""
    K, k = history.n_updates, s.step
    default = next_update_point(history, k)
    stale = st.session_state.get(DERIVATION_FOLLOWS) != hash(s)
    if stale or st.session_state.get(DERIVATION_POINT, -1) >= len(s.y):
        st.session_state[DERIVATION_POINT] = default
        st.session_state[DERIVATION_FOLLOWS] = hash(s)
    st.session_state[DERIVATION_STEP] = k
    used = set(history.points_used(k + 1).tolist()) if k < K else set()
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    left.number_input(
        f"Step k (0 to {K:,}): the weights after k updates",
        value=None,
        min_value=0,
        max_value=K,
        step=1,
        key=DERIVATION_STEP,
        on_change=_on_step,
        help="The same step as on the Playground: changing it here moves it there too.",
    )
    right.selectbox(
        "Point",
        options=range(len(s.y)),
        format_func=lambda i: _point_label(s, i, used),
        key=DERIVATION_POINT,
        help="Preselected: the point that update k+1 uses (the first of its batch). "
        "Any other point shows the step it alone would ask for.",
    )
    for line in numbers.precision_warning(state.run_precision(s), k):
        st.warning(line, icon=":material/warning:")
    return int(st.session_state[DERIVATION_POINT])


def _point_label(s: Scenario, i: int, used: set[int]) -> str:
    x1, x2 = s.X[i]
    label = f"point #{i + 1} ({x1:g}, {x2:g}), class {int(s.y[i])}"
    return label + (" · used by update k+1" if i in used else "")


# ---------------------------------------------------------------- the chain, in order


def forward(c: Case) -> None:
    """Step 1: from the point to its loss, z → ŷ → L."""
    st.header("1 · From the point to its loss")
    st.markdown(
        f"At step k = {c.k:,} the neuron has w1 = {fmt(c.w[0])}, w2 = {fmt(c.w[1])}, "
        f"b = {fmt(c.b)}. Point #{c.i + 1} sits at x1 = {fmt(c.x[0])}, x2 = {fmt(c.x[1])} "
        f"with label y = {int(c.y)}."
    )
    w1, w2 = c.w
    x1, x2 = c.x
    n = sum_digits(c)
    st.latex(
        rf"z = w_1 x_1 + w_2 x_2 + b = {paren(w1, n)}\cdot{paren(x1, n)}"
        rf" + {paren(w2, n)}\cdot{paren(x2, n)} + {paren(c.b, n)} = {tex(c.d.z)}"
    )
    if n > SHOWN_DIGITS:
        st.caption(
            f"The terms of z nearly cancel here, so this line writes its numbers with {n} "
            f"digits: rounded to {SHOWN_DIGITS}, they would add up to "
            f"z = {fmt(_rounded_sum(c, SHOWN_DIGITS))} instead of {fmt(c.d.z)}."
        )
    st.latex(
        rf"\hat y = \sigma(z) = \frac{{1}}{{1 + e^{{-z}}}}"
        rf" = \frac{{1}}{{1 + e^{{-{paren(c.d.z)}}}}} = {prob(c.d)}"
    )
    kept = r"-\ln \hat y" if c.y == 1 else r"-\ln(1 - \hat y)"
    plugged = rf"-\ln {prob(c.d, True)}" if c.y == 1 else rf"-\ln(1 - {prob(c.d, True)})"
    st.latex(
        rf"L(y, \hat y) = -y \ln \hat y - (1 - y)\ln(1 - \hat y) = {kept} = {plugged}"
        rf" = {tex(c.d.loss)}"
    )
    st.caption(
        f"With y = {int(c.y)} only one term of L is left. The loss is computed from z, as "
        "ln(1 + e^−z) for class 1 and ln(1 + e^z) for class 0: the same number, but it keeps "
        "its digits, and stays finite, when ŷ is very close to 0 or 1."
    )
    if c.d.one_minus_y_hat < EPS_HALF or c.d.y_hat < TINY:
        st.caption(precision_note(c.d))


def _rounded_sum(c: Case, digits: int) -> float:
    """w1·x1 + w2·x2 + b from the numbers as written with ``digits`` significant digits."""
    w1, w2, x1, x2, b = (float(fmt(v, digits)) for v in (*c.w, *c.x, c.b))
    return w1 * x1 + w2 * x2 + b


def sum_digits(c: Case) -> int:
    """The fewest digits (from 4) with which the z line's numbers add up to the z shown.

    "Add up" means: within half a unit of the last digit shown of z. When the terms nearly
    cancel, 4-digit weights would give a visibly different z; 17 digits are float64's own.
    """
    z = c.d.z
    if not math.isfinite(z):
        return SHOWN_DIGITS
    half_unit = 0.5 * 10.0 ** (math.floor(math.log10(abs(z))) - (SHOWN_DIGITS - 1)) if z else 0
    for digits in range(SHOWN_DIGITS, 17):
        if abs(_rounded_sum(c, digits) - z) <= half_unit:
            return digits
    return 17


# Half the float64 spacing just below 1: a smaller 1 − ŷ leaves ŷ exactly 1 in float64.
EPS_HALF = float(np.finfo(np.float64).epsneg) / 2
TINY = float(np.finfo(np.float64).tiny)


def prob(d: PointDerivatives, inside: bool = False) -> str:
    """ŷ for LaTeX, written so that ŷ and 1 − ŷ both keep 4 significant digits.

    Within 0.001 of 1 it is written 1 − q with q = 1 − ŷ = σ(−z), computed on its own (in
    parentheses when ``inside`` a larger expression, so it reads as one number). Above
    0.5 it has as many decimals as 1 − ŷ needs.
    """
    q = d.one_minus_y_hat
    if q < 1e-3:
        text = rf"1 - {tex(q)}"
        return f"({text})" if inside else text
    if d.y_hat > 0.5:
        decimals = 3 - math.floor(math.log10(q))
        return f"{d.y_hat:.{decimals}f}".rstrip("0").rstrip(".")
    return tex(d.y_hat)


def precision_note(d: PointDerivatives) -> str:
    """What float64 holds of ŷ here, in words."""
    if d.y_hat < TINY:
        return (
            f"In float64, ŷ = {fmt(d.y_hat)} has run out of digits (below {TINY:.3g}); the "
            "loss and −(y − ŷ) are computed from z and keep theirs."
        )
    return (
        "In float64 ŷ is exactly 1 here. Its distance from 1, 1 − ŷ = σ(−z) = "
        f"{fmt(d.one_minus_y_hat)}, is computed on its own, and every number on this page "
        "uses it rather than 1 minus a rounded ŷ."
    )


def chain_rule() -> None:
    """Step 2: why the chain rule, and the three derivatives it gives."""
    st.header("2 · The chain rule")
    st.markdown(
        "To lower L we need to know how L changes when we nudge w1, w2 or b. None of them "
        "touches L directly: each changes z, z changes ŷ, and ŷ changes L. So each derivative "
        "is a product of two links, and the first link, ∂L/∂ŷ, is shared by all three."
    )
    st.latex(
        r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat y}\cdot"
        r"\frac{\partial \hat y}{\partial w_1},\qquad"
        r"\frac{\partial L}{\partial w_2} = \frac{\partial L}{\partial \hat y}\cdot"
        r"\frac{\partial \hat y}{\partial w_2},\qquad"
        r"\frac{\partial L}{\partial b} = \frac{\partial L}{\partial \hat y}\cdot"
        r"\frac{\partial \hat y}{\partial b}"
    )


def _check_note(analytic: float, numeric: Estimate) -> str:
    if not math.isfinite(numeric.value):
        return f"**Finite-difference check:** not possible: {numeric.reason}."
    return (
        f"**Finite-difference check:** {fmt(numeric.value)}  \n"
        f"{agreement(analytic, numeric.value, numeric.digits)} with the formula."
    )


def factors(c: Case) -> None:
    """Step 3: the four factors, each with its formula, its numbers and a numerical check."""
    st.header("3 · The four factors")
    d = c.d
    st.markdown(
        "The sigmoid has a tidy derivative, σ′(z) = σ(z)(1 − σ(z)), that is ŷ(1 − ŷ). "
        f"Here ŷ(1 − ŷ) = {fmt(d.dyhat_db)}. Beside each factor, a check that uses no "
        "calculus at all: nudge w1, w2 or b so that z moves by ±h "
        f"(h = {c.check.h:.2g}, chosen so that rounding and the step's own error are smallest), "
        "and divide the change in the output by the change in the input. For ∂L/∂ŷ, z is "
        "nudged and the change in L divided by the change in ŷ. Each check says how many "
        "digits it can resolve."
    )
    rows = [
        (
            r"\frac{\partial L}{\partial \hat y} = -\frac{y - \hat y}{\hat y(1 - \hat y)}"
            + _dL_dyhat_numbers(d, c.y),
            d.dL_dyhat,
            c.check.dL_dyhat,
        ),
        *[
            (
                rf"\frac{{\partial \hat y}}{{\partial w_{j}}} = \hat y(1 - \hat y)\,x_{j}"
                rf" = {tex(d.dyhat_db)}\cdot{paren(c.x[j - 1])} = {tex(value)}",
                value,
                numeric,
            )
            for j, value, numeric in (
                (1, d.dyhat_dw1, c.check.dyhat_dw1),
                (2, d.dyhat_dw2, c.check.dyhat_dw2),
            )
        ],
        (
            rf"\frac{{\partial \hat y}}{{\partial b}} = \hat y(1 - \hat y) = {tex(d.dyhat_db)}",
            d.dyhat_db,
            c.check.dyhat_db,
        ),
    ]
    for formula, analytic, numeric in rows:
        _formula_with_check(formula, analytic, numeric)


def _dL_dyhat_numbers(d: PointDerivatives, y: float) -> str:
    """∂L/∂ŷ with numbers, through the form −1/ŷ or 1/(1 − ŷ) that holds no difference."""
    if y == 1:
        return rf" = -\frac{{1}}{{\hat y}} = -\frac{{1}}{{{prob(d)}}} = {tex(d.dL_dyhat)}"
    return (
        rf" = \frac{{1}}{{1 - \hat y}} = \frac{{1}}{{{tex(d.one_minus_y_hat)}}} = {tex(d.dL_dyhat)}"
    )


def _formula_with_check(formula: str, analytic: float, numeric: Estimate) -> None:
    left, right = st.columns([3, 1.3], vertical_alignment="center")
    left.latex(formula)
    right.markdown(_check_note(analytic, numeric))


_PRODUCTS = (
    ("w_1", "x_1", "dL_dw1", "dyhat_dw1"),
    ("w_2", "x_2", "dL_dw2", "dyhat_dw2"),
    ("b", "", "dL_db", "dyhat_db"),
)


def products(c: Case) -> None:
    """Step 4: multiply the factors; ŷ(1−ŷ) cancels and leaves −(y−ŷ)·x."""
    st.header("4 · Multiply, and watch ŷ(1 − ŷ) cancel")
    st.markdown(
        "The ŷ(1 − ŷ) in the denominator of ∂L/∂ŷ meets the same ŷ(1 − ŷ) in ∂ŷ/∂w. They "
        "cancel, and what is left is short: minus the error y − ŷ, times the input."
    )
    cancelled = r"\cancel{\hat y(1 - \hat y)}"
    for name, x_name, field, factor in _PRODUCTS:
        j = {"x_1": 0, "x_2": 1}.get(x_name)
        x_tex = rf"\cdot{paren(c.x[j])}" if j is not None else ""
        value = getattr(c.d, field)
        formula = (
            rf"\begin{{aligned}}\frac{{\partial L}}{{\partial {name}}} &= "
            rf"-\frac{{y - \hat y}}{{{cancelled}}}\cdot{cancelled}\,{x_name}"
            rf" = -(y - \hat y)\,{x_name}\\"
            rf" &= -({int(c.y)} - {prob(c.d, True)}){x_tex} = {tex(value)}\end{{aligned}}"
        )
        _formula_with_check(formula, value, getattr(c.check, field))
        product = c.d.dL_dyhat * getattr(c.d, factor)
        st.caption(
            f"The two factors multiplied as numbers, before cancelling: {fmt(c.d.dL_dyhat)} × "
            f"{fmt(getattr(c.d, factor))} = {fmt(product)}."
        )
    _saturation_or_intuition(c)


def _saturation_or_intuition(c: Case) -> None:
    if c.d.saturated:
        exact = f"ŷ rounds to exactly {c.d.y_hat:g}, and " if c.d.y_hat in (0.0, 1.0) else ""
        st.warning(
            f"**Here {exact}float64 runs out of digits.** {c.d.note} That is why the code computes "
            "−(y − ŷ)·x directly instead of multiplying the two factors: on paper they cancel, "
            "in floating point a number too small to hold does not. The finite-difference "
            "checks of ŷ(1 − ŷ) cannot see it either, and say so."
        )
    error = abs(c.y - c.d.y_hat)
    size = "small" if error < 0.1 else "large" if error > 0.9 else "moderate"
    st.info(
        f"**Why this makes sense.** When the prediction is good (ŷ close to y), the error "
        "y − ŷ is small, so the derivatives are small and the weights hardly move: there is "
        "little to fix. When it is bad (ŷ far from y, up to 1 away), the derivatives are large "
        f"and the weights move a lot. Here |y − ŷ| = {fmt(error)}: a {size} error, so this "
        f"point asks for a {size} change."
    )


# ---------------------------------------------------------------- the update


def _update_lines(old_w, old_b: float, lr: float, grads, new_w, new_b: float) -> str:
    names = ("w_1", "w_2", "b")
    old = (old_w[0], old_w[1], old_b)
    new = (new_w[0], new_w[1], new_b)
    lines = [
        rf"{n} &\leftarrow {n} - \alpha\,\frac{{\partial L}}{{\partial {n}}} = {tex(o)} - "
        rf"{tex(lr)}\cdot{paren(g)} = {tex(v)}"
        for n, o, g, v in zip(names, old, grads, new, strict=True)
    ]
    return r"\begin{aligned}" + r"\\".join(lines) + r"\end{aligned}"


def update(c: Case, s: Scenario, history: History) -> None:
    """Step 5: the gradient-descent step, compared with the Playground's step k+1."""
    st.header("5 · The update")
    lr = s.config.learning_rate
    grads = (c.d.dL_dw1, c.d.dL_dw2, c.d.dL_db)
    new_w = c.w - lr * np.array(grads[:2])
    new_b = c.b - lr * grads[2]
    if c.k == history.n_updates:
        st.markdown(
            f"Step {c.k:,} is the last state of this run, so there is no update k+1 to compare "
            f"with. Here is the step this point alone would ask for, with α = {fmt(lr)}:"
        )
        st.latex(_update_lines(c.w, c.b, lr, grads, new_w, new_b))
        return
    if s.config.mode == "stochastic":
        _per_point_update(c, history, lr, grads, new_w, new_b)
    else:
        _batch_update(c, history, lr)


def _per_point_update(c: Case, history: History, lr: float, grads, new_w, new_b) -> None:
    st.markdown(f"Per-point mode: each update uses one point's derivatives, with α = {fmt(lr)}:")
    st.latex(_update_lines(c.w, c.b, lr, grads, new_w, new_b))
    used = next_update_point(history, c.k)
    next_w, next_b = history.state(c.k + 1)
    if used != c.i:
        st.info(
            f"Update k+1 = {c.k + 1:,} uses point #{used + 1}, not this one, so the step above "
            "is the one this point *would* ask for. Pick the point marked “used by update k+1” "
            "to reproduce the Playground exactly."
        )
        return
    gap = max(abs(new_w[0] - next_w[0]), abs(new_w[1] - next_w[1]), abs(new_b - next_b))
    same = "identical to the last digit" if gap == 0 else f"the largest difference is {gap:.1e}"
    st.success(
        f"This is exactly update {c.k + 1:,}. The Playground's step {c.k + 1:,} has "
        f"w1 = {fmt(next_w[0])}, w2 = {fmt(next_w[1])}, b = {fmt(next_b)}: the same numbers "
        f"as computed here ({same})."
    )


def _batch_update(c: Case, history: History, lr: float) -> None:
    used = history.points_used(c.k + 1)
    m = len(used)
    mean = (*history.grad_w[c.k], history.grad_b[c.k])
    mine = (c.d.dL_dw1, c.d.dL_dw2, c.d.dL_db)
    inside = c.i in used
    st.markdown(
        f"This run makes each update with the **mean** of −(y − ŷ)·x over a batch: update "
        f"{c.k + 1:,} averages over {m:,} points, so each point's share is its own "
        f"derivative divided by {m:,}. "
        + (f"Point #{c.i + 1} is in this batch." if inside else "This point is **not** in it.")
    )
    frame = pd.DataFrame(
        {
            "derivative": ["∂L/∂w1", "∂L/∂w2", "∂L/∂b"],
            "this point: −(y−ŷ)·x": mine,
            f"its share (÷ {m:,})": [v / m if inside else 0.0 for v in mine],
            f"batch mean (update {c.k + 1:,})": mean,
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    next_w, next_b = history.state(c.k + 1)
    st.latex(_update_lines(c.w, c.b, lr, mean, next_w, next_b))
    st.success(
        f"With the batch mean, the update gives exactly the Playground's step {c.k + 1:,}: "
        f"w1 = {fmt(next_w[0])}, w2 = {fmt(next_w[1])}, b = {fmt(next_b)}."
    )


# ---------------------------------------------------------------- every point's share


def contributions_frame(s: Scenario, history: History) -> pd.DataFrame:
    """One row per point at the weights of step k: y, ŷ, misclassified, −(y−ŷ)·x1, ·x2, −(y−ŷ)."""
    w, b = history.state(s.step)
    X, y = np.asarray(s.X), np.asarray(s.y)
    z = logit(w, b, X)
    y_hat = predict_proba(w, b, X)
    error = -error_from_logit(z, y)  # −(y − ŷ), without 1 − a rounded ŷ
    used = np.zeros(len(y), bool)
    if s.step < history.n_updates:
        used[history.points_used(s.step + 1)] = True
    return pd.DataFrame(
        {
            "point": np.arange(1, len(y) + 1),
            "x1": X[:, 0],
            "x2": X[:, 1],
            "y": y.astype(int),
            "ŷ": y_hat,
            "misclassified": verdicts(y_hat, y) == WRONG,  # ŷ = 0.5 is undecided, not wrong
            "−(y−ŷ)·x1": error * X[:, 0],
            "−(y−ŷ)·x2": error * X[:, 1],
            "−(y−ŷ)": error,
            "in update k+1": used,
        }
    )


_COLUMNS = ("−(y−ŷ)·x1", "−(y−ŷ)·x2", "−(y−ŷ)")


def contributions(s: Scenario, history: History) -> None:
    """Every point's −(y−ŷ)·x at step k: table, bars, and the check that they average out right."""
    st.header("Every point's share of the gradient")
    frame = contributions_frame(s, history)
    wrong = frame["misclassified"]
    weight = frame["−(y−ŷ)"].abs()
    share = weight[wrong].sum() / weight.sum() if weight.sum() > 0 else 0.0
    undecided = int((frame["ŷ"] == 0.5).sum())
    st.markdown(
        f"At step k = {s.step:,} each point asks for its own change, −(y − ŷ)·x. "
        f"**{int(wrong.sum())} of {len(frame)} points are misclassified**"
        + (f" ({undecided} undecided, ŷ = 0.5 exactly)" if undecided else "")
        + ", and they carry "
        f"**{share:.0%}** of the total error |y − ŷ|: wrong points pull hardest, points that are "
        "already right and confident barely pull at all. Sort the table by any column."
    )
    _mean_check(s, history, frame)
    component = st.segmented_control(
        "Show in the chart",
        options=list(_COLUMNS),
        default=_COLUMNS[2],
        key=DERIVATION_COLUMN,
        required=True,
    )
    st.plotly_chart(
        contributions_figure(frame, component or _COLUMNS[2]),
        width="stretch",
        config=chart_config(),
        alt=f"Bar chart of each point's {component} at step {s.step}, misclassified points "
        "hatched.",
    )
    st.dataframe(
        frame.sort_values("−(y−ŷ)", key=np.abs, ascending=False),
        hide_index=True,
        width="stretch",
        height=320,
        column_config={
            "point": st.column_config.NumberColumn("point #", format="#%d"),
            "ŷ": st.column_config.NumberColumn(format="%.4f"),
            **{c: st.column_config.NumberColumn(format="%.4g") for c in _COLUMNS},
        },
    )


def _mean_check(s: Scenario, history: History, frame: pd.DataFrame) -> None:
    w, b = history.state(s.step)
    grad_w, grad_b = gradient(w, b, np.asarray(s.X), np.asarray(s.y))
    rows = {
        "mean of the column over all points": [frame[c].mean() for c in _COLUMNS],
        "∂L/∂w1, ∂L/∂w2, ∂L/∂b of the mean loss": [grad_w[0], grad_w[1], grad_b],
    }
    if s.step < history.n_updates:
        used = frame["in update k+1"]
        rows[f"mean over the points update {s.step + 1:,} uses ({int(used.sum()):,})"] = [
            frame.loc[used, c].mean() for c in _COLUMNS
        ]
        rows[f"what update {s.step + 1:,} used (Playground)"] = [
            *history.grad_w[s.step],
            history.grad_b[s.step],
        ]
    check = pd.DataFrame(rows, index=list(_COLUMNS)).T
    st.markdown(
        "**Check:** the mean of each column is the gradient of the mean loss, the direction "
        "a full-batch update follows; the mean over the points an update uses is what that "
        "update used."
    )
    st.dataframe(check.map(fmt).rename_axis("quantity"), width="stretch")


def contributions_figure(frame: pd.DataFrame, column: str) -> go.Figure:
    """Bars of one contribution column, sorted, misclassified points hatched, the mean dashed."""
    ordered = frame.sort_values(column, ascending=False)
    labels = [f"#{p}" for p in ordered["point"]]
    fig = go.Figure()
    for wrong, name, color, hatch in (
        (True, "misclassified", MISCLASSIFIED_COLOR, "/"),
        (False, "correct", CORRECT_COLOR, ""),
    ):
        part = ordered[ordered["misclassified"] == wrong]
        fig.add_trace(
            go.Bar(
                x=[f"#{p}" for p in part["point"]],
                y=part[column],
                name=name,
                marker={"color": color, "pattern": {"shape": hatch}},
                customdata=np.column_stack([part["y"], part["ŷ"]]),
                hovertemplate="point %{x}: class %{customdata[0]}, ŷ = %{customdata[1]:.3f}"
                f"<br>{column} = %{{y:.4g}}<extra></extra>",
            )
        )
    mean = float(frame[column].mean())
    fig.add_hline(
        y=mean,
        line={"dash": "dash", "color": MEAN_COLOR, "width": 2},
        annotation_text=f"mean = {fmt(mean)}",
        annotation_position="top right",
    )
    fig.update_layout(
        layout(
            340,
            title={"text": f"{column} for each point, largest first", "x": 0},
            xaxis={
                "type": "category",
                "categoryorder": "array",
                "categoryarray": labels,
                "showticklabels": len(labels) <= MAX_BAR_LABELS,
                "title": {"text": "point"},
            },
            yaxis={"title": {"text": column}, "zeroline": True},
            bargap=0.15,
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        )
    )
    return fig
