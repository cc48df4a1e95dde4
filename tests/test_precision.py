"""Where float64 runs out, checked against runs computed exactly (80-digit decimals).

The estimate in ``perceptron.precision`` never runs the descent twice; these tests do:
the float64 run must agree with the exact one to the shown digits up to the state the
estimate trusts, and stop agreeing soon after it when it says float64 runs out.
"""

from decimal import Decimal, localcontext

import numpy as np
import pytest

from perceptron import datasets, gradient
from perceptron.precision import SHOWN_ERROR, hessians, precision
from perceptron.training import TrainConfig, train


def exact_run(X, y, history):
    """Every state of ``history``'s run, redone in 80-digit decimals: ``(K+1, 3)``."""
    with localcontext() as ctx:
        ctx.prec = 80
        points = [(Decimal(a), Decimal(c), Decimal(int(t))) for (a, c), t in zip(X, y, strict=True)]
        w1, w2 = (Decimal(v) for v in history.config.w0)
        b, rate = Decimal(history.config.b0), Decimal(history.config.learning_rate)
        states = [(w1, w2, b)]
        for k in range(1, history.n_updates + 1):
            used = [points[i] for i in history.points_used(k)]
            g1 = g2 = gb = Decimal(0)
            for x1, x2, t in used:
                error = 1 / (1 + (-(w1 * x1 + w2 * x2 + b)).exp()) - t
                g1, g2, gb = g1 + error * x1, g2 + error * x2, gb + error
            m = len(used)
            w1, w2, b = w1 - rate * g1 / m, w2 - rate * g2 / m, b - rate * gb / m
            states.append((w1, w2, b))
    return np.array([[float(v) for v in state] for state in states])


def relative_errors(X, y, history):
    exact = exact_run(X, y, history)
    found = np.column_stack([history.w, history.b])
    size = np.maximum(np.linalg.norm(exact, axis=1), 1e-300)
    return np.linalg.norm(found - exact, axis=1) / size


@pytest.mark.parametrize(
    ("preset", "mode", "rate", "epochs", "seed"),
    [
        ("overlapping", "batch", 100.0, 250, 0),
        ("overlapping", "batch", 100.0, 250, 2),
        ("xor", "batch", 100.0, 200, 1),
        ("xor", "minibatch", 100.0, 40, 0),
        ("overlapping", "minibatch", 100.0, 40, 2),
        ("xor", "stochastic", 100.0, 50, 2),
        ("overlapping", "stochastic", 100.0, 50, 2),
    ],
)
def test_a_chaotic_run_stops_agreeing_with_the_exact_run_where_the_estimate_says(
    preset, mode, rate, epochs, seed
):
    X, y = datasets.make_dataset(preset, n=20, seed=seed)
    config = TrainConfig(learning_rate=rate, epochs=epochs, mode=mode, batch_size=5)
    history = train(X, y, config)
    p = precision(history, X)
    errors = relative_errors(X, y, history)
    assert p.runs_out and p.growth > 1.0
    assert errors[: p.reliable_until + 1].max() <= SHOWN_ERROR
    first_wrong = int(np.flatnonzero(errors > SHOWN_ERROR)[0])
    # Not too cautious either: errors grow by p.growth per update, so a factor of 1000
    # off in the estimate (it adds the roundings up as if all had one sign) costs
    # ln 1000 / ln growth updates.
    slack = np.log(1000) / np.log(p.growth)
    assert p.reliable_until < first_wrong <= p.reliable_until + 1 + slack


@pytest.mark.parametrize("preset", ["separable", "overlapping", "xor"])
@pytest.mark.parametrize("mode", ["batch", "minibatch", "stochastic"])
def test_ordinary_runs_keep_their_digits(preset, mode):
    X, y = datasets.make_dataset(preset, n=40, seed=2)
    history = train(X, y, TrainConfig(learning_rate=1.0, epochs=200, mode=mode, batch_size=8))
    p = precision(history, X)
    assert not p.runs_out and p.reliable(history.n_updates) and p.growth == 1.0


@pytest.mark.parametrize(
    ("loss", "l2"), [("log", 0.0), ("squared", 0.0), ("log", 0.02), ("squared", 0.01)]
)
@pytest.mark.parametrize("mode", ["minibatch", "batch", "stochastic"])
def test_each_hessian_is_the_slope_of_the_gradient(loss, l2, mode):
    # Finite differences of perceptron.model.gradient over the update's own points.
    X, y = datasets.make_dataset("overlapping", n=30, seed=4)
    config = TrainConfig(learning_rate=2.0, epochs=6, mode=mode, batch_size=7, loss=loss, l2=l2)
    history = train(X, y, config)
    H = hessians(history, X)
    rng = np.random.default_rng(0)
    for k in rng.choice(history.n_updates, min(8, history.n_updates), replace=False):
        used = history.points_used(k + 1)
        h11, h12, h1b, h22, h2b, hbb = H[k]
        full = np.array([[h11, h12, h1b], [h12, h22, h2b], [h1b, h2b, hbb]])
        theta = np.append(history.w[k], history.b[k])
        v, step = rng.normal(size=3), 1e-5

        def grad(t, rows=used):
            g_w, g_b = gradient(t[:2], t[2], X[rows], y[rows], loss, l2)
            return np.append(g_w, g_b)

        slope = (grad(theta + step * v) - grad(theta - step * v)) / (2 * step)
        np.testing.assert_allclose(full @ v, slope, rtol=1e-6, atol=1e-9)
