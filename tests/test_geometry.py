"""Boundary clipping, the weight arrow and the view, checked against brute force."""

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from perceptron.geometry import (
    ARROW_FRACTION,
    boundary_segment,
    view_ranges,
    weight_arrow,
)

BOX = ((-5.0, 5.0), (-5.0, 5.0))


def residual_ok(w, b, p, box, rel=1e-8):
    """|w·p + b| is tiny compared with the size of its terms."""
    span = max(box[0][1] - box[0][0], box[1][1] - box[1][0])
    scale = (abs(w[0]) + abs(w[1])) * (abs(p[0]) + abs(p[1]) + span) + abs(b)
    return abs(w[0] * p[0] + w[1] * p[1] + b) <= rel * scale


def on_edge(p, box, rel=1e-9):
    (x0, x1), (y0, y1) = box
    tol = rel * max(x1 - x0, y1 - y0)
    inside = x0 <= p[0] <= x1 and y0 <= p[1] <= y1
    edge = min(abs(p[0] - x0), abs(p[0] - x1), abs(p[1] - y0), abs(p[1] - y1)) <= tol
    return inside and edge


def perimeter_crossings(w, b, box, samples_per_side=2000):
    """Brute force: where w·p + b changes sign walking densely round the box's edge.

    Returns the crossing points (midpoints of the sample pairs that bracket a sign
    change) and the sample spacing h, so each true crossing lies within h of one.
    """
    (x0, x1), (y0, y1) = box
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    t = np.linspace(0.0, 1.0, samples_per_side, endpoint=False)
    walk = np.vstack([np.outer(1 - t, a) + np.outer(t, c) for a, c in itertools.pairwise(corners)])
    walk = np.vstack([walk, walk[:1]])
    positive = walk @ np.asarray(w, dtype=float) + b > 0
    changes = np.flatnonzero(positive[:-1] != positive[1:])
    h = max(x1 - x0, y1 - y0) / samples_per_side
    return [(walk[i] + walk[i + 1]) / 2 for i in changes], h


def test_diagonal_line_meets_opposite_corners():
    assert boundary_segment((1.0, 1.0), 0.0, *BOX) == ((-5.0, 5.0), (5.0, -5.0))


def test_general_line_has_endpoints_on_the_line_and_edges():
    w, b = (0.7, -1.9), 1.3
    segment = boundary_segment(w, b, *BOX)
    assert segment is not None
    for p in segment:
        assert residual_ok(w, b, p, BOX)
        assert on_edge(p, BOX)


def test_vertical_line():
    assert boundary_segment((2.0, 0.0), -2.0, *BOX) == ((1.0, -5.0), (1.0, 5.0))


def test_horizontal_line():
    assert boundary_segment((0.0, 3.0), 3.0, *BOX) == ((-5.0, -1.0), (5.0, -1.0))


def test_line_along_an_edge_is_that_edge():
    assert boundary_segment((1.0, 0.0), -5.0, *BOX) == ((5.0, -5.0), (5.0, 5.0))


def test_segment_in_an_off_centre_box():
    segment = boundary_segment((1.0, -1.0), 0.0, (0.0, 4.0), (1.0, 2.0))
    assert segment == ((1.0, 1.0), (2.0, 2.0))


@pytest.mark.parametrize(
    ("w", "b"),
    [
        ((0.0, 0.0), 0.0),
        ((0.0, 0.0), 1.0),
        ((math.nan, 1.0), 0.0),
        ((math.inf, 1.0), 0.0),
        ((1.0, 1.0), math.nan),
        ((1.0, 1.0), -math.inf),
        ((1.0, 0.0), -10.0),  # x = 10, right of the view
        ((0.0, 1.0), 5.5),  # y = -5.5, below the view
        ((1.0, 1.0), -10.0),  # x + y = 10 touches only the corner (5, 5)
        ((1.0, -1.0), 10.0),  # touches only the corner (-5, 5)
    ],
)
def test_no_visible_boundary(w, b):
    assert boundary_segment(w, b, *BOX) is None
    assert weight_arrow(w, b, *BOX) is None


@pytest.mark.parametrize(
    ("w", "b", "expected"),
    [
        ((1e-300, 1e-300), 0.0, ((-5.0, 5.0), (5.0, -5.0))),
        ((1e-300, 0.0), 1e-300, ((-1.0, -5.0), (-1.0, 5.0))),
        ((5e-324, 0.0), -5e-324, ((1.0, -5.0), (1.0, 5.0))),
        ((1e4, -1e4), 1e4, ((-5.0, -4.0), (4.0, 5.0))),
        ((1e300, 1e300), 0.0, ((-5.0, 5.0), (5.0, -5.0))),
    ],
)
def test_extreme_weights_without_warnings(w, b, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        segment = boundary_segment(np.array(w), np.float64(b), *BOX)
    assert_allclose(segment, expected, rtol=0, atol=1e-12)


def test_tiny_weights_with_ordinary_bias_put_the_line_far_away():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert boundary_segment((1e-300, 1e-300), 1.0, *BOX) is None
        assert boundary_segment(np.array([1e-320, 0.0]), np.float64(1e10), *BOX) is None


@pytest.mark.parametrize("bad", [(1.0, 1.0), (2.0, 1.0), (0.0, math.inf), (math.nan, 1.0)])
def test_bad_box_is_refused(bad):
    with pytest.raises(ValueError, match="x_range"):
        boundary_segment((1.0, 1.0), 0.0, bad, (-1.0, 1.0))


def lines_and_boxes():
    """A box, a weight vector (ordinary, huge or tiny) and a bias, often hitting the box."""
    coordinate = st.floats(-100, 100)
    span = st.floats(0.1, 200)
    weight = st.one_of(
        st.floats(-1e4, 1e4),
        st.floats(-1e-300, 1e-300),
        st.sampled_from([0.0, 1.0, -1.0]),
    )
    fraction = st.floats(-0.5, 1.5)  # where the line passes, relative to the box
    return st.tuples(coordinate, span, coordinate, span, weight, weight, fraction, fraction)


def lies_along_an_edge(w, b, box):
    """True when the line (nearly) runs along an edge, where signs are rounding noise."""
    m = max(abs(w[0]), abs(w[1]))
    a, c = np.array(w) / m, b / m
    (x0, x1), (y0, y1) = box
    corners = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    scale = np.abs(a).sum() * (np.abs(corners).max() + max(x1 - x0, y1 - y0)) + abs(c)
    near = np.abs(corners @ a + c) <= 1e-9 * scale
    return bool(np.any(near & np.roll(near, -1)))


def unpack(case):
    x0, xs, y0, ys, w1, w2, fx, fy = case
    box = ((x0, x0 + xs), (y0, y0 + ys))
    assume(box[0][0] < box[0][1] and box[1][0] < box[1][1])
    through = (x0 + fx * xs, y0 + fy * ys)
    # Subnormal products lose their digits, so b would not put the line through `through`.
    assume(all(p == 0 or abs(p) >= 1e-300 for p in (w1 * through[0], w2 * through[1])))
    b = -(w1 * through[0] + w2 * through[1])
    return (w1, w2), b, box


@settings(max_examples=300, deadline=None)
@given(lines_and_boxes())
def test_segment_matches_brute_force_walk_round_the_box(case):
    w, b, box = unpack(case)
    assume(max(abs(w[0]), abs(w[1])) > 0)
    assume(not lies_along_an_edge(w, b, box))  # tested on its own above
    # A line within 0.1° of an axis crosses an edge so obliquely that the walk's spacing
    # cannot place the crossing; axis-parallel lines (a zero weight) are still tested.
    small, large = sorted((abs(w[0]), abs(w[1])))
    assume(small == 0 or small / large > 2e-3)
    segment = boundary_segment(w, b, *box)
    m = max(abs(w[0]), abs(w[1]))  # brute force on the scaled line: no subnormal products
    crossings, h = perimeter_crossings((w[0] / m, w[1] / m), b / m, box)
    if segment is None:
        # Brute force may still see a sliver at a corner shorter than its own spacing.
        assert len(crossings) == 0 or math.dist(*crossings) <= 2 * h
        return
    for p in segment:
        assert residual_ok(w, b, p, box)
        assert on_edge(p, box)
    if not crossings:
        assert math.dist(*segment) <= 3 * h  # a sliver the sampling stepped over
        return
    assert len(crossings) == 2
    a, c = segment
    direct = max(math.dist(a, crossings[0]), math.dist(c, crossings[1]))
    swapped = max(math.dist(a, crossings[1]), math.dist(c, crossings[0]))
    assert min(direct, swapped) <= 1.01 * h


def test_arrow_on_a_known_line():
    arrow = weight_arrow((0.0, 2.0), -2.0, *BOX)  # the line y = 1, w pointing up
    assert_allclose(arrow, ((0.0, 1.0), (0.0, 1.0 + ARROW_FRACTION * 10)))


def test_arrow_starts_at_the_segment_end_nearest_the_centre_when_clamped():
    # x + y = 9.5 cuts only the top-right corner; its midpoint (4.75, 4.75) is nearest.
    arrow = weight_arrow((1.0, 1.0), -9.5, *BOX)
    assert_allclose(arrow[0], (4.75, 4.75))


@settings(max_examples=300, deadline=None)
@given(lines_and_boxes())
def test_arrow_is_normal_to_the_boundary_and_points_to_class_1(case):
    w, b, box = unpack(case)
    segment = boundary_segment(w, b, *box)
    arrow = weight_arrow(w, b, *box)
    assert (arrow is None) == (segment is None)
    if arrow is None:
        return
    start, end = np.array(arrow[0]), np.array(arrow[1])
    along = np.subtract(segment[1], segment[0])
    step = end - start
    length = ARROW_FRACTION * min(box[0][1] - box[0][0], box[1][1] - box[1][0])
    assert_allclose(np.linalg.norm(step), length, rtol=1e-9)
    # Endpoints carry rounding error relative to the view, not to the segment, which
    # can be a sliver near a corner: hence tolerances scaled by the view's span.
    span = max(box[0][1] - box[0][0], box[1][1] - box[1][0])
    assert abs(step @ along) <= 1e-9 * length * span
    scaled_w = np.array(w) / max(abs(w[0]), abs(w[1]))
    assert step @ scaled_w > 0  # moving along the arrow raises z, so ŷ > 0.5 there
    assert residual_ok(w, b, start, box)
    centre = np.array([sum(box[0]) / 2, sum(box[1]) / 2])
    samples = np.array(segment[0]) + np.linspace(0, 1, 2001)[:, None] * along
    nearest = np.min(np.linalg.norm(samples - centre, axis=1))
    assert np.linalg.norm(start - centre) <= nearest + 1e-9 * span


def test_view_with_no_points_is_the_padded_home_square():
    assert_allclose(view_ranges(np.empty((0, 2))), ((-6.5, 6.5), (-6.5, 6.5)))
    assert_allclose(view_ranges([]), ((-6.5, 6.5), (-6.5, 6.5)))


def test_view_of_points_inside_home_is_the_same():
    X = [[4.9, -4.9], [0.0, 0.0]]
    assert_allclose(view_ranges(X), ((-6.5, 6.5), (-6.5, 6.5)))


def test_view_grows_to_a_point_outside_home_and_keeps_equal_spans():
    # x: [-5, 7] is 12 wide; padded by 0.15·12 each side gives 15.6 around centre 1.
    assert_allclose(view_ranges([[7.0, 0.0]]), ((-6.8, 8.8), (-7.8, 7.8)))


@pytest.mark.parametrize(
    "X",
    [
        [[3.0, 3.0]] * 5,
        [[1e6, -1e6]],
        [[1e6, 1e6], [-1e6, 2.0], [0.5, 0.5]],
        [[-20.0, 0.0], [-20.0, 0.0]],
    ],
)
def test_view_holds_every_point_with_padding(X):
    pad = 0.15
    (x0, x1), (y0, y1) = view_ranges(X, pad=pad)
    assert x1 - x0 == pytest.approx(y1 - y0)
    assert x0 <= -5 and x1 >= 5 and y0 <= -5 and y1 >= 5
    margin = pad / (1 + 2 * pad) * (x1 - x0)  # pad × the unpadded span
    for px, py in X:
        assert x0 + margin * (1 - 1e-12) <= px <= x1 - margin * (1 - 1e-12)
        assert y0 + margin * (1 - 1e-12) <= py <= y1 - margin * (1 - 1e-12)


@pytest.mark.parametrize(
    ("X", "pad", "message"),
    [
        ([[math.nan, 0.0]], 0.15, "finite"),
        ([[1.0, 2.0, 3.0]], 0.15, "shape"),
        ([1.0, 2.0], 0.15, "shape"),
        ([[0.0, 0.0]], -0.1, "pad"),
        ([[0.0, 0.0]], math.inf, "pad"),
    ],
)
def test_view_refuses_bad_input(X, pad, message):
    with pytest.raises(ValueError, match=message):
        view_ranges(X, pad=pad)
