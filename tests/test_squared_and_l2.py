"""Squared error and L2 regularisation against independent references: textbook formulas,
finite differences of the losses themselves, exact decimals for sure points, and
scikit-learn's regularised optimum. Each check is shown to fail on a wrong sign or a
missing factor."""

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from perceptron.datasets import make_dataset
from perceptron.gradcheck import numerical_derivatives
from perceptron.limits import MAX_L2
from perceptron.model import (
    d2L_dt2,
    dL_dt,
    dL_dz_from_logit,
    gradient,
    loss,
    objective,
    penalty,
    penalty_gradient,
    point_derivatives,
    point_losses,
    squared_slope_float,
)
from perceptron.stepsize import batch_bound
from perceptron.training import TrainConfig, descend_plainly, train


def textbook_sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def textbook_squared(y: float, y_hat: float) -> float:
    return 0.5 * (y_hat - y) ** 2


def central(f, p: float, h: float = 1e-6) -> float:
    return (f(p + h) - f(p - h)) / (2 * h)


DIGITS = 80


def exact_J(theta, x, y: float, kind: str, l2: float) -> Decimal:
    """A point's J = L + (λ/2)(w1² + w2²) in 80-digit decimals, from the textbook formulas."""
    w1, w2, b = (v if isinstance(v, Decimal) else Decimal(float(v)) for v in theta)
    z = w1 * Decimal(float(x[0])) + w2 * Decimal(float(x[1])) + b
    y_hat = 1 / (1 + (-z).exp())
    one_minus = 1 / (1 + z.exp())  # 1 − ŷ, computed apart: 80 digits hold either way
    if kind == "squared":
        L = (y_hat - Decimal(y)) ** 2 / 2
    else:
        L = -(y_hat.ln() if y == 1 else one_minus.ln())
    return L + Decimal(l2) / 2 * (w1 * w1 + w2 * w2)


def exact_slope(theta, x, y: float, kind: str, l2: float, j: int) -> float:
    """∂J/∂θj by a central difference with step 1e−30 in 80-digit decimals: good to ~1e−50."""
    with localcontext() as context:
        context.prec = DIGITS
        h = Decimal("1e-30")
        up, down = list(map(Decimal, map(float, theta))), list(map(Decimal, map(float, theta)))
        up[j] += h
        down[j] -= h
        return float((exact_J(up, x, y, kind, l2) - exact_J(down, x, y, kind, l2)) / (2 * h))


def objective_of(theta, X, y, kind, l2):
    return objective(theta[:2], theta[2], X, y, kind, l2)


def numeric_gradient(theta, X, y, kind, l2, h=1e-6):
    return np.array(
        [
            (objective_of(theta + s, X, y, kind, l2) - objective_of(theta - s, X, y, kind, l2))
            / (2 * h)
            for s in np.eye(3) * h
        ]
    )


# --- squared error, the loss and its slope ----------------------------------------------


def test_squared_loss_matches_the_textbook_formula():
    rng = np.random.default_rng(1)
    for _ in range(40):
        n = int(rng.integers(1, 30))
        X, y = rng.uniform(-4, 4, (n, 2)), (rng.random(n) < 0.5).astype(float)
        w, b = rng.uniform(-2, 2, 2), float(rng.uniform(-2, 2))
        y_hat = [textbook_sigmoid(v) for v in X @ w + b]
        expected = [textbook_squared(t, p) for t, p in zip(y, y_hat, strict=True)]
        # The textbook ŷ − y loses digits by subtraction where ŷ is near y: hence 1e-8.
        assert_allclose(point_losses(w, b, X, y, "squared"), expected, rtol=1e-8, atol=1e-300)
        assert loss(w, b, X, y, "squared") == pytest.approx(np.mean(expected), rel=1e-10)


@pytest.mark.parametrize("kind", ["log", "squared"])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_dL_dz_is_the_slope_of_the_loss(kind, y):
    for z in np.linspace(-30, 30, 41):
        truth = exact_slope((0.0, 0.0, z), (0.0, 0.0), y, kind, 0.0, 2)
        assert float(dL_dz_from_logit(z, y, kind)) == pytest.approx(truth, rel=1e-12)


def test_squared_dL_dz_keeps_the_factor_and_its_sign():
    """(ŷ − y)·ŷ(1−ŷ): these alternatives are all far from the finite difference."""
    for z, y in [(3.0, 0.0), (-2.0, 1.0), (0.7, 1.0), (-4.0, 0.0)]:
        p = textbook_sigmoid(z)
        truth = central(lambda v, y=y: textbook_squared(y, textbook_sigmoid(v)), z)
        assert float(dL_dz_from_logit(z, y, "squared")) == pytest.approx(truth, rel=1e-7)
        for wrong in ((y - p) * p * (1 - p), p - y, (p - y) * p):
            assert wrong != pytest.approx(truth, rel=1e-3)


@pytest.mark.parametrize("kind", ["log", "squared"])
def test_the_curvature_is_the_slope_of_the_slope(kind):
    t = np.linspace(-12, 12, 97)
    h = 1e-5
    slope = (np.asarray(dL_dt(t + h, kind)) - np.asarray(dL_dt(t - h, kind))) / (2 * h)
    assert_allclose(d2L_dt2(t, kind), slope, atol=1e-9)


def test_the_float_slope_equals_the_array_slope():
    for t in [-800.0, -40.0, -3.5, -1e-9, 0.0, 1e-9, 0.3, 5.0, 40.0, 800.0]:
        assert squared_slope_float(t) == pytest.approx(float(dL_dt(t, "squared")), rel=1e-15)


def exact_squared(z: float, y: int):
    """(L, ∂L/∂z) of squared error at the float z, in 400-digit decimals."""
    with localcontext() as context:
        context.prec = 400
        z = Decimal(z)
        y_hat = 1 / (1 + (-z).exp())
        one_minus = 1 / (1 + z.exp())
        off = y_hat - y if y == 0 else -one_minus  # ŷ − y without cancellation
        return off * off / 2, off * y_hat * one_minus


@pytest.mark.parametrize("y", [0, 1])
@pytest.mark.parametrize("z", [-700.0, -300.0, -36.0, -20.0, 20.0, 36.0, 300.0, 700.0])
def test_squared_error_keeps_its_digits_where_the_neuron_is_sure(z, y):
    true_loss, true_slope = exact_squared(z, y)
    d = point_derivatives((0.0, 0.0), z, (1.0, 0.0), float(y), "squared")
    for value, truth in ((d.loss, true_loss), (d.dL_dz, true_slope)):
        if abs(truth) >= Decimal(float(np.finfo(float).tiny)):
            assert abs(Decimal(value) - truth) <= abs(truth) * Decimal("1e-12")


# --- the chain rule at one point: squared error and the λ·w term ------------------------


@pytest.mark.parametrize("kind", ["log", "squared"])
@pytest.mark.parametrize("l2", [0.0, 0.01, MAX_L2])
def test_point_derivatives_agree_with_finite_differences_of_J(kind, l2):
    rng = np.random.default_rng(11)
    for _ in range(40):
        w, x = rng.uniform(-4, 4, 2), rng.uniform(-4, 4, 2)
        b, y = float(rng.uniform(-4, 4)), float(rng.integers(0, 2))
        d = point_derivatives(w, b, x, y, kind, l2)
        theta = (w[0], w[1], b)
        truth = [exact_slope(theta, x, y, kind, l2, j) for j in range(3)]
        assert [d.dJ_dw1, d.dJ_dw2, d.dJ_db] == pytest.approx(truth, rel=1e-10, abs=1e-300)
        data = [exact_slope(theta, x, y, kind, 0.0, j) for j in range(3)]
        assert [d.dL_dw1, d.dL_dw2, d.dL_db] == pytest.approx(data, rel=1e-10, abs=1e-300)
        # The chain rule's pieces multiply to the data part, and λ·w is added to it.
        assert d.dL_dw1 == pytest.approx(d.dL_dyhat * d.dyhat_dw1, rel=1e-12, abs=1e-300)
        assert d.dL_db == pytest.approx(d.dL_dyhat * d.dyhat_db, rel=1e-12, abs=1e-300)
        assert (d.dR_dw1, d.dR_dw2) == pytest.approx((l2 * w[0], l2 * w[1]), rel=1e-15)
        assert d.dJ_dw1 == pytest.approx(d.dL_dw1 + d.dR_dw1, rel=1e-15, abs=1e-300)
        assert d.penalty == pytest.approx(l2 / 2 * (w @ w), rel=1e-15)


def test_the_l2_check_fails_on_a_missing_half_or_a_wrong_sign():
    w, b, x, y, l2 = np.array([1.5, -2.0]), 0.3, np.array([0.5, 1.0]), 1.0, 0.02
    check = numerical_derivatives(w, b, x, y, "log", l2)
    d = point_derivatives(w, b, x, y, "log", l2)
    assert check.dJ_dw1.value == pytest.approx(d.dJ_dw1, rel=1e-7)
    assert check.dJ_dw2.value == pytest.approx(d.dJ_dw2, rel=1e-7)
    for wrong in (d.dL_dw1 + 2 * l2 * w[0], d.dL_dw1 - l2 * w[0], d.dL_dw1):
        assert check.dJ_dw1.value != pytest.approx(wrong, rel=1e-4)


@pytest.mark.parametrize("kind", ["log", "squared"])
@pytest.mark.parametrize("l2", [0.0, 0.015])
def test_the_finite_difference_checks_are_as_right_as_they_claim(kind, l2):
    rng = np.random.default_rng(12)
    for _ in range(50):
        w, x = rng.uniform(-3, 3, 2), rng.uniform(-3, 3, 2)
        b, y = float(rng.uniform(-3, 3)), float(rng.integers(0, 2))
        d, check = (
            point_derivatives(w, b, x, y, kind, l2),
            numerical_derivatives(w, b, x, y, kind, l2),
        )
        for name in ("dL_dyhat", "dL_dz", "dL_dw1", "dL_dw2", "dL_db", "dJ_dw1", "dJ_dw2"):
            estimate = getattr(check, name)
            # ∂J/∂w may be small where the data's pull and λ·w nearly cancel: fewer digits.
            assert estimate.digits >= (3 if name.startswith("dJ") else 6), name
            tolerance = 5 * 10.0**-estimate.digits
            assert estimate.value == pytest.approx(getattr(d, name), rel=tolerance, abs=1e-12), name


def test_squared_error_barely_moves_a_confident_mistake():
    """ŷ ≈ 1 for y = 0: the log loss asks for ∂L/∂z ≈ 1, squared error for about e^−z."""
    log = point_derivatives((3.0, 0.0), 0.0, (2.0, 0.0), 0.0, "log")
    squared = point_derivatives((3.0, 0.0), 0.0, (2.0, 0.0), 0.0, "squared")
    assert log.dL_dw1 == pytest.approx(2 * textbook_sigmoid(6.0), rel=1e-12)
    assert squared.dL_dw1 == pytest.approx(log.dL_dw1 * log.dyhat_db, rel=1e-12)
    assert squared.dL_dw1 < log.dL_dw1 / 300
    assert "barely moves" in squared.note and "does not cancel" in squared.note
    assert "cancels" in log.note
    regularised = point_derivatives((3.0, 0.0), 0.0, (2.0, 0.0), 0.0, "log", 0.01)
    assert "λ·w1 = 0.03" in regularised.note


# --- the gradient of J over many points -------------------------------------------------

problems = st.integers(1, 25).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(-3, 3), min_size=3, max_size=3),
        st.lists(st.floats(-5, 5), min_size=2 * n, max_size=2 * n),
        st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n),
        st.sampled_from(["log", "squared"]),
        st.sampled_from([0.0, 0.003, MAX_L2]),
    )
)


@settings(max_examples=150, deadline=None)
@given(problems)
def test_the_gradient_of_J_matches_finite_differences(problem):
    theta, coords, labels, kind, l2 = problem
    theta, X, y = np.array(theta), np.reshape(coords, (-1, 2)), np.array(labels)
    dJ_dw, dJ_db = gradient(theta[:2], theta[2], X, y, kind, l2)
    assert_allclose([*dJ_dw, dJ_db], numeric_gradient(theta, X, y, kind, l2), atol=1e-7)


def test_the_penalty_and_its_gradient():
    w = np.array([3.0, -4.0])
    assert penalty(w, 0.02) == pytest.approx(0.01 * 25)
    assert_allclose(penalty_gradient(w, 0.02), [0.06, -0.08])
    assert central(lambda v: penalty([v, -4.0], 0.02), 3.0) == pytest.approx(0.06, rel=1e-9)
    assert (
        gradient(w, 0.0, np.array([[1.0, 2.0]]), np.array([1.0]), "log", 0.02)[1]
        == (gradient(w, 0.0, np.array([[1.0, 2.0]]), np.array([1.0]))[1])
    )  # b is not penalised


# --- training descends J ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["log", "squared"])
@pytest.mark.parametrize("l2", [0.0, 0.01])
@pytest.mark.parametrize("mode", ["stochastic", "batch", "minibatch"])
def test_each_update_uses_the_gradient_of_J_at_the_previous_state(kind, l2, mode):
    X, y = make_dataset("overlapping", n=30, seed=3)
    history = train(X, y, TrainConfig(mode=mode, batch_size=7, epochs=3, loss=kind, l2=l2))
    for k in range(1, history.n_updates + 1, 5):
        rows = history.points_used(k)
        dJ_dw, dJ_db = gradient(history.w[k - 1], history.b[k - 1], X[rows], y[rows], kind, l2)
        assert_allclose(history.grad_w[k - 1], dJ_dw, rtol=1e-12, atol=1e-15)
        assert history.grad_b[k - 1] == pytest.approx(dJ_db, rel=1e-12, abs=1e-15)
    for step, recorded in zip(history.loss_steps, history.loss, strict=True):
        w, b = history.w[step], history.b[step]
        assert recorded == pytest.approx(objective(w, b, X, y, kind, l2), rel=1e-13)
    assert_allclose(history.loss - history.data_loss, l2 / 2 * (history.w**2).sum(axis=1))


def test_the_reference_loop_descends_the_squared_error():
    X, y = make_dataset("overlapping", n=40, seed=2)
    config = TrainConfig(mode="batch", epochs=200, learning_rate=2.0, loss="squared")
    w, b, _, _ = descend_plainly(X, y, config)
    losses = [loss(wk, bk, X, y, "squared") for wk, bk in zip(w, b, strict=True)]
    assert np.all(np.diff(losses) <= 1e-15) and losses[-1] < 0.5 * losses[0]


# --- scikit-learn's regularised optimum -------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "n", "l2"),
    [
        ("overlapping", 100, 0.01),
        ("overlapping", 60, MAX_L2),
        ("separable", 40, 0.005),
        ("imbalanced", 100, 0.002),
    ],
)
def test_batch_descent_reaches_scikit_learns_regularised_optimum(preset, n, l2):
    """scikit-learn minimises C·Σ log loss + ½‖w‖² (lbfgs: the intercept unpenalised);
    divided by C·n that is our J with λ = 1/(C·n), so C = 1/(n·λ)."""
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, y = make_dataset(preset, n=n, seed=4)
    model = linear_model.LogisticRegression(C=1 / (n * l2), tol=1e-14, max_iter=100_000)
    model.fit(X, y)
    w_opt, b_opt = model.coef_[0], float(model.intercept_[0])
    # The optimum of *our* J: its gradient vanishes there, ∂J/∂b included (b unpenalised).
    dJ_dw, dJ_db = gradient(w_opt, b_opt, X, y, "log", l2)
    assert np.abs([*dJ_dw, dJ_db]).max() < 1e-8
    best = objective(w_opt, b_opt, X, y, "log", l2)
    rate = 0.99 * batch_bound(X, "log", l2)
    epochs = min(10_000, 1_000_000 // n)
    history = train(X, y, TrainConfig(mode="batch", learning_rate=rate, epochs=epochs, l2=l2))
    assert -1e-12 < history.loss[-1] - best < 1e-7
    assert_allclose([*history.w[-1], history.b[-1]], [*w_opt, b_opt], atol=1e-3)


def test_the_oracle_would_see_a_penalised_intercept_or_a_missing_half():
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, y = make_dataset("imbalanced", n=100, seed=4)
    l2 = MAX_L2
    model = linear_model.LogisticRegression(C=1 / (100 * l2), tol=1e-14, max_iter=100_000)
    w_opt, b_opt = model.fit(X, y).coef_[0], float(model.intercept_[0])
    best = objective(w_opt, b_opt, X, y, "log", l2)
    for wrong_l2, penalise_b in ((2 * l2, False), (l2 / 2, False), (l2, True)):
        theta = np.array([*w_opt, b_opt])
        for _ in range(20_000):  # descent on a wrong objective
            z = X @ theta[:2] + theta[2]
            slope = dL_dz_from_logit(z, y)
            g = np.array([*(slope @ X / len(y) + wrong_l2 * theta[:2]), slope.mean()])
            g[2] += wrong_l2 * theta[2] if penalise_b else 0.0
            theta -= 0.9 * batch_bound(X, "log", 2 * l2) * g
        assert objective(theta[:2], theta[2], X, y, "log", l2) - best > 1e-6


@pytest.mark.parametrize("y", [0, 1])
@pytest.mark.parametrize("z", [-40.0, -20.0, -8.0, -2.0, -0.3, 0.3, 2.0, 8.0, 20.0, 40.0])
def test_the_squared_check_keeps_its_digits_at_a_confident_mistake(z, y):
    """½u₊² − ½u₋² would cancel near u = 1; the check differences 1 − u there instead."""
    _, true_slope = exact_squared(z, y)
    check = numerical_derivatives((0.0, 0.0), z, (1.0, 0.0), float(y), "squared")
    for estimate in (check.dL_dz, check.dL_db, check.dL_dw1):
        error = abs(Decimal(estimate.value) - true_slope) / abs(true_slope)
        assert estimate.digits >= 6 and error <= 5 * Decimal(10) ** -estimate.digits
