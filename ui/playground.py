"""The Playground page's pieces: point tools, the class picker, the stepping view and the
chart component's events (what it draws is ``ui.payload``'s)."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from perceptron import PRESETS, History
from perceptron.clicks import apply_clicks
from perceptron.limits import MAX_ABS_COORDINATE
from perceptron.scenario import preset_scenario
from perceptron.settings import described
from ui import challenge, hand_mode, predict_mode, state
from ui.chart import charts
from ui.keys import (
    AUTOPLAY,
    CHARTS,
    CLICK_ACK,
    HAND_PATH,
    HAND_PREVIEW,
    LOG_LOSS,
    MODE,
    PLAY_SPEED,
    POINT_TOOLS,
    PREDICT_ANSWERS,
    PRESET_CHOICE,
    RERUN_PAGE,
    STEPBAR,
    STEPPING,
    THEME,
    TOOL,
)
from ui.payload import chart_data, mode

TOOLS = {"0": "● Class 0", "1": "▲ Class 1", "erase": "✕ Erase"}
MODES = {
    "train": "Watch it learn",
    "predict": "Predict each step",
    "hand": "Fit it by hand",
}
PLAY_SPEEDS = (2, 5, 10, 20, 50, 100, 500, 2_000)
DEFAULT_PLAY_SPEED = 20


# ---------------------------------------------------------------- step changes


def go_to(k: int) -> None:
    s = state.scenario()
    state.set_scenario(s.replace(step=max(0, min(int(k), s.n_updates()))))


# ---------------------------------------------------------------- component events


def _result() -> dict:
    return st.session_state.get(CHARTS) or {}


def _on_clicks() -> None:
    queue = _result().get("clicks") or {}
    client = queue.get("client") if isinstance(queue, dict) else None
    if not isinstance(client, str):
        return
    ack = st.session_state.get(CLICK_ACK, {})
    last = ack.get("seq", 0) if ack.get("client") == client else 0
    s = state.scenario()
    result = apply_clicks(s.X, s.y, queue.get("items"), last)
    st.session_state[CLICK_ACK] = {"client": client, "seq": result.last_seq}
    if state.locked("points"):
        # Acknowledged (the browser drops them) but not applied: the challenge fixes them.
        if result.last_seq != last:
            state.flash(state.POINTS_LOCKED_CLICK, "warning")
        return
    if len(result.y) != len(s.y) or not np.array_equal(result.X, s.X):
        state.set_points(result.X, result.y, preset="")
        st.session_state[RERUN_PAGE] = True
    for message in result.messages:
        state.flash(message, "warning")
        st.session_state[RERUN_PAGE] = True


def _on_paused_at() -> None:
    event = _result().get("paused_at") or {}
    k = event.get("k") if isinstance(event, dict) else None
    if isinstance(k, int) and not isinstance(k, bool):
        go_to(k)
        st.session_state[AUTOPLAY] = bool(event.get("resume"))


def _on_history() -> None:
    event = _result().get("history") or {}
    query = event.get("query") if isinstance(event, dict) else None
    if isinstance(query, str) and len(query) <= 50_000:
        state.follow_address(query)


def _on_key() -> None:
    event = _result().get("key") or {}
    key = event.get("key") if isinstance(event, dict) else None
    if key in ("0", "1", "e"):
        # The picker lives in the same fragment as the charts: both show the new tool.
        st.session_state[TOOL] = "erase" if key == "e" else key


def _axis_range(value) -> tuple[float, float] | None:
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    )
    if not ok:
        return None
    lo, hi = float(value[0]), float(value[1])
    finite = math.isfinite(lo) and math.isfinite(hi)
    if not (finite and lo < hi and max(abs(lo), abs(hi)) <= 10 * MAX_ABS_COORDINATE):
        return None
    return (lo, hi) if (hi - lo) >= 1e-6 else None


def _on_view() -> None:
    """The learner panned or zoomed the data chart: the shading and boundary follow."""
    view = _result().get("view")
    if isinstance(view, dict):
        x_range, y_range = _axis_range(view.get("x")), _axis_range(view.get("y"))
        if x_range and y_range:
            state.set_view(x_range, y_range)


def _on_fit() -> None:
    state.fit_view()


def _run_start():
    """The run's state on show, where hand-fitting begins (the start when there is no run)."""
    s = state.scenario()
    return state.history(s).state(s.step) if len(s.y) else s.config.start()


def _on_predicted() -> None:
    s = state.scenario()
    run = state.history(s) if len(s.y) else None
    predict_mode.on_predicted(_result().get("predicted"), run)


def _on_hand() -> None:
    s = state.scenario()
    locked = challenge.locked("handfit_step")
    event = _result().get("hand")
    hand_mode.on_hand(event, _run_start(), state.view(), s.config.learning_rate, locked)


def _on_theme() -> None:
    """The browser shows another theme than the server thought (e.g. it was just switched)."""
    event = _result().get("theme") or {}
    theme = event.get("theme") if isinstance(event, dict) else None
    if theme in ("light", "dark"):
        st.session_state[THEME] = theme


# ---------------------------------------------------------------- point tools


def _load_preset() -> None:
    if state.locked("points"):
        state.flash(state.POINTS_LOCKED, "warning")
        return
    name = st.session_state[PRESET_CHOICE]
    loaded = preset_scenario(name, state.scenario())
    state.set_points(loaded.X, loaded.y, preset=name, new_view=True)
    state.set_scenario(state.scenario().replace(config=loaded.config))
    preset = PRESETS[name]
    sets = f" It sets {described(loaded.config, preset.settings)}." if preset.settings else ""
    state.flash(f"Loaded “{preset.title}”: {preset.description}{sets}", "info")


def _clear() -> None:
    if state.locked("points"):
        state.flash(state.POINTS_LOCKED, "warning")
        return
    s = state.scenario()
    if len(s.y):
        state.set_points(s.X[:0], s.y[:0], preset="")
        state.flash("All points removed. Undo brings them back.", "info")


def _undo() -> None:
    if state.locked("points"):
        state.flash(state.POINTS_LOCKED, "warning")
    elif not state.undo():
        state.flash("Nothing to undo.", "info")


def point_tools() -> None:
    """Undo, Clear and the preset picker (the class picker sits with the chart); disabled,
    with the reason, while the open challenge fixes the points, and left out if it hides them."""
    if state.hidden("points"):
        return
    fixed = state.locked("points")
    why = "Fixed by this challenge. " if fixed else ""
    with st.container(horizontal=True, vertical_alignment="bottom", key=POINT_TOOLS):
        st.button(
            "Undo",
            icon=":material/undo:",
            on_click=_undo,
            disabled=fixed,
            help=why + "Undo the last point edit",
        )
        st.button(
            "Clear",
            icon=":material/delete:",
            on_click=_clear,
            disabled=fixed,
            help=why + "Remove every point",
        )
        st.session_state.setdefault(PRESET_CHOICE, state.scenario().preset or "separable")
        st.selectbox(
            "Start from a preset",
            options=list(PRESETS),
            format_func=lambda name: PRESETS[name].title,
            key=PRESET_CHOICE,
            width=260,
            disabled=fixed,
        )
        st.button(
            "Load",
            on_click=_load_preset,
            disabled=fixed,
            help=why + "Replaces the points (Undo restores them).",
        )
        if fixed:
            st.caption(":material/lock: This challenge fixes the points.")


def class_picker() -> str:
    """What a click on the chart does: place a class-0 or class-1 point, or erase one
    (disabled while the open challenge fixes the points)."""
    st.session_state.setdefault(TOOL, "0")
    tool = st.segmented_control(
        "Click on the chart to…",
        options=list(TOOLS),
        format_func=TOOLS.get,
        key=TOOL,
        persist_state="session",  # the class stays chosen across a visit to another page
        disabled=challenge.locked("points"),
        help="Keys: 0 and 1 pick the class, E picks erase (click a point to remove it).",
        label_visibility="collapsed",
    )
    return tool or "0"


def _on_mode() -> None:
    """A new mode: a drag's preview is dropped; predicting starts its lecture order here."""
    st.session_state[HAND_PREVIEW] = None
    if st.session_state.get(MODE) == "predict":
        answers = st.session_state.get(PREDICT_ANSWERS)
        if answers and not answers["given"]:
            answers["first"] = state.scenario().step + 1


def mode_picker() -> str:
    """What the learner does with the run: watch it, predict each step, or be the optimiser."""
    st.session_state.setdefault(MODE, "train")
    chosen = st.segmented_control(
        "What you do",
        options=list(MODES),
        format_func=MODES.get,
        key=MODE,
        persist_state="session",  # kept across pages: a challenge sets it on any page
        on_change=_on_mode,
        disabled=challenge.current() is not None,
        help="Watch it learn: step through gradient descent. Predict each step: before each "
        "Step, say what the update will do (↑/↓ keys), then see why. Fit it by hand: drag "
        "the boundary or the arrow w yourself; Step takes one gradient step from there. "
        "An open challenge chooses the mode itself.",
        label_visibility="collapsed",
    )
    return chosen or "train"


@st.fragment
def stepping_view() -> None:
    """Class picker, stepper, update k's numbers and the charts. A Step, a key or Play
    reruns only this part; a change of points reruns the page, whose sidebar shows the
    run's size."""
    # The click queue is also read here, not only in its callback: when clicks arrive while
    # another run is under way, Streamlit may fold their event into that run, and the
    # callback never fires. Clicks carry numbers, so reading the queue twice is harmless.
    _on_clicks()
    if st.session_state.pop(RERUN_PAGE, False):
        st.rerun(scope="app")
    state.show_messages()  # from this fragment's own callbacks
    s = state.scenario()
    run = state.history(s) if len(s.y) else None
    with st.container(key=STEPPING):
        with st.container(horizontal=True, vertical_alignment="bottom", key=STEPBAR):
            chosen = mode_picker()
            tool = class_picker() if chosen != "hand" else "0"
        st.session_state.setdefault(PLAY_SPEED, DEFAULT_PLAY_SPEED)
        speed, log_loss = st.session_state[PLAY_SPEED], st.session_state.get(LOG_LOSS, False)
        render_charts(run, tool, speed, log_loss)
        challenge.check_and_announce(run)
        if mode() == "hand":
            hand_options()
        else:
            step_options()
    state.sync_url()


def render_charts(history: History | None, tool: str, speed: int, log_loss: bool) -> None:
    charts(
        chart_data(history, tool, speed, log_loss),
        on_clicks=_on_clicks,
        on_paused_at=_on_paused_at,
        on_key=_on_key,
        on_history=_on_history,
        on_view=_on_view,
        on_fit=_on_fit,
        on_theme=_on_theme,
        on_predicted=_on_predicted,
        on_hand=_on_hand,
    )


# ---------------------------------------------------------------- Play options


def step_options() -> None:
    """The Play speed and the loss chart's scale (the step buttons and the scrubber are
    the chart component's own: the browser moves k)."""
    cols = st.columns([2, 1.3], vertical_alignment="bottom")
    cols[0].select_slider("Play speed (updates / s)", options=PLAY_SPEEDS, key=PLAY_SPEED)
    cols[1].toggle("Log-scale loss", key=LOG_LOSS)


def _start_over() -> None:
    st.session_state[HAND_PATH] = None
    st.session_state[HAND_PREVIEW] = None


def _train_from_here() -> None:
    hand_mode.use_as_start()
    st.session_state[MODE] = "train"


def hand_options() -> None:
    """Hand-fit mode's buttons below the chart: begin again, or train from the weights."""
    with st.container(horizontal=True):
        st.button(
            "Start over",
            icon=":material/restart_alt:",
            on_click=_start_over,
            help="Back to the weights the run shows at its current step.",
        )
        fixed = challenge.current() is not None  # it fixes the mode (and often the start)
        st.button(
            "Train from these weights",
            icon=":material/play_arrow:",
            on_click=_train_from_here,
            disabled=fixed,
            help=("Not during a challenge: it keeps you in this mode. " if fixed else "")
            + "The run starts from your weights (a Typed start), so you can watch gradient "
            "descent carry on from where you left it.",
        )
