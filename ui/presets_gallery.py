"""The Data page's presets gallery: a card per preset with its points, what it teaches, the
settings it suggests (if any) and a button that loads it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from perceptron import PRESETS, Scenario, TrainConfig, make_dataset
from perceptron.datasets import COORD_LIMIT
from perceptron.settings import LOSS_LABELS, MODE_LABELS, rows_of
from ui import challenge, state
from ui.common import chart_config, class_markers, text_number
from ui.data_page import apply_preset
from ui.keys import PRESET_THUMB, PRESET_USE

GALLERY_COLUMNS = 3
# The start's fields: a preset that sets them sets "where descent starts" as one setting.
START_FIELDS = ("init", "init_seed", "w0", "b0")


@st.cache_data(show_spinner=False)
def preset_thumbnail(name: str) -> go.Figure:
    """A small static scatter of the preset's default points, by class colour and shape."""
    X, y = make_dataset(name)
    fig = go.Figure(class_markers(X, y, size=6, outline=0.5))
    axis = {
        "range": [-COORD_LIMIT - 0.3, COORD_LIMIT + 0.3],
        "showticklabels": False,
        "showgrid": False,
        "zeroline": True,
        "zerolinecolor": "rgba(127,127,127,0.5)",  # a faint cross in either theme
        "fixedrange": True,
    }
    fig.update_layout(
        height=190,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        showlegend=False,
        xaxis=axis,
        yaxis=axis | {"scaleanchor": "x"},
    )
    return fig


# ---------------------------------------------------------------- settings in words


def _start_words(config: TrainConfig) -> str:
    (w1, w2), b = config.start()
    return f"w1 = {text_number(w1)}, w2 = {text_number(w2)}, b = {text_number(b)}"


def _short(label: str) -> str:
    """A control's label in a sentence: "Log loss (cross-entropy)" → "log loss"."""
    return label.split(" (")[0].lower()


# How each setting's value reads: its name and its value in words.
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


def _groups(settings: Mapping[str, Any]) -> list[str]:
    """The settings a preset sets, in the order of ``_WORDS``; the start's fields as one."""
    fields = {"start" if f in START_FIELDS else f for f in settings}
    return [g for g in _WORDS if g in fields] + sorted(fields - set(_WORDS))


def _value(group: str, config: TrainConfig) -> str:
    if group in _WORDS:
        return _WORDS[group][1](config)
    return f"{getattr(config, group)}"


def _name(group: str) -> str:
    return _WORDS[group][0] if group in _WORDS else rows_of(group)[0].noun


def suggested_settings(name: str) -> str | None:
    """The settings preset ``name`` applies, in words, or None when it keeps the learner's."""
    settings = PRESETS[name].settings
    if not settings:
        return None
    config = TrainConfig(**settings)
    words = [_phrase(g, config) for g in _groups(settings)]
    return "**Its settings, loaded with it:** " + " · ".join(words)


def _phrase(group: str, config: TrainConfig) -> str:
    """One setting as a card lists it: "squared error", "α = 2", "25 epochs"."""
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


def setting_changes(name: str, before: TrainConfig, after: TrainConfig) -> list[str]:
    """What loading preset ``name`` changed, setting by setting: "loss: log loss → squared
    error"; empty when every setting it suggests was already in place."""
    return [
        f"{_name(g)}: {_value(g, before)} → {_value(g, after)}"
        for g in _groups(PRESETS[name].settings)
        if _value(g, before) != _value(g, after)
    ]


# ---------------------------------------------------------------- the gallery


def _use_preset(name: str) -> None:
    title = PRESETS[name].title
    before, refused = apply_preset(name)
    if refused:
        state.flash(f"“{title}” was not loaded. {refused}", "error")
        return
    n = len(state.scenario().y)
    if not PRESETS[name].settings:
        state.flash(f"Loaded “{title}”: {n:,} points. Undo brings the old ones back.", "success")
        return
    changes = setting_changes(name, before.config, state.scenario().config)
    settings = (
        "It also changed these settings — " + "; ".join(changes) + "."
        if changes
        else "Its settings were already in place."
    )
    state.flash(
        f"Loaded “{title}”: {n:,} points. {settings} Undo brings the old points back; the "
        "settings stay as they are now.",
        "success",
    )


def presets_gallery(s: Scenario) -> None:
    """Every preset as a card: thumbnail, what it teaches, and a button to use its points."""
    names = list(PRESETS)
    for start in range(0, len(names), GALLERY_COLUMNS):
        row = st.columns(GALLERY_COLUMNS)
        for column, name in zip(row, names[start : start + GALLERY_COLUMNS], strict=False):
            with column.container(border=True):
                _preset_card(name, s)


def _is_current(name: str, s: Scenario) -> bool:
    """The preset's points are the current ones, and so are the settings it suggests."""
    X, y = make_dataset(name)
    if not (np.array_equal(X, s.X) and np.array_equal(y, s.y)):
        return False
    suggested = TrainConfig(**PRESETS[name].settings)
    return all(_value(g, suggested) == _value(g, s.config) for g in _groups(PRESETS[name].settings))


def _preset_card(name: str, s: Scenario) -> None:
    preset = PRESETS[name]
    n = preset.default_n
    st.markdown(f"**{preset.title}** · {n:,} points")
    st.plotly_chart(
        preset_thumbnail(name),
        key=PRESET_THUMB + name,
        config=chart_config(displayModeBar=False, staticPlot=True),
        alt=f"The {preset.title} preset: class 0 as blue dots, class 1 as orange triangles.",
    )
    st.caption(preset.description)
    settings = suggested_settings(name)
    if settings:
        st.caption(settings)
    current = _is_current(name, s)
    st.button(
        "These are the current points" if current else "Use these points",
        key=PRESET_USE + name,
        on_click=_use_preset,
        args=(name,),
        disabled=current or challenge.locked("points"),
        type="secondary" if current else "primary",
        width="stretch",
    )
