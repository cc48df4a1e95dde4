"""The chain rule, step by step, with one point's numbers: the steps of the Derivation page.

The order follows the lecture: forward pass (z, ŷ, L), the chain rule, the four factors,
their products and the cancellation. Everything follows the run's loss and λ: with squared
error ŷ(1 − ŷ) does not cancel; with λ > 0 step 1 adds the penalty to the loss. What goes
beyond the lecture (a confident mistake under both losses, the penalty's step) is in
``ui.chain_rule_beyond``, the update that ends the page in ``ui.chain_rule_update``.
"""

from __future__ import annotations

import streamlit as st

from perceptron import PointDerivatives
from perceptron.formatting import SHOWN_DIGITS, fmt
from perceptron.gradcheck import Estimate
from ui.chain_rule_formulas import (
    EPS_HALF,
    TINY,
    digits_that_add_up,
    formula_with_check,
    precision_note,
    prob,
    rounded,
    times,
)
from ui.common import paren, tex
from ui.derivation import Case

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
    w1, w2, x1, x2, b = (rounded(v, digits) for v in (*c.w, *c.x, c.b))
    return w1 * x1 + w2 * x2 + b


def sum_digits(c: Case) -> int:
    """The fewest digits (from 4) with which the z line's numbers add up to the z shown."""
    return digits_that_add_up(c.d.z, lambda digits: _rounded_sum(c, digits))


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
        formula_with_check(formula, analytic, numeric)


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


_PRODUCTS = (
    ("w_1", "x_1", "dL_dw1", "dyhat_dw1"),
    ("w_2", "x_2", "dL_dw2", "dyhat_dw2"),
    ("b", "", "dL_db", "dyhat_db"),
)


def _x_tex(c: Case, x_name: str) -> str:
    """Times the point's x1 or x2 in a product (LaTeX), or nothing for b."""
    j = {"x_1": 0, "x_2": 1}.get(x_name)
    return rf"\cdot{paren(c.x[j])}" if j is not None else ""


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
        formula_with_check(formula, value, getattr(c.check, field))
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
    formula_with_check(
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
            rf" = (\hat y - y)\,\hat y(1 - \hat y){times(x_name)}\\"
            rf" &= ({prob(d, True)} - {int(c.y)})\cdot{tex(d.dyhat_db)}{_x_tex(c, x_name)}"
            rf" = {tex(value)}\end{{aligned}}"
        )
        formula_with_check(formula, value, getattr(c.check, field))
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
