"""Finite-difference checks: right to the digits they claim, and able to disagree."""

import math
from decimal import Decimal

import numpy as np
import pytest

from perceptron.gradcheck import numerical_derivatives
from perceptron.model import point_derivatives
from tests.test_numerics import MAGNITUDES, exact

FIELDS = ("dL_dyhat", "dyhat_dw1", "dyhat_dw2", "dyhat_db", "dL_dw1", "dL_dw2", "dL_db")


def assert_honest(estimate, truth: Decimal, name: str) -> None:
    """The estimate is as right as it says: within 10^−digits (times 5) of the truth."""
    assert math.isfinite(estimate.value), f"{name}: {estimate.reason}"
    error = float(abs(Decimal(estimate.value) - truth) / abs(truth))
    assert error <= 5 * 10.0**-estimate.digits, (
        f"{name}: claims {estimate.digits} digits, {error:.1e}"
    )


@pytest.mark.parametrize("y", [0.0, 1.0])
@pytest.mark.parametrize("sign", [1.0, -1.0])
@pytest.mark.parametrize("magnitude", [0.3, 2.0, 8.0, *MAGNITUDES])
def test_each_check_is_as_right_as_it_claims(magnitude, sign, y):
    z = sign * magnitude
    # The point (2, −3) with w = (0, 0) and b = z, so every field of exact() applies.
    check = numerical_derivatives((0.0, 0.0), z, (2.0, -3.0), y)
    truth = exact(z, y)
    for name in FIELDS:
        if abs(truth[name]) >= np.finfo(np.float64).tiny:
            assert_honest(getattr(check, name), truth[name], name)


def test_ordinary_points_are_checked_to_many_digits():
    rng = np.random.default_rng(7)
    for _ in range(50):
        w, x = rng.uniform(-3, 3, size=2), rng.uniform(-3, 3, size=2)
        b, y = float(rng.uniform(-3, 3)), float(rng.integers(0, 2))
        d, check = point_derivatives(w, b, x, y), numerical_derivatives(w, b, x, y)
        for name in FIELDS:
            estimate = getattr(check, name)
            assert estimate.digits >= 7
            assert estimate.value == pytest.approx(getattr(d, name), rel=10.0**-estimate.digits)


def test_the_check_of_dL_dyhat_can_disagree_with_a_wrong_formula():
    # Issue 11, item 6: at z = 32.7 (y = 0), 1 − ŷ by subtraction made ∂L/∂ŷ 1.608e14
    # (true 1.591e14), and a difference taken at that same rounded ŷ "agreed" with it.
    check = numerical_derivatives((0.0, 0.0), 32.7, (1.0, 1.0), 0.0)
    assert check.dL_dyhat.value == pytest.approx(1 + math.exp(32.7), rel=1e-6)
    assert check.dL_dyhat.value != pytest.approx(1.608e14, rel=1e-3)


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_a_check_float64_cannot_make_says_so(y):
    check = numerical_derivatives((0.0, 0.0), 800.0, (1.0, 1.0), y)
    assert math.isnan(check.dyhat_db.value) and "cannot see the change" in check.dyhat_db.reason
    assert math.isnan(check.dL_dyhat.value)


def test_the_step_grows_with_the_rounding_of_z():
    small = numerical_derivatives((0.0, 0.0), 0.5, (1.0, 1.0), 1.0)
    large = numerical_derivatives((300.0, 300.0), 0.5, (1.0, -1.0), 1.0)
    assert large.h > small.h
    assert large.dL_db.digits < small.dL_db.digits
