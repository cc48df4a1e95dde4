"""The fast engines of ``perceptron.descent`` make the updates of the lecture's plain loop."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from perceptron.descent import PLAIN_FLOAT_MAX_BATCH
from perceptron.limits import MAX_ABS_INITIAL_PARAMETER, MAX_L2, MAX_POINTS, MIN_LEARNING_RATE
from perceptron.stepsize import step_bound
from perceptron.training import TrainConfig, descend_plainly, train

BATCH_SIZES = [1, 2, 3, PLAIN_FLOAT_MAX_BATCH, PLAIN_FLOAT_MAX_BATCH + 1, 100, MAX_POINTS]


def _config(draw, learning_rate: float, losses=("log", "squared")) -> TrainConfig:
    return TrainConfig(
        init="custom",
        learning_rate=learning_rate,
        epochs=draw(st.integers(1, 6)),
        mode=draw(st.sampled_from(["stochastic", "batch", "minibatch"])),
        batch_size=draw(st.sampled_from(BATCH_SIZES)),
        shuffle=draw(st.booleans()),
        seed=draw(st.integers(0, 1000)),
        w0=(draw(st.floats(-3, 3)), draw(st.floats(-3, 3))),
        b0=draw(st.floats(-3, 3)),
        loss=draw(st.sampled_from(losses)),
        l2=draw(st.sampled_from([0.0, 1e-3, MAX_L2])),
    )


def _points(draw, most: int = 130):
    n = draw(st.integers(1, most))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.normal(0.0, draw(st.sampled_from([0.1, 1.0, 2.0, 10.0])), (n, 2))
    y = (rng.random(n) < draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))).astype(float)
    return X, y


@st.composite
def runs_below_the_bound(draw):
    """Random points, labels and settings of the log loss, α a fraction of the step bound.

    There no step's Jacobian I − α·H stretches a difference (its eigenvalues lie in
    [−1, 1]), so the rounding of two summation orders (1e-16 a step) stays small over a
    whole run. Above the bound, and for squared error at any α (its curvature is negative
    on plateaus, 1 − α·H > 1 there), a run can amplify it step after step: those runs are
    compared update by update in
    ``test_every_update_is_the_plain_update_from_where_it_started``.
    """
    X, y = _points(draw)
    config = _config(draw, 1.0, losses=("log",))
    fraction = draw(st.sampled_from([0.01, 0.1, 0.5, 0.95]))
    bound = step_bound(X, config).alpha
    learning_rate = max(fraction * bound, MIN_LEARNING_RATE)
    assume(learning_rate < bound)
    return X, y, replace(config, learning_rate=learning_rate)


@st.composite
def runs_at_any_rate(draw):
    """Random points and settings at learning rates up to far beyond the bound."""
    X, y = _points(draw, most=40)
    return X, y, _config(draw, draw(st.sampled_from([0.01, 1.0, 5.0, 10.0, 100.0])))


def assert_same_run(X, y, config):
    history = train(X, y, config)
    w, b, grad_w, grad_b = descend_plainly(X, y, config)
    for fast, plain in ((history.w, w), (history.b, b), (history.grad_w, grad_w)):
        assert_allclose(fast, plain, rtol=1e-12, atol=1e-12)
    assert_allclose(history.grad_b, grad_b, rtol=1e-12, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(runs_below_the_bound())
def test_fast_engines_equal_the_plain_loop(run):
    assert_same_run(*run)


@settings(max_examples=60, deadline=None)
@given(runs_at_any_rate())
def test_every_update_is_the_plain_update_from_where_it_started(run):
    """From each state the fast engine reached, the plain loop's one update on the same
    points gives the same gradient and the same next state."""
    X, y, config = run
    history = train(X, y, config)
    for k in range(1, history.n_updates + 1):
        rows = history.points_used(k)
        w, b = history.w[k - 1], history.b[k - 1]
        if max(abs(w).max(), abs(b)) > MAX_ABS_INITIAL_PARAMETER:
            break  # beyond where a run may start: the plain loop cannot be started there
        one = replace(config, mode="batch", epochs=1, shuffle=False, w0=tuple(w), b0=float(b))
        ws, bs, grad_w, grad_b = descend_plainly(X[rows], y[rows], one)
        assert_allclose(history.grad_w[k - 1], grad_w[0], rtol=1e-12, atol=1e-12)
        assert_allclose(history.grad_b[k - 1], grad_b[0], rtol=1e-12, atol=1e-12)
        assert_allclose(history.w[k], ws[1], rtol=1e-12, atol=1e-12)
        assert_allclose(history.b[k], bs[1], rtol=1e-12, atol=1e-12)


OBJECTIVES = [("log", 0.0), ("squared", 0.0), ("log", 0.01), ("squared", MAX_L2)]


@pytest.mark.parametrize(("loss", "l2"), OBJECTIVES)
def test_each_engine_equals_the_plain_loop_on_a_long_run(loss, l2):
    rng = np.random.default_rng(5)
    X, y = rng.normal(0.0, 1.0, (300, 2)), (rng.random(300) < 0.5).astype(float)
    for size in BATCH_SIZES:
        for shuffle in (False, True):
            config = TrainConfig(
                mode="minibatch", batch_size=size, epochs=20, shuffle=shuffle, seed=3,
                loss=loss, l2=l2, learning_rate=2.0,
            )  # fmt: skip
            assert_same_run(X, y, config)
    assert_same_run(X, y, TrainConfig(mode="stochastic", epochs=5, loss=loss, l2=l2))


@pytest.mark.parametrize(("loss", "l2"), OBJECTIVES)
def test_plain_float_batches_are_the_stochastic_loop_bit_for_bit(loss, l2):
    rng = np.random.default_rng(6)
    X, y = rng.normal(0.0, 2.0, (40, 2)), (rng.random(40) < 0.5).astype(float)
    common = {
        "learning_rate": 3.0,
        "epochs": 10,
        "shuffle": True,
        "seed": 1,
        "loss": loss,
        "l2": l2,
    }
    one = train(X, y, TrainConfig(mode="minibatch", batch_size=1, **common))
    per_point = train(X, y, TrainConfig(mode="stochastic", **common))
    assert_array_equal(one.w, per_point.w)
    assert_array_equal(one.grad_b, per_point.grad_b)
