"""One sigmoid neuron with two inputs, its log loss, and their derivatives.

The lecture's model, written as it is derived:

    z = w1·x1 + w2·x2 + b,    ŷ = σ(z),    L(y, ŷ) = −y ln ŷ − (1−y) ln(1−ŷ)

    ∂L/∂ŷ = −y/ŷ + (1−y)/(1−ŷ) = −(y−ŷ) / (ŷ(1−ŷ))
    ∂ŷ/∂w1 = ŷ(1−ŷ)·x1   ∂ŷ/∂w2 = ŷ(1−ŷ)·x2   ∂ŷ/∂b = ŷ(1−ŷ)
    ∂L/∂w1 = −(y−ŷ)·x1   ∂L/∂w2 = −(y−ŷ)·x2   ∂L/∂b = −(y−ŷ)

Stable numerics, said once: when the neuron is sure (|z| large) ŷ rounds towards 1, and
1 − ŷ, y − ŷ or ln(1 + e^z) − y·z computed by subtraction keep no correct digits. So
nothing here subtracts from 1. With the *signed logit* t = (1 − 2y)·z (−z for class 1,
z for class 0), each piece is a sigmoid or a softplus, which keep full relative
precision for every z:

    1 − ŷ = σ(−z)      |y − ŷ| = σ(t)      L = ln(1 + e^t)      ŷ(1−ŷ) = σ(z)·σ(−z)

Arrays: ``X`` has shape ``(n, 2)``, ``y`` shape ``(n,)`` holding 0.0/1.0, ``w`` shape ``(2,)``,
``b`` is a float. Everything here is pure: no function changes its arguments.
"""

import math
from dataclasses import dataclass

import numpy as np

# Below this a float64 is subnormal: it has lost relative precision, or is 0.
TINY = float(np.finfo(np.float64).tiny)


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


def point_losses_from_logit(z, y):
    """Each point's log loss −y ln ŷ − (1−y) ln(1−ŷ), as softplus(t) of the signed logit."""
    return softplus(signed_logit(z, y))


def point_losses(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each point's own log loss, shape ``(n,)``; true to the last digits for any finite z."""
    return point_losses_from_logit(logit(w, b, X), y)


def loss_from_logit(z: np.ndarray, y: np.ndarray):
    """Mean log loss over the last axis, from z rather than from ŷ (see the module docstring)."""
    return np.mean(point_losses_from_logit(z, y), axis=-1)


def loss(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> float:
    """L = mean over the n points of −y ln ŷ − (1−y) ln(1−ŷ); finite for any finite w, b."""
    return float(loss_from_logit(logit(w, b, X), y))


def error_from_logit(z, y):
    """y − ŷ, elementwise: σ(−z) for class 1 and −σ(z) for class 0, never 1 − ŷ."""
    s = 1.0 - 2.0 * np.asarray(y, dtype=np.float64)
    return -s * sigmoid(s * z)


def error_float(z: float, y: float) -> float:
    """``error_from_logit`` on plain floats, for training's inner loops."""
    return sigmoid_float(-z) if y == 1.0 else -sigmoid_float(z)


def gradient_from_logit(z: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """(∂L/∂w of shape ``(2,)``, ∂L/∂b) given z = X·w + b: the means of −(y−ŷ)·x and −(y−ŷ)."""
    error = error_from_logit(z, y)
    n = len(error)
    return -(error @ X) / n, -float(error.sum()) / n


def gradient(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """(∂L/∂w of shape ``(2,)``, ∂L/∂b) of the mean loss: means over rows of −(y−ŷ)·x, −(y−ŷ)."""
    return gradient_from_logit(logit(w, b, X), X, y)


@dataclass(frozen=True)
class PointDerivatives:
    """Every factor of the chain rule at one point, as plain floats.

    ``one_minus_y_hat`` is 1 − ŷ = σ(−z), kept with its own digits when ŷ rounds to 1.
    ``dL_dw1``, ``dL_dw2``, ``dL_db`` are the simplified products −(y−ŷ)·x1, −(y−ŷ)·x2,
    −(y−ŷ). ``saturated`` is True when float64 runs out: ŷ(1−ŷ) (about e^−|z|) is below
    the smallest normal float, so it is shown as 0 or with few digits, and ∂L/∂ŷ may
    overflow to ±∞; the simplified products, computed without it, are still right.
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

    @property
    def note(self) -> str:
        """A plain-words reading of these numbers that a page can show."""
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


def _divide(numerator: float, denominator: float) -> float:
    """numerator / denominator with IEEE results (±inf, nan) instead of ZeroDivisionError."""
    if denominator != 0.0:
        return numerator / denominator
    return math.copysign(math.inf, numerator) if numerator != 0.0 else math.nan


def dL_dyhat(y: float, y_hat: float, one_minus_y_hat: float) -> float:
    """∂L/∂ŷ = −y/ŷ + (1−y)/(1−ŷ): −1/ŷ for class 1, 1/(1−ŷ) for class 0.

    Equal to −(y−ŷ)/(ŷ(1−ŷ)), but with no difference that could cancel; ±∞ only when
    the true value is beyond the largest float64.
    """
    return _divide(-1.0, y_hat) if y == 1.0 else _divide(1.0, one_minus_y_hat)


def point_derivatives(w, b: float, x, y: float) -> PointDerivatives:
    """The chain rule of the lecture at one point ``x`` = (x1, x2) with label ``y``."""
    w1, w2 = map(float, w)
    x1, x2 = map(float, x)
    b, y = float(b), float(y)
    z = w1 * x1 + w2 * x2 + b
    y_hat, one_minus = sigmoid_float(z), sigmoid_float(-z)
    dyhat_dz = y_hat * one_minus
    error = error_float(z, y)
    slope = dL_dyhat(y, y_hat, one_minus)
    return PointDerivatives(
        z=z,
        y_hat=y_hat,
        one_minus_y_hat=one_minus,
        loss=float(point_losses_from_logit(z, y)),
        dL_dyhat=slope,
        dyhat_dw1=dyhat_dz * x1,
        dyhat_dw2=dyhat_dz * x2,
        dyhat_db=dyhat_dz,
        dL_dw1=-error * x1,
        dL_dw2=-error * x2,
        dL_db=-error,
        saturated=dyhat_dz < TINY or not math.isfinite(slope),
    )
