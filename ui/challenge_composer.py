"""The Challenges page's composer: an instructor makes a challenge from the points at hand
(or a preset drawn with a seed) and the sidebar's settings, picks its mode, goal, task and
what the learner may not change, and gets its link and QR code as they go."""

from __future__ import annotations

import streamlit as st

from perceptron import PRESETS, Scenario, make_dataset
from perceptron.challenges import (
    MAX_TASK_CHARS,
    MAX_TITLE_CHARS,
    NON_SETTING_CONTROLS,
    Challenge,
    controls,
)
from perceptron.goals import CHALLENGE_MODES, GOAL_KINDS, GOAL_NEEDS, GOAL_PARAMETERS, Goal
from perceptron.limits import MAX_SEED
from perceptron.predict import KINDS
from perceptron.settings import BY_NAME, MODE_LABELS
from ui import keys, state
from ui.challenge_share import MODES, challenge_link, room_qr, show_qr, start

# The title's and the task's boxes: label, most characters, key, an example.
TEXT_BOXES = (
    ("Title (optional)", MAX_TITLE_CHARS, keys.COMPOSE_TITLE, "Fast enough"),
    (
        "Task: one line saying what to do",
        MAX_TASK_CHARS,
        keys.COMPOSE_TASK,
        "Find a learning rate that gets the loss below 0.3 in time.",
    ),
)
GOALS = {
    "": "No goal: explore",
    "loss_below": "Loss below L within K updates",
    "loss_rises": "A learning rate that makes the loss rise",
    "predict_streak": "Predict N updates in a row",
    "handfit_loss_below": "Hand-fit to a loss below L",
    "separate": "Separate the points (no point wrong)",
    "hand_update": "Set one update's result by hand",
}
# Each goal parameter's box: its label, its step, and its key.
GOAL_BOXES = {
    "loss": ("Loss target L (the mean loss must get below it)", 0.05, keys.COMPOSE_LOSS),
    "updates": ("Within K updates (counted from the start)", 1, keys.COMPOSE_UPDATES),
    "streak": ("Right answers in a row, N", 1, keys.COMPOSE_STREAK),
}
HAND_UPDATE_LABEL = "The update whose result to set, k"  # "updates" of the goal hand_update
POINT_CHOICES = {"current": "The current points", "preset": "Draw a preset with a seed"}
QUESTIONS = {
    "w1": "w1 up or down",
    "w2": "w2 up or down",
    "b": "b up or down",
    "y_hat": "ŷ of a point",
    "boundary": "the boundary and a point",
    "loss": "the batch's loss",
}
# The two lists of controls: fixed (shown, disabled) and hidden.
CONTROL_LISTS = (
    ("Fixed (shown, but the learner cannot change them)", keys.COMPOSE_LOCKED),
    ("Hidden (fixed, and left out of view)", keys.COMPOSE_HIDDEN),
)
MAX_COMPOSED_POINTS = 500


def control_label(name: str) -> str:
    """A control's name for an instructor: "Learning rate", "Points (placing, …)"."""
    if name == "points":
        return "Points (placing, erasing, presets, table, files)"
    text = BY_NAME[name].noun if name in BY_NAME else NON_SETTING_CONTROLS[name]
    return text[0].upper() + text[1:]


def _number_box(label: str, low, high, key: str, step=1, **extra):
    """A number box of the composer; like its other controls, it keeps its value across pages."""
    return st.number_input(
        label,
        min_value=low,
        max_value=high,
        step=step,
        key=key,
        persist_state="session",
        **extra,
    )


def _goal_modes(kind: str) -> tuple[str, ...]:
    sample = {"loss": 0.5, "updates": 1, "streak": 1}
    return Goal(kind, **{name: sample[name] for name in GOAL_NEEDS[kind]}).modes


def _defaults() -> None:
    for key, value in (
        (keys.COMPOSE_MODE, "train"),
        (keys.COMPOSE_GOAL, "loss_below"),
        (keys.COMPOSE_LOSS, 0.3),
        (keys.COMPOSE_UPDATES, 20),
        (keys.COMPOSE_STREAK, 5),
        (keys.COMPOSE_WITHIN, False),
        (keys.COMPOSE_POINTS, "current"),
        (keys.COMPOSE_PRESET, "separable"),
        (keys.COMPOSE_N, 20),
        (keys.COMPOSE_SEED, 0),
        (keys.COMPOSE_LOCKED, ["points"]),
        (keys.COMPOSE_HIDDEN, []),
        (keys.COMPOSE_ASK, list(KINDS)),
        (keys.COMPOSE_QSEED, 0),
    ):
        st.session_state.setdefault(key, value)


def composer_section() -> None:
    """Make a challenge: points, settings, locks, goal and task; its link and QR code."""
    st.header("Make a challenge")
    st.markdown(
        "Start from the points you have (or draw a preset) and the **training settings in "
        "the sidebar**; choose what the learner may not change, the goal and one line of "
        "task. The link below follows every change."
    )
    _defaults()
    problems: list[str] = []
    with st.container(border=True, key=keys.COMPOSER):
        what, rules = st.columns(2, gap="large")
        with what:
            title, task, mode, goal = _what_to_do(problems)
        with rules:
            scenario = _points(problems)
            locked, hidden, ask, qseed = _rules()
    with st.container(key=keys.COMPOSED_LINK):
        st.subheader("Its link", anchor=False)
        ch = None
        if scenario is not None and not problems:
            try:
                ch = Challenge(
                    scenario, task, goal, mode, title,
                    frozenset(locked), frozenset(hidden), tuple(ask), qseed,
                )  # fmt: skip
            except ValueError as error:
                problems.append(f"This challenge cannot be made: {error}.")
        for problem in problems:
            st.warning(problem, icon=":material/edit:")
        if ch is not None:
            _composed(ch)


def _what_to_do(problems: list[str]) -> tuple[str, str, str, Goal | None]:
    """Title, task, mode and goal as the instructor set them."""
    title, task = (
        st.text_input(label, max_chars=limit, key=key, placeholder=example, persist_state="session")
        for label, limit, key, example in TEXT_BOXES
    )
    task = task.strip()
    mode = st.radio(
        "Mode",
        list(CHALLENGE_MODES),
        format_func=MODES.get,
        key=keys.COMPOSE_MODE,
        persist_state="session",
    )
    kinds = [""] + [kind for kind in GOAL_KINDS if mode in _goal_modes(kind)]
    if st.session_state.get(keys.COMPOSE_GOAL) not in kinds:
        st.session_state[keys.COMPOSE_GOAL] = kinds[1]
    kind = st.selectbox(
        "Goal", kinds, format_func=GOALS.get, key=keys.COMPOSE_GOAL, persist_state="session"
    )
    goal = _goal(kind, mode, problems)
    if not task and goal is not None:
        st.caption(f"No task written: the learner reads the goal instead, “{goal.text}”")
        task = goal.text
    elif not task:
        problems.append("Write the task: one line saying what to do.")
    return title, task, mode, goal


def _goal(kind: str, mode: str, problems: list[str]) -> Goal | None:
    if not kind:
        return None
    values = {name: _goal_box(name, kind) for name in _goal_parameters(kind, mode)}
    if any(value is None for value in values.values()):
        problems.append("Fill in every number of the goal.")
        return None
    try:
        return Goal(kind, **values)
    except ValueError as error:
        problems.append(f"This goal cannot be checked: {error}.")
        return None


def _goal_parameters(kind: str, mode: str) -> list[str]:
    """The parameters the goal takes; "separate" takes K only if the instructor says so."""
    names = [name for name in GOAL_PARAMETERS if name in GOAL_NEEDS[kind]]
    may_count = kind == "separate" and mode != "hand"
    if may_count and st.toggle(
        "Within a number of updates", key=keys.COMPOSE_WITHIN, persist_state="session"
    ):
        names.append("updates")
    return names


def _goal_box(name: str, kind: str):
    """The number box of the goal parameter ``name``, within the limits the goal allows."""
    label, step, key = GOAL_BOXES[name]
    if name == "updates" and kind == "hand_update":
        label = HAND_UPDATE_LABEL
    p = GOAL_PARAMETERS[name]
    extra = {} if p.whole else {"format": "%.4g"}
    return _number_box(label, p.low, p.high, key, step, **extra)


def _points(problems: list[str]) -> Scenario | None:
    """The points (the current ones, or a preset drawn with a seed) and the settings."""
    st.radio(
        "Points",
        ["current", "preset"],
        format_func=POINT_CHOICES.get,
        key=keys.COMPOSE_POINTS,
        persist_state="session",
    )
    if st.session_state[keys.COMPOSE_POINTS] == "preset":
        with st.container(horizontal=True):
            st.selectbox(
                "Preset",
                list(PRESETS),
                format_func=lambda name: PRESETS[name].title,
                key=keys.COMPOSE_PRESET,
                persist_state="session",
            )
            _number_box("Points", 2, MAX_COMPOSED_POINTS, keys.COMPOSE_N, width=120)
            _number_box("Seed", 0, MAX_SEED, keys.COMPOSE_SEED, width=140)
    s = state.scenario()
    st.caption(f"Now: {len(s.y):,} points; " + _settings_summary(s) + " (set them in the sidebar).")
    return _scenario(problems)


def _rules() -> tuple[list[str], list[str], list[str], int]:
    """What is fixed or hidden, and the questions of the predict mode."""
    locked, hidden = (
        st.multiselect(
            label, list(controls()), format_func=control_label, key=key, persist_state="session"
        )
        for label, key in CONTROL_LISTS
    )
    ask, qseed = list(KINDS), 0
    if st.session_state.get(keys.COMPOSE_MODE) == "predict":
        ask = st.multiselect(
            "Questions to ask before each update",
            list(KINDS),
            format_func=QUESTIONS.get,
            key=keys.COMPOSE_ASK,
            persist_state="session",
        )
        qseed = _number_box(
            "Seed of the questions (the same seed, the same questions for everyone)",
            0,
            MAX_SEED,
            keys.COMPOSE_QSEED,
        )
    return locked, hidden, ask or list(KINDS), int(qseed or 0)


def _settings_summary(s: Scenario) -> str:
    c = s.config
    (w1, w2), b = c.start()
    parts = [
        f"learning rate {c.learning_rate:g}",
        f"{c.epochs:,} epochs",
        MODE_LABELS[c.mode].lower(),
        f"start w1 = {w1:g}, w2 = {w2:g}, b = {b:g}",
    ]
    return ", ".join(parts)


def _scenario(problems: list[str]) -> Scenario | None:
    """The challenge's scenario: the current settings, on the chosen points, at step 0."""
    s = state.scenario().replace(step=0)
    if st.session_state.get(keys.COMPOSE_POINTS) != "preset":
        if not len(s.y):
            problems.append(
                "There are no points yet: place some on the Playground, or draw a preset."
            )
            return None
        return s
    name = st.session_state.get(keys.COMPOSE_PRESET)
    n, seed = st.session_state.get(keys.COMPOSE_N), st.session_state.get(keys.COMPOSE_SEED)
    if name not in PRESETS or n is None or seed is None:
        problems.append("Choose a preset, how many points, and a seed.")
        return None
    X, y = make_dataset(name, n=int(n), seed=int(seed))
    return s.replace(X=X, y=y, preset=name)


def _composed(ch: Challenge) -> None:
    """The link of the composed challenge, its QR code, and Try it."""
    link = challenge_link(ch)
    words, qr = st.columns([3, 1], gap="medium")
    with words:
        st.caption(
            f"{len(link):,} characters; the box's copy button (top right) copies it. It "
            "opens the Playground with the task shown and the fixed controls locked, on a "
            "fresh server too."
        )
        st.code(link, language=None, wrap_lines=True)
        with st.container(horizontal=True):
            if st.button(
                "Try it",
                key=keys.COMPOSE_TRY,
                type="primary",
                icon=":material/play_arrow:",
                help="Open this challenge here, on the Playground.",
            ):
                start(ch)
            if st.button("QR code for the room", key=keys.COMPOSE_QR, icon=":material/qr_code_2:"):
                room_qr(ch.title or "Your challenge", link)
    with qr:
        show_qr(link, "your challenge", width=160)
