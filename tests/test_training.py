"""Training against hand-written loops, a Newton optimum, and its own limits."""

import math
import warnings
from decimal import Decimal, localcontext
from urllib.parse import parse_qsl

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from perceptron.limits import MAX_EPOCHS, MAX_POINTS, MAX_UPDATES, MAX_WORK
from perceptron.links import scenario_from_params
from perceptron.model import gradient, loss, predict_proba
from perceptron.training import (
    MAX_LOSS_STATES,
    History,
    TrainConfig,
    count_updates,
    count_work,
    max_epochs,
    train,
    updates_per_epoch,
)


def blobs(seed: int, n: int, spread: float = 1.0):
    """Two overlapping clouds of n points in all, labels 0 then 1."""
    rng = np.random.default_rng(seed)
    half = n // 2
    X = np.vstack(
        [rng.normal((-1.0, 0.5), spread, (half, 2)), rng.normal((1.0, -0.5), spread, (n - half, 2))]
    )
    return X, np.r_[np.zeros(half), np.ones(n - half)]


def visiting_order(n: int, seed: int, epoch: int, shuffle: bool) -> list[int]:
    """The order the TrainConfig docstring promises for epoch ``epoch``."""
    if not shuffle:
        return list(range(n))
    return np.random.default_rng([seed, epoch]).permutation(n).tolist()


def plain_sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


def hand_loop(X, y, lr, epochs, w0=(0.0, 0.0), b0=0.0, shuffle=False, seed=0):
    """The lecture's loop, one point at a time, written out on plain floats."""
    (w1, w2), b = w0, b0
    states, grads = [(w1, w2, b)], []
    for epoch in range(1, epochs + 1):
        for i in visiting_order(len(y), seed, epoch, shuffle):
            x1, x2, t = float(X[i, 0]), float(X[i, 1]), float(y[i])
            z = w1 * x1 + w2 * x2 + b
            # y − ŷ as σ(−z) for class 1 and −σ(z) for class 0: t − ŷ would cancel near ŷ = 1.
            error = plain_sigmoid(-z) if t == 1 else -plain_sigmoid(z)
            dL_dw1, dL_dw2, dL_db = -error * x1, -error * x2, -error
            w1 -= lr * dL_dw1
            w2 -= lr * dL_dw2
            b -= lr * dL_db
            states.append((w1, w2, b))
            grads.append((dL_dw1, dL_dw2, dL_db, i))
    return np.array(states), np.array(grads)


def reference_batches(X, y, lr, epochs, batch_size, shuffle=False, seed=0):
    """Mini-batch descent written independently with numpy; returns every (w1, w2, b)."""
    theta = np.zeros(3)
    states = [theta.copy()]
    A = np.column_stack([X, np.ones(len(y))])
    for epoch in range(1, epochs + 1):
        order = visiting_order(len(y), seed, epoch, shuffle)
        for start in range(0, len(y), batch_size):
            rows = order[start : start + batch_size]
            y_hat = 1.0 / (1.0 + np.exp(-A[rows] @ theta))
            theta = theta - lr * np.mean(-(y[rows] - y_hat)[:, None] * A[rows], axis=0)
            states.append(theta.copy())
    return np.array(states)


def newton_optimum(X, y, steps=30):
    """Minimiser of the mean log loss by Newton's method with its own gradient and Hessian."""
    A = np.column_stack([X, np.ones(len(y))])
    theta = np.zeros(3)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-A @ theta))
        g = A.T @ (p - y) / len(y)
        H = (A * (p * (1 - p))[:, None]).T @ A / len(y)
        theta = theta - np.linalg.solve(H, g)
    return theta


def states_of(history: History) -> np.ndarray:
    return np.column_stack([history.w, history.b])


@pytest.fixture
def strict():
    """Every warning, and every floating-point overflow, invalid or divide, is an error."""
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        yield


# --- TrainConfig ---------------------------------------------------------------------


def test_config_defaults_and_normalised_values():
    config = TrainConfig()
    assert config.mode == "stochastic" and config.batch_size == 8
    assert config.shuffle is False and config.seed == 0
    assert (config.w0, config.b0) == ((0.0, 0.0), 0.0)
    config = TrainConfig(
        init="custom", learning_rate=1, epochs=np.int64(3), w0=np.array([1, 2]), b0=np.float32(1)
    )
    assert config.learning_rate == 1.0 and isinstance(config.learning_rate, float)
    assert config.epochs == 3 and type(config.epochs) is int
    assert config.w0 == (1.0, 2.0) and isinstance(config.w0, tuple)
    assert config == TrainConfig(init="custom", learning_rate=1.0, epochs=3, w0=(1.0, 2.0), b0=1.0)
    assert TrainConfig(init="custom", learning_rate=100, w0=(-1e4, 1e4), b0=1e4).b0 == 1e4


INVALID_FIELDS = [
    ("learning_rate", 0),
    ("learning_rate", -0.1),
    ("learning_rate", 100.01),
    ("learning_rate", math.nan),
    ("learning_rate", math.inf),
    ("learning_rate", True),
    ("learning_rate", "0.1"),
    ("learning_rate", None),
    ("epochs", 0),
    ("epochs", MAX_EPOCHS + 1),
    ("epochs", 2.0),
    ("epochs", math.nan),
    ("epochs", True),
    ("epochs", "5"),
    ("mode", "sgd"),
    ("mode", "Batch"),
    ("mode", 1),
    ("mode", None),
    ("batch_size", 0),
    ("batch_size", -3),
    ("batch_size", 4.0),
    ("batch_size", math.inf),
    ("batch_size", False),
    ("shuffle", 1),
    ("shuffle", "yes"),
    ("shuffle", None),
    ("seed", -1),
    ("seed", 1.5),
    ("seed", True),
    ("seed", "7"),
    ("init", "ones"),
    ("init", None),
    ("init_seed", -1),
    ("init_seed", 2**32),
    ("w0", (math.nan, 0.0)),
    ("w0", (0.0, math.inf)),
    ("w0", (1e4 + 1, 0.0)),
    ("w0", (1.0, 2.0, 3.0)),
    ("w0", (True, 0.0)),
    ("w0", "ab"),
    ("w0", 5.0),
    ("w0", None),
    ("b0", math.nan),
    ("b0", -math.inf),
    ("b0", -1e4 - 1),
    ("b0", True),
    ("b0", "0"),
    ("b0", None),
]


@pytest.mark.parametrize(("field", "value"), INVALID_FIELDS)
def test_invalid_config_field_is_named(field, value):
    with pytest.raises(ValueError, match=f"^{field} must") as caught:
        TrainConfig(**{field: value})
    assert caught.value.args[0].endswith(f"got {value!r}")


def test_learning_rate_message_reads_plainly():
    with pytest.raises(ValueError) as caught:
        TrainConfig(learning_rate=math.nan)
    assert str(caught.value) == "learning_rate must be a number from 0.001 to 100, got nan"


def test_config_is_frozen():
    with pytest.raises(AttributeError):
        TrainConfig().learning_rate = 1.0


# --- run size ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "batch_size", "n", "per_epoch"),
    [
        ("stochastic", 8, 10, 10),
        ("batch", 8, 10, 1),
        ("minibatch", 4, 10, 3),
        ("minibatch", 5, 10, 2),
        ("minibatch", 10, 10, 1),
        ("minibatch", 50, 10, 1),
        ("minibatch", 1, 10, 10),
        ("stochastic", 8, 0, 0),
        ("batch", 8, 0, 0),
        ("minibatch", 8, 0, 0),
    ],
)
def test_run_size(mode, batch_size, n, per_epoch):
    config = TrainConfig(mode=mode, batch_size=batch_size, epochs=7)
    assert updates_per_epoch(n, config) == per_epoch
    assert count_updates(n, config) == 7 * per_epoch


@pytest.mark.parametrize("n", [-1, 2.0, True, None])
def test_run_size_needs_a_count(n):
    with pytest.raises(ValueError, match=r"^n must"):
        updates_per_epoch(n, TrainConfig())


# --- stochastic mode: the lecture's loop ---------------------------------------------


@pytest.mark.parametrize("shuffle", [False, True])
def test_stochastic_equals_the_hand_written_loop_exactly(shuffle):
    X, y = blobs(seed=1, n=37)
    config = TrainConfig(
        init="custom", learning_rate=0.7, epochs=6, w0=(0.3, -1.2), b0=0.4, shuffle=shuffle, seed=11
    )
    history = train(X, y, config)
    states, grads = hand_loop(X, y, 0.7, 6, (0.3, -1.2), 0.4, shuffle=shuffle, seed=11)
    assert_array_equal(states_of(history), states)
    assert_array_equal(history.grad_w, grads[:, :2])
    assert_array_equal(history.grad_b, grads[:, 2])
    assert_array_equal(history.point, grads[:, 3].astype(int))
    assert_array_equal(history.epoch, np.repeat(np.arange(1, 7), 37))


def test_stochastic_equals_the_loop_in_the_tails():
    # Saturated points (z far beyond ±40) and a big learning rate take every branch.
    X, y = blobs(seed=2, n=12, spread=3.0)
    X = X * 50
    config = TrainConfig(init="custom", learning_rate=100, epochs=4, w0=(3.0, -2.0), b0=-5.0)
    states, _ = hand_loop(X, y, 100.0, 4, (3.0, -2.0), -5.0)
    assert_array_equal(states_of(train(X, y, config)), states)


def test_minibatch_of_one_point_is_the_stochastic_loop():
    X, y = blobs(seed=3, n=21)
    common = {"learning_rate": 0.5, "epochs": 3, "shuffle": True, "seed": 5}
    one = train(X, y, TrainConfig(mode="minibatch", batch_size=1, **common))
    stochastic = train(X, y, TrainConfig(mode="stochastic", **common))
    assert_array_equal(states_of(one), states_of(stochastic))
    assert_array_equal(one.grad_w, stochastic.grad_w)
    assert_array_equal(one.point, np.full(63, -1))


# --- batch and minibatch -------------------------------------------------------------


def test_batch_descent_reaches_the_newton_optimum():
    X, y = blobs(seed=4, n=80)
    optimum = newton_optimum(X, y)
    history = train(X, y, TrainConfig(mode="batch", learning_rate=3.0, epochs=4000))
    assert_allclose(states_of(history)[-1], optimum, atol=1e-7)
    final_gradient = gradient(history.w[-1], history.b[-1], X, y)
    assert_allclose([*final_gradient[0], final_gradient[1]], 0.0, atol=1e-8)


def test_batch_gradients_are_the_model_gradient_at_the_previous_state():
    X, y = blobs(seed=5, n=50)
    history = train(X, y, TrainConfig(mode="batch", learning_rate=0.8, epochs=30))
    for k in range(1, 31):
        dL_dw, dL_db = gradient(history.w[k - 1], history.b[k - 1], X, y)
        assert_allclose(history.grad_w[k - 1], dL_dw, rtol=1e-13, atol=1e-16)
        assert history.grad_b[k - 1] == pytest.approx(dL_db, rel=1e-13, abs=1e-16)
        assert_allclose(history.w[k], history.w[k - 1] - 0.8 * dL_dw, rtol=1e-13)


@pytest.mark.parametrize(
    ("n", "batch_size", "shuffle"),
    [
        (40, 1, False),
        (40, 3, True),
        (40, 8, False),
        (40, 8, True),
        (70, 32, True),  # the largest batch looped on plain floats
        (70, 33, True),  # the smallest batch done with numpy
        (70, 50, False),
        (120, 45, True),
    ],
)
def test_minibatch_matches_an_independent_reference(n, batch_size, shuffle):
    X, y = blobs(seed=6, n=n)
    config = TrainConfig(
        mode="minibatch", batch_size=batch_size, shuffle=shuffle, seed=9, learning_rate=0.6
    )
    history = train(X, y, config)
    expected = reference_batches(X, y, 0.6, 20, batch_size, shuffle=shuffle, seed=9)
    assert_allclose(states_of(history), expected, rtol=1e-11, atol=1e-13)
    assert history.n_updates == 20 * math.ceil(n / batch_size)


@pytest.mark.parametrize(("n", "shuffle"), [(30, False), (30, True), (90, False), (90, True)])
def test_minibatch_at_least_n_is_batch(n, shuffle):
    X, y = blobs(seed=7, n=n)
    common = {"learning_rate": 0.9, "epochs": 15, "shuffle": shuffle, "seed": 3}
    batch = train(X, y, TrainConfig(mode="batch", **common))
    for batch_size in (n, n + 1, MAX_POINTS):
        mini = train(X, y, TrainConfig(mode="minibatch", batch_size=batch_size, **common))
        assert_array_equal(states_of(mini), states_of(batch))
        assert_array_equal(mini.grad_w, batch.grad_w)


def test_last_minibatch_of_an_epoch_is_smaller():
    X, y = blobs(seed=8, n=10)
    history = train(X, y, TrainConfig(mode="minibatch", batch_size=4, epochs=2))
    assert [len(history.points_used(k)) for k in range(1, 7)] == [4, 4, 2, 4, 4, 2]
    assert_array_equal(history.points_used(3), [8, 9])
    assert_array_equal(history.epoch, [1, 1, 1, 2, 2, 2])


# --- shuffling and points_used -------------------------------------------------------


def test_shuffle_reproduces_with_its_seed_and_differs_across_seeds():
    X, y = blobs(seed=9, n=30)
    first, again, other = (
        train(X, y, TrainConfig(shuffle=True, seed=seed, epochs=3)) for seed in (0, 0, 1)
    )
    assert_array_equal(states_of(first), states_of(again))
    assert_array_equal(first.point, again.point)
    assert not np.array_equal(first.point, other.point)
    assert not np.array_equal(states_of(first), states_of(other))
    epochs = first.point.reshape(3, 30)
    assert not np.array_equal(epochs[0], epochs[1])
    for order in epochs:
        assert sorted(order) == list(range(30))


@pytest.mark.parametrize(
    ("mode", "batch_size", "shuffle"),
    [
        ("stochastic", 8, False),
        ("stochastic", 8, True),
        ("batch", 8, True),
        ("minibatch", 7, False),
        ("minibatch", 7, True),
        ("minibatch", 40, True),
    ],
)
def test_points_used_are_the_points_each_update_used(mode, batch_size, shuffle):
    X, y = blobs(seed=10, n=50)
    config = TrainConfig(mode=mode, batch_size=batch_size, shuffle=shuffle, seed=4, epochs=3)
    history = train(X, y, config)
    per_epoch = updates_per_epoch(50, config)
    for k in range(1, history.n_updates + 1):
        rows = history.points_used(k)
        dL_dw, dL_db = gradient(history.w[k - 1], history.b[k - 1], X[rows], y[rows])
        assert_allclose(history.grad_w[k - 1], dL_dw, rtol=1e-12, atol=1e-15)
        assert history.grad_b[k - 1] == pytest.approx(dL_db, rel=1e-12, abs=1e-15)
        if mode == "stochastic":
            assert_array_equal(rows, [history.point[k - 1]])
    for epoch in range(3):
        ks = range(epoch * per_epoch + 1, (epoch + 1) * per_epoch + 1)
        visited = np.concatenate([history.points_used(k) for k in ks])
        assert sorted(visited) == list(range(50))
        expected = visiting_order(50, 4, epoch + 1, shuffle and mode != "batch")
        assert_array_equal(visited, expected)


@pytest.mark.parametrize("k", [0, -1, 11, 2.0, True])
def test_points_used_rejects_a_bad_step(k):
    X, y = blobs(seed=11, n=10)
    with pytest.raises(ValueError, match=r"^k must"):
        train(X, y, TrainConfig(epochs=1)).points_used(k)


# --- the recorded loss ---------------------------------------------------------------


def test_loss_is_recorded_at_every_state_of_a_small_run():
    X, y = blobs(seed=12, n=40)
    for mode in ("stochastic", "batch", "minibatch"):
        history = train(X, y, TrainConfig(mode=mode, epochs=25, learning_rate=0.5))
        assert_array_equal(history.loss_steps, np.arange(history.n_updates + 1))
        expected = [loss(history.w[k], history.b[k], X, y) for k in history.loss_steps]
        assert_allclose(history.loss, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("mode", "n", "epochs"),
    [
        ("stochastic", 2000, 50),
        ("stochastic", 400, 500),
        ("stochastic", 500, 20),
        ("minibatch", 2000, 400),
        ("batch", 2000, 500),
        ("batch", 500, 2000),
    ],
)
def test_loss_of_a_big_run_is_sampled_evenly(mode, n, epochs):
    X, y = blobs(seed=13, n=n)
    history = train(X, y, TrainConfig(mode=mode, epochs=epochs, learning_rate=0.05))
    steps, K = history.loss_steps, history.n_updates
    assert 100 <= len(steps) <= MAX_LOSS_STATES
    assert steps[0] == 0 and steps[-1] == K
    gaps = np.diff(steps)
    assert gaps.min() > 0 and gaps.max() <= 2 * gaps.min() + 1
    per_epoch = updates_per_epoch(n, history.config)
    epoch_ends = set(range(0, K + 1, per_epoch))
    if len(steps) > epochs:
        assert epoch_ends <= set(steps.tolist())
    else:
        assert set(steps.tolist()) <= epoch_ends
    some = slice(None, None, max(1, len(steps) // 40))
    expected = [loss(history.w[k], history.b[k], X, y) for k in steps[some]]
    assert_allclose(history.loss[some], expected, rtol=1e-12)


def test_loss_of_many_cheap_states_is_kept_at_every_state():
    X, y = blobs(seed=24, n=10)
    history = train(X, y, TrainConfig(epochs=500))
    assert history.n_updates + 1 > MAX_LOSS_STATES
    assert_array_equal(history.loss_steps, np.arange(history.n_updates + 1))


def test_loss_falls_over_a_batch_run():
    X, y = blobs(seed=14, n=60)
    history = train(X, y, TrainConfig(mode="batch", epochs=200, learning_rate=1.0))
    assert np.all(np.diff(history.loss) <= 1e-15)
    assert history.loss[0] == pytest.approx(math.log(2))


# --- extremes ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["stochastic", "batch", "minibatch"])
def test_extremes_are_finite_and_silent(strict, mode):
    X = np.array([[1e6, -1e6], [-1e6, 1e6], [1e6, 1e6], [-1e6, -1e6], [0.0, 0.0]] * 8)
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0] * 8)
    config = TrainConfig(
        init="custom", mode=mode, learning_rate=100, epochs=50, w0=(1e4, -1e4), b0=1e4, batch_size=3
    )
    history = train(X, y, config)
    for values in (history.w, history.b, history.grad_w, history.grad_b, history.loss):
        assert np.all(np.isfinite(values))


def test_extremes_at_the_update_limit_stay_finite(strict):
    X = np.array([[1e6, 1e6], [-1e6, 1e6]] * 10)
    y = np.array([1.0, 0.0] * 10)
    config = TrainConfig(
        init="custom", learning_rate=100, epochs=MAX_UPDATES // 20, w0=(-1e4, 1e4), b0=-1e4
    )
    history = train(X, y, config)
    assert history.n_updates == MAX_UPDATES
    assert np.all(np.isfinite(history.w)) and np.all(np.isfinite(history.loss))


@pytest.mark.parametrize("mode", ["stochastic", "batch", "minibatch"])
def test_a_single_point_is_learned(strict, mode):
    history = train([[1.0, 2.0]], [1.0], TrainConfig(mode=mode, epochs=100, learning_rate=1.0))
    assert history.n_updates == 100
    assert history.loss[-1] < 0.01
    assert predict_proba(history.w[-1], history.b[-1], np.array([[1.0, 2.0]]))[0] > 0.99


@pytest.mark.parametrize("label", [0.0, 1.0])
def test_one_class_pushes_the_boundary_away(strict, label):
    X, _ = blobs(seed=15, n=30)
    y = np.full(30, label)
    history = train(X, y, TrainConfig(mode="batch", epochs=500, learning_rate=1.0))
    assert np.all(np.diff(history.loss) < 0)
    assert history.loss[-1] < 0.01
    y_hat = predict_proba(history.w[-1], history.b[-1], X)
    assert np.all((y_hat > 0.5) == (label == 1.0))


def test_duplicate_points_count_twice():
    X, y = blobs(seed=16, n=20)
    doubled = train(np.vstack([X, X]), np.r_[y, y], TrainConfig(mode="batch", epochs=20))
    single = train(X, y, TrainConfig(mode="batch", epochs=20))
    assert_allclose(states_of(doubled), states_of(single), rtol=1e-12, atol=1e-15)


# --- data validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.zeros((0, 2)), np.zeros(0), "no points to train on"),
        (np.zeros((3, 3)), np.zeros(3), r"two coordinates each, x1 and x2; .* shape \(3, 3\)"),
        (np.zeros(4), np.zeros(2), r"two coordinates each, x1 and x2; .* shape \(4,\)"),
        (np.zeros((3, 2)), np.zeros(4), "one label per point: 4 labels for 3 points"),
        (np.zeros((3, 2)), np.zeros((3, 1)), r"one flat list, got an array of shape \(3, 1\)"),
        ([[0, 0], [1, np.nan]], [0, 1], r"point 2 is \(1, nan\); coordinates must be finite"),
        ([[0, np.inf], [1, 1]], [0, 1], r"point 1 is \(0, inf\)"),
        ([[0, 0], [1, 1], [2e6, 0]], [0, 1, 1], r"point 3 is .* within ±1,000,000"),
        ([[0, 0], [1, 1]], [0, 0.5], "point 2 has the label 0.5; labels must be 0 or 1"),
        ([[0, 0], [1, 1]], [2, 1], "point 1 has the label 2; labels must be 0 or 1"),
        ([[0, 0], [1, 1]], [0, np.nan], "point 2 has the label nan"),
        ([["a", "b"]], [0], "the coordinates must be numbers"),
        ([[0, 0], [1]], [0, 1], "not a table of numbers, two coordinates per point"),
    ],
)
def test_bad_data_is_named(X, y, message):
    with pytest.raises(ValueError, match=message):
        train(X, y, TrainConfig())


def test_point_limit_is_enforced():
    X, y = blobs(seed=17, n=MAX_POINTS + 1)
    with pytest.raises(ValueError, match="training data: 2,001 points; at most 2,000 are allowed"):
        train(X, y, TrainConfig(epochs=1))
    assert train(X[:-1], y[:-1], TrainConfig(epochs=1)).n_updates == MAX_POINTS


def test_update_limit_is_enforced():
    X, y = blobs(seed=18, n=2000)
    with pytest.raises(ValueError, match="would make 202,000 updates; the limit is 200,000"):
        train(X, y, TrainConfig(epochs=101))
    config = TrainConfig(mode="minibatch", batch_size=10, epochs=1001)
    assert count_updates(2000, config) > MAX_UPDATES
    with pytest.raises(ValueError, match="updates; the limit"):
        train(X, y, config)


def test_work_limit_is_enforced():
    X, y = blobs(seed=18, n=2000)
    epochs = MAX_WORK // 2000
    for mode in ("batch", "minibatch"):
        config = TrainConfig(mode=mode, batch_size=100, epochs=epochs + 1)
        assert max_epochs(2000, config) == epochs
        assert count_work(2000, config) > MAX_WORK
        visits = f"{(epochs + 1) * 2000:,} points \\({epochs + 1:,} epochs × 2,000"
        with pytest.raises(ValueError, match=f"visit {visits}"):
            train(X, y, config)
    config = TrainConfig(mode="batch", epochs=MAX_EPOCHS)
    few = MAX_WORK // MAX_EPOCHS  # points that may train for every epoch allowed
    assert max_epochs(few, config) == MAX_EPOCHS
    assert train(X[:few], y[:few], config).n_updates == MAX_EPOCHS


# --- the History record --------------------------------------------------------------


def test_history_shapes_and_states():
    X, y = blobs(seed=19, n=12)
    history = train(X, y, TrainConfig(init="custom", epochs=4, w0=(1.0, 2.0), b0=3.0))
    K = 48
    assert history.n_updates == K
    assert history.w.shape == (K + 1, 2) and history.b.shape == (K + 1,)
    assert history.grad_w.shape == (K, 2) and history.grad_b.shape == (K,)
    assert history.epoch.shape == history.point.shape == (K,)
    w, b = history.state(0)
    assert_array_equal(w, [1.0, 2.0]) and b == 3.0 and isinstance(b, float)
    w, b = history.state(K)
    assert_array_equal(w, history.w[-1]) and b == history.b[-1]
    w[0] = 99.0  # a copy: the record is untouched
    assert history.w[-1, 0] != 99.0
    for k in (-1, K + 1, 1.0):
        with pytest.raises(ValueError, match=r"^k must"):
            history.state(k)


def test_history_arrays_are_read_only():
    X, y = blobs(seed=20, n=12)
    for mode in ("stochastic", "batch", "minibatch"):
        history = train(X, y, TrainConfig(mode=mode, epochs=2))
        for name in ("w", "b", "grad_w", "grad_b", "epoch", "point", "loss", "loss_steps"):
            array = getattr(history, name)
            assert not array.flags.writeable, name
            with pytest.raises(ValueError, match="read-only"):
                array[0] = 1
        with pytest.raises(AttributeError):
            history.w = np.zeros((1, 2))


def test_to_frame_for_export():
    X, y = blobs(seed=21, n=5)
    history = train(X, y, TrainConfig(epochs=2))
    frame = history.to_frame()
    columns = ["step", "epoch", "w1", "w2", "b", "dL_dw1", "dL_dw2", "dL_db", "loss", "accuracy"]
    counts = ["correct_0", "wrong_0", "undecided_0", "correct_1", "wrong_1", "undecided_1"]
    assert list(frame.columns) == [*columns, *counts, "point"]
    assert len(frame) == 11
    assert_array_equal(frame["step"], np.arange(11))
    assert_array_equal(frame["epoch"], [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2])
    first = frame.iloc[0]
    assert (first["w1"], first["w2"], first["b"]) == (0.0, 0.0, 0.0)
    assert first[["dL_dw1", "dL_dw2", "dL_db"]].isna().all()
    assert pd.isna(first["point"])
    assert_array_equal(frame["point"].iloc[1:].astype(int), history.point)
    assert_array_equal(frame["dL_dw2"].iloc[1:], history.grad_w[:, 1])
    assert_array_equal(frame["b"], history.b)
    assert_allclose(frame["loss"], history.loss)


def test_to_frame_marks_missing_losses_and_drops_point_for_batches():
    X, y = blobs(seed=22, n=2000)
    batch = train(X, y, TrainConfig(mode="batch", epochs=500, learning_rate=0.1)).to_frame()
    assert "point" not in batch.columns
    assert len(batch) == 501
    assert batch["loss"].isna().any()
    assert batch["loss"].notna().sum() <= MAX_LOSS_STATES
    assert batch["loss"].iloc[[0, -1]].notna().all()


def test_inputs_are_not_changed_or_shared():
    X, y = blobs(seed=23, n=30)
    X_before, y_before = X.copy(), y.copy()
    X_list = X.tolist()
    for mode in ("stochastic", "batch", "minibatch"):
        history = train(X, y, TrainConfig(mode=mode, epochs=3, shuffle=True, seed=2))
        assert_array_equal(X, X_before)
        assert_array_equal(y, y_before)
        assert X_list == X_before.tolist()
        assert X.flags.writeable and y.flags.writeable
        for array in (history.w, history.grad_w):
            assert not np.shares_memory(array, X)


# --- a sure neuron: signs and losses against 200-digit decimals ------------------------

# Issue 11's four hand-placed points with a typed start (20, 20, 0), full batch, α = 1.
FOUR_POINTS = "v=1&lr=1&mode=batch&init=custom&w1=20&w2=20&k=20&pre=&pts=EQQ7RQYGyi0AW2gUAA"


def decimal_run(X, y, lr, epochs, w0, b0, size):
    """Unshuffled descent in 200-digit decimals: (states (K+1, 3), grads (K, 3), losses (K+1,))."""
    with localcontext() as context:
        context.prec = 200
        X = [(Decimal(a), Decimal(c)) for a, c in X.tolist()]
        y = [int(t) for t in y.tolist()]
        theta = [Decimal(w0[0]), Decimal(w0[1]), Decimal(b0)]

        def z_of(x):
            return theta[0] * x[0] + theta[1] * x[1] + theta[2]

        def mean_loss():
            # ln(1 + e^−z) for class 1, ln(1 + e^z) for class 0.
            terms = [(1 + (z_of(x) * (1 - 2 * t)).exp()).ln() for x, t in zip(X, y, strict=True)]
            return sum(terms) / len(terms)

        states, grads, losses = [list(theta)], [], [mean_loss()]
        for _ in range(epochs):
            for start in range(0, len(y), size):
                rows = range(start, min(start + size, len(y)))
                errors = [y[i] - 1 / (1 + (-z_of(X[i])).exp()) for i in rows]
                g = [
                    -sum(e * X[i][0] for e, i in zip(errors, rows, strict=True)) / len(rows),
                    -sum(e * X[i][1] for e, i in zip(errors, rows, strict=True)) / len(rows),
                    -sum(errors) / len(rows),
                ]
                theta = [p - Decimal(lr) * d for p, d in zip(theta, g, strict=True)]
                states.append(list(theta))
                grads.append(g)
                losses.append(mean_loss())
        return states, grads, losses


def assert_true_and_same_sign(values, truths, name):
    for k, (value, truth) in enumerate(zip(np.ravel(values), np.ravel(truths), strict=True)):
        assert math.copysign(1, value) == (1 if truth >= 0 else -1) or value == truth == 0, (
            f"{name}[{k}] = {value!r} has the wrong sign; true {float(truth)!r}"
        )
        if abs(truth) >= np.finfo(np.float64).tiny:
            error = abs(Decimal(float(value)) - truth) / abs(truth)
            assert error <= 1e-9, f"{name}[{k}] = {value!r}, true {float(truth)!r}"


def four_points():
    s, notes = scenario_from_params(dict(parse_qsl(FOUR_POINTS, keep_blank_values=True)))
    assert not notes
    return s


def test_the_four_point_scenario_shows_true_losses_and_signs():
    s = four_points()
    history = train(s.X, s.y, s.config)
    states, grads, losses = decimal_run(s.X, s.y, 1.0, 20, (20.0, 20.0), 0.0, len(s.y))
    # The old ln(1 + e^z) − y·z gave 3.8e-53 at every step (true 2.1e-18): a loss chart on
    # a log scale needs every loss positive, and true.
    assert np.all(history.loss > 0)
    assert_true_and_same_sign(history.loss, [losses[k] for k in history.loss_steps], "loss")
    assert_true_and_same_sign(history.grad_b, [g[2] for g in grads], "grad_b")
    assert_true_and_same_sign(history.grad_w, [g[:2] for g in grads], "grad_w")
    assert_true_and_same_sign(history.b, [t[2] for t in states], "b")
    assert history.grad_b[19] < 0 < history.b[20]  # old: +3.8e-53 and −7.7e-52


@pytest.mark.parametrize(
    ("mode", "copies"),
    [("stochastic", 1), ("minibatch", 1), ("batch", 1), ("batch", 10)],  # 40 points: numpy
)
def test_every_training_loop_keeps_true_signs_when_the_neuron_is_sure(mode, copies):
    s = four_points()
    X, y = np.tile(s.X, (copies, 1)), np.tile(s.y, copies)
    config = TrainConfig(
        init="custom", learning_rate=1.0, epochs=5, mode=mode, batch_size=3, w0=(20.0, 20.0)
    )
    history = train(X, y, config)
    size = {"stochastic": 1, "minibatch": 3, "batch": len(y)}[mode]
    states, grads, losses = decimal_run(X, y, 1.0, 5, (20.0, 20.0), 0.0, size)
    assert_true_and_same_sign(history.grad_b, [g[2] for g in grads], "grad_b")
    assert_true_and_same_sign(history.b, [t[2] for t in states], "b")
    assert_true_and_same_sign(history.loss, [losses[k] for k in history.loss_steps], "loss")
