"""Plane geometry for drawing the neuron: its boundary line, the weight arrow, the view.

The decision boundary is the line w1·x1 + w2·x2 + b = 0, where z = 0 and ŷ = σ(z) = 0.5.
The weight vector w is normal to it and points to the side where ŷ > 0.5.

All arithmetic here is on Python floats, which overflow to inf quietly, and the line is
first scaled so its larger weight is ±1; that keeps weights from 1e-300 to 1e4 (and
beyond) free of overflow, underflow and warnings.
"""

import math
from itertools import combinations

import numpy as np

Point = tuple[float, float]
Range = tuple[float, float]

# The view every data set starts from; the presets lie inside it.
HOME_RANGE: Range = (-5.0, 5.0)
# The weight arrow's length as a share of the view's narrower side.
ARROW_FRACTION = 0.15
# Crossings this close to the view (relative to its span) count as on it, so rounding
# cannot lose a line through a corner; a piece shorter than this is not drawn.
_EDGE_TOL = 1e-9


def boundary_segment(w, b: float, x_range: Range, y_range: Range) -> tuple[Point, Point] | None:
    """The part of the line w1·x1 + w2·x2 + b = 0 inside the box ``x_range × y_range``.

    Returns the two endpoints ((xa, ya), (xb, yb)), both on the box's edges and ordered
    left to right (then bottom to top), or None when nothing visible remains: w is zero
    or not finite, b is not finite, or the line misses the box or only touches a corner.
    """
    (x0, x1), (y0, y1) = _check_box(x_range, y_range)
    line = _scaled_line(w, b)
    if line is None:
        return None
    a1, a2, c = line
    crossings = []
    if a2 != 0:  # not vertical, so it meets the left and right edges' lines
        crossings += [(x, -(c + a1 * x) / a2) for x in (x0, x1)]
    if a1 != 0:  # not horizontal, so it meets the bottom and top edges' lines
        crossings += [(-(c + a2 * y) / a1, y) for y in (y0, y1)]
    tol = _EDGE_TOL * max(x1 - x0, y1 - y0)
    on_box = [
        (_clamp(x, x0, x1), _clamp(y, y0, y1))
        for x, y in crossings
        if x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol
    ]
    # A line through a corner meets two edges there; the farthest pair is the segment.
    pairs = list(combinations(on_box, 2))
    if not pairs:
        return None
    start, end = max(pairs, key=lambda pair: math.dist(*pair))
    if math.dist(start, end) <= tol:
        return None
    return (start, end) if start <= end else (end, start)


def weight_arrow(w, b: float, x_range: Range, y_range: Range) -> tuple[Point, Point] | None:
    """Start and end of an arrow along w, drawn from the visible boundary.

    The arrow starts at the point of the visible boundary segment nearest the view's
    centre and has length ``ARROW_FRACTION`` of the view's narrower side. It is normal
    to the boundary and points to the side where ŷ > 0.5. None when no boundary shows.
    """
    segment = boundary_segment(w, b, x_range, y_range)
    if segment is None:
        return None
    start = _nearest_on_segment(segment, (sum(x_range) / 2, sum(y_range) / 2))
    a1, a2, _ = _scaled_line(w, b)
    length = ARROW_FRACTION * min(x_range[1] - x_range[0], y_range[1] - y_range[0])
    norm = math.hypot(a1, a2)
    end = (start[0] + length * a1 / norm, start[1] + length * a2 / norm)
    return start, end


def view_ranges(X, pad: float = 0.15, home: Range = HOME_RANGE) -> tuple[Range, Range]:
    """Axis ranges ((x_lo, x_hi), (y_lo, y_hi)) for plotting the points ``X``.

    Take the smallest box holding the square ``home × home`` and every point, widen it
    by ``pad`` times its span on every side, then widen the narrower axis about its
    centre to match the wider. Both axes then share one scale, so on a square plot the
    weight arrow looks perpendicular to the boundary. Keeping the home square in view
    keeps the origin visible and the view steady while points stay within it. With no
    points the result is the padded home square.
    """
    X = _check_points(X)
    if not (math.isfinite(pad) and pad >= 0):
        raise ValueError(f"pad must be a finite number ≥ 0, got {pad!r}")
    lo = X.min(axis=0, initial=home[0])  # "initial" takes part in the min, so the
    hi = X.max(axis=0, initial=home[1])  # home square is always inside
    span = (1 + 2 * pad) * float(np.max(hi - lo))
    centre = (lo + hi) / 2
    x_range = (float(centre[0] - span / 2), float(centre[0] + span / 2))
    y_range = (float(centre[1] - span / 2), float(centre[1] + span / 2))
    return x_range, y_range


def _check_box(x_range, y_range) -> tuple[Range, Range]:
    box = []
    for name, (lo, hi) in (("x_range", x_range), ("y_range", y_range)):
        lo, hi = float(lo), float(hi)
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"{name} must be finite with low < high, got {(lo, hi)!r}")
        box.append((lo, hi))
    return box[0], box[1]


def _check_points(X) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.size == 0:
        return X.reshape(0, 2)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must contain only finite coordinates")
    return X


def _scaled_line(w, b) -> tuple[float, float, float] | None:
    """(a1, a2, c) = (w1, w2, b) / max(|w1|, |w2|): the same line, larger weight ±1.

    None if w is zero or anything is not finite. c may overflow to ±inf for a line
    far outside any view, which the edge tests then reject.
    """
    w1, w2, b = float(w[0]), float(w[1]), float(b)
    if not all(math.isfinite(v) for v in (w1, w2, b)):
        return None
    scale = max(abs(w1), abs(w2))
    if scale == 0:
        return None
    return w1 / scale, w2 / scale, b / scale


def _nearest_on_segment(segment: tuple[Point, Point], target: Point) -> Point:
    (ax, ay), (bx, by) = segment
    dx, dy = bx - ax, by - ay
    t = ((target[0] - ax) * dx + (target[1] - ay) * dy) / (dx * dx + dy * dy)
    t = _clamp(t, 0.0, 1.0)
    return ax + t * dx, ay + t * dy


def _clamp(value: float, lo: float, hi: float) -> float:
    return min(max(value, lo), hi)
