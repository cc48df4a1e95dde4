"""The neuron's numbers when it is very sure (|z| from 20 to 700), against 60-digit decimals.

Each reference is computed in Python's ``decimal`` from the float z the code itself
uses, so the only error measured is the code's own. It carries 60 significant digits:
the working precision is PRECISION digits so that 1 + e^−700 still holds 60 digits of its
tail e^−700 ≈ 1e-304. A value
must be within 1e-9 relative of the truth wherever the truth is a normal float64.
"""

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perceptron.model import (
    error_from_logit,
    gradient,
    loss,
    point_derivatives,
    point_losses,
    sigmoid_derivative,
)

RTOL = 1e-9
PRECISION = 400
TINY = np.finfo(np.float64).tiny
HUGE = np.finfo(np.float64).max
MAGNITUDES = [20.0, 30.0, 32.3, 32.7, 36.0, 37.0, 40.0, 100.0, 300.0, 700.0]


def exact(z: float, y: float) -> dict[str, Decimal]:
    """Every field of PointDerivatives at logit z (with x = (2, −3)), to 60 digits."""
    with localcontext() as context:
        context.prec = PRECISION
        z = Decimal(z)
        y_hat = 1 / (1 + (-z).exp())
        one_minus = 1 / (1 + z.exp())
        slope = y_hat * one_minus
        error = one_minus if y == 1 else -y_hat
        return {
            "z": z,
            "y_hat": y_hat,
            "one_minus_y_hat": one_minus,
            "loss": (1 + (-z).exp()).ln() if y == 1 else (1 + z.exp()).ln(),
            "dL_dyhat": -1 / y_hat if y == 1 else 1 / one_minus,
            "dyhat_dw1": slope * 2,
            "dyhat_dw2": slope * -3,
            "dyhat_db": slope,
            "dL_dw1": -error * 2,
            "dL_dw2": -error * -3,
            "dL_db": -error,
        }


def assert_true_value(value: float, truth: Decimal, name: str = "") -> None:
    """value is within RTOL of truth, wherever the truth is a normal float64."""
    if not TINY <= abs(truth) <= HUGE:
        return
    error = abs(Decimal(value) - truth) / abs(truth)
    assert error <= RTOL, f"{name}: {value!r} vs true {float(truth)!r} (relative error {error:.1e})"


@pytest.mark.parametrize("y", [0.0, 1.0])
@pytest.mark.parametrize("sign", [1.0, -1.0])
@pytest.mark.parametrize("magnitude", MAGNITUDES)
def test_every_field_of_point_derivatives_is_true(magnitude, sign, y):
    z = sign * magnitude
    d = point_derivatives((0.0, 0.0), z, (2.0, -3.0), y)
    for name, truth in exact(z, y).items():
        assert_true_value(getattr(d, name), truth, name)


@settings(max_examples=300, deadline=None)
@given(
    st.floats(20.0, 700.0),
    st.sampled_from([1.0, -1.0]),
    st.sampled_from([0.0, 1.0]),
    st.floats(0.01, 10.0),
)
def test_point_derivatives_are_true_for_any_confident_point(magnitude, sign, y, x1):
    w1 = sign * magnitude / x1
    d = point_derivatives((w1, 0.0), 0.0, (x1, 0.0), y)
    truth = exact(d.z, y)  # the float z the code computed, exactly
    for name in ("y_hat", "one_minus_y_hat", "loss", "dL_dyhat", "dyhat_db", "dL_db"):
        assert_true_value(getattr(d, name), truth[name], name)


def mean_exact(z_values, labels, X):
    """(loss, ∂L/∂w1, ∂L/∂w2, ∂L/∂b) of the mean loss, to 60 digits."""
    with localcontext() as context:
        context.prec = PRECISION
        rows = [exact(z, y) for z, y in zip(z_values, labels, strict=True)]
        n = len(rows)
        errors = [-r["dL_db"] for r in rows]
        x1 = [Decimal(v) for v in X[:, 0]]
        x2 = [Decimal(v) for v in X[:, 1]]
        return (
            sum(r["loss"] for r in rows) / n,
            -sum(e * a for e, a in zip(errors, x1, strict=True)) / n,
            -sum(e * a for e, a in zip(errors, x2, strict=True)) / n,
            -sum(errors) / n,
        )


@pytest.mark.parametrize("y", [0.0, 1.0])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_loss_and_gradient_are_true_for_confident_points(sign, y):
    # One point per magnitude on the x1 axis, w = (1, 0), b = 0: z is x1 exactly.
    X = np.column_stack([sign * np.array(MAGNITUDES), np.ones(len(MAGNITUDES))])
    labels = np.full(len(MAGNITUDES), y)
    w, b = np.array([1.0, 0.0]), 0.0
    true_loss, *true_gradient = mean_exact(X[:, 0], labels, X)
    assert_true_value(loss(w, b, X, labels), true_loss, "loss")
    dL_dw, dL_db = gradient(w, b, X, labels)
    for name, value, truth in zip(("w1", "w2", "b"), [*dL_dw, dL_db], true_gradient, strict=True):
        assert_true_value(value, truth, f"dL/d{name}")


def test_point_losses_are_true_for_mixed_labels_and_signs():
    z = np.array([20.0, -20.0, 32.3, -32.3, 40.0, -40.0, 700.0, -700.0])
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
    X = np.column_stack([z, np.zeros_like(z)])
    losses = point_losses(np.array([1.0, 0.0]), 0.0, X, y)
    for value, zi, yi in zip(losses, z, y, strict=True):
        assert_true_value(value, exact(zi, yi)["loss"])
    errors = error_from_logit(z, y)
    for value, zi, yi in zip(errors, z, y, strict=True):
        assert_true_value(-value, exact(zi, yi)["dL_db"])


def test_sigmoid_derivative_keeps_its_digits_when_y_hat_rounds_to_1():
    z = np.array(MAGNITUDES)
    for value, zi in zip(sigmoid_derivative(z), z, strict=True):
        assert_true_value(value, exact(zi, 1.0)["dyhat_db"])
        assert_true_value(sigmoid_derivative(-zi), exact(-zi, 1.0)["dyhat_db"])


# --- the reproductions, one by one ----------------------------------------------


def test_a_confident_class_1_point_has_its_true_loss():
    # Item 1: at z = 32.3 the old ln(1 + e^z) − y·z gave 7.1e-15; the truth is 9.6e-15.
    d = point_derivatives((0.0, 0.0), 32.3, (1.0, 1.0), 1.0)
    assert d.loss == pytest.approx(math.exp(-32.3), rel=1e-12, abs=0)


def test_three_sure_class_1_points_have_a_positive_loss():
    # Item 1: the old code gave a loss of exactly 0, which a log-scale chart cannot draw.
    X = np.array([[1.0, 1.0], [2.0, 0.5], [0.5, 2.0]])
    y = np.ones(3)
    w, b = np.array([20.0, 20.0]), 0.0
    true_loss, *_ = mean_exact(X @ w + b, y, X)
    assert loss(w, b, X, y) > 0
    assert_true_value(loss(w, b, X, y), true_loss)


def test_one_minus_y_hat_keeps_its_digits_near_1():
    # Item 2: at z = 32.7 (y = 0) the old ŷ(1−ŷ) was 6.217e-15 (true 6.284e-15).
    d = point_derivatives((0.0, 0.0), 32.7, (1.0, 1.0), 0.0)
    assert d.dyhat_db == pytest.approx(6.284e-15, rel=1e-3, abs=0)
    assert d.dL_dyhat == pytest.approx(1 + math.exp(32.7), rel=1e-12, abs=0)


@pytest.mark.parametrize("z", [37.0, 40.0, 100.0, 700.0])
def test_dL_dyhat_is_minus_one_over_y_hat_when_y_hat_rounds_to_1(z):
    # Item 3: for y = 1 the old ∂L/∂ŷ was 0/0 = NaN; the truth is −1/ŷ ≈ −1.
    d = point_derivatives((0.0, 0.0), z, (1.0, 1.0), 1.0)
    assert d.dL_dyhat == -1.0
    assert d.dL_db < 0 and d.dL_db == pytest.approx(-math.exp(-z), rel=1e-12, abs=0)
    assert d.dyhat_db * d.dL_dyhat == pytest.approx(d.dL_db, rel=1e-12, abs=0)
