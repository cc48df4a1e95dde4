"""Several learning rates (or the two losses) on the same points and start, judged by one
stated rule.

``verdict`` reads one run's loss curve and names what it did: "diverging",
"oscillating", "too slow" or "converging". The thresholds are the constants below and
``RULE`` says the same in words, so the page can show the rule it applies.
``run_race`` races learning rates; ``run_loss_race`` races the log loss against squared
error at one rate, and ``log_loss_curve`` measures runs of either loss on one yardstick.
``separation`` spots the separable-data effect: every point right, yet ‖w‖ keeps growing
(unless L2 regularisation holds the weights back).
"""

import math
from dataclasses import dataclass, replace

import numpy as np

from perceptron.limits import MAX_UPDATES, MAX_WORK
from perceptron.loss_sampling import losses_at
from perceptron.model import LOSSES, logit
from perceptron.training import MAX_LOSS_STATES, History, TrainConfig, train, updates_per_epoch

VERDICTS = ("converging", "oscillating", "diverging", "too slow")
# Diverging: the last loss is above the first by more than this share of the first.
DIVERGE_TOL = 0.05
# Oscillating: in the run's second half the loss climbs back, above its lowest value
# so far in that half, by more than this share of the best improvement L0 − min L.
CLIMB_SHARE = 0.10
# Too slow: the last quarter of the run still brought at least this share of the net fall.
TAIL_SHARE = 0.05
# A run needs this many recorded losses after the start before it can have levelled off.
MIN_STEPS = 4
# Changes below this (relative to the first loss) are floating-point noise.
NOISE = 1e-12
# ‖w‖ counts as still growing when its last quarter added more than this share.
GROWTH_TOL = 0.005

RULE = f"""\
Each run is judged on its loss curve L₀, L₁, …, Lₘ: every mean loss the run recorded (its
own loss, with (λ/2)(w1² + w2²) added under L2 regularisation),
which is the loss after every update, or in a long run the loss at {MAX_LOSS_STATES:,} updates
spread evenly over it, first and last included. The chart may draw an evenly spread
part of these. The rules are checked in this order; the first that fits gives the verdict:

1. **diverging**: some loss is not a finite number, or the last loss is more than
   {DIVERGE_TOL:.0%} above the first (Lₘ > {1 + DIVERGE_TOL:g}·L₀).
2. **oscillating**: in the second half of the run the loss climbs back up, above
   its lowest value so far in that half, by more than {CLIMB_SHARE:.0%} of the best
   improvement L₀ − min L. The steps overshoot and the loss bounces instead of settling.
3. **too slow**: the loss fell, but the last quarter of the run still brought at least
   {TAIL_SHARE:.0%} of the whole fall L₀ − Lₘ: the curve has not levelled off, so
   more epochs (or a larger rate) would still pay. Runs with fewer than {MIN_STEPS}
   recorded steps also count as too slow: too short to level off.
4. **converging**: none of the above; the loss fell and levelled off.
"""


@dataclass(frozen=True)
class Verdict:
    """What one run did (one of VERDICTS) and why, in a sentence with its numbers."""

    label: str
    reason: str


def verdict(losses) -> Verdict:
    """Judge a loss curve ``losses`` ``(m+1,)``, state 0 first, by the rule in ``RULE``."""
    L = np.asarray(losses, dtype=np.float64)
    if len(L) < 2:
        raise ValueError(f"a verdict needs the loss at 2 or more states, got {len(L)}")
    if not np.all(np.isfinite(L)):
        return Verdict("diverging", "the loss overflowed: it is no longer a finite number.")
    first, last = float(L[0]), float(L[-1])
    noise = NOISE * max(1.0, first)
    if last > (1 + DIVERGE_TOL) * first:
        return Verdict(
            "diverging", f"the loss ended at {last:.3g}, above where it began ({first:.3g})."
        )
    best_gain, climb = first - float(L.min()), _largest_climb(L[len(L) // 2 :])
    if climb > max(CLIMB_SHARE * best_gain, noise):
        return Verdict(
            "oscillating",
            f"late in the run the loss climbed back up by {climb:.3g}, "
            f"{_share(climb, best_gain)} of its best improvement ({best_gain:.3g}).",
        )
    return _slow_or_converging(L, noise)


def _slow_or_converging(L: np.ndarray, noise: float) -> Verdict:
    first, last = float(L[0]), float(L[-1])
    fall = first - last
    if len(L) - 1 < MIN_STEPS:
        return Verdict("too slow", f"only {len(L) - 1} recorded steps: too few to level off.")
    if fall <= noise:
        return Verdict(
            "converging", f"the loss stayed at {first:.3g}: the gradient is about 0 here."
        )
    tail = float(L[(3 * (len(L) - 1)) // 4]) - last
    if tail >= TAIL_SHARE * fall:
        return Verdict(
            "too slow",
            f"the last quarter of the run still lowered the loss by {tail:.3g}, "
            f"{_share(tail, fall)} of its whole fall ({fall:.3g}): it has not levelled off.",
        )
    return Verdict("converging", f"the loss fell from {first:.3g} to {last:.3g} and levelled off.")


def _largest_climb(L: np.ndarray) -> float:
    """The largest rise of ``L`` above its own lowest value so far."""
    return float(np.max(L - np.minimum.accumulate(L)))


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole > 0 else "more than all"


def race_epochs(n: int, config: TrainConfig, n_rates: int) -> tuple[int, str | None]:
    """Epochs per run so that ``n_rates`` runs on n points stay within one run's limits in all.

    In all: at most MAX_UPDATES updates and MAX_WORK point visits (epochs × points).
    Returns ``config.epochs`` and None when it fits; otherwise fewer epochs and a note
    saying so. Raises ValueError if even one epoch per run would not fit.
    """
    per_run_epoch = updates_per_epoch(n, config) * n_rates
    epochs = min(config.epochs, MAX_UPDATES // per_run_epoch, MAX_WORK // (n * n_rates))
    if epochs == config.epochs:
        return epochs, None
    if epochs < 1:
        raise ValueError(
            f"{n_rates} runs of one epoch each would make {per_run_epoch:,} updates, "
            f"more than the {MAX_UPDATES:,} allowed"
        )
    return epochs, _race_note(n, config, n_rates, epochs)


def _race_note(n: int, config: TrainConfig, n_rates: int, epochs: int) -> str:
    updates = updates_per_epoch(n, config) * n_rates * config.epochs
    if updates > MAX_UPDATES:
        too_many = f"{updates:,} updates, more than the {MAX_UPDATES:,} allowed in all"
    else:
        visits = n * n_rates * config.epochs
        too_many = (
            f"{visits:,} point visits (epochs × points), more than the {MAX_WORK:,} "
            "allowed in all so that the race trains within seconds"
        )
    return (
        f"{n_rates} runs × {config.epochs:,} epochs would make {too_many}; "
        f"each run makes {epochs:,} epochs."
    )


def run_race(X, y, config: TrainConfig, rates) -> list[History]:
    """One training run per learning rate in ``rates``; all else as in ``config``."""
    return [train(X, y, replace(config, learning_rate=float(lr))) for lr in rates]


def run_loss_race(X, y, config: TrainConfig, losses=LOSSES) -> list[History]:
    """One training run per loss in ``losses`` ("log", "squared"), all at ``config``'s one
    learning rate, start, λ and update rule. Use ``race_epochs(n, config, len(losses))``
    first to keep the race within one run's limits."""
    return [train(X, y, replace(config, loss=loss)) for loss in losses]


def log_loss_curve(history: History) -> np.ndarray:
    """The mean log loss over all points at ``history.loss_steps``, whatever loss the run
    descended (no penalty): one yardstick for runs of different losses, whose own curves
    are in different units (½(ŷ − y)² is at most ½, the log loss is unbounded)."""
    if history.config.loss == "log":
        return history.data_loss
    return losses_at(history.loss_steps, history.w, history.b, history.X, history.y, "log")


@dataclass(frozen=True)
class Separation:
    """The separable-data effect in one run.

    all_correct: at the end every point lies strictly on its own side (z > 0 for y = 1,
        z < 0 for y = 0).
    norm_late, norm_end: ‖w‖ three quarters of the way through the run, and at its end.
    """

    all_correct: bool
    norm_late: float
    norm_end: float

    @property
    def growth(self) -> float:
        """Relative growth of ‖w‖ over the last quarter of the run."""
        if self.norm_late == 0:
            return math.inf if self.norm_end > 0 else 0.0
        return self.norm_end / self.norm_late - 1

    @property
    def unbounded(self) -> bool:
        """All points right and ‖w‖ still growing by more than GROWTH_TOL: no finite optimum."""
        return self.all_correct and self.growth > GROWTH_TOL


def separation(history: History, X, y) -> Separation:
    """Whether a run shows the separable-data effect (see ``Separation``)."""
    K = history.n_updates
    z = logit(history.w[K], float(history.b[K]), np.asarray(X, dtype=np.float64))
    y = np.asarray(y)
    correct = np.where(y == 1, z > 0, z < 0)
    norms = np.linalg.norm(history.w[[(3 * K) // 4, K]], axis=1)
    return Separation(bool(np.all(correct)), float(norms[0]), float(norms[1]))
