"""Where a run went uphill, and why: every update after which the objective J over all
points (the mean loss plus the penalty) was higher than before it, computed exactly.

Each rise says why in plain words. Full batch: α at or above the step-size bound
(``perceptron.stepsize``) overshot; below it, the rise is float64's rounding. Per point or
mini-batch: the step went downhill for all the points but too far (it overshot), or its
own points pulled against the others, which no α would have avoided.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from perceptron.model import dL_dz_from_logit, point_losses_from_logit
from perceptron.stepsize import batch_bound, batches_bounds, bound_mode, point_bounds, rounded_down
from perceptron.training import History

# A loss counts as risen when it went up by more than this share of itself: float64's
# rounding of a mean of n ≤ 2,000 losses is below 1e−12 of it.
RISE_TOL = 1e-9
# Point evaluations ``recent_rises`` may spend (about 30 ms): a window of updates before k.
RISE_CHECK_WORK = 2_000_000
# Rows of X gathered at a time while evaluating losses, to bound memory.
ROW_CHUNK = 2**18


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
        alpha, bound = f"α = {self.learning_rate:g}", rounded_down(self.bound)
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
    """The run's update rule as the guarantee sees it (``bound_mode``)."""
    return bound_mode(history.config, history.n_points)


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
