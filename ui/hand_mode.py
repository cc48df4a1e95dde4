"""Be the optimiser: the Playground's hand-fit mode.

The learner sets w1, w2 and b: by dragging the boundary (two handles on it) or the weight
arrow on the data chart, or by keys. The numbers (the loss, each point's part of it, the
gradient and "downhill is this way") are ``perceptron.handfit``'s, for the state the
learner made; Step takes one gradient step from there. The states go into a
``perceptron.handfit.HandPath`` (session state), which the loss landscape draws too.
While a drag is under way the browser draws the line itself and asks for a preview now
and then: its numbers, without a move on the path.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from perceptron import Scenario, loss, predict_proba
from perceptron.explain import counts_sentence
from perceptron.formatting import text_number as fmt
from perceptron.frames import rounded, step_record
from perceptron.geometry import (
    Range,
    boundary_handles,
    boundary_segment,
    downhill_arrow,
    line_through,
    rotate_boundary,
    shift_boundary,
    weight_from_arrow,
)
from perceptron.handfit import HandPath, checked_state, hand_fit
from ui import state
from ui.keys import HAND_PATH, HAND_PREVIEW
from ui.numbers import segments

TOP_PARTS = 3  # the points named as the biggest parts of the loss


def path(s: Scenario, start: tuple[np.ndarray, float]) -> HandPath:
    """The learner's path, begun at ``start`` (the state on show when hand-fit began)."""
    current = st.session_state.get(HAND_PATH)
    if current is None:
        w, b = start
        if not np.any(w):  # no boundary to take hold of: begin with an upright one
            w, b = np.array([1.0, 0.0]), 0.0
        current = HandPath.starting_at(w, b)
        st.session_state[HAND_PATH] = current
    return current


def shown(s: Scenario, start) -> tuple[np.ndarray, float]:
    """The (w, b) on show: a drag's preview, else the path's last state."""
    preview = st.session_state.get(HAND_PREVIEW)
    return preview if preview is not None else path(s, start).current


def payload(s: Scenario, start, view: tuple[Range, Range]) -> dict:
    """``contract.Hand``: the state on show with its layers, handles and numbers."""
    X, y = np.asarray(s.X), np.asarray(s.y)
    w, b = shown(s, start)
    record = step_record(X, y, w, b, view)
    record.update(k=0, marks=[])
    handles = boundary_handles(w, b, *view)
    hand = {
        "record": record,
        "handles": [list(rounded(p, 8)) for p in handles] if handles else None,
        "downhill": None,
        "numbers": [],
        "halo": [],
        "moves": len(path(s, start).states) - 1,
        "preview": st.session_state.get(HAND_PREVIEW) is not None,
    }
    if len(y):
        fit = hand_fit(w, b, X, y)
        arrow = downhill_arrow(w, b, fit.grad_w, *view)
        hand["downhill"] = rounded([*arrow[0], *arrow[1]], 6) if arrow else None
        hand["numbers"] = [segments(line) for line in numbers(s, path(s, start), w, b, fit)]
        largest = float(np.max(fit.shares)) or 1.0
        hand["halo"] = rounded(fit.shares / largest, 3)
    return hand


def numbers(s: Scenario, p: HandPath, w, b: float, fit) -> list[str]:
    """What the learner's weights do, in lines with **bold** parts."""
    X, y = np.asarray(s.X), np.asarray(s.y)
    moves, steps = len(p.states) - 1, p.gradient_steps
    made = f"{_count(moves, 'move')} so far, {steps:,} by gradient step" if moves else "the start"
    order = np.argsort(-fit.shares)[:TOP_PARTS]
    parts = ", ".join(f"#{i + 1} ({fmt(fit.shares[i])})" for i in order)
    g1, g2 = fit.grad_w
    return [
        f"**Your weights:** w1 = {fmt(w[0])}, w2 = {fmt(w[1])}, b = {fmt(b)} ({made}).",
        f"{'Mean loss' if s.config.loss == 'log' else 'Mean log loss'} L = **{fmt(fit.loss)}**; "
        f"{counts_sentence(predict_proba(w, b, X), y)}.",
        f"∂L/∂w1 = {fmt(g1)}, ∂L/∂w2 = {fmt(g2)}, ∂L/∂b = {fmt(fit.grad_b)}. "
        f"{fit.downhill_text} The dashed arrow points that way for w.",
        f"The biggest parts of L: point {parts}; the wider a point's halo, the more it adds.",
        f"**Gradient step** takes one step from here, w ← w − α·∂L/∂w with "
        f"α = {fmt(s.config.learning_rate)}; **Undo move** takes back your last move.",
    ]


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def losses(s: Scenario, start) -> list[float]:
    """The mean loss at each state of the path, for the chart of the learner's moves."""
    X, y = np.asarray(s.X), np.asarray(s.y)
    return [loss(np.array(v[:2]), v[2], X, y) for v in path(s, start).states]


# ---------------------------------------------------------------- the learner's moves


def _point(value) -> tuple[float, float] | None:
    ok = isinstance(value, list) and len(value) == 2
    ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    return (float(value[0]), float(value[1])) if ok and all(map(math.isfinite, value)) else None


def _dragged(event: dict, w, b: float, view) -> tuple[np.ndarray, float] | None:
    """(w, b) of a drag: the boundary through two points, or the weight arrow moved."""
    p, q = _point(event.get("p")), _point(event.get("q"))
    if p is None or q is None:
        return None
    if event.get("drag") == "line":
        norm = float(np.hypot(*w))
        return line_through(p, q, norm if norm > 0 else 1.0, like=w)
    if event.get("drag") == "arrow":
        return weight_from_arrow(p, q, w, *view)
    return None


def _nudged(event: dict, w, b: float, view) -> tuple[np.ndarray, float] | None:
    """(w, b) after a key's nudge: turn the boundary, shift it along w, or scale w and b."""
    amount = event.get("amount")
    if not (isinstance(amount, int | float) and math.isfinite(amount)):
        return None
    how = event.get("how")
    if how == "scale" and 0.1 <= amount <= 10:
        return w * amount, b * amount
    segment = boundary_segment(w, b, *view)
    if segment is None or abs(amount) > 1:
        return None
    if how == "rotate":
        (x0, y0), (x1, y1) = segment
        return rotate_boundary(w, b, amount, ((x0 + x1) / 2, (y0 + y1) / 2))
    if how == "shift":  # a fraction of the view's width
        return shift_boundary(w, b, amount * (view[0][1] - view[0][0]))
    return None


def on_hand(event: object, start, view, learning_rate: float, step_locked: bool) -> None:
    """Apply one of the learner's hand-fit moves (``contract.HandMove``)."""
    if not isinstance(event, dict):
        return
    s = state.scenario()
    p = path(s, start)
    w, b = p.current
    op = event.get("op")
    try:
        if op in ("preview", "move"):
            new = _dragged(event, w, b, view)
            if new is not None:
                new = checked_state(*new)
                st.session_state[HAND_PREVIEW] = new if op == "preview" else None
                if op == "move":
                    st.session_state[HAND_PATH] = p.by_hand(*new)
        elif op == "nudge":
            new = _nudged(event, w, b, view)
            if new is not None:
                st.session_state[HAND_PATH] = p.by_hand(*new)
        elif op == "step":
            if step_locked:
                state.flash("This challenge asks you to fit by hand: no gradient steps.", "info")
            elif len(s.y):
                st.session_state[HAND_PATH] = p.by_step(s.X, s.y, learning_rate)
        elif op == "undo" and len(p.states) > 1:
            st.session_state[HAND_PATH] = HandPath(p.states[:-1], p.moves[:-1])
        elif op == "reset":
            st.session_state[HAND_PATH] = None
    except ValueError as error:
        state.flash(f"That move was not made: {error}.", "warning")


def use_as_start() -> None:
    """Start the run from the learner's weights: the Typed start holds them."""
    s = state.scenario()
    w, b = path(s, s.config.start()).current
    state.set_scenario(s.replace(init="custom", w0=(float(w[0]), float(w[1])), b0=float(b), step=0))
    state.flash("The run now starts from your weights (the Typed start in the sidebar).")
