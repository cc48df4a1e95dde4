"""The Playground page's pieces: point tools, the linked charts, the stepper, update k's numbers."""

from __future__ import annotations

import math
import time

import numpy as np
import streamlit as st

from perceptron import PRESETS, History, loss, make_dataset, point_derivatives, predict_proba
from perceptron.clicks import CLICK_DECIMALS, apply_clicks
from perceptron.explain import counts_sentence, update_reason
from perceptron.figures import (
    CLASS_COLORS,
    THEMES,
    data_figure,
    data_legend,
    derivatives_figure,
    loss_figure,
    rounded,
    weights_figure,
)
from perceptron.limits import MAX_ABS_COORDINATE
from perceptron.precision import Precision
from ui import page, state
from ui.chart import charts
from ui.common import text_number as fmt

TOOLS = {"0": "● Class 0", "1": "▲ Class 1", "erase": "✕ Erase"}
TOOL = "tool"  # the class picker's key: what a click on the chart does
PLAY_SPEEDS = (2, 5, 10, 20, 50, 100, 500, 2_000)
DEFAULT_PLAY_SPEED = 20
MAX_FPS = 60  # frames sent per second of Play; the browser skips what it cannot draw
FRAMES_PER_WINDOW = 600
CLICK_ACK = "click_ack"
# Set when a chart event changed what lies outside the stepping fragment (points, messages).
RERUN_PAGE = "rerun_whole_page"
AUTOPLAY = "autoplay"
# The step scrubber's current widget key, and how many keys it has had (see _slider_key).
SLIDER_KEY = "step_slider_key"
SLIDER_COUNT = "step_slider_count"


# ---------------------------------------------------------------- step changes


def go_to(k: int) -> None:
    s = state.scenario()
    state.set_scenario(s.replace(step=max(0, min(int(k), s.n_updates()))))


def _step_by(delta: int) -> None:
    go_to(state.scenario().step + delta)


def _next_epoch() -> None:
    s = state.scenario()
    per_epoch = max(1, s.n_updates() // s.epochs)
    go_to((s.step // per_epoch + 1) * per_epoch)


def _on_slider(key: str) -> None:
    # Only the scrubber on the page moves the step: a report for an older one is stale.
    if key == st.session_state.get(SLIDER_KEY):
        go_to(st.session_state[key])


# ---------------------------------------------------------------- component events


def _result() -> dict:
    return st.session_state.get("charts") or {}


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
    if key == "PageDown":
        _step_by(1)
    elif key == "PageUp":
        _step_by(-1)
    elif key == "Home":
        go_to(0)
    elif key == "End":
        go_to(state.scenario().n_updates())
    elif key in ("0", "1", "e"):
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


def _on_theme() -> None:
    """The browser shows another theme than the server thought (e.g. it was just switched)."""
    event = _result().get("theme") or {}
    theme = event.get("theme") if isinstance(event, dict) else None
    if theme in ("light", "dark"):
        st.session_state[state.THEME] = theme


# ---------------------------------------------------------------- point tools


def _load_preset() -> None:
    name = st.session_state["preset_choice"]
    X, y = make_dataset(name, seed=int(st.session_state.get("preset_seed", 0)))
    state.set_points(X, y, preset=name, new_view=True)
    state.flash(f"Loaded “{PRESETS[name].title}”: {PRESETS[name].description}", "info")


def _clear() -> None:
    s = state.scenario()
    if len(s.y):
        state.set_points(s.X[:0], s.y[:0], preset="")
        state.flash("All points removed. Undo brings them back.", "info")


def _undo() -> None:
    if not state.undo():
        state.flash("Nothing to undo.", "info")


def point_tools() -> None:
    """Undo, Clear and the preset picker (the class picker sits with the chart)."""
    with st.container(horizontal=True, vertical_alignment="bottom", key="point_tools"):
        st.button("Undo", icon=":material/undo:", on_click=_undo, help="Undo the last point edit")
        st.button("Clear", icon=":material/delete:", on_click=_clear, help="Remove every point")
        st.session_state.setdefault("preset_choice", state.scenario().preset or "separable")
        st.selectbox(
            "Start from a preset",
            options=list(PRESETS),
            format_func=lambda name: PRESETS[name].title,
            key="preset_choice",
            width=260,
        )
        st.button("Load", on_click=_load_preset, help="Replaces the points (Undo restores them).")


def class_picker() -> str:
    """What a click on the chart does: place a class-0 or class-1 point, or erase one."""
    st.session_state.setdefault(TOOL, "0")
    tool = st.segmented_control(
        "Click on the chart to…",
        options=list(TOOLS),
        format_func=TOOLS.get,
        key=TOOL,
        persist_state="session",  # the class stays chosen across a visit to another page
        help="Keys: 0 and 1 pick the class, E picks erase (click a point to remove it).",
        label_visibility="collapsed",
    )
    return tool or "0"


# ---------------------------------------------------------------- charts


def _frames(history: History, k: int, speed: int) -> dict:
    """The states Play shows next, from step k (from 0 at the end): a window of frames
    every ``stride`` updates; the browser asks for the next window when it gets there."""
    K = history.n_updates
    start = 0 if k >= K else k
    stride = max(1, math.ceil(speed / MAX_FPS))
    ks = list(range(start, min(K, start + FRAMES_PER_WINDOW * stride) + 1, stride))
    if ks[-1] != K and K - ks[-1] < stride:
        ks.append(K)
    idx = np.array(ks)
    return {
        "k": ks,
        "w1": rounded(history.w[idx, 0], 7),
        "w2": rounded(history.w[idx, 1], 7),
        "b": rounded(history.b[idx], 7),
    }


def chart_data(history: History | None, tool: str, speed: int, log_loss: bool) -> dict:
    """Everything the chart component draws for the current step."""
    s = state.scenario()
    X, y, k = np.asarray(s.X), np.asarray(s.y), s.step
    if history is None:
        w, b = s.initial_weights()
        used = None
    else:
        w, b = history.state(k)
        used = history.points_used(k) if k >= 1 else None
    view = state.view()
    presenter = page.presenter()
    theme = state.theme()
    view_key = f"v{st.session_state[state.DATA_REVISION]}"
    main = data_figure(
        X, y, w, b, view, used=used, view_key=view_key, presenter=presenter, theme=theme
    )
    if history is not None:
        p = state.run_precision(s)
        look = {
            "presenter": presenter,
            "theme": theme,
            "unreliable_from": p.reliable_until + 1 if p.runs_out else None,
        }
        loss_k = loss(w, b, X, y)
        series = [
            loss_figure(history, k, loss_k, log_y=log_loss, **look),
            derivatives_figure(history, k, **look),
            weights_figure(history, k, **look),
        ]
        frames = _frames(history, k, speed)
        n_updates = history.n_updates
    else:
        series, frames, n_updates = (
            [_empty_series(t, theme) for t in ("Loss", "Derivatives", "Weights")],
            None,
            0,
        )
    ack = st.session_state.get(CLICK_ACK, {})
    return {
        "numbers": [_segments(line) for line in update_numbers(history)],
        "main": main,
        "series": series,
        "anim": {
            "X": X.tolist(),
            "y": y.astype(int).tolist(),
            "x_range": view[0],
            "y_range": view[1],
        },
        "frames": frames,
        "speed": speed,
        "k": k,
        "n_updates": n_updates,
        "tool": "erase" if tool == "erase" else "add",
        "cls": 1 if tool == "1" else 0,
        "round": 10**CLICK_DECIMALS,
        "colors": list(CLASS_COLORS),
        "legend": data_legend(theme),
        "marker_size": 16 if presenter else 11,
        "ack": {"client": ack.get("client"), "seq": ack.get("seq", 0)},
        "autoplay": bool(st.session_state.pop(AUTOPLAY, False)),
        "presenter": presenter,
        "theme": theme,
        "main_alt": f"Data chart: {len(y)} points, decision boundary and ŷ shading at step {k}.",
        "render_id": f"{k}-{len(y)}-{n_updates}-{time.monotonic_ns()}",
        # Same run, same line charts: the browser then only moves the markers at k.
        "series_key": f"{hash(s.replace(step=0))}-{log_loss}-{presenter}-{theme}",
        # Same points, view and size: the browser keeps the Plotly part of the data chart.
        "main_key": f"{hash((X.tobytes(), y.tobytes()))}-{view}-{presenter}-{view_key}-{theme}",
    }


def _segments(line: str) -> list[list]:
    """A line with **bold** parts as [[text, bold], ...], for the browser to set as text."""
    return [[part, i % 2 == 1] for i, part in enumerate(line.split("**")) if part]


def _empty_series(title: str, theme: str) -> dict:
    return {
        "data": [],
        "layout": {
            "title": {"text": f"{title}: place points to train"},
            "font": {"color": THEMES[theme]["text"]},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "height": 230,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
        },
    }


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
    with st.container(key="stepping"):
        with st.container(horizontal=True, vertical_alignment="bottom", key="stepbar"):
            tool = class_picker()
            step_buttons(run)
        st.session_state.setdefault("play_speed", DEFAULT_PLAY_SPEED)
        render_charts(
            run, tool, st.session_state["play_speed"], st.session_state.get("log_loss", False)
        )
        step_options(run)
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
    )


# ---------------------------------------------------------------- stepper


STEP_BUTTONS = (  # label, icon, shortcut, help
    ("Start", ":material/first_page:", None, "Back to step 0 (Home key)"),
    ("Back", ":material/chevron_left:", "Left", "One update back (Left arrow, PageUp)"),
    ("Step", ":material/chevron_right:", "Right", "One update forward (Right arrow, PageDown)"),
    ("Epoch", ":material/fast_forward:", None, "Forward to the end of this epoch"),
    ("End", ":material/last_page:", None, "Jump to the last update (End key)"),
)


def step_buttons(history: History | None) -> None:
    """Start, Back, Step, +1 epoch and End (with their keyboard shortcuts)."""
    s = state.scenario()
    K = history.n_updates if history else 0
    at_start = history is None or s.step == 0
    at_end = history is None or s.step >= K
    actions = {
        "Start": (go_to, (0,), at_start),
        "Back": (_step_by, (-1,), at_start),
        "Step": (_step_by, (1,), at_end),
        "Epoch": (_next_epoch, (), at_end),
        "End": (go_to, (K,), at_end),
    }
    for label, icon, shortcut, tip in STEP_BUTTONS:
        action, args, disabled = actions[label]
        st.button(
            label,
            icon=icon,
            type="primary" if label == "Step" else "secondary",
            on_click=action,
            args=args,
            disabled=disabled,
            width="stretch",
            shortcut=shortcut,
            help=tip,
            key=f"step_{label.lower()}",
        )


def _slider_key(k: int, K: int) -> str:
    """The scrubber's key: kept while it shows step k, a new one when k changed elsewhere.

    The server used to write the scrubber's value (session state, every run); then a click
    sent before the browser had drawn the new step carried the scrubber's old value, which
    counted as a move of the scrubber, and its callback took the step back (End clicked
    quickly twice ended at the old step). Now a step changed elsewhere gets a new scrubber,
    and ``_on_slider`` ignores reports for any but the current one.
    """
    key = st.session_state.get(SLIDER_KEY)
    if key is None or not key.startswith(f"step_slider_{K}_") or st.session_state.get(key) != k:
        st.session_state[SLIDER_COUNT] = st.session_state.get(SLIDER_COUNT, 0) + 1
        key = f"step_slider_{K}_{st.session_state[SLIDER_COUNT]}"
        st.session_state[SLIDER_KEY] = key
    return key


def step_options(history: History | None) -> None:
    """The step scrubber, the Play speed and the loss chart's scale."""
    s = state.scenario()
    K = history.n_updates if history else 0
    cols = st.columns([5, 2, 1.3], vertical_alignment="bottom")
    if K > 0:
        key = _slider_key(s.step, K)
        cols[0].slider(
            f"Step k (of {K:,} updates)",
            0,
            K,
            value=s.step,
            key=key,
            on_change=_on_slider,
            args=(key,),
        )
    cols[1].select_slider("Play speed (updates / s)", options=PLAY_SPEEDS, key="play_speed")
    cols[2].toggle("Log-scale loss", key="log_loss")


# ---------------------------------------------------------------- update k in numbers


def _sub(v: float) -> str:
    """A number substituted into a product: in parentheses when negative."""
    return f"({fmt(v)})" if fmt(v).startswith("−") else fmt(v)


WEIGHTS = ("w1", "w2", "b")


def _weight_lines(formulas, factors, before, grads, after, lr: float) -> list[str]:
    """One line per weight: its derivative (with the factors filled in, for one point) and
    the update w ← w − α·∂L/∂w."""
    lines = []
    for j, name in enumerate(WEIGHTS):
        derivative = f"∂L/∂{name} = {formulas[j]}"
        if factors is not None:
            derivative += f" = {factors[j]}"
        lines.append(
            f"{derivative} = **{fmt(grads[j])}**, so {name} ← {fmt(before[j])} − "
            f"{fmt(lr)} · {_sub(grads[j])} = **{fmt(after[j])}**"
        )
    return lines


def update_numbers(history: History | None) -> list[str]:
    """The numbers of update k, as lines with **bold** parts: the point(s) used, ŷ, the
    derivatives and the update itself. The chart component shows them beside the charts."""
    s = state.scenario()
    k = s.step
    if history is None:
        return [
            "**No points yet:** click or tap the chart to place some (or load a preset) "
            "to train the neuron."
        ]
    X, y = np.asarray(s.X), np.asarray(s.y)
    w, b = history.state(k)
    if k == 0:
        return [
            f"**Step 0 is the start:** w1 = {fmt(w[0])}, w2 = {fmt(w[1])}, b = {fmt(b)}; "
            f"{counts_sentence(predict_proba(w, b, X), y)}.",
            "Press **Step** (or the Right arrow) to make the first update.",
        ]
    w_prev, b_prev = history.state(k - 1)
    used = history.points_used(k)
    epoch = int(history.epoch[k - 1])
    before, after = (*w_prev, b_prev), (*w, b)
    grads = (*history.grad_w[k - 1], history.grad_b[k - 1])
    if len(used) == 1:
        i = int(used[0])
        d = point_derivatives(w_prev, b_prev, X[i], y[i])
        # Within 0.001 of 1, ŷ is written 1 − q so that it keeps its digits.
        near_one = d.one_minus_y_hat < 1e-3
        y_hat = f"(1 − {fmt(d.one_minus_y_hat)})" if near_one else fmt(d.y_hat)
        shown = y_hat if near_one else f"{d.y_hat:.4f}"
        error = f"−({int(y[i])} − {y_hat})"
        factors = [f"{error}·{_sub(X[i, 0])}", f"{error}·{_sub(X[i, 1])}", error]
        head = (
            f"**Update {k:,}** (epoch {epoch}) used **point #{i + 1}** at "
            f"({fmt(X[i, 0])}, {fmt(X[i, 1])}) with label y = {int(y[i])}: "
            f"z = {fmt(d.z)}, ŷ = σ(z) = **{shown}**, its loss L = {fmt(d.loss)}."
        )
        why = update_reason(int(y[i]), d.y_hat)
        formulas = ("−(y−ŷ)·x1", "−(y−ŷ)·x2", "−(y−ŷ)")
    else:
        m = len(used)
        y_hat = predict_proba(w_prev, b_prev, X[used])
        head = (
            f"**Update {k:,}** (epoch {epoch}) used the **mean over m = {m:,} points**"
            + (" (all of them)" if m == len(y) else "")
            + f": {counts_sentence(y_hat, y[used])}; "
            f"mean |y − ŷ| = {np.mean(np.abs(y[used] - y_hat)):.3f}."
        )
        why = f"Each derivative is the mean of the point's formula over the {m:,} points."
        formulas = ("mean of −(y−ŷ)·x1", "mean of −(y−ŷ)·x2", "mean of −(y−ŷ)")
        factors = None
    lines = [head, why, *_weight_lines(formulas, factors, before, grads, after, s.learning_rate)]
    return lines + precision_warning(state.run_precision(s), k)


def precision_warning(p: Precision, k: int) -> list[str]:
    """A line saying that step k's digits mean nothing any more, when they do not."""
    if p.reliable(k):
        return []
    return [
        f"**The computer's digits have run out here.** From update {p.reliable_until + 1:,} "
        f"on, this run makes its own rounding errors (float64 keeps about 16 digits) grow "
        f"about ×{p.growth:.2f} per update, past the 4 digits shown: these numbers are not "
        "the exact descent's any more, and another computer could show others. The "
        "learning rate is too large for these points: the "
        "descent does not settle."
    ]
