"""The Challenges page's pieces: the gallery of ready challenges and the composer.

Both give links to the Playground that open a challenge (``perceptron.challenge_links``)
on any device, on a fresh server too, and a QR code of each link for a room. The QR code
is drawn here by segno (pure Python) as a PNG: nothing is fetched or sent anywhere.
"""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import segno
import streamlit as st

from perceptron import PRESETS, Scenario, make_dataset
from perceptron.challenge_links import challenge_to_query_string
from perceptron.challenges import (
    CHALLENGE_MODES,
    GOAL_KINDS,
    GOAL_NEEDS,
    MAX_GOAL_LOSS,
    MAX_GOAL_UPDATES,
    MAX_STREAK,
    MAX_TASK_CHARS,
    MAX_TITLE_CHARS,
    MIN_GOAL_LOSS,
    NON_SETTING_CONTROLS,
    Challenge,
    Goal,
    controls,
)
from perceptron.gallery import GalleryEntry, gallery
from perceptron.limits import MAX_SEED
from perceptron.predict import KINDS
from perceptron.settings import BY_NAME, MODE_LABELS
from ui import challenge, keys, state

# The page's own path (pages/5_Challenges.py): what its address ends with.
PAGE_PATH = "Challenges"
MODES = {
    "train": "Train: set the controls and step",
    "predict": "Predict each update first",
    "hand": "Fit by hand: set w1, w2, b",
}
GOALS = {
    "": "No goal: explore",
    "loss_below": "Loss below L within K updates",
    "loss_rises": "A learning rate that makes the loss rise",
    "predict_streak": "Predict N updates in a row",
    "handfit_loss_below": "Hand-fit to a loss below L",
    "separate": "Separate the points (no point wrong)",
    "hand_update": "Set one update's result by hand",
}
POINT_CHOICES = {"current": "The current points", "preset": "Draw a preset with a seed"}
QUESTIONS = {
    "w1": "w1 up or down",
    "w2": "w2 up or down",
    "b": "b up or down",
    "y_hat": "ŷ of a point",
    "boundary": "the boundary and a point",
    "loss": "the batch's loss",
}
# A QR code holds at most 2,331 characters of a link (version 40, error correction M);
# far fewer scan well across a room.
QR_GOOD_CHARS = 600
MAX_COMPOSED_POINTS = 500


def control_label(name: str) -> str:
    """A control's name for an instructor: "Learning rate", "Points (placing, …)"."""
    if name == "points":
        return "Points (placing, erasing, presets, table, files)"
    text = BY_NAME[name].noun if name in BY_NAME else NON_SETTING_CONTROLS[name]
    return text[0].upper() + text[1:]


# ---------------------------------------------------------------- links and QR codes


def app_url() -> str:
    """The Playground's address as this browser sees it, ending in "/" (see ``playground_url``)."""
    return playground_url(
        st.context.url, st.get_option("server.baseUrlPath"), st.get_option("server.port")
    )


def playground_url(page_url: str | None, base_path: str | None, port: int) -> str:
    """The Playground's address, ending in "/": this page's address ``page_url`` without its
    own path, so it keeps the server's base path (``server.baseUrlPath``) and whatever a
    proxy put before it. Without a browser (``page_url`` None: a test), the local server's."""
    if not page_url:
        base = (base_path or "").strip("/")
        return f"http://localhost:{port}/" + (f"{base}/" if base else "")
    parts = urlsplit(page_url)
    path = parts.path.rstrip("/")
    if path.endswith("/" + PAGE_PATH) or path == PAGE_PATH:
        path = path[: -len(PAGE_PATH)].rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}/"


def challenge_link(ch: Challenge) -> str:
    """The full link that opens ``ch`` on the Playground."""
    return app_url() + challenge_to_query_string(ch)


@st.cache_data(max_entries=64, show_spinner=False)
def qr_png(text: str, scale: int = 10) -> bytes | None:
    """``text`` as a QR code: a PNG, black on white with the standard 4-module quiet zone,
    ``scale`` pixels a module (larger than it is shown: a browser shrinks it smoothly, but
    would blur it when enlarging); None when the text is too long for any QR code."""
    try:
        code = segno.make(text, error="m", micro=False)
    except segno.DataOverflowError:
        return None
    uri = code.png_data_uri(scale=scale, border=4, dark="#000000", light="#FFFFFF")
    return base64.b64decode(uri.split(",", 1)[1])


def show_qr(link: str, what: str, width: int) -> None:
    """The QR code of ``link`` (``what`` says what it opens, for a screen reader)."""
    png = qr_png(link)
    if png is None:
        st.caption(
            f"This link is too long for a QR code ({len(link):,} characters). "
            "Fewer points make it shorter."
        )
        return
    st.image(png, width=width, alt=f"QR code of the link that opens {what}")
    if len(link) > QR_GOOD_CHARS:
        st.caption("A long link makes a dense QR code: scan it from close by.")


@st.dialog("Scan to open the challenge", width="large")
def room_qr(title: str, link: str) -> None:
    """A large QR code, for a room to scan from the projector."""
    st.text(title)
    with st.container(horizontal_alignment="center"):
        show_qr(link, f"the challenge {title}", width=440)  # fits a 1280×720 projector
    st.code(link, language=None, wrap_lines=True)


def start(ch: Challenge) -> None:
    """Open ``ch`` here and go to the Playground, where it starts."""
    challenge.open_challenge(ch)
    st.switch_page("app.py")


# ---------------------------------------------------------------- the gallery


def gallery_section() -> None:
    """The ready challenges in the lecture's order, each with its link and QR code."""
    st.header("Ready challenges")
    st.markdown(
        "In the order of the lecture's ideas. **Start** one here, or hand out its link or QR "
        "code: it opens the challenge on any phone or laptop, with the task shown and the "
        "fixed controls locked."
    )
    with st.container(key=keys.GALLERY):
        for number, item in enumerate(gallery(), 1):
            _entry(number, item)


def _entry(number: int, item: GalleryEntry) -> None:
    ch = item.challenge
    with st.container(border=True, key=keys.GALLERY_ENTRY + item.slug):
        text, code = st.columns([3, 1], gap="medium")
        with text:
            st.subheader(f"{number}. {ch.title}", anchor=False)
            st.caption(f"The idea: {item.idea} · {MODES[ch.mode].split(':')[0]}")
            st.text(ch.task)
            if ch.goal is not None:
                st.markdown(f"**Goal:** {ch.goal.text}")
            if not item.available:
                st.caption(f"Not in this version of the app: it needs {item.needs}.")
                return
            link = challenge_link(ch)
            with st.container(horizontal=True):
                if st.button(
                    "Start this challenge",
                    key=keys.GALLERY_START + item.slug,
                    type="primary",
                    icon=":material/play_arrow:",
                ):
                    start(ch)
                if st.button(
                    "QR code for the room",
                    key=keys.GALLERY_QR + item.slug,
                    icon=":material/qr_code_2:",
                ):
                    room_qr(ch.title, link)
            st.code(link, language=None, wrap_lines=True)
        with code:
            show_qr(link, f"the challenge {ch.title}", width=160)


# ---------------------------------------------------------------- the composer


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
    title = st.text_input(
        "Title (optional)",
        max_chars=MAX_TITLE_CHARS,
        key=keys.COMPOSE_TITLE,
        placeholder="Fast enough",
        persist_state="session",
    )
    task = st.text_input(
        "Task: one line saying what to do",
        max_chars=MAX_TASK_CHARS,
        key=keys.COMPOSE_TASK,
        placeholder="Find a learning rate that gets the loss below 0.3 in time.",
        persist_state="session",
    ).strip()
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
    values = {}
    needs = GOAL_NEEDS[kind]
    if "loss" in needs:
        values["loss"] = st.number_input(
            "Loss target L (the mean loss must get below it)",
            min_value=MIN_GOAL_LOSS,
            max_value=MAX_GOAL_LOSS,
            step=0.05,
            format="%.4g",
            key=keys.COMPOSE_LOSS,
            persist_state="session",
        )
    within = "updates" in needs
    if kind == "separate" and mode != "hand":
        within = st.toggle(
            "Within a number of updates", key=keys.COMPOSE_WITHIN, persist_state="session"
        )
    if within:
        label = (
            "The update whose result to set, k"
            if kind == "hand_update"
            else "Within K updates (counted from the start)"
        )
        values["updates"] = st.number_input(
            label,
            min_value=1,
            max_value=MAX_GOAL_UPDATES,
            step=1,
            key=keys.COMPOSE_UPDATES,
            persist_state="session",
        )
    if "streak" in needs:
        values["streak"] = st.number_input(
            "Right answers in a row, N",
            min_value=1,
            max_value=MAX_STREAK,
            step=1,
            key=keys.COMPOSE_STREAK,
            persist_state="session",
        )
    if any(value is None for value in values.values()):
        problems.append("Fill in every number of the goal.")
        return None
    try:
        return Goal(kind, **values)
    except ValueError as error:
        problems.append(f"This goal cannot be checked: {error}.")
        return None


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
            st.number_input(
                "Points",
                min_value=2,
                max_value=MAX_COMPOSED_POINTS,
                step=1,
                key=keys.COMPOSE_N,
                persist_state="session",
                width=120,
            )
            st.number_input(
                "Seed",
                min_value=0,
                max_value=MAX_SEED,
                step=1,
                key=keys.COMPOSE_SEED,
                persist_state="session",
                width=140,
            )
    s = state.scenario()
    st.caption(f"Now: {len(s.y):,} points; " + _settings_summary(s) + " (set them in the sidebar).")
    return _scenario(problems)


def _rules() -> tuple[list[str], list[str], list[str], int]:
    """What is fixed or hidden, and the questions of the predict mode."""
    locked = st.multiselect(
        "Fixed (shown, but the learner cannot change them)",
        list(controls()),
        format_func=control_label,
        key=keys.COMPOSE_LOCKED,
        persist_state="session",
    )
    hidden = st.multiselect(
        "Hidden (fixed, and left out of view)",
        list(controls()),
        format_func=control_label,
        key=keys.COMPOSE_HIDDEN,
        persist_state="session",
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
        qseed = st.number_input(
            "Seed of the questions (the same seed, the same questions for everyone)",
            min_value=0,
            max_value=MAX_SEED,
            step=1,
            key=keys.COMPOSE_QSEED,
            persist_state="session",
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
