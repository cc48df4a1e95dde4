"""Predict, then reveal: the Playground's questions before each update, and the score.

Each step record the browser gets carries the question about the next update (``ask``:
nothing in it gives the answer away) and the truth about its own update (``truth``: the
right option and the reason in numbers), computed by ``perceptron.predict``. The browser
asks, takes the learner's answer (a click, ↑/↓/=), and on Step shows the truth; then it
tells Python the answer (the ``predicted`` event), which scores it here: each update of a
run is scored once, by the first answer revealed for it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from perceptron import History, Scenario
from perceptron.predict import KINDS, question_for, reveal, score
from ui import state
from ui.keys import PREDICT_ANSWERS, PREDICT_LOG


def _run_key(s: Scenario) -> int:
    return hash(s.replace(step=0))


def _answers(s: Scenario) -> dict:
    """This run's answers so far: {"run", "first" (the update predicting started at),
    "given": {k: [option, right]}}; a new run starts them afresh."""
    current = st.session_state.get(PREDICT_ANSWERS)
    if not current or current["run"] != _run_key(s):
        current = {"run": _run_key(s), "first": s.step + 1, "given": {}}
        st.session_state[PREDICT_ANSWERS] = current
    return current


def _asking() -> tuple[tuple[str, ...], int]:
    """The question kinds to ask and their seed: the open challenge's, else every kind."""
    opened = state.challenge()
    return (KINDS, 0) if opened is None else (opened.ask, opened.question_seed)


def questions(s: Scenario, history: History, k: int) -> dict:
    """The predict part of state k's record: ``ask``, the question about update k + 1
    (None at the end or where no question fits), and ``truth``, the answer about update k
    (None at step 0)."""
    X, y = np.asarray(s.X), np.asarray(s.y)
    ask, seed = _asking()
    first = _answers(s)["first"]
    asked = None
    if k < history.n_updates:
        q = question_for(history, X, y, k + 1, seed=seed, first=first, ask=ask)
        if q is not None:
            asked = {"kind": q.kind, "text": q.text, "options": list(q.options), "point": q.point}
    truth = None
    if k >= 1:
        q = question_for(history, X, y, k, seed=seed, first=first, ask=ask)
        if q is not None:
            r = reveal(history, X, y, q)
            truth = {"answer": r.answer, "reason": r.reason}
    return {"ask": asked, "truth": truth}


def payload(s: Scenario) -> dict:
    """``contract.Predict``: the score, and this run's answers (the browser shows each
    revealed update's verdict from them, also after a rerun)."""
    given = _answers(s)["given"]
    results = st.session_state.get(PREDICT_LOG, [])
    return {
        "score": score(results).text if results else "",
        "answers": {str(k): list(v) for k, v in given.items()},
    }


def on_predicted(event: object, history: History | None) -> None:
    """The learner stepped to update k after answering ``given``: take the step, and score
    the answer (each update once)."""
    if history is None or not isinstance(event, dict):
        return
    k, given = event.get("k"), event.get("given")
    ok_k = isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= history.n_updates
    if not (ok_k and isinstance(given, str)):
        return
    s = state.scenario()
    state.set_scenario(s.replace(step=k))  # the learner stepped to k to see it
    answers = _answers(s)
    if k in answers["given"]:
        return
    ask, seed = _asking()
    X, y = np.asarray(s.X), np.asarray(s.y)
    q = question_for(history, X, y, k, seed=seed, first=answers["first"], ask=ask)
    if q is None or given not in q.option_ids():
        return
    right = reveal(history, X, y, q).is_right(given)
    answers["given"][k] = [given, right]
    st.session_state[PREDICT_LOG] = [*st.session_state.get(PREDICT_LOG, []), right]
