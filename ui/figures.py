"""The Playground's four charts as Plotly dicts, in the look of ``ui.style``.

Every builder is pure: arrays and a ``Look`` in, a ``{"data": [...], "layout": {...}}``
dict out, which the chart component (ui/component/) draws. What changes from
step to step is not in these figures but in the step records of ``perceptron.frames``:
the browser draws those on layers over and under the data chart, and as markers on the
line charts, without a Plotly redraw.
"""

from __future__ import annotations

import math

import numpy as np

from perceptron.explain import UNDECIDED, WRONG, predicted_class, verdicts
from perceptron.frames import grid_axes, rounded, sample_indices, step_record
from perceptron.model import point_losses, predict_proba
from perceptron.training import History
from ui.style import (
    BIAS_COLOR,
    CLASS_COLORS,
    CLASS_NAMES,
    CLASS_SYMBOLS,
    DESK,
    SHADING_OPACITY,
    USED_COLOR,
    Look,
    axis_style,
    component_layout,
)


def data_legend(look: Look = DESK, mode: str = "train") -> list[dict]:
    """The data chart's legend, drawn as HTML above the chart (a Plotly legend costs a
    redraw on every animation frame): one entry per mark, shape and colour as drawn, for
    the Playground's mode ("train", "predict" or "hand")."""
    t = look.colors
    marks = [
        {"label": CLASS_NAMES[0], "symbol": "circle", "color": CLASS_COLORS[0]},
        {"label": CLASS_NAMES[1], "symbol": "triangle", "color": CLASS_COLORS[1]},
        {"label": "boundary (ŷ = 0.5)", "symbol": "line", "color": t["ink"]},
        {"label": "w (normal to it)", "symbol": "arrow", "color": t["ink"]},
        {"label": "misclassified", "symbol": "ring", "color": t["misclassified"]},
        {"label": "undecided (ŷ = 0.5)", "symbol": "dashed-ring", "color": t["undecided"]},
    ]
    if mode == "hand":
        return [
            *marks,
            {"label": "drag these", "symbol": "grip", "color": t["ink"]},
            {"label": "downhill for w", "symbol": "dashed-arrow", "color": BIAS_COLOR},
        ]
    used = {"label": "used by update k", "symbol": "ring", "color": USED_COLOR}
    asked = {"label": "asked about", "symbol": "dashed-ring", "color": USED_COLOR}
    return [*marks, used, *([asked] if mode == "predict" else [])]


def point_hover(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, loss: str = "log"
) -> list[str]:
    """One explanatory hover text per point: where it is, its label, ŷ and its own loss."""
    y_hat = predict_proba(w, b, X)
    losses = point_losses(w, b, X, y, loss)
    predicted = predicted_class(y_hat)
    verdict = verdicts(y_hat, y)
    says = {
        UNDECIDED: "→ undecided (on the boundary)",
        WRONG: "→ predicted class {} (misclassified)",
    }
    return [
        f"point #{i + 1}: ({x1:.3g}, {x2:.3g}), class {int(t)}<br>"
        f"ŷ = σ(z) = {p:.3f} "
        + says.get(v, "→ predicted class {}").format(c)
        + f"<br>its loss L = {loss:.3f}"
        for i, ((x1, x2), t, p, loss, c, v) in enumerate(
            zip(X, y, y_hat, losses, predicted, verdict, strict=True)
        )
    ]


# ---------------------------------------------------------------- the data chart


def data_figure(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: float,
    view: tuple[tuple[float, float], tuple[float, float]],
    *,
    used: np.ndarray | None = None,
    view_key: str = "",
    look: Look = DESK,
    loss: str = "log",
) -> dict:
    """The data chart at one step (``loss``: the run's, for each point's own loss).

    ``data``/``layout`` are the Plotly part: axes, the points by class with hover texts
    (ŷ and loss at this step), and the ŷ colour bar. ``overlay`` is what moves with the
    step, drawn by the browser on layers under and over the plot so a step needs no
    Plotly redraw: the ŷ shading grid, the boundary segment, the misclassified, undecided
    and used points, the weight arrow (normal to the boundary) or a note when there is no
    boundary.
    """
    hover = point_hover(X, y, w, b, loss) if len(X) else []
    traces = [_colour_bar_only(look)]
    traces += [_class_trace(X, y, cls, hover, look) for cls in (0, 1)]
    overlay = step_overlay(X, y, w, b, view, used=used, look=look)
    overlay["style"] = {"marker_size": look.marker, "line_width": look.line}
    return {"data": traces, "layout": _data_layout(view, view_key, look), "overlay": overlay}


def _class_trace(X, y, cls: int, hover: list[str], look: Look) -> dict:
    mask = y == cls
    return {
        "type": "scatter",
        "uid": f"class{cls}",
        "name": CLASS_NAMES[cls],
        "mode": "markers",
        "x": rounded(X[mask, 0], 8),
        "y": rounded(X[mask, 1], 8),
        "marker": {
            "symbol": CLASS_SYMBOLS[cls],
            "color": CLASS_COLORS[cls],
            "size": look.marker,
            "line": {"color": look.colors["outline"], "width": 1.5},
        },
        "hovertext": [h for h, m in zip(hover, mask, strict=True) if m],
        "hoverinfo": "text",
    }


def _data_layout(view, view_key: str, look: Look) -> dict:
    layout = component_layout(look, 600)
    # Room below for the x1 title under the tick labels, which grow in presenter mode.
    layout["margin"] = {"l": 50, "r": 10, "t": 10, "b": 70 if look.presenter else 56}
    layout["showlegend"] = False  # drawn as HTML, see data_legend()
    layout["plot_bgcolor"] = "rgba(0,0,0,0)"  # the shading layer shows through
    x_range, y_range = view
    axis = axis_style(look) | {"zeroline": True, "constrain": "domain", "showgrid": True}
    x_title = {"title": {"text": "x1", "standoff": 12}, "range": list(x_range)}
    y_title = {"title": {"text": "x2", "standoff": 6}, "range": list(y_range)}
    layout.update(
        {
            "uirevision": view_key,
            "dragmode": "pan",
            "xaxis": axis | x_title,
            "yaxis": axis | y_title | {"scaleanchor": "x", "scaleratio": 1},
        }
    )
    return layout


def _colour_bar_only(look: Look) -> dict:
    """An invisible heatmap whose only job is the ŷ colour bar beside the plot."""
    return {
        "type": "heatmap",
        "uid": "colour-bar",
        "x": [0, 1],
        "y": [0, 1],
        "z": [[0.0, 1.0], [1.0, 0.0]],
        "zmin": 0.0,
        "zmax": 1.0,
        "opacity": 0,
        "colorscale": look.colors["shading"],
        "hoverinfo": "skip",
        "colorbar": {
            "title": {"text": "ŷ", "side": "top"},
            "x": 1.0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "top",
            "len": 0.55,
            "thickness": 12,
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "outlinecolor": look.colors["axis"],
        },
    }


def step_overlay(X, y, w, b, view, *, used=None, look: Look = DESK) -> dict:
    """The data chart's layers that stay while the step changes (see data_figure): the
    shading grid's axes, the colours and the overlay of step ``(w, b)`` as ``step``."""
    x_range, y_range = view
    t = look.colors
    gx, gy = grid_axes(x_range, y_range)
    return {
        "grid": {"x": rounded(gx, 8), "y": rounded(gy, 8)},
        "step": step_record(X, y, w, b, view, used=used),
        "colors": {
            "shading": t["shading"],
            "shading_opacity": SHADING_OPACITY,
            "background": t["background"],
            "boundary": t["ink"],
            "misclassified": t["misclassified"],
            "undecided": t["undecided"],
            "used": USED_COLOR,
            "outline": t["outline"],
            "downhill": BIAS_COLOR,  # hand-fit mode's "downhill is this way" arrow
            "halo": t["undecided"],  # hand-fit mode: each point's part of the loss
        },
    }


# ---------------------------------------------------------------- the line charts


# What the loss chart shows, for each loss (with λ > 0 the penalty is added).
LOSS_TITLES = {"log": "Loss (mean L over all points)", "squared": "Loss: mean ½(ŷ−y)²"}


def loss_figure(
    history: History,
    k: int,
    loss_at_k: float,
    *,
    log_y: bool = False,
    look: Look = DESK,
    unreliable_from: int | None = None,
) -> dict:
    """Mean loss over all points at the recorded states, with the current step marked."""
    idx = sample_indices(len(history.loss_steps))
    lines = [("loss", history.loss[idx], look.colors["ink"])]
    penalty = " + (λ/2)‖w‖²" if history.config.l2 else ""
    title = f"{LOSS_TITLES[history.config.loss]}{penalty} by step k"
    fig = _series_figure(title, history.loss_steps[idx], lines, look, unreliable_from, log_y)
    return _marked(fig, k, [loss_at_k], lines, look)


def derivatives_figure(
    history: History, k: int, *, look: Look = DESK, unreliable_from: int | None = None
) -> dict:
    """∂L/∂w1, ∂L/∂w2 and ∂L/∂b used by each update k = 1..K, with update k marked."""
    idx = sample_indices(history.n_updates)
    g, gb = history.grad_w, history.grad_b
    lines = _weight_lines(("∂L/∂w1", "∂L/∂w2", "∂L/∂b"), g[idx, 0], g[idx, 1], gb[idx])
    at_k = [g[k - 1, 0], g[k - 1, 1], gb[k - 1]] if k >= 1 else [np.nan] * 3
    fig = _series_figure("Derivatives used by update k", idx + 1, lines, look, unreliable_from)
    return _marked(fig, k, at_k, lines, look)


def weights_figure(
    history: History, k: int, *, look: Look = DESK, unreliable_from: int | None = None
) -> dict:
    """w1, w2 and b at every state 0..K, with step k marked."""
    idx = sample_indices(history.n_updates + 1)
    w, b = history.w, history.b
    lines = _weight_lines(("w1", "w2", "b"), w[idx, 0], w[idx, 1], b[idx])
    fig = _series_figure("Weights and bias at step k", idx, lines, look, unreliable_from)
    return _marked(fig, k, [w[k, 0], w[k, 1], b[k]], lines, look)


def hand_loss_figure(losses: list[float], look: Look = DESK) -> dict:
    """The mean loss at each of the learner's hand-fit moves (0: where they began)."""
    moves = np.arange(len(losses))
    lines = [("loss", np.asarray(losses), look.colors["ink"])]
    fig = _series_figure("Loss along your moves", moves, lines, look, None)
    fig["data"][0]["mode"] = "lines+markers"
    fig["data"][0]["hovertemplate"] = "loss = %{y:.4g} after move %{x}<extra></extra>"
    fig["layout"]["xaxis"]["dtick"] = max(1, math.ceil(len(losses) / 6))  # whole moves only
    return _marked(fig, len(losses) - 1, [losses[-1]], lines, look)


Line = tuple[str, np.ndarray, str]  # a line chart's line: name, values, colour


def _weight_lines(names, first, second, bias) -> list[Line]:
    """w1's line in class 0's colour, w2's in class 1's and b's in its own."""
    return list(zip(names, (first, second, bias), (*CLASS_COLORS, BIAS_COLOR), strict=True))


def _series_figure(
    title: str, xs, lines: list[Line], look: Look, unreliable_from, log_y: bool = False
) -> dict:
    """A line chart of ``lines`` over the steps ``xs``, greyed from ``unreliable_from`` on."""
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
    layout = _series_layout(title, look, log_y)
    if unreliable_from is not None:
        layout.update(_digits_lost(int(unreliable_from), int(xs[-1]), look.colors))
    return {"data": traces, "layout": layout}


def _marked(fig, k: int, at_k, lines: list[Line], look: Look) -> dict:
    """``fig`` with its marks at step k.

    The marker at step k is drawn by the browser over the chart (moving it then costs no
    Plotly redraw): the step, and each line's value there (NaN before the first update).
    """
    t = look.colors
    points = [
        {"name": name, "y": float(f"{v:.6g}"), "color": color}
        for (name, _, color), v in zip(lines, at_k, strict=True)
        if np.isfinite(v)
    ]
    fig["step"] = {"k": k, "points": points, "line": t["step_line"], "outline": t["outline"]}
    return fig


def _series_layout(title: str, look: Look, log_y: bool) -> dict:
    layout = component_layout(look, 215)
    layout["font"] = {"size": look.small_text, "color": look.colors["text"]}
    title_font = {"size": look.small_text + 2}
    legend = {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"}
    layout.update(
        {
            "title": {"text": title, "x": 0, "y": 0.98, "yanchor": "top", "font": title_font},
            "legend": legend,
            "margin": {"l": 55, "r": 10, "t": 40, "b": 25},
            "uirevision": "series",
            "xaxis": axis_style(look) | {"hoverformat": "d"},
            "yaxis": axis_style(look)
            | {"type": "log" if log_y else "linear", "exponentformat": "power"},
        }
    )
    return layout


def _digits_lost(start: int, end: int, t: dict) -> dict:
    """Shapes and labels that grey out the steps from ``start`` on, where float64's
    rounding errors have grown past the digits shown (see ``perceptron.precision``)."""
    band = {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "x0": start,
        "x1": end,
        "y0": 0,
        "y1": 1,
        "fillcolor": t["grid"],
        "line": {"width": 0},
        "layer": "below",
    }
    label = {
        "text": "float64 digits used up",
        "x": start,
        "xref": "x",
        "xanchor": "left",
        "y": 1,
        "yref": "paper",
        "yanchor": "top",
        "showarrow": False,
        "bgcolor": t["background"],
        "font": {"color": t["text"], "size": 11},
    }
    return {"shapes": [band], "annotations": [label]}
