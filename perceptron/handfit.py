"""Be the optimiser: the numbers a learner needs while setting w1, w2 and b by hand.

At any (w, b) the learner sees the mean log loss, each point's part of it, and the
gradient as "downhill is this way"; one click takes the lecture's step from there,
w ← w − α·∂L/∂w and b ← b − α·∂L/∂b with the mean gradient over all points (the
direction the arrow shows), whatever mode the run itself uses. ``HandPath`` keeps the
states the learner went through, by hand or by such steps, for the loss landscape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from perceptron.limits import MAX_ABS_INITIAL_PARAMETER
from perceptron.model import error_from_logit, gradient_from_logit, logit, point_losses_from_logit
from perceptron.points import checked_points

# The most states a path keeps: older ones (all but the start) give way to newer.
MAX_PATH_STATES = 2_000
START, HAND, STEP = "start", "hand", "step"


@dataclass(frozen=True)
class HandFit:
    """Everything about one hand-set (w, b) over points X ``(n, 2)``, y ``(n,)``.

    loss: the mean log loss. point_losses ``(n,)``: each point's own loss; shares ``(n,)``:
    each point's part of the mean, point_losses / n (they add up to ``loss``).
    grad_w ``(2,)``, grad_b: the gradient of the mean loss. pulls ``(n, 2)``: each point's
    part of −∂L/∂w, (y − ŷ)·x / n, which add up to −grad_w: the way each point pulls w.
    """

    w: np.ndarray
    b: float
    loss: float
    point_losses: np.ndarray
    shares: np.ndarray
    grad_w: np.ndarray
    grad_b: float
    pulls: np.ndarray

    @property
    def slope(self) -> float:
        """‖∇L‖ over (w1, w2, b): how steep the loss is here."""
        return math.hypot(float(self.grad_w[0]), float(self.grad_w[1]), self.grad_b)

    @property
    def downhill_text(self) -> str:
        """E.g. "Downhill from here: w1 up, w2 down, b up (slope 0.42)"."""
        if self.slope == 0:
            return "The loss is flat here: no way is downhill."
        names = ("w1", "w2", "b")
        slopes = (*self.grad_w.tolist(), self.grad_b)
        ways = [
            f"{n} {'down' if g > 0 else 'up' if g < 0 else 'as is'}"
            for n, g in zip(names, slopes, strict=True)
        ]
        return f"Downhill from here: {', '.join(ways)} (slope {self.slope:.3g})."


def hand_fit(w, b: float, X, y) -> HandFit:
    """The loss, each point's part, and the gradient at a hand-set (w, b)."""
    w, b = checked_state(w, b)
    X, y = checked_points(X, y)
    if len(y) == 0:
        raise ValueError("no points: a loss needs at least one point")
    z = logit(w, b, X)
    losses = point_losses_from_logit(z, y)
    grad_w, grad_b = gradient_from_logit(z, X, y)
    pulls = error_from_logit(z, y)[:, None] * X / len(y)
    return HandFit(w, b, float(np.mean(losses)), losses, losses / len(y), grad_w, grad_b, pulls)


def gradient_step(w, b: float, X, y, learning_rate: float) -> tuple[np.ndarray, float]:
    """One step downhill from (w, b): w − α·∂L/∂w, b − α·∂L/∂b, with the mean gradient."""
    ok = isinstance(learning_rate, int | float) and not isinstance(learning_rate, bool)
    if not (ok and math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a number > 0, got {learning_rate!r}")
    fit = hand_fit(w, b, X, y)
    return fit.w - learning_rate * fit.grad_w, fit.b - learning_rate * fit.grad_b


def checked_state(w, b) -> tuple[np.ndarray, float]:
    """(w as a float array ``(2,)``, b) if both are finite and within the hand-set limit."""
    try:
        w = np.array(w, dtype=np.float64).reshape(2)
        b = float(b)
    except (TypeError, ValueError):
        raise ValueError(f"w must be two numbers and b one, got {w!r} and {b!r}") from None
    values = np.append(w, b)
    if not np.all(np.abs(values) <= MAX_ABS_INITIAL_PARAMETER):
        raise ValueError(
            f"w1, w2 and b must be finite and within ±{MAX_ABS_INITIAL_PARAMETER:g}, "
            f"got {tuple(values.tolist())!r}"
        )
    return w + 0.0, b + 0.0


@dataclass(frozen=True)
class HandPath:
    """The states (w1, w2, b) a learner went through, and how each was reached.

    ``states`` ``(m, 3)``; ``moves`` one of "start", "hand" or "step" (a gradient step)
    per state. Each change returns a new path; at most MAX_PATH_STATES are kept.
    """

    states: tuple[tuple[float, float, float], ...]
    moves: tuple[str, ...]

    @classmethod
    def starting_at(cls, w, b: float) -> HandPath:
        w, b = checked_state(w, b)
        return cls(((float(w[0]), float(w[1]), b),), (START,))

    @property
    def current(self) -> tuple[np.ndarray, float]:
        w1, w2, b = self.states[-1]
        return np.array([w1, w2]), b

    @property
    def gradient_steps(self) -> int:
        return self.moves.count(STEP)

    def by_hand(self, w, b: float) -> HandPath:
        """This path with the learner's new (w, b) added; the same path if nothing moved."""
        w, b = checked_state(w, b)
        return self._then((float(w[0]), float(w[1]), b), HAND)

    def by_step(self, X, y, learning_rate: float) -> HandPath:
        """This path with one gradient step (``gradient_step``) from its current state.

        Raises ValueError (naming the values) if the step would leave the hand-set limits.
        """
        w, b = gradient_step(*self.current, X, y, learning_rate)
        w, b = checked_state(w, b)
        return self._then((float(w[0]), float(w[1]), b), STEP)

    def _then(self, state: tuple[float, float, float], move: str) -> HandPath:
        if state == self.states[-1]:
            return self
        states, moves = (*self.states, state), (*self.moves, move)
        if len(states) > MAX_PATH_STATES:
            states, moves = states[:1] + states[2:], moves[:1] + moves[2:]
        return HandPath(states, moves)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(w ``(m, 2)``, b ``(m,)``): the path in the layout of ``History.w`` and ``.b``."""
        values = np.array(self.states, dtype=np.float64)
        return values[:, :2], values[:, 2]
