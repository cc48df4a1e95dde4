"""Gradient descent on the neuron of ``perceptron.model``, every step kept as data.

Each update is the lecture's step w ← w − α·∂J/∂w, b ← b − α·∂J/∂b on the objective
J = mean L + (λ/2)(w1² + w2²) of the points the update uses: the derivatives are the
means of ∂L/∂z·x and ∂L/∂z over those points (−(y−ŷ)·x and −(y−ŷ) for the log loss,
(ŷ−y)·ŷ(1−ŷ)·x and (ŷ−y)·ŷ(1−ŷ) for squared error), and λ adds λ·w to ∂J/∂w. With
the defaults, the log loss and λ = 0, that is the lecture's step exactly. The updates:

- "stochastic": one update per point, in order: the lecture's loop;
- "batch": one update per epoch, using every point;
- "minibatch": one update per group of ``batch_size`` points; an epoch's last group
  holds whatever is left, so it may be smaller.

``descend_plainly`` below is that loop, written as the lecture writes it: the reference.
``train`` makes the same updates with the faster engines of ``perceptron.descent``
(tested equal to it), and records the loss as ``perceptron.loss_sampling`` decides.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from perceptron import descent
from perceptron.accuracy import COUNT_COLUMNS, accuracy_of
from perceptron.limits import MAX_EPOCHS, MAX_UPDATES, MAX_WORK
from perceptron.loss_sampling import MAX_LOSS_STATES, loss_steps, measures_at
from perceptron.model import dL_dz_from_logit, logit
from perceptron.points import checked_points
from perceptron.settings import BY_NAME, MODES, checked_field

__all__ = [
    "MAX_LOSS_STATES",
    "MODES",
    "History",
    "TrainConfig",
    "count_updates",
    "count_work",
    "descend_plainly",
    "max_epochs",
    "run_size_problem",
    "train",
    "updates_per_epoch",
]


def descend_plainly(X: np.ndarray, y: np.ndarray, config: TrainConfig):
    """The lecture's loop, one update at a time: (w, b, grad_w, grad_b) of every update.

    The reference the fast engines of ``perceptron.descent`` are tested against.
    """
    lr, size, l2 = config.learning_rate, _batch_size(len(y), config), config.l2
    w, b = config.start()
    ws, bs, grad_w, grad_b = [w], [b], [], []
    for order in _epoch_orders(len(y), config):
        for start in range(0, len(y), size):
            rows = order[start : start + size]
            # ∂L/∂z = ŷ − y (log loss) or (ŷ − y)·ŷ(1−ŷ) (squared), never from 1 − ŷ
            dL_dz = dL_dz_from_logit(logit(w, b, X[rows]), y[rows], config.loss)
            dJ_dw = np.mean(dL_dz[:, None] * X[rows], axis=0) + l2 * w  # mean ∂L/∂z·x, + λ·w
            dJ_db = np.mean(dL_dz)  # mean ∂L/∂z: b is not penalised
            w = w - lr * dJ_dw
            b = b - lr * dJ_db
            ws.append(w)
            bs.append(b)
            grad_w.append(dJ_dw)
            grad_b.append(dJ_db)
    return np.array(ws), np.array(bs), np.array(grad_w).reshape(-1, 2), np.array(grad_b)


def train(X, y, config: TrainConfig) -> History:
    """Gradient descent from ``config.start()``; returns every state as a History.

    X ``(n, 2)`` holds the points, y ``(n,)`` their labels 0 and 1; neither is changed.
    The updates are those of ``descend_plainly``, made by the fastest equivalent engine.
    Raises ValueError naming what is wrong: no points, a point that
    ``perceptron.points.checked_points`` refuses, more than MAX_UPDATES updates or more
    than MAX_WORK point visits.

    Points of one class only train normally: every step pushes the boundary further
    away from all of them, the loss falls towards 0 and the weights keep growing,
    ever more slowly, since no finite weights reach a loss of exactly 0 (unless λ > 0,
    which stops them where the pull of the data and of the penalty balance).
    """
    X, y = _checked_data(X, y, config)
    n, per_epoch = len(y), updates_per_epoch(len(y), config)
    w, b, grad_w, grad_b, point = _descend_fast(X, y, config)
    steps = loss_steps(n, _batch_size(n, config), per_epoch, config.epochs)
    data_loss, counts = measures_at(steps, w, b, X, y, config.loss)
    loss = data_loss
    if config.l2:
        ws = w[steps]
        loss = data_loss + 0.5 * config.l2 * (ws[:, 0] * ws[:, 0] + ws[:, 1] * ws[:, 1])
    epoch = np.repeat(np.arange(1, config.epochs + 1), per_epoch)
    return History(
        config, n, w, b, grad_w, grad_b, epoch, point, loss, steps, data_loss, counts, X, y
    )


def _descend_fast(X, y, config: TrainConfig):
    """``descend_plainly``'s (w, b, grad_w, grad_b), and the point of each update (or −1)."""
    n, lr, (w, b0) = len(y), config.learning_rate, config.start()
    w0 = tuple(w.tolist())  # plain floats: the per-point engine's loop is faster with them
    orders = list(_epoch_orders(n, config)) if _shuffles(n, config) else None
    objective = (config.loss, config.l2)
    if config.mode == "stochastic":
        return descent.per_point(X, y, orders, config.epochs, lr, w0, b0, *objective)
    size = _batch_size(n, config)
    small = size <= descent.PLAIN_FLOAT_MAX_BATCH
    engine = descent.small_batches if small else descent.large_batches
    run = engine(X, y, orders, config.epochs, size, lr, w0, b0, *objective)
    return *run, np.full(count_updates(n, config), -1)


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(message)


def _is_whole(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


# Spread of the "random" starting weights; rounded so they can be shown and typed exactly.
RANDOM_INIT_SCALE = 0.5
RANDOM_INIT_DECIMALS = 3


@dataclass(frozen=True)
class TrainConfig:
    """How to train; each field is a row of ``perceptron.settings.SETTINGS``.

    Invalid values raise ValueError naming the field, what it may be and the value.
    learning_rate: α in w ← w − α·∂L/∂w.
    epochs: passes over the data.
    mode: "stochastic", "batch" or "minibatch" (see the module docstring).
    batch_size: points per update in "minibatch" mode, ignored otherwise. A batch_size
        of n or more puts every point in one batch: the run is then exactly "batch" mode.
    shuffle: False visits the points in the given order. True visits epoch e (1-based)
        in the order ``np.random.default_rng([seed, e]).permutation(n)``, so any epoch's
        order can be recomputed on its own. No effect when one update uses every point.
    seed: the shuffle's seed.
    init: where descent starts (see ``start``): "zeros", "random" or "custom".
    init_seed: the seed of a "random" start.
    w0, b0: the typed starting weights (w1, w2) and bias of a "custom" start.
    loss: "log" (the lecture's log loss) or "squared" (½(ŷ − y)²).
    l2: λ ≥ 0, the strength of the L2 penalty (λ/2)(w1² + w2²) added to the mean loss.
    A setting that does not apply (batch_size outside "minibatch", w0 unless "custom")
    is kept, so that switching back restores it, and has no effect on the run.
    """

    learning_rate: float = BY_NAME["learning_rate"].default
    epochs: int = BY_NAME["epochs"].default
    mode: str = BY_NAME["mode"].default
    batch_size: int = BY_NAME["batch_size"].default
    shuffle: bool = BY_NAME["shuffle"].default
    seed: int = BY_NAME["seed"].default
    init: str = BY_NAME["init"].default
    init_seed: int = BY_NAME["init_seed"].default
    w0: tuple[float, float] = (BY_NAME["w1_0"].default, BY_NAME["w2_0"].default)
    b0: float = BY_NAME["b_0"].default
    loss: str = BY_NAME["loss"].default
    l2: float = BY_NAME["l2"].default

    def __post_init__(self) -> None:
        for field in fields(self):
            value = checked_field(field.name, getattr(self, field.name))
            object.__setattr__(self, field.name, value)

    def start(self) -> tuple[np.ndarray, float]:
        """The starting weights ``w`` of shape ``(2,)`` and bias ``b`` that ``init`` picks.

        "random" draws ``normal(0, 0.5)`` from ``default_rng(init_seed)``, rounded to
        3 decimals, so the same seed always gives the same start; "custom" is w0, b0.
        """
        if self.init == "random":
            rng = np.random.default_rng(self.init_seed)
            w1, w2, b = np.round(rng.normal(0.0, RANDOM_INIT_SCALE, 3), RANDOM_INIT_DECIMALS)
            return np.array([w1, w2]) + 0.0, float(b) + 0.0
        if self.init == "custom":
            return np.array(self.w0), self.b0
        return np.zeros(2), 0.0


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


def count_work(n: int, config: TrainConfig) -> int:
    """Point visits a run on n points makes, epochs × n: each ∂L/∂w term −(y−ŷ)·x is one."""
    return config.epochs * n


def max_epochs(n: int, config: TrainConfig) -> int:
    """The most epochs a run on n ≥ 1 points may have: within MAX_UPDATES and MAX_WORK."""
    return min(MAX_EPOCHS, MAX_UPDATES // updates_per_epoch(n, config), MAX_WORK // n)


def run_size_problem(n: int, config: TrainConfig) -> str | None:
    """Why a run on n points is too long, in plain words, or None when it is allowed."""
    updates, work = count_updates(n, config), count_work(n, config)
    if updates > MAX_UPDATES:
        return (
            f"this run would make {updates:,} updates; the limit is {MAX_UPDATES:,}. "
            "Use fewer epochs, fewer points or bigger batches."
        )
    if work > MAX_WORK:
        return (
            f"this run would visit {work:,} points ({config.epochs:,} epochs × {n:,} points); "
            f"the limit is {MAX_WORK:,}. Use fewer epochs or fewer points."
        )
    return None


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
    loss, loss_steps: the objective descended, J = mean loss over all points +
        (λ/2)(w1² + w2²), at the states ``loss_steps``: every state when that is cheap next
        to the run itself (see ``perceptron.loss_sampling``); otherwise at most
        MAX_LOSS_STATES states spread evenly, always with state 0 and state K, and with
        every epoch end when there are fewer epochs than states. With λ = 0 (the default)
        it is the mean loss itself.
    data_loss: the mean loss alone, without the penalty, at the same states (the same
        array as ``loss`` when λ = 0): how well the points are fitted, comparable between
        runs with different λ.
    counts ``(len(loss_steps), 2, 3)``: at the same states, per class (0, 1), the points
        correct, wrong and undecided (ŷ = 0.5); see ``perceptron.accuracy``.
    X ``(n, 2)``, y ``(n,)``: the points the run trained on (read-only copies).
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
    data_loss: np.ndarray
    counts: np.ndarray
    X: np.ndarray
    y: np.ndarray

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    @property
    def n_updates(self) -> int:
        """K, the number of updates made."""
        return len(self.grad_b)

    @property
    def accuracy(self) -> np.ndarray:
        """Share of points correct at each state of ``loss_steps``, ``(len(loss_steps),)``."""
        return accuracy_of(self.counts)

    def _check_step(self, k: int, first: int) -> None:
        if not (_is_whole(k) and first <= k <= self.n_updates):
            allowed = f"a whole number from {first} to {self.n_updates}"
            raise ValueError(f"k must be {allowed}, got {k!r}")

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

    def batches(self, chunk: int):
        """(first update, rows, sizes) for consecutive updates, about ``chunk`` rows at a time.

        ``rows`` lists the rows of X that those updates used, each update's side by side in
        visiting order, and ``sizes`` how many each used; the first update's index is 0-based.
        """
        n, config, K = self.n_points, self.config, self.n_updates
        if config.mode == "stochastic":
            for start in range(0, K, chunk):
                rows = self.point[start : start + chunk]
                yield start, rows, np.ones(len(rows), dtype=np.int64)
            return
        per_epoch = updates_per_epoch(n, config)
        size = _batch_size(n, config)
        sizes = np.full(per_epoch, size)
        sizes[-1] = n - size * (per_epoch - 1)
        epochs_per_chunk = max(1, chunk // n)
        for first in range(1, config.epochs + 1, epochs_per_chunk):
            epochs = range(first, min(first + epochs_per_chunk, config.epochs + 1))
            rows = np.concatenate([self.epoch_order(e) for e in epochs])
            yield (first - 1) * per_epoch, rows, np.tile(sizes, len(epochs))

    def to_frame(self) -> pd.DataFrame:
        """One row per state for export: step, epoch, w1, w2, b, dL_dw1, dL_dw2, dL_db,
        loss, accuracy and the counts correct_0, wrong_0, undecided_0, correct_1, wrong_1,
        undecided_1.

        Row k holds the state after update k and the gradient that update used (of the
        objective: with λ > 0 it includes λ·w); row 0 is the start, with epoch 0 and empty
        gradient cells. loss (the objective), accuracy and the counts are empty at states
        where they were not computed (see ``loss_steps``). With λ > 0, ``data_loss`` (the
        mean loss without the penalty) follows ``loss``. "stochastic" runs add ``point``,
        the row of X each update used.
        """
        steps = self.n_updates + 1
        columns = {
            "step": np.arange(steps),
            "epoch": np.concatenate([[0], self.epoch]),
            "w1": self.w[:, 0],
            "w2": self.w[:, 1],
            "b": self.b,
            "dL_dw1": np.concatenate([[np.nan], self.grad_w[:, 0]]),
            "dL_dw2": np.concatenate([[np.nan], self.grad_w[:, 1]]),
            "dL_db": np.concatenate([[np.nan], self.grad_b]),
            **self._recorded_columns(),
        }
        frame = pd.DataFrame(columns)
        if self.config.mode == "stochastic":
            first_row = np.arange(steps) == 0
            values = np.concatenate([[0], self.point])
            frame["point"] = pd.arrays.IntegerArray(values, first_row)
        return frame

    def _recorded_columns(self) -> dict:
        """The export's columns known only at the recorded states (``loss_steps``): the
        loss, the data loss when λ > 0, the accuracy and the counts; empty elsewhere."""
        steps = self.n_updates + 1
        unrecorded = np.ones(steps, dtype=bool)
        unrecorded[self.loss_steps] = False

        def at_states(values: np.ndarray, dtype=np.float64):
            column = np.full(steps, np.nan) if dtype is np.float64 else np.zeros(steps, dtype)
            column[self.loss_steps] = values
            return column if dtype is np.float64 else pd.arrays.IntegerArray(column, unrecorded)

        columns = {"loss": at_states(self.loss)}
        if self.config.l2:
            columns["data_loss"] = at_states(self.data_loss)
        columns["accuracy"] = at_states(self.accuracy)
        flat = self.counts.reshape(len(self.loss_steps), -1)
        for j, name in enumerate(COUNT_COLUMNS):
            columns[name] = at_states(flat[:, j], np.int64)
        return columns


def _checked_data(X, y, config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    # Private copies (checked_points copies): a run can never change the caller's arrays.
    X, y = checked_points(X, y, "training data")
    _require(len(y) > 0, "no points to train on: add some points first")
    problem = run_size_problem(len(y), config)
    _require(problem is None, problem or "")
    return X, y
