"""The Loss landscape page's charts: a slice of the objective (the mean loss, plus the L2
penalty when λ > 0) as a contour map or a 3-D surface, with the run's path, step k, the
chosen new start and the learner's moves by hand on it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from perceptron.landscape import mean_losses
from perceptron.training import TrainConfig
from ui.common import layout
from ui.style import BOTH_THEMES

# The path is drawn white on a casing that, unlike black, is readable in both themes' legends.
PATH_COLOR = "#FFFFFF"
PATH_CASING = BOTH_THEMES["grey"]
NOW_COLOR = BOTH_THEMES["orange"]
START_COLOR = BOTH_THEMES["purple"]
# The learner's moves by hand: dashed vermillion with diamonds, over a white casing, so it
# cannot be taken for descent's white line. No class is drawn on these charts.
HAND_COLOR = BOTH_THEMES["vermillion"]
HAND_NAME = "your moves by hand"
# The map colours log10(L): the valley near the minimum stays visible next to cliffs of 30+.
LOG_FLOOR = 1e-6
_ROUND_LOSSES = tuple(m * 10.0**e for e in range(-6, 5) for m in (1, 2, 3, 4, 5, 6, 8))
MAX_TICKS = 8


@dataclass(frozen=True)
class Plane:
    """One slice of the landscape: the grid, its loss, the path and the marked spots on it."""

    names: tuple[str, str]
    across: np.ndarray
    up: np.ndarray
    loss: np.ndarray
    path: np.ndarray  # (m, 2): the run's states, sampled, in this plane
    now: tuple[float, float]
    start: tuple[float, float]
    fixed: str  # which parameter is held, and at what value, in words
    hand: np.ndarray | None = None  # (m, 2): the learner's moves by hand, in this plane
    objective: str = "mean loss L"  # what the heights are, in words
    loss_kind: str = "log"  # the loss: "log" or "squared"
    l2: float = 0.0  # λ of the penalty included in the heights


def objective_name(config: TrainConfig) -> str:
    """What the landscape's height is for this run, in a few words."""
    loss = "mean squared error" if config.loss == "squared" else "mean loss L"
    return f"{loss} + (λ/2)(w1² + w2²)" if config.l2 else loss


def _log_loss_colour(Z: np.ndarray) -> tuple[np.ndarray, list[float], list[str]]:
    """log10(L) for the colours, and colour-bar ticks at round values of L inside its range."""
    logZ = np.log10(np.maximum(Z, LOG_FLOOR))
    lo, hi = float(logZ.min()), float(logZ.max())
    ticks = [t for t in _ROUND_LOSSES if lo <= np.log10(t) <= hi]
    for keep in ((1, 3), (1,)):
        if len(ticks) > MAX_TICKS:
            ticks = [t for t in ticks if round(t / 10 ** np.floor(np.log10(t))) in keep]
    if len(ticks) < 2:
        ticks = sorted({float(f"{t:.3g}") for t in 10 ** np.linspace(lo, hi, 4)})
    return logZ, [float(np.log10(t)) for t in ticks], [f"{t:g}" for t in ticks]


def _levels(logZ: np.ndarray, count: int = 24) -> dict:
    """Contour levels spanning all of log10(L), so the colour bar covers the whole map."""
    lo, hi = float(logZ.min()), float(logZ.max())
    size = (hi - lo) / count if hi > lo else 1.0
    return {"coloring": "heatmap", "showlines": True, "start": lo, "end": hi, "size": size}


def map_figure(p: Plane, k: int) -> go.Figure:
    """The loss as a coloured contour map, with the path, step k and the chosen start."""
    logZ, tickvals, ticktext = _log_loss_colour(p.loss)
    fig = go.Figure(
        [
            _contour(p, logZ, tickvals, ticktext),
            _grid_hover(p),
            *_path_traces(p, k),
            *_hand_traces(p),
        ]
    )
    fig.update_layout(_map_layout(p))
    return fig


def _contour(p: Plane, logZ: np.ndarray, tickvals: list[float], ticktext: list[str]) -> go.Contour:
    return go.Contour(
        x=p.across,
        y=p.up,
        z=logZ,
        colorscale="Viridis",
        zmin=float(logZ.min()),
        zmax=float(logZ.max()),
        contours=_levels(logZ),
        line={"width": 0.5, "color": "rgba(255,255,255,0.5)"},
        colorbar={
            "title": {"text": f"{_short_objective(p)} (log scale)", "side": "right"},
            "tickvals": tickvals,
            "ticktext": ticktext,
        },
        hoverinfo="skip",
        name="loss",
    )


def _grid_hover(p: Plane) -> go.Scatter:
    """Invisible markers, one per grid cell: they carry the hover text and make a click on
    the map a selectable point."""
    a, c = p.names
    A, C = np.meshgrid(p.across, p.up)
    return go.Scatter(
        x=A.ravel(),
        y=C.ravel(),
        mode="markers",
        name="grid",
        marker={"size": 9, "opacity": 0, "color": "#000000"},
        showlegend=False,
        customdata=p.loss.ravel(),
        hovertemplate=f"{a} = %{{x:.3g}}, {c} = %{{y:.3g}}<br>{_height_name(p)} = "
        "%{customdata:.4g}"
        "<br>click to start here<extra></extra>",
        unselected={"marker": {"opacity": 0}},
        selected={"marker": {"opacity": 0}},
    )


def _map_layout(p: Plane) -> dict:
    """The map's axes span the grid; a click selects a cell, a drag pans."""
    return layout(
        620,
        xaxis={
            "title": {"text": p.names[0]},
            "range": [p.across[0], p.across[-1]],
            "constrain": "domain",
        },
        yaxis=_y_axis(p),
        clickmode="event+select",
        dragmode="pan",
        legend={"orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom"},
        margin={"l": 60, "r": 20, "t": 40, "b": 50},
    )


def _y_axis(p: Plane) -> dict:
    """The map's y axis; w1 and w2 share one scale, so the steps cross contours at right angles."""
    axis = {"title": {"text": p.names[1]}, "range": [p.up[0], p.up[-1]], "constrain": "domain"}
    return axis | ({"scaleanchor": "x", "scaleratio": 1} if p.names[1] == "w2" else {})


def _marker(x, y, name: str, symbol: str, color: str, size: int) -> go.Scatter:
    return go.Scatter(
        x=[x],
        y=[y],
        mode="markers",
        name=name,
        marker={
            "symbol": symbol,
            "color": color,
            "size": size,
            "line": {"color": "#000000", "width": 1.5},
        },
        hovertemplate=f"{name}<br>%{{x:.4g}}, %{{y:.4g}}<extra></extra>",
        unselected={"marker": {"opacity": 1}},
    )


def _path_line(p: Plane, color: str, width: float, showlegend: bool) -> go.Scatter:
    return go.Scatter(
        x=p.path[:, 0],
        y=p.path[:, 1],
        mode="lines",
        name="descent path",
        line={"color": color, "width": width},
        hoverinfo="skip",
        showlegend=showlegend,
    )


def _path_traces(p: Plane, k: int) -> list[go.Scatter]:
    return [
        # A grey line under a thinner white one: visible on every colour, and in the legend.
        _path_line(p, PATH_CASING, 5, showlegend=True),
        _path_line(p, PATH_COLOR, 2.5, showlegend=False),
        _marker(p.path[0, 0], p.path[0, 1], "start of this run", "circle", PATH_COLOR, 12),
        _marker(p.now[0], p.now[1], f"step k = {k:,}", "star", NOW_COLOR, 20),
        _marker(p.start[0], p.start[1], "new start (below)", "x", START_COLOR, 14),
    ]


def _short_objective(p: Plane) -> str:
    """The colour bar's title: the objective in a few words (the caption spells it out)."""
    return "J = mean loss + penalty" if p.l2 else p.objective


def _height_name(p: Plane) -> str:
    return "J" if p.l2 else "loss L"


def _hand_traces(p: Plane) -> list[go.Scatter]:
    """The learner's moves by hand: a white casing (not in the legend) under a dashed
    vermillion line with a diamond at each state set by hand or by a step."""
    if p.hand is None:
        return []
    common = {"x": p.hand[:, 0], "y": p.hand[:, 1], "name": HAND_NAME}
    casing = go.Scatter(
        **common,
        mode="lines",
        line={"color": PATH_COLOR, "width": 5},
        showlegend=False,
        hoverinfo="skip",
    )
    line = go.Scatter(
        **common,
        mode="lines+markers",
        line={"color": HAND_COLOR, "width": 2.5, "dash": "dash"},
        marker={"symbol": "diamond", "size": 8, "color": HAND_COLOR, "line": {"width": 0}},
        hovertemplate=f"{HAND_NAME}<br>%{{x:.4g}}, %{{y:.4g}}<extra></extra>",
        unselected={"marker": {"opacity": 1}},
    )
    return [casing, line]


def _surface_cap(Z: np.ndarray, path_loss: np.ndarray) -> float:
    """The surface's top: twice the path's highest loss, so far-off cliffs do not flatten it."""
    return float(min(Z.max(), 2 * path_loss.max()))


def surface_figure(p: Plane, X, y, b: float, k: int) -> go.Figure:
    """The (w1, w2) loss as a 3-D surface; the path sits on it at this slice's height."""
    objective = {"loss": p.loss_kind, "l2": p.l2}

    def heights(spots: np.ndarray) -> np.ndarray:
        return mean_losses(spots, np.full(len(spots), b), X, y, **objective)

    path_loss, now_loss = heights(p.path), heights(np.array([p.now]))
    hand = _along(p.hand) if p.hand is not None else np.zeros((0, 2))
    hand_loss = heights(hand) if len(hand) else np.zeros(0)
    cap = _surface_cap(p.loss, np.concatenate([path_loss, hand_loss]))
    # Lifted a little above the surface, so the surface does not hide the line.
    lift = 0.01 * cap
    traces = [_surface(p, cap), _path_3d(p, path_loss + lift), _now_3d(p, now_loss + lift, k)]
    if p.hand is not None:
        traces += _hand_3d(p, hand, hand_loss + lift, heights(p.hand) + lift)
    fig = go.Figure(traces)
    fig.update_layout(_surface_layout(cap, _height_name(p)))
    return fig


# Points per hand move on the 3-D surface: a move is a jump, and a straight line between its
# ends would cut through the surface; drawn through these it lies on it.
HAND_SEGMENT_POINTS = 24


def _along(states: np.ndarray) -> np.ndarray:
    """Spots along the straight lines between consecutive states, ``(m, 2)``."""
    if len(states) < 2:
        return states
    t = np.linspace(0.0, 1.0, HAND_SEGMENT_POINTS, endpoint=False)[:, None]
    pieces = [a + t * (c - a) for a, c in itertools.pairwise(states)]
    return np.vstack([*pieces, states[-1:]])


def _hand_3d(p: Plane, line: np.ndarray, line_z: np.ndarray, z: np.ndarray) -> list:
    """The moves by hand on the surface: a dashed line lying on it, a diamond per state."""
    hover = f"{HAND_NAME}<br>w1 = %{{x:.4g}}, w2 = %{{y:.4g}}<extra></extra>"
    return [
        go.Scatter3d(
            x=line[:, 0],
            y=line[:, 1],
            z=line_z,
            mode="lines",
            name=HAND_NAME,
            line={"color": HAND_COLOR, "width": 6, "dash": "dash"},
            hoverinfo="skip",
        ),
        go.Scatter3d(
            x=p.hand[:, 0],
            y=p.hand[:, 1],
            z=z,
            mode="markers",
            name=HAND_NAME,
            showlegend=False,
            marker={"symbol": "diamond", "size": 5, "color": HAND_COLOR},
            hovertemplate=hover,
        ),
    ]


def _surface(p: Plane, cap: float) -> go.Surface:
    return go.Surface(
        x=p.across,
        y=p.up,
        z=np.minimum(p.loss, cap),
        colorscale="Viridis",
        colorbar={"title": {"text": _short_objective(p), "side": "right"}},
        name="loss",
        hovertemplate=f"w1 = %{{x:.3g}}, w2 = %{{y:.3g}}<br>{_height_name(p)} = %{{z:.4g}}"
        "<extra></extra>",
    )


def _path_3d(p: Plane, heights: np.ndarray) -> go.Scatter3d:
    return go.Scatter3d(
        x=p.path[:, 0],
        y=p.path[:, 1],
        z=heights,
        mode="lines",
        name="descent path",
        line={"color": NOW_COLOR, "width": 6},
        hoverinfo="skip",
    )


def _now_3d(p: Plane, height: np.ndarray, k: int) -> go.Scatter3d:
    return go.Scatter3d(
        x=[p.now[0]],
        y=[p.now[1]],
        z=height,
        mode="markers",
        name=f"step k = {k:,}",
        marker={"color": NOW_COLOR, "size": 7, "line": {"color": "#000000", "width": 2}},
    )


def _surface_layout(cap: float, height: str = "loss L") -> dict:
    """The surface seen from the front left, its height axis up to the cap."""
    return layout(
        640,
        scene={
            "xaxis": {"title": {"text": "w1"}},
            "yaxis": {"title": {"text": "w2"}},
            "zaxis": {"title": {"text": height}, "range": [0, cap * 1.02]},
            "camera": {"eye": {"x": 1.5, "y": -1.5, "z": 1.0}},
        },
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    )
