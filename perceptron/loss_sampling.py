"""Which states of a run get their mean loss (and their counts of correct, wrong and
undecided points) recorded, and those numbers.

The loss at one state costs n point evaluations: a run of many updates on many points
would spend more on its loss curve than on its descent. So a run records the loss at
every state when that is cheap next to the run itself, else at evenly spread states.
The budget, in point evaluations: LOSS_SHARE of the run's own work, an update of m
points counting as max(m, UPDATE_OVERHEAD_POINTS) evaluations (its fixed cost in Python
or numpy is worth about that many), or LOSS_FREE_EVALUATIONS (a few milliseconds) if
that is more.
"""

import numpy as np

from perceptron.accuracy import counts_from_logit
from perceptron.model import loss_from_logit

# A loss curve needs no more states than a chart has pixels across.
MAX_LOSS_STATES = 2_000
LOSS_SHARE = 0.25
UPDATE_OVERHEAD_POINTS = 50
LOSS_FREE_EVALUATIONS = 250_000
# Sampled losses are evaluated this many (state, point) pairs at a time to bound memory.
LOSS_CHUNK = 2**18


def loss_steps(n: int, batch_size: int, per_epoch: int, epochs: int) -> np.ndarray:
    """The states whose loss a run of ``epochs`` × ``per_epoch`` updates records."""
    count = epochs * per_epoch
    budget = max(
        LOSS_FREE_EVALUATIONS, LOSS_SHARE * count * max(batch_size, UPDATE_OVERHEAD_POINTS)
    )
    if (count + 1) * n <= budget:
        return np.arange(count + 1)
    return _spread_steps(per_epoch, epochs, min(MAX_LOSS_STATES, max(2, int(budget // n))))


def _spread_steps(per_epoch: int, epochs: int, states: int) -> np.ndarray:
    """At most ``states`` evenly spread states, first and last included; epoch ends first."""
    if epochs + 1 > states:
        ends = np.round(np.linspace(0, epochs, states)).astype(np.int64)
        return np.unique(ends) * per_epoch
    per_slice = min(per_epoch, (states - 1) // epochs)
    within = np.round(np.arange(per_slice) * (per_epoch / per_slice)).astype(np.int64)
    starts = np.arange(epochs)[:, None] * per_epoch
    return np.append((starts + within).ravel(), epochs * per_epoch)


def losses_at(
    steps: np.ndarray, w: np.ndarray, b: np.ndarray, X, y, loss: str = "log"
) -> np.ndarray:
    """Mean loss over all points at each state in ``steps``, a chunk of states at a time."""
    return measures_at(steps, w, b, X, y, loss)[0]


def measures_at(steps: np.ndarray, w: np.ndarray, b: np.ndarray, X, y, loss: str = "log"):
    """At each state in ``steps``: the mean loss ``(m,)`` and the counts of correct, wrong
    and undecided points per class ``(m, 2, 3)`` (see ``perceptron.accuracy``).

    Both come from the same logits, computed a chunk of states at a time.
    """
    losses = np.empty(len(steps))
    counts = np.empty((len(steps), 2, 3), dtype=np.int32)
    chunk = max(1, LOSS_CHUNK // len(y))
    for start in range(0, len(steps), chunk):
        these = steps[start : start + chunk]
        z = w[these] @ X.T + b[these, None]
        losses[start : start + chunk] = loss_from_logit(z, y, loss)
        counts[start : start + chunk] = counts_from_logit(z, y)
    return losses, counts
