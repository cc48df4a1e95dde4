"""What the Playground's chart component is sent: ``ui.contract.Payload``, built per render.

The figures (``ui.figures``), the step records the browser moves through while the learner
steps (each with update k's numbers and words), Play's frames when Play asked for them,
and what a click needs (the points, the view, the tool).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import streamlit as st

from perceptron import History, Scenario, predict_proba, updates_per_epoch
from perceptron.accuracy import Tally, counts_from_logit, tally
from perceptron.clicks import CLICK_DECIMALS
from perceptron.explain import data_chart_text, series_texts, update_narration
from perceptron.frames import rounded, step_record
from perceptron.landscape import mean_losses
from perceptron.model import objective
from perceptron.precision import Precision
from perceptron.uphill import Rises, loss_rises
from ui import challenge, contract, hand_mode, predict_mode, state, style
from ui.figures import (
    data_figure,
    data_legend,
    derivatives_figure,
    hand_loss_figure,
    loss_figure,
    weights_figure,
)
from ui.keys import AUTOPLAY, CLICK_ACK, DATA_REVISION, HAND_PATH, MODE
from ui.numbers import NO_POINTS, segments, update_numbers
from ui.style import CLASS_COLORS, Look

MAX_FPS = 60  # frames sent per second of Play; the browser skips what it cannot draw
FRAMES_PER_WINDOW = 120
# States sent around step k, for Back and Step without asking the server: the browser
# reports where it is (and so gets states around it) when it nears either edge.
RECORDS_BACK = 8
RECORDS_AHEAD = 32
SERIES_TITLES = ("Loss", "Derivatives", "Weights")
NO_QUESTION = {"ask": None, "truth": None}


def mode() -> str:
    """The Playground's mode: "train", "predict" (each step) or "hand" (fit by hand)."""
    return st.session_state.get(MODE) or "train"


def chart_data(history: History | None, tool: str, speed: int, log_loss: bool) -> dict:
    """Everything the chart component draws (see ui.contract.Payload)."""
    s = state.scenario()
    look, view = style.look(), state.view()
    view_key = f"v{st.session_state[DATA_REVISION]}"
    if history is None:
        run = _no_run(s, look, view, view_key)
    else:
        run = _run(s, history, look, view, view_key, speed, log_loss)
    shown_mode = mode() if history is not None or mode() == "hand" else "train"
    run |= _mode_parts(s, history, shown_mode, view, look)
    X, y = np.asarray(s.X), np.asarray(s.y)
    hand_key = hash(st.session_state.get(HAND_PATH)) if shown_mode == "hand" else ""
    return (
        run
        | _clicks(s, tool, view)
        | {
            "version": contract.VERSION,
            "mode": shown_mode,
            "speed": speed,
            "k": s.step,
            "colors": list(CLASS_COLORS),
            "legend": data_legend(look, shown_mode),
            "marker_size": look.marker,
            "presenter": look.presenter,
            "theme": look.theme,
            "render_id": f"{s.step}-{len(y)}-{run['n_updates']}-{time.monotonic_ns()}",
            # Same run, same line charts: the browser then only moves the markers at k.
            "series_key": f"{hash(s.replace(step=0))}-{log_loss}-{look}-{shown_mode}-{hand_key}",
            # Same points, view and size: the browser keeps the Plotly part of the data chart.
            "main_key": f"{hash((X.tobytes(), y.tobytes()))}-{view}-{view_key}-{look}",
        }
    )


def _clicks(s: Scenario, tool: str, view) -> dict:
    """What a click on the data chart needs: the points, the view, the tool, the ack."""
    ack = st.session_state.get(CLICK_ACK, {})
    y = np.asarray(s.y)
    return {
        "anim": {
            "X": np.asarray(s.X).tolist(),
            "y": y.astype(int).tolist(),
            "x_range": view[0],
            "y_range": view[1],
        },
        "tool": "erase" if tool == "erase" else "add",
        "cls": 1 if tool == "1" else 0,
        "round": 10**CLICK_DECIMALS,
        "ack": {"client": ack.get("client"), "seq": ack.get("seq", 0)},
        "points_locked": state.POINTS_LOCKED_CLICK if challenge.locked("points") else "",
    }


def _run(s: Scenario, history: History, look: Look, view, view_key, speed, log_loss) -> dict:
    """The payload's part that shows a run: its four charts, records and frames."""
    X, y, k = np.asarray(s.X), np.asarray(s.y), s.step
    w, b = history.state(k)
    used = history.points_used(k) if k >= 1 else None
    p = state.run_precision(s)
    marks = {"look": look, "unreliable_from": p.reliable_until + 1 if p.runs_out else None}
    # Play's frames only when Play asked for them (see ui.contract.PausedAt.resume):
    # most renders are a pause in stepping, and frames are most of a render's work.
    autoplay = bool(st.session_state.pop(AUTOPLAY, False))
    return {
        "main": data_figure(
            X, y, w, b, view, used=used, view_key=view_key, look=look, loss=s.config.loss
        ),
        "series": [
            loss_figure(history, k, _objective(history, w, b), log_y=log_loss, **marks),
            derivatives_figure(history, k, **marks),
            weights_figure(history, k, **marks),
        ],
        # Fitting by hand there is no stepping: the state on show is all the browser needs.
        "records": (
            [_record(s, history, k, view, _Shared.of(history, [k], True, p))]
            if mode() == "hand"
            else _records(s, history, view, p)
        ),
        "frames": _frames(s, history, view, speed) if autoplay else [],
        "autoplay": autoplay,
        "n_updates": history.n_updates,
        "per_epoch": updates_per_epoch(history.n_points, history.config),
    }


def _mode_parts(s: Scenario, history: History | None, shown: str, view, look: Look) -> dict:
    """The predict or hand-fit mode's part of the payload; in hand-fit mode the one line
    chart is the loss along the learner's moves."""
    parts = {"predict": None, "hand": None}
    if shown == "predict":
        parts["predict"] = predict_mode.payload(s)
    elif shown == "hand":
        start = history.state(s.step) if history is not None else s.config.start()
        parts["hand"] = hand_mode.payload(s, start, view)
        losses = hand_mode.losses(s, start) if len(s.y) else None
        title = "Loss along your moves"
        parts["series"] = [hand_loss_figure(losses, look) if losses else _empty_series(title, look)]
    return parts


def _no_run(s: Scenario, look: Look, view, view_key) -> dict:
    """The payload's part when there are no points: the start and empty line charts."""
    w, b = s.config.start()
    main = data_figure(np.asarray(s.X), np.asarray(s.y), w, b, view, view_key=view_key, look=look)
    start = main["overlay"]["step"]
    empty = data_chart_text(0, 0, (0, 0), None, None, [], [], math.nan, math.nan)
    start.update(k=0, marks=[], numbers=[segments(NO_POINTS)], alt=[empty], said=empty)
    start.update(ask=None, truth=None, tally=tally(w, b, s.X, s.y).sentence())
    return {
        "main": main,
        "series": [_empty_series(title, look) for title in SERIES_TITLES],
        "records": [start],
        "frames": [],
        "autoplay": False,
        "n_updates": 0,
        "per_epoch": 0,
    }


def epoch_end(history: History, k: int) -> int:
    """The step the Epoch button goes to from k: the end of k's epoch, or of the next one
    when k is an epoch's end. (The browser finds it from the payload's ``per_epoch``.)"""
    per_epoch = updates_per_epoch(history.n_points, history.config)
    return min(history.n_updates, (k // per_epoch + 1) * per_epoch)


def _frames(s: Scenario, history: History, view, speed: int) -> list[dict]:
    """The states Play shows next, from step k (from 0 at the end): a window of frames
    every ``stride`` updates; the browser asks for the next window when it gets there."""
    K, k = history.n_updates, s.step
    start = 0 if k >= K else k
    stride = max(1, math.ceil(speed / MAX_FPS))
    ks = list(range(start, min(K, start + FRAMES_PER_WINDOW * stride) + 1, stride))
    if ks[-1] != K and K - ks[-1] < stride:
        ks.append(K)
    shared = _Shared.of(history, ks, numbers=False)
    return [_record(s, history, j, view, shared) for j in ks]


def _records(s: Scenario, history: History, view, p: Precision) -> list[dict]:
    """The states the browser can step to at once: around k, around the start and the
    end, and the epoch ends those reach with Epoch."""
    K, k = history.n_updates, s.step
    near = range(max(0, k - RECORDS_BACK), min(K, k + RECORDS_AHEAD) + 1)
    # Start and End land where the learner can go on stepping at once, too.
    ends = [*range(min(K, RECORDS_BACK) + 1), *range(max(0, K - RECORDS_BACK), K + 1)]
    ks = sorted({*ends, *near, *(epoch_end(history, j) for j in near)})
    shared = _Shared.of(history, ks, numbers=True, precision=p)
    return [_record(s, history, j, view, shared) for j in ks]


@dataclass(frozen=True)
class _Shared:
    """What the records of one render need about each of their states, computed for all of
    them at once: the objective (the loss chart's value), and for step records the tally,
    whether the loss went up there, the run's precision and whether to ask questions."""

    objectives: dict[int, float]
    start_objective: float
    tallies: dict[int, str] | None = None
    rises: dict[int, Rises] | None = None
    precision: Precision | None = None
    predicting: bool = False  # predict mode: the records carry its questions

    @classmethod
    def of(cls, history: History, ks, numbers: bool, precision: Precision | None = None):
        config, X, y = history.config, history.X, history.y
        states = np.asarray(ks)
        J = mean_losses(history.w[states], history.b[states], X, y, loss=config.loss, l2=config.l2)
        objectives = dict(zip(ks, J.tolist(), strict=True))
        start = _objective(history, *history.state(0))
        if not numbers:
            return cls(objectives, start)
        z = history.w[states] @ X.T + history.b[states, None]
        counts = counts_from_logit(z, y)
        tallies = {k: _tally_of(c).sentence() for k, c in zip(ks, counts, strict=True)}
        rises = _rises_around(history, ks)
        return cls(objectives, start, tallies, rises, precision, mode() == "predict")


def _tally_of(counts) -> Tally:
    return Tally(tuple(tuple(int(v) for v in row) for row in counts))


def _rises_around(history: History, ks) -> dict[int, Rises]:
    """For each update in ``ks``, the run's rises over the unbroken stretch of ``ks`` it lies
    in (one exact computation per stretch instead of one per update)."""
    found: dict[int, Rises] = {}
    updates = [k for k in ks if k >= 1]
    stretches = np.split(updates, np.flatnonzero(np.diff(updates) != 1) + 1) if updates else []
    for stretch in stretches:
        rises = loss_rises(history, int(stretch[0]), int(stretch[-1]))
        found.update(dict.fromkeys(stretch.tolist(), rises))
    return found


def _record(s: Scenario, history: History, k: int, view, shared: _Shared) -> dict:
    """State k as the component shows it: a ``contract.StepRecord`` when ``shared`` holds
    the records' numbers, else the lighter ``contract.Frame`` that Play shows."""
    X, y = np.asarray(s.X), np.asarray(s.y)
    w, b = history.state(k)
    used = history.points_used(k) if k >= 1 else None
    record = step_record(X, y, w, b, view, used=used)
    grads = [*history.grad_w[k - 1], history.grad_b[k - 1]] if k >= 1 else [math.nan] * 3
    marks = [[shared.objectives[k]], grads, [*w, b]]
    record.update(k=k, marks=[[_mark(v) for v in line] for line in marks])
    if shared.tallies is not None:
        numbers = update_numbers(s, history, k, shared.precision, shared.rises.get(k))
        record.update(
            numbers=[segments(line) for line in numbers],
            alt=_texts(history, k, record, X, y, marks, shared.start_objective),
            said=_said(history, k, X, y),
            tally=shared.tallies[k],
        )
        asking = shared.predicting
        record.update(predict_mode.questions(s, history, k) if asking else NO_QUESTION)
    return record


def _objective(history: History, w, b: float) -> float:
    """What the run descends and its loss chart shows: the mean loss, plus λ's penalty."""
    config = history.config
    return objective(w, b, history.X, history.y, config.loss, config.l2)


def _mark(v: float) -> float | None:
    """A value marked on a line chart, to 6 digits; None where it has none (k = 0)."""
    return rounded(v, 6)[0] if math.isfinite(v) else None


def _texts(history: History, k: int, record: dict, X, y, marks, start: float) -> list[str]:
    """The four charts' text alternatives at k (see ui.contract.StepRecord.alt); ``start``:
    the loss at step 0."""
    w, b = history.state(k)
    (loss_k,), grads, weights = marks
    data = data_chart_text(
        k, history.n_updates, w, record["boundary"], record["note"],
        predict_proba(w, b, X), y, loss_k, start,
    )  # fmt: skip
    config = history.config
    return [data, *series_texts(k, loss_k, grads, weights, config.loss, config.l2)]


def _said(history: History, k: int, X, y) -> str:
    """What the live region says when the learner steps to k."""
    if k == 0:
        return update_narration(0, [], X, y, [], (), ())
    w, b = history.state(k - 1)
    used = history.points_used(k)
    after = (*history.state(k)[0], history.state(k)[1])
    return update_narration(k, used, X, y, predict_proba(w, b, X[used]), (*w, b), after)


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
