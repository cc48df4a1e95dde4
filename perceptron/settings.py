"""Every training setting, declared once.

Each row of ``SETTINGS`` says what a setting is, its type, default and limits (with the
reason for them), its key in a shared link, and the label and help its control shows.
Everything else derives from this table: ``TrainConfig`` checks its fields with
``Setting.check``, ``perceptron.links`` reads and writes the link keys, the sidebar
(``ui.controls``) draws one control per row, and the exported script and the race take
the values from the ``TrainConfig``. ``described`` and ``setting_changes`` say settings in
words (a preset's, on its card and in the Playground's toast).

A new setting is a row here, a field of ``TrainConfig`` and the code that uses it. Its
default must reproduce the behaviour from before it existed: links made earlier lack its
key and get the default, and must keep their meaning.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from perceptron.formatting import text_number
from perceptron.limits import (
    MAX_ABS_INITIAL_PARAMETER,
    MAX_EPOCHS,
    MAX_L2,
    MAX_LEARNING_RATE,
    MAX_POINTS,
    MAX_SEED,
    MIN_LEARNING_RATE,
)

MODE_LABELS = {
    "stochastic": "Per point (as in the lecture)",
    "batch": "Full batch",
    "minibatch": "Mini-batch",
}
MODES = tuple(MODE_LABELS)
INIT_LABELS = {"zeros": "Zeros", "random": "Random", "custom": "Typed"}
INITS = tuple(INIT_LABELS)
LOSS_LABELS = {"log": "Log loss (cross-entropy)", "squared": "Squared error"}
LOSSES = tuple(LOSS_LABELS)

_KINDS = {
    bool: ((bool, np.bool_), "True or False"),
    int: (numbers.Integral, "a whole number"),
    float: (numbers.Real, "a number"),
    str: (str, "a string"),
}


def _always(config: Any) -> bool:
    return True


@dataclass(frozen=True)
class Setting:
    """One training setting: what it is, what it may be, and how people meet it.

    ``field`` is the ``TrainConfig`` field; a pair field (the starting weights ``w0``)
    has one row per element, told apart by ``index``. ``name`` is unique: it names the
    control. ``noun`` names it in a sentence
    ("The learning rate '2x' in the link is not a number"). ``choices`` maps each allowed
    value to the label its control shows; ``link_words`` the values to their shorter
    words in a link. ``control`` picks a particular kind of control ("" lets the value's
    type decide); ``shown_when`` says when the control is shown, from the config; ``step``
    is a number box's step.
    """

    name: str
    field: str
    kind: type
    default: Any
    link_key: str
    label: str
    noun: str
    help: str = ""
    low: float | None = None
    high: float | None = None
    reason: str = ""
    choices: Mapping[Any, str] | None = None
    link_words: Mapping[Any, str] | None = None
    index: int | None = None
    control: str = ""
    shown_when: Callable[[Any], bool] = _always
    step: float | None = None  # a number box's + and − step (None: 1 for whole numbers, else 0.1)

    def allowed(self) -> str:
        """The values this setting may take, in words: "a whole number from 1 to 10,000"."""
        if self.choices is not None:
            return "one of " + ", ".join(map(str, self.choices))
        words = _KINDS[self.kind][1]
        return words if self.low is None else f"{words} {self.limits()}"

    def limits(self) -> str:
        """The range of a number setting in words: "from 1 to 10,000"."""
        return f"from {_number(self.low)} to {_number(self.high)}"

    def check(self, value: Any) -> Any:
        """``value`` as this setting's type; ValueError "<field> must be ..., got ..." if not."""
        accepted = _KINDS[self.kind][0]
        ok = isinstance(value, accepted) and (self.kind is bool or not isinstance(value, bool))
        if ok and self.kind is float:
            ok = math.isfinite(value)
        if ok and self.low is not None:
            ok = self.low <= value <= self.high
        if ok and self.choices is not None:
            ok = value in self.choices
        if not ok:
            raise ValueError(f"{self.field} must be {self.allowed()}, got {value!r}")
        return self.kind(value)

    def value_in(self, config: Any) -> Any:
        """This setting's value in ``config`` (one element of a pair field)."""
        value = getattr(config, self.field)
        return value if self.index is None else value[self.index]


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def _minibatch(config: Any) -> bool:
    return config.mode == "minibatch"


def _shuffled(config: Any) -> bool:
    return config.shuffle


def _random_start(config: Any) -> bool:
    return config.init == "random"


def _typed_start(config: Any) -> bool:
    return config.init == "custom"


_SEED_REASON = "the seeds numpy's random generators take"
_START_REASON = (
    f"beyond ±{MAX_ABS_INITIAL_PARAMETER:g} σ is saturated at every point: nothing to learn"
)


def _start(name: str, field: str, index: int | None, key: str, symbol: str) -> Setting:
    return Setting(
        name,
        field,
        float,
        0.0,
        key,
        symbol,
        f"starting {'bias' if symbol == 'b' else 'weight'} {symbol}",
        low=-MAX_ABS_INITIAL_PARAMETER,
        high=MAX_ABS_INITIAL_PARAMETER,
        reason=_START_REASON,
        index=index,
        control="typed start",
        shown_when=_typed_start,
    )


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "learning_rate",
        "learning_rate",
        float,
        0.1,
        "lr",
        "Learning rate α (log scale)",
        "learning rate",
        "How far each update moves the weights: w ← w − α·∂L/∂w.",
        low=MIN_LEARNING_RATE,
        high=MAX_LEARNING_RATE,
        reason="below, steps barely move within the update limit; above, they only "
        "bounce between extremes",
        control="log slider",
    ),
    Setting(
        "epochs",
        "epochs",
        int,
        20,
        "ep",
        "Epochs (passes over all points)",
        "number of epochs",
        low=1,
        high=MAX_EPOCHS,
        reason="every preset converges, or shows it never will, well within this",
    ),
    Setting(
        "mode",
        "mode",
        str,
        "stochastic",
        "mode",
        "How updates are made",
        "training mode",
        "Per point: one update after each point, in order (the lecture's loop). "
        "Full batch: one update per epoch with the mean derivative over all points. "
        "Mini-batch: one update per group of points.",
        choices=MODE_LABELS,
        link_words={"stochastic": "point", "batch": "batch", "minibatch": "mini"},
    ),
    Setting(
        "batch_size",
        "batch_size",
        int,
        8,
        "bs",
        "Mini-batch size",
        "batch size",
        "Points per update. A size of n or more puts every point in one batch.",
        low=1,
        high=MAX_POINTS,
        reason="a batch holds at most every point",
        shown_when=_minibatch,
    ),
    Setting(
        "shuffle",
        "shuffle",
        bool,
        False,
        "shuf",
        "Shuffle the points each epoch",
        "shuffle setting",
        "Off: the points are visited in their order every epoch. On: each epoch visits "
        "them in a new random order, drawn from the seed.",
    ),
    Setting(
        "seed",
        "seed",
        int,
        0,
        "seed",
        "Shuffle seed",
        "shuffle seed",
        "The same seed gives the same orders, so a shared link replays the same run.",
        low=0,
        high=MAX_SEED,
        reason=_SEED_REASON,
        shown_when=_shuffled,
    ),
    Setting(
        "loss",
        "loss",
        str,
        "log",
        "loss",
        "Loss",
        "loss",
        "Log loss: −y ln ŷ − (1−y) ln(1−ŷ), as in the lecture; in its derivative ŷ(1−ŷ) "
        "cancels. Squared error: ½(ŷ − y)²; there ŷ(1−ŷ) stays, so a point the neuron is "
        "sure about but wrong on barely moves the weights.",
        choices=LOSS_LABELS,
        link_words={"log": "log", "squared": "sq"},
    ),
    Setting(
        "l2",
        "l2",
        float,
        0.0,
        "l2",
        "L2 regularisation λ",
        "L2 regularisation λ",
        "Adds (λ/2)(w1² + w2²) to the loss, so each update also pulls w1 and w2 towards 0 "
        "by α·λ·w; b is left alone. 0 switches it off.",
        low=0.0,
        high=MAX_L2,
        reason="above it, at the largest learning rate (100), each step would pull w past 0 "
        "by more than w itself (α·λ > 2) and the weights would grow without bound",
        step=0.001,
    ),
    Setting(
        "init",
        "init",
        str,
        "zeros",
        "init",
        "Starting weights",
        "starting weights",
        # No help text: its icon would be a 16 px target beside the options (WCAG 2.5.8).
        choices=INIT_LABELS,
        control="segmented",
    ),
    Setting(
        "init_seed",
        "init_seed",
        int,
        0,
        "iseed",
        "Seed for the random start",
        "seed of the random starting weights",
        low=0,
        high=MAX_SEED,
        reason=_SEED_REASON,
        shown_when=_random_start,
    ),
    _start("w1_0", "w0", 0, "w1", "w1"),
    _start("w2_0", "w0", 1, "w2", "w2"),
    _start("b_0", "b0", None, "b", "b"),
)

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}
# The fields that make the starting weights (``TrainConfig.start``), and their rows' names;
# a preset that sets them sets "where descent starts" as one setting.
START_FIELDS = ("init", "init_seed", "w0", "b0")
START_SETTINGS = tuple(setting.name for setting in SETTINGS if setting.field in START_FIELDS)


def rows_of(field: str) -> tuple[Setting, ...]:
    """The rows of one ``TrainConfig`` field: one, or one per element of a pair."""
    return tuple(setting for setting in SETTINGS if setting.field == field)


def checked_field(field: str, value: Any) -> Any:
    """A ``TrainConfig`` field's value checked by its rows (a pair as a tuple of floats)."""
    rows = rows_of(field)
    if rows[0].index is None:
        return rows[0].check(value)
    parts = tuple(value) if isinstance(value, tuple | list | np.ndarray) else ()
    try:
        if len(parts) != len(rows):
            raise ValueError
        return tuple(row.check(part) for row, part in zip(rows, parts, strict=True))
    except ValueError:
        words = f"{len(rows)} {_KINDS[rows[0].kind][1].removeprefix('a ')}s {rows[0].limits()}"
        raise ValueError(f"{field} must be {words}, got {value!r}") from None


# ---------------------------------------------------------------- settings in words


def _start_words(config: Any) -> str:
    (w1, w2), b = config.start()
    return f"w1 = {text_number(w1)}, w2 = {text_number(w2)}, b = {text_number(b)}"


def _short(label: str) -> str:
    """A control's label in a sentence: "Log loss (cross-entropy)" → "log loss"."""
    return label.split(" (")[0].lower()


# How each setting reads: its name, and its value in words (from a ``TrainConfig``).
_WORDS = {
    "loss": ("loss", lambda c: _short(LOSS_LABELS[c.loss])),
    "mode": ("updates", lambda c: _short(MODE_LABELS[c.mode])),
    "learning_rate": ("learning rate", lambda c: f"α = {c.learning_rate:g}"),
    "epochs": ("epochs", lambda c: f"{c.epochs:,}"),
    "batch_size": ("batch size", lambda c: f"{c.batch_size:,}"),
    "shuffle": ("shuffle", lambda c: "on" if c.shuffle else "off"),
    "seed": ("shuffle seed", lambda c: str(c.seed)),
    "l2": ("L2 regularisation", lambda c: f"λ = {c.l2:g}" if c.l2 else "off (λ = 0)"),
    "start": ("start", _start_words),
}


def _groups(fields: Iterable[str]) -> list[str]:
    """``TrainConfig`` fields as the settings they make, in the order of ``_WORDS``; the
    start's fields as one, "start"."""
    named = {"start" if f in START_FIELDS else f for f in fields}
    return [g for g in _WORDS if g in named] + sorted(named - set(_WORDS))


def _value(group: str, config: Any) -> str:
    if group in _WORDS:
        return _WORDS[group][1](config)
    return f"{getattr(config, group)}"


def _name(group: str) -> str:
    return _WORDS[group][0] if group in _WORDS else rows_of(group)[0].noun


def _phrase(group: str, config: Any) -> str:
    """One setting as a list of settings says it: "squared error", "α = 2", "25 epochs"."""
    if group in ("loss", "learning_rate"):
        return _value(group, config)
    if group == "mode":
        return _value(group, config) + (
            f" of {config.batch_size:,}" if config.mode == "minibatch" else ""
        )
    if group == "epochs":
        return f"{config.epochs:,} epochs"
    if group == "l2":
        return f"L2 penalty λ = {config.l2:g}" if config.l2 else "no L2 penalty"
    if group == "start":
        return f"start at {_start_words(config)}"
    return f"{_name(group)} {_value(group, config)}"


def described(config: Any, fields: Iterable[str]) -> str:
    """The settings ``fields`` (``TrainConfig`` field names, e.g. those a preset sets) of
    the ``TrainConfig`` ``config`` in words, in the table's order: "squared error · full
    batch · α = 2 · 25 epochs · no L2 penalty · start at w1 = −3, w2 = 0, b = 0"."""
    return " · ".join(_phrase(g, config) for g in _groups(fields))


def setting_changes(fields: Iterable[str], before: Any, after: Any) -> list[str]:
    """How the settings ``fields`` differ from the ``TrainConfig`` ``before`` to ``after``,
    setting by setting: "loss: log loss → squared error"; empty when they read the same."""
    return [
        f"{_name(g)}: {_value(g, before)} → {_value(g, after)}"
        for g in _groups(fields)
        if _value(g, before) != _value(g, after)
    ]
