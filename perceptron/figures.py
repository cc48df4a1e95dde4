"""Plotly figures for the Playground, as plain dicts (fast to build, easy to test).

Every builder is pure: arrays in, a ``{"data": [...], "layout": {...}}`` dict out. The
browser only draws what these return. Traces carry a ``uid`` so the page's animation can
find the step-dependent ones (shading, boundary, misclassified, used, markers at k).
"""

from __future__ import annotations

import numpy as np

from perceptron.geometry import boundary_segment, weight_arrow
from perceptron.model import predict_proba
from perceptron.training import History

# Okabe-Ito colour-blind-safe pair, plus a marker shape per class so colour is never needed.
CLASS_COLORS = ("#0072B2", "#D55E00")
CLASS_SYMBOLS = ("circle", "triangle-up")
CLASS_NAMES = ("class 0", "class 1")
# Diverging scale centred at ŷ = 0.5: pale class-0 blue, white, pale class-1 vermillion.
SHADING_SCALE = [[0.0, "#6AAED6"], [0.5, "#FFFFFF"], [1.0, "#F4A261"]]
BOUNDARY_COLOR = "#222222"
MISCLASSIFIED_COLOR = "#111111"
USED_COLOR = "#E69F00"
SERIES_MAX_POINTS = 1_000
GRID_SIZE = 40


def rounded(values, digits: int = 5) -> list[float]:
    """Values as a JSON-friendly list, to ``digits`` significant digits (keeps payloads small)."""
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=float).ravel()]


def sample_indices(count: int, max_points: int = SERIES_MAX_POINTS) -> np.ndarray:
    """At most ``max_points`` evenly spread indices of ``range(count)``, first and last included."""
    if count <= max_points:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, max_points).round().astype(int))


def base_layout(presenter: bool, height: int) -> dict:
    """Shared layout; presenter mode enlarges text and shrinks height to fit a 1280×720 screen."""
    size = 20 if presenter else 14
    return {
        "height": int(height * (0.8 if presenter else 1.0)),
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "font": {"size": size},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "#FFFFFF",
        "legend": {
            "orientation": "h",
            "y": -0.12,
            "yanchor": "top",
            "x": 0,
            "font": {"size": size - 1},
        },
        "hoverlabel": {"font": {"size": size}},
    }


def data_legend() -> list[dict]:
    """The data chart's legend, drawn as HTML above the chart (a Plotly legend costs a
    redraw on every animation frame): one entry per mark, shape and colour as drawn."""
    return [
        {"label": CLASS_NAMES[0], "symbol": "circle", "color": CLASS_COLORS[0]},
        {"label": CLASS_NAMES[1], "symbol": "triangle", "color": CLASS_COLORS[1]},
        {"label": "boundary (ŷ = 0.5)", "symbol": "line", "color": BOUNDARY_COLOR},
        {"label": "w (normal to it)", "symbol": "arrow", "color": BOUNDARY_COLOR},
        {"label": "misclassified", "symbol": "ring", "color": MISCLASSIFIED_COLOR},
        {"label": "used by update k", "symbol": "ring", "color": USED_COLOR},
    ]


def point_hover(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> list[str]:
    """One explanatory hover text per point: where it is, its label, ŷ and its own loss."""
    y_hat = predict_proba(w, b, X)
    z = X @ w + b
    losses = np.logaddexp(0.0, z) - y * z
    return [
        f"point #{i + 1}: ({x1:.3g}, {x2:.3g}), class {int(t)}<br>"
        f"ŷ = σ(z) = {p:.3f} → predicted class {int(p >= 0.5)}<br>"
        f"its loss L = {loss:.3f}" + (" (misclassified)" if (p >= 0.5) != (t == 1) else "")
        for i, ((x1, x2), t, p, loss) in enumerate(zip(X, y, y_hat, losses, strict=True))
    ]


def shading_grid(w, b, x_range, y_range, size: int = GRID_SIZE):
    """Grid axes and ŷ = σ(w1·x1 + w2·x2 + b) on it, shape (size, size), rows along x2."""
    gx = np.linspace(*x_range, size)
    gy = np.linspace(*y_range, size)
    XX, YY = np.meshgrid(gx, gy)
    Z = predict_proba(w, b, np.column_stack([XX.ravel(), YY.ravel()])).reshape(size, size)
    return gx, gy, Z


def data_figure(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: float,
    view: tuple[tuple[float, float], tuple[float, float]],
    *,
    used: np.ndarray | None = None,
    view_key: str = "",
    presenter: bool = False,
) -> dict:
    """The data chart at one step: ŷ shading, boundary, points by class, misclassified
    rings, the point(s) used by the update, and w drawn as an arrow normal to the boundary."""
    x_range, y_range = view
    gx, gy, Z = shading_grid(w, b, x_range, y_range)
    size = 16 if presenter else 11
    traces = [
        {
            "type": "heatmap",
            "uid": "shading",
            "name": "ŷ",
            "x": rounded(gx),
            "y": rounded(gy),
            "z": [rounded(row, 4) for row in Z],
            "zmin": 0.0,
            "zmax": 1.0,
            "zsmooth": "fast",
            "colorscale": SHADING_SCALE,
            "opacity": 0.7,
            "colorbar": {
                "title": {"text": "ŷ", "side": "top"},
                "x": 1.0,
                "xanchor": "left",
                "y": 1.0,
                "yanchor": "top",
                "len": 0.55,
                "thickness": 12,
                "tickvals": [0, 0.25, 0.5, 0.75, 1],
            },
            "hovertemplate": "x1 = %{x:.2f}, x2 = %{y:.2f}<br>ŷ here = %{z:.3f}<extra></extra>",
        }
    ]
    seg = boundary_segment(w, b, x_range, y_range)
    traces.append(
        {
            "type": "scatter",
            "uid": "boundary",
            "name": "boundary (ŷ = 0.5)",
            "mode": "lines",
            "x": [seg[0][0], seg[1][0]] if seg else [],
            "y": [seg[0][1], seg[1][1]] if seg else [],
            "line": {"color": BOUNDARY_COLOR, "width": 4 if presenter else 3},
            "hoverinfo": "skip",
        }
    )
    hover = point_hover(X, y, w, b) if len(X) else []
    for cls in (0, 1):
        mask = y == cls
        traces.append(
            {
                "type": "scatter",
                "uid": f"class{cls}",
                "name": CLASS_NAMES[cls],
                "mode": "markers",
                "x": rounded(X[mask, 0], 8),
                "y": rounded(X[mask, 1], 8),
                "marker": {
                    "symbol": CLASS_SYMBOLS[cls],
                    "color": CLASS_COLORS[cls],
                    "size": size,
                    "line": {"color": "#FFFFFF", "width": 1.5},
                },
                "hovertext": [h for h, m in zip(hover, mask, strict=True) if m],
                "hoverinfo": "text",
            }
        )
    wrong = (predict_proba(w, b, X) >= 0.5) != (y == 1) if len(X) else np.zeros(0, bool)
    traces.append(
        _ring("misclassified", "misclassified", X[wrong], MISCLASSIFIED_COLOR, size + 10, 2)
    )
    used_pts = X[used] if used is not None and len(used) < len(X) else X[:0]
    traces.append(_ring("used", "used by update k", used_pts, USED_COLOR, size + 18, 4))
    layout = base_layout(presenter, 600)
    layout["margin"] = {"l": 50, "r": 10, "t": 10, "b": 45}
    layout["showlegend"] = False  # drawn as HTML, see data_legend()
    layout.update(
        {
            "uirevision": view_key,
            "dragmode": "pan",
            "xaxis": {
                "title": {"text": "x1"},
                "range": list(x_range),
                "zeroline": True,
                "constrain": "domain",
            },
            "yaxis": {
                "title": {"text": "x2"},
                "range": list(y_range),
                "zeroline": True,
                "scaleanchor": "x",
                "scaleratio": 1,
                "constrain": "domain",
            },
            "annotations": _weight_annotations(w, b, x_range, y_range, seg, presenter),
        }
    )
    return {"data": traces, "layout": layout}


def _ring(uid: str, name: str, pts: np.ndarray, color: str, size: float, width: float) -> dict:
    return {
        "type": "scatter",
        "uid": uid,
        "name": name,
        "mode": "markers",
        "x": rounded(pts[:, 0], 8),
        "y": rounded(pts[:, 1], 8),
        "marker": {"symbol": "circle-open", "color": color, "size": size, "line": {"width": width}},
        "hoverinfo": "skip",
    }


def _weight_annotations(w, b, x_range, y_range, seg, presenter: bool) -> list[dict]:
    if seg is None:
        why = (
            "w = (0, 0): every point gets ŷ = σ(b)"
            if not np.any(w)
            else "the line lies outside this view"
        )
        return [
            {
                "text": f"No decision boundary in view ({why})",
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.98,
                "showarrow": False,
                "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"size": 20 if presenter else 14},
            }
        ]
    arrow = weight_arrow(w, b, x_range, y_range)
    if arrow is None:
        return []
    (xa, ya), (xb, yb) = arrow
    return [
        {
            "x": xb,
            "y": yb,
            "ax": xa,
            "ay": ya,
            "xref": "x",
            "yref": "y",
            "axref": "x",
            "ayref": "y",
            "text": "w",
            "showarrow": True,
            "arrowhead": 3,
            "arrowsize": 1.4,
            "arrowwidth": 3,
            "arrowcolor": BOUNDARY_COLOR,
            "font": {"size": 22 if presenter else 16, "color": BOUNDARY_COLOR},
            "hovertext": f"w = ({w[0]:.3g}, {w[1]:.3g}) points to where ŷ > 0.5",
        }
    ]


def _series_figure(
    title: str,
    xs,
    lines: list[tuple[str, np.ndarray, str]],
    k: int,
    at_k: list[float],
    presenter: bool,
    log_y: bool = False,
) -> dict:
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "uid": f"line-{i}",
            "name": name,
            "x": rounded(xs, 8),
            "y": rounded(values),
            "line": {"color": color, "width": 2.5},
            "showlegend": len(lines) > 1,
            "hovertemplate": f"{name} = %{{y:.4g}} at step %{{x}}<extra></extra>",
        }
        for i, (name, values, color) in enumerate(lines)
    ]
    # The marker at step k is drawn by the browser over the chart (moving it then costs no
    # Plotly redraw): the step, and each line's value there (NaN before the first update).
    step = {
        "k": k,
        "points": [
            {"name": name, "y": float(f"{v:.6g}"), "color": color}
            for (name, _, color), v in zip(lines, at_k, strict=True)
            if np.isfinite(v)
        ],
    }
    layout = base_layout(presenter, 215)
    layout["font"] = {"size": 16 if presenter else 13}
    layout.update(
        {
            "title": {
                "text": title,
                "x": 0,
                "y": 0.98,
                "yanchor": "top",
                "font": {"size": 18 if presenter else 15},
            },
            "legend": {
                "orientation": "h",
                "x": 1,
                "xanchor": "right",
                "y": 1.02,
                "yanchor": "bottom",
            },
            "margin": {"l": 55, "r": 10, "t": 40, "b": 25},
            "uirevision": "series",
            "xaxis": {"hoverformat": "d"},
            "yaxis": {"type": "log" if log_y else "linear", "exponentformat": "power"},
        }
    )
    return {"data": traces, "layout": layout, "step": step}


def loss_figure(
    history: History, k: int, loss_at_k: float, *, log_y=False, presenter=False
) -> dict:
    """Mean loss over all points at the recorded states, with the current step marked."""
    idx = sample_indices(len(history.loss_steps))
    return _series_figure(
        "Loss (mean L over all points) by step k",
        history.loss_steps[idx],
        [("loss", history.loss[idx], "#444444")],
        k,
        [loss_at_k],
        presenter,
        log_y=log_y,
    )


def derivatives_figure(history: History, k: int, *, presenter=False) -> dict:
    """∂L/∂w1, ∂L/∂w2 and ∂L/∂b used by each update k = 1..K, with update k marked."""
    idx = sample_indices(history.n_updates)
    g = history.grad_w
    at_k = [g[k - 1, 0], g[k - 1, 1], history.grad_b[k - 1]] if k >= 1 else [np.nan] * 3
    return _series_figure(
        "Derivatives used by update k",
        idx + 1,
        [
            ("∂L/∂w1", g[idx, 0], CLASS_COLORS[0]),
            ("∂L/∂w2", g[idx, 1], CLASS_COLORS[1]),
            ("∂L/∂b", history.grad_b[idx], "#009E73"),
        ],
        k,
        at_k,
        presenter,
    )


def weights_figure(history: History, k: int, *, presenter=False) -> dict:
    """w1, w2 and b at every state 0..K, with step k marked."""
    idx = sample_indices(history.n_updates + 1)
    return _series_figure(
        "Weights and bias at step k",
        idx,
        [
            ("w1", history.w[idx, 0], CLASS_COLORS[0]),
            ("w2", history.w[idx, 1], CLASS_COLORS[1]),
            ("b", history.b[idx], "#009E73"),
        ],
        k,
        [history.w[k, 0], history.w[k, 1], history.b[k]],
        presenter,
    )
