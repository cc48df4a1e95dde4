"""What the Playground's charts show at a step, as numbers the browser draws.

The payload's numbers (``ui.contract``) are made here: values rounded for the page, the
steps a line chart samples, the ŷ shading's grid, and the state of the data chart at one
step (the boundary's visible piece, the weight arrow, which points are wrong, undecided or
used) with its point masks. How those numbers look (colours, sizes) is ``ui.style``'s
and ``ui.figures``'s business.
"""

from __future__ import annotations

import base64

import numpy as np

from perceptron.explain import UNDECIDED, WRONG, verdicts
from perceptron.geometry import boundary_segment, weight_arrow
from perceptron.model import predict_proba

SERIES_MAX_POINTS = 1_000
GRID_SIZE = 40


def rounded(values, digits: int = 5) -> list[float]:
    """Values as a JSON-friendly list, to ``digits`` significant digits (keeps payloads small).

    Each value becomes the float nearest to its rounded decimal, as ``float(f"{v:.5g}")``
    would make it, but for a whole array at once: an integer n of ``digits`` digits
    divided (or multiplied) by an exact power of ten is rounded once, to that float.
    """
    v = np.asarray(values, dtype=float).ravel()
    if v.size <= 16:  # a few numbers: quicker one at a time than through numpy
        return [float(f"{x:.{digits}g}") for x in v.tolist()]
    out = v.copy()
    todo = np.flatnonzero(np.isfinite(v) & (v != 0))
    shift = digits - 1 - np.floor(np.log10(np.abs(v[todo])))
    exact = np.abs(shift) <= 22  # 10**22 is the largest power of ten a float holds exactly
    i, k = todo[exact], shift[exact]
    n = np.rint(v[i] * 10.0**k)
    over = np.abs(n) >= 10.0**digits  # log10 fell just short of a power of ten
    k[over] -= 1
    n[over] = np.rint(v[i[over]] * 10.0 ** k[over])
    out[i] = np.where(k >= 0, n / 10.0 ** np.abs(k), n * 10.0 ** np.abs(k))
    for j in todo[~exact]:  # tiny or huge: rare, one at a time
        out[j] = float(f"{v[j]:.{digits}g}")
    return out.tolist()


def sample_indices(count: int, max_points: int = SERIES_MAX_POINTS) -> np.ndarray:
    """At most ``max_points`` evenly spread indices of ``range(count)``, first and last included."""
    if count <= max_points:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, max_points).round().astype(int))


def grid_axes(x_range, y_range, size: int = GRID_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """The ŷ shading grid's x1 and x2 values: ``size`` of each, spanning the view."""
    return np.linspace(*x_range, size), np.linspace(*y_range, size)


def shading_grid(w, b, x_range, y_range, size: int = GRID_SIZE):
    """Grid axes and ŷ = σ(w1·x1 + w2·x2 + b) on it, shape (size, size), rows along x2.

    The browser evaluates the same σ on the same grid at every step it shows (the one
    formula it holds, checked against this one in tests/test_browser_contract.py)."""
    gx, gy = grid_axes(x_range, y_range, size)
    XX, YY = np.meshgrid(gx, gy)
    Z = predict_proba(w, b, np.column_stack([XX.ravel(), YY.ravel()])).reshape(size, size)
    return gx, gy, Z


def step_record(X, y, w, b, view, *, used=None) -> dict:
    """What moves on the data chart at one step, as the browser draws it without redrawing
    the chart: w and b (for the ŷ shading, the one formula the browser evaluates, per
    pixel), the boundary's visible segment [x0, y0, x1, y1], the weight arrow
    [from x, from y, to x, to y] or a note when no boundary is in view, the misclassified
    and undecided points as bit masks (see ``point_mask``) and the rows update k used
    (none when it used all of them: every point would be ringed). Coordinates keep 6
    significant digits, a thousandth of a pixel."""
    x_range, y_range = view
    seg = boundary_segment(w, b, x_range, y_range)
    verdict = verdicts(predict_proba(w, b, X), y) if len(X) else np.zeros(0, str)
    arrow = weight_arrow(w, b, x_range, y_range) if seg is not None else None
    some = used is not None and len(used) < len(X)
    return {
        "w": rounded(w, 8),
        "b": rounded(b, 8)[0],
        "boundary": rounded([*seg[0], *seg[1]], 6) if seg else None,
        "arrow": None if arrow is None else rounded([*arrow[0], *arrow[1]], 6),
        "note": None if seg is not None else _no_boundary_note(w),
        "wrong": point_mask(verdict == WRONG),
        "undecided": point_mask(verdict == UNDECIDED),
        "used": [int(i) for i in used] if some else [],
    }


def point_mask(mask: np.ndarray) -> str:
    """A boolean per point as base64 of its bits, point i at bit i % 8 of byte i // 8:
    2,000 points in 336 characters, where a list of indices could take 5 per point."""
    packed = np.packbits(np.asarray(mask, dtype=bool), bitorder="little")
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _no_boundary_note(w) -> str:
    why = (
        "w = (0, 0): every point gets ŷ = σ(b)"
        if not np.any(w)
        else "the line lies outside this view"
    )
    return f"No decision boundary in view ({why})"
