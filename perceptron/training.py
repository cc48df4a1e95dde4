"""Gradient descent on the neuron of ``perceptron.model``, every step kept as data.

Each update is the lecture's step w ← w − α·∂L/∂w, b ← b − α·∂L/∂b, where the
derivatives are the means of −(y−ŷ)·x and −(y−ŷ) over the points the update uses:

- "stochastic": one update per point, in order: the lecture's loop;
- "batch": one update per epoch, using every point;
- "minibatch": one update per group of ``batch_size`` points; an epoch's last group
  holds whatever is left, so it may be smaller.

Three loops do the work, whichever is fastest for the batch size: the lecture's loop on
plain floats for "stochastic", a plain-float loop over small batches, and numpy over
large ones. The plain-float loops record only what they must; the rest of the History
is rebuilt afterwards with numpy, replaying their own float operations, so it is exact.
"""

import math
import numbers
from array import array
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from perceptron.limits import (
    MAX_ABS_COORDINATE,
    MAX_ABS_INITIAL_PARAMETER,
    MAX_EPOCHS,
    MAX_LEARNING_RATE,
    MAX_POINTS,
    MAX_UPDATES,
)
from perceptron.model import error_float, gradient_from_logit, logit, loss_from_logit

MODES = ("stochastic", "batch", "minibatch")
# A loss curve needs no more states than a chart has pixels across.
MAX_LOSS_STATES = 2_000
# The loss at one state costs n point evaluations. A run spends on them at most
# LOSS_SHARE of its own work, an update of m points counting as max(m,
# UPDATE_OVERHEAD_POINTS) evaluations (its fixed cost in Python or numpy is worth about
# that many), or LOSS_FREE_EVALUATIONS (a few milliseconds) if that is more: the loss
# at every state if the budget allows, else at as many evenly spread states as it does.
LOSS_SHARE = 0.25
UPDATE_OVERHEAD_POINTS = 50
LOSS_FREE_EVALUATIONS = 250_000
# Updates over at most this many points loop over them on plain floats: numpy's fixed
# cost per call (about a dozen calls per update) outweighs its speed on so few points.
PLAIN_FLOAT_MAX_BATCH = 32
# Sampled losses are evaluated this many (state, point) pairs at a time to bound memory.
LOSS_CHUNK = 2**18


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _is_whole(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def _is_finite_real(value) -> bool:
    real = isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
    return real and math.isfinite(value)


def _is_start_value(value) -> bool:
    return _is_finite_real(value) and abs(value) <= MAX_ABS_INITIAL_PARAMETER


def _check_learning_rate(value) -> float:
    ok = _is_finite_real(value) and 0 < value <= MAX_LEARNING_RATE
    _require(ok, f"learning_rate must be > 0 and ≤ {MAX_LEARNING_RATE:g}, got {value!r}")
    return float(value)


def _check_epochs(value) -> int:
    ok = _is_whole(value) and 1 <= value <= MAX_EPOCHS
    _require(ok, f"epochs must be a whole number from 1 to {MAX_EPOCHS:,}, got {value!r}")
    return int(value)


def _check_mode(value) -> str:
    ok = isinstance(value, str) and value in MODES
    _require(ok, f"mode must be one of {MODES}, got {value!r}")
    return value


def _check_batch_size(value) -> int:
    ok = _is_whole(value) and value >= 1
    _require(ok, f"batch_size must be a whole number ≥ 1, got {value!r}")
    return int(value)


def _check_shuffle(value) -> bool:
    _require(isinstance(value, bool | np.bool_), f"shuffle must be True or False, got {value!r}")
    return bool(value)


def _check_seed(value) -> int:
    _require(_is_whole(value) and value >= 0, f"seed must be a whole number ≥ 0, got {value!r}")
    return int(value)


def _check_w0(value) -> tuple[float, float]:
    parts = tuple(value) if isinstance(value, tuple | list | np.ndarray) else ()
    ok = len(parts) == 2 and all(_is_start_value(p) for p in parts)
    limit = f"±{MAX_ABS_INITIAL_PARAMETER:g}"
    _require(ok, f"w0 must be two finite numbers within {limit}, got {value!r}")
    return float(parts[0]), float(parts[1])


def _check_b0(value) -> float:
    limit = f"±{MAX_ABS_INITIAL_PARAMETER:g}"
    _require(_is_start_value(value), f"b0 must be a finite number within {limit}, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class TrainConfig:
    """How to train; invalid values raise ValueError naming the field and the value.

    learning_rate: α in w ← w − α·∂L/∂w, with 0 < α ≤ MAX_LEARNING_RATE.
    epochs: passes over the data, 1 to MAX_EPOCHS.
    mode: "stochastic", "batch" or "minibatch" (see the module docstring).
    batch_size: points per update in "minibatch" mode, ignored otherwise. A batch_size
        of n or more puts every point in one batch: the run is then exactly "batch" mode.
    shuffle: False visits the points in the given order. True visits epoch e (1-based)
        in the order ``np.random.default_rng([seed, e]).permutation(n)``, so any epoch's
        order can be recomputed on its own. No effect when one update uses every point.
    seed: whole number ≥ 0 for the shuffle.
    w0, b0: the starting weights (w1, w2) and bias, finite, within ±MAX_ABS_INITIAL_PARAMETER.
    """

    learning_rate: float = 0.1
    epochs: int = 20
    mode: str = "stochastic"
    batch_size: int = 8
    shuffle: bool = False
    seed: int = 0
    w0: tuple[float, float] = (0.0, 0.0)
    b0: float = 0.0

    def __post_init__(self) -> None:
        for field in fields(self):
            check = _FIELD_CHECKS[field.name]
            object.__setattr__(self, field.name, check(getattr(self, field.name)))


_FIELD_CHECKS = {
    "learning_rate": _check_learning_rate,
    "epochs": _check_epochs,
    "mode": _check_mode,
    "batch_size": _check_batch_size,
    "shuffle": _check_shuffle,
    "seed": _check_seed,
    "w0": _check_w0,
    "b0": _check_b0,
}


def _batch_size(n: int, config: TrainConfig) -> int:
    if config.mode == "minibatch":
        return min(config.batch_size, n)
    return 1 if config.mode == "stochastic" else n


def updates_per_epoch(n: int, config: TrainConfig) -> int:
    """Updates in one pass over n points: n, 1 or ⌈n / batch_size⌉ by mode; 0 when n = 0."""
    _require(_is_whole(n) and n >= 0, f"n must be a whole number ≥ 0, got {n!r}")
    return 0 if n == 0 else -(-n // _batch_size(n, config))


def count_updates(n: int, config: TrainConfig) -> int:
    """Updates a run on n points makes: epochs × updates_per_epoch(n, config)."""
    return config.epochs * updates_per_epoch(n, config)


def _shuffles(n: int, config: TrainConfig) -> bool:
    return config.shuffle and _batch_size(n, config) < n


def _epoch_order(n: int, config: TrainConfig, epoch: int) -> np.ndarray:
    """Row indices in the order epoch ``epoch`` (1-based) visits them."""
    if _shuffles(n, config):
        return np.random.default_rng([config.seed, epoch]).permutation(n)
    return np.arange(n)


def _epoch_orders(n: int, config: TrainConfig):
    """The visiting order of every epoch, one epoch at a time."""
    for epoch in range(1, config.epochs + 1):
        yield _epoch_order(n, config, epoch)


@dataclass(frozen=True, eq=False)
class History:
    """Every state of one run, as read-only arrays; K = n_updates.

    config: the run's TrainConfig; n_points: n, the number of points it trained on.
    w ``(K+1, 2)``, b ``(K+1,)``: state 0 is the start, state k the one after update k.
    grad_w ``(K, 2)``, grad_b ``(K,)``: row k−1 is the gradient update k used, taken at
        state k−1 over the points ``points_used(k)``.
    epoch ``(K,)``: the 1-based epoch of each update.
    point ``(K,)``: in "stochastic" mode the row of X each update used; −1 otherwise.
    loss, loss_steps: the mean loss over all points at the states ``loss_steps``: every
        state when that is cheap next to the run itself (see LOSS_SHARE); otherwise at
        most MAX_LOSS_STATES states spread evenly, always with state 0 and state K, and
        with every epoch end when there are fewer epochs than states.
    """

    config: TrainConfig
    n_points: int
    w: np.ndarray
    b: np.ndarray
    grad_w: np.ndarray
    grad_b: np.ndarray
    epoch: np.ndarray
    point: np.ndarray
    loss: np.ndarray
    loss_steps: np.ndarray

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    @property
    def n_updates(self) -> int:
        """K, the number of updates made."""
        return len(self.grad_b)

    def _check_step(self, k: int, first: int) -> None:
        ok = _is_whole(k) and first <= k <= self.n_updates
        _require(ok, f"k must be a whole number from {first} to {self.n_updates}, got {k!r}")

    def state(self, k: int) -> tuple[np.ndarray, float]:
        """(w of shape ``(2,)``, b) after update k; k = 0 is the start."""
        self._check_step(k, 0)
        return self.w[k].copy(), float(self.b[k])

    def epoch_order(self, epoch: int) -> np.ndarray:
        """Row indices of X in the order epoch ``epoch`` (1-based) visits them."""
        return _epoch_order(self.n_points, self.config, epoch)

    def points_used(self, k: int) -> np.ndarray:
        """Row indices of X whose mean gradient update k (1 to K) used, in visiting order."""
        self._check_step(k, 1)
        n = self.n_points
        epoch, j = divmod(k - 1, updates_per_epoch(n, self.config))
        size = _batch_size(n, self.config)
        return _epoch_order(n, self.config, epoch + 1)[j * size : (j + 1) * size]

    def to_frame(self) -> pd.DataFrame:
        """One row per state for export: step, epoch, w1, w2, b, dL_dw1, dL_dw2, dL_db, loss.

        Row k holds the state after update k and the gradient that update used; row 0 is
        the start, with epoch 0 and empty gradient cells. loss is NaN at states where it
        was not computed. "stochastic" runs add ``point``, the row of X each update used.
        """
        steps = self.n_updates + 1
        loss = np.full(steps, np.nan)
        loss[self.loss_steps] = self.loss
        frame = pd.DataFrame(
            {
                "step": np.arange(steps),
                "epoch": np.concatenate([[0], self.epoch]),
                "w1": self.w[:, 0],
                "w2": self.w[:, 1],
                "b": self.b,
                "dL_dw1": np.concatenate([[np.nan], self.grad_w[:, 0]]),
                "dL_dw2": np.concatenate([[np.nan], self.grad_w[:, 1]]),
                "dL_db": np.concatenate([[np.nan], self.grad_b]),
                "loss": loss,
            }
        )
        if self.config.mode == "stochastic":
            first_row = np.arange(steps) == 0
            values = np.concatenate([[0], self.point])
            frame["point"] = pd.arrays.IntegerArray(values, first_row)
        return frame


def _as_float_array(value, name: str) -> np.ndarray:
    try:
        values = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of numbers ({error})") from error
    _require(values.dtype.kind in "biuf", f"{name} must hold numbers, got {values.dtype} values")
    # A private copy: the run never shares, and so can never change, the caller's memory.
    return np.array(values, dtype=np.float64, order="C")


def _checked_data(X, y, config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    X, y = _as_float_array(X, "X"), _as_float_array(y, "y")
    _require(X.ndim == 2 and X.shape[1] == 2, f"X must have shape (n, 2), got shape {X.shape}")
    n = len(X)
    _require(n > 0, "no points to train on: X has no rows; add some points first")
    _require(y.shape == (n,), f"y must have shape ({n},) to match X, got shape {y.shape}")
    _require(n <= MAX_POINTS, f"too many points: {n:,}; the limit is {MAX_POINTS:,}")
    far = np.flatnonzero(~(np.abs(X) <= MAX_ABS_COORDINATE).all(axis=1))
    if far.size:
        row = far[0]
        raise ValueError(
            f"X must hold finite coordinates within ±{MAX_ABS_COORDINATE:g}; "
            f"row {row} is {X[row].tolist()}"
        )
    odd = np.flatnonzero((y != 0) & (y != 1))
    if odd.size:
        raise ValueError(f"y must hold only the labels 0 and 1; row {odd[0]} is {y[odd[0]]}")
    updates = count_updates(n, config)
    _require(
        updates <= MAX_UPDATES,
        f"this run would make {updates:,} updates; the limit is {MAX_UPDATES:,}. "
        "Use fewer epochs, fewer points or bigger batches.",
    )
    return X, y


def _rows_in_order(X, y, orders):
    """Per epoch, the (x1, x2, y) of every point as plain floats, in that epoch's order."""
    rows = list(zip(X[:, 0].tolist(), X[:, 1].tolist(), y.tolist(), strict=True))
    for order in orders:
        yield [rows[i] for i in order.tolist()]


def _errors_point_by_point(epochs_of_rows, learning_rate: float, w0, b0: float) -> list:
    """The lecture's loop on plain floats; returns the error y − ŷ of every update.

    y − ŷ comes from ``model.error_float``, never as y minus a rounded ŷ: near ŷ = 1 that
    difference would keep no digits, and even its sign could be wrong.
    """
    lr, error_of = learning_rate, error_float  # a local name is faster to call
    (w1, w2), b = w0, b0
    errors = []
    record = errors.append
    for rows in epochs_of_rows:
        for x1, x2, y in rows:
            error = error_of(w1 * x1 + w2 * x2 + b, y)
            w1 -= lr * (-error * x1)
            w2 -= lr * (-error * x2)
            b -= lr * (-error)
            record(error)
    return errors


def _replay(start, grad: np.ndarray, learning_rate: float) -> np.ndarray:
    """States start, start − α·g1, (start − α·g1) − α·g2, … for the gradients g in order.

    cumsum adds one term at a time, so each state is bit for bit the loop's w −= α·g.
    """
    states = np.empty((len(grad) + 1, *grad.shape[1:]))
    states[0] = start
    np.multiply(grad, -learning_rate, out=states[1:])
    return np.cumsum(states, axis=0, out=states)


def _descend_point_by_point(X, y, point, config: TrainConfig):
    """Stochastic descent: (w, b, grad_w, grad_b) for the update order ``point``.

    The loop records only each update's error y − ŷ; gradients and states are rebuilt
    from those with vectorised numpy, using the loop's very float operations.
    """
    epochs_of_rows = _rows_in_order(X, y, point.reshape(config.epochs, len(y)))
    lr = config.learning_rate
    error = np.array(_errors_point_by_point(epochs_of_rows, lr, config.w0, config.b0))
    grad_b = -error
    grad_w = grad_b[:, None] * X[point]
    return _replay(config.w0, grad_w, lr), _replay(config.b0, grad_b, lr), grad_w, grad_b


def _gradients_in_small_batches(epochs_of_batches, learning_rate: float, w0, b0: float):
    """Minibatch descent on plain floats; returns (∂L/∂w1, ∂L/∂w2, ∂L/∂b) of every update."""
    lr, error_of = learning_rate, error_float
    (w1, w2), b = w0, b0
    # Raw doubles: three Python lists of floats would take four times the memory.
    gradients = array("d")
    record = gradients.append
    for batches in epochs_of_batches:
        for batch in batches:
            # Sums of −(y−ŷ)·x1, −(y−ŷ)·x2 and −(y−ŷ) first; means after the batch.
            dL_dw1 = dL_dw2 = dL_db = 0.0
            for x1, x2, y in batch:
                error = error_of(w1 * x1 + w2 * x2 + b, y)
                dL_dw1 -= error * x1
                dL_dw2 -= error * x2
                dL_db -= error
            size = len(batch)
            dL_dw1, dL_dw2, dL_db = dL_dw1 / size, dL_dw2 / size, dL_db / size
            w1 -= lr * dL_dw1
            w2 -= lr * dL_dw2
            b -= lr * dL_db
            record(dL_dw1)
            record(dL_dw2)
            record(dL_db)
    return np.frombuffer(gradients).reshape(-1, 3)


def _descend_in_small_batches(X, y, config: TrainConfig):
    """Batch or minibatch descent looping over the points: (w, b, grad_w, grad_b)."""
    n, lr = len(y), config.learning_rate
    size = _batch_size(n, config)
    epochs_of_batches = (
        [rows[start : start + size] for start in range(0, n, size)]
        for rows in _rows_in_order(X, y, _epoch_orders(n, config))
    )
    gradients = _gradients_in_small_batches(epochs_of_batches, lr, config.w0, config.b0)
    grad_w, grad_b = gradients[:, :2].copy(), gradients[:, 2].copy()
    return _replay(config.w0, grad_w, lr), _replay(config.b0, grad_b, lr), grad_w, grad_b


def _descend_in_large_batches(X, y, config: TrainConfig):
    """Batch or minibatch descent with numpy over each batch: (w, b, grad_w, grad_b)."""
    n, lr = len(y), config.learning_rate
    size = _batch_size(n, config)
    count = count_updates(n, config)
    w_states, b_states = np.empty((count + 1, 2)), np.empty(count + 1)
    grad_w, grad_b = np.empty((count, 2)), np.empty(count)
    w, b = np.array(config.w0), config.b0
    w_states[0], b_states[0] = w, b
    k, shuffled = 0, _shuffles(n, config)
    for epoch in range(1, config.epochs + 1):
        # Gather only when shuffled; batches are then slices of the epoch's rows: views.
        X_epoch, y_epoch = X, y
        if shuffled:
            order = _epoch_order(n, config, epoch)
            X_epoch, y_epoch = X[order], y[order]
        for start in range(0, n, size):
            Xb, yb = X_epoch[start : start + size], y_epoch[start : start + size]
            dL_dw, dL_db = gradient_from_logit(logit(w, b, Xb), Xb, yb)
            w, b = w - lr * dL_dw, b - lr * dL_db
            grad_w[k], grad_b[k] = dL_dw, dL_db
            k += 1
            w_states[k], b_states[k] = w, b
    return w_states, b_states, grad_w, grad_b


def _descend(X, y, config: TrainConfig):
    """(w, b, grad_w, grad_b, point) of a run, by the loop that suits its batch size."""
    n = len(y)
    if config.mode == "stochastic":
        point = np.concatenate(list(_epoch_orders(n, config)))
        return *_descend_point_by_point(X, y, point, config), point
    small = _batch_size(n, config) <= PLAIN_FLOAT_MAX_BATCH
    descend = _descend_in_small_batches if small else _descend_in_large_batches
    return *descend(X, y, config), np.full(count_updates(n, config), -1)


def _loss_steps(n: int, config: TrainConfig) -> np.ndarray:
    """The states whose loss a run records, within its budget (see LOSS_SHARE)."""
    per_epoch = updates_per_epoch(n, config)
    count = config.epochs * per_epoch
    update_cost = max(_batch_size(n, config), UPDATE_OVERHEAD_POINTS)
    budget = max(LOSS_FREE_EVALUATIONS, LOSS_SHARE * count * update_cost)
    if (count + 1) * n <= budget:
        return np.arange(count + 1)
    return _spread_steps(per_epoch, config.epochs, min(MAX_LOSS_STATES, max(2, int(budget // n))))


def _spread_steps(per_epoch: int, epochs: int, states: int) -> np.ndarray:
    """At most ``states`` evenly spread states, first and last included; epoch ends first."""
    if epochs + 1 > states:
        ends = np.round(np.linspace(0, epochs, states)).astype(np.int64)
        return np.unique(ends) * per_epoch
    per_slice = min(per_epoch, (states - 1) // epochs)
    within = np.round(np.arange(per_slice) * (per_epoch / per_slice)).astype(np.int64)
    starts = np.arange(epochs)[:, None] * per_epoch
    return np.append((starts + within).ravel(), epochs * per_epoch)


def _losses_at(steps: np.ndarray, w: np.ndarray, b: np.ndarray, X, y) -> np.ndarray:
    """Mean loss over all points at each state in ``steps``, a chunk of states at a time."""
    losses = np.empty(len(steps))
    chunk = max(1, LOSS_CHUNK // len(y))
    for start in range(0, len(steps), chunk):
        these = steps[start : start + chunk]
        z = w[these] @ X.T + b[these, None]
        losses[start : start + chunk] = loss_from_logit(z, y)
    return losses


def train(X, y, config: TrainConfig) -> History:
    """Gradient descent from (config.w0, config.b0); returns every state as a History.

    X ``(n, 2)`` holds the points, y ``(n,)`` their labels 0 and 1; neither is changed.
    Raises ValueError naming what is wrong: no points, a shape, a coordinate that is not
    finite or beyond ±MAX_ABS_COORDINATE, a label other than 0 and 1, more than
    MAX_POINTS points or more than MAX_UPDATES updates.

    Points of one class only train normally: every step pushes the boundary further
    away from all of them, the loss falls towards 0 and the weights keep growing,
    ever more slowly, since no finite weights reach a loss of exactly 0.
    """
    X, y = _checked_data(X, y, config)
    n = len(y)
    w, b, grad_w, grad_b, point = _descend(X, y, config)
    loss_steps = _loss_steps(n, config)
    loss = _losses_at(loss_steps, w, b, X, y)
    epoch = np.repeat(np.arange(1, config.epochs + 1), updates_per_epoch(n, config))
    return History(config, n, w, b, grad_w, grad_b, epoch, point, loss, loss_steps)
