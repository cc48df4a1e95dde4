"""The loss as a surface over the weights: L(w1, w2) at a fixed b, or L(w1, b) at a fixed w2.

Each grid cell is one setting of (w1, w2, b); its height is the objective descended, the
mean loss over all points (log loss or squared error) plus (λ/2)(w1² + w2²), the same
number ``model.objective`` gives. Squared error's surface has flat plateaus where the
neuron is confidently wrong: it is not convex, unlike the log loss's. The work is
(cells × points) logits, so it is done a chunk of cells at a time: an 80 × 80 grid over
2,000 points would otherwise hold 12.8 million floats at once.
"""

import numpy as np

from perceptron.model import loss_from_logit

# Logits evaluated at once (cells × points): 2**20 float64 is 8 MB per temporary array.
CHUNK = 2**20
# Share of the span added on each side of a grid's range, and the least half-width.
GRID_PAD = 0.15
MIN_HALF_SPAN = 1.0


def mean_losses(
    W: np.ndarray,
    B: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    chunk: int = CHUNK,
    loss: str = "log",
    l2: float = 0.0,
):
    """The objective J (mean loss plus (λ/2)(w1² + w2²)) for each setting: ``(m,)``.

    ``W`` ``(m, 2)`` and ``B`` ``(m,)`` hold m settings of (w1, w2) and b; ``X`` ``(n, 2)``
    and ``y`` ``(n,)`` the points; ``loss`` "log" or "squared", ``l2`` λ. At most
    ``chunk`` logits are held at a time (at least one setting's worth), so memory stays
    bounded whatever m and n are.
    """
    W, B = np.asarray(W, dtype=np.float64), np.asarray(B, dtype=np.float64)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if len(y) == 0:
        raise ValueError("the loss needs at least one point, got none")
    out = np.empty(len(B))
    rows = max(1, chunk // len(y))
    for start in range(0, len(B), rows):
        out[start : start + rows] = loss_from_logit(
            _logits(W[start : start + rows], B[start : start + rows], X), y, loss
        )
    if l2:
        out += 0.5 * l2 * (W[:, 0] * W[:, 0] + W[:, 1] * W[:, 1])
    return out


def _logits(W: np.ndarray, B: np.ndarray, X: np.ndarray) -> np.ndarray:
    """z[i, j] = w1_i·x1_j + w2_i·x2_j + b_i, shape ``(len(B), n)``.

    Written elementwise rather than as W @ X.T: a matrix product may take another code
    path (and round differently) for another number of rows, and then a cell's value
    would depend on the chunk it fell in.
    """
    z = np.multiply.outer(W[:, 0], X[:, 0])
    z += np.multiply.outer(W[:, 1], X[:, 1])
    z += B[:, None]
    return z


def loss_grid(
    X, y, w1s, w2s, b: float, chunk: int = CHUNK, loss: str = "log", l2: float = 0.0
) -> np.ndarray:
    """J(w1, w2) at bias ``b`` on the grid ``w1s × w2s``: shape ``(len(w2s), len(w1s))``.

    Row i is w2 = w2s[i], column j is w1 = w1s[j] (the layout of a Plotly contour's z).
    """
    G1, G2 = np.meshgrid(np.asarray(w1s, float), np.asarray(w2s, float))
    W = np.column_stack([G1.ravel(), G2.ravel()])
    B = np.full(G1.size, float(b))
    return mean_losses(W, B, X, y, chunk, loss, l2).reshape(G1.shape)


def loss_grid_bias(
    X, y, w1s, bs, w2: float, chunk: int = CHUNK, loss: str = "log", l2: float = 0.0
) -> np.ndarray:
    """J(w1, b) at weight ``w2`` on the grid ``w1s × bs``: shape ``(len(bs), len(w1s))``."""
    G1, GB = np.meshgrid(np.asarray(w1s, float), np.asarray(bs, float))
    W = np.column_stack([G1.ravel(), np.full(G1.size, float(w2))])
    return mean_losses(W, GB.ravel(), X, y, chunk, loss, l2).reshape(G1.shape)


def grid_axis(values, size: int, pad: float = GRID_PAD, min_half: float = MIN_HALF_SPAN):
    """``size`` evenly spaced values covering ``values`` and 0, widened by ``pad`` per side.

    The range is at least ``[c − min_half, c + min_half]`` around its centre c, so a
    path that hardly moves still sits in a readable piece of the surface.
    """
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    lo, hi = values.min(initial=0.0), values.max(initial=0.0)
    margin = pad * (hi - lo)
    lo, hi = lo - margin, hi + margin
    centre, half = (lo + hi) / 2, max((hi - lo) / 2, min_half)
    return np.linspace(centre - half, centre + half, size)
