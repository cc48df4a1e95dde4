"""A scenario as the query parameters of a link, and back.

Format version 1 (key ``v``). Each training setting has the key its row in
``perceptron.settings.SETTINGS`` declares (lr, ep, mode, bs, shuf, seed, init, iseed,
w1, w2, b); besides them ``k`` is the step shown, ``pre`` the preset the points came
from and ``pts`` the points, packed by ``perceptron.pointcodec``.

Every key is optional: a missing key takes its default, a bad value falls back to it
(or to the nearest allowed value) with a note in plain words, unknown keys are ignored.
The encoder leaves out settings equal to their default and always writes ``v`` and
``pts``, so a link keeps its points even if the default preset changes. A change of a
default or of a key's meaning needs a new version and a new entry in ``_DECODERS``; a
new setting does not, as long as its default keeps the old behaviour.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlencode

from perceptron.datasets import PRESETS
from perceptron.limits import MAX_UPDATES, MAX_WORK
from perceptron.pointcodec import pack_points, unpack_points
from perceptron.scenario import DEFAULT_PRESET, Scenario, default_points, default_scenario
from perceptron.settings import SETTINGS, Setting, rows_of
from perceptron.training import TrainConfig, updates_per_epoch

FORMAT_VERSION = "1"
# No value but the points needs more than a few dozen characters.
MAX_VALUE_CHARS = 64

_Reader = Callable[[str, "_Param"], tuple[Any, str | None]]

DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
WHOLE = re.compile(r"[+-]?[0-9]+")
# Only these characters of a bad value are echoed in a note, so a note is safe to show
# as Markdown or HTML whatever the link holds.
_ECHOED = re.compile(r"[^A-Za-z0-9.+\- ]")
_ECHO_CHARS = 20
_BOOLEANS = {"0": False, "1": True, "false": False, "true": True}


@dataclass(frozen=True)
class _Param:
    """One key of a link: what it holds (a setting's name, "step" or "preset") and how."""

    key: str
    holds: str
    noun: str
    default: Any
    read: _Reader
    write: Callable[[Any], str]


def _write_float(value: float) -> str:
    return repr(float(value)).removesuffix(".0")


def echo(text: str) -> str:
    """``text`` quoted for a note: cut short, odd characters shown as '?' (safe in Markdown)."""
    shown = _ECHOED.sub("?", text[:_ECHO_CHARS])
    return f"'{shown}…'" if len(text) > _ECHO_CHARS else f"'{shown}'"


def _fallback(param: _Param, text: str, problem: str, value: Any) -> tuple[Any, str]:
    """``value``, and the note "The <noun> '<text>' is <problem>; using <value>."."""
    return value, f"The {param.noun} {echo(text)} is {problem}; using {param.write(value)}."


def _number(low: float | None, high: float | None, whole: bool) -> _Reader:
    """A reader of decimal (or whole) numbers, clamped to [low, high] (None: unbounded)."""
    pattern, kind, parse = (WHOLE, "whole number", int) if whole else (DECIMAL, "number", float)

    def read(text: str, param: _Param) -> tuple[Any, str | None]:
        if not pattern.fullmatch(text.strip()):
            return _fallback(param, text, f"not a {kind}", param.default)
        value = parse(text.strip())
        if low is not None and value < low:
            return _fallback(param, text, f"below the smallest allowed, {param.write(low)}", low)
        if high is not None and value > high:
            return _fallback(param, text, f"above the largest allowed, {param.write(high)}", high)
        return value, None

    return read


def _choice(names: Mapping[str, Any]) -> _Reader:
    """A reader of one of ``names`` (case-insensitive), each mapped to its value."""

    def read(text: str, param: _Param) -> tuple[Any, str | None]:
        key = text.strip().lower()
        if key not in names:
            return _fallback(param, text, f"not one of {', '.join(names)}", param.default)
        return names[key], None

    return read


def _read_preset(text: str, param: _Param) -> tuple[str, str | None]:
    # Informational only; an unknown name is dropped rather than shown as the default's.
    name = text.strip().lower()
    if name and name not in PRESETS:
        return "", f"The preset name {echo(text)} is unknown; leaving it out."
    return name, None


def _setting_param(setting: Setting) -> _Param:
    """A setting's key, read and written as its type and choices say."""
    if setting.kind is bool:
        read, write = _choice(_BOOLEANS), lambda value: str(int(value))
    elif setting.choices is not None:
        words = setting.link_words or {}
        read = _choice({**{words.get(v, v): v for v in setting.choices}, **{v: v for v in words}})
        write = lambda value: words.get(value, value)  # noqa: E731
    else:
        whole = setting.kind is int
        read = _number(setting.low, setting.high, whole)
        write = str if whole else _write_float
    return _Param(setting.link_key, setting.name, setting.noun, setting.default, read, write)


_PARAMS: tuple[_Param, ...] = (
    *(_setting_param(setting) for setting in SETTINGS),
    # The step's upper bound is the number of updates, known only once all is read.
    _Param("k", "step", "step", 0, _number(0, None, True), str),
    _Param("pre", "preset", "preset name", DEFAULT_PRESET, _read_preset, str),
)

# Every query parameter a scenario link may hold; the app's own parameters use other keys.
PARAM_KEYS = frozenset({"v", "pts", *(param.key for param in _PARAMS)})


def _values(s: Scenario) -> dict[str, Any]:
    """What each key holds in ``s``: every setting by name, the step and the preset."""
    values = {setting.name: setting.value_in(s.config) for setting in SETTINGS}
    return {**values, "step": s.step, "preset": s.preset}


def scenario_to_params(s: Scenario) -> dict[str, str]:
    """The query parameters of a link to ``s``: values equal to the default are left out.

    Always holds the format version ``v`` and the packed points ``pts`` (see
    ``perceptron.pointcodec``; coordinates with more than 6 decimals are rounded to 6).
    """
    values = _values(s)
    params = {"v": FORMAT_VERSION}
    for param in _PARAMS:
        if values[param.holds] != param.default:
            params[param.key] = param.write(values[param.holds])
    params["pts"] = pack_points(s.X, s.y)
    return params


def scenario_to_query_string(s: Scenario) -> str:
    """``"?v=1&lr=...&pts=..."``, to append to the app's address for a share link."""
    return "?" + urlencode(scenario_to_params(s))


def scenario_from_params(params: Mapping[str, str | list[str]]) -> tuple[Scenario, list[str]]:
    """The scenario a link's query parameters describe, and notes on what was unreadable.

    Never raises: each missing part takes its default, each bad part its default (or
    the nearest allowed value) with a note in plain words; the rest is kept. Unknown
    keys are ignored; a key given several times counts with its last value.
    """
    values = last_values(params)
    version = values.get("v", FORMAT_VERSION)
    decoder = _DECODERS.get(version.strip())
    if decoder is None:
        note = (
            f"This link uses format version {echo(version)}, which this app cannot read; "
            "using the default points and settings."
        )
        return default_scenario(), [note]
    return decoder(values)


def last_values(params: Mapping[str, Any]) -> dict[str, str]:
    """Each key's value as text; a key given several times counts with its last value."""
    values = {}
    for key, value in params.items():
        if isinstance(value, list | tuple):
            if not value:
                continue
            value = value[-1]
        values[str(key)] = str(value)
    return values


def _decode_v1(values: Mapping[str, str]) -> tuple[Scenario, list[str]]:
    notes: list[str] = []
    read = {}
    for param in _PARAMS:
        read[param.holds], note = _read_param(param, values.get(param.key))
        notes += [note] if note else []
    X, y = default_points()
    if "pts" in values:
        try:
            X, y = unpack_points(values["pts"])
        except ValueError as problem:
            notes.append(
                f"The points in the link are damaged ({problem}); using the default points."
            )
            read["preset"] = DEFAULT_PRESET
    config = TrainConfig(
        **{field.name: _field_value(field.name, read) for field in fields(TrainConfig)}
    )
    scenario = Scenario(X, y, config, read["step"], read["preset"])
    scenario, limit_notes = _within_update_limits(scenario)
    return scenario, notes + limit_notes


def _field_value(field: str, read: Mapping[str, Any]) -> Any:
    rows = rows_of(field)
    if rows[0].index is None:
        return read[rows[0].name]
    return tuple(read[row.name] for row in rows)


def _read_param(param: _Param, text: str | None) -> tuple[Any, str | None]:
    if text is None:
        return param.default, None
    if len(text) > MAX_VALUE_CHARS:
        using = f"using {param.write(param.default)}"
        return param.default, f"The {param.noun} in the link is too long; {using}."
    return param.read(text, param)


def _within_update_limits(s: Scenario) -> tuple[Scenario, list[str]]:
    """Fewer epochs if training would exceed MAX_UPDATES or MAX_WORK; the step within."""
    notes = []
    n, epochs = len(s.y), s.config.epochs
    per_epoch = updates_per_epoch(n, s.config)
    if per_epoch * epochs > MAX_UPDATES:
        fewer = max(1, MAX_UPDATES // per_epoch)
        notes.append(
            f"{n:,} points with {epochs:,} epochs would make {per_epoch * epochs:,} updates, "
            f"more than the {MAX_UPDATES:,} allowed; using {fewer:,} epochs."
        )
        s, epochs = s.replace(epochs=fewer), fewer
    if n * epochs > MAX_WORK:
        fewer = max(1, MAX_WORK // n)
        notes.append(
            f"{n:,} points with {epochs:,} epochs would visit {n * epochs:,} points, "
            f"more than the {MAX_WORK:,} allowed; using {fewer:,} epochs."
        )
        s = s.replace(epochs=fewer)
    updates = s.n_updates()
    if s.step > updates:
        notes.append(
            f"Step {s.step:,} is past the last update, {updates:,}; showing step {updates:,}."
        )
        s = s.replace(step=updates)
    return s, notes


# One decoder per format version: old links keep their decoder when a new version comes.
_DECODERS: dict[str, Callable[[Mapping[str, str]], tuple[Scenario, list[str]]]] = {
    "1": _decode_v1,
}
