"""Finite-difference checks of the chain rule at one point, independent of its formulas.

Each derivative is estimated as (f(p + h) − f(p − h)) / 2h from the forward functions
alone (ŷ = σ(z) and the point's log loss), so agreement with ``model.point_derivatives``
shows the calculus is right. The central difference has error of order h², and the
rounding in f costs about ε·|f| / h; h ≈ 1e-6 balances the two for these functions.
Each f is written so that it keeps its relative precision when ŷ is near 0 or 1:
differencing a value like 1 − 1e-9 directly would leave only noise.
"""

import math
from dataclasses import dataclass

import numpy as np

from perceptron.model import sigmoid

STEP = 1e-6
EPS = float(np.finfo(np.float64).eps)


def central_difference(f, p: float, h: float = STEP) -> float:
    """(f(p + h) − f(p − h)) / 2h, with h scaled to the size of p (never below ``h``)."""
    step = h * max(1.0, abs(p))
    return (f(p + step) - f(p - step)) / (2 * step)


def point_loss(w1: float, w2: float, b: float, x1: float, x2: float, y: float) -> float:
    """The log loss of one point with label y ∈ {0, 1}: ln(1 + e^z) if y = 0, ln(1 + e^−z) if y = 1.

    That is ln(1 + e^z) − y·z without the subtraction, which would cancel when z ≫ 0.
    """
    z = w1 * x1 + w2 * x2 + b
    return float(np.logaddexp(0.0, -z if y == 1 else z))


@dataclass(frozen=True)
class NumericalDerivatives:
    """Central-difference estimates of the factors and products in ``PointDerivatives``.

    ``dL_dyhat`` is NaN when ŷ is 0 or 1 in floating point: L(y, ŷ) has no
    neighbourhood there to difference over.
    """

    dL_dyhat: float
    dyhat_dw1: float
    dyhat_dw2: float
    dyhat_db: float
    dL_dw1: float
    dL_dw2: float
    dL_db: float
    h: float


def numerical_derivatives(w, b: float, x, y: float, h: float = STEP) -> NumericalDerivatives:
    """Estimate every chain-rule factor at the point ``x`` = (x1, x2) with label ``y``."""
    w1, w2 = map(float, w)
    x1, x2 = map(float, x)
    b, y = float(b), float(y)

    z = w1 * x1 + w2 * x2 + b
    # Near ŷ = 1, difference 1 − ŷ = σ(−z) instead: it is small and keeps its digits.
    sign = -1.0 if z > 0 else 1.0

    def y_hat(a1: float, a2: float, c: float) -> float:
        return sigmoid(sign * (a1 * x1 + a2 * x2 + c))

    def loss(a1: float, a2: float, c: float) -> float:
        return point_loss(a1, a2, c, x1, x2, y)

    return NumericalDerivatives(
        dL_dyhat=_dL_dyhat(sigmoid(z), y),
        dyhat_dw1=sign * central_difference(lambda v: y_hat(v, w2, b), w1, h),
        dyhat_dw2=sign * central_difference(lambda v: y_hat(w1, v, b), w2, h),
        dyhat_db=sign * central_difference(lambda v: y_hat(w1, w2, v), b, h),
        dL_dw1=central_difference(lambda v: loss(v, w2, b), w1, h),
        dL_dw2=central_difference(lambda v: loss(w1, v, b), w2, h),
        dL_db=central_difference(lambda v: loss(w1, w2, v), b, h),
        h=h,
    )


def _dL_dyhat(y_hat: float, y: float) -> float:
    """∂L/∂ŷ by a central difference of L(y, ŷ) = −ln q, with q = ŷ if y = 1, 1 − ŷ if y = 0.

    The other term of L is 0 for a label of 0 or 1, and q (not ŷ) is the value that
    keeps its digits near the end that matters. The step ε^⅓·q balances truncation,
    which grows like (step / q)², against rounding, about ε·q / step. NaN when q is 0:
    there is no room for a step.
    """
    q = y_hat if y == 1 else 1.0 - y_hat
    step = EPS ** (1 / 3) * q
    if step <= 0.0:
        return math.nan
    dL_dq = (math.log(q - step) - math.log(q + step)) / (2 * step)
    return dL_dq if y == 1 else -dL_dq
