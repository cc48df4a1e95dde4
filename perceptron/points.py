"""The one check of a set of labelled points, with one wording wherever they come from.

``checked_points`` checks a whole set; ``bad_points``, ``point_problem`` and
``count_problem`` are its rules and words, for readers that name a point their own way
(a file's line, a table's row).
"""

from __future__ import annotations

import numpy as np

from perceptron.limits import MAX_ABS_COORDINATE, MAX_POINTS


def checked_points(X, y, source: str = "the points") -> tuple[np.ndarray, np.ndarray]:
    """Read-only float64 copies of points ``X`` ``(n, 2)`` and labels ``y`` ``(n,)``.

    Raises ValueError "<source>: <problem>", the problem naming the first bad point by
    its number from 1 (as the Playground and the Data page number them): a shape, a
    coordinate that is not a finite number within ±MAX_ABS_COORDINATE, a label other than
    0 and 1, or more than MAX_POINTS points. ``source`` says where the points came from
    ("the link", "the table"). No points at all are allowed.
    """
    X, y = _as_arrays(X, y, source)
    problem = _problem(X, y)
    if problem:
        raise ValueError(f"{source}: {problem}")
    X, y = X + 0.0, y + 0.0  # "+ 0.0" turns -0.0 into 0.0, so equal points compare equal
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def bad_points(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Which of points ``X`` ``(n, 2)`` with labels ``y`` ``(n,)`` the check refuses: a
    coordinate that is not a finite number within ±MAX_ABS_COORDINATE, or a label other
    than 0 and 1."""
    return ~(_coordinates_ok(X) & _label_ok(y))


def point_problem(x1: float, x2: float, label: float, name: str) -> str | None:
    """What is wrong with one labelled point, or None; ``name`` is what the message calls
    it ("point 7", "row 7", "The point on line 8"): every check of points words it so."""
    if not _coordinates_ok(np.array([x1, x2])):
        return (
            f"{name} is ({_shown(x1)}, {_shown(x2)}); coordinates must be finite numbers "
            f"within ±{MAX_ABS_COORDINATE:,.0f}"
        )
    if not _label_ok(label):
        return f"{name} has the label {_shown(label)}; labels must be 0 or 1"
    return None


def count_problem(n: int) -> str | None:
    """Why ``n`` points are too many, or None."""
    return f"{n:,} points; at most {MAX_POINTS:,} are allowed" if n > MAX_POINTS else None


def _coordinates_ok(X: np.ndarray) -> np.ndarray:
    """For a point ``(2,)`` or points ``(n, 2)``: both coordinates finite and in range."""
    return np.all(np.abs(X) <= MAX_ABS_COORDINATE, axis=-1)  # NaN compares False


def _label_ok(y):
    return (y == 0) | (y == 1)


def _shown(v: float) -> str:
    """``v`` with every digit it has (1000000.5, not 1e+06), and no ".0" on a whole number."""
    return repr(float(v)).removesuffix(".0")


def _as_arrays(X, y, source: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        X, y = np.asarray(X), np.asarray(y)
    except (TypeError, ValueError):
        raise ValueError(f"{source}: not a table of numbers, two coordinates per point") from None
    for name, values in (("coordinates", X), ("labels", y)):
        if values.size and values.dtype.kind not in "biuf":
            raise ValueError(f"{source}: the {name} must be numbers, got {values.dtype} values")
    X = np.array(X, dtype=np.float64).reshape(-1, 2) if X.size == 0 else np.array(X, float)
    return X, np.array(y, dtype=np.float64).reshape(-1) if y.ndim <= 1 else np.array(y, float)


def _problem(X: np.ndarray, y: np.ndarray) -> str | None:
    if X.ndim != 2 or X.shape[1] != 2:
        return f"points need two coordinates each, x1 and x2; got an array of shape {X.shape}"
    if y.ndim != 1:
        return f"the labels must be one flat list, got an array of shape {y.shape}"
    if len(y) != len(X):
        return f"there must be one label per point: {len(y):,} labels for {len(X):,} points"
    return count_problem(len(X)) or _first_bad_point(X, y)


def _first_bad_point(X: np.ndarray, y: np.ndarray) -> str | None:
    bad = np.flatnonzero(bad_points(X, y))
    if not bad.size:
        return None
    i = int(bad[0])
    return point_problem(X[i, 0], X[i, 1], y[i], f"point {i + 1}")
