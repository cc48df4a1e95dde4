"""Faster versions of the lecture's loop, ``training.descend_plainly``: same updates, less time.

Each engine makes exactly the updates of the plain loop (tests check them against it to
1e-12) and returns (w, b, grad_w, grad_b): states ``(K+1, 2)``, ``(K+1,)`` and gradients
``(K, 2)``, ``(K,)``. Which one is fastest depends on the points per update:

- ``per_point``: one point per update, on plain floats;
- ``small_batches``: a few points per update, on plain floats: numpy's fixed cost per
  call (about ten calls per update) outweighs its speed on so few points;
- ``large_batches``: numpy over each batch.

They use the signed logit of ``perceptron.model``: with s = 1 − 2y (+1 for class 0, −1
for class 1) and t = s·z, σ(t) = |y − ŷ| and −(y − ŷ)·x = σ(t)·(s·x). Multiplying by s
only flips signs, so t = w1·(s·x1) + w2·(s·x2) + b·s is bit for bit s·z. Both losses are
functions of t, so ∂L/∂z·x = dL/dt·(s·x) with dL/dt = σ(t) (log loss) or σ(t)²σ(−t)
(squared error, ``model.dL_dt``). λ adds λ·w to ∂J/∂w after each batch's mean. The float
loops record only what they must; the states are rebuilt afterwards by ``_replay``.

Every engine takes the loss ("log" or "squared") and λ last. The lecture's case, the log
loss with λ = 0, keeps its own per-point loop: the most common run, and the fastest.

``orders`` is the visiting order of every epoch (a list of index arrays), or None when
every epoch visits the points in their given order.
"""

from array import array

import numpy as np

from perceptron.model import dL_dt, error_float, sigmoid_float, signed_logit, squared_slope_float

# Batches of at most this many points loop over them on plain floats. Measured here (2
# cores, loaded): plain floats cost about 0.45 µs a point, numpy about 27 µs an update
# whatever its size up to a few hundred points; they cross near 55 points.
PLAIN_FLOAT_MAX_BATCH = 48


def _replay(start, grad: np.ndarray, learning_rate: float) -> np.ndarray:
    """States start, start − α·g1, (start − α·g1) − α·g2, … for the gradients g in order.

    cumsum adds one term at a time, so each state is bit for bit the loop's w −= α·g.
    """
    states = np.empty((len(grad) + 1, *grad.shape[1:]))
    states[0] = start
    np.multiply(grad, -learning_rate, out=states[1:])
    return np.cumsum(states, axis=0, out=states)


def _replayed(grad_w: np.ndarray, grad_b: np.ndarray, learning_rate: float, w0, b0: float):
    return _replay(w0, grad_w, learning_rate), _replay(b0, grad_b, learning_rate), grad_w, grad_b


def _epochs_of(rows: list, orders, epochs: int):
    """Per epoch, ``rows`` in that epoch's visiting order."""
    for epoch in range(epochs):
        yield rows if orders is None else [rows[i] for i in orders[epoch].tolist()]


# dL/dt on one plain float, per loss.
_SLOPE_FLOAT = {"log": sigmoid_float, "squared": squared_slope_float}


def per_point(X, y, orders, epochs: int, learning_rate: float, w0, b0: float, loss="log", l2=0.0):
    """Stochastic descent on plain floats: the lecture's loop, recording each y − ŷ.

    Another loss or λ > 0 runs as ``small_batches`` of one point, the same updates.
    """
    point = np.tile(np.arange(len(y)), epochs) if orders is None else np.concatenate(orders)
    if loss != "log" or l2:
        return *small_batches(X, y, orders, epochs, 1, learning_rate, w0, b0, loss, l2), point
    rows = list(zip(X[:, 0].tolist(), X[:, 1].tolist(), y.tolist(), strict=True))
    lr, error_of = learning_rate, error_float  # a local name is faster to call
    (w1, w2), b = w0, b0
    errors = []
    record = errors.append
    for epoch_rows in _epochs_of(rows, orders, epochs):
        for x1, x2, t in epoch_rows:
            error = error_of(w1 * x1 + w2 * x2 + b, t)
            w1 -= lr * (-error * x1)
            w2 -= lr * (-error * x2)
            b -= lr * (-error)
            record(error)
    grad_b = -np.array(errors)
    return *_replayed(grad_b[:, None] * X[point], grad_b, lr, w0, b0), point


def _signed_rows(X, y) -> list:
    """(s·x1, s·x2, s) of every point as plain floats, s = 1 − 2y."""
    s = signed_logit(1.0, y)
    return list(zip((X[:, 0] * s).tolist(), (X[:, 1] * s).tolist(), s.tolist(), strict=True))


def _small_batch_gradients(
    epochs_of_batches, learning_rate: float, w0, b0: float, loss: str, l2: float
):
    """(∂J/∂w1, ∂J/∂w2, ∂J/∂b) of every update, looping over each batch's points."""
    lr, slope = learning_rate, _SLOPE_FLOAT[loss]
    (w1, w2), b = w0, b0
    gradients = array("d")  # raw doubles: a quarter of the memory of Python floats
    record = gradients.append
    for batches in epochs_of_batches:
        for batch in batches:
            dL_dw1 = dL_dw2 = dL_db = 0.0
            for u1, u2, s in batch:
                p = slope(w1 * u1 + w2 * u2 + b * s)  # dL/dt; for the log loss σ(t) = |y − ŷ|
                dL_dw1 += p * u1
                dL_dw2 += p * u2
                dL_db += p * s
            size = len(batch)
            dL_dw1, dL_dw2, dL_db = dL_dw1 / size, dL_dw2 / size, dL_db / size
            if l2:  # ∂J/∂w = ∂L/∂w + λ·w; b is not penalised
                dL_dw1, dL_dw2 = dL_dw1 + l2 * w1, dL_dw2 + l2 * w2
            w1 -= lr * dL_dw1
            w2 -= lr * dL_dw2
            b -= lr * dL_db
            record(dL_dw1)
            record(dL_dw2)
            record(dL_db)
    return np.frombuffer(gradients).reshape(-1, 3)


def small_batches(
    X, y, orders, epochs: int, size: int, learning_rate: float, w0, b0: float, loss="log", l2=0.0
):
    """Batch or minibatch descent on plain floats, ``size`` points per update."""
    epochs_of_batches = (
        [rows[start : start + size] for start in range(0, len(rows), size)]
        for rows in _epochs_of(_signed_rows(X, y), orders, epochs)
    )
    gradients = _small_batch_gradients(epochs_of_batches, learning_rate, w0, b0, loss, l2)
    return _replayed(gradients[:, :2].copy(), gradients[:, 2].copy(), learning_rate, w0, b0)


def _epoch_batches(U: np.ndarray, orders, epochs: int, size: int):
    """Per update, the signed rows (s·x1, s·x2, s) of its batch; views unless shuffled."""
    for epoch in range(epochs):
        rows = U if orders is None else U[orders[epoch]]
        for start in range(0, len(U), size):
            yield rows[start : start + size]


def large_batches(
    X, y, orders, epochs: int, size: int, learning_rate: float, w0, b0: float, loss="log", l2=0.0
):
    """Batch or minibatch descent with numpy over each batch of ``size`` points."""
    U = np.column_stack([X, np.ones(len(y))]) * signed_logit(1.0, y)[:, None]
    theta = np.array([*w0, b0])
    penalised = np.array([l2, l2, 0.0])  # ∂R/∂θ = λ·(w1, w2, 0): b is not penalised
    gradients = []
    for batch in _epoch_batches(U, orders, epochs, size):
        # The mean of ∂L/∂z·(x1, x2, 1) over the batch, as the mean of dL/dt·(s·x, s):
        # for the log loss −(y − ŷ)·(x1, x2, 1) = σ(t)·(s·x, s).
        dL_dtheta = (dL_dt(batch @ theta, loss) @ batch) / len(batch)
        if l2:
            dL_dtheta = dL_dtheta + penalised * theta
        theta = theta - learning_rate * dL_dtheta
        gradients.append(dL_dtheta)
    gradients = np.array(gradients).reshape(-1, 3)
    return _replayed(gradients[:, :2].copy(), gradients[:, 2].copy(), learning_rate, w0, b0)
