"""The chain rule, step by step, with one point's numbers: the steps of the Derivation page.

The order follows the lecture: forward pass (z, ŷ, L), the chain rule, the four factors,
their products and the cancellation, then the update, compared with the Playground's.
Everything follows the run's loss and λ: with squared error ŷ(1 − ŷ) does not cancel, and
step 4 compares a confident mistake under both losses; with λ > 0 a step adds the
penalty's λ·w before the update.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from perceptron import History, PointDerivatives, Scenario, point_derivatives
from perceptron.explain import WRONG, verdicts
from perceptron.formatting import SHOWN_DIGITS, fmt
from perceptron.gradcheck import Estimate, numerical_derivatives
from perceptron.model import logit, predict_proba
from ui.common import agreement, paren, tex
from ui.derivation import Case, next_update_point, slope_words

# On a phone the formulas are set at the text's own size (KaTeX's default is 1.21 em), so
# that a line of numbers fits the width instead of running off the screen.
PHONE_CSS = """
<style>
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] .katex-display > .katex { font-size: 1em; }
}
</style>
"""


def page_style() -> None:
    """The page's own CSS (formulas that fit a phone)."""
    st.html(PHONE_CSS)


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
    if c.squared:
        _squared_loss_line(c)
    else:
        _log_loss_line(c)
    if c.d.one_minus_y_hat < EPS_HALF or c.d.y_hat < TINY:
        st.caption(precision_note(c.d))
    if c.d.l2:
        _objective_line(c)


def _log_loss_line(c: Case) -> None:
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


def _squared_loss_line(c: Case) -> None:
    st.latex(
        rf"\begin{{aligned}}L(y, \hat y) &= \frac{{1}}{{2}}(\hat y - y)^{{2}}\\"
        rf" &= \frac{{1}}{{2}}\cdot({prob(c.d, True)} - {int(c.y)})^{{2}} = {tex(c.d.loss)}"
        r"\end{aligned}"
    )
    st.caption(
        "This run uses squared error instead of the lecture's log loss: half the square of "
        "how far ŷ is from y. It is never more than ½, however wrong the neuron is. It is "
        "computed from z too (|ŷ − y| is σ(−z) for class 1 and σ(z) for class 0), so it keeps "
        "its digits when ŷ is very close to 0 or 1."
    )


def _objective_line(c: Case) -> None:
    """J = L + (λ/2)(w1² + w2²) with this point's L and the weights of step k."""
    w1, w2 = c.w
    lam = tex(c.d.l2)
    st.latex(
        rf"\begin{{aligned}}J &= L + \frac{{\lambda}}{{2}}(w_1^{{2}} + w_2^{{2}})\\"
        rf" &= {tex(c.d.loss)} + \frac{{{lam}}}{{2}}\cdot({paren(w1)}^{{2}} + {paren(w2)}^{{2}})"
        rf"\\ &= {tex(c.d.loss)} + {tex(c.d.penalty)} = {tex(c.d.loss + c.d.penalty)}"
        r"\end{aligned}"
    )
    st.caption(
        f"With L2 regularisation (λ = {fmt(c.d.l2)}) the run lowers J: the loss plus a "
        "penalty that grows with the weights, so that they stay small unless the points "
        "really need them large. b is not penalised. Each update lowers the loss of its own "
        "points plus this same penalty."
    )


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


def chain(c: Case) -> None:
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
    if c.d.l2:
        st.markdown(
            "The penalty (λ/2)(w1² + w2²) is different: it depends on w1 and w2 directly, "
            "not through ŷ, so it needs no chain. Its derivatives are added at the end "
            "(step 5)."
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
    slope = (
        "Squared error's ∂L/∂ŷ is simply ŷ − y: how far ŷ is from y, with its sign. "
        if c.squared
        else ""
    )
    st.markdown(
        f"{slope}The sigmoid has a tidy derivative, σ′(z) = σ(z)(1 − σ(z)), that is ŷ(1 − ŷ). "
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
    if c.squared:
        dL_dyhat = (
            rf"\frac{{\partial L}}{{\partial \hat y}} = \hat y - y"
            rf" = {prob(d, True)} - {int(c.y)} = {tex(d.dL_dyhat)}"
        )
    else:
        dL_dyhat += _dL_dyhat_numbers(d, c.y)
    return [
        (dL_dyhat, d.dL_dyhat, check.dL_dyhat),
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


def _x_tex(c: Case, x_name: str) -> str:
    """Times the point's x1 or x2 in a product (LaTeX), or nothing for b."""
    j = {"x_1": 0, "x_2": 1}.get(x_name)
    return rf"\cdot{paren(c.x[j])}" if j is not None else ""


def _times(x_name: str) -> str:
    """A thin space and x_1 or x_2 after a product in LaTeX; nothing for b."""
    return rf"\,{x_name}" if x_name else ""


def products(c: Case) -> None:
    """Step 4: multiply the factors; with the log loss ŷ(1−ŷ) cancels and leaves −(y−ŷ)·x,
    with squared error it stays."""
    if c.squared:
        _squared_products(c)
        return
    st.header("4 · Multiply, and watch ŷ(1 − ŷ) cancel")
    st.markdown(
        "The ŷ(1 − ŷ) in the denominator of ∂L/∂ŷ meets the same ŷ(1 − ŷ) in ∂ŷ/∂w. They "
        "cancel, and what is left is short: minus the error y − ŷ, times the input."
    )
    cancelled = r"\cancel{\hat y(1 - \hat y)}"
    for name, x_name, field, factor in _PRODUCTS:
        value = getattr(c.d, field)
        formula = (
            rf"\begin{{aligned}}\frac{{\partial L}}{{\partial {name}}} &= "
            rf"-\frac{{y - \hat y}}{{{cancelled}}}\cdot{cancelled}\,{x_name}"
            rf" = -(y - \hat y)\,{x_name}\\"
            rf" &= -({int(c.y)} - {prob(c.d, True)}){_x_tex(c, x_name)} = {tex(value)}"
            r"\end{aligned}"
        )
        _formula_with_check(formula, value, getattr(c.check, field))
        product = c.d.dL_dyhat * getattr(c.d, factor)
        st.caption(
            f"The two factors multiplied as numbers, before cancelling: {fmt(c.d.dL_dyhat)} × "
            f"{fmt(getattr(c.d, factor))} = {fmt(product)}."
        )
    _saturation_or_intuition(c)
    st.caption(
        "It cancels because of the log loss. Choose “Squared error” as the loss in the "
        "sidebar to see a loss where it does not, and what that does to a point the neuron "
        "is sure about but wrong on."
    )


def _squared_products(c: Case) -> None:
    """Step 4 for squared error: ∂L/∂z = (ŷ − y)·ŷ(1 − ŷ), then times x."""
    st.header("4 · Multiply: with squared error ŷ(1 − ŷ) stays")
    d = c.d
    st.markdown(
        "Squared error's ∂L/∂ŷ = ŷ − y has no ŷ(1 − ŷ) in a denominator, so nothing "
        "cancels: the sigmoid's slope stays in every derivative. First the part all three "
        "share, how L changes with z:"
    )
    _formula_with_check(
        rf"\begin{{aligned}}\frac{{\partial L}}{{\partial z}} &= (\hat y - y)\,\hat y(1 - \hat y)"
        rf"\\ &= ({prob(d, True)} - {int(c.y)})\cdot{tex(d.dyhat_db)} = {tex(d.dL_dz)}"
        r"\end{aligned}",
        d.dL_dz,
        c.check.dL_dz,
    )
    st.markdown("Then each derivative is that, times what z is multiplied by:")
    for name, x_name, field, _ in _PRODUCTS:
        value = getattr(d, field)
        formula = (
            rf"\begin{{aligned}}\frac{{\partial L}}{{\partial {name}}} &= "
            rf"\frac{{\partial L}}{{\partial \hat y}}\cdot"
            rf"\frac{{\partial \hat y}}{{\partial {name}}}"
            rf" = (\hat y - y)\,\hat y(1 - \hat y){_times(x_name)}\\"
            rf" &= ({prob(d, True)} - {int(c.y)})\cdot{tex(d.dyhat_db)}{_x_tex(c, x_name)}"
            rf" = {tex(value)}\end{{aligned}}"
        )
        _formula_with_check(formula, value, getattr(c.check, field))
    _saturation_or_intuition(c)


def _saturation_or_intuition(c: Case) -> None:
    if c.d.saturated:
        st.warning(_saturation_text(c))
    if c.squared:
        _squared_intuition(c)
        return
    error = abs(c.y - c.d.y_hat)
    size = "small" if error < 0.1 else "large" if error > 0.9 else "moderate"
    st.info(
        f"**Why this makes sense.** When the prediction is good (ŷ close to y), the error "
        "y − ŷ is small, so the derivatives are small and the weights hardly move: there is "
        "little to fix. When it is bad (ŷ far from y, up to 1 away), the derivatives are large "
        f"and the weights move a lot. Here |y − ŷ| = {fmt(error)}: a {size} error, so this "
        f"point asks for a {size} change."
    )


def _saturation_text(c: Case) -> str:
    exact = f"ŷ rounds to exactly {c.d.y_hat:g}, and " if c.d.y_hat in (0.0, 1.0) else ""
    if c.squared:
        return (
            f"**Here {exact}float64 runs out of digits.** ŷ(1 − ŷ), about e^−|z|, is below the "
            "smallest normal float64. With squared error nothing cancels it: the true "
            "derivatives really are that small, so this point moves the weights by nothing "
            "float64 can hold. The finite-difference checks cannot see the change either, and "
            "say so."
        )
    return (
        f"**Here {exact}float64 runs out of digits.** {c.d.note} That is why the code computes "
        "−(y − ŷ)·x directly instead of multiplying the two factors: on paper they cancel, "
        "in floating point a number too small to hold does not. The finite-difference "
        "checks of ŷ(1 − ŷ) cannot see it either, and say so."
    )


def _squared_intuition(c: Case) -> None:
    d = c.d
    error = abs(d.dL_dyhat)
    wrong = (d.y_hat > 0.5) != (c.y == 1) and d.y_hat != 0.5
    if wrong and d.dyhat_db < CONFIDENT_SLOPE:
        reading = (
            f"Here ŷ is on the wrong side, |ŷ − y| = {fmt(error)}, and yet ŷ(1 − ŷ) = "
            f"{fmt(d.dyhat_db)} shrinks the step to almost nothing: the surer the neuron is "
            "of a mistake, the less squared error does about it."
        )
    else:
        reading = (
            f"Here |ŷ − y| = {fmt(error)} and ŷ(1 − ŷ) = {fmt(d.dyhat_db)}, so this point asks "
            f"for {fmt(d.dyhat_db)} times what its error alone would."
        )
    st.info(
        "**What the factor that stays does.** The error ŷ − y still says which way to move, "
        "but ŷ(1 − ŷ) scales it: at most ¼ (at ŷ = ½) and close to 0 wherever the neuron is "
        f"sure, whether it is right or wrong. {reading}"
    )


# ŷ(1 − ŷ) below this (|z| above about 3) counts as a confident prediction.
CONFIDENT_SLOPE = 0.05


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
        symbols = rf"-(y - \hat y){_times(x_name)}"
        numbers = rf"-({int(y)} - {prob(d, True)}){x_tex}"
    else:
        st.markdown("**Squared error** (ŷ(1 − ŷ) stays)")
        symbols = rf"(\hat y - y)\,\hat y(1 - \hat y){_times(x_name)}"
        numbers = rf"({prob(d, True)} - {int(y)})\cdot{tex(d.dyhat_db)}{x_tex}"
    st.latex(
        rf"\begin{{aligned}}\frac{{\partial L}}{{\partial {name}}} &= {symbols}\\"
        rf" &= {numbers}\\ &= {tex(value)}\end{{aligned}}"
    )
    st.markdown(_check_note(value, numeric))
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


def _digits_that_add_up(total: float, rounded) -> int:
    """The fewest digits (from 4) with which ``rounded(digits)``, the line's numbers as
    written, is within half a unit of the last digit shown of ``total``."""
    if not math.isfinite(total) or total == 0:
        return SHOWN_DIGITS
    half_unit = 0.5 * 10.0 ** (math.floor(math.log10(abs(total))) - (SHOWN_DIGITS - 1))
    for digits in range(SHOWN_DIGITS, 17):
        if abs(rounded(digits) - total) <= half_unit:
            return digits
    return 17


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
        n = _digits_that_add_up(dJ, lambda k, dL=dL, w=w: _rounded(dL, k) + d.l2 * _rounded(w, k))
        formula = (
            rf"\begin{{aligned}}\frac{{\partial J}}{{\partial w_{j}}} &= "
            rf"\frac{{\partial L}}{{\partial w_{j}}} + \lambda w_{j}\\"
            rf" &= {tex(dL, n)} + {tex(d.l2)}\cdot{paren(w, n)} = {tex(dJ)}\end{{aligned}}"
        )
        _formula_with_check(formula, dJ, numeric)
    st.latex(
        rf"\frac{{\partial J}}{{\partial b}} = \frac{{\partial L}}{{\partial b}} = {tex(d.dJ_db)}"
    )
    st.caption(
        "The finite-difference checks here nudge w1 or w2 in the point's whole J, loss and "
        "penalty together, so they check the λ·w term too. At every update the penalty pulls "
        "each weight back towards 0 by α·λ·w: this is why L2 regularisation is also called "
        "weight decay."
    )


def _rounded(v: float, digits: int) -> float:
    return float(fmt(v, digits))


# ---------------------------------------------------------------- the update


def _update_lines(old_w, old_b: float, lr: float, grads, new_w, new_b: float, of: str) -> str:
    names = ("w_1", "w_2", "b")
    old = (old_w[0], old_w[1], old_b)
    new = (new_w[0], new_w[1], new_b)
    lines = [
        rf"{n} &\leftarrow {n} - \alpha\,\frac{{\partial {of}}}{{\partial {n}}} = {tex(o)} - "
        rf"{tex(lr)}\cdot{paren(g)} = {tex(v)}"
        for n, o, g, v in zip(names, old, grads, new, strict=True)
    ]
    return r"\begin{aligned}" + r"\\".join(lines) + r"\end{aligned}"


def update(c: Case, s: Scenario, history: History) -> None:
    """The last step: the gradient-descent step, compared with the Playground's step k+1."""
    st.header(f"{6 if c.d.l2 else 5} · The update")
    lr = s.config.learning_rate
    grads = (c.d.dJ_dw1, c.d.dJ_dw2, c.d.dJ_db)
    new_w = c.w - lr * np.array(grads[:2])
    new_b = c.b - lr * grads[2]
    of = "J" if c.d.l2 else "L"
    if c.k == history.n_updates:
        st.markdown(
            f"Step {c.k:,} is the last state of this run, so there is no update k+1 to compare "
            f"with. Here is the step this point alone would ask for, with α = {fmt(lr)}:"
        )
        st.latex(_update_lines(c.w, c.b, lr, grads, new_w, new_b, of))
        return
    if s.config.mode == "stochastic":
        _per_point_update(c, history, lr, grads, new_w, new_b)
    else:
        _batch_update(c, history, lr)


def _per_point_update(c: Case, history: History, lr: float, grads, new_w, new_b) -> None:
    st.markdown(f"Per-point mode: each update uses one point's derivatives, with α = {fmt(lr)}:")
    st.latex(_update_lines(c.w, c.b, lr, grads, new_w, new_b, "J" if c.d.l2 else "L"))
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
    inside = c.i in used
    slope = slope_words(c.d.kind, "x")
    st.markdown(
        f"This run makes each update with the **mean** of {slope} over a batch: update "
        f"{c.k + 1:,} averages over {m:,} points, so each point's share is its own "
        f"derivative divided by {m:,}. "
        + ("The penalty's λ·w is added once, to the mean. " if c.d.l2 else "")
        + (f"Point #{c.i + 1} is in this batch." if inside else "This point is **not** in it.")
    )
    st.dataframe(_batch_frame(c, history, slope, m, inside), hide_index=True, width="stretch")
    next_w, next_b = history.state(c.k + 1)
    mean = (*history.grad_w[c.k], history.grad_b[c.k])
    st.latex(_update_lines(c.w, c.b, lr, mean, next_w, next_b, "J" if c.d.l2 else "L"))
    st.success(
        f"With the batch mean, the update gives exactly the Playground's step {c.k + 1:,}: "
        f"w1 = {fmt(next_w[0])}, w2 = {fmt(next_w[1])}, b = {fmt(next_b)}."
    )


def _batch_frame(c: Case, history: History, slope: str, m: int, inside: bool) -> pd.DataFrame:
    """This point's derivatives, its share of the batch mean, and what the update used."""
    mine = (c.d.dL_dw1, c.d.dL_dw2, c.d.dL_db)
    used = np.array([*history.grad_w[c.k], history.grad_b[c.k]])
    k1 = f"{c.k + 1:,}"
    columns = {
        "derivative": ["∂L/∂w1", "∂L/∂w2", "∂L/∂b"],
        f"this point: {slope}": mine,
        f"its share (÷ {m:,})": [v / m if inside else 0.0 for v in mine],
    }
    if not c.d.l2:
        return pd.DataFrame(columns | {f"batch mean (update {k1})": used})
    decay = np.array([c.d.dR_dw1, c.d.dR_dw2, 0.0])
    return pd.DataFrame(
        columns
        | {
            f"batch mean (update {k1})": used - decay,
            "+ λ·w (b: 0)": decay,
            f"∂J: what update {k1} used": used,
        }
    )
