"""The Data page's presets gallery: a card per preset with its points, what it teaches, the
settings it suggests (if any) and a button that loads it."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from perceptron import PRESETS, Scenario, TrainConfig, make_dataset
from perceptron.datasets import COORD_LIMIT
from perceptron.settings import described, setting_changes
from ui import challenge, state
from ui.common import chart_config, class_markers
from ui.data_page import apply_preset
from ui.keys import PRESET_THUMB, PRESET_USE

GALLERY_COLUMNS = 3


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


def suggested_settings(name: str) -> str | None:
    """The settings preset ``name`` applies, in words, or None when it keeps the learner's."""
    settings = PRESETS[name].settings
    if not settings:
        return None
    return "**Its settings, loaded with it:** " + described(TrainConfig(**settings), settings)


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
    changes = setting_changes(PRESETS[name].settings, before.config, state.scenario().config)
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
    settings = PRESETS[name].settings
    return not setting_changes(settings, s.config, TrainConfig(**settings))


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
