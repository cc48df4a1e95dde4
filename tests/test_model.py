"""The neuron's math against independent references: closed forms, finite differences."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from perceptron.model import (
    gradient,
    logit,
    loss,
    point_derivatives,
    predict_proba,
    sigmoid,
    sigmoid_derivative,
)


def textbook_sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def textbook_loss(y: float, y_hat: float) -> float:
    return -y * math.log(y_hat) - (1 - y) * math.log(1 - y_hat)


def random_problem(rng, n):
    X = rng.uniform(-4, 4, size=(n, 2))
    y = (rng.random(n) < 0.5).astype(float)
    w = rng.uniform(-2, 2, size=2)
    b = float(rng.uniform(-2, 2))
    return w, b, X, y


@pytest.fixture
def strict():
    """Every warning, and every floating-point overflow, invalid or divide, is an error."""
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        yield


# --- sigmoid -------------------------------------------------------------------------


@pytest.mark.parametrize("z", [-30.0, -5.0, -0.5, 0.0, 0.25, 3.0, 30.0])
def test_sigmoid_matches_textbook_formula(z):
    assert sigmoid(z) == pytest.approx(textbook_sigmoid(z), rel=1e-15)


def test_sigmoid_keeps_the_tails():
    assert sigmoid(-40.0) == pytest.approx(math.exp(-40.0), rel=1e-14)
    assert sigmoid(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-12)
    assert 1.0 - sigmoid(30.0) == pytest.approx(math.exp(-30.0), rel=1e-3)


def test_sigmoid_is_symmetric():
    z = np.linspace(-20, 20, 101)
    assert_allclose(sigmoid(-z), 1.0 - sigmoid(z), atol=1e-15)


def test_sigmoid_extremes_stay_in_range_silently(strict):
    z = np.array([-np.inf, -1e308, -1e6, -745.5, 745.5, 1e6, 1e308, np.inf])
    assert_allclose(sigmoid(z), [0, 0, 0, 0, 1, 1, 1, 1])


def test_sigmoid_shapes():
    assert isinstance(sigmoid(0.3), float)
    assert isinstance(sigmoid(np.float64(0.3)), float)
    assert sigmoid(np.zeros((3, 4))).shape == (3, 4)
    assert sigmoid([1.0, 2.0]).shape == (2,)


def test_sigmoid_derivative_is_its_slope():
    z = np.linspace(-8, 8, 33)
    h = 1e-6
    assert_allclose(sigmoid_derivative(z), (sigmoid(z + h) - sigmoid(z - h)) / (2 * h), atol=1e-9)


# --- loss and gradient ---------------------------------------------------------------


def test_logit_and_predict_proba_match_the_lecture():
    w, b, X, _ = random_problem(np.random.default_rng(1), 7)
    z = [w[0] * x1 + w[1] * x2 + b for x1, x2 in X]
    assert_allclose(logit(w, b, X), z, rtol=1e-14)
    assert_allclose(predict_proba(w, b, X), [textbook_sigmoid(v) for v in z], rtol=1e-14)


def test_loss_matches_textbook_formula():
    rng = np.random.default_rng(2)
    for _ in range(50):
        w, b, X, y = random_problem(rng, int(rng.integers(1, 30)))
        y_hat = predict_proba(w, b, X)
        expected = np.mean([textbook_loss(t, p) for t, p in zip(y, y_hat, strict=True)])
        assert loss(w, b, X, y) == pytest.approx(expected, rel=1e-12)


def test_loss_is_finite_where_log_of_y_hat_is_not(strict):
    X = np.array([[1e6, -1e6], [-1e6, 1e6], [0.0, 0.0]])
    y = np.array([0.0, 0.0, 1.0])
    w, b = np.array([1e4, -1e4]), 1e4
    # z = 2e10 + 1e4 on a class-0 point costs z; z = −2e10 + 1e4 (class 0) and z = 1e4
    # (class 1) are right with full confidence and cost e^−|z|, i.e. 0.
    assert loss(w, b, X, y) == pytest.approx((2e10 + 1e4) / 3, rel=1e-15)
    assert isinstance(loss(w, b, X, y), float)


def loss_of(theta, X, y):
    return loss(theta[:2], theta[2], X, y)


def finite_difference_gradient(theta, X, y, h=1e-6):
    steps = np.eye(3) * h
    return np.array(
        [(loss_of(theta + s, X, y) - loss_of(theta - s, X, y)) / (2 * h) for s in steps]
    )


problems = st.integers(min_value=1, max_value=25).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(-3, 3), min_size=3, max_size=3),
        st.lists(st.floats(-5, 5), min_size=2 * n, max_size=2 * n),
        st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n),
    )
)


@settings(max_examples=150, deadline=None)
@given(problems)
def test_gradient_matches_finite_differences(problem):
    theta, coords, labels = problem
    theta, X, y = np.array(theta), np.reshape(coords, (-1, 2)), np.array(labels)
    dL_dw, dL_db = gradient(theta[:2], theta[2], X, y)
    assert_allclose([*dL_dw, dL_db], finite_difference_gradient(theta, X, y), atol=1e-7)


def test_gradient_is_the_mean_of_the_point_gradients():
    rng = np.random.default_rng(3)
    for _ in range(30):
        w, b, X, y = random_problem(rng, int(rng.integers(1, 40)))
        points = [point_derivatives(w, b, x, t) for x, t in zip(X, y, strict=True)]
        dL_dw, dL_db = gradient(w, b, X, y)
        assert dL_dw.shape == (2,)
        assert isinstance(dL_db, float)
        expected = np.mean([[p.dL_dw1, p.dL_dw2, p.dL_db] for p in points], axis=0)
        assert_allclose([*dL_dw, dL_db], expected, rtol=1e-12, atol=1e-15)


def test_gradient_is_finite_and_silent_at_extremes(strict):
    X = np.array([[1e6, 1e6], [-1e6, 3.0], [0.5, -1e6]])
    y = np.array([0.0, 1.0, 1.0])
    dL_dw, dL_db = gradient(np.array([1e4, -1e4]), -1e4, X, y)
    assert np.all(np.isfinite(dL_dw)) and math.isfinite(dL_db)


def test_inputs_are_not_changed():
    w, b, X, y = random_problem(np.random.default_rng(4), 10)
    copies = w.copy(), X.copy(), y.copy()
    loss(w, b, X, y), gradient(w, b, X, y), predict_proba(w, b, X)
    for before, after in zip(copies, (w, X, y), strict=True):
        np.testing.assert_array_equal(before, after)


# --- the chain rule at one point -------------------------------------------------------


def test_point_derivatives_follow_the_lecture():
    rng = np.random.default_rng(5)
    for _ in range(200):
        w1, w2, b, x1, x2 = rng.uniform(-3, 3, size=5)
        y = float(rng.integers(0, 2))
        d = point_derivatives((w1, w2), b, (x1, x2), y)
        z = w1 * x1 + w2 * x2 + b
        # 1 − ŷ as σ(−z): 1 − y_hat by subtraction loses digits where ŷ is near 1.
        y_hat, one_minus = textbook_sigmoid(z), textbook_sigmoid(-z)
        slope = y_hat * one_minus
        assert d.z == pytest.approx(z, rel=1e-14, abs=1e-15)
        assert d.y_hat == pytest.approx(y_hat, rel=1e-14)
        assert d.loss == pytest.approx(textbook_loss(y, y_hat), rel=1e-12)
        error = one_minus if y == 1 else -y_hat  # y − ŷ
        assert d.dL_dyhat == pytest.approx(-error / slope, rel=1e-12)
        assert [d.dyhat_dw1, d.dyhat_dw2, d.dyhat_db] == pytest.approx(
            [slope * x1, slope * x2, slope], rel=1e-12
        )
        assert [d.dL_dw1, d.dL_dw2, d.dL_db] == pytest.approx(
            [-error * x1, -error * x2, -error], rel=1e-12, abs=1e-15
        )
        chain = [d.dL_dyhat * d.dyhat_dw1, d.dL_dyhat * d.dyhat_dw2, d.dL_dyhat * d.dyhat_db]
        assert [d.dL_dw1, d.dL_dw2, d.dL_db] == pytest.approx(chain, rel=1e-12, abs=1e-15)
        assert not d.saturated


def test_point_factors_match_finite_differences():
    rng = np.random.default_rng(6)
    h = 1e-7
    for _ in range(50):
        w = rng.uniform(-2, 2, size=2)
        b, x, y = float(rng.uniform(-2, 2)), rng.uniform(-2, 2, size=2), float(rng.integers(0, 2))
        d = point_derivatives(w, b, x, y)
        in_yhat = (textbook_loss(y, d.y_hat + h) - textbook_loss(y, d.y_hat - h)) / (2 * h)
        assert d.dL_dyhat == pytest.approx(in_yhat, rel=1e-6)
        step = np.array([h, 0.0])
        in_w1 = (predict_proba(w + step, b, x[None]) - predict_proba(w - step, b, x[None])) / (
            2 * h
        )
        assert d.dyhat_dw1 == pytest.approx(in_w1[0], rel=1e-6, abs=1e-12)


@pytest.mark.parametrize(
    ("z", "y", "dL_dyhat"),
    [
        (800.0, 0.0, math.inf),  # 1/(1 − ŷ) = e^800: beyond the largest float
        (800.0, 1.0, -1.0),  # −1/ŷ with ŷ = 1 to float precision: true and finite
        (-800.0, 1.0, -math.inf),  # −1/ŷ = −e^800
        (-800.0, 0.0, 1.0),  # 1/(1 − ŷ) with ŷ = 0 to float precision
        (740.0, 0.0, math.inf),  # 1 − ŷ = e^−740 is subnormal: its reciprocal overflows
        (-740.0, 1.0, -math.inf),  # ŷ = e^−740 is subnormal: its reciprocal overflows
    ],
)
def test_saturated_point_is_honest_and_silent(strict, z, y, dL_dyhat):
    x = (2.0, -3.0)
    d = point_derivatives((0.0, 0.0), z, x, y)
    assert d.saturated
    assert d.dL_dyhat == dL_dyhat
    error = sigmoid(-z) if y == 1 else -sigmoid(z)  # y − ŷ without cancellation
    assert [d.dL_dw1, d.dL_dw2, d.dL_db] == [-error * 2.0, -error * -3.0, -error]
    assert all(math.isfinite(v) for v in (d.dL_dw1, d.dL_dw2, d.dL_db, d.loss))
    assert d.loss == pytest.approx(abs(z) if (z > 0) != (y == 1) else 0.0, abs=1e-300)
    assert "below the smallest normal float64" in d.note


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_a_sure_point_that_float64_can_still_hold_is_not_saturated(y):
    d = point_derivatives((0.0, 0.0), 40.0, (2.0, -3.0), y)
    assert not d.saturated
    assert math.isfinite(d.dL_dyhat)
    assert d.dL_dyhat * d.dyhat_db == pytest.approx(d.dL_db, rel=1e-12, abs=0)


def test_nearly_saturated_point_still_chains():
    d = point_derivatives((0.0, 0.0), 30.0, (1.5, 1.0), 1.0)
    assert not d.saturated
    assert d.dL_dw1 == pytest.approx(d.dL_dyhat * d.dyhat_dw1, rel=1e-12)
    assert d.loss == pytest.approx(math.exp(-30.0), rel=1e-12, abs=0)


def test_note_reads_the_step_size():
    assert "small step" in point_derivatives((0, 0), 5.0, (1, 1), 1).note
    assert "big step" in point_derivatives((0, 0), -5.0, (1, 1), 1).note
    assert "moderate step" in point_derivatives((0, 0), 0.0, (1, 1), 1).note
