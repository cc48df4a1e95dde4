"""The one check of a set of labelled points, with one wording wherever they come from."""

from __future__ import annotations

import numpy as np

from perceptron.limits import MAX_ABS_COORDINATE, MAX_POINTS


def checked_points(X, y, source: str = "the points") -> tuple[np.ndarray, np.ndarray]:
    """Read-only float64 copies of points ``X`` ``(n, 2)`` and labels ``y`` ``(n,)``.

    Raises ValueError "<source>: <problem>", the problem naming the first bad point by
    its number from 1 (as the Playground and the Data page number them): a shape, a
    coordinate that is not a finite number within ±MAX_ABS_COORDINATE, a label other than
    0 and 1, or more than MAX_POINTS points. ``source`` says where the points came from
    ("the link", "row 7 of the file", "the table"). No points at all are allowed.
    """
    X, y = _as_arrays(X, y, source)
    problem = _problem(X, y)
    if problem:
        raise ValueError(f"{source}: {problem}")
    X, y = X + 0.0, y + 0.0  # "+ 0.0" turns -0.0 into 0.0, so equal points compare equal
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


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
    if len(X) > MAX_POINTS:
        return f"{len(X):,} points; at most {MAX_POINTS:,} are allowed"
    far = np.flatnonzero(~(np.abs(X) <= MAX_ABS_COORDINATE).all(axis=1))
    if far.size:
        x1, x2 = X[far[0]]
        return (
            f"point {far[0] + 1} is ({x1:g}, {x2:g}); coordinates must be finite numbers "
            f"within ±{MAX_ABS_COORDINATE:,.0f}"
        )
    odd = np.flatnonzero((y != 0) & (y != 1))
    if odd.size:
        return f"point {odd[0] + 1} has the label {y[odd[0]]:g}; labels must be 0 or 1"
    return None
