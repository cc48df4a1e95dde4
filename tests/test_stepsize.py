"""Step-size bounds against the Hessian computed numerically, and descent below them
checked against the objective itself (never against the module's own loss code)."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from perceptron.datasets import make_dataset
from perceptron.limits import MAX_L2, MAX_LEARNING_RATE, MIN_LEARNING_RATE
from perceptron.model import gradient, objective, point_losses
from perceptron.stepsize import (
    LOG_MAX_CURVATURE,
    SQUARED_MAX_CURVATURE,
    SQUARED_MIN_CURVATURE,
    batch_bound,
    batches_bounds,
    bound_sentence,
    curvature_matrix,
    point_bounds,
    rounded_down,
    step_bound,
)
from perceptron.training import TrainConfig, train
from perceptron.uphill import loss_rises, recent_rises


def numeric_hessian(theta, X, y, kind="log", l2=0.0, h=1e-5) -> np.ndarray:
    """∂²J/∂θ² by central differences of ``model.gradient``, ``(3, 3)``, symmetrised."""

    def grad(t):
        g_w, g_b = gradient(t[:2], t[2], X, y, kind, l2)
        return np.append(g_w, g_b)

    H = np.array([(grad(theta + e) - grad(theta - e)) / (2 * h) for e in np.eye(3) * h])
    return (H + H.T) / 2


def objectives(history, X, y) -> np.ndarray:
    """J at every state of a run, from ``model.objective``."""
    config = history.config
    return np.array(
        [
            objective(w, b, X, y, config.loss, config.l2)
            for w, b in zip(history.w, history.b, strict=True)
        ]
    )


@st.composite
def point_sets(draw, max_n=40):
    n = draw(st.integers(1, max_n))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.3, 1.0, 2.5, 5.0]))
    shift = draw(st.sampled_from([0.0, 1.0, -3.0]))
    X = np.round(rng.normal(shift, scale, (n, 2)), 3)
    y = (rng.random(n) < draw(st.sampled_from([0.1, 0.5, 0.9]))).astype(float)
    return X, y


# --- the bound is the curvature at w = 0, b = 0 ------------------------------------------


@settings(max_examples=80, deadline=None)
@given(point_sets(), st.sampled_from([0.0, 0.004, MAX_L2]))
def test_the_batch_bound_is_two_over_the_largest_curvature_at_the_origin(points, l2):
    X, y = points
    H = numeric_hessian(np.zeros(3), X, y, "log", l2)
    assert batch_bound(X, "log", l2) == pytest.approx(2 / np.linalg.eigvalsh(H)[-1], rel=1e-6)
    if not l2:  # 8n / λmax(X̃ᵀX̃), written out independently
        A = np.column_stack([X, np.ones(len(X))])
        assert batch_bound(X) == pytest.approx(8 * len(X) / np.linalg.eigvalsh(A.T @ A)[-1])


@settings(max_examples=60, deadline=None)
@given(
    point_sets(max_n=15),
    st.sampled_from(["log", "squared"]),
    st.sampled_from([0.0, MAX_L2]),
    st.lists(st.floats(-4, 4), min_size=3, max_size=3),
)
def test_no_hessian_anywhere_curves_more_than_the_bound(points, kind, l2, theta):
    X, y = points
    H = numeric_hessian(np.array(theta), X, y, kind, l2)
    B = curvature_matrix(X, kind, l2)
    # B − H is positive semi-definite: no direction curves more than B says.
    assert np.linalg.eigvalsh(B - H)[0] >= -1e-6 * np.linalg.eigvalsh(B)[-1]


def test_squared_errors_curvature_lies_between_its_two_constants():
    """d²/dz² of ½(σ(z) − y)² by finite differences of the textbook loss on a fine grid."""
    z, h = np.linspace(-12, 12, 24_001), 1e-4

    def L(v):
        return 0.5 * (1 / (1 + np.exp(-v))) ** 2  # y = 0; y = 1 is its mirror image

    curvature = (L(z + h) - 2 * L(z) + L(z - h)) / h**2
    assert curvature.max() == pytest.approx(SQUARED_MAX_CURVATURE, rel=1e-6)
    assert curvature.min() == pytest.approx(SQUARED_MIN_CURVATURE, rel=1e-6)
    assert round(SQUARED_MAX_CURVATURE, 7) == 0.0770293
    assert LOG_MAX_CURVATURE == 0.25


@settings(max_examples=40, deadline=None)
@given(point_sets(), st.sampled_from(["log", "squared"]), st.sampled_from([0.0, 0.01]))
def test_per_point_and_batch_bounds_follow_from_the_same_curvature(points, kind, l2):
    X, _ = points
    bounds = point_bounds(X, kind, l2)
    for i in range(min(len(X), 5)):
        assert bounds[i] == pytest.approx(batch_bound(X[i : i + 1], kind, l2), rel=1e-12)
    if not l2 and kind == "log":
        assert_allclose(bounds, 8 / (X[:, 0] ** 2 + X[:, 1] ** 2 + 1), rtol=1e-12)
    rows = [np.arange(len(X)), np.arange(len(X))[::2]]
    assert_allclose(batches_bounds(X, rows, kind, l2)[0], batch_bound(X, kind, l2), rtol=1e-12)
    # No batch's bound is below the smallest point's: that one is safe for any batch.
    assert batches_bounds(X, rows, kind, l2).min() >= bounds.min() * (1 - 1e-12)


# --- below the bound, batch descent never goes uphill ----------------------------------


@settings(max_examples=120, deadline=None)
@given(
    point_sets(),
    st.sampled_from(["log", "squared"]),
    st.sampled_from([0.0, 0.002, MAX_L2]),
    st.floats(0.05, 0.999),
    st.sampled_from(["zeros", "random"]),
)
def test_batch_descent_below_the_bound_never_raises_the_loss(points, kind, l2, share, init):
    X, y = points
    rate = share * batch_bound(X, kind, l2)
    assume(MIN_LEARNING_RATE <= rate <= MAX_LEARNING_RATE)
    config = TrainConfig(
        mode="batch", learning_rate=rate, epochs=60, loss=kind, l2=l2, init=init, init_seed=3
    )
    history = train(X, y, config)
    J = objectives(history, X, y)
    assert np.all(np.diff(J) <= 1e-12 * np.abs(J[:-1]) + 1e-300)
    assert len(loss_rises(history)) == 0


def test_just_above_the_bound_the_log_loss_goes_up_and_just_below_it_does_not():
    """Both classes at the same two places: the best boundary is w = 0, b = 0, where the
    loss curves exactly as much as the bound allows for. Started a little off it, α 5 %
    above the bound bounces further away at every step; 5 % below, it settles."""
    X = np.array([[2.0, 1.0], [2.0, 1.0], [-1.0, 0.5], [-1.0, 0.5]])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    bound = batch_bound(X)
    start = {"init": "custom", "w0": (0.05, 0.02), "b0": 0.01, "mode": "batch", "epochs": 40}
    above = train(X, y, TrainConfig(learning_rate=1.05 * bound, **start))
    below = train(X, y, TrainConfig(learning_rate=0.95 * bound, **start))
    assert np.all(np.diff(objectives(above, X, y)[:20]) > 0)
    assert np.all(np.diff(objectives(below, X, y)) <= 0)
    rises = loss_rises(above)
    assert rises.steps[0] == 1 and rises.rise(0).above_bound and rises.rise(0).overshot
    assert len(loss_rises(below)) == 0


# --- per point: its own loss, and the mean --------------------------------------------


@settings(max_examples=60, deadline=None)
@given(point_sets(), st.sampled_from(["log", "squared"]), st.floats(0.001, 100.0))
def test_a_points_own_loss_never_rises_from_its_own_step_without_l2(points, kind, rate):
    X, y = points
    history = train(X, y, TrainConfig(learning_rate=rate, epochs=3, loss=kind))
    for k in range(1, history.n_updates + 1):
        i = history.point[k - 1]
        before = point_losses(history.w[k - 1], history.b[k - 1], X[i : i + 1], y[i : i + 1], kind)
        after = point_losses(history.w[k], history.b[k], X[i : i + 1], y[i : i + 1], kind)
        assert after[0] <= before[0] * (1 + 1e-12) + 1e-300


def test_with_l2_a_point_step_below_its_bound_keeps_its_own_J_falling():
    X, y = make_dataset("overlapping", n=30, seed=1)
    bound = point_bounds(X, "log", MAX_L2).min()
    history = train(X, y, TrainConfig(learning_rate=0.9 * bound, epochs=5, l2=MAX_L2))
    for k in range(1, history.n_updates + 1):
        i = history.point[k - 1]
        J = [
            objective(history.w[s], history.b[s], X[i : i + 1], y[i : i + 1], "log", MAX_L2)
            for s in (k - 1, k)
        ]
        assert J[1] <= J[0] * (1 + 1e-12)


def test_loss_rises_are_exactly_the_updates_after_which_J_went_up():
    X, y = make_dataset("overlapping", n=40, seed=0)
    for config in (
        TrainConfig(mode="batch", learning_rate=30.0, epochs=60),
        TrainConfig(learning_rate=3.0, epochs=4, l2=0.01),
        TrainConfig(mode="minibatch", batch_size=6, learning_rate=5.0, epochs=8, loss="squared"),
    ):
        history = train(X, y, config)
        J = objectives(history, X, y)
        expected = np.flatnonzero(J[1:] - J[:-1] > 1e-9 * np.abs(J[:-1])) + 1
        rises = loss_rises(history)
        np.testing.assert_array_equal(rises.steps, expected)
        assert_allclose(rises.before, J[expected - 1], rtol=1e-12)
        assert_allclose(rises.after, J[expected], rtol=1e-12)
        assert len(rises) > 0


def test_a_rise_says_whether_the_step_overshot_or_pulled_against_the_others():
    X, y = make_dataset("overlapping", n=40, seed=0)
    history = train(X, y, TrainConfig(learning_rate=3.0, epochs=4))
    rises = loss_rises(history)
    assert rises.downhill.any() and not rises.downhill.all()
    for i in range(len(rises)):
        k = int(rises.steps[i])
        g_w, g_b = gradient(history.w[k - 1], history.b[k - 1], X, y)
        along = g_w @ history.grad_w[k - 1] + g_b * history.grad_b[k - 1]
        assert rises.downhill[i] == (along > 0)
        rise = rises.rise(i)
        point = int(history.point[k - 1])
        assert rise.rows.tolist() == [point]
        assert rise.bound == pytest.approx(8 / (X[point] @ X[point] + 1))
        assert f"point {point + 1}" in rise.sentence()
        assert ("overshot" in rise.sentence()) == rise.overshot
        own = point_losses(history.w[k - 1], history.b[k - 1], X[[point]], y[[point]])[0]
        assert rise.own_before == pytest.approx(own, rel=1e-12)


def test_rises_can_be_looked_up_by_step_and_in_a_window():
    X, y = make_dataset("overlapping", n=40, seed=0)
    history = train(X, y, TrainConfig(mode="batch", learning_rate=30.0, epochs=60))
    rises = loss_rises(history)
    k = int(rises.steps[3])
    assert rises.at(k).step == k and rises.at(k + 0) is not None
    assert rises.latest(k).step == k and rises.count_until(k) == 4
    quiet = next(s for s in range(k, 61) if s not in set(rises.steps.tolist()))
    assert rises.at(quiet) is None
    assert rises.latest(quiet).step == rises.steps[rises.steps < quiet][-1]
    window = recent_rises(history, 50, work=40 * 10)
    assert (window.first, window.last) == (42, 50)
    np.testing.assert_array_equal(
        window.steps, rises.steps[(rises.steps >= 42) & (rises.steps <= 50)]
    )
    with pytest.raises(ValueError, match="k must be"):
        recent_rises(history, 0)


def test_a_full_batch_rise_reads_plainly():
    X, y = make_dataset("overlapping", n=40, seed=0)
    history = train(X, y, TrainConfig(mode="batch", learning_rate=30.0, epochs=60))
    rise = loss_rises(history).rise(0)
    text = rise.sentence()
    assert f"At step {rise.step}" in text and "the loss went up" in text and "overshot" in text
    assert "α = 30 is above" in text and rounded_down(rise.bound) in text


# --- the bound in words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [(3.27, "3.2"), (0.0419, "0.041"), (25.96, "25"), (1234.0, "1,200"), (0.3, "0.3"), (2.0, "2")],
)
def test_the_bound_is_shown_rounded_down(value, shown):
    assert rounded_down(value) == shown
    assert float(shown.replace(",", "")) <= value


def test_the_sentences_say_the_bound_and_where_alpha_stands():
    X, _ = make_dataset("separable", n=20, seed=0)
    batch = step_bound(X, TrainConfig(mode="batch"))
    assert batch.alpha == pytest.approx(batch_bound(X)) and batch.exact
    assert (
        batch.headline()
        == f"Steps up to α = {rounded_down(batch.alpha)} are guaranteed to go downhill here."
    )
    assert "8n / λmax(X̃ᵀX̃) = 8·20" in batch.formula
    assert "below it: every step lowers the loss" in bound_sentence(X, TrainConfig(mode="batch"))
    assert "above it" in bound_sentence(X, TrainConfig(mode="batch", learning_rate=10.0))
    per_point = step_bound(X, TrainConfig())
    assert per_point.alpha == pytest.approx(point_bounds(X).min())
    assert (
        "at any α" in per_point.sentence()
        and f"point {per_point.point + 1}" in per_point.sentence()
    )
    squared = step_bound(X, TrainConfig(mode="batch", loss="squared"))
    assert not squared.exact and "safe limits, not exact ones" in squared.sentence()
    assert squared.alpha == pytest.approx(
        batch_bound(X) * LOG_MAX_CURVATURE / SQUARED_MAX_CURVATURE
    )
    regularised = step_bound(X, TrainConfig(mode="batch", l2=MAX_L2))
    assert regularised.alpha < batch.alpha and "λ = 0.02 included" in regularised.sentence()
    everything = step_bound(X, TrainConfig(mode="minibatch", batch_size=20))
    assert everything.mode == "batch" and everything.alpha == batch.alpha
    with pytest.raises(ValueError, match="at least one point"):
        step_bound(np.zeros((0, 2)), TrainConfig())
    assert math.isfinite(step_bound(np.zeros((1, 2)), TrainConfig()).alpha)
