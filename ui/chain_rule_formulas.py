"""How the chain-rule page writes a formula with one point's numbers: ŷ so that ŷ and 1 − ŷ
both keep their digits, numbers with enough digits that a line adds up, and beside each
derivative its finite-difference check."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from perceptron import PointDerivatives
from perceptron.formatting import SHOWN_DIGITS, fmt
from perceptron.gradcheck import Estimate
from ui.common import agreement, tex

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


def check_note(analytic: float, numeric: Estimate) -> str:
    """The finite-difference estimate of a derivative and how well it agrees with ``analytic``."""
    if not math.isfinite(numeric.value):
        return f"**Finite-difference check:** not possible: {numeric.reason}."
    return (
        f"**Finite-difference check:** {fmt(numeric.value)}  \n"
        f"{agreement(analytic, numeric.value, numeric.digits)} with the formula."
    )


def formula_with_check(formula: str, analytic: float, numeric: Estimate) -> None:
    """A derivative's formula with its numbers, and beside it its finite-difference check."""
    left, right = st.columns([3, 1.3], vertical_alignment="center")
    left.latex(formula)
    right.markdown(check_note(analytic, numeric))


def times(x_name: str) -> str:
    """A thin space and x_1 or x_2 after a product in LaTeX; nothing for b."""
    return rf"\,{x_name}" if x_name else ""


def digits_that_add_up(total: float, rounded_line) -> int:
    """The fewest digits (from 4) with which a line's numbers, as written with that many
    significant digits (``rounded_line(digits)``), add up to the ``total`` shown.

    "Add up" means: within half a unit of the last digit shown of ``total`` (exactly, when
    it is 0). When the terms nearly cancel, 4-digit numbers would give a visibly different
    total; 17 digits are float64's own.
    """
    if not math.isfinite(total):
        return SHOWN_DIGITS
    half_unit = (
        0.5 * 10.0 ** (math.floor(math.log10(abs(total))) - (SHOWN_DIGITS - 1)) if total else 0
    )
    for digits in range(SHOWN_DIGITS, 17):
        if abs(rounded_line(digits) - total) <= half_unit:
            return digits
    return 17


def rounded(v: float, digits: int) -> float:
    """``v`` as written with ``digits`` significant digits."""
    return float(fmt(v, digits))
