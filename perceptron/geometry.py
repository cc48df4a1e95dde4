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


# --- setting the boundary by hand ------------------------------------------------------------


def _arrow_length(x_range: Range, y_range: Range) -> float:
    return ARROW_FRACTION * min(x_range[1] - x_range[0], y_range[1] - y_range[0])


def boundary_handles(w, b: float, x_range: Range, y_range: Range) -> tuple[Point, Point] | None:
    """Two points to drag the boundary by: a quarter and three quarters along its visible piece.

    None when no boundary shows (see ``boundary_segment``).
    """
    segment = boundary_segment(w, b, x_range, y_range)
    if segment is None:
        return None
    (xa, ya), (xb, yb) = segment
    dx, dy = xb - xa, yb - ya
    return (xa + dx / 4, ya + dy / 4), (xa + 3 * dx / 4, ya + 3 * dy / 4)


def line_through(p: Point, q: Point, norm: float, like=None) -> tuple[np.ndarray, float]:
    """(w, b) of the boundary through points p and q, with ‖w‖ = ``norm``.

    Of the two normals, w is the one on the side of ``like`` (w·like ≥ 0), so dragging
    the line keeps its class-1 side; without ``like`` (or with like = 0) it is (q − p)
    turned a quarter turn anticlockwise. Raises ValueError if p = q or norm is not > 0.
    """
    px, py, qx, qy = (float(v) for v in (*p, *q))
    if not all(math.isfinite(v) for v in (px, py, qx, qy)):
        raise ValueError(f"the points must be finite, got {p!r} and {q!r}")
    if not (math.isfinite(norm) and norm > 0):
        raise ValueError(f"norm must be a finite number > 0, got {norm!r}")
    dx, dy = qx - px, qy - py
    length = math.hypot(dx, dy)
    if length == 0:
        raise ValueError(f"a line needs two different points, got {p!r} twice")
    w = np.array([-dy, dx]) / length * norm
    if like is not None and float(np.dot(w, np.asarray(like, dtype=np.float64))) < 0:
        w = -w
    return w + 0.0, -float(w[0] * px + w[1] * py) + 0.0


def weight_from_arrow(start: Point, tip: Point, w, x_range: Range, y_range: Range):
    """(w, b) after the weight arrow is dragged to point from ``start`` to ``tip``.

    The boundary turns about ``start`` (it stays on the line) to be normal to the arrow,
    and ‖w‖ scales with the arrow's length: the arrow drawn by ``weight_arrow`` (length
    ``ARROW_FRACTION`` of the view's narrower side) keeps ‖w‖; twice as long doubles it.
    From w = 0 that length means ‖w‖ = 1. Raises ValueError if tip = start.
    """
    (sx, sy), (tx, ty) = start, tip
    dx, dy = float(tx) - float(sx), float(ty) - float(sy)
    length = math.hypot(dx, dy)
    if not (math.isfinite(length) and length > 0):
        raise ValueError(f"the arrow needs a tip away from its start, got {start!r} and {tip!r}")
    old = float(np.hypot(*np.asarray(w, dtype=np.float64)))
    scale = (old if old > 0 else 1.0) * length / _arrow_length(x_range, y_range)
    new = np.array([dx, dy]) / length * scale
    return new + 0.0, -float(new[0] * float(sx) + new[1] * float(sy)) + 0.0


def rotate_boundary(w, b: float, angle: float, about: Point) -> tuple[np.ndarray, float]:
    """The boundary turned by ``angle`` radians (anticlockwise) about the point ``about``.

    ‖w‖ is kept. ``about`` should lie on the boundary (a handle) for the line to pivot
    there; any point works as a centre of rotation.
    """
    c, s = math.cos(angle), math.sin(angle)
    w1, w2 = (float(v) for v in w)
    new = np.array([c * w1 - s * w2, s * w1 + c * w2])
    # The line's points x turn to R·(x − a) + a; the new line is R·w · (x' − a) + w·a + b = 0.
    ax, ay = (float(v) for v in about)
    return new + 0.0, float(b) + w1 * ax + w2 * ay - float(new[0] * ax + new[1] * ay) + 0.0


def shift_boundary(w, b: float, distance: float) -> tuple[np.ndarray, float]:
    """The boundary moved ``distance`` along w (toward the ŷ > 0.5 side when positive).

    Every point's distance to it changes by that much; ‖w‖ and the angle are kept.
    Raises ValueError when w = 0 (no boundary to move).
    """
    w = np.asarray(w, dtype=np.float64)
    norm = float(np.hypot(*w))
    if norm == 0:
        raise ValueError("w = 0: there is no boundary to move")
    return w.copy(), float(b) - float(distance) * norm + 0.0


def downhill_arrow(w, b: float, grad_w, x_range: Range, y_range: Range):
    """An arrow "downhill is this way" for w: along −∂L/∂w, from the weight arrow's tip.

    −∂L/∂w is the mean of (y − ŷ)·x: each point pulls w toward itself (class 1) or
    pushes it away (class 0), the more the wronger ŷ is. The arrow shows that direction
    only (the same length as the weight arrow); it starts at the weight arrow's tip, or
    at the view's centre when no boundary shows. None when the gradient is 0.
    """
    g1, g2 = (float(v) for v in grad_w)
    size = math.hypot(g1, g2)
    if not (math.isfinite(size) and size > 0):
        return None
    arrow = weight_arrow(w, b, x_range, y_range)
    start = arrow[1] if arrow is not None else (sum(x_range) / 2, sum(y_range) / 2)
    length = _arrow_length(x_range, y_range)
    return start, (start[0] - length * g1 / size, start[1] - length * g2 / size)
