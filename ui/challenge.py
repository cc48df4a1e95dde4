"""The open challenge on every page: its banner, its locks, and the check of its goal.

A challenge (``perceptron.challenges.Challenge``) opens from a link (``ui.state.init``,
``follow_address``) or from the Challenges page, and stays open on every page until the
learner leaves it. While it is open:

- every page starts with its banner (``banner``, from ``ui.page.start``): the title and
  the task as written by the instructor (plain text, never Markdown or HTML), the goal,
  its status, and Start over / Leave the challenge;
- what it fixes stays fixed: ``ui.state.set_scenario`` applies ``Challenge.enforce`` to
  every change, the sidebar shows a locked setting disabled and leaves a hidden one out,
  and the point tools refuse edits when it fixes the points (``locked("points")``);
- each run checks the goal (``check_and_announce``) and says so once, the moment it is
  done: a toast, balloons (not where the system asks for less motion), and the banner's
  "Done" with the sentence of what happened, which stays for this attempt.

The banner's status line is a slot (an ``st.empty``) that the goal check fills at the end
of the run; the Playground's stepping fragment fills it from inside the fragment, which
Streamlit redraws in place, so the status follows each step without a full rerun. The
line keeps a minimum height, so a longer or shorter sentence does not move the chart below.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from perceptron import History
from perceptron.challenges import Challenge
from perceptron.goals import DONE, MISSED, NOT_YET, GoalResult, check
from perceptron.handfit import HandPath
from perceptron.settings import BY_NAME
from ui import state
from ui.keys import (
    CHALLENGE_ANNOUNCE,
    CHALLENGE_ATTEMPT,
    CHALLENGE_BANNER,
    CHALLENGE_CHECKED,
    CHALLENGE_DONE,
    CHALLENGE_HEAD,
    CHALLENGE_SLOT,
    CHALLENGE_STATUS,
    CHALLENGE_TOP,
    HAND_PATH,
    PREDICT_LOG,
    PRESENTER,
)

# The banner's look. The status line keeps room for two lines (three on a phone), so the
# sentence changing as the learner steps does not move what lies below; the title is bold
# (it is written with st.text, which never reads Markdown). Balloons only where the
# system allows motion. The labels of the controls a challenge disables stay readable
# (Streamlit fades them to 40 %, 2.4:1): dimmed like a caption, 7:1 (see ui/page.py).
BANNER_CSS = """
<style>
[data-testid="stWidgetLabel"][disabled] { color: inherit; opacity: 0.75; }
.st-key-challenge_banner [data-testid="stVerticalBlock"] { gap: 0.5rem; }
.st-key-challenge_status { min-height: 3.2rem; }
.st-key-challenge_head [data-testid="stText"] { font-weight: 600; font-size: 1.1rem; }
@media (max-width: 640px) { .st-key-challenge_status { min-height: 4.8rem; } }
@media (prefers-reduced-motion: reduce) { [data-testid="stBalloons"] { display: none; } }
</style>
"""
# Presenter mode (ui/page.py enlarges every text): the title bigger still, and a tighter
# banner, room for one line of the status at that size (a 1280-wide projector fits most
# in one line): on a 1280×720 screen the question, the Step button and the chart come first.
BANNER_PRESENTER_CSS = """
<style>
.st-key-challenge_head [data-testid="stText"] { font-size: 1.45rem; }
.st-key-challenge_banner [data-testid="stVerticalBlock"] { gap: 0.15rem; }
.st-key-challenge_status { min-height: 2.2rem; }
</style>
"""

# Opening a challenge from the Challenges page switches to the Playground, and Streamlit
# keeps the main area's scroll position across a page switch: the learner would land far
# below the banner. This component (it draws nothing), mounted in the run after such an
# opening only, scrolls the main area to the top once for each attempt
# (keys.CHALLENGE_ATTEMPT); the same count again does nothing.
_SCROLL_JS = """
export default function ({ data }) {
  const opening = data && data.opening;
  if (!opening || window.__ppChallengeOpening === opening) return;
  window.__ppChallengeOpening = opening;
  const main = document.querySelector('[data-testid="stMain"]');
  if (main) main.scrollTop = 0;
}
"""
_scroll_to_top = st.components.v2.component(
    "perceptron_playground.challenge_top", html="", js=_SCROLL_JS
)

STATUS_BADGES = {  # status: (label, icon, colour)
    DONE: ("Done", ":material/check_circle:", "green"),
    NOT_YET: ("Not yet", ":material/pending:", "blue"),
    MISSED: ("Missed", ":material/replay:", "orange"),
}
NO_GOAL = "This challenge has no goal to check: explore, and leave it when you are done."
NO_POINTS = "There are no points to train on: the goal is checked once there are some."


# ---------------------------------------------------------------- the open challenge


def current() -> Challenge | None:
    """The open challenge, or None."""
    return state.challenge()


def locked(control: str) -> bool:
    """Whether the open challenge fixes ``control`` (a name from
    ``perceptron.challenges.controls()``: a setting's name, "points", "handfit_step")."""
    return state.locked(control)


def hidden(control: str) -> bool:
    """Whether the open challenge hides ``control`` (hidden controls are locked too)."""
    return state.hidden(control)


def open_challenge(ch: Challenge) -> None:
    """Open ``ch`` in this session: its points and settings, its mode, a fresh attempt
    (the page then shows its top, where the banner is). The points it replaces can be
    brought back by Undo once the challenge is left."""
    old = state.scenario()
    if not (np.array_equal(old.X, ch.scenario.X) and np.array_equal(old.y, ch.scenario.y)):
        state.remember_points()
    state.set_challenge(ch)
    state.set_scenario(ch.scenario)
    state.fit_view()
    st.session_state[CHALLENGE_TOP] = True


def start_over() -> None:
    """A new attempt at the open challenge: its own points and settings, no answers yet."""
    opened = current()
    if opened is not None:
        open_challenge(opened)
        state.flash("Started over: the challenge's points and settings are back.", "info")


def leave() -> None:
    state.set_challenge(None)
    state.flash(
        "You left the challenge. The points and settings stay as they are, and every "
        "control is yours again.",
        "info",
    )


def claim_no_line() -> None:
    """The learner says no straight line can separate the points: done if that is so
    (announced in this run), otherwise a toast says why not."""
    opened = current()
    if opened is None or st.session_state.get(CHALLENGE_DONE) is not None:
        return
    result = _evaluate(opened, None, claim=True)
    if result is not None and result.done:
        _record_done(result)
    elif result is not None:
        state.flash(result.text, "info")


def locked_nouns(opened: Challenge) -> list[str]:
    """The settings ``opened`` fixes but shows, as nouns ("learning rate")."""
    return [
        setting.noun
        for name, setting in BY_NAME.items()
        if opened.is_locked(name) and not opened.is_hidden(name)
    ]


# ---------------------------------------------------------------- the banner


# The banner's buttons beside the title (after "No line can do it", when it is shown):
# label, icon, what it does, and its help.
BANNER_BUTTONS = (
    (
        "Start over",
        ":material/restart_alt:",
        start_over,
        "The challenge's own points and settings again, and a fresh attempt.",
    ),
    (
        "Leave the challenge",
        ":material/close:",
        leave,
        "Close the challenge: the controls are yours again.",
    ),
)


def banner() -> None:
    """The open challenge's banner, at the top of the page (none when no challenge is open).

    Drawn on every full run at the same place, before anything else in the main area, so
    it never appears above a chart that is already there.
    """
    opened = current()
    if opened is None:
        st.session_state.pop(CHALLENGE_SLOT, None)
        return
    st.html(BANNER_CSS)
    if st.session_state.get(PRESENTER):
        st.html(BANNER_PRESENTER_CSS)
    with st.container(border=True, key=CHALLENGE_BANNER):
        _banner_head(opened)
        st.text(opened.task)
        with st.container(key=CHALLENGE_STATUS):
            st.session_state[CHALLENGE_SLOT] = st.empty()


def _banner_head(opened: Challenge) -> None:
    """The banner's first row: the badge, the title and the buttons."""
    done = st.session_state.get(CHALLENGE_DONE)
    with st.container(
        horizontal=True, vertical_alignment="center", gap="small", key=CHALLENGE_HEAD
    ):
        st.badge("Challenge", icon=":material/flag:", color="violet")
        st.text(opened.title or "A challenge for you", width="stretch")
        if opened.goal is not None and opened.goal.kind == "separate" and done is None:
            st.button(
                "No line can do it",
                icon=":material/block:",
                on_click=claim_no_line,
                help="Claim that no straight line can put every point on its own side. "
                "If that is true, the challenge is done.",
            )
        for label, icon, action, why in BANNER_BUTTONS:
            st.button(label, icon=icon, type="tertiary", on_click=action, help=why)
        if st.session_state.pop(CHALLENGE_TOP, False):  # just opened here: see _SCROLL_JS
            _scroll_to_top(data={"opening": st.session_state.get(CHALLENGE_ATTEMPT, 0)})


def _show_status(opened: Challenge, result: GoalResult | None) -> None:
    """The goal and where the learner stands, in the banner's slot: one paragraph, so that
    on a phone the sentence flows on beside its badge."""
    slot = st.session_state.get(CHALLENGE_SLOT)
    if slot is None:
        return
    if opened.goal is None or result is None:
        slot.text(NO_GOAL)
        return
    label, icon, color = STATUS_BADGES[result.status]
    slot.markdown(
        f"**Goal:** {_escaped(opened.goal.text)} :{color}-badge[{icon} {label}] "
        + _escaped(_after_status_word(result))
    )


def _after_status_word(result: GoalResult) -> str:
    """The sentence without the status word the badge already says: "Done, and right: no
    line..." becomes "And right: no line...", "Not yet: 2 of 4..." "2 of 4..."."""
    label = STATUS_BADGES[result.status][0]
    text = result.text
    if text.lower().startswith(label.lower()):
        rest = text[len(label) :].lstrip(":, ")
        text = rest[0].upper() + rest[1:] if rest else text
    return text


_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+!|$~:"})


def _escaped(text: str) -> str:
    """Our own sentence (numbers, words) with every character Markdown reads escaped."""
    return text.translate(_MARKDOWN_SPECIALS)


# ---------------------------------------------------------------- the goal


def _evaluate(opened: Challenge, run: History | None, claim: bool) -> GoalResult | None:
    """The goal's status now: the scenario shown, its run, the answers and the hand path."""
    goal = opened.goal
    if goal is None:
        return None
    s = state.scenario()
    hand = st.session_state.get(HAND_PATH)
    hand = hand if isinstance(hand, HandPath) else None
    results = [bool(r) for r in st.session_state.get(PREDICT_LOG) or []]
    needs_run = goal.kind != "predict_streak" and (
        opened.mode != "hand" or goal.kind == "hand_update"
    )
    if needs_run and not len(s.y):
        return GoalResult(NOT_YET, NO_POINTS)
    if needs_run and run is None:
        run = state.history(s)
    return check(
        opened,
        s,
        history=run if needs_run else None,
        results=results,
        hand=hand,
        claims_no_line=claim,
    )


def check_and_announce(run: History | None = None) -> GoalResult | None:
    """Check the open challenge's goal, show its status in the banner, and announce the
    moment it is done (once per attempt). Call it after rendering, with the run the page
    shows (``run``: the scenario's History, or None to have it looked up when needed).

    Returns what the banner shows: the attempt's done result once done, else the goal's
    status now; None when no challenge (or no goal) is open.
    """
    st.session_state[CHALLENGE_CHECKED] = True
    opened = current()
    if opened is None:
        return None
    done = st.session_state.get(CHALLENGE_DONE)
    result = done or _evaluate(opened, run, claim=False)
    if done is None and result is not None and result.done:
        _record_done(result)
    if st.session_state.pop(CHALLENGE_ANNOUNCE, False):
        _announce(result)
    _show_status(opened, result)
    return result


def _record_done(result: GoalResult) -> None:
    """The attempt is done: the banner keeps this result, and this run announces it."""
    st.session_state[CHALLENGE_DONE] = result
    st.session_state[CHALLENGE_ANNOUNCE] = True


def _announce(result: GoalResult) -> None:
    st.toast(
        f"Challenge done! {_escaped(_after_status_word(result))}",
        icon=":material/check_circle:",
        duration="long",
    )
    st.balloons()


def check_unless_checked() -> None:
    """The goal check of a page that did not make its own (``ui.page.finish``)."""
    if current() is not None and not st.session_state.get(CHALLENGE_CHECKED):
        check_and_announce(None)
