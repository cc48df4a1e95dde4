"""Hand-fit: the numbers at a hand-set (w, b), one gradient step, the path, and the drags."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from perceptron import loss, make_dataset
from perceptron.geometry import (
    ARROW_FRACTION,
    boundary_handles,
    downhill_arrow,
    line_through,
    rotate_boundary,
    shift_boundary,
    weight_arrow,
    weight_from_arrow,
)
from perceptron.handfit import MAX_PATH_STATES, HandPath, gradient_step, hand_fit

X, Y = make_dataset("overlapping", n=30, seed=1)
W, B = np.array([0.7, -1.2]), 0.3
VIEW = ((-5.0, 5.0), (-5.0, 5.0))


def numeric_gradient(w, b, h=1e-6):
    theta = np.array([*w, b])
    out = []
    for i in range(3):
        up, down = theta.copy(), theta.copy()
        up[i] += h
        down[i] -= h
        out.append((loss(up[:2], up[2], X, Y) - loss(down[:2], down[2], X, Y)) / (2 * h))
    return np.array(out)


def test_hand_fit_numbers_against_the_model_and_finite_differences():
    fit = hand_fit(W, B, X, Y)
    assert math.isclose(fit.loss, loss(W, B, X, Y), rel_tol=1e-12)
    assert_allclose(fit.shares.sum(), fit.loss, rtol=1e-12)
    assert_allclose([*fit.grad_w, fit.grad_b], numeric_gradient(W, B), atol=1e-7)
    assert_allclose(fit.pulls.sum(axis=0), -fit.grad_w, atol=1e-12)
    assert fit.point_losses.shape == (30,) and fit.pulls.shape == (30, 2)
    assert math.isclose(fit.slope, float(np.linalg.norm(numeric_gradient(W, B))), rel_tol=1e-6)


def test_downhill_text_follows_the_signs():
    fit = hand_fit(W, B, X, Y)
    ways = ["down" if g > 0 else "up" for g in (*fit.grad_w, fit.grad_b)]
    assert fit.downhill_text.startswith(
        f"Downhill from here: w1 {ways[0]}, w2 {ways[1]}, b {ways[2]}"
    )
    flat = hand_fit([0, 0], 0, [[0.0, 0.0], [0.0, 0.0]], [0, 1])
    assert flat.downhill_text == "The loss is flat here: no way is downhill."


def test_one_gradient_step_is_the_lectures_update_and_goes_downhill():
    w, b = gradient_step(W, B, X, Y, 0.1)
    g = numeric_gradient(W, B)
    assert_allclose([*w, b], [*(W - 0.1 * g[:2]), B - 0.1 * g[2]], atol=1e-8)
    assert loss(w, b, X, Y) < loss(W, B, X, Y)


@pytest.mark.parametrize("lr", [0, -1, float("nan"), True, "0.1"])
def test_a_bad_learning_rate_is_named(lr):
    with pytest.raises(ValueError, match="learning_rate"):
        gradient_step(W, B, X, Y, lr)


@pytest.mark.parametrize(("w", "b"), [([np.nan, 0], 0), ([0, 0], 2e4), ([1, 2, 3], 0), ("ab", 0)])
def test_bad_states_are_named(w, b):
    with pytest.raises(ValueError, match="w"):
        hand_fit(w, b, X, Y)


def test_no_points_no_loss():
    with pytest.raises(ValueError, match="no points"):
        hand_fit(W, B, np.zeros((0, 2)), [])


def test_a_path_records_hand_moves_and_steps():
    path = HandPath.starting_at(W, B)
    assert path.moves == ("start",) and path.gradient_steps == 0
    path = path.by_hand([1.0, -1.0], 0.0)
    assert path.by_hand([1.0, -1.0], 0.0) is path  # nothing moved, nothing added
    path = path.by_step(X, Y, 0.5)
    assert path.moves == ("start", "hand", "step") and path.gradient_steps == 1
    w, b = path.current
    expected_w, expected_b = gradient_step([1.0, -1.0], 0.0, X, Y, 0.5)
    assert_allclose(w, expected_w) and b == expected_b
    ws, bs = path.arrays()
    assert ws.shape == (3, 2) and bs.shape == (3,) and ws[0].tolist() == W.tolist()


def test_a_long_path_keeps_its_start_and_the_newest_states():
    path = HandPath.starting_at([0, 0], 0)
    for i in range(MAX_PATH_STATES + 5):
        path = path.by_hand([i * 1e-3, 0.0], 1.0)
    assert len(path.states) == MAX_PATH_STATES
    assert path.states[0] == (0.0, 0.0, 0.0) and path.moves[0] == "start"
    assert path.states[-1] == ((MAX_PATH_STATES + 4) * 1e-3, 0.0, 1.0)


# --- the drags on the data chart ---------------------------------------------------------


def z(w, b, p):
    return float(np.dot(w, p) + b)


def test_line_through_two_points_keeps_the_norm_and_the_side():
    w, b = line_through((0.0, 1.0), (2.0, 3.0), 2.5, like=[1.0, -1.0])
    assert math.isclose(np.linalg.norm(w), 2.5)
    assert abs(z(w, b, (0, 1))) < 1e-12 and abs(z(w, b, (2, 3))) < 1e-12
    assert np.dot(w, [1.0, -1.0]) > 0
    flipped, _ = line_through((0.0, 1.0), (2.0, 3.0), 2.5, like=[-1.0, 1.0])
    assert_allclose(flipped, -w)
    with pytest.raises(ValueError, match="two different points"):
        line_through((1, 1), (1, 1), 1.0)
    with pytest.raises(ValueError, match="norm"):
        line_through((0, 0), (1, 1), 0.0)


def test_dragging_the_handles_back_to_where_they_are_changes_nothing():
    p, q = boundary_handles(W, B, *VIEW)
    assert abs(z(W, B, p)) < 1e-12 and abs(z(W, B, q)) < 1e-12
    w, b = line_through(p, q, float(np.linalg.norm(W)), like=W)
    assert_allclose([*w, b], [*W, B], atol=1e-12)
    assert boundary_handles([0, 0], 1.0, *VIEW) is None


def test_dragging_the_weight_arrow_turns_the_line_about_its_base_and_scales_w():
    start, tip = weight_arrow(W, B, *VIEW)
    w, b = weight_from_arrow(start, tip, W, *VIEW)
    assert_allclose([*w, b], [*W, B], atol=1e-12)
    twice = (start[0] + 2 * (tip[0] - start[0]), start[1] + 2 * (tip[1] - start[1]))
    w2, b2 = weight_from_arrow(start, twice, W, *VIEW)
    assert_allclose(w2, 2 * W, atol=1e-12) and abs(z(w2, b2, start)) < 1e-12
    side = (start[0] + 1.5, start[1])  # pointing right: w along +x1, line through start
    w3, b3 = weight_from_arrow(start, side, W, *VIEW)
    assert w3[1] == 0 and w3[0] > 0 and abs(z(w3, b3, start)) < 1e-12
    w0, _ = weight_from_arrow((0, 0), (ARROW_FRACTION * 10, 0), [0, 0], *VIEW)
    assert_allclose(w0, [1.0, 0.0])
    with pytest.raises(ValueError, match="tip"):
        weight_from_arrow(start, start, W, *VIEW)


def test_rotating_about_a_point_on_the_line_keeps_it_there():
    p, _ = boundary_handles(W, B, *VIEW)
    w, b = rotate_boundary(W, B, 0.3, p)
    assert abs(z(w, b, p)) < 1e-12 and math.isclose(np.linalg.norm(w), np.linalg.norm(W))
    cos = np.dot(w, W) / np.dot(W, W)
    assert math.isclose(cos, math.cos(0.3))
    assert_allclose([*rotate_boundary(W, B, 2 * math.pi, p)[0]], W, atol=1e-12)


def test_shifting_moves_every_points_signed_distance_by_the_same_amount():
    w, b = shift_boundary(W, B, 0.75)
    norm = np.linalg.norm(W)
    before = (X @ W + B) / norm
    after = (X @ w + b) / norm
    assert_allclose(before - after, 0.75, atol=1e-12)
    with pytest.raises(ValueError, match="no boundary"):
        shift_boundary([0, 0], 1.0, 1.0)


def test_the_downhill_arrow_points_along_minus_the_gradient_from_the_weight_arrows_tip():
    fit = hand_fit(W, B, X, Y)
    start, end = downhill_arrow(W, B, fit.grad_w, *VIEW)
    assert_allclose(start, weight_arrow(W, B, *VIEW)[1])
    direction = np.subtract(end, start)
    assert_allclose(direction / np.linalg.norm(direction), -fit.grad_w / np.linalg.norm(fit.grad_w))
    assert math.isclose(np.linalg.norm(direction), ARROW_FRACTION * 10)
    centre, _ = downhill_arrow([0, 0], 0, fit.grad_w, *VIEW)
    assert centre == (0.0, 0.0)
    assert downhill_arrow(W, B, [0.0, 0.0], *VIEW) is None
