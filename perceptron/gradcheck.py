"""Finite-difference checks of the chain rule at one point, independent of its formulas.

Each derivative is estimated as (f(p + h) − f(p − h)) / 2h, where p is an input of the
function checked: w1, w2 or b for ∂ŷ/∂w and ∂L/∂w, z for ∂L/∂z, and z for ∂L/∂ŷ, taken
as the slope of L(z) over the slope of ŷ(z) (never a difference at a rounded ŷ, which
could only agree with the formula it came from). With L2 regularisation, ∂J/∂w1 and
∂J/∂w2 difference the point's J = L + (λ/2)(w1² + w2²) itself, so they check the λ·w
term too. The forward functions are ``model.sigmoid``, ``model.point_losses_from_logit``
(either loss) and ``model.penalty``, which keep their relative precision for every z.

The step is chosen for the regime. A central difference's error is about (h²/6)·|f| from
truncation (h the change in z) plus about 4ε(1 + S)·|f| / h from rounding, where S =
|w1·x1| + |w2·x2| + |b| bounds the rounding of z itself. h = (12ε(1 + S))^⅓ makes their sum
smallest, and that sum says how many digits the estimate can be trusted to: ``digits``.
"""

import math
from dataclasses import dataclass

import numpy as np

from perceptron.model import penalty, point_losses_from_logit, sigmoid

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


def trusted_digits(h: float, scale: float, terms: int = 1, bend: float = 1.0) -> int:
    """Significant digits a central difference with step h in z can be trusted to; ``bend``
    bounds the function's third derivative against its first (1 for σ and the log loss)."""
    error = terms * (bend * h * h / 6 + 4 * EPS * (1.0 + scale) / h)
    return max(0, min(MAX_DIGITS, math.floor(-math.log10(error))))


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
    dL_dz: Estimate
    dJ_dw1: Estimate  # of J = L + (λ/2)(w1² + w2²): with λ = 0 the same as dL_dw1
    dJ_dw2: Estimate


_UNSEEN = (
    "float64 cannot see the change here: ŷ(1 − ŷ), about e^−|z|, is below its smallest "
    "normal number, so σ(z ± h) differ by nothing it can hold"
)


def numerical_derivatives(
    w, b: float, x, y: float, loss: str = "log", l2: float = 0.0
) -> NumericalDerivatives:
    """Estimate every chain-rule factor at the point ``x`` = (x1, x2) with label ``y``, for
    the loss ``loss`` and, in ∂J/∂w, the L2 strength ``l2`` (λ)."""
    w1, w2 = map(float, w)
    x1, x2 = map(float, x)
    b, y, l2 = float(b), float(y), float(l2)
    z = w1 * x1 + w2 * x2 + b
    scale = abs(w1 * x1) + abs(w2 * x2) + abs(b)
    h = step_for(scale)
    # Squared error's third derivative along z is up to 4 times its first (the log
    # loss's and σ's at most once): its differences carry up to 4 times the truncation.
    bend = SQUARED_BEND if loss == "squared" else 1.0
    digits = trusted_digits(h, scale, bend=bend)
    # Near ŷ = 1, difference 1 − ŷ = σ(−z) instead and flip the sign: it keeps its digits.
    sign = -1.0 if z > 0 else 1.0

    def y_hat_change(up: float, down: float) -> float:
        return sigmoid(sign * up) - sigmoid(sign * down)

    loss_change = _loss_change(loss, y)
    at = (w1, w2, b, x1, x2, h)
    y_hat_digits = trusted_digits(h, scale)
    dyhat = [_in_parameter(y_hat_change, j, y_hat_digits, *at) for j in range(3)]
    dyhat = [Estimate(sign * e.value, e.digits, e.reason) for e in dyhat]
    dL = [_in_parameter(loss_change, j, digits, *at) for j in range(3)]
    dL_dz = _estimate(loss_change(z + h, z - h) / ((z + h) - (z - h)), digits)
    if l2:
        dJ = [_penalised(loss_change, (w1, w2), b, (x1, x2), l2, j, h, digits) for j in range(2)]
    else:
        dJ = dL[:2]
    ratio = _dL_dyhat(z, h, y_hat_change, loss_change, sign, trusted_digits(h, scale, 2, bend))
    return NumericalDerivatives(ratio, *dyhat, *dL, h=h, dL_dz=dL_dz, dJ_dw1=dJ[0], dJ_dw2=dJ[1])


def _in_parameter(change, j: int, digits: int, w1, w2, b, x1, x2, h) -> Estimate:
    """∂f/∂(w1, w2 or b) by perturbing that parameter (j = 0, 1, 2) so that z moves by h;
    ``change(z_up, z_down)`` is f's change between the two."""
    x_j = (x1, x2, 1.0)[j]
    if x_j == 0.0:
        return Estimate(0.0, MAX_DIGITS)  # z does not depend on it: exactly 0
    step = h / abs(x_j)
    up, down = (w1, w2, b)[j] + step, (w1, w2, b)[j] - step
    z_up, z_down = (_z_with(w1, w2, b, x1, x2, j, v) for v in (up, down))
    return _estimate(change(z_up, z_down) / (up - down), digits)


# The largest |d³L/dz³ / dL/dz| of squared error, 4 − 15u + 12u² at u = |ŷ − y| → 0.
SQUARED_BEND = 4.0


def _z_with(w1: float, w2: float, b: float, x1: float, x2: float, j: int, value: float) -> float:
    """z = w1·x1 + w2·x2 + b with parameter j (w1, w2, b) set to ``value``."""
    params = [w1, w2, b]
    params[j] = value
    return params[0] * x1 + params[1] * x2 + params[2]


def _loss_change(loss: str, y: float):
    """(z₊, z₋) → L(z₊) − L(z₋), computed so that the difference keeps its digits.

    The log loss differences its softplus values, which keep theirs. Squared error
    ½u² (u = σ(t) = |ŷ − y|) is nearly ½ at a confident mistake, where ½u₊² − ½u₋² would
    cancel away its digits; as ½(u₊ + u₋)·(u₊ − u₋), with u₊ − u₋ differenced as
    −(σ(−t₊) − σ(−t₋)) there, it keeps them. Both are the loss's values, not its slope.
    """
    if loss == "log":
        return lambda up, down: float(
            point_losses_from_logit(up, y) - point_losses_from_logit(down, y)
        )
    s = 1.0 - 2.0 * y

    def change(up: float, down: float) -> float:
        t_up, t_down = s * up, s * down
        if t_up + t_down > 0:  # u near 1: difference 1 − u instead
            du = sigmoid(-t_down) - sigmoid(-t_up)
        else:
            du = sigmoid(t_up) - sigmoid(t_down)
        return 0.5 * (sigmoid(t_up) + sigmoid(t_down)) * du

    return change


def _penalised(loss_change, w, b: float, x, l2: float, j: int, h: float, digits: int) -> Estimate:
    """∂J/∂wj of J = L(z) + (λ/2)(w1² + w2²), moving wj so that z moves by h (or by h
    itself when xj = 0). A quadratic has no truncation error, so the penalty only adds
    rounding: about 4ε·(1 + |∂R/∂wj|·|wj|)/step against the result."""
    step = h / abs(x[j]) if x[j] else h
    up, down = w[j] + step, w[j] - step
    z_up, z_down = (_z_with(*w, b, *x, j, v) for v in (up, down))
    w_up, w_down = list(w), list(w)
    w_up[j], w_down[j] = up, down
    change = loss_change(z_up, z_down) + (penalty(w_up, l2) - penalty(w_down, l2))
    value = change / (up - down)
    if value == 0.0:
        return Estimate(0.0, 0)
    rounding = 4 * EPS * (1.0 + penalty(w, l2)) / (step * abs(value))
    penalty_digits = max(0, min(MAX_DIGITS, math.floor(-math.log10(rounding))))
    return Estimate(value, min(digits, penalty_digits))


def _estimate(value: float, digits: int) -> Estimate:
    # A true derivative here is never exactly 0 (that case is handled above), so a 0 or
    # subnormal difference means float64 lost the change, not that there is none.
    return Estimate(value, digits) if abs(value) >= TINY else _unseen()


def _unseen() -> Estimate:
    return Estimate(math.nan, 0, _UNSEEN)


def _dL_dyhat(z: float, h: float, y_hat_change, loss_change, sign: float, digits: int) -> Estimate:
    """∂L/∂ŷ as ΔL/Δŷ along z: both changed by moving z by ±h, never ŷ itself."""
    d_yhat = sign * y_hat_change(z + h, z - h)
    if abs(d_yhat) < TINY:
        return _unseen()
    return Estimate(loss_change(z + h, z - h) / d_yhat, digits)
