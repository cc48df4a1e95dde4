"""The chain rule, step by step, with one point's numbers: steps 1 to 5 of the Derivation page.

The order follows the lecture: forward pass (z, ŷ, L), the chain rule, the four factors,
their products and the cancellation, then the update, compared with the Playground's.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from perceptron import History, PointDerivatives, Scenario
from perceptron.gradcheck import Estimate
from ui.common import SHOWN_DIGITS, agreement, fmt, paren, tex
from ui.derivation import Case, next_update_point


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


def chain() -> None:
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
    for formula, analytic, numeric in _factor_rows(c):
        _formula_with_check(formula, analytic, numeric)


def _factor_rows(c: Case) -> list[tuple[str, float, Estimate]]:
    """Each factor as (its formula with numbers, its value, its finite-difference check)."""
    d, check = c.d, c.check
    dL_dyhat = r"\frac{\partial L}{\partial \hat y} = -\frac{y - \hat y}{\hat y(1 - \hat y)}"
    dyhat_dw = [
        (
            rf"\frac{{\partial \hat y}}{{\partial w_{j}}} = \hat y(1 - \hat y)\,x_{j}"
            rf" = {tex(d.dyhat_db)}\cdot{paren(c.x[j - 1])} = {tex(value)}",
            value,
            numeric,
        )
        for j, value, numeric in (
            (1, d.dyhat_dw1, check.dyhat_dw1),
            (2, d.dyhat_dw2, check.dyhat_dw2),
        )
    ]
    dyhat_db = rf"\frac{{\partial \hat y}}{{\partial b}} = \hat y(1 - \hat y) = {tex(d.dyhat_db)}"
    return [
        (dL_dyhat + _dL_dyhat_numbers(d, c.y), d.dL_dyhat, check.dL_dyhat),
        *dyhat_dw,
        (dyhat_db, d.dyhat_db, check.dyhat_db),
    ]


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
