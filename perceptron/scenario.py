"""The whole app state that a link reproduces, and its URL encoding.

A ``Scenario`` holds the points, every training setting and the step shown. The app
keeps one in session state and syncs it with the page's query parameters through
``scenario_to_params`` and ``scenario_from_params``; both are pure.

URL format, version 1 (key ``v``). Every key is optional; a missing key takes the v1
default below, a bad value falls back to it with a note, unknown keys are ignored:

======  ==========================  =============================================
key     setting                     values (v1 default)
======  ==========================  =============================================
v       format version              ``1``
lr      learning rate               number in [0.001, 10] (0.1)
ep      epochs                      whole number in [1, MAX_EPOCHS] (20)
mode    training mode               ``point``/``batch``/``mini``, or the full names
                                    ``stochastic``/``minibatch`` (point)
bs      mini-batch size             whole number in [1, MAX_POINTS] (8)
shuf    shuffle each epoch          ``0``/``1`` (0)
seed    shuffle seed                whole number in [0, 2**32 - 1] (0)
init    starting weights            ``zeros``/``random``/``custom`` (zeros)
iseed   seed of random start        whole number in [0, 2**32 - 1] (0)
w1 w2   custom starting weights     number in [-1e4, 1e4] (0)
b       custom starting bias        number in [-1e4, 1e4] (0)
k       step shown                  whole number from 0 to the number of updates (0)
pre     preset the points came from a preset name or empty (separable)
pts     points                      packed, see ``pack_points`` (the default points)
======  ==========================  =============================================

The encoder always writes ``v`` and ``pts``: a link then keeps its points even if the
default preset changes. The v1 defaults are frozen in ``_V1_SETTINGS`` for the same
reason; a change in meaning needs a new version and a new entry in ``_DECODERS``.
"""

import base64
import dataclasses
import functools
import math
import numbers
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlencode

import numpy as np

from perceptron.datasets import PRESETS, make_dataset
from perceptron.limits import (
    MAX_ABS_COORDINATE,
    MAX_ABS_INITIAL_PARAMETER,
    MAX_EPOCHS,
    MAX_LEARNING_RATE,
    MAX_POINTS,
    MAX_SEED,
    MAX_UPDATES,
    MAX_WORK,
    MIN_LEARNING_RATE,
)
from perceptron.training import MODES, TrainConfig, count_updates, updates_per_epoch

INITS = ("zeros", "random", "custom")

FORMAT_VERSION = "1"
# Longest accepted parameter values: a full 2,000-point set packs to about 28,000
# characters, and no other value needs more than a few dozen.
MAX_PTS_CHARS = 40_000
MAX_VALUE_CHARS = 64
# Coordinates travel as integers times 10**-d with d <= 6; finer digits are rounded.
MAX_DECIMALS = 6

DEFAULT_PRESET = "separable"
DEFAULT_N_POINTS = 20
DEFAULT_POINTS_SEED = 0

# Spread of the "random" starting weights; rounded so they can be shown and typed exactly.
RANDOM_INIT_SCALE = 0.5
RANDOM_INIT_DECIMALS = 3


@dataclass(frozen=True, eq=False)
class Scenario:
    """Everything a shared link reproduces: the points, the settings, the step shown.

    ``X`` has shape ``(n, 2)`` and ``y`` shape ``(n,)``, float64 with labels 0.0/1.0;
    both are stored as read-only copies (so a Scenario never changes under anyone)
    and ``==`` compares them element by element, the settings by value.
    ``w0`` and ``b0`` are used only when ``init == "custom"``.
    Raises ValueError if the points are malformed or ``init`` is unknown.
    """

    X: np.ndarray
    y: np.ndarray
    learning_rate: float = 0.1
    epochs: int = 20
    mode: str = "stochastic"
    batch_size: int = 8
    shuffle: bool = False
    seed: int = 0
    init: str = "zeros"
    init_seed: int = 0
    w0: tuple[float, float] = (0.0, 0.0)
    b0: float = 0.0
    step: int = 0
    preset: str = ""

    def __post_init__(self):
        X, y = _checked_points(self.X, self.y)
        if self.init not in INITS:
            raise ValueError(f"init must be one of {', '.join(INITS)}, got {self.init!r}")
        w1, w2 = self.w0
        coerced = {"X": X, "y": y, "w0": (_coerced("w0", w1, float), _coerced("w0", w2, float))}
        for name, kind in _FIELD_TYPES.items():
            coerced[name] = _coerced(name, getattr(self, name), kind)
        for name, value in coerced.items():
            object.__setattr__(self, name, value)

    def __eq__(self, other):
        if not isinstance(other, Scenario):
            return NotImplemented
        return (
            np.array_equal(self.X, other.X)
            and np.array_equal(self.y, other.y)
            and (self._settings() == other._settings())
        )

    def __hash__(self):
        return hash((self.X.tobytes(), self.y.tobytes(), self._settings()))

    def _settings(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self) if f.name not in ("X", "y"))

    def initial_weights(self) -> tuple[np.ndarray, float]:
        """Starting weights ``w`` of shape ``(2,)`` and bias ``b`` chosen by ``init``.

        "random" draws ``normal(0, 0.5)`` from ``default_rng(init_seed)``, rounded to
        3 decimals, so the same seed always gives the same start.
        """
        if self.init == "random":
            rng = np.random.default_rng(self.init_seed)
            w1, w2, b = np.round(rng.normal(0.0, RANDOM_INIT_SCALE, 3), RANDOM_INIT_DECIMALS)
            return np.array([w1, w2]) + 0.0, float(b) + 0.0
        if self.init == "custom":
            return np.array(self.w0), self.b0
        return np.zeros(2), 0.0

    def train_config(self) -> TrainConfig:
        """The TrainConfig for these settings; raises ValueError if one is invalid."""
        w, b = self.initial_weights()
        return TrainConfig(
            learning_rate=self.learning_rate,
            epochs=self.epochs,
            mode=self.mode,
            batch_size=self.batch_size,
            shuffle=self.shuffle,
            seed=self.seed,
            w0=(float(w[0]), float(w[1])),
            b0=b,
        )

    def n_updates(self) -> int:
        """How many weight updates training these points with these settings makes."""
        return count_updates(len(self.y), self.train_config())

    def replace(self, **changes: Any) -> "Scenario":
        """A copy with the given fields changed (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)

    def with_points(self, X: np.ndarray, y: np.ndarray) -> "Scenario":
        """A copy with new points ``X`` ``(n, 2)`` and labels ``y`` ``(n,)``."""
        return self.replace(X=X, y=y)


_FIELD_TYPES: dict[str, type] = {
    "learning_rate": float,
    "epochs": int,
    "mode": str,
    "batch_size": int,
    "shuffle": bool,
    "seed": int,
    "init": str,
    "init_seed": int,
    "b0": float,
    "step": int,
    "preset": str,
}
# What each field type accepts; numpy scalars become plain Python values, so that a
# link writes "0.5" and not "np.float64(0.5)".
_ACCEPTED = {
    int: (numbers.Integral, "a whole number"),
    float: (numbers.Real, "a number"),
    bool: ((bool, np.bool_), "True or False"),
    str: (str, "a string"),
}


def _coerced(name: str, value: Any, kind: type) -> Any:
    accepted, words = _ACCEPTED[kind]
    if not isinstance(value, accepted):
        raise ValueError(f"{name} must be {words}, got {value!r}")
    return kind(value)


def _checked_points(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Read-only float64 copies of ``X`` ``(n, 2)`` and ``y`` ``(n,)``, validated.

    Raises ValueError naming the problem: wrong shapes, labels other than 0/1,
    non-finite coordinates, more than MAX_POINTS points or a coordinate beyond
    MAX_ABS_COORDINATE.
    """
    X = np.array(X, dtype=np.float64).reshape(-1, 2) if np.size(X) == 0 else np.array(X, float)
    y = np.array(y, dtype=np.float64).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"y must hold one label per point: {len(y)} labels for {len(X)} points")
    if len(X) > MAX_POINTS:
        raise ValueError(f"at most {MAX_POINTS:,} points are allowed, got {len(X):,}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"labels must be 0 or 1, got {sorted(set(y.tolist()) - {0.0, 1.0})}")
    if not np.all(np.isfinite(X)):
        raise ValueError("every coordinate must be a finite number")
    if len(X) and np.abs(X).max() > MAX_ABS_COORDINATE:
        raise ValueError(
            f"coordinates must lie within ±{MAX_ABS_COORDINATE:g}, got {np.abs(X).max():g}"
        )
    X, y = X + 0.0, y + 0.0  # "+ 0.0" turns -0.0 into 0.0, so equal points hash equal
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


@functools.cache
def _default_points() -> tuple[np.ndarray, np.ndarray]:
    X, y = make_dataset(DEFAULT_PRESET, n=DEFAULT_N_POINTS, seed=DEFAULT_POINTS_SEED)
    return _checked_points(X, y)


def default_scenario() -> Scenario:
    """The state at first start: 20 points of the "separable" preset and default settings."""
    X, y = _default_points()
    return Scenario(X, y, preset=DEFAULT_PRESET)


# ---------------------------------------------------------------------------------------
# Points packing: header byte, then a body that is zlib-compressed when that is shorter.
#
#   header  bits 7-4: layout (1)  bit 3: body is zlib-compressed  bits 2-0: decimals d
#   body    varint n                       (nothing follows when n == 0)
#           varint zigzag(min of x·10^d), varint zigzag(min of y·10^d)
#           byte wx, byte wy               bit widths of the offsets from those minima
#           bit stream, big-endian, zero-padded to whole bytes:
#             n labels (1 bit each), then n x offsets (wx bits each), then n y offsets
#
# Points in [-5, 5] with 3 decimals need 14 bits per coordinate, so 200 of the
# "overlapping" preset pack to 979 characters (delta-coded varints plus zlib: ~1,100).
# ---------------------------------------------------------------------------------------

_PTS_LAYOUT = 1
# Coordinates within ±MAX_ABS_COORDINATE at MAX_DECIMALS, as integers, and the bits
# their offsets from the minimum can need.
_MAX_SCALED = int(MAX_ABS_COORDINATE) * 10**MAX_DECIMALS
_MAX_WIDTH = (2 * _MAX_SCALED).bit_length()
# Largest body a valid link can hold (n varint, two minima, widths, bits), with room to
# spare; inflating stops here, so a small "zip bomb" cannot fill the memory.
_MAX_BODY_BYTES = 32_768
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def pack_points(X: np.ndarray, y: np.ndarray) -> str:
    """Pack points ``X`` ``(n, 2)`` and labels ``y`` ``(n,)`` into a URL-safe string.

    Exact for coordinates with at most 6 decimals (it uses the fewest decimals that
    reproduce every coordinate); finer coordinates are rounded to 6 decimals.
    """
    X, y = _checked_points(X, y)
    d = _decimals_needed(X)
    body = _pack_body(np.round(X * 10.0**d).astype(np.int64), y)
    compressed = zlib.compress(body, 9)
    use_zlib = len(compressed) < len(body)
    header = bytes([_PTS_LAYOUT << 4 | use_zlib << 3 | d])
    payload = header + (compressed if use_zlib else body)
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")


def unpack_points(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Points ``X`` ``(n, 2)`` and labels ``y`` ``(n,)`` from ``pack_points`` output.

    Raises ValueError whose message says in plain words what is wrong with ``text``.
    """
    if len(text) > MAX_PTS_CHARS:
        raise ValueError(f"{len(text):,} characters, more than the {MAX_PTS_CHARS:,} allowed")
    data = _base64url_decode(text)
    if not data:
        raise ValueError("nothing in it")
    layout, use_zlib, d = data[0] >> 4, data[0] >> 3 & 1, data[0] & 7
    if layout != _PTS_LAYOUT:
        raise ValueError(f"unknown points layout {layout}")
    if d > MAX_DECIMALS:
        raise ValueError(f"{d} decimals, more than {MAX_DECIMALS}")
    k, y = _unpack_body(_inflate(data[1:]) if use_zlib else data[1:])
    X = k / 10.0**d
    if len(X) and np.abs(X).max() > MAX_ABS_COORDINATE:
        raise ValueError(f"a coordinate lies beyond ±{MAX_ABS_COORDINATE:,.0f}")
    return _checked_points(X, y)


def _decimals_needed(X: np.ndarray) -> int:
    for d in range(MAX_DECIMALS):
        scale = 10.0**d
        if np.array_equal(np.round(X * scale) / scale, X):
            return d
    return MAX_DECIMALS


def _pack_body(k: np.ndarray, y: np.ndarray) -> bytes:
    if len(k) == 0:
        return _varint(0)
    low = k.min(axis=0)
    offsets = k - low
    widths = [int(offsets[:, i].max()).bit_length() for i in (0, 1)]
    bits = np.concatenate(
        [y.astype(np.uint8), _to_bits(offsets[:, 0], widths[0]), _to_bits(offsets[:, 1], widths[1])]
    )
    head = _varint(len(k)) + _varint(_zigzag(int(low[0]))) + _varint(_zigzag(int(low[1])))
    return head + bytes(widths) + np.packbits(bits).tobytes()


def _unpack_body(body: bytes) -> tuple[np.ndarray, np.ndarray]:
    reader = _ByteReader(body)
    n = reader.varint()
    if n > MAX_POINTS:
        raise ValueError(f"{n:,} points, more than the {MAX_POINTS:,} allowed")
    if n == 0:
        reader.expect_end()
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    low = [_unzigzag(reader.varint()), _unzigzag(reader.varint())]
    widths = reader.take(2)
    if max(widths) > _MAX_WIDTH or max(abs(low[0]), abs(low[1])) > _MAX_SCALED:
        raise ValueError("a coordinate is out of range")
    bits = np.unpackbits(np.frombuffer(reader.take(math.ceil(n * (1 + sum(widths)) / 8)), np.uint8))
    reader.expect_end()
    x_end = n + n * widths[0]
    x = low[0] + _from_bits(bits[n:x_end], widths[0], n)
    y = low[1] + _from_bits(bits[x_end : x_end + n * widths[1]], widths[1], n)
    return np.column_stack([x, y]), bits[:n].astype(np.float64)


def _to_bits(values: np.ndarray, width: int) -> np.ndarray:
    """Each value as ``width`` bits, most significant first."""
    shifts = np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] >> shifts) & 1).astype(np.uint8).ravel()


def _from_bits(bits: np.ndarray, width: int, n: int) -> np.ndarray:
    shifts = np.arange(width - 1, -1, -1, dtype=np.int64)
    return (bits.reshape(n, width).astype(np.int64) << shifts).sum(axis=1)


def _varint(value: int) -> bytes:
    """LEB128: 7 bits per byte, least significant first, high bit set on all but the last."""
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _zigzag(value: int) -> int:
    """0, -1, 1, -2, ... to 0, 1, 2, 3, ...: small negatives stay short varints."""
    return 2 * value if value >= 0 else -2 * value - 1


def _unzigzag(value: int) -> int:
    return value >> 1 if value % 2 == 0 else -(value >> 1) - 1


class _ByteReader:
    """Reads a body front to back; running short raises ValueError."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, count: int) -> bytes:
        if self.pos + count > len(self.data):
            raise ValueError("cut short")
        self.pos += count
        return self.data[self.pos - count : self.pos]

    def varint(self) -> int:
        value = 0
        for shift in range(0, 64, 7):
            byte = self.take(1)[0]
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
        raise ValueError("a number in it is too long")

    def expect_end(self) -> None:
        if self.pos != len(self.data):
            raise ValueError("extra data at the end")


def _base64url_decode(text: str) -> bytes:
    if not _BASE64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not valid base64url text")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(data, _MAX_BODY_BYTES)
    except zlib.error:
        raise ValueError("the compressed data is broken") from None
    if inflater.unconsumed_tail or inflater.unused_data or not inflater.eof:
        raise ValueError("the compressed data is broken or too large")
    return body


# ---------------------------------------------------------------------------------------
# Settings: one row per URL key. A reader turns the text of a parameter into a value and,
# when it had to fall back or clamp, a note in plain words.
# ---------------------------------------------------------------------------------------

_Reader = Callable[[str, "_Setting"], tuple[Any, str | None]]

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_WHOLE = re.compile(r"[+-]?[0-9]+")
# Only these characters of a bad value are echoed in a note, so a note is safe to show
# as Markdown or HTML whatever the link holds.
_ECHOED = re.compile(r"[^A-Za-z0-9.+\- ]")
_ECHO_CHARS = 20


@dataclass(frozen=True)
class _Setting:
    attr: str  # Scenario field, or "w1"/"w2" for the two halves of w0
    label: str
    default: Any
    read: _Reader
    write: Callable[[Any], str]


def _write_float(value: float) -> str:
    text = repr(float(value))
    return text.removesuffix(".0")


def _echo(text: str) -> str:
    """``text`` quoted for a note: cut short, odd characters shown as '?'."""
    shown = _ECHOED.sub("?", text[:_ECHO_CHARS])
    return f"'{shown}…'" if len(text) > _ECHO_CHARS else f"'{shown}'"


def _fallback(setting: _Setting, text: str, problem: str, value: Any) -> tuple[Any, str]:
    """``value``, and the note "The <label> '<text>' is <problem>; using <value>."."""
    return value, f"The {setting.label} {_echo(text)} is {problem}; using {setting.write(value)}."


def _number(low: float | None, high: float | None, whole: bool = False) -> _Reader:
    """A reader of decimal (or whole) numbers, clamped to [low, high] (None: unbounded)."""
    pattern, kind, parse = (_WHOLE, "whole number", int) if whole else (_DECIMAL, "number", float)

    def read(text: str, setting: _Setting) -> tuple[Any, str | None]:
        if not pattern.fullmatch(text.strip()):
            return _fallback(setting, text, f"not a {kind}", setting.default)
        value = parse(text.strip())
        if low is not None and value < low:
            return _fallback(
                setting, text, f"below the smallest allowed, {setting.write(low)}", low
            )
        if high is not None and value > high:
            return _fallback(
                setting, text, f"above the largest allowed, {setting.write(high)}", high
            )
        return value, None

    return read


def _choice(names: Mapping[str, Any]) -> _Reader:
    """A reader of one of ``names`` (case-insensitive), each mapped to its value."""

    def read(text: str, setting: _Setting) -> tuple[Any, str | None]:
        key = text.strip().lower()
        if key not in names:
            return _fallback(setting, text, f"not one of {', '.join(names)}", setting.default)
        return names[key], None

    return read


def _read_preset(text: str, setting: _Setting) -> tuple[str, str | None]:
    # Informational only; an unknown name is dropped rather than shown as the default's.
    name = text.strip().lower()
    if name and name not in PRESETS:
        return "", f"The preset name {_echo(text)} is unknown; leaving it out."
    return name, None


_MODE_NAMES = {"point": "stochastic", "batch": "batch", "mini": "minibatch"}
_MODE_ALIASES = {**_MODE_NAMES, **{mode: mode for mode in MODES}}
_MODE_SHORT = {mode: name for name, mode in _MODE_NAMES.items()}
_BOOLEANS = {"0": False, "1": True, "false": False, "true": True}


def _write_mode(mode: str) -> str:
    return _MODE_SHORT.get(mode, mode)


# Version 1's keys and defaults; frozen, so that every v1 link keeps its meaning.
_V1_SETTINGS: dict[str, _Setting] = {
    "lr": _Setting(
        "learning_rate",
        "learning rate",
        0.1,
        _number(MIN_LEARNING_RATE, MAX_LEARNING_RATE),
        _write_float,
    ),
    "ep": _Setting("epochs", "number of epochs", 20, _number(1, MAX_EPOCHS, True), str),
    "mode": _Setting("mode", "training mode", "stochastic", _choice(_MODE_ALIASES), _write_mode),
    "bs": _Setting("batch_size", "batch size", 8, _number(1, MAX_POINTS, True), str),
    "shuf": _Setting(
        "shuffle", "shuffle setting", False, _choice(_BOOLEANS), lambda v: str(int(v))
    ),
    "seed": _Setting("seed", "shuffle seed", 0, _number(0, MAX_SEED, True), str),
    "init": _Setting("init", "starting weights", "zeros", _choice({i: i for i in INITS}), str),
    "iseed": _Setting(
        "init_seed", "seed of the random starting weights", 0, _number(0, MAX_SEED, True), str
    ),
    "w1": _Setting(
        "w1",
        "starting weight w1",
        0.0,
        _number(-MAX_ABS_INITIAL_PARAMETER, MAX_ABS_INITIAL_PARAMETER),
        _write_float,
    ),
    "w2": _Setting(
        "w2",
        "starting weight w2",
        0.0,
        _number(-MAX_ABS_INITIAL_PARAMETER, MAX_ABS_INITIAL_PARAMETER),
        _write_float,
    ),
    "b": _Setting(
        "b0",
        "starting bias b",
        0.0,
        _number(-MAX_ABS_INITIAL_PARAMETER, MAX_ABS_INITIAL_PARAMETER),
        _write_float,
    ),
    # The step's upper bound is the number of updates, known only once all is read.
    "k": _Setting("step", "step", 0, _number(0, None, True), str),
    "pre": _Setting("preset", "preset name", DEFAULT_PRESET, _read_preset, str),
}


# Every query parameter a scenario link may hold; the app's own parameters use other keys.
PARAM_KEYS = frozenset({"v", *_V1_SETTINGS, "pts"})


def _flat_settings(s: Scenario) -> dict[str, Any]:
    """The scenario's settings by field name, with w0 split into w1 and w2."""
    flat = {f.name: getattr(s, f.name) for f in fields(s) if f.name not in ("X", "y", "w0")}
    return {**flat, "w1": s.w0[0], "w2": s.w0[1]}


def scenario_to_params(s: Scenario) -> dict[str, str]:
    """The query parameters of a link to ``s``: settings equal to the default are left out.

    Always holds the format version ``v`` and the packed points ``pts`` (see
    ``pack_points``; coordinates with more than 6 decimals are rounded to 6).
    """
    flat = _flat_settings(s)
    params = {"v": FORMAT_VERSION}
    for key, setting in _V1_SETTINGS.items():
        if flat[setting.attr] != setting.default:
            params[key] = setting.write(flat[setting.attr])
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
    values = _last_values(params)
    version = values.get("v", FORMAT_VERSION)
    decoder = _DECODERS.get(version.strip())
    if decoder is None:
        note = (
            f"This link uses format version {_echo(version)}, which this app cannot read; "
            "using the default points and settings."
        )
        return default_scenario(), [note]
    return decoder(values)


def _last_values(params: Mapping[str, Any]) -> dict[str, str]:
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
    flat = {}
    for key, setting in _V1_SETTINGS.items():
        flat[setting.attr], note = _read_setting(setting, values.get(key))
        notes += [note] if note else []
    X, y = _default_points()
    if "pts" in values:
        try:
            X, y = unpack_points(values["pts"])
        except ValueError as problem:
            notes.append(
                f"The points in the link are damaged ({problem}); using the default points."
            )
            flat["preset"] = DEFAULT_PRESET
    w0 = (flat.pop("w1"), flat.pop("w2"))
    scenario, limit_notes = _within_update_limits(Scenario(X, y, w0=w0, **flat))
    return scenario, notes + limit_notes


def _read_setting(setting: _Setting, text: str | None) -> tuple[Any, str | None]:
    if text is None:
        return setting.default, None
    if len(text) > MAX_VALUE_CHARS:
        using = f"using {setting.write(setting.default)}"
        return setting.default, f"The {setting.label} in the link is too long; {using}."
    return setting.read(text, setting)


def _within_update_limits(s: Scenario) -> tuple[Scenario, list[str]]:
    """Fewer epochs if training would exceed MAX_UPDATES or MAX_WORK; the step within."""
    notes = []
    per_epoch = updates_per_epoch(len(s.y), s.train_config())
    if per_epoch * s.epochs > MAX_UPDATES:
        epochs = max(1, MAX_UPDATES // per_epoch)
        notes.append(
            f"{len(s.y):,} points with {s.epochs:,} epochs would make "
            f"{per_epoch * s.epochs:,} updates, more than the {MAX_UPDATES:,} allowed; "
            f"using {epochs:,} epochs."
        )
        s = s.replace(epochs=epochs)
    if len(s.y) * s.epochs > MAX_WORK:
        epochs = max(1, MAX_WORK // len(s.y))
        notes.append(
            f"{len(s.y):,} points with {s.epochs:,} epochs would visit "
            f"{len(s.y) * s.epochs:,} points, more than the {MAX_WORK:,} allowed; "
            f"using {epochs:,} epochs."
        )
        s = s.replace(epochs=epochs)
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
