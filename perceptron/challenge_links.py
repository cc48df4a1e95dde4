"""A challenge as a link: the scenario's query parameters plus a few short keys of its own.

Challenge format version 1 (key ``c``; its presence makes a link a challenge link):

    m     mode: predict or hand (left out for train)
    g     goal: loss, rise, streak, handloss, sep or handstep (left out: no goal)
    gl    the goal's loss target L        gk  its updates K (or the update to match)
    gn    its streak N
    task  the one-line task text          ti  the title (left out when empty)
    lock  locked controls, joined by "."  hide  hidden controls, likewise
    q     the question kinds, joined by "." (left out when all)
    qs    the questions' seed (left out when 0)

A control is named by its setting's link key (lr, ep, mode, ...) or by ``pts`` (the
points) or ``gs`` (the hand-fit gradient step); ``all`` stands for every setting, so a
setting added later is locked too, at its default, which keeps the old meaning.

Like the scenario's own keys, nothing here ever raises: a part that cannot be read is
named in a note and left out (a goal that cannot be read leaves a challenge without a
goal), an out-of-range number is clamped, and the rest is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from perceptron.challenges import (
    MAX_TASK_CHARS,
    MAX_TITLE_CHARS,
    Challenge,
    breaks_the_line,
    controls,
)
from perceptron.goals import (
    CHALLENGE_MODES,
    GOAL_MAY,
    GOAL_NEEDS,
    GOAL_PARAMETERS,
    Goal,
    GoalParameter,
)
from perceptron.limits import MAX_SEED
from perceptron.links import (
    DECIMAL,
    WHOLE,
    echo,
    last_values,
    scenario_from_params,
    scenario_to_params,
)
from perceptron.predict import KINDS
from perceptron.scenario import Scenario
from perceptron.settings import SETTINGS

CHALLENGE_VERSION = "1"
CHALLENGE_KEYS = frozenset(
    {"c", "m", "g", "gl", "gk", "gn", "task", "ti", "lock", "hide", "q", "qs"}
)
GOAL_WORDS = {
    "loss_below": "loss",
    "loss_rises": "rise",
    "predict_streak": "streak",
    "handfit_loss_below": "handloss",
    "separate": "sep",
    "hand_update": "handstep",
}
_GOAL_KINDS = {word: kind for kind, word in GOAL_WORDS.items()}
# Each goal parameter's key (``perceptron.goals.GOAL_PARAMETERS`` says what it may be).
_GOAL_KEYS = {"loss": "gl", "updates": "gk", "streak": "gn"}
ALL_SETTINGS = "all"
_LIST_CHARS = 200


def _control_keys() -> dict[str, str]:
    """Each control's key in a link: a setting's link key, ``pts`` and ``gs``."""
    keys = {setting.name: setting.link_key for setting in SETTINGS}
    return {**keys, "points": "pts", "handfit_step": "gs"}


# --- writing ----------------------------------------------------------------------------------


def challenge_to_params(ch: Challenge) -> dict[str, str]:
    """The query parameters of a link that opens ``ch``: its scenario's, then its own."""
    scenario = scenario_to_params(ch.scenario)
    points = scenario.pop("pts")
    own = {"c": CHALLENGE_VERSION}
    if ch.mode != "train":
        own["m"] = ch.mode
    if ch.goal is not None:
        own["g"] = GOAL_WORDS[ch.goal.kind]
        for name, key in _GOAL_KEYS.items():
            value = getattr(ch.goal, name)
            if value is not None:
                own[key] = _write_number(value)
    own["task"] = ch.task
    if ch.title:
        own["ti"] = ch.title
    for key, names in (("lock", ch.locked - ch.hidden), ("hide", ch.hidden)):
        if names:
            own[key] = _write_controls(names)
    if ch.ask != KINDS:
        own["q"] = ".".join(ch.ask)
    if ch.question_seed:
        own["qs"] = str(ch.question_seed)
    return {**scenario, **own, "pts": points}


def challenge_to_query_string(ch: Challenge) -> str:
    """``"?v=1&...&c=1&g=...&pts=..."``, to append to the app's address."""
    return "?" + urlencode(challenge_to_params(ch))


def _write_number(value: float | int) -> str:
    return str(value) if isinstance(value, int) else repr(float(value)).removesuffix(".0")


def _write_controls(names: frozenset[str]) -> str:
    keys = _control_keys()
    settings = {setting.name for setting in SETTINGS}
    words = (
        [ALL_SETTINGS]
        if settings <= names
        else [keys[n] for n in controls() if n in settings & names]
    )
    return ".".join(words + [keys[n] for n in controls() if n in names - settings])


# --- reading ----------------------------------------------------------------------------------


def challenge_from_params(
    params: Mapping[str, str | list[str]],
) -> tuple[Scenario, Challenge | None, list[str]]:
    """The scenario and challenge a link describes, and notes on what could not be read.

    The challenge is None when the link holds none (no ``c``) or one of an unknown
    format (then a note says so and the points and settings open without it). Never raises.
    """
    scenario, notes = scenario_from_params(params)
    values = last_values(params)
    if "c" not in values:
        return scenario, None, notes
    if values["c"].strip() != CHALLENGE_VERSION:
        notes.append(
            f"This challenge link uses challenge format {echo(values['c'])}, which this app "
            "cannot read; opening its points and settings without the challenge."
        )
        return scenario, None, notes
    challenge = _read_challenge(scenario, values, notes)
    return scenario, challenge, notes


def _read_challenge(scenario: Scenario, values: Mapping[str, str], notes: list[str]) -> Challenge:
    goal = _read_goal(values, notes)
    mode = _read_mode(values.get("m"), goal, notes)
    title = _read_text(values.get("ti", ""), "title", MAX_TITLE_CHARS, notes)
    task = _read_text(values.get("task", ""), "task text", MAX_TASK_CHARS, notes)
    if not task.strip():
        fallback = goal.text if goal else "Explore these points and settings."
        notes.append(f"The challenge has no task text; showing this instead: {fallback}")
        task = fallback
    hidden = _read_controls(values.get("hide", ""), "hidden", notes)
    locked = _read_controls(values.get("lock", ""), "locked", notes) | hidden
    return Challenge(
        scenario,
        task,
        goal,
        mode,
        title,
        locked,
        hidden,
        _read_kinds(values.get("q"), notes),
        _read_seed(values.get("qs"), notes),
    )


def _read_goal(values: Mapping[str, str], notes: list[str]) -> Goal | None:
    word = values.get("g")
    if word is None:
        return None
    kind = _GOAL_KINDS.get(word.strip().lower())
    if kind is None:
        notes.append(
            f"The goal {echo(word)} is not one of {', '.join(_GOAL_KINDS)}; the challenge has "
            "no goal to check."
        )
        return None
    found: dict[str, Any] = {}
    for name in sorted(GOAL_NEEDS[kind] | GOAL_MAY.get(kind, set())):
        key, parameter = _GOAL_KEYS[name], GOAL_PARAMETERS[name]
        text = values.get(key)
        if text is None:
            if name in GOAL_NEEDS[kind]:
                notes.append(
                    f"The goal '{GOAL_WORDS[kind]}' needs its {parameter.noun} ({key}), which "
                    "the link lacks; the challenge has no goal to check."
                )
                return None
            continue
        value, note = _read_number(text, parameter)
        if value is None:
            notes.append(f"{note} the challenge has no goal to check.")
            return None
        notes += [note] if note else []
        found[name] = value
    return Goal(kind, **found)


def _read_number(text: str, parameter: GoalParameter) -> tuple[Any, str | None]:
    """(value clamped to the parameter's range, note) or (None, note) if ``text`` is no such
    number."""
    noun, low, high, whole = parameter.noun, parameter.low, parameter.high, parameter.whole
    pattern, kind = (WHOLE, "whole number") if whole else (DECIMAL, "number")
    stripped = text.strip()
    if len(stripped) > 40 or not pattern.fullmatch(stripped):
        return None, f"The goal's {noun} {echo(text)} is not a {kind};"
    value = int(stripped) if whole else float(stripped)
    if value < low or value > high:
        bound = low if value < low else high
        where = "below the smallest" if value < low else "above the largest"
        note = f"The goal's {noun} {echo(text)} is {where} allowed; using {_write_number(bound)}."
        return bound, note
    return value, None


def _read_mode(text: str | None, goal: Goal | None, notes: list[str]) -> str:
    mode = "train" if text is None else text.strip().lower()
    if mode not in CHALLENGE_MODES:
        notes.append(
            f"The challenge mode {echo(text or '')} is not one of {', '.join(CHALLENGE_MODES)}; "
            "using train."
        )
        mode = "train"
    if goal is not None and mode not in goal.modes:
        wanted = goal.modes[0]
        notes.append(
            f"The goal '{GOAL_WORDS[goal.kind]}' is checked in the {wanted} mode; using it."
        )
        mode = wanted
    return mode


def _read_text(text: str, noun: str, limit: int, notes: list[str]) -> str:
    """One line: control characters and line breaks become spaces; cut at ``limit``."""
    text = text[: limit + 1]
    clean = "".join(" " if breaks_the_line(c) else c for c in text)
    clean = clean.strip()
    if clean != text.strip():
        notes.append(f"The {noun} held line breaks or control characters; they show as spaces.")
    if len(clean) > limit:
        notes.append(f"The {noun} is longer than {limit} characters; it is cut short.")
        clean = clean[: limit - 1].rstrip() + "…"
    return clean


def _read_controls(text: str, noun: str, notes: list[str]) -> frozenset[str]:
    if len(text) > _LIST_CHARS:
        notes.append(f"The list of {noun} controls is too long; leaving it out.")
        return frozenset()
    by_key = {key: name for name, key in _control_keys().items()}
    names, unknown = set(), []
    for word in filter(None, (part.strip().lower() for part in text.split("."))):
        if word == ALL_SETTINGS:
            names |= {setting.name for setting in SETTINGS}
        elif word in by_key:
            names.add(by_key[word])
        else:
            unknown.append(echo(word))
    if unknown:
        which = _which(f"{noun} control", unknown)
        notes.append(f"The {which} unknown; leaving {'it' if len(unknown) == 1 else 'them'} out.")
    return frozenset(names)


def _read_kinds(text: str | None, notes: list[str]) -> tuple[str, ...]:
    if text is None:
        return KINDS
    words = [part.strip().lower() for part in text[:_LIST_CHARS].split(".") if part.strip()]
    kinds = tuple(kind for kind in KINDS if kind in words)
    unknown = [echo(word) for word in words if word not in KINDS]
    if not kinds:
        notes.append(f"No question kind in {echo(text)} is known; asking every kind.")
        return KINDS
    if unknown:
        which = _which("question kind", unknown)
        notes.append(f"The {which} unknown; leaving {'it' if len(unknown) == 1 else 'them'} out.")
    return kinds


def _which(noun: str, quoted: list[str]) -> str:
    """ "control 'x' is" or "controls 'x', 'y' are"."""
    if len(quoted) == 1:
        return f"{noun} {quoted[0]} is"
    return f"{noun}s {', '.join(quoted)} are"


def _read_seed(text: str | None, notes: list[str]) -> int:
    if text is None:
        return 0
    stripped = text.strip()
    if len(stripped) > 40 or not WHOLE.fullmatch(stripped):
        notes.append(f"The question seed {echo(text)} is not a whole number; using 0.")
        return 0
    value = int(stripped)
    if not 0 <= value <= MAX_SEED:
        bound = 0 if value < 0 else MAX_SEED
        notes.append(f"The question seed {echo(text)} is out of range; using {bound}.")
        return bound
    return value
