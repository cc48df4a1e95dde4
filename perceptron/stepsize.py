"""How large may α be? The step sizes that are guaranteed to go downhill, and where a run
went uphill instead.

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

from perceptron.model import dL_dz_from_logit, point_losses_from_logit
from perceptron.training import History, TrainConfig

# The log loss's largest curvature d²L/dz², σ(0)σ(0).
LOG_MAX_CURVATURE = 0.25
# Squared error's curvature 2u² − 5u³ + 3u⁴ at its stationary points u = (15 ∓ √33)/24.
_U_MAX = (15.0 - math.sqrt(33.0)) / 24.0
_U_MIN = (15.0 + math.sqrt(33.0)) / 24.0
SQUARED_MAX_CURVATURE = _U_MAX**2 * (1.0 - _U_MAX) * (2.0 - 3.0 * _U_MAX)  # ≈ 0.07703
SQUARED_MIN_CURVATURE = _U_MIN**2 * (1.0 - _U_MIN) * (2.0 - 3.0 * _U_MIN)  # ≈ −0.06010
MAX_CURVATURE = {"log": LOG_MAX_CURVATURE, "squared": SQUARED_MAX_CURVATURE}
# A loss counts as risen when it went up by more than this share of itself: float64's
# rounding of a mean of n ≤ 2,000 losses is below 1e−12 of it.
RISE_TOL = 1e-9
# Point evaluations ``recent_rises`` may spend (about 30 ms): a window of updates before k.
RISE_CHECK_WORK = 2_000_000
# Rows of X gathered at a time while evaluating losses, to bound memory.
ROW_CHUNK = 2**18
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


def _down(value: float) -> str:
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
        alpha, full = _down(self.alpha), _down(self.batch_alpha)
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
        alpha, full = _down(self.alpha), _down(self.batch_alpha)
        penalty = f" (λ = {self.l2:g} included)" if self.l2 else ""
        if self.mode == "batch":
            text = (
                f"Full-batch steps with α up to {alpha} are guaranteed to lower the loss at "
                f"every update on these points{penalty}."
            )
        else:
            who = f"point {self.point + 1}" + ("" if self.l2 else ", the farthest from (0, 0),")
            if self._any_alpha():
                c = _down(2.0 / MAX_CURVATURE[self.loss])
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
    whole = config.mode == "batch" or (config.mode == "minibatch" and config.batch_size >= n)
    if whole:
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


# ------------------------------------------------------------------ where a run went uphill


@dataclass(frozen=True)
class Rise:
    """One update k after which the objective J over all points was higher than before it.

    step: k (from 1). rows: the rows of X it used (all of them in full-batch mode).
    before, after: J over all points at state k−1 and at state k.
    own_before, own_after: J over the update's own points (the same in full batch).
    z_before, z_after: per point, that point's z before and after (else NaN).
    bound: the largest α guaranteed to lower J over the update's own points (``StepBound``).
    downhill: True when the step's direction went downhill for J over all points (so a
        shorter step would have lowered it: this one overshot); False when the update's
        own points pulled against the rest (per point or mini-batch only), which raises
        J at any α.
    learning_rate, mode: the run's.
    """

    step: int
    rows: np.ndarray
    before: float
    after: float
    own_before: float
    own_after: float
    z_before: float
    z_after: float
    bound: float
    downhill: bool
    learning_rate: float
    mode: str

    @property
    def amount(self) -> float:
        return self.after - self.before

    @property
    def above_bound(self) -> bool:
        """True when α was at or above the bound for the points this update used."""
        return self.learning_rate >= self.bound

    @property
    def overshot(self) -> bool:
        """The step went downhill for all points but too far: a smaller α would have helped."""
        return self.downhill

    def sentence(self) -> str:
        """What happened at this step, in plain words, for where the learner looks."""
        rose = (
            f"At step {self.step:,} the loss went up, from {self.before:.4g} to "
            f"{self.after:.4g} (up {self.amount:.3g})"
        )
        alpha, bound = f"α = {self.learning_rate:g}", _down(self.bound)
        if self.mode == "batch":
            if self.above_bound:
                return (
                    f"{rose}: the step overshot. {alpha} is above {bound}, the largest step "
                    "guaranteed to go downhill for these points."
                )
            return f"{rose}, though α is below {bound}: that is float64's rounding, no overshoot."
        used = (
            f"It used point {int(self.rows[0]) + 1}"
            if self.mode == "stochastic"
            else f"It used a batch of {len(self.rows):,} points"
        )
        own = (
            f"its own loss fell from {self.own_before:.4g} to {self.own_after:.4g}"
            if self.own_after <= self.own_before
            else f"its own loss rose too, from {self.own_before:.4g} to {self.own_after:.4g}"
        )
        limit = (
            f" {alpha} is above {bound}, the largest step guaranteed even for its own points."
            if self.above_bound
            else ""
        )
        return f"{rose}. {used}: {own}{self._why()}{limit}"

    def _why(self) -> str:
        """Per point or mini-batch: whether the step overshot or pulled against the rest."""
        if not self.downhill:
            return (
                ", but its pull went against the other points: along this step no α would "
                "have lowered the mean loss, and a smaller α would have raised it less."
            )
        moved = (
            f" Its z jumped from {self.z_before:.3g} to {self.z_after:.3g}."
            if self.mode == "stochastic"
            else ""
        )
        return (
            ". Its step pointed downhill for all the points but went too far that way: it "
            f"overshot.{moved}"
        )


@dataclass(frozen=True, eq=False)
class Rises:
    """The updates first … last of a run after which J over all points rose.

    steps ``(m,)`` ascending; before, after ``(m,)``: J over all points around each;
    own_before, own_after ``(m,)``: J over each update's own points; z_before, z_after
    ``(m,)``: per point, its z (NaN in batch modes); bound ``(m,)``; downhill ``(m,)``
    (see ``Rise``); first, last: the updates examined.
    """

    history: History
    first: int
    last: int
    steps: np.ndarray
    before: np.ndarray
    after: np.ndarray
    own_before: np.ndarray
    own_after: np.ndarray
    z_before: np.ndarray
    z_after: np.ndarray
    bound: np.ndarray
    downhill: np.ndarray

    def __len__(self) -> int:
        return len(self.steps)

    def rise(self, i: int) -> Rise:
        """The i-th rise (from 0) as a ``Rise``."""
        h = self.history
        k = int(self.steps[i])
        return Rise(
            k,
            h.points_used(k),
            *(float(a[i]) for a in (self.before, self.after, self.own_before, self.own_after)),
            float(self.z_before[i]),
            float(self.z_after[i]),
            float(self.bound[i]),
            bool(self.downhill[i]),
            h.config.learning_rate,
            _mode(h),
        )

    def at(self, k: int) -> Rise | None:
        """The rise at update k, or None when update k did not raise the loss."""
        i = int(np.searchsorted(self.steps, k))
        return self.rise(i) if i < len(self.steps) and self.steps[i] == k else None

    def latest(self, k: int) -> Rise | None:
        """The last rise at or before update k, or None."""
        i = int(np.searchsorted(self.steps, k, side="right")) - 1
        return self.rise(i) if i >= 0 else None

    def count_until(self, k: int) -> int:
        """How many of the examined updates up to k raised the loss."""
        return int(np.searchsorted(self.steps, k, side="right"))


def _mode(history: History) -> str:
    """The update rule as the guarantee sees it: mini-batches of every point are "batch"."""
    config = history.config
    if config.mode == "minibatch" and config.batch_size >= history.n_points:
        return "batch"
    return config.mode


def _objective_at(history: History, states: np.ndarray) -> np.ndarray:
    """J over all points at each of ``states``, a chunk of states at a time."""
    X, y, config = history.X, history.y, history.config
    J = np.empty(len(states))
    chunk = max(1, ROW_CHUNK // len(y))
    for start in range(0, len(states), chunk):
        these = states[start : start + chunk]
        z = history.w[these] @ X.T + history.b[these, None]
        J[start : start + chunk] = np.mean(point_losses_from_logit(z, y, config.loss), axis=-1)
    w = history.w[states]
    return J + 0.5 * config.l2 * (w[:, 0] * w[:, 0] + w[:, 1] * w[:, 1])


def loss_rises(history: History, first: int = 1, last: int | None = None) -> Rises:
    """Every update from ``first`` to ``last`` (default: the run's last) after which the
    objective J over all points was higher than before it, computed exactly.

    ``History.loss`` may be sampled, so J is recomputed here at states first − 1 … last:
    (last − first + 2)·n point evaluations. A full-batch run costs at most about
    MAX_WORK; a long per-point run on many points costs far more, so ask for a window
    there (``recent_rises``). A rise smaller than RISE_TOL of the loss is rounding.
    """
    K = history.n_updates
    last = K if last is None else last
    if not (1 <= first <= max(1, last) and last <= K):
        raise ValueError(f"the updates must satisfy 1 ≤ first ≤ last ≤ {K:,}, got {first}, {last}")
    J = _objective_at(history, np.arange(first - 1, last + 1))
    risen = J[1:] - J[:-1] > RISE_TOL * np.abs(J[:-1])
    steps = np.flatnonzero(risen) + first
    before, after = J[steps - first], J[steps - first + 1]
    config, X = history.config, history.X
    nan = np.full(len(steps), np.nan)
    if _mode(history) == "batch":
        bound = np.full(len(steps), batch_bound(X, config.loss, config.l2))
        downhill = np.ones(len(steps), dtype=bool)
        own = (before, after, nan, nan)
    else:
        rows = [history.points_used(int(k)) for k in steps]
        own = _own(history, steps, rows)
        if config.mode == "stochastic":
            bound = point_bounds(X, config.loss, config.l2)[history.point[steps - 1]]
        else:
            bound = batches_bounds(X, rows, config.loss, config.l2)
            own = (*own[:2], nan, nan)
        downhill = _downhill(history, steps)
    return Rises(history, first, last, steps, before, after, *own, bound, downhill)


def _downhill(history: History, steps: np.ndarray) -> np.ndarray:
    """Per update k, whether its step −α·g went downhill for J over all points:
    ∇J(θ_{k−1})·g > 0, with g the gradient it used."""
    X, y, config = history.X, history.y, history.config
    out = np.empty(len(steps), dtype=bool)
    chunk = max(1, ROW_CHUNK // len(y))
    for start in range(0, len(steps), chunk):
        before = steps[start : start + chunk] - 1
        w, b = history.w[before], history.b[before]
        slope = dL_dz_from_logit(w @ X.T + b[:, None], y, config.loss)  # (m, n)
        grad_w = slope @ X / len(y) + config.l2 * w
        grad_b = slope.mean(axis=1)
        used_w, used_b = history.grad_w[before], history.grad_b[before]
        out[start : start + chunk] = np.einsum("ij,ij->i", grad_w, used_w) + grad_b * used_b > 0
    return out


def _own(history: History, steps: np.ndarray, rows: list):
    """J over each update's own points before and after it, and its first point's z then:
    (own_before, own_after, z_before, z_after), each ``(len(steps),)``."""
    X, y, config = history.X, history.y, history.config
    if not len(steps):
        empty = np.zeros(0)
        return empty, empty, empty, empty
    sizes = np.array([len(r) for r in rows])
    starts = np.cumsum(sizes) - sizes
    flat = np.concatenate(rows)
    updates = np.repeat(steps, sizes)
    out = []
    for state in (updates - 1, updates):
        w, b = history.w[state], history.b[state]
        z = w[:, 0] * X[flat, 0] + w[:, 1] * X[flat, 1] + b
        own = np.add.reduceat(point_losses_from_logit(z, y[flat], config.loss), starts) / sizes
        ws = history.w[state[starts]]
        out.append(own + 0.5 * config.l2 * (ws[:, 0] * ws[:, 0] + ws[:, 1] * ws[:, 1]))
        out.append(z[starts])
    return out[0], out[2], out[1], out[3]


def recent_rises(history: History, k: int, work: int = RISE_CHECK_WORK) -> Rises:
    """``loss_rises`` over the updates up to k that fit in ``work`` point evaluations:
    all of them when the run is small, else the most recent ones before k (at least one)."""
    if not 1 <= k <= history.n_updates:
        raise ValueError(f"k must be from 1 to {history.n_updates:,}, got {k!r}")
    window = max(1, work // history.n_points - 1)
    return loss_rises(history, max(1, k - window + 1), k)
