"""Finite-difference checks of the chain rule at one point, independent of its formulas.

Each derivative is estimated as (f(p + h) − f(p − h)) / 2h, where p is an input of the
function checked: w1, w2 or b for ∂ŷ/∂w and ∂L/∂w, and z for ∂L/∂ŷ, taken as the slope
of L(z) over the slope of ŷ(z) (never a difference at a rounded ŷ, which could only agree
with the formula it came from). The forward functions are ``model.sigmoid`` and
``model.point_losses_from_logit``, which keep their relative precision for every z.

The step is chosen for the regime. A central difference's error is about (h²/6)·|f| from
truncation (h the change in z) plus about 4ε(1 + S)·|f| / h from rounding, where S =
|w1·x1| + |w2·x2| + |b| bounds the rounding of z itself. h = (12ε(1 + S))^⅓ makes their sum
smallest, and that sum says how many digits the estimate can be trusted to: ``digits``.
"""

import math
from dataclasses import dataclass

import numpy as np

from perceptron.model import point_losses_from_logit, sigmoid

EPS = float(np.finfo(np.float64).eps)
TINY = float(np.finfo(np.float64).tiny)
MAX_DIGITS = 15


@dataclass(frozen=True)
class Estimate:
    """A finite-difference value, and about how many significant digits of it are right.

    ``value`` is NaN when float64 cannot see the change at all; ``reason`` then says why.
    """

    value: float
    digits: int
    reason: str = ""


def step_for(scale: float) -> float:
    """The change in z that balances truncation against rounding when |z|'s terms sum to scale."""
    return (12 * EPS * (1.0 + scale)) ** (1 / 3)


def trusted_digits(h: float, scale: float, terms: int = 1) -> int:
    """Significant digits a central difference with step h in z can be trusted to."""
    error = terms * (h * h / 6 + 4 * EPS * (1.0 + scale) / h)
    return max(0, min(MAX_DIGITS, math.floor(-math.log10(error))))


def central_difference(f, p: float, h: float) -> float:
    """(f(p + h) − f(p − h)) / (2h), with the step actually taken in floating point."""
    up, down = p + h, p - h
    return (f(up) - f(down)) / (up - down)


@dataclass(frozen=True)
class NumericalDerivatives:
    """Central-difference estimates of the factors and products in ``PointDerivatives``."""

    dL_dyhat: Estimate
    dyhat_dw1: Estimate
    dyhat_dw2: Estimate
    dyhat_db: Estimate
    dL_dw1: Estimate
    dL_dw2: Estimate
    dL_db: Estimate
    h: float  # the change in z each difference makes


_UNSEEN = (
    "float64 cannot see the change here: ŷ(1 − ŷ), about e^−|z|, is below its smallest "
    "normal number, so σ(z ± h) differ by nothing it can hold"
)


def numerical_derivatives(w, b: float, x, y: float) -> NumericalDerivatives:
    """Estimate every chain-rule factor at the point ``x`` = (x1, x2) with label ``y``."""
    w1, w2 = map(float, w)
    x1, x2 = map(float, x)
    b, y = float(b), float(y)
    z = w1 * x1 + w2 * x2 + b
    scale = abs(w1 * x1) + abs(w2 * x2) + abs(b)
    h = step_for(scale)
    digits = trusted_digits(h, scale)
    # Near ŷ = 1, difference 1 − ŷ = σ(−z) instead and flip the sign: it keeps its digits.
    sign = -1.0 if z > 0 else 1.0

    def y_hat(v: float) -> float:
        return sigmoid(sign * v)

    def loss(v: float) -> float:
        return float(point_losses_from_logit(v, y))

    def in_parameter(f, j: int) -> Estimate:
        """∂f/∂(w1, w2 or b) by perturbing that parameter, so that z moves by h."""
        size = (x1, x2, 1.0)[j]
        if size == 0.0:
            return Estimate(0.0, MAX_DIGITS)  # z does not depend on it: exactly 0
        params = [w1, w2, b]

        def f_of(v: float) -> float:
            params[j] = v
            return f(params[0] * x1 + params[1] * x2 + params[2])

        return _estimate(central_difference(f_of, params[j], h / abs(size)), digits)

    dyhat = [in_parameter(y_hat, j) for j in range(3)]
    dyhat = [Estimate(sign * e.value, e.digits, e.reason) for e in dyhat]
    dL = [in_parameter(loss, j) for j in range(3)]
    return NumericalDerivatives(
        _dL_dyhat(z, h, y_hat, loss, sign, trusted_digits(h, scale, terms=2)),
        *dyhat,
        *dL,
        h=h,
    )


def _estimate(value: float, digits: int) -> Estimate:
    # A true derivative here is never exactly 0 (that case is handled above), so a 0 or
    # subnormal difference means float64 lost the change, not that there is none.
    return Estimate(value, digits) if abs(value) >= TINY else _unseen()


def _unseen() -> Estimate:
    return Estimate(math.nan, 0, _UNSEEN)


def _dL_dyhat(z: float, h: float, y_hat, loss, sign: float, digits: int) -> Estimate:
    """∂L/∂ŷ as ΔL/Δŷ along z: both changed by moving z by ±h, never ŷ itself."""
    d_yhat = sign * (y_hat(z + h) - y_hat(z - h))
    if abs(d_yhat) < TINY:
        return _unseen()
    return Estimate((loss(z + h) - loss(z - h)) / d_yhat, digits)
