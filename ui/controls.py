"""The training settings in the sidebar: one control per row of the settings table.

Each control shows and writes one setting of the scenario's run
(``perceptron.settings.SETTINGS`` gives its label, help, limits and kind). A change that
the core refuses (or that would exceed the run limits) is not applied; the learner sees
why and the previous value stays.
"""

from __future__ import annotations

from itertools import groupby

import streamlit as st

from perceptron.formatting import text_number as fmt
from perceptron.limits import MAX_UPDATES, MAX_WORK
from perceptron.settings import BY_NAME, SETTINGS, START_SETTINGS, Setting
from perceptron.stepsize import step_bound
from perceptron.training import run_size_problem
from ui import challenge, state
from ui.keys import LR_CHOICE, SETTING_PREFIX

LOCKED_HELP = "Fixed by this challenge."

LR_CHOICES = (
    0.001,
    0.002,
    0.005,
    0.01,
    0.02,
    0.05,
    0.1,
    0.2,
    0.5,
    1.0,
    2.0,
    5.0,
    10.0,
    20.0,
    50.0,
    100.0,
)


def widget_key(setting: Setting) -> str:
    return SETTING_PREFIX + setting.name


def _nearest_choice(value: float) -> float:
    return min(LR_CHOICES, key=lambda c: abs(c - value) / c)


def _apply(name: str, key: str) -> None:
    """on_change callback: copy widget ``key`` into setting ``name`` if the run stays valid."""
    value = st.session_state.get(key)
    if value is None or challenge.locked(name):
        return
    current = state.scenario()
    try:
        candidate = current.replace(**_change(BY_NAME[name], current.config, value), step=0)
    except ValueError as error:
        state.flash(f"That setting was not applied: {error}.", "error")
        return
    problem = run_size_problem(len(candidate.y), candidate.config) if len(candidate.y) else None
    if problem:
        state.flash(f"That setting was not applied: {problem}", "error")
        return
    state.set_scenario(candidate)


def _change(setting: Setting, config, value) -> dict:
    """The config field change that sets ``setting`` to ``value`` (one element of a pair)."""
    if setting.index is None:
        return {setting.field: value}
    pair = list(getattr(config, setting.field))
    pair[setting.index] = value
    return {setting.field: tuple(pair)}


def _apply_number(name: str, key: str) -> None:
    """on_change callback of a number input: ``_apply``, or say why nothing was applied.

    The number inputs have no default (value=None): Streamlit turns a number beyond a
    widget's limits (say "1e30" typed into Epochs) into the widget's default, which would
    otherwise be its minimum. None instead keeps the setting; the next run shows it again.
    """
    if st.session_state.get(key) is None:
        state.flash(
            "That setting was not applied: the box was empty or its number was outside the "
            "allowed range.",
            "error",
        )
    else:
        _apply(name, key)


def _seed_widgets(config) -> None:
    """Show the run's values in the controls (also after a page switch or a link)."""
    for setting in SETTINGS:
        st.session_state[widget_key(setting)] = setting.value_in(config)
    st.session_state[LR_CHOICE] = _nearest_choice(config.learning_rate)


def training_controls() -> None:
    """Render the sidebar's training settings: the controls the current run shows."""
    s = state.scenario()
    config = s.config
    _seed_widgets(config)
    with st.sidebar:
        st.subheader("Training settings")
        shown = [
            setting
            for setting in SETTINGS
            if setting.shown_when(config) and not challenge.hidden(setting.name)
        ]
        _locks_caption(shown)
        for control, rows in groupby(shown, key=lambda setting: setting.control):
            rows = list(rows)
            if control == "typed start":
                for column, setting in zip(st.columns(len(rows)), rows, strict=True):
                    with column:
                        _control(setting)
            else:
                for setting in rows:
                    _control(setting)
                    if setting.control == "log slider" and len(s.y):
                        _step_bound(s)
        # Where the start's settings are hidden, the start is not shown either.
        if not any(challenge.hidden(name) for name in START_SETTINGS):
            w, b = config.start()
            st.caption(f"Start: w1 = {fmt(w[0])}, w2 = {fmt(w[1])}, b = {fmt(b)}")
        if not challenge.hidden("epochs"):
            _run_size(s)


def _locks_caption(shown: list[Setting]) -> None:
    """Say which settings the open challenge fixes (their controls are disabled), or that it
    hides them all."""
    opened = challenge.current()
    if opened is None:
        return
    if not shown:
        st.caption("This challenge fixes the training settings and keeps them out of view.")
        return
    nouns = [setting.noun for setting in shown if opened.is_locked(setting.name)]
    if nouns:
        st.caption(":material/lock: Fixed by this challenge: " + ", ".join(nouns) + ".")


def _control(setting: Setting) -> None:
    """The control of one setting, chosen by its kind (or its ``control``)."""
    key, args = widget_key(setting), (setting.name, widget_key(setting))
    common = {"key": key, "help": _help(setting, setting.help), "on_change": _apply, "args": args}
    if challenge.locked(setting.name):
        common["disabled"] = True
    if setting.control == "log slider":
        slider = {**common, "key": LR_CHOICE, "args": (setting.name, LR_CHOICE)}
        st.select_slider(setting.label, options=LR_CHOICES, **slider)
        _number_box(setting, f"Exact {setting.noun}", common)
    elif setting.kind is bool:
        st.toggle(setting.label, **common)
    elif setting.control == "segmented":
        options = list(setting.choices)
        st.segmented_control(setting.label, options, format_func=setting.choices.get, **common)
    elif setting.choices is not None:
        options = list(setting.choices)
        st.radio(setting.label, options, format_func=setting.choices.get, **common)
    else:
        _number_box(setting, setting.label, common)


def _step_bound(s) -> None:
    """How large α may be for these points and settings, under the learning rate."""
    bound = step_bound(s.X, s.config)
    st.caption(f"{bound.headline()} {bound.compare(s.config.learning_rate)}", help=bound.sentence())


def _number_box(setting: Setting, label: str, common: dict) -> None:
    whole = setting.kind is int
    st.number_input(
        label,
        value=None,
        min_value=setting.low,
        max_value=setting.high,
        step=setting.step or (1 if whole else 0.1),
        format=None if whole else "%.4g",
        **{**common, "on_change": _apply_number, "help": _help(setting, _limits_help(setting))},
    )


def _help(setting: Setting, text: str | None) -> str | None:
    """A control's help: ``text``, after why it is disabled when a challenge fixes it. A
    control without help gets none (its icon would be a small target beside the options);
    the caption above the controls names what the challenge fixes."""
    if text and challenge.locked(setting.name):
        return f"{LOCKED_HELP} {text}"
    return text or None


def _limits_help(setting: Setting) -> str | None:
    """The help of a setting that has some, with its limits; none (no icon) otherwise."""
    return f"{setting.help} Allowed {setting.limits()}: {setting.reason}." if setting.help else None


def _run_size(s) -> None:
    config, n = s.config, len(s.y)
    if n == 0:
        st.caption("No points yet: place some on the chart.")
        return
    total = s.n_updates()
    per_epoch = total // config.epochs
    st.caption(
        f"This run: **{total:,} updates** ({config.epochs:,} epochs × {per_epoch:,} per epoch, "
        f"{n:,} points). Limits: {MAX_UPDATES:,} updates, and {MAX_WORK:,} point visits "
        f"(epochs × points; this run: {config.epochs * n:,})."
    )
