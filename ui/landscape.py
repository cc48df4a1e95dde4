"""The Loss landscape page's pieces: the slice of the loss each tab shows, the tabs, and
picking a new starting spot on a map.

The surface is what the run descends: the mean log loss or squared error, plus the L2
penalty when λ > 0. Besides the run's path the maps and the surface show the learner's own
moves from the Playground's "Fit it by hand" mode, when there are any.

Only the open tab is computed (tabs with ``on_change="rerun"``), and each grid is cached:
an 80 × 80 grid over 2,000 points is 12.8 million logits.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from perceptron import History, Scenario, TrainConfig
from perceptron.formatting import fmt
from perceptron.frames import sample_indices
from perceptron.handfit import HandPath
from perceptron.landscape import grid_axis, loss_grid, loss_grid_bias
from perceptron.limits import MAX_ABS_INITIAL_PARAMETER
from perceptron.settings import START_SETTINGS
from ui import challenge, state
from ui.common import chart_config
from ui.keys import HAND_PATH, LANDSCAPE_GRID, LANDSCAPE_PICK, LANDSCAPE_START, LANDSCAPE_VIEW
from ui.landscape_figures import Plane, map_figure, objective_name, surface_figure
from ui.page import explain

GRID_SIZES = (40, 80, 120)
VIEWS = ("Map over w1, w2", "3-D surface", "Map over w1, b")
START_KEYS = {name: LANDSCAPE_START + name for name in ("w1", "w2", "b")}
PICK_KEYS = (LANDSCAPE_PICK + "w", LANDSCAPE_PICK + "b")  # the (w1, w2) and (w1, b) maps
PATH_POINTS = 1_000


@st.cache_data(max_entries=16, show_spinner="Computing the loss on the grid…")
def cached_grid(
    X, y, across, up, fixed: float, over_bias: bool, loss: str = "log", l2: float = 0.0
) -> np.ndarray:
    """``loss_grid`` (rows along w2) or, if ``over_bias``, ``loss_grid_bias`` (rows along b),
    of the objective the run descends: ``loss`` plus (λ/2)(w1² + w2²) with λ = ``l2``."""
    if over_bias:
        return loss_grid_bias(X, y, across, up, fixed, loss=loss, l2=l2)
    return loss_grid(X, y, across, up, fixed, loss=loss, l2=l2)


def hand_states() -> tuple[np.ndarray, np.ndarray] | None:
    """The learner's moves by hand as (w ``(m, 2)``, b ``(m,)``), at most PATH_POINTS of them
    (first and last kept), or None when the hand-fit mode was not used."""
    path = st.session_state.get(HAND_PATH)
    if not isinstance(path, HandPath):
        return None
    w, b = path.arrays()
    keep = sample_indices(len(b), PATH_POINTS)
    return w[keep], b[keep]


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
    hand = _in_plane(hand_states(), over_bias)
    shown = np.vstack([np.column_stack([history.w[steps, 0], second]), [spot], hand])
    across, up = grid_axis(shown[:, 0], size), grid_axis(shown[:, 1], size)
    X, y, config = np.asarray(s.X), np.asarray(s.y), s.config
    fixed_value = float(w[1]) if over_bias else b
    Z = cached_grid(X, y, across, up, fixed_value, over_bias, config.loss, config.l2)
    return Plane(
        names=("w1", "b") if over_bias else ("w1", "w2"),
        across=across,
        up=up,
        loss=Z,
        path=np.column_stack([history.w[steps, 0], second]),
        now=now,
        start=spot,
        fixed=f"{'w2' if over_bias else 'b'} = {fmt(fixed_value)}, its value at step k",
        hand=hand if len(hand) else None,
        objective=objective_name(config),
        loss_kind=config.loss,
        l2=config.l2,
    )


def _in_plane(states: tuple[np.ndarray, np.ndarray] | None, over_bias: bool) -> np.ndarray:
    """The hand-set states as points of this plane, ``(m, 2)`` (none: ``(0, 2)``)."""
    if states is None:
        return np.zeros((0, 2))
    w, b = states
    return np.column_stack([w[:, 0], b if over_bias else w[:, 1]])


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
    fixed = any(challenge.locked(name) for name in START_SETTINGS)
    if fixed:
        st.caption(":material/lock: This challenge fixes where the run starts.")
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
            disabled=fixed,
        )
    cols[3].button(
        "Start training here",
        icon=":material/flag:",
        type="primary",
        on_click=_start_here,
        disabled=fixed,
        width="stretch",
        help="Sets the Playground's starting weights to these; the run restarts at step 0.",
    )


# ---------------------------------------------------------------- the page body


def objective_note(config: TrainConfig) -> str | None:
    """What the chosen loss and λ do to the landscape, in words; None for the lecture's
    plain log loss."""
    parts = []
    if config.loss == "squared":
        parts.append(
            "**Squared error is not convex.** Where the neuron is sure of a mistake, "
            "ŷ(1 − ŷ) is nearly 0, so such a point barely changes the loss as the weights "
            "move: the landscape has flat plateaus there, and a run that starts on one "
            "creeps across it before it finds the slope. The log loss has no plateaus: its "
            "landscape is one bowl, or a valley sloping down for ever when the classes are "
            "separable."
        )
    if config.l2:
        parts.append(
            f"**The penalty (λ = {config.l2:g}) adds a bowl,** (λ/2)(w1² + w2²), centred on "
            "w = 0. It lifts the far-out weights most, so a valley that would slope down for "
            "ever (separable points) now turns up again: the landscape has a lowest point at "
            "finite weights. On the map over (w1, b) it adds the same for w1 and nothing "
            "along b, which is not penalised."
        )
    return "\n\n".join(parts) or None


def views(s: Scenario, history: History) -> None:
    """The three tabs; only the open one is computed."""
    note = objective_note(s.config)
    if note:  # folded away on a projector, where the chart needs the room
        explain(note, "What the chosen loss and λ do to this landscape")
    size = st.segmented_control(
        "Grid points per side",
        GRID_SIZES,
        default=80,
        key=LANDSCAPE_GRID,
        required=True,
        help="More points draw a finer surface and take longer.",
    )
    tabs = st.tabs(VIEWS, key=LANDSCAPE_VIEW, on_change="rerun")
    for tab, over_bias, pick_key in ((tabs[0], False, PICK_KEYS[0]), (tabs[2], True, PICK_KEYS[1])):
        if tab.open:
            with tab:
                _map_tab(s, history, size, over_bias, pick_key)
    if tabs[1].open:
        with tabs[1]:
            _surface_tab(s, history, size)


def _map_tab(s: Scenario, history: History, size: int, over_bias: bool, pick_key: str) -> None:
    """A map of one slice; a click on it picks a new start."""
    p = plane(s, history, size, over_bias)
    st.caption(_map_caption(p))
    st.plotly_chart(
        map_figure(p, s.step),
        width="stretch",
        key=pick_key,
        on_select=lambda: _on_pick(pick_key, over_bias),
        selection_mode="points",
        config=chart_config(scrollZoom=True),
        alt=f"Contour map of the {p.objective} over {p.names[0]} and {p.names[1]} "
        f"with the descent path and step {s.step}"
        + (", and your moves by hand." if p.hand is not None else "."),
    )


def _surface_tab(s: Scenario, history: History, size: int) -> None:
    """The (w1, w2) slice as a surface to turn."""
    p = plane(s, history, size, False)
    b = float(history.b[s.step])
    st.caption(
        f"The same slice as the first map ({p.fixed}), as a surface you can turn "
        "(drag it). Where the loss rises far above the path, the surface is cut flat "
        "so the valley stays visible." + (_HAND_WORDS if p.hand is not None else "")
    )
    st.plotly_chart(
        surface_figure(p, np.asarray(s.X), np.asarray(s.y), b, s.step),
        width="stretch",
        config=chart_config(),
        alt=f"3-D surface of the {p.objective} over w1 and w2, descent path to step {s.step}"
        + (", and your moves by hand." if p.hand is not None else "."),
    )


_HAND_WORDS = (
    " The dashed line with diamonds is your own path from the Playground's “Fit it by hand”: "
    "compare where you went with where descent went."
)


def _map_caption(p: Plane) -> str:
    a, c = p.names
    return (
        f"Each spot is one choice of ({a}, {c}); its colour is the {p.objective} over all "
        f"points for that choice, with {p.fixed}. The white line is the run's path, the "
        "orange star its state at step k. The path's states had their own values of "
        f"the held parameter, so before step k the path need not follow this slice's valleys."
        + (_HAND_WORDS if p.hand is not None else "")
    )
