"""One sigmoid neuron with two inputs, its log loss, and their derivatives.

The lecture's model, written as it is derived:

    z = w1·x1 + w2·x2 + b,    ŷ = σ(z),    L(y, ŷ) = −y ln ŷ − (1−y) ln(1−ŷ)

    ∂L/∂ŷ = −(y−ŷ) / (ŷ(1−ŷ))        ∂ŷ/∂w1 = ŷ(1−ŷ)·x1   ∂ŷ/∂w2 = ŷ(1−ŷ)·x2   ∂ŷ/∂b = ŷ(1−ŷ)
    ∂L/∂w1 = −(y−ŷ)·x1               ∂L/∂w2 = −(y−ŷ)·x2   ∂L/∂b = −(y−ŷ)

Arrays: ``X`` has shape ``(n, 2)``, ``y`` shape ``(n,)`` holding 0.0/1.0, ``w`` shape ``(2,)``,
``b`` is a float. Everything here is pure: no function changes its arguments.
"""

import math
from dataclasses import dataclass

import numpy as np


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


def sigmoid_derivative(z):
    """dσ/dz = σ(z)(1 − σ(z)): the ŷ(1−ŷ) of the lecture, elementwise."""
    y_hat = sigmoid(z)
    return y_hat * (1.0 - y_hat)


def predict_proba(w: np.ndarray, b: float, X: np.ndarray) -> np.ndarray:
    """ŷ = σ(X·w + b), shape ``(n,)``: the neuron's probability that each point is class 1."""
    return sigmoid(logit(w, b, X))


def loss_from_logit(z: np.ndarray, y: np.ndarray):
    """Mean log loss over the last axis, from z rather than from ŷ.

    −y ln σ(z) − (1−y) ln(1−σ(z)) equals ln(1 + e^z) − y·z. Computed that way it stays
    finite when σ(z) rounds to exactly 0 or 1, where ln ŷ or ln(1−ŷ) would be −inf.
    """
    return np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)


def loss(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> float:
    """L = mean over the n points of −y ln ŷ − (1−y) ln(1−ŷ); finite for any finite w, b."""
    return float(loss_from_logit(logit(w, b, X), y))


def gradient_from_logit(z: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """(∂L/∂w of shape ``(2,)``, ∂L/∂b) given z = X·w + b: the means of −(y−ŷ)·x and −(y−ŷ)."""
    error = y - sigmoid(z)
    n = len(error)
    return -(error @ X) / n, -float(error.sum()) / n


def gradient(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """(∂L/∂w of shape ``(2,)``, ∂L/∂b) of the mean loss: means over rows of −(y−ŷ)·x, −(y−ŷ)."""
    return gradient_from_logit(logit(w, b, X), X, y)


@dataclass(frozen=True)
class PointDerivatives:
    """Every factor of the chain rule at one point, as plain floats.

    ``dL_dw1``, ``dL_dw2``, ``dL_db`` are the simplified products −(y−ŷ)·x1, −(y−ŷ)·x2,
    −(y−ŷ): the ŷ(1−ŷ) in ∂L/∂ŷ and in ∂ŷ/∂w cancels on paper, so these stay exact.
    ``saturated`` is True when ŷ(1−ŷ) is too close to 0 for floating point (it rounds to
    0, or 1/(ŷ(1−ŷ)) overflows): ``dL_dyhat`` is then ±inf or nan and the product of
    the factors as computed would be wrong, while the simplified products are still right.
    """

    z: float
    y_hat: float
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
            side = 1 if self.y_hat > 0.5 else 0
            return (
                f"At z = {self.z:.4g}, ŷ is so close to {side} that ŷ(1−ŷ) = "
                f"{self.dyhat_db:.3g} is too small for floating point, so ∂L/∂ŷ on its own "
                f"comes out as {self.dL_dyhat}. In ∂L/∂ŷ · ∂ŷ/∂w the ŷ(1−ŷ) cancels on paper, "
                "leaving −(y−ŷ)·x, which stays finite."
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


def point_derivatives(w, b: float, x, y: float) -> PointDerivatives:
    """The chain rule of the lecture at one point ``x`` = (x1, x2) with label ``y``."""
    w1, w2 = map(float, w)
    x1, x2 = map(float, x)
    b, y = float(b), float(y)
    z = w1 * x1 + w2 * x2 + b
    y_hat = sigmoid(z)
    dyhat_dz = sigmoid_derivative(z)
    dL_dyhat = _divide(-(y - y_hat), dyhat_dz)
    return PointDerivatives(
        z=z,
        y_hat=y_hat,
        loss=float(np.logaddexp(0.0, z) - y * z),
        dL_dyhat=dL_dyhat,
        dyhat_dw1=dyhat_dz * x1,
        dyhat_dw2=dyhat_dz * x2,
        dyhat_db=dyhat_dz,
        dL_dw1=-(y - y_hat) * x1,
        dL_dw2=-(y - y_hat) * x2,
        dL_db=-(y - y_hat),
        saturated=not math.isfinite(dL_dyhat),
    )
