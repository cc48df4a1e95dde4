"""The loss landscape grid: each cell must be exactly ``model.loss`` at that cell's weights."""

import tracemalloc

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from perceptron import loss, make_dataset
from perceptron.landscape import (
    MIN_HALF_SPAN,
    grid_axis,
    loss_grid,
    loss_grid_bias,
    mean_losses,
)
from perceptron.model import objective


@pytest.fixture(scope="module")
def points():
    return make_dataset("overlapping", n=150, seed=3)


@pytest.fixture(scope="module")
def axes():
    return np.linspace(-3, 2, 17), np.linspace(-1.5, 4, 13)


def test_grid_cells_equal_the_model_loss(points, axes):
    X, y = points
    w1s, w2s = axes
    Z = loss_grid(X, y, w1s, w2s, 0.7)
    assert Z.shape == (len(w2s), len(w1s))
    rng = np.random.default_rng(0)
    for i, j in zip(rng.integers(0, len(w2s), 25), rng.integers(0, len(w1s), 25), strict=True):
        assert_allclose(Z[i, j], loss(np.array([w1s[j], w2s[i]]), 0.7, X, y), rtol=1e-13)


def test_bias_grid_cells_equal_the_model_loss(points, axes):
    X, y = points
    w1s, bs = axes
    Z = loss_grid_bias(X, y, w1s, bs, -1.2)
    assert Z.shape == (len(bs), len(w1s))
    for i, j in [(0, 0), (5, 11), (12, 16), (7, 3)]:
        assert_allclose(Z[i, j], loss(np.array([w1s[j], -1.2]), bs[i], X, y), rtol=1e-13)


def test_cells_far_out_stay_finite():
    X, y = make_dataset("separable", n=40)
    Z = loss_grid(X, y, np.array([-1e4, 0.0, 1e4]), np.array([-1e4, 1e4]), 0.0)
    assert np.all(np.isfinite(Z))
    assert Z.max() > 1e3  # a badly wrong setting costs about |z| per point


@pytest.mark.parametrize("chunk", [1, 7, 150, 151, 1000, 2**20])
def test_chunking_does_not_change_a_single_value(points, axes, chunk):
    X, y = points
    expected = loss_grid(X, y, *axes, 0.3, chunk=10**9)
    assert_array_equal(loss_grid(X, y, *axes, 0.3, chunk=chunk), expected)


def test_a_large_grid_keeps_memory_small():
    """80 × 80 cells over 2,000 points are 12.8 million logits; chunks keep ~8 MB at once."""
    X, y = make_dataset("overlapping", n=2_000)
    axis = np.linspace(-4, 4, 80)
    tracemalloc.start()
    try:
        loss_grid(X, y, axis, axis, 0.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A few chunk-sized (8 MB) temporaries at once; all at once would be about 300 MB.
    assert peak < 40e6


def test_mean_losses_needs_points():
    with pytest.raises(ValueError, match="at least one point"):
        mean_losses(np.zeros((3, 2)), np.zeros(3), np.zeros((0, 2)), np.zeros(0))


def test_grid_axis_covers_the_values_and_the_origin():
    axis = grid_axis([2.0, 5.0, 3.0], 80)
    assert len(axis) == 80
    assert axis[0] < 0 < 5 < axis[-1]
    np.testing.assert_allclose(np.diff(axis), np.diff(axis)[0])


def test_grid_axis_keeps_a_readable_span_when_the_path_barely_moves():
    axis = grid_axis([0.0, 1e-9], 11)
    assert axis[-1] - axis[0] >= 2 * MIN_HALF_SPAN


def test_grid_axis_ignores_values_that_are_not_finite():
    axis = grid_axis([1.0, np.nan, np.inf], 5)
    assert np.all(np.isfinite(axis)) and axis[-1] >= 1.0


def test_a_sure_cell_has_its_true_loss():
    # Issue 11: ln(1 + e^z) − y·z cancelled to 3.8e-53 here; the true mean loss is 2.1e-18.
    X = np.array([[1.0, 1.0], [1.5, 0.5], [-3.0, -3.0], [-2.5, -3.5]])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    (cell,) = mean_losses(np.array([[20.0, 20.0]]), np.array([0.0]), X, y)
    assert cell == pytest.approx(2.124177127645794e-18, rel=1e-12, abs=0)


@pytest.mark.parametrize(("kind", "l2"), [("squared", 0.0), ("log", 0.02), ("squared", 0.01)])
def test_cells_equal_the_objective_for_either_loss_and_l2(points, axes, kind, l2):
    X, y = points
    w1s, w2s = axes
    Z = loss_grid(X, y, w1s, w2s, 0.7, loss=kind, l2=l2)
    ZB = loss_grid_bias(X, y, w1s, w2s, -1.2, loss=kind, l2=l2)
    for i, j in [(0, 0), (5, 11), (12, 16), (7, 3)]:
        w = np.array([w1s[j], w2s[i]])
        assert_allclose(Z[i, j], objective(w, 0.7, X, y, kind, l2), rtol=1e-13)
        w = np.array([w1s[j], -1.2])
        assert_allclose(ZB[i, j], objective(w, w2s[i], X, y, kind, l2), rtol=1e-13)


def test_squared_errors_surface_has_a_plateau_where_the_log_loss_keeps_climbing():
    """Far on the wrong side squared error flattens out at ½ per point (not convex)."""
    X, y = make_dataset("separable", n=40, seed=1)
    w_good = np.linalg.lstsq(np.column_stack([X, np.ones(40)]), 2 * y - 1, rcond=None)[0][:2]
    scales = -np.array([2.0, 4.0, 8.0, 16.0])  # ever further the wrong way
    W = scales[:, None] * w_good
    squared = mean_losses(W, np.zeros(4), X, y, loss="squared")
    log = mean_losses(W, np.zeros(4), X, y)
    assert np.diff(squared)[-1] < 0.02 and squared[-1] > 0.49  # at most ½ per point
    assert np.all(np.diff(log) > 1.0)
