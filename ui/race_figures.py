"""The Learning-rate race's charts: every runner's loss and ‖w‖ against the update number,
and their final boundaries over the points; a colour and a dash per runner."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from perceptron import History, boundary_segment, view_ranges
from perceptron.frames import sample_indices
from ui.common import class_markers, layout
from ui.page import presenter
from ui.race_runners import Runner
from ui.style import BOTH_THEMES

# One colour and one dash per runner, so the lines differ without colour too; none is a
# class colour (the boundaries chart shows both), all are readable in both themes.
RUNNER_COLORS = tuple(BOTH_THEMES[c] for c in ("green", "orange", "purple", "grey"))
RUNNER_DASHES = ("solid", "dash", "dot", "dashdot")
# The same run without the penalty, drawn on the ‖w‖ chart when λ > 0: its runner's colour,
# thinner, in a dash no runner uses.
REFERENCE_DASH = "longdash"
TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}
# A log loss axis labels at most this many powers of ten (one for each of 10⁻¹ … 10⁻¹⁸
# overlapped); fewer in presenter mode, whose text is bigger on a shorter chart.
MAX_LOG_TICKS = 6
MAX_LOG_TICKS_PRESENTER = 4


def _decades(values) -> float:
    """How many powers of ten the positive finite ``values`` span, as a log axis rounds them."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if not len(v):
        return 0.0
    return float(np.ceil(np.log10(v.max())) - np.floor(np.log10(v.min())))


# A log axis over fewer decades than this would get one labelled tick, or none, with a tick
# per decade: Plotly's own ticks (0.7, 0.8, …) label it instead.
MIN_DECADES_FOR_DTICK = 2


def log_dtick(values, max_ticks: int = MAX_LOG_TICKS) -> int:
    """Decades between labelled ticks, so a log axis over ``values`` has ≤ ``max_ticks``."""
    return max(1, int(np.ceil(_decades(values) / max_ticks)))


def loss_title(kind: str, l2: float) -> str:
    if kind == "losses":
        return "Log loss of both runs (one yardstick)"
    return "Loss: mean L + (λ/2)‖w‖²" if l2 else "Loss: mean L over all points"


def loss_figure(runners: list[Runner], log_y: bool, title: str) -> go.Figure:
    """Every runner's loss curve against the update number."""
    fig = go.Figure()
    for i, r in enumerate(runners):
        idx = sample_indices(len(r.steps))
        fig.add_trace(_line(r.steps[idx], r.curve[idx], r.name, i, "loss"))
    most = MAX_LOG_TICKS_PRESENTER if presenter() else MAX_LOG_TICKS
    curves = np.concatenate([r.curve for r in runners])
    log_axis = {"type": "log", "exponentformat": "power"}
    if _decades(curves) >= MIN_DECADES_FOR_DTICK:  # fewer: Plotly labels 0.7, 0.8, … itself
        log_axis["dtick"] = log_dtick(curves, most)
    fig.update_layout(_over_updates(title, log_axis if log_y else {}))
    return fig


def norm_figure(runners: list[Runner], reference: tuple[int, History] | None) -> go.Figure:
    """Every runner's ‖w‖ = √(w1² + w2²) against the update number; with ``reference`` (a
    runner's index and its run without the penalty) that run too, for comparison."""
    fig = go.Figure()
    for i, r in enumerate(runners):
        idx = sample_indices(r.history.n_updates + 1)
        fig.add_trace(_line(idx, np.linalg.norm(r.history.w[idx], axis=1), r.name, i, "‖w‖"))
    if reference is not None:
        i, h = reference
        idx = sample_indices(h.n_updates + 1)
        name = f"{runners[i].name} with λ = 0"
        line = _line(idx, np.linalg.norm(h.w[idx], axis=1), name, i, "‖w‖")
        line.update(line={"dash": REFERENCE_DASH, "width": 1.5})
        fig.add_trace(line)
    fig.update_layout(_over_updates("Size of the weights ‖w‖", {"rangemode": "tozero"}))
    if reference is not None:  # one more entry: a fixed number a row keeps them clear of
        # the title (three short rate names, or two longer loss names)
        share = 0.33 if len(runners) > 2 else 0.5
        fig.update_layout(legend={"entrywidth": share, "entrywidthmode": "fraction"})
    return fig


def _over_updates(title: str, yaxis: dict) -> dict:
    """The layout of a chart of every runner against the update number, legend on top."""
    return layout(
        360,
        title={"text": title, "x": 0, "y": 0.98, "yanchor": "top"},
        xaxis={"title": {"text": "update k"}},
        yaxis=yaxis,
        legend=TOP_LEGEND,
        margin={"l": 60, "r": 20, "t": 80, "b": 50},
    )


def _line(x, y, name: str, i: int, what: str) -> go.Scatter:
    return go.Scatter(
        x=x,
        y=y,
        mode="lines",
        name=name,
        line={"color": RUNNER_COLORS[i], "dash": RUNNER_DASHES[i], "width": 2.5},
        hovertemplate=f"{name}<br>update %{{x:,}}<br>{what} = %{{y:.4g}}<extra></extra>",
    )


def boundaries_figure(X, y, runners: list[Runner]) -> go.Figure:
    """The points and every runner's final boundary (where ŷ = 0.5) on one chart."""
    x_range, y_range = view_ranges(X)
    fig = go.Figure(
        [
            *class_markers(X, y, size=9, outline=1, hover=True),
            *(_boundary(i, r, x_range, y_range) for i, r in enumerate(runners)),
        ]
    )
    fig.update_layout(
        layout(
            520,
            title={"text": "Final boundaries (ŷ = 0.5)", "x": 0},
            xaxis={"title": {"text": "x1"}, "range": list(x_range), "constrain": "domain"},
            yaxis={
                "title": {"text": "x2"},
                "range": list(y_range),
                "scaleanchor": "x",
                "constrain": "domain",
            },
            legend={"orientation": "v", "x": 1.02, "y": 1, "xanchor": "left"},
        )
    )
    return fig


def _boundary(i: int, r: Runner, x_range, y_range) -> go.Scatter:
    """Runner i's final boundary across the view, named with its verdict."""
    w, b = r.history.state(r.history.n_updates)
    seg = boundary_segment(w, b, x_range, y_range)
    shown = " (outside the view)" if seg is None else ""
    return go.Scatter(
        x=[seg[0][0], seg[1][0]] if seg else [None],
        y=[seg[0][1], seg[1][1]] if seg else [None],
        mode="lines",
        name=f"{r.name}: {r.verdict.label}{shown}",
        line={"color": RUNNER_COLORS[i], "dash": RUNNER_DASHES[i], "width": 3},
        hoverinfo="skip",
    )
