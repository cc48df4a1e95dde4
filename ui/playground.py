"""The Playground page's pieces: point tools, the linked charts, the stepper, update k's numbers."""

from __future__ import annotations

import math
import time

import numpy as np
import streamlit as st

from perceptron import (
    PRESETS,
    History,
    Scenario,
    loss,
    make_dataset,
    point_derivatives,
    predict_proba,
    updates_per_epoch,
)
from perceptron.clicks import CLICK_DECIMALS, apply_clicks
from perceptron.explain import (
    counts_sentence,
    data_chart_text,
    series_texts,
    update_narration,
    update_reason,
)
from perceptron.frames import rounded, step_record
from perceptron.limits import MAX_ABS_COORDINATE
from perceptron.precision import Precision
from ui import contract, state, style
from ui.chart import charts
from ui.common import text_number as fmt
from ui.figures import data_figure, data_legend, derivatives_figure, loss_figure, weights_figure
from ui.keys import (
    AUTOPLAY,
    CHARTS,
    CLICK_ACK,
    DATA_REVISION,
    LOG_LOSS,
    PLAY_SPEED,
    POINT_TOOLS,
    PRESET_CHOICE,
    RERUN_PAGE,
    STEPBAR,
    STEPPING,
    THEME,
    TOOL,
)
from ui.style import CLASS_COLORS, Look

TOOLS = {"0": "● Class 0", "1": "▲ Class 1", "erase": "✕ Erase"}
PLAY_SPEEDS = (2, 5, 10, 20, 50, 100, 500, 2_000)
DEFAULT_PLAY_SPEED = 20
MAX_FPS = 60  # frames sent per second of Play; the browser skips what it cannot draw
FRAMES_PER_WINDOW = 120
# States sent around step k, for Back and Step without asking the server: the browser
# reports where it is (and so gets states around it) when it nears either edge.
RECORDS_BACK = 8
RECORDS_AHEAD = 32


# ---------------------------------------------------------------- step changes


def go_to(k: int) -> None:
    s = state.scenario()
    state.set_scenario(s.replace(step=max(0, min(int(k), s.n_updates()))))


def epoch_end(history: History, k: int) -> int:
    """The step the Epoch button goes to from k: the end of k's epoch, or of the next one
    when k is an epoch's end. (The browser finds it from the payload's ``per_epoch``.)"""
    per_epoch = updates_per_epoch(history.n_points, history.config)
    return min(history.n_updates, (k // per_epoch + 1) * per_epoch)


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


def _on_theme() -> None:
    """The browser shows another theme than the server thought (e.g. it was just switched)."""
    event = _result().get("theme") or {}
    theme = event.get("theme") if isinstance(event, dict) else None
    if theme in ("light", "dark"):
        st.session_state[THEME] = theme


# ---------------------------------------------------------------- point tools


def _load_preset() -> None:
    name = st.session_state[PRESET_CHOICE]
    X, y = make_dataset(name)
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
    with st.container(horizontal=True, vertical_alignment="bottom", key=POINT_TOOLS):
        st.button("Undo", icon=":material/undo:", on_click=_undo, help="Undo the last point edit")
        st.button("Clear", icon=":material/delete:", on_click=_clear, help="Remove every point")
        st.session_state.setdefault(PRESET_CHOICE, state.scenario().preset or "separable")
        st.selectbox(
            "Start from a preset",
            options=list(PRESETS),
            format_func=lambda name: PRESETS[name].title,
            key=PRESET_CHOICE,
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


def _frames(s: Scenario, history: History, view, speed: int) -> list[dict]:
    """The states Play shows next, from step k (from 0 at the end): a window of frames
    every ``stride`` updates; the browser asks for the next window when it gets there."""
    K, k = history.n_updates, s.step
    start = 0 if k >= K else k
    stride = max(1, math.ceil(speed / MAX_FPS))
    ks = list(range(start, min(K, start + FRAMES_PER_WINDOW * stride) + 1, stride))
    if ks[-1] != K and K - ks[-1] < stride:
        ks.append(K)
    return [_record(s, history, j, view) for j in ks]


def _records(s: Scenario, history: History, view, p: Precision) -> list[dict]:
    """The states the browser can step to at once: around k, around the start and the
    end, and the epoch ends those reach with Epoch."""
    K, k = history.n_updates, s.step
    near = range(max(0, k - RECORDS_BACK), min(K, k + RECORDS_AHEAD) + 1)
    # Start and End land where the learner can go on stepping at once, too.
    ends = [*range(min(K, RECORDS_BACK) + 1), *range(max(0, K - RECORDS_BACK), K + 1)]
    ks = sorted({*ends, *near, *(epoch_end(history, j) for j in near)})
    return [_record(s, history, j, view, p) for j in ks]


def _record(s: Scenario, history: History, k: int, view, p: Precision | None = None) -> dict:
    """State k as the component shows it: a ``contract.StepRecord`` given the run's
    precision ``p``, else the lighter ``contract.Frame`` that Play shows."""
    X, y = np.asarray(s.X), np.asarray(s.y)
    w, b = history.state(k)
    used = history.points_used(k) if k >= 1 else None
    record = step_record(X, y, w, b, view, used=used)
    grads = [*history.grad_w[k - 1], history.grad_b[k - 1]] if k >= 1 else [math.nan] * 3
    marks = [[loss(w, b, X, y)], grads, [*w, b]]
    record.update(k=k, marks=[[_mark(v) for v in line] for line in marks])
    if p is not None:
        numbers = update_numbers(s, history, k, p)
        record.update(
            numbers=[_segments(line) for line in numbers],
            alt=_texts(history, k, record, X, y, marks),
            said=_said(history, k, X, y),
        )
    return record


def _mark(v: float) -> float | None:
    """A value marked on a line chart, to 6 digits; None where it has none (k = 0)."""
    return rounded(v, 6)[0] if math.isfinite(v) else None


def _texts(history: History, k: int, record: dict, X, y, marks) -> list[str]:
    """The four charts' text alternatives at k (see ui.contract.StepRecord.alt)."""
    w, b = history.state(k)
    w0, b0 = history.state(0)
    (loss_k,), grads, weights = marks
    data = data_chart_text(
        k, history.n_updates, w, record["boundary"], record["note"],
        predict_proba(w, b, X), y, loss_k, loss(w0, b0, X, y),
    )  # fmt: skip
    return [data, *series_texts(k, loss_k, grads, weights)]


def _said(history: History, k: int, X, y) -> str:
    """What the live region says when the learner steps to k."""
    if k == 0:
        return update_narration(0, [], X, y, [], (), ())
    w, b = history.state(k - 1)
    used = history.points_used(k)
    after = (*history.state(k)[0], history.state(k)[1])
    return update_narration(k, used, X, y, predict_proba(w, b, X[used]), (*w, b), after)


def chart_data(history: History | None, tool: str, speed: int, log_loss: bool) -> dict:
    """Everything the chart component draws (see ui.contract.Payload)."""
    s = state.scenario()
    X, y, k = np.asarray(s.X), np.asarray(s.y), s.step
    if history is None:
        w, b = s.config.start()
        used = None
    else:
        w, b = history.state(k)
        used = history.points_used(k) if k >= 1 else None
    view = state.view()
    look = style.look()
    presenter, theme = look.presenter, look.theme
    view_key = f"v{st.session_state[DATA_REVISION]}"
    main = data_figure(X, y, w, b, view, used=used, view_key=view_key, look=look)
    if history is not None:
        p = state.run_precision(s)
        marks = {"look": look, "unreliable_from": p.reliable_until + 1 if p.runs_out else None}
        loss_k = loss(w, b, X, y)
        series = [
            loss_figure(history, k, loss_k, log_y=log_loss, **marks),
            derivatives_figure(history, k, **marks),
            weights_figure(history, k, **marks),
        ]
        # Play's frames only when Play asked for them (see ui.contract.PausedAt.resume):
        # most renders are a pause in stepping, and frames are most of a render's work.
        autoplay = bool(st.session_state.pop(AUTOPLAY, False))
        records = _records(s, history, view, p)
        frames = _frames(s, history, view, speed) if autoplay else []
        n_updates = history.n_updates
        per_epoch = updates_per_epoch(history.n_points, history.config)
    else:
        series = [_empty_series(t, look) for t in ("Loss", "Derivatives", "Weights")]
        start = main["overlay"]["step"]
        empty = data_chart_text(0, 0, (0, 0), None, None, [], [], math.nan, math.nan)
        start.update(k=0, marks=[], numbers=_no_points(), alt=[empty], said=empty)
        records, frames, n_updates, per_epoch = [start], [], 0, 0
        autoplay = False
    ack = st.session_state.get(CLICK_ACK, {})
    return {
        "version": contract.VERSION,
        "main": main,
        "series": series,
        "records": records,
        "frames": frames,
        "anim": {
            "X": X.tolist(),
            "y": y.astype(int).tolist(),
            "x_range": view[0],
            "y_range": view[1],
        },
        "speed": speed,
        "k": k,
        "n_updates": n_updates,
        "per_epoch": per_epoch,
        "tool": "erase" if tool == "erase" else "add",
        "cls": 1 if tool == "1" else 0,
        "round": 10**CLICK_DECIMALS,
        "colors": list(CLASS_COLORS),
        "legend": data_legend(look),
        "marker_size": look.marker,
        "ack": {"client": ack.get("client"), "seq": ack.get("seq", 0)},
        "autoplay": autoplay,
        "presenter": presenter,
        "theme": theme,
        "render_id": f"{k}-{len(y)}-{n_updates}-{time.monotonic_ns()}",
        # Same run, same line charts: the browser then only moves the markers at k.
        "series_key": f"{hash(s.replace(step=0))}-{log_loss}-{presenter}-{theme}",
        # Same points, view and size: the browser keeps the Plotly part of the data chart.
        "main_key": f"{hash((X.tobytes(), y.tobytes()))}-{view}-{presenter}-{view_key}-{theme}",
    }


def _segments(line: str) -> list[list]:
    """A line with **bold** parts as [[text, bold], ...], for the browser to set as text."""
    return [[part, i % 2 == 1] for i, part in enumerate(line.split("**")) if part]


def _empty_series(title: str, look: Look) -> dict:
    return {
        "data": [],
        "layout": {
            "title": {"text": f"{title}: place points to train"},
            "font": {"color": look.colors["text"]},
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
    with st.container(key=STEPPING):
        with st.container(horizontal=True, vertical_alignment="bottom", key=STEPBAR):
            tool = class_picker()
        st.session_state.setdefault(PLAY_SPEED, DEFAULT_PLAY_SPEED)
        speed, log_loss = st.session_state[PLAY_SPEED], st.session_state.get(LOG_LOSS, False)
        render_charts(run, tool, speed, log_loss)
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
    )


# ---------------------------------------------------------------- Play options


def step_options() -> None:
    """The Play speed and the loss chart's scale (the step buttons and the scrubber are
    the chart component's own: the browser moves k)."""
    cols = st.columns([2, 1.3], vertical_alignment="bottom")
    cols[0].select_slider("Play speed (updates / s)", options=PLAY_SPEEDS, key=PLAY_SPEED)
    cols[1].toggle("Log-scale loss", key=LOG_LOSS)


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


def _no_points() -> list[list]:
    return [
        _segments(
            "**No points yet:** click or tap the chart to place some (or load a preset) "
            "to train the neuron."
        )
    ]


def update_numbers(s: Scenario, history: History, k: int, p: Precision) -> list[str]:
    """The numbers of update k, as lines with **bold** parts: the point(s) used, ŷ, the
    derivatives and the update itself, and where float64 ran out (``p``, the run's
    precision). The chart component shows them beside the charts."""
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
    lines = [
        head,
        why,
        *_weight_lines(formulas, factors, before, grads, after, s.config.learning_rate),
    ]
    return lines + precision_warning(p, k)


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
