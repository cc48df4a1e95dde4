"""Whether one straight line can put every point on its own class's side, decided exactly.

A line with every class-1 point strictly on one side and every class-0 point strictly on
the other exists exactly when the convex hulls of the two classes (the smallest convex
polygons around each) do not meet. Every float64 is an exact fraction m / 2^e, so scaling
all coordinates by one power of two turns them into exact integers; every test below is
then integer arithmetic, and no rounding can decide a borderline case the wrong way.

When the hulls meet, ``overlap`` finds a small witness a learner can check by eye: two
points of different classes at one place, a point inside a triangle (or on a segment) of
the other class, or a segment between two points of one class crossing a segment between
two points of the other.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from perceptron.points import checked_points

_Int2 = tuple[int, int]
_COUNT = {3: "three", 4: "four"}


@dataclass(frozen=True)
class Overlap:
    """Why no line separates the classes: points of each class whose shapes share a point.

    ``class0`` and ``class1`` are row indices of X (0-based); ``at`` is a place both shapes
    contain; ``text`` says it in words, numbering points from 1 as the pages do.
    """

    class0: tuple[int, ...]
    class1: tuple[int, ...]
    at: tuple[float, float]
    text: str


def separable(X, y) -> bool:
    """True when some line has every class-1 point strictly on one side, class 0 on the other.

    One class alone (or no points) is always separable: any line beside them all will do.
    """
    pts0, pts1, _ = _classes(X, y)
    return _separating_axis(pts0, pts1) is not None


def separating_line(X, y) -> tuple[np.ndarray, float] | None:
    """A line (w ``(2,)``, b) with w·x + b > 0 for class 1 and < 0 for class 0, or None.

    Exact in its choice; the returned floats are rounded, so a point within about 1e-15
    (relative) of the line could land on it. ‖w‖ = 1.
    """
    X, y = checked_points(X, y)
    pts0, pts1, den = _classes(X, y)
    axis = _separating_axis(pts0, pts1)
    if axis is None:
        return None
    if not pts0 or not pts1:
        return _beside(X, y)
    (a1, a2), lo, hi = axis
    norm = math.hypot(a1, a2)
    w = np.array([a1 / norm, a2 / norm])
    middle = (Fraction(lo) + Fraction(hi)) / 2
    return w, -float(middle / den) / norm


def overlap(X, y) -> Overlap | None:
    """A witness that no line separates the classes, or None when a line does."""
    pts0, pts1, den = _classes(X, y)
    if _separating_axis(pts0, pts1) is not None:
        return None
    return (
        _same_place(pts0, pts1, den)
        or _inside(pts1, pts0, den, flipped=False)
        or _inside(pts0, pts1, den, flipped=True)
        or _crossing(pts0, pts1, den)
    )


# --- exact coordinates -------------------------------------------------------------------


def _classes(X, y) -> tuple[dict[_Int2, int], dict[_Int2, int], int]:
    """Each class as {integer point: first row index}, and the common scale ``den``."""
    X, y = checked_points(X, y)
    ratios = [float(v).as_integer_ratio() for v in X.ravel()]
    den = max((d for _, d in ratios), default=1)  # powers of two: each divides the largest
    ints = [n * (den // d) for n, d in ratios]
    classes: tuple[dict[_Int2, int], dict[_Int2, int]] = ({}, {})
    for i, label in enumerate(y):
        classes[int(label)].setdefault((ints[2 * i], ints[2 * i + 1]), i)
    return classes[0], classes[1], den


def _beside(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """A line with all the points (one class, or none) on that class's side."""
    w = np.array([1.0, 0.0])
    if len(y) == 0:
        return w, 0.0
    if y[0] == 1:
        return w, 1.0 - float(X[:, 0].min())
    return w, -1.0 - float(X[:, 0].max())


def _cross(o: _Int2, a: _Int2, b: _Int2) -> int:
    """(a − o) × (b − o): > 0 when o, a, b turn left, 0 when they are collinear."""
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _hull(points) -> list[_Int2]:
    """Vertices of the convex hull, counter-clockwise, no three collinear (Andrew's chain).

    One point gives [p]; collinear points give their two ends.
    """
    pts = sorted(points)
    if len(pts) <= 2:
        return pts

    def half(seq):
        chain: list[_Int2] = []
        for p in seq:
            while len(chain) >= 2 and _cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
        return chain[:-1]

    return half(pts) + half(reversed(pts))


def _edges(hull: list[_Int2]) -> list[tuple[_Int2, _Int2]]:
    if len(hull) < 2:
        return []
    if len(hull) == 2:
        return [(hull[0], hull[1])]
    return list(zip(hull, hull[1:] + hull[:1], strict=True))


def _separating_axis(pts0, pts1):
    """(axis, max of class 0, min of class 1) along an axis whose projections part, or None.

    The separating-axis test: two convex polygons are disjoint exactly when their
    projections onto the normal of one of their edges are disjoint, or, when both are
    segments on one line (or points), onto that line's direction (or their difference).
    """
    if not pts0 or not pts1:
        return ((1, 0), 0, 1)
    hull0, hull1 = _hull(pts0), _hull(pts1)
    axes = []
    for a, b in _edges(hull0) + _edges(hull1):
        dx, dy = b[0] - a[0], b[1] - a[1]
        axes += [(-dy, dx), (dy, -dx), (dx, dy), (-dx, -dy)]
    if len(hull0) == len(hull1) == 1:
        dx, dy = hull1[0][0] - hull0[0][0], hull1[0][1] - hull0[0][1]
        axes.append((dx, dy))
    for axis in axes:
        top0 = max(axis[0] * p[0] + axis[1] * p[1] for p in hull0)
        low1 = min(axis[0] * p[0] + axis[1] * p[1] for p in hull1)
        if top0 < low1:
            return axis, top0, low1
    return None


# --- witnesses -----------------------------------------------------------------------------


def _number(v: Fraction | int, den: int) -> str:
    return f"{float(Fraction(v) / den):.3g}".replace("-", "−")


def _place(p, den: int) -> str:
    return f"({_number(p[0], den)}, {_number(p[1], den)})"


def _floats(p, den: int) -> tuple[float, float]:
    return float(Fraction(p[0]) / den), float(Fraction(p[1]) / den)


def _names(indices) -> str:
    numbers = [str(i + 1) for i in indices]
    return numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]


def _same_place(pts0, pts1, den) -> Overlap | None:
    for p, i in pts0.items():
        if p in pts1:
            j = pts1[p]
            text = (
                f"Points {min(i, j) + 1} and {max(i, j) + 1} sit at the same place, "
                f"{_place(p, den)}, with different labels. A line puts a place on one side "
                "only, so it gets at most one of them right."
            )
            return Overlap((i,), (j,), _floats(p, den), text)
    return None


def _on_segment(p, a, b) -> bool:
    """p lies on the closed segment from a to b."""
    if _cross(a, b, p) != 0:
        return False
    return min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def _in_triangle(p, a, b, c) -> bool:
    """p lies in the closed triangle a, b, c (given counter-clockwise)."""
    return _cross(a, b, p) >= 0 and _cross(b, c, p) >= 0 and _cross(c, a, p) >= 0


def _inside(points, others, den, *, flipped: bool) -> Overlap | None:
    """A point of ``points`` (class 1 unless ``flipped``) in the hull of ``others``."""
    hull = _hull(others)
    shapes = [[hull[0], *pair] for pair in itertools.pairwise(hull[1:])]
    if len(hull) == 2:
        shapes = [hull]
    for p in _hull(points):
        for shape in shapes:
            if not (_on_segment(p, *shape) if len(shape) == 2 else _in_triangle(p, *shape)):
                continue
            i, corners = points[p], sorted(others[q] for q in shape)
            own, other = (0, 1) if flipped else (1, 0)
            where = "inside the triangle" if len(shape) == 3 else "on the segment"
            text = (
                f"Point {i + 1} (class {own}) lies {where} of class-{other} points "
                f"{_names(corners)}. A line with those on the class-{other} side has the "
                f"whole {'triangle' if len(shape) == 3 else 'segment'} on that side, point "
                f"{i + 1} included, so no line gets all {_COUNT[len(shape) + 1]} of them right."
            )
            ones, zeros = ((i,), tuple(corners)) if not flipped else (tuple(corners), (i,))
            return Overlap(zeros, ones, _floats(p, den), text)
    return None


def _crossing(pts0, pts1, den) -> Overlap | None:
    for a, b in _edges(_hull(pts0)):
        for c, d in _edges(_hull(pts1)):
            at = _intersection(a, b, c, d)
            if at is None:
                continue
            i, j = sorted((pts0[a], pts0[b]))
            k, m = sorted((pts1[c], pts1[d]))
            text = (
                f"The segment from point {k + 1} to point {m + 1} (both class 1) crosses the "
                f"segment from point {i + 1} to point {j + 1} (both class 0) at "
                f"{_place(at, den)}. A line with points {k + 1} and {m + 1} on one side has "
                f"their whole segment there, and likewise {i + 1} and {j + 1} on the other: "
                "the crossing would have to lie on both sides, so no line gets all four right."
            )
            return Overlap((i, j), (k, m), _floats(at, den), text)
    return None


def _intersection(a, b, c, d) -> tuple[Fraction, Fraction] | None:
    """Where the closed segments ab and cd meet when they cross at one point, else None."""
    d1, d2 = _cross(c, d, a), _cross(c, d, b)
    d3, d4 = _cross(a, b, c), _cross(a, b, d)
    if d1 == d2 or (d1 > 0 and d2 > 0) or (d1 < 0 and d2 < 0):
        return None
    if (d3 > 0 and d4 > 0) or (d3 < 0 and d4 < 0):
        return None
    t = Fraction(d1, d1 - d2)
    return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
