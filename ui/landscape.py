"""The Loss landscape page's pieces: the loss over two weights, the run's path on it, and
picking a new starting spot.

Only the open tab is computed (tabs with ``on_change="rerun"``), and each grid is cached:
an 80 × 80 grid over 2,000 points is 12.8 million logits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from perceptron import History, Scenario
from perceptron.frames import sample_indices
from perceptron.landscape import grid_axis, loss_grid, loss_grid_bias, mean_losses
from perceptron.limits import MAX_ABS_INITIAL_PARAMETER
from ui import state
from ui.common import chart_config, fmt, layout
from ui.keys import LANDSCAPE_GRID, LANDSCAPE_VIEW
from ui.style import BOTH_THEMES

GRID_SIZES = (40, 80, 120)
VIEWS = ("Map over w1, w2", "3-D surface", "Map over w1, b")
START_KEYS = {"w1": "ls_w1", "w2": "ls_w2", "b": "ls_b"}
PICK_KEYS = ("ls_pick_w", "ls_pick_b")
PATH_POINTS = 1_000
# The path is drawn white on a casing that, unlike black, is readable in both themes' legends.
PATH_COLOR = "#FFFFFF"
PATH_CASING = BOTH_THEMES["grey"]
NOW_COLOR = BOTH_THEMES["orange"]
START_COLOR = BOTH_THEMES["purple"]
# The map colours log10(L): the valley near the minimum stays visible next to cliffs of 30+.
LOG_FLOOR = 1e-6
_ROUND_LOSSES = tuple(m * 10.0**e for e in range(-6, 5) for m in (1, 2, 3, 4, 5, 6, 8))
MAX_TICKS = 8


@st.cache_data(max_entries=16, show_spinner="Computing the loss on the grid…")
def cached_grid(X, y, across, up, fixed: float, over_bias: bool) -> np.ndarray:
    """``loss_grid`` (rows along w2) or, if ``over_bias``, ``loss_grid_bias`` (rows along b)."""
    if over_bias:
        return loss_grid_bias(X, y, across, up, fixed)
    return loss_grid(X, y, across, up, fixed)


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


def _path_steps(history: History, k: int) -> np.ndarray:
    steps = sample_indices(history.n_updates + 1, PATH_POINTS)
    return np.union1d(steps, [k])


def _start_spot() -> dict[str, float]:
    return {name: float(st.session_state[key]) for name, key in START_KEYS.items()}


def plane(s: Scenario, history: History, size: int, over_bias: bool) -> Plane:
    """The (w1, w2) slice at b of step k, or the (w1, b) slice at w2 of step k."""
    w, b = history.state(s.step)
    steps = _path_steps(history, s.step)
    start = _start_spot()
    second = history.b[steps] if over_bias else history.w[steps, 1]
    now = (float(w[0]), b if over_bias else float(w[1]))
    spot = (start["w1"], start["b"] if over_bias else start["w2"])
    across = grid_axis(np.concatenate([history.w[steps, 0], [spot[0]]]), size)
    up = grid_axis(np.concatenate([second, [spot[1]]]), size)
    X, y = np.asarray(s.X), np.asarray(s.y)
    fixed_value = float(w[1]) if over_bias else b
    Z = cached_grid(X, y, across, up, fixed_value, over_bias)
    return Plane(
        names=("w1", "b") if over_bias else ("w1", "w2"),
        across=across,
        up=up,
        loss=Z,
        path=np.column_stack([history.w[steps, 0], second]),
        now=now,
        start=spot,
        fixed=f"{'w2' if over_bias else 'b'} = {fmt(fixed_value)}, its value at step k",
    )


# ---------------------------------------------------------------- figures


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
    a, c = p.names
    A, C = np.meshgrid(p.across, p.up)
    fig = go.Figure(
        [
            go.Contour(
                x=p.across,
                y=p.up,
                z=logZ,
                colorscale="Viridis",
                zmin=float(logZ.min()),
                zmax=float(logZ.max()),
                contours=_levels(logZ),
                line={"width": 0.5, "color": "rgba(255,255,255,0.5)"},
                colorbar={
                    "title": {"text": "mean loss L (log scale)", "side": "right"},
                    "tickvals": tickvals,
                    "ticktext": ticktext,
                },
                hoverinfo="skip",
                name="loss",
            ),
            # Invisible markers, one per grid cell: they carry the hover text and make a
            # click on the map a selectable point.
            go.Scatter(
                x=A.ravel(),
                y=C.ravel(),
                mode="markers",
                name="grid",
                marker={"size": 9, "opacity": 0, "color": "#000000"},
                showlegend=False,
                customdata=p.loss.ravel(),
                hovertemplate=f"{a} = %{{x:.3g}}, {c} = %{{y:.3g}}<br>loss L = %{{customdata:.4g}}"
                "<br>click to start here<extra></extra>",
                unselected={"marker": {"opacity": 0}},
                selected={"marker": {"opacity": 0}},
            ),
            *_path_traces(p, k),
        ]
    )
    fig.update_layout(
        layout(
            620,
            xaxis={
                "title": {"text": a},
                "range": [p.across[0], p.across[-1]],
                "constrain": "domain",
            },
            yaxis=_y_axis(p),
            clickmode="event+select",
            dragmode="pan",
            legend={"orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom"},
            margin={"l": 60, "r": 20, "t": 40, "b": 50},
        )
    )
    return fig


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


def _surface_cap(Z: np.ndarray, path_loss: np.ndarray) -> float:
    """The surface's top: twice the path's highest loss, so far-off cliffs do not flatten it."""
    return float(min(Z.max(), 2 * path_loss.max()))


def surface_figure(p: Plane, X, y, b: float, k: int) -> go.Figure:
    """The (w1, w2) loss as a 3-D surface; the path sits on it at this slice's height."""
    path_loss = mean_losses(p.path, np.full(len(p.path), b), X, y)
    now_loss = mean_losses(np.array([p.now]), np.array([b]), X, y)
    cap = _surface_cap(p.loss, path_loss)
    # Lifted a little above the surface, so the surface does not hide the line.
    lift = 0.01 * cap
    fig = go.Figure(
        [
            go.Surface(
                x=p.across,
                y=p.up,
                z=np.minimum(p.loss, cap),
                colorscale="Viridis",
                colorbar={"title": {"text": "mean loss L", "side": "right"}},
                name="loss",
                hovertemplate="w1 = %{x:.3g}, w2 = %{y:.3g}<br>loss L = %{z:.4g}<extra></extra>",
            ),
            go.Scatter3d(
                x=p.path[:, 0],
                y=p.path[:, 1],
                z=path_loss + lift,
                mode="lines",
                name="descent path",
                line={"color": NOW_COLOR, "width": 6},
                hoverinfo="skip",
            ),
            go.Scatter3d(
                x=[p.now[0]],
                y=[p.now[1]],
                z=now_loss + lift,
                mode="markers",
                name=f"step k = {k:,}",
                marker={"color": NOW_COLOR, "size": 7, "line": {"color": "#000000", "width": 2}},
            ),
        ]
    )
    fig.update_layout(
        layout(
            640,
            scene={
                "xaxis": {"title": {"text": "w1"}},
                "yaxis": {"title": {"text": "w2"}},
                "zaxis": {"title": {"text": "loss L"}, "range": [0, cap * 1.02]},
                "camera": {"eye": {"x": 1.5, "y": -1.5, "z": 1.0}},
            },
            margin={"l": 0, "r": 0, "t": 30, "b": 0},
            legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        )
    )
    return fig


# ---------------------------------------------------------------- picking a start


def _picked(key: str) -> tuple[float, float] | None:
    """The spot last clicked on map ``key``, or None if its selection holds no usable point.

    The selection is JSON from the browser: anything may arrive, so it is checked here.
    """
    try:
        point = st.session_state.get(key)["selection"]["points"][-1]
        x, y = float(point["x"]), float(point["y"])
    except (KeyError, IndexError, TypeError, ValueError, OverflowError):
        return None
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None


def _on_pick(key: str, over_bias: bool) -> None:
    """A click on a map: the spot becomes the new start, the held parameter at its step-k value."""
    picked = _picked(key)
    if picked is None:
        return
    s = state.scenario()
    w, b = state.history(s).state(s.step)
    spot = {"w1": picked[0], "w2": w[1], "b": b}
    spot["b" if over_bias else "w2"] = picked[1]
    for name, value in spot.items():
        st.session_state[START_KEYS[name]] = _clamped(value)


def _clamped(value: float) -> float:
    return float(
        np.clip(round(float(value), 4), -MAX_ABS_INITIAL_PARAMETER, MAX_ABS_INITIAL_PARAMETER)
    )


def seed_start(s: Scenario) -> None:
    """On first visit, fill the start inputs with the run's own starting weights; also
    any input left empty or given a number beyond its limits (it then holds None)."""
    w, b = s.config.start()
    for key, value in zip(START_KEYS.values(), (w[0], w[1], b), strict=True):
        if st.session_state.get(key) is None:
            st.session_state[key] = float(value)


def _start_here() -> None:
    spot = _start_spot()
    s = state.scenario().replace(init="custom", w0=(spot["w1"], spot["w2"]), b0=spot["b"], step=0)
    state.set_scenario(s)
    state.flash(
        f"The run now starts at w1 = {fmt(spot['w1'])}, w2 = {fmt(spot['w2'])}, "
        f"b = {fmt(spot['b'])} (starting weights “Typed” in the sidebar). The path below is "
        "its descent; step through it on the Playground.",
        "success",
    )


def start_controls() -> None:
    """Number inputs for a new starting spot and the button that starts the run there."""
    st.markdown(
        "**Start somewhere else:** click a spot on a map (or type the numbers), then start "
        "the run there. The pink ✕ marks the spot."
    )
    cols = st.columns([1, 1, 1, 1.4], vertical_alignment="bottom")
    for col, (name, key) in zip(cols[:3], START_KEYS.items(), strict=True):
        col.number_input(
            f"start {name}",
            -MAX_ABS_INITIAL_PARAMETER,
            MAX_ABS_INITIAL_PARAMETER,
            value=None,  # a number beyond the limits becomes None, not -MAX_ABS_INITIAL_PARAMETER
            step=0.1,
            format="%.4g",
            key=key,
        )
    cols[3].button(
        "Start training here",
        icon=":material/flag:",
        type="primary",
        on_click=_start_here,
        width="stretch",
        help="Sets the Playground's starting weights to these; the run restarts at step 0.",
    )


# ---------------------------------------------------------------- the page body


def views(s: Scenario, history: History) -> None:
    """The three tabs; only the open one is computed."""
    size = st.segmented_control(
        "Grid points per side",
        GRID_SIZES,
        default=80,
        key=LANDSCAPE_GRID,
        required=True,
        help="More points draw a finer surface and take longer.",
    )
    tabs = st.tabs(VIEWS, key=LANDSCAPE_VIEW, on_change="rerun")
    X, y = np.asarray(s.X), np.asarray(s.y)
    for tab, over_bias, pick_key in ((tabs[0], False, PICK_KEYS[0]), (tabs[2], True, PICK_KEYS[1])):
        if tab.open:
            with tab:
                p = plane(s, history, size, over_bias)
                st.caption(_map_caption(p))
                st.plotly_chart(
                    map_figure(p, s.step),
                    width="stretch",
                    key=pick_key,
                    on_select=lambda key=pick_key, ob=over_bias: _on_pick(key, ob),
                    selection_mode="points",
                    config=chart_config(scrollZoom=True),
                    alt=f"Contour map of the mean loss over {p.names[0]} and {p.names[1]} "
                    f"with the descent path and step {s.step}.",
                )
    if tabs[1].open:
        with tabs[1]:
            p = plane(s, history, size, False)
            b = float(history.b[s.step])
            st.caption(
                f"The same slice as the first map ({p.fixed}), as a surface you can turn "
                "(drag it). Where the loss rises far above the path, the surface is cut flat "
                "so the valley stays visible."
            )
            st.plotly_chart(
                surface_figure(p, X, y, b, s.step),
                width="stretch",
                config=chart_config(),
                alt=f"3-D surface of the mean loss over w1 and w2, descent path to step {s.step}.",
            )


def _map_caption(p: Plane) -> str:
    a, c = p.names
    return (
        f"Each spot is one choice of ({a}, {c}); its colour is the mean loss L over all "
        f"points for that choice, with {p.fixed}. The white line is the run's path, the "
        "orange star its state at step k. The path's states had their own values of "
        f"the held parameter, so before step k the path need not follow this slice's valleys."
    )
