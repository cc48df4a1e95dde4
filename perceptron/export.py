"""A scenario written out as a standalone NumPy script that reproduces its training run.

The script is the lecture's loop in plain code: σ, the derivatives −(y−ŷ)·x1, −(y−ŷ)·x2,
−(y−ŷ) (or squared error's (ŷ−y)·ŷ(1−ŷ)·x1, …, when that is the run's loss), plus
λ·w1 and λ·w2 for L2 regularisation, and the update w ← w − α·∂J/∂w, with the
scenario's points, settings, seed and starting weights written in as literals. It needs
only NumPy, visits the points in the order ``perceptron.training`` does, and prints the
final w1, w2, b and loss (the objective J; with λ > 0 also the mean loss alone).
"""

from __future__ import annotations

from perceptron.scenario import Scenario
from perceptron.training import TrainConfig, count_updates

SCRIPT_FILE_NAME = "perceptron_run.py"
_MODE_NOTES = {
    "stochastic": "stochastic, one update per point (the lecture's loop)",
    "batch": "batch, one update per epoch, using the mean over every point",
    "minibatch": "mini-batch, one update per group of BATCH_SIZE points",
}

_LOSS_NOTES = {
    "log": """\
Loss:   L = −y·ln ŷ − (1−y)·ln(1−ŷ)   (the log loss)
Derivatives (the ŷ(1−ŷ) of the chain rule cancels):
        ∂L/∂w1 = −(y−ŷ)·x1    ∂L/∂w2 = −(y−ŷ)·x2    ∂L/∂b = −(y−ŷ)""",
    "squared": """\
Loss:   L = ½·(ŷ − y)²   (squared error)
Derivatives (the ŷ(1−ŷ) of the chain rule stays):
        ∂L/∂w1 = (ŷ−y)·ŷ(1−ŷ)·x1    ∂L/∂w2 = (ŷ−y)·ŷ(1−ŷ)·x2    ∂L/∂b = (ŷ−y)·ŷ(1−ŷ)""",
}

_HEADER = '''\
"""Gradient descent on one sigmoid neuron, written out from the Perceptron Playground.

Model:  z = w1·x1 + w2·x2 + b,   ŷ = σ(z) = 1 / (1 + e^−z)
{loss_note}
L2:     J = mean of L + (λ/2)·(w1² + w2²), with λ = L2 below (b is not penalised), so
        ∂J/∂w1 = ∂L/∂w1 + λ·w1 and ∂J/∂w2 = ∂L/∂w2 + λ·w2. With λ = 0, J is the mean loss.
Update: w ← w − α·∂J/∂w  (and the same for b)

Run it with:  python {file_name}     (needs only NumPy)
"""

import numpy as np

# ---- the run's settings -------------------------------------------------------------
# Mode: {mode_note}.
# Points: {points_note}.
LEARNING_RATE = {learning_rate}  # α
EPOCHS = {epochs}  # passes over the points
BATCH_SIZE = {batch_size}  # points per update
SHUFFLE = {shuffle}  # visit the points in a new random order each epoch?
SEED = {seed}  # seed of that order
L2 = {l2}  # λ, the strength of the L2 penalty (λ/2)·(w1² + w2²)

# Starting weights and bias, {init_note}.
W1_START, W2_START, B_START = {w1}, {w2}, {b}

# ---- the points: x1, x2 and the label y (class 0 or 1) --------------------------------
POINTS = np.array(
    [
{rows}
    ],
    dtype=float,
)
X, Y = POINTS[:, :2], POINTS[:, 2]


def sigmoid(z):
    """σ(z) = 1 / (1 + e^−z), written with e^−|z| ≤ 1 so that it cannot overflow."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def error(z, y):
    """y − ŷ as σ(−z) for class 1 and −σ(z) for class 0.

    1 − ŷ by subtraction would lose its digits, even its sign, when ŷ is close to 1.
    """
    return np.where(y == 1, sigmoid(-z), -sigmoid(z))


'''

_LOSSES = {
    "log": '''\
def dL_dz(z, y):
    """∂L/∂z = ∂L/∂ŷ · ŷ(1−ŷ) = −(y−ŷ) for the log loss: ŷ(1−ŷ) cancels."""
    return -error(z, y)


def mean_loss(w1, w2, b):
    """Mean of −y·ln ŷ − (1−y)·ln(1−ŷ): ln(1 + e^−z) for class 1, ln(1 + e^z) for class 0.

    Computed from z, so it is finite for any z and keeps its digits when ŷ is near 0 or 1.
    """
    z = w1 * X[:, 0] + w2 * X[:, 1] + b
    return np.mean(np.logaddexp(0.0, np.where(Y == 1, -z, z)))


''',
    "squared": '''\
def dL_dz(z, y):
    """∂L/∂z = ∂L/∂ŷ · ŷ(1−ŷ) = (ŷ−y)·ŷ(1−ŷ) for squared error: ŷ(1−ŷ) stays.

    ŷ − y as −error(z, y) and ŷ(1−ŷ) as σ(z)·σ(−z), so neither loses its digits.
    """
    return -error(z, y) * sigmoid(z) * sigmoid(-z)


def mean_loss(w1, w2, b):
    """Mean of ½·(ŷ − y)², with |ŷ − y| as σ(z) for class 0 and σ(−z) for class 1."""
    z = w1 * X[:, 0] + w2 * X[:, 1] + b
    return np.mean(0.5 * sigmoid(np.where(Y == 1, -z, z)) ** 2)


''',
}

_SHARED = '''\
def objective(w1, w2, b):
    """J = mean loss + (λ/2)·(w1² + w2²): what each update lowers."""
    return mean_loss(w1, w2, b) + 0.5 * L2 * (w1 * w1 + w2 * w2)


def visiting_order(epoch):
    """Row indices in the order epoch `epoch` (1, 2, ...) visits the points.

    When one update uses every point, the order cannot change the update: no shuffle.
    """
    if SHUFFLE and len(Y) > BATCH_SIZE:
        return np.random.default_rng([SEED, epoch]).permutation(len(Y))
    return np.arange(len(Y))


'''

_STOCHASTIC_LOOP = """\
w1, w2, b = W1_START, W2_START, B_START
for epoch in range(1, EPOCHS + 1):
    for i in visiting_order(epoch):
        x1, x2, y = X[i, 0], X[i, 1], Y[i]
        z = w1 * x1 + w2 * x2 + b
        dJ_dw1 = dL_dz(z, y) * x1 + L2 * w1
        dJ_dw2 = dL_dz(z, y) * x2 + L2 * w2
        dJ_db = dL_dz(z, y)
        w1 = w1 - LEARNING_RATE * dJ_dw1
        w2 = w2 - LEARNING_RATE * dJ_dw2
        b = b - LEARNING_RATE * dJ_db
"""

_BATCH_LOOP = """\
w1, w2, b = W1_START, W2_START, B_START
for epoch in range(1, EPOCHS + 1):
    order = visiting_order(epoch)
    for start in range(0, len(Y), BATCH_SIZE):
        rows = order[start : start + BATCH_SIZE]  # the last group may be smaller
        x1, x2, y = X[rows, 0], X[rows, 1], Y[rows]
        z = w1 * x1 + w2 * x2 + b
        # Each derivative is the mean over this update's points, plus λ·w for w1 and w2.
        dJ_dw1 = np.mean(dL_dz(z, y) * x1) + L2 * w1
        dJ_dw2 = np.mean(dL_dz(z, y) * x2) + L2 * w2
        dJ_db = np.mean(dL_dz(z, y))
        w1 = w1 - LEARNING_RATE * dJ_dw1
        w2 = w2 - LEARNING_RATE * dJ_dw2
        b = b - LEARNING_RATE * dJ_db
"""

_FOOTER = """
print("updates:", {updates})
print("w1 =", float(w1))
print("w2 =", float(w2))
print("b =", float(b))
print("loss =", float(objective(w1, w2, b)))
"""
_DATA_LOSS = """print("data_loss =", float(mean_loss(w1, w2, b)))
"""


def standalone_script(scenario: Scenario) -> str:
    """Python source that trains ``scenario``'s run with NumPy alone and prints the result.

    The printed final w1, w2, b and loss (the objective J; with λ > 0 also the mean loss
    alone, as ``data_loss``) match ``train(...)``'s last state to floating-point
    rounding. Every value from the scenario is written with ``repr``, so the source is
    valid Python whatever the preset name holds. Raises ValueError when there are no
    points or a setting is invalid.
    """
    n = len(scenario.y)
    if n == 0:
        raise ValueError("there are no points to train on, so there is no run to write out")
    config = scenario.config
    (w1, w2), b = config.start()
    settings = {
        "file_name": SCRIPT_FILE_NAME,
        "loss_note": _LOSS_NOTES[config.loss],
        "learning_rate": repr(config.learning_rate),
        "epochs": repr(config.epochs),
        "mode_note": _MODE_NOTES[config.mode],
        "batch_size": repr(_batch_size(n, config)),
        "shuffle": repr(config.shuffle),
        "seed": repr(config.seed),
        "l2": repr(config.l2),
        "points_note": _points_note(scenario),
        "init_note": _init_note(scenario),
        "w1": repr(float(w1)),
        "w2": repr(float(w2)),
        "b": repr(b),
        "rows": _point_rows(scenario),
    }
    loop = _STOCHASTIC_LOOP if config.mode == "stochastic" else _BATCH_LOOP
    footer = _FOOTER.format(updates=count_updates(n, config))
    footer += _DATA_LOSS if config.l2 else ""
    return _HEADER.format(**settings) + _LOSSES[config.loss] + _SHARED + loop + footer


def _batch_size(n: int, config: TrainConfig) -> int:
    """Points per update, as perceptron.training counts them."""
    return {"stochastic": 1, "batch": n, "minibatch": min(config.batch_size, n)}[config.mode]


def _init_note(scenario: Scenario) -> str:
    config = scenario.config
    if config.init == "random":
        return f"random: normal(0, 0.5) with default_rng({config.init_seed!r}), 3 decimals"
    return "typed in by hand" if config.init == "custom" else "all zero"


def _points_note(scenario: Scenario) -> str:
    # repr() escapes quotes and line breaks, so any preset name stays inside the comment.
    if scenario.preset:
        return f"the preset {scenario.preset!r}"
    return "placed by hand or loaded from a file"


def _point_rows(scenario: Scenario) -> str:
    return "\n".join(
        f"        [{x1!r}, {x2!r}, {int(label)}],"
        for (x1, x2), label in zip(scenario.X.tolist(), scenario.y.tolist(), strict=True)
    )
