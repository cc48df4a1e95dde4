"""How large may α be? The step sizes that are guaranteed to go downhill (where a run went
uphill instead is ``perceptron.uphill``).

Why a bound exists. Descent lowers J, the mean loss plus (λ/2)(w1² + w2²), by the step
θ ← θ − α·g, g = ∇J(θ), θ = (w1, w2, b). If no direction curves upwards by more than β
(every Hessian of J satisfies H ≼ β·I), Taylor's theorem gives the *descent lemma*

    J(θ − α·g) ≤ J(θ) − α‖g‖² + (β/2)·α²‖g‖² = J(θ) − α·(1 − α·β/2)·‖g‖²,

so every step with α < 2/β lowers J (unless g = 0: then θ is already at the bottom). It
needs an upper bound on the curvature only, so it holds for the non-convex squared error
too. Above 2/β nothing is promised: a step may overshoot the valley's floor and climb.

The curvature of J. With x̃ = (x1, x2, 1) and P = diag(1, 1, 0) (b is not penalised),

    H(θ) = (1/n)·Σᵢ d²L/dz²(zᵢ)·x̃ᵢx̃ᵢᵀ + λ·P.

Log loss: d²L/dz² = σ(z)σ(−z) lies in (0, ¼], with ¼ exactly at z = 0. So
H(θ) ≼ B = ¼·X̃ᵀX̃/n + λ·P for every θ, and at w = 0, b = 0, where every z is 0, H = B:
β = λmax(B) is the largest curvature J has anywhere, and 2/β the exact limit of the
guarantee. With λ = 0 it is 8n / λmax(X̃ᵀX̃); with λ > 0 Weyl's inequality puts β
between that and λmax(X̃ᵀX̃)/(4n) + λ, and it is computed exactly here.

Squared error: along the signed logit t, L = ½σ(t)², and with u = σ(t) = |ŷ − y|,
d²L/dz² = u²(1−u)(2 − 3u) = 2u² − 5u³ + 3u⁴ (``model.d2L_dt2``). Its slope
u(12u² − 15u + 4) vanishes at u = (15 ± √33)/24, so over 0 < u < 1 it lies between
SQUARED_MIN_CURVATURE ≈ −0.0601 (u ≈ 0.864, a confident mistake: the loss bends down
into a plateau, so it is not convex) and SQUARED_MAX_CURVATURE ≈ 0.0770 (u ≈ 0.386).
Then H ≼ 0.0770·X̃ᵀX̃/n + λ·P and 2/λmax of that is guaranteed. It is safe but not
exact: no (w, b) puts every point at u ≈ 0.386, so somewhat larger steps usually go
downhill too; and downhill on a plateau can still mean crawling.

One point's update (per-point mode) descends that point's own Jᵢ = Lᵢ + R: X̃ᵀX̃/n
becomes x̃ᵢx̃ᵢᵀ, whose largest eigenvalue is ‖x̃ᵢ‖² = x1² + x2² + 1, so the bound is
8/‖x̃ᵢ‖² for the log loss with λ = 0. A mini-batch's update descends its batch's own J:
its bound comes from its own points, and since the mean of x̃x̃ᵀ over a batch has
λmax at most the largest ‖x̃‖² in it, α below the smallest per-point bound is
guaranteed for every batch of any size and order. Neither promises that the mean over
*all* points falls: a step that helps its own points may hurt others.

One point's own loss, with λ = 0, cannot rise from its own step at any α, under either
loss: the step moves its z by −α·‖x̃‖²·dL/dz, always towards its class, and both losses
fall monotonically as z moves that way. So what overshoots in per-point mode is the
boundary, not the point: a step far larger than the point needs (α above its bound,
its z carried deep past 0) swings the boundary past other points, and the mean loss
rises. With λ > 0 the point's own J can rise too: the penalty curves back up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from perceptron.training import TrainConfig

# The log loss's largest curvature d²L/dz², σ(0)σ(0).
LOG_MAX_CURVATURE = 0.25
# Squared error's curvature 2u² − 5u³ + 3u⁴ at its stationary points u = (15 ∓ √33)/24.
_U_MAX = (15.0 - math.sqrt(33.0)) / 24.0
_U_MIN = (15.0 + math.sqrt(33.0)) / 24.0
SQUARED_MAX_CURVATURE = _U_MAX**2 * (1.0 - _U_MAX) * (2.0 - 3.0 * _U_MAX)  # ≈ 0.07703
SQUARED_MIN_CURVATURE = _U_MIN**2 * (1.0 - _U_MIN) * (2.0 - 3.0 * _U_MIN)  # ≈ −0.06010
MAX_CURVATURE = {"log": LOG_MAX_CURVATURE, "squared": SQUARED_MAX_CURVATURE}
_PENALISED = np.diag([1.0, 1.0, 0.0])  # λ·diag(1, 1, 0): b is not penalised
_PENALISED.setflags(write=False)


def _augmented(X) -> np.ndarray:
    """X̃ = [x1, x2, 1], shape ``(n, 3)``."""
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    return np.column_stack([X, np.ones(len(X))])


def curvature_matrix(X, loss: str = "log", l2: float = 0.0) -> np.ndarray:
    """B = c·X̃ᵀX̃/n + λ·diag(1, 1, 0), ``(3, 3)``: no Hessian of J exceeds it (c is the
    loss's MAX_CURVATURE); for the log loss it is J's Hessian at w = 0, b = 0."""
    A = _augmented(X)
    if not len(A):
        raise ValueError("a step-size bound needs at least one point, got none")
    return MAX_CURVATURE[loss] * (A.T @ A) / len(A) + l2 * _PENALISED


def batch_bound(X, loss: str = "log", l2: float = 0.0) -> float:
    """2/β with β = λmax(``curvature_matrix``): every full-batch step with α below it
    lowers J. For the log loss and λ = 0 this is 8n / λmax(X̃ᵀX̃)."""
    return 2.0 / float(np.linalg.eigvalsh(curvature_matrix(X, loss, l2))[-1])


def _group_bounds(A: np.ndarray, starts: np.ndarray, sizes: np.ndarray, loss: str, l2: float):
    """2/λmax(c·mean x̃x̃ᵀ + λP) of consecutive groups of rows of A, ``(len(sizes),)``."""
    outer = A[:, :, None] * A[:, None, :]
    means = np.add.reduceat(outer, starts, axis=0) / sizes[:, None, None]
    return 2.0 / np.linalg.eigvalsh(MAX_CURVATURE[loss] * means + l2 * _PENALISED)[:, -1]


def point_bounds(X, loss: str = "log", l2: float = 0.0) -> np.ndarray:
    """Each point's own bound ``(n,)``: a per-point step with α below it lowers that point's
    Jᵢ = Lᵢ + R. For the log loss and λ = 0 it is 8/‖x̃‖² = 8/(x1² + x2² + 1)."""
    A = _augmented(X)
    if not l2:  # c·x̃x̃ᵀ has the one nonzero eigenvalue c·‖x̃‖²
        return 2.0 / (MAX_CURVATURE[loss] * np.einsum("ij,ij->i", A, A))
    return _group_bounds(A, np.arange(len(A)), np.ones(len(A)), loss, l2)


def batches_bounds(X, rows: list, loss: str = "log", l2: float = 0.0) -> np.ndarray:
    """The bound of each batch in ``rows`` (a list of row-index arrays of X)."""
    sizes = np.array([len(r) for r in rows])
    if not len(sizes):
        return np.zeros(0)
    starts = np.cumsum(sizes) - sizes
    return _group_bounds(_augmented(X)[np.concatenate(rows)], starts, sizes, loss, l2)


def rounded_down(value: float) -> str:
    """``value`` rounded *down* to 2 significant digits, so that "below it" stays true."""
    if not math.isfinite(value) or value <= 0:
        return f"{value:g}"
    power = math.floor(math.log10(value)) - 1
    kept = math.floor(value / 10.0**power + 1e-9) * 10.0**power
    return f"{kept:,.0f}" if power >= 0 else f"{kept:.{-power}f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class StepBound:
    """The largest α that is guaranteed to go downhill for a run's points and settings.

    alpha: the bound for what one update descends; every α strictly below it is
        guaranteed. Full batch: the mean loss over all points. Per point: that point's own
        J (with λ = 0 its own loss falls at any α, see the module docstring, so there
        alpha only says how far a step may throw the boundary). Mini-batch: each batch's J.
    batch_alpha: the full-batch bound on the same points, for comparison in every mode.
    mode: the update rule: "batch" (also mini-batches holding every point),
        "stochastic" or "minibatch".
    loss, l2: the loss and λ it holds for.
    exact: True when some (w, b) has exactly this curvature, so a larger α can fail
        (the log loss); False for squared error's safe, larger-than-needed margin.
    point: per point or mini-batch, the row (from 0) whose own bound is the smallest.
    formula: how alpha was computed, with its numbers.
    """

    alpha: float
    batch_alpha: float
    mode: str
    loss: str
    l2: float
    exact: bool
    point: int | None
    formula: str

    def allows(self, learning_rate: float) -> bool:
        """True when ``learning_rate`` is below the bound."""
        return learning_rate < self.alpha

    def _any_alpha(self) -> bool:
        """Per point with λ = 0: its own loss falls at any α."""
        return self.mode == "stochastic" and not self.l2

    def headline(self) -> str:
        """One short line for beside the learning-rate control."""
        alpha, full = rounded_down(self.alpha), rounded_down(self.batch_alpha)
        if self.mode == "batch":
            return f"Steps up to α = {alpha} are guaranteed to go downhill here."
        if self._any_alpha():
            return (
                f"Per point: above α = {alpha} a step throws the boundary further than its "
                f"point needs (full batch: downhill guaranteed up to {full})."
            )
        return (
            f"Steps up to α = {alpha} are guaranteed to lower their own points' loss (full "
            f"batch: the mean loss, up to {full})."
        )

    def sentence(self) -> str:
        """The bound in plain words, e.g. "Full-batch steps with α up to 3.2 are guaranteed
        to lower the loss at every update on these points."."""
        alpha, full = rounded_down(self.alpha), rounded_down(self.batch_alpha)
        penalty = f" (λ = {self.l2:g} included)" if self.l2 else ""
        if self.mode == "batch":
            text = (
                f"Full-batch steps with α up to {alpha} are guaranteed to lower the loss at "
                f"every update on these points{penalty}."
            )
        else:
            who = f"point {self.point + 1}" + ("" if self.l2 else ", the farthest from (0, 0),")
            if self._any_alpha():
                c = rounded_down(2.0 / MAX_CURVATURE[self.loss])
                text = (
                    "A per-point step lowers its own point's loss at any α: it only moves "
                    f"that point's z towards its class. Above about {alpha} ({c}/‖x̃‖² for "
                    f"point {self.point + 1}, the farthest from (0, 0)) a step moves the "
                    "boundary much further than its point needs."
                )
            else:
                whose = "each point's own" if self.mode == "stochastic" else "each batch's own"
                text = (
                    f"Steps with α up to {alpha} are guaranteed to lower {whose} loss"
                    f"{' plus the penalty' if self.l2 else ''}{penalty}; {who} sets this limit."
                )
            text += (
                " The mean loss over all points has no such promise: a step can help its "
                f"own points and hurt the others. With full batches, α up to {full} would "
                "lower the mean loss at every step."
            )
        if not self.exact:
            text += (
                " For squared error these are safe limits, not exact ones: its curvature "
                "reaches the value assumed here almost nowhere, so somewhat larger steps "
                "usually go downhill too, and going downhill can still mean crawling along "
                "a plateau."
            )
        return text

    def compare(self, learning_rate: float) -> str:
        """Where α stands against the bound, in words."""
        alpha = f"α = {learning_rate:g}"
        if self.allows(learning_rate):
            if self.mode == "batch":
                return f"{alpha} is below it: every step lowers the loss."
            return f"{alpha} is below it."
        if self.mode == "batch":
            return f"{alpha} is above it: a step may overshoot and raise the loss" + (
                " (the log loss really is that curved near w = 0, b = 0)." if self.exact else "."
            )
        if self._any_alpha():
            return (
                f"{alpha} is above it: expect the boundary to swing past points and the mean "
                "loss to jump now and then."
            )
        return f"{alpha} is above it: a step may overshoot even for its own points."


def bound_mode(config: TrainConfig, n: int) -> str:
    """The update rule as the guarantee sees it for ``n`` points: mini-batches that hold
    every point are "batch"."""
    if config.mode == "minibatch" and config.batch_size >= n:
        return "batch"
    return config.mode


def step_bound(X, config: TrainConfig) -> StepBound:
    """The bound that holds for training ``config`` on the points X ``(n, 2)``.

    Full batch (or mini-batches holding every point): ``batch_bound``. Per point and
    mini-batch: the smallest ``point_bounds`` value, which covers every point's step and
    every batch. Raises ValueError without points.
    """
    X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
    loss, l2, n = config.loss, config.l2, len(X)
    if not n:
        raise ValueError("a step-size bound needs at least one point, got none")
    c = MAX_CURVATURE[loss]
    c_text = "¼" if loss == "log" else f"{c:.4f}"
    full = batch_bound(X, loss, l2)
    exact = loss == "log"
    if bound_mode(config, n) == "batch":
        if loss == "log" and not l2:
            top = float(np.linalg.eigvalsh(_augmented(X).T @ _augmented(X))[-1])
            formula = f"8n / λmax(X̃ᵀX̃) = 8·{n:,} / {top:.4g} = {full:.4g}"
        else:
            formula = f"2 / λmax({c_text}·X̃ᵀX̃/n + λ·diag(1, 1, 0)) = {full:.4g}"
        return StepBound(full, full, "batch", loss, l2, exact, None, formula)
    bounds = point_bounds(X, loss, l2)
    i = int(np.argmin(bounds))
    x1, x2 = X[i]
    norm = x1 * x1 + x2 * x2 + 1.0
    if not l2:
        formula = f"{2 / c:.4g} / ‖x̃‖² = {2 / c:.4g} / {norm:.4g} = {bounds[i]:.4g} (point {i + 1})"
    else:
        formula = f"2 / λmax({c_text}·x̃x̃ᵀ + λ·diag(1, 1, 0)) = {bounds[i]:.4g} (point {i + 1})"
    return StepBound(float(bounds[i]), full, config.mode, loss, l2, exact, i, formula)


def bound_sentence(X, config: TrainConfig) -> str:
    """For beside the learning-rate control: the bound and where α stands against it."""
    bound = step_bound(X, config)
    return f"{bound.sentence()} {bound.compare(config.learning_rate)}"
