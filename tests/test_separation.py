"""Exact linear separability, checked against a brute-force search over directions."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perceptron.datasets import make_dataset
from perceptron.separation import overlap, separable, separating_line

XOR_X = [[1, 1], [1, -1], [-1, -1], [-1, 1]]
XOR_Y = [1, 0, 1, 0]


def brute_force_separable(X, y) -> bool:
    """Some direction u has every class-1 projection above every class-0 projection.

    f(u) = min over class 1 of u·x − max over class 0 of u·x is a min and max of
    sinusoids in u's angle: its largest value is where two of them cross (u normal to
    p − q) or where one difference peaks (u along p − q), for some pair of points. So
    trying those directions, exactly in integers, decides it (no hull involved).
    """
    pts = [tuple(map(int, p)) for p in X]
    ones = [p for p, label in zip(pts, y, strict=True) if label == 1]
    zeros = [p for p, label in zip(pts, y, strict=True) if label == 0]
    if not ones or not zeros:
        return True
    directions = []
    for p, q in itertools.combinations(set(pts), 2):
        dx, dy = q[0] - p[0], q[1] - p[1]
        directions += [(dx, dy), (-dx, -dy), (-dy, dx), (dy, -dx)]
    for ux, uy in directions:
        if min(ux * a + uy * b for a, b in ones) > max(ux * a + uy * b for a, b in zeros):
            return True
    return False


def in_hull(point, corners) -> bool:
    """``point`` is a convex combination of ``corners`` (1 to 3 of them), up to rounding."""
    corners = np.asarray(corners, dtype=float)
    point = np.asarray(point, dtype=float)
    if len(corners) == 1:
        return np.allclose(point, corners[0])
    if len(corners) == 2:
        a, b = corners
        t = np.dot(point - a, b - a) / np.dot(b - a, b - a)
        return -1e-9 <= t <= 1 + 1e-9 and np.allclose(a + t * (b - a), point, atol=1e-9)
    a, b, c = corners
    m = np.column_stack([b - a, c - a])
    s, t = np.linalg.solve(m, point - a)
    return min(s, t) >= -1e-9 and s + t <= 1 + 1e-9


def assert_witness_holds(X, y, found):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    assert found.class0 and found.class1
    assert all(y[i] == 0 for i in found.class0) and all(y[i] == 1 for i in found.class1)
    assert in_hull(found.at, X[list(found.class0)])
    assert in_hull(found.at, X[list(found.class1)])
    assert "no line" in found.text or "at most one" in found.text


def test_xor_is_not_separable_and_the_witness_is_two_crossing_diagonals():
    assert not separable(XOR_X, XOR_Y)
    assert separating_line(XOR_X, XOR_Y) is None
    found = overlap(XOR_X, XOR_Y)
    assert found.class1 == (0, 2) and found.class0 == (1, 3) and found.at == (0.0, 0.0)
    assert found.text == (
        "The segment from point 1 to point 3 (both class 1) crosses the segment from point 2 "
        "to point 4 (both class 0) at (0, 0). A line with points 1 and 3 on one side has "
        "their whole segment there, and likewise 2 and 4 on the other: the crossing would "
        "have to lie on both sides, so no line gets all four right."
    )


@pytest.mark.parametrize(
    ("X", "y", "words"),
    [
        ([[0, 0], [4, 0], [0, 4], [1, 1]], [0, 0, 0, 1], "inside the triangle"),
        ([[0, 0], [2, 0], [1, 0]], [0, 0, 1], "on the segment"),
        ([[1, 2], [1, 2], [3, 3]], [0, 1, 1], "same place"),
        ([[0, 0], [4, 0], [0, 4], [1, 1], [9, 9]], [1, 1, 1, 0, 0], "inside the triangle"),
    ],
)
def test_each_kind_of_witness(X, y, words):
    found = overlap(X, y)
    assert words in found.text
    assert_witness_holds(X, y, found)


@pytest.mark.parametrize(
    ("X", "y"),
    [
        ([], []),
        ([[1, 2]], [1]),
        ([[1, 2], [3, 4], [5, 5]], [0, 0, 0]),
        ([[0, 0], [2, 0], [3, 0]], [0, 0, 1]),  # collinear, apart: the line's direction parts
        ([[1, 1], [2, 2]], [0, 1]),
        ([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 0, 0, 1]),  # AND
    ],
)
def test_separable_sets_get_a_line_that_separates_them(X, y):
    assert separable(X, y) and overlap(X, y) is None
    w, b = separating_line(X, y)
    z = np.asarray(X, dtype=float).reshape(-1, 2) @ w + b
    assert np.all(np.where(np.asarray(y) == 1, z > 0, z < 0))


def test_a_gap_far_below_float_resolution_of_the_coordinates_is_still_seen():
    # 1e-12 apart on a line through points with coordinates near 1e6: exact integers decide.
    X = [[1e6, 0.0], [0.0, 1e6], [5e5, 5e5 + 1e-10]]
    assert separable(X, [0, 0, 1])
    assert not separable([[1e6, 0.0], [0.0, 1e6], [5e5, 5e5]], [0, 0, 1])


def test_presets_agree_with_what_they_promise():
    for name, promise in [("separable", True), ("xor", False), ("rings", False)]:
        X, y = make_dataset(name, n=60, seed=3)
        assert separable(X, y) is promise
        if not promise:
            assert_witness_holds(X, y, overlap(X, y))


grid = st.integers(-3, 3)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(grid, grid, st.sampled_from([0, 1])), min_size=0, max_size=9))
def test_agrees_with_brute_force_on_small_grids(rows):
    X = [[a, b] for a, b, _ in rows]
    y = [label for *_, label in rows]
    expected = brute_force_separable(X, y)
    assert separable(X, y) is expected
    found = overlap(X, y)
    assert (found is None) is expected
    if found is not None:
        assert_witness_holds(X, y, found)
    else:
        w, b = separating_line(X, y)
        z = np.asarray(X, dtype=float).reshape(-1, 2) @ w + b
        assert np.all(np.where(np.asarray(y) == 1, z > 0, z < 0))


fraction = st.fractions(-2, 2, max_denominator=64)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(fraction, fraction, st.sampled_from([0, 1])), max_size=8))
def test_float_coordinates_agree_with_the_same_floats_made_integers(rows):
    X = [[float(a), float(b)] for a, b, _ in rows]
    y = [label for *_, label in rows]
    # Each float is an exact binary fraction; their largest denominator makes all integers.
    exact = [[Fraction(v) for v in p] for p in X]
    den = max((v.denominator for p in exact for v in p), default=1)
    ints = [[int(v * den) for v in p] for p in exact]
    assert separable(X, y) is brute_force_separable(ints, y)
