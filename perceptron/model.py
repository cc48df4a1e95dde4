"""One sigmoid neuron with two inputs, its loss (log loss or squared error), and their derivatives.

The lecture's model, written as it is derived:

    z = w1·x1 + w2·x2 + b,    ŷ = σ(z),    L(y, ŷ) = −y ln ŷ − (1−y) ln(1−ŷ)

    ∂L/∂ŷ = −y/ŷ + (1−y)/(1−ŷ) = −(y−ŷ) / (ŷ(1−ŷ))
    ∂ŷ/∂w1 = ŷ(1−ŷ)·x1   ∂ŷ/∂w2 = ŷ(1−ŷ)·x2   ∂ŷ/∂b = ŷ(1−ŷ)
    ∂L/∂w1 = −(y−ŷ)·x1   ∂L/∂w2 = −(y−ŷ)·x2   ∂L/∂b = −(y−ŷ)

The same neuron with the squared error instead, where ŷ(1−ŷ) does not cancel:

    L(y, ŷ) = ½(ŷ − y)²    ∂L/∂ŷ = ŷ − y    ∂L/∂w1 = (ŷ − y)·ŷ(1−ŷ)·x1  (w2, b alike)

L2 regularisation adds R = (λ/2)(w1² + w2²) to the mean loss (b is not penalised); the
objective descended is J = mean L + R, with ∂R/∂w1 = λ·w1, ∂R/∂w2 = λ·w2, ∂R/∂b = 0.

Stable numerics, said once: when the neuron is sure (|z| large) ŷ rounds towards 1, and
1 − ŷ, y − ŷ or ln(1 + e^z) − y·z computed by subtraction keep no correct digits. So
nothing here subtracts from 1. With the *signed logit* t = (1 − 2y)·z (−z for class 1,
z for class 0), each piece is a sigmoid or a softplus, which keep full relative
precision for every z:

    1 − ŷ = σ(−z)      |y − ŷ| = σ(t)      L = ln(1 + e^t)      ŷ(1−ŷ) = σ(z)·σ(−z)

and the squared error is ½σ(t)². Both losses are functions of t alone, so the engines
work with their slope along t, ``dL_dt``: σ(t) and σ(t)²·σ(−t); ∂L/∂z is (1 − 2y)·dL/dt.

Arrays: ``X`` has shape ``(n, 2)``, ``y`` shape ``(n,)`` holding 0.0/1.0, ``w`` shape ``(2,)``,
``b`` is a float. ``loss`` names the loss, "log" or "squared" (``LOSSES``), and ``l2`` is
λ ≥ 0. Everything here is pure: no function changes its arguments.
"""

import math
from dataclasses import dataclass

import numpy as np

# Below this a float64 is subnormal: it has lost relative precision, or is 0.
TINY = float(np.finfo(np.float64).tiny)
LOSSES = ("log", "squared")


def logit(w: np.ndarray, b: float, X: np.ndarray) -> np.ndarray:
    """z = X·w + b, shape ``(n,)``: the sum inside σ, one value per point."""
    return X @ w + b


def sigmoid(z):
    """σ(z) = 1 / (1 + e^−z), elementwise; a float in gives a float out.

    Computed as 1 / (1 + e) for z ≥ 0 and e / (1 + e) below, with e = e^−|z| ≤ 1: it
    cannot overflow for any z, and each tail keeps its precision (σ(−40) ≈ 4.2e−18, not 0).
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    # max(e, [z ≥ 0]) is that numerator, 1 or e, because 0 ≤ e ≤ 1; np.where is slower.
    y_hat = np.maximum(e, z >= 0) / (1.0 + e)
    return float(y_hat) if y_hat.ndim == 0 else y_hat


def sigmoid_float(z: float) -> float:
    """``sigmoid`` on one plain float, with the same operations: for training's inner loops."""
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def sigmoid_derivative(z):
    """dσ/dz = σ(z)·σ(−z): the ŷ(1−ŷ) of the lecture, elementwise, with 1 − ŷ as σ(−z).

    With e = e^−|z|, one of σ(z), σ(−z) is 1/(1 + e) and the other e/(1 + e), so the
    product is e/(1 + e)²: one exponential, and the tails keep their digits.
    """
    e = np.exp(-np.abs(np.asarray(z, dtype=np.float64)))
    slope = e / ((1.0 + e) * (1.0 + e))
    return float(slope) if slope.ndim == 0 else slope


def softplus(t):
    """ln(1 + e^t), elementwise, without overflow and without losing the tail e^t ≪ 1."""
    return np.logaddexp(0.0, t)


def signed_logit(z, y):
    """t = (1 − 2y)·z: −z for class 1, z for class 0. Exact: it only flips a sign.

    σ(t) is the probability the neuron gives the wrong class, |y − ŷ|, and the loss
    −y ln ŷ − (1−y) ln(1−ŷ) is softplus(t).
    """
    return (1.0 - 2.0 * np.asarray(y, dtype=np.float64)) * z


def predict_proba(w: np.ndarray, b: float, X: np.ndarray) -> np.ndarray:
    """ŷ = σ(X·w + b), shape ``(n,)``: the neuron's probability that each point is class 1."""
    return sigmoid(logit(w, b, X))


def _check_loss(loss: str) -> None:
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {loss!r}")


def point_losses_from_logit(z, y, loss: str = "log"):
    """Each point's loss from its logit: softplus(t) for the log loss, ½σ(t)² for squared."""
    _check_loss(loss)
    t = signed_logit(z, y)
    if loss == "squared":
        wrong = sigmoid(t)  # |ŷ − y|, with its digits even where ŷ rounds to y
        return 0.5 * wrong * wrong
    return softplus(t)


def point_losses(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, loss: str = "log"):
    """Each point's own loss, shape ``(n,)``; true to the last digits for any finite z."""
    return point_losses_from_logit(logit(w, b, X), y, loss)


def loss_from_logit(z: np.ndarray, y: np.ndarray, loss: str = "log"):
    """Mean loss over the last axis, from z rather than from ŷ (see the module docstring)."""
    return np.mean(point_losses_from_logit(z, y, loss), axis=-1)


def loss(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, loss: str = "log") -> float:
    """L = mean over the n points of −y ln ŷ − (1−y) ln(1−ŷ) (or of ½(ŷ − y)²); always finite."""
    return float(loss_from_logit(logit(w, b, X), y, loss))


def penalty(w, l2: float) -> float:
    """R = (λ/2)(w1² + w2²): L2 regularisation; b is not penalised."""
    w1, w2 = map(float, w)
    return 0.5 * l2 * (w1 * w1 + w2 * w2)


def penalty_gradient(w, l2: float) -> np.ndarray:
    """(∂R/∂w1, ∂R/∂w2) = λ·(w1, w2), shape ``(2,)``; ∂R/∂b = 0."""
    return l2 * np.asarray(w, dtype=np.float64)


def objective(w, b: float, X, y, loss: str = "log", l2: float = 0.0) -> float:
    """J = L + R: the mean loss plus (λ/2)(w1² + w2²), the function gradient descent lowers."""
    return float(loss_from_logit(logit(w, b, X), y, loss)) + penalty(w, l2)


def error_from_logit(z, y):
    """y − ŷ, elementwise: σ(−z) for class 1 and −σ(z) for class 0, never 1 − ŷ."""
    s = 1.0 - 2.0 * np.asarray(y, dtype=np.float64)
    return -s * sigmoid(s * z)


def error_float(z: float, y: float) -> float:
    """``error_from_logit`` on plain floats, for training's inner loops."""
    return sigmoid_float(-z) if y == 1.0 else -sigmoid_float(z)


def dL_dt(t, loss: str = "log"):
    """Each loss's slope along the signed logit t, elementwise: σ(t) for the log loss (the
    slope of softplus), σ(t)²·σ(−t) for squared error (the slope of ½σ(t)²).

    ∂L/∂z = (1 − 2y)·dL/dt. With e = e^−|t|, σ(t)²σ(−t) is e/(1 + e)³ for t ≥ 0 and
    e²/(1 + e)³ below: one exponential and no subtraction, so the tails keep their digits.
    """
    _check_loss(loss)
    if loss == "log":
        return sigmoid(t)
    t = np.asarray(t, dtype=np.float64)
    e = np.exp(-np.abs(t))
    d = 1.0 + e
    slope = np.where(t >= 0, e, e * e) / (d * d * d)
    return float(slope) if slope.ndim == 0 else slope


def squared_slope_float(t: float) -> float:
    """σ(t)²·σ(−t) (``dL_dt`` of squared error) on one plain float: for the inner loops."""
    if t >= 0.0:
        e = math.exp(-t)
        d = 1.0 + e
        return e / (d * d * d)
    e = math.exp(t)
    d = 1.0 + e
    return e * e / (d * d * d)


def d2L_dt2(t, loss: str = "log"):
    """Each loss's curvature along t (equal to d²L/dz², as (1 − 2y)² = 1), elementwise.

    Log loss: σ(t)σ(−t) = ŷ(1−ŷ) ≤ ¼, never negative: the loss is convex. Squared error:
    with u = σ(t) = |ŷ − y| and v = σ(−t) = 1 − u, the slope u²v has the slope
    2u·uv·v − u²·uv = u²v(2v − u): negative once u > ⅔ (a confident mistake), where
    the loss bends down into a flat plateau. It lies between −0.0601 and 0.0770.
    """
    _check_loss(loss)
    if loss == "log":
        return sigmoid_derivative(t)
    u, v = sigmoid(t), sigmoid(-np.asarray(t, dtype=np.float64))
    return u * u * v * (2.0 * v - u)


def dL_dz_from_logit(z, y, loss: str = "log"):
    """∂L/∂z = ∂L/∂ŷ · ∂ŷ/∂z per point: ŷ − y for the log loss (ŷ(1−ŷ) cancels) and
    (ŷ − y)·ŷ(1−ŷ) for squared error; computed as (1 − 2y)·dL/dt, never from 1 − ŷ."""
    s = 1.0 - 2.0 * np.asarray(y, dtype=np.float64)
    return s * dL_dt(s * z, loss)


def gradient_from_logit(
    z: np.ndarray, X: np.ndarray, y: np.ndarray, loss: str = "log"
) -> tuple[np.ndarray, float]:
    """(∂L/∂w of shape ``(2,)``, ∂L/∂b) of the mean loss given z = X·w + b: the means of
    ∂L/∂z·x and ∂L/∂z (for the log loss −(y−ŷ)·x and −(y−ŷ))."""
    slope = dL_dz_from_logit(z, y, loss)
    n = len(slope)
    return (slope @ X) / n, float(slope.sum()) / n


def gradient(
    w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, loss: str = "log", l2: float = 0.0
) -> tuple[np.ndarray, float]:
    """(∂J/∂w of shape ``(2,)``, ∂J/∂b) of J = mean loss + (λ/2)(w1² + w2²).

    For the log loss and λ = 0 the means over rows of −(y−ŷ)·x and −(y−ŷ), as the lecture
    derives; λ adds λ·w to ∂J/∂w, nothing to ∂J/∂b.
    """
    dL_dw, dL_db = gradient_from_logit(logit(w, b, X), X, y, loss)
    if l2:
        dL_dw = dL_dw + penalty_gradient(w, l2)
    return dL_dw, dL_db


@dataclass(frozen=True)
class PointDerivatives:
    """Every factor of the chain rule at one point, as plain floats.

    ``kind`` is the loss ("log" or "squared") and ``l2`` is λ. ``one_minus_y_hat`` is
    1 − ŷ = σ(−z), kept with its own digits when ŷ rounds to 1. ``loss`` is this point's
    own loss L. The factors: ``dL_dyhat`` (∂L/∂ŷ), ``dyhat_dw1``, ``dyhat_dw2``,
    ``dyhat_db`` (∂ŷ/∂b = ŷ(1−ŷ)), and their product along z, ``dL_dz`` = ∂L/∂ŷ·ŷ(1−ŷ):
    ŷ − y for the log loss, where ŷ(1−ŷ) cancels, and (ŷ − y)·ŷ(1−ŷ) for squared error,
    where it stays. ``dL_dw1``, ``dL_dw2``, ``dL_db`` are the products ∂L/∂ŷ·∂ŷ/∂w, computed
    as ``dL_dz``·x1, ``dL_dz``·x2, ``dL_dz`` (−(y−ŷ)·x for the log loss).

    The L2 term: ``penalty`` is R = (λ/2)(w1² + w2²), ``dR_dw1`` = λ·w1 and ``dR_dw2`` =
    λ·w2; ``dJ_dw1``, ``dJ_dw2``, ``dJ_db`` are what this point's update uses, ∂L/∂w + ∂R/∂w
    (∂J/∂b = ∂L/∂b: b is not penalised). With λ = 0 they equal ``dL_dw1``, ``dL_dw2``, ``dL_db``.

    ``saturated`` is True when float64 runs out: ŷ(1−ŷ) (about e^−|z|) is below the
    smallest normal float, so it is shown as 0 or with few digits, and the log loss's ∂L/∂ŷ
    may overflow to ±∞; the log loss's products, computed without it, are still right,
    and squared error's really are that small.
    """

    z: float
    y_hat: float
    one_minus_y_hat: float
    loss: float
    dL_dyhat: float
    dyhat_dw1: float
    dyhat_dw2: float
    dyhat_db: float
    dL_dw1: float
    dL_dw2: float
    dL_db: float
    saturated: bool
    kind: str
    l2: float
    dL_dz: float
    penalty: float
    dR_dw1: float
    dR_dw2: float
    dJ_dw1: float
    dJ_dw2: float
    dJ_db: float

    @property
    def note(self) -> str:
        """A plain-words reading of these numbers that a page can show."""
        reading = self._squared_note() if self.kind == "squared" else self._log_note()
        if self.l2 and (self.dR_dw1 or self.dR_dw2):
            reading += (
                f" The penalty adds λ·w1 = {self.dR_dw1:.4g} and λ·w2 = {self.dR_dw2:.4g} to "
                "∂L/∂w1 and ∂L/∂w2, which pulls both weights a little towards 0 at every update."
            )
        return reading

    def _log_note(self) -> str:
        if self.saturated:
            side = 1 if self.z > 0 else 0
            return (
                f"At z = {self.z:.4g}, ŷ is so close to {side} that the true ŷ(1−ŷ), about "
                f"e^−|z| ≈ 10^{-abs(self.z) / math.log(10):.1f}, is below the smallest normal "
                f"float64 ({TINY:.3g}): it is shown as {self.dyhat_db:.3g}, and ∂L/∂ŷ on its "
                f"own as {self.dL_dyhat:.4g}. In ∂L/∂ŷ · ∂ŷ/∂w the ŷ(1−ŷ) cancels on paper, "
                "leaving −(y−ŷ)·x, which is computed without it and stays right."
            )
        if abs(self.dL_db) < 0.1:
            size = "ŷ is close to y, so this point asks for only a small step."
        elif abs(self.dL_db) > 0.9:
            size = "ŷ is far from y, so this point asks for a big step."
        else:
            size = "ŷ is some way from y, so this point asks for a moderate step."
        return f"The ŷ(1−ŷ) in ∂L/∂ŷ and in ∂ŷ/∂w cancels, leaving −(y−ŷ)·x. {size}"

    def _squared_note(self) -> str:
        off = abs(self.dL_dyhat)  # |ŷ − y|
        keeps = (
            f"With squared error ŷ(1−ŷ) = {self.dyhat_db:.3g} does not cancel: "
            f"∂L/∂z = (ŷ − y)·ŷ(1−ŷ) = {self.dL_dz:.3g}."
        )
        if off > 0.5 and (self.saturated or self.dyhat_db < SQUARED_STUCK):
            return (
                f"{keeps} ŷ is on the wrong side and far from y (ŷ − y = {self.dL_dyhat:.3g}), "
                "yet the factor ŷ(1−ŷ), nearly 0 because the neuron is so sure, shrinks the "
                "step to almost nothing: a confident mistake barely moves the weights. The "
                f"log loss would ask for ∂L/∂z = ŷ − y = {self.dL_dyhat:.3g} here."
            )
        if off < 0.1:
            size = "ŷ is close to y, so this point asks for only a small step."
        elif abs(self.dL_dz) > 0.1:
            size = (
                "This is near the biggest step squared error ever asks for: |∂L/∂z| is at "
                "most 4/27 ≈ 0.148, at |ŷ − y| = ⅔."
            )
        else:
            size = "ŷ is some way from y; the factor ŷ(1−ŷ) keeps this step moderate."
        return f"{keeps} {size}"


# A confidently wrong point under squared error: ŷ(1−ŷ) below this (|z| above about 3)
# shrinks its step to under a twentieth of what the log loss asks for.
SQUARED_STUCK = 0.05


def _divide(numerator: float, denominator: float) -> float:
    """numerator / denominator with IEEE results (±inf, nan) instead of ZeroDivisionError."""
    if denominator != 0.0:
        return numerator / denominator
    return math.copysign(math.inf, numerator) if numerator != 0.0 else math.nan


def dL_dyhat(y: float, y_hat: float, one_minus_y_hat: float) -> float:
    """∂L/∂ŷ of the log loss = −y/ŷ + (1−y)/(1−ŷ): −1/ŷ for class 1, 1/(1−ŷ) for class 0.

    Equal to −(y−ŷ)/(ŷ(1−ŷ)), but with no difference that could cancel; ±∞ only when
    the true value is beyond the largest float64. (Squared error's ∂L/∂ŷ is ŷ − y.)
    """
    return _divide(-1.0, y_hat) if y == 1.0 else _divide(1.0, one_minus_y_hat)


def _slopes(loss: str, z: float, y: float, y_hat: float, one_minus: float):
    """(∂L/∂ŷ, ∂L/∂z) at one point: ∂L/∂z is ∂L/∂ŷ·ŷ(1−ŷ), where the log loss cancels
    ŷ(1−ŷ) (leaving ŷ − y, computed as −(y − ŷ) with its digits) and squared error does not."""
    error = error_float(z, y)  # y − ŷ, with its digits
    if loss == "squared":
        return -error, -error * (y_hat * one_minus)  # ∂L/∂ŷ = ŷ − y
    return dL_dyhat(y, y_hat, one_minus), -error


def point_derivatives(
    w, b: float, x, y: float, loss: str = "log", l2: float = 0.0
) -> PointDerivatives:
    """The chain rule of the lecture at one point ``x`` = (x1, x2) with label ``y``, for
    the loss ``loss`` and the L2 strength ``l2`` (λ) of the objective J = L + R."""
    _check_loss(loss)
    w1, w2 = map(float, w)
    x1, x2 = map(float, x)
    b, y, l2 = float(b), float(y), float(l2)
    z = w1 * x1 + w2 * x2 + b
    y_hat, one_minus = sigmoid_float(z), sigmoid_float(-z)
    dyhat_dz = y_hat * one_minus
    slope, dL_dz = _slopes(loss, z, y, y_hat, one_minus)
    dL_dw1, dL_dw2 = dL_dz * x1, dL_dz * x2
    dR_dw1, dR_dw2 = l2 * w1, l2 * w2
    return PointDerivatives(
        z=z,
        y_hat=y_hat,
        one_minus_y_hat=one_minus,
        loss=float(point_losses_from_logit(z, y, loss)),
        dL_dyhat=slope,
        dyhat_dw1=dyhat_dz * x1,
        dyhat_dw2=dyhat_dz * x2,
        dyhat_db=dyhat_dz,
        dL_dw1=dL_dw1,
        dL_dw2=dL_dw2,
        dL_db=dL_dz,
        saturated=dyhat_dz < TINY or not math.isfinite(slope),
        kind=loss,
        l2=l2,
        dL_dz=dL_dz,
        penalty=penalty((w1, w2), l2),
        dR_dw1=dR_dw1,
        dR_dw2=dR_dw2,
        dJ_dw1=dL_dw1 + dR_dw1 if l2 else dL_dw1,
        dJ_dw2=dL_dw2 + dR_dw2 if l2 else dL_dw2,
        dJ_db=dL_dz,
    )
