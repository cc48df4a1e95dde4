"""Where float64 runs out: how much a run amplifies its own rounding errors.

Each update maps θ = (w1, w2, b) to θ − α·g(θ), g the mean gradient over its points. A
tiny error δ in θ before update k leaves it as J_k·δ, with the update's Jacobian
J_k = I − α·H_k and H_k = mean over its points of d²L/dz²·x̃x̃ᵀ + λ·diag(1, 1, 0),
x̃ = (x1, x2, 1): the Hessian of the objective it descends. d²L/dz² is σ(z)σ(−z) for the
log loss and u²v(2v − u) for squared error (``model.d2L_dt2``; negative where that loss
bends down), and the penalty (λ/2)(w1² + w2²) adds λ to the w1 and w2 diagonal.
Float64 rounds every update by about UNIT_ERROR of |θ|; the error that has grown most by
update k is that rounding from an earlier update j,
carried through J_{j+1} … J_k, and the error at k is the sum of all of them. One tangent
vector carried through every J (and rescaled as it goes) grows like the largest of those
products, so its growth from j to k estimates theirs. Most runs shrink errors or keep
them; a large α on data that cannot be separated can make them grow by a steady factor
per update: the run is chaotic, and once the growth passes SHOWN_ERROR / UNIT_ERROR no
digit shown means anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from perceptron.model import d2L_dt2, signed_logit
from perceptron.training import History

# Float64 keeps 2⁻⁵³ ≈ 1.1e-16 of each number; an update rounds θ by about one unit in
# its last place, 2⁻⁵² of |θ| (checked against exact runs in tests/test_precision.py).
UNIT_ERROR = float(np.finfo(np.float64).eps)
# The pages show 4 significant digits: half a unit of the 4th digit, relative.
SHOWN_ERROR = 0.5e-4
# Rows of X gathered at a time while computing the Hessians, to bound memory.
ROW_CHUNK = 2**18


@dataclass(frozen=True)
class Precision:
    """How far float64 can be trusted along one run of K updates.

    digits_lost ``(K+1,)``: log10 of how much the earlier rounding errors have grown to
        by each state, relative to |θ| there and to one update's rounding; ≥ 0.
    reliable_until: the last state whose shown digits float64 still holds (K if all).
    growth: from the last state still reliable on, the mean factor per update by which
        errors grow (1.0 when the run stays reliable).
    """

    digits_lost: np.ndarray
    reliable_until: int
    growth: float

    @property
    def runs_out(self) -> bool:
        """True when float64 stops holding the shown digits before the run ends."""
        return self.reliable_until < len(self.digits_lost) - 1

    def reliable(self, k: int) -> bool:
        """True when the numbers of state k are right to the digits shown."""
        return k <= self.reliable_until


def _outer6(X: np.ndarray) -> np.ndarray:
    """x̃x̃ᵀ's six distinct entries per row, x̃ = (x1, x2, 1): 11, 12, 1b, 22, 2b, bb."""
    x1, x2 = X[:, 0], X[:, 1]
    one = np.ones_like(x1)
    return np.stack([x1 * x1, x1 * x2, x1, x2 * x2, x2, one], axis=1)


def hessians(history: History, X: np.ndarray | None = None) -> np.ndarray:
    """H_k of each update, as its six distinct entries (see ``_outer6``): ``(K, 6)``.

    Row k−1 belongs to update k, taken at state k−1 over the points it used, for the
    run's loss and λ. X defaults to the run's own points (squared error's curvature also
    needs their labels, ``history.y``).
    """
    X = history.X if X is None else np.asarray(X, dtype=np.float64)
    y = history.y
    loss, l2 = history.config.loss, history.config.l2
    H = np.empty((history.n_updates, 6))
    if history.config.mode == "batch":  # every point every time: one product per chunk
        step = max(1, ROW_CHUNK // len(X))
        for start in range(0, history.n_updates, step):
            end = min(start + step, history.n_updates)
            z = history.w[start:end] @ X.T + history.b[start:end, None]
            H[start:end] = d2L_dt2(signed_logit(z, y), loss) @ _outer6(X) / len(X)
    else:
        for start, rows, sizes in history.batches(ROW_CHUNK):
            updates = slice(start, start + len(sizes))
            x1, x2 = X[rows, 0], X[rows, 1]
            w = history.w[updates]
            z = x1 * np.repeat(w[:, 0], sizes) + x2 * np.repeat(w[:, 1], sizes)
            z = z + np.repeat(history.b[updates], sizes)
            s = d2L_dt2(signed_logit(z, y[rows]), loss)
            starts = np.cumsum(sizes) - sizes
            # Each of the six entries of Σ s·x̃x̃ᵀ, summed over every update's rows at once.
            for j, term in enumerate((s * x1 * x1, s * x1 * x2, s * x1, s * x2 * x2, s * x2, s)):
                H[updates, j] = np.add.reduceat(term, starts) / sizes
    if l2:
        H[:, 0] += l2  # ∂²R/∂w1² = λ
        H[:, 3] += l2  # ∂²R/∂w2² = λ
    return H


def _tangent_growth(H: np.ndarray, learning_rate: float) -> np.ndarray:
    """ln of how much a tangent vector has grown by each state: ``(K+1,)``, 0 at state 0.

    The vector starts along (1, 1, 1) and is carried through J_k = I − α·H_k, rescaled
    to length 1 after each update so it cannot overflow; the logs of the scales add up.
    """
    grown = np.zeros(len(H) + 1)
    v1 = v2 = v3 = 1.0 / math.sqrt(3.0)
    total = 0.0
    a = learning_rate
    for k, (h11, h12, h1b, h22, h2b, hbb) in enumerate(H.tolist(), start=1):
        v1, v2, v3 = (
            v1 - a * (h11 * v1 + h12 * v2 + h1b * v3),
            v2 - a * (h12 * v1 + h22 * v2 + h2b * v3),
            v3 - a * (h1b * v1 + h2b * v2 + hbb * v3),
        )
        norm = math.sqrt(v1 * v1 + v2 * v2 + v3 * v3)
        if norm == 0.0:  # an update that forgets every direction: no error survives it
            v1 = v2 = v3 = 1.0 / math.sqrt(3.0)
            norm = 1.0
        total += math.log(norm)
        grown[k] = total
        v1, v2, v3 = v1 / norm, v2 / norm, v3 / norm
    return grown


def precision(history: History, X: np.ndarray | None = None) -> Precision:
    """How many digits float64 still holds at each state of ``history`` (trained on X, by
    default its own points)."""
    grown = _tangent_growth(hessians(history, X), history.config.learning_rate)
    size = np.log(np.hypot(np.hypot(history.w[:, 0], history.w[:, 1]), history.b) + 1e-300)
    # The error at k: the roundings of every update j ≤ k, each carried to k, added up.
    carried = np.logaddexp.accumulate(size - grown)
    digits_lost = np.maximum(0.0, (carried + grown - size) / math.log(10.0))
    limit = math.log10(SHOWN_ERROR / UNIT_ERROR)
    over = np.flatnonzero(digits_lost > limit)
    if not len(over):
        return Precision(digits_lost, len(grown) - 1, 1.0)
    first = int(over[0])
    start = int(np.argmax(size[:first] - grown[:first]))
    growth = math.exp((grown[first] - grown[start]) / max(1, first - start))
    return Precision(digits_lost, first - 1, growth)
