"""The chain-rule page beyond the lecture: under squared error, a confident mistake's
derivative against the log loss's; with λ > 0, the penalty's slope λ·w added (step 5)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from perceptron import PointDerivatives, Scenario, point_derivatives
from perceptron.explain import WRONG, verdicts
from perceptron.formatting import fmt
from perceptron.gradcheck import numerical_derivatives
from perceptron.model import logit, predict_proba
from ui.chain_rule_formulas import (
    check_note,
    digits_that_add_up,
    formula_with_check,
    prob,
    rounded,
    times,
)
from ui.common import paren, tex
from ui.derivation import Case

# ---------------------------------------------------------------- a confident mistake


def confident_mistake(c: Case, X: np.ndarray, y: np.ndarray) -> int | None:
    """The point the neuron of step k is most sure about while wrong (largest |z| among the
    misclassified), or None when no point is on the wrong side."""
    z = logit(c.w, c.b, X)
    wrong = verdicts(predict_proba(c.w, c.b, X), y) == WRONG
    if not wrong.any():
        return None
    return int(np.argmax(np.where(wrong, np.abs(z), -np.inf)))


def versus_log_loss(c: Case, s: Scenario) -> None:
    """Squared error only: one point's ∂L/∂w1 under both losses, side by side, at the most
    confident mistake of step k (or at the chosen point when there is none)."""
    if not c.squared:
        return
    st.subheader("A confident mistake: squared error against the log loss")
    X, y = np.asarray(s.X), np.asarray(s.y)
    mistake = confident_mistake(c, X, y)
    st.markdown(_mistake_intro(c, mistake, X, y))
    i = c.i if mistake is None else mistake
    x, label = X[i], float(y[i])
    column = 0 if x[0] != 0 else None  # ∂L/∂w1, or ∂L/∂b if x1 = 0 makes both 0
    sides = st.columns(2, gap="large")
    values = []
    for side, loss in zip(sides, ("log", "squared"), strict=True):
        d = point_derivatives(c.w, c.b, x, label, loss)
        check = numerical_derivatives(c.w, c.b, x, label, loss)
        with side:
            values.append(_one_side(d, check, label, x, column))
    st.markdown(_why_it_differs(*values, d, mistake is not None))


def _mistake_intro(c: Case, i: int | None, X, y) -> str:
    if i is None:
        return (
            f"At step k = {c.k:,} no point is on the wrong side, so there is no mistake to "
            "compare. Below is the chosen point under both losses; go back to step 0, or load "
            "the preset “A confident wrong start” on the Data page, to see one."
        )
    d = point_derivatives(c.w, c.b, X[i], y[i], "squared")
    which = "the point above" if i == c.i else f"point #{i + 1}"
    return (
        f"At step k = {c.k:,} the neuron is surest of its mistake on {which}: "
        f"y = {int(y[i])}, yet ŷ = {fmt(d.y_hat)} (z = {fmt(d.z)}). Here is its derivative "
        "under each loss, with the same weights"
        + (" (the penalty's λ·w would be added to both alike)." if c.d.l2 else ".")
    )


def _one_side(d: PointDerivatives, check, y: float, x, column: int | None) -> float:
    """One loss's column: its formula with numbers and its finite-difference check."""
    name, x_name = ("w_1", "x_1") if column == 0 else ("b", "")
    x_tex = rf"\cdot{paren(x[0])}" if column == 0 else ""
    value, numeric = (d.dL_dw1, check.dL_dw1) if column == 0 else (d.dL_db, check.dL_db)
    # Three rows, so that each fits half the page's width.
    if d.kind == "log":
        st.markdown("**Log loss** (ŷ(1 − ŷ) cancelled)")
        symbols = rf"-(y - \hat y){times(x_name)}"
        numbers = rf"-({int(y)} - {prob(d, True)}){x_tex}"
    else:
        st.markdown("**Squared error** (ŷ(1 − ŷ) stays)")
        symbols = rf"(\hat y - y)\,\hat y(1 - \hat y){times(x_name)}"
        numbers = rf"({prob(d, True)} - {int(y)})\cdot{tex(d.dyhat_db)}{x_tex}"
    st.latex(
        rf"\begin{{aligned}}\frac{{\partial L}}{{\partial {name}}} &= {symbols}\\"
        rf" &= {numbers}\\ &= {tex(value)}\end{{aligned}}"
    )
    st.markdown(check_note(value, numeric))
    return value


def _why_it_differs(
    log_value: float, squared_value: float, d: PointDerivatives, mistake: bool
) -> str:
    if squared_value == 0 or log_value == 0:
        return "Both are 0 here: the point has nothing to say about this parameter."
    ratio = abs(log_value / squared_value)
    factor = "ŷ(1\u00a0−\u00a0ŷ)"  # kept on one line
    same = (
        f"Both point the same way, but squared error's is **{ratio:,.3g} times smaller**: "
        f"1\u00a0/\u00a0{factor}, with {factor} = {fmt(d.dyhat_db)}."
    )
    if not mistake:
        return same + (
            " Near ŷ = ½ the two differ least (4 times, at ŷ = ½ exactly); the surer the "
            "neuron, the wider the gap."
        )
    return same + (
        " The log loss's ∂L/∂ŷ has ŷ(1 − ŷ) in its denominator, which cancels the sigmoid's "
        "slope, so a point that is badly wrong pulls hard, up to |x| itself. With squared "
        "error, the surer the neuron is of a mistake, the flatter the sigmoid there and the "
        "weaker the pull: descent creeps across a plateau (see the Loss landscape page)."
    )


# ---------------------------------------------------------------- the penalty


def penalty(c: Case) -> None:
    """With λ > 0, step 5: the penalty's derivatives λ·w1, λ·w2 added to ∂L/∂w1, ∂L/∂w2."""
    if not c.d.l2:
        return
    d = c.d
    st.header("5 · Add the penalty's slope, λ·w")
    st.markdown(
        "The update lowers J = L + (λ/2)(w1² + w2²). The penalty's derivative is "
        "λ·w1 for w1 and λ·w2 for w2 (the ½ cancels the 2 of the square), and 0 for b, "
        "which is not penalised. So:"
    )
    rows = (
        (1, d.dL_dw1, c.w[0], d.dJ_dw1, c.check.dJ_dw1),
        (2, d.dL_dw2, c.w[1], d.dJ_dw2, c.check.dJ_dw2),
    )
    for j, dL, w, dJ, numeric in rows:
        n = digits_that_add_up(dJ, lambda k, dL=dL, w=w: rounded(dL, k) + d.l2 * rounded(w, k))
        formula = (
            rf"\begin{{aligned}}\frac{{\partial J}}{{\partial w_{j}}} &= "
            rf"\frac{{\partial L}}{{\partial w_{j}}} + \lambda w_{j}\\"
            rf" &= {tex(dL, n)} + {tex(d.l2)}\cdot{paren(w, n)} = {tex(dJ)}\end{{aligned}}"
        )
        formula_with_check(formula, dJ, numeric)
    st.latex(
        rf"\frac{{\partial J}}{{\partial b}} = \frac{{\partial L}}{{\partial b}} = {tex(d.dJ_db)}"
    )
    st.caption(
        "The finite-difference checks here nudge w1 or w2 in the point's whole J, loss and "
        "penalty together, so they check the λ·w term too. At every update the penalty pulls "
        "each weight back towards 0 by α·λ·w: this is why L2 regularisation is also called "
        "weight decay."
    )
