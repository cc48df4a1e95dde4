"""The one shared state of every page: a ``Scenario`` in session state, synced with the URL.

Every page calls ``init()`` first (a deep link may open any page on a fresh server) and
``sync_url()`` last. Nothing per-user lives in module globals or ``st.cache_resource``;
the only cache holds pure training results keyed by their inputs.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qsl, urlencode

import numpy as np
import streamlit as st

from perceptron import History, Scenario, TrainConfig, default_scenario, train
from perceptron.challenge_links import CHALLENGE_KEYS, challenge_from_params, challenge_to_params
from perceptron.challenges import Challenge
from perceptron.geometry import Range, view_ranges
from perceptron.links import scenario_to_params
from perceptron.precision import Precision, precision
from ui.keys import (
    CHALLENGE,
    CHALLENGE_ANNOUNCE,
    CHALLENGE_ATTEMPT,
    CHALLENGE_DONE,
    DATA_REVISION,
    HAND_PATH,
    HAND_PREVIEW,
    MESSAGES,
    MODE,
    PREDICT_LOG,
    PRESENTER,
    RERUN_PAGE,
    SCENARIO,
    THEME,
    UNDO,
    VIEW,
    WRITTEN,
)

UNDO_DEPTH = 30
POINTS_LOCKED = (
    "The points are fixed by this challenge, so they stay as they are. Leave the challenge "
    "(at the top of the page) to change them."
)
POINTS_LOCKED_CLICK = (
    "This challenge fixes the points, so a click on the chart adds or erases none. Leave "
    "the challenge (at the top of the page) to place your own."
)
# Query parameters the app uses besides the scenario's own.
PRESENT_PARAM = "present"


def init() -> Scenario:
    """Create the session's state on its first run (from the link if there is one).

    Later runs keep the session's scenario whatever the address says: a run started by a
    click can carry the address from before the previous run rewrote it. Browser
    Back/Forward are followed explicitly instead (see ``follow_address``).
    """
    if SCENARIO not in st.session_state:
        params = _address()
        scenario, opened, notes = (
            challenge_from_params(params) if params else (default_scenario(), None, [])
        )
        st.session_state[CHALLENGE] = None
        if opened is not None:
            set_challenge(opened)
        st.session_state[SCENARIO] = scenario
        st.session_state[UNDO] = []
        st.session_state[DATA_REVISION] = 0
        st.session_state[MESSAGES] = [("warning", n) for n in notes]
        st.session_state[PRESENTER] = st.query_params.get(PRESENT_PARAM, "") in ("1", "true", "yes")
    return st.session_state[SCENARIO]


def _address() -> dict[str, str]:
    """The scenario's part of the page's query parameters (last value of each)."""
    return {key: st.query_params[key] for key in st.query_params if key != PRESENT_PARAM}


def follow_address(query: str) -> None:
    """Take the scenario of an address the browser went back or forward to.

    Every change of the scenario is a browser history entry (Streamlit pushes one when the
    query parameters change), so Back returns to the previous state: the step before, the
    points before a click; Forward redoes it. An address holding a challenge opens it (or
    the same one stays open, its attempt going on); one without closes it. What the open
    challenge fixes stays fixed: an address that would change it is written over.
    """
    params = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    params.pop(PRESENT_PARAM, None)
    if not params:
        return
    new, opened, notes = challenge_from_params(params)
    if _own_params(opened) != _own_params(challenge()):
        # Back to before a challenge was opened, or forward into it again: the banner and
        # the sidebar's locks lie outside the Playground's fragment.
        set_challenge(opened)
        st.session_state[RERUN_PAGE] = True
    if new != scenario():
        points_changed = not (
            np.array_equal(new.X, scenario().X) and np.array_equal(new.y, scenario().y)
        )
        set_scenario(new)
        if points_changed:
            fit_view()
    # The browser already shows this address: nothing to write (see sync_url), unless
    # the challenge's locks changed what it says.
    kept = scenario() == new
    st.session_state[WRITTEN] = (
        address_params(bool(st.session_state.get(PRESENTER))) if kept else None
    )
    st.session_state[MESSAGES] += [("warning", n) for n in notes]


def challenge() -> Challenge | None:
    """The open challenge (see ui.challenge), or None."""
    return st.session_state.get(CHALLENGE)


def set_challenge(opened: Challenge | None) -> None:
    """Open a challenge (a new attempt: no answers, no hand path, not done), or close it.

    Its mode becomes the Playground's. Closing keeps the scenario, the mode and what the
    learner did, so that leaving a challenge changes nothing they see but the locks.
    """
    st.session_state[CHALLENGE] = opened
    for key in (CHALLENGE_DONE, CHALLENGE_ANNOUNCE):
        st.session_state.pop(key, None)
    if opened is not None:
        st.session_state.pop(PREDICT_LOG, None)
        st.session_state.pop(HAND_PATH, None)
        st.session_state[MODE] = opened.mode
        st.session_state[CHALLENGE_ATTEMPT] = st.session_state.get(CHALLENGE_ATTEMPT, 0) + 1


def locked(control: str) -> bool:
    """Whether the open challenge fixes ``control`` (see ``ui.challenge.locked``)."""
    opened = challenge()
    return opened is not None and opened.is_locked(control)


def hidden(control: str) -> bool:
    """Whether the open challenge hides ``control`` (hidden controls are locked too)."""
    opened = challenge()
    return opened is not None and opened.is_hidden(control)


def _own_params(opened: Challenge | None) -> dict[str, str] | None:
    """A challenge's own link keys (goal, task, locks...): what tells two challenges apart
    whatever their scenarios."""
    if opened is None:
        return None
    return {k: v for k, v in challenge_to_params(opened).items() if k in CHALLENGE_KEYS}


def address_params(present: bool) -> dict[str, str]:
    """The query parameters of this session's link: the scenario, and the open challenge's
    own keys with it (so a reload or a shared link opens the challenge too)."""
    opened = challenge()
    params = (
        scenario_to_params(scenario())
        if opened is None
        else challenge_to_params(dataclasses.replace(opened, scenario=scenario()))
    )
    return params | ({PRESENT_PARAM: "1"} if present else {})


def address_query(present: bool) -> str:
    """``address_params`` as ``"?v=1&...&pts=..."``, to append to a page's address."""
    return "?" + urlencode(address_params(present))


def theme() -> str:
    """The theme the page shows: what the browser reported, else what Streamlit says."""
    return st.session_state.get(THEME) or st.context.theme.type or "light"


def scenario() -> Scenario:
    return st.session_state[SCENARIO]


def set_scenario(new: Scenario) -> None:
    """Replace the scenario, keeping the step inside the new run, and whatever the open
    challenge fixes at the challenge's values (whoever asked: a control, a page, an address)."""
    opened = challenge()
    if opened is not None:
        new = opened.enforce(new)
    limit = new.n_updates()
    if new.step > limit:
        new = new.replace(step=limit)
    old = st.session_state.get(SCENARIO)
    if old is not None and not (np.array_equal(old.X, new.X) and np.array_equal(old.y, new.y)):
        # The learner's hand-fit path was made on the old points: it means nothing on these.
        st.session_state.pop(HAND_PATH, None)
        st.session_state.pop(HAND_PREVIEW, None)
    st.session_state[SCENARIO] = new


def set_points(X: np.ndarray, y: np.ndarray, *, preset: str = "", new_view: bool = False) -> None:
    """Change the points (undoable); the run restarts at step 0.

    Refused with a message while the open challenge fixes the points.
    """
    if locked("points"):
        flash(POINTS_LOCKED, "warning")
        return
    remember_points()
    set_scenario(scenario().replace(X=X, y=y, preset=preset, step=0))
    if new_view:
        fit_view()


def remember_points() -> None:
    """Put the points as they are on the undo stack (before they are replaced)."""
    old = scenario()
    stack = st.session_state[UNDO]
    stack.append((old.X, old.y, old.preset))
    del stack[:-UNDO_DEPTH]


def view() -> tuple[Range, Range]:
    """The data chart's view. Placing, erasing or undoing points never moves it: a click
    aimed at a spot on the screen must land at the coordinates it aimed at."""
    if VIEW not in st.session_state:
        st.session_state[VIEW] = view_ranges(scenario().X)
    return st.session_state[VIEW]


def fit_view() -> None:
    """Fit the view to the points (new data, or the learner asked); the chart redraws it."""
    st.session_state[VIEW] = view_ranges(scenario().X)
    st.session_state[DATA_REVISION] += 1


def set_view(x_range: Range, y_range: Range) -> None:
    """The learner panned or zoomed: the chart already shows this view, so no redraw."""
    st.session_state[VIEW] = (x_range, y_range)


def undo() -> bool:
    """Put back the points from before the last change; False when there is nothing to undo."""
    stack = st.session_state[UNDO]
    if not stack:
        return False
    if locked("points"):
        return False
    X, y, preset = stack.pop()
    set_scenario(scenario().replace(X=X, y=y, preset=preset, step=0))
    return True


TOAST_STYLE = {  # kind: (icon, how long it stays)
    "info": (":material/info:", "short"),
    "success": (":material/check_circle:", "short"),
    "warning": (":material/warning:", "long"),
    "error": (":material/error:", "long"),
}


def flash(message: str, kind: str = "info") -> None:
    """Show ``message`` once, as a toast, in the next run of whichever page is open.

    A toast floats over the page: a message placed in the page would push the chart down
    (and back up when it goes), so a click aimed at the chart would land elsewhere.
    """
    # Quick repeated clicks (Undo, Undo, Undo) run their callbacks before one page run.
    if (kind, message) not in st.session_state[MESSAGES]:
        st.session_state[MESSAGES].append((kind, message))


def show_messages() -> None:
    for kind, message in st.session_state.get(MESSAGES, []):
        icon, duration = TOAST_STYLE[kind]
        st.toast(message, icon=icon, duration=duration)
    st.session_state[MESSAGES] = []


@st.cache_data(max_entries=8, show_spinner="Training…")
def _train_cached(X: np.ndarray, y: np.ndarray, config: TrainConfig) -> History:
    return train(X, y, config)


def history(s: Scenario) -> History:
    """The training run of ``s`` (cached: same points and settings, same run)."""
    return _train_cached(np.asarray(s.X), np.asarray(s.y), s.config)


@st.cache_data(max_entries=8, show_spinner=False)
def _precision_cached(X: np.ndarray, y: np.ndarray, config: TrainConfig) -> Precision:
    return precision(_train_cached(X, y, config), X)


def run_precision(s: Scenario) -> Precision:
    """Where float64 stops holding the shown digits in the run of ``s`` (cached too)."""
    return _precision_cached(np.asarray(s.X), np.asarray(s.y), s.config)


def sync_url() -> None:
    """Write the scenario into the page's query parameters when it changed.

    Only a change of the scenario is written (each write is a browser history entry). An
    address that merely differs is left alone: it is either the browser's own Back/Forward
    (followed by ``follow_address``) or an old address that a quick click's run carried.
    """
    wanted = address_params(bool(st.session_state.get(PRESENTER)))
    current = {key: st.query_params.get(key) for key in st.query_params}
    if wanted != st.session_state.get(WRITTEN) or not current:
        st.session_state[WRITTEN] = wanted
        if current != wanted:
            st.query_params.from_dict(wanted)
