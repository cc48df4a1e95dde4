"""The fast engines of ``perceptron.descent`` make the updates of the lecture's plain loop."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from perceptron.descent import PLAIN_FLOAT_MAX_BATCH
from perceptron.limits import MAX_L2, MAX_POINTS
from perceptron.training import TrainConfig, descend_plainly, train

BATCH_SIZES = [1, 2, 3, PLAIN_FLOAT_MAX_BATCH, PLAIN_FLOAT_MAX_BATCH + 1, 100, MAX_POINTS]


@st.composite
def runs(draw):
    """Random points, labels and settings of ordinary runs, small enough for the plain loop.

    Ordinary: α·scale² ≤ 5, so steps do not amplify rounding differences between two
    orders of summation (in a run that overshoots by factors of 25, 1e-16 grows to 1e-12).
    """
    n = draw(st.integers(1, 130))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.1, 1.0, 2.0, 10.0]))
    X = rng.normal(0.0, scale, (n, 2))
    y = (rng.random(n) < draw(st.sampled_from([0.0, 0.3, 0.5, 1.0]))).astype(float)
    learning_rate = draw(st.sampled_from([0.01, 0.1, 1.0, 5.0]))
    assume(learning_rate * scale**2 <= 5.0)
    config = TrainConfig(
        init="custom",
        learning_rate=learning_rate,
        epochs=draw(st.integers(1, 6)),
        mode=draw(st.sampled_from(["stochastic", "batch", "minibatch"])),
        batch_size=draw(st.sampled_from(BATCH_SIZES)),
        shuffle=draw(st.booleans()),
        seed=draw(st.integers(0, 1000)),
        w0=(draw(st.floats(-3, 3)), draw(st.floats(-3, 3))),
        b0=draw(st.floats(-3, 3)),
        loss=draw(st.sampled_from(["log", "squared"])),
        l2=draw(st.sampled_from([0.0, 1e-3, MAX_L2])),
    )
    return X, y, config


def assert_same_run(X, y, config):
    history = train(X, y, config)
    w, b, grad_w, grad_b = descend_plainly(X, y, config)
    for fast, plain in ((history.w, w), (history.b, b), (history.grad_w, grad_w)):
        assert_allclose(fast, plain, rtol=1e-12, atol=1e-12)
    assert_allclose(history.grad_b, grad_b, rtol=1e-12, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(runs())
def test_fast_engines_equal_the_plain_loop(run):
    assert_same_run(*run)


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
