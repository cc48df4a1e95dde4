"""What the pages besides the Playground share: the no-points guard, numbers in LaTeX and
in words, chart layout."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from perceptron import Scenario
from perceptron.formatting import SHOWN_DIGITS, fmt
from ui import style
from ui.style import CLASS_COLORS, CLASS_NAMES, CLASS_SYMBOLS


def has_points(s: Scenario) -> bool:
    """True if there are points to train on; otherwise say so and link to the Playground."""
    if len(s.y):
        return True
    st.info(
        "There are no points yet, so there is nothing to train on. Place a few points "
        "of each class (or load a preset) on the Playground, then come back."
    )
    st.page_link("app.py", label="Go to the Playground", icon=":material/scatter_plot:")
    return False


def layout(height: int, **extra) -> dict:
    """The layout of a chart Streamlit draws: ``style.base_layout`` in this run's look,
    ``height`` px (less in presenter mode), merged key by key with ``extra``."""
    return style.merged(style.base_layout(style.look(), height), extra)


def chart_config(**extra) -> dict:
    """The config of every ``st.plotly_chart``: its mode bar keeps the PNG download but has
    no "Share chart..." (Plotly.js's upload of the chart, the learner's data, to Plotly
    Cloud) and no Plotly logo. ``extra``: more Plotly config options."""
    remove = ["sendChartToCloud", *extra.pop("modeBarButtonsToRemove", [])]
    return {
        "displaylogo": False,
        "showSendToCloud": False,
        "modeBarButtonsToRemove": remove,
        **extra,
    }


def class_markers(
    X: np.ndarray, y: np.ndarray, size: float, outline: float, hover: bool = False
) -> list[go.Scatter]:
    """The points as one marker trace per class, in its colour and shape, outlined in white
    ``outline`` px; with ``hover`` a point shows its coordinates and class."""
    return [_class_marker(X[y == cls], cls, size, outline, hover) for cls in (0, 1)]


def _class_marker(pts: np.ndarray, cls: int, size: float, outline: float, hover: bool):
    name = CLASS_NAMES[cls]
    template = f"(%{{x:.3g}}, %{{y:.3g}})<extra>{name}</extra>"
    return go.Scatter(
        x=pts[:, 0],
        y=pts[:, 1],
        mode="markers",
        name=name,
        marker={
            "color": CLASS_COLORS[cls],
            "symbol": CLASS_SYMBOLS[cls],
            "size": size,
            "line": {"color": "#FFFFFF", "width": outline},
        },
        **({"hovertemplate": template} if hover else {"hoverinfo": "skip"}),
    )


def tex(v: float, digits: int = SHOWN_DIGITS) -> str:
    """``fmt(v)`` for LaTeX: e-notation as ×10^k, infinities as \\infty."""
    text = fmt(v, digits).replace("−∞", r"-\infty").replace("∞", r"\infty")
    if "e" in text and text != "nan":
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return r"\text{NaN}" if text == "nan" else text


def paren(v: float, digits: int = SHOWN_DIGITS) -> str:
    """``tex(v)`` in parentheses when negative, for substituting into a product."""
    text = tex(v, digits)
    return f"({text})" if v < 0 or text.startswith("-") else text


def agreement(analytic: float, numeric: float, resolves: int = 15) -> str:
    """How well a formula's value and its finite-difference estimate agree, in words.

    ``resolves``: the significant digits the estimate itself can be trusted to. Digits
    beyond those agree by luck, so no more are claimed.
    """
    if not (math.isfinite(analytic) and math.isfinite(numeric)):
        return "no finite difference possible here"
    if analytic == numeric:
        return f"identical, to all {resolves} significant digits this check resolves"
    scale = max(abs(analytic), abs(numeric))
    digits = math.floor(-math.log10(abs(analytic - numeric) / scale))
    if digits >= resolves:
        return f"agree to {resolves} significant digits, all this check resolves"
    if digits >= 1:
        return f"agree to {digits} significant digits; this check resolves about {resolves}"
    return f"differ by {fmt(abs(analytic - numeric))}: this check resolves about {resolves} digits"
