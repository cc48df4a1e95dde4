"""The Playground's chart component: four Plotly.js charts drawn by the browser.

Streamlit's own ``st.plotly_chart`` cannot report a click on empty chart space and
rebuilds the chart (losing zoom) whenever its data changes, so the data chart, the loss
curve, the derivatives and the weights are drawn by this Components v2 component instead
(see ui/component/ and the shared notes on click-to-place).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.keys import CHARTS
from ui.plotly_asset import ensure_plotly_js, plotly_js_url

_HERE = Path(__file__).resolve().parent

COMPONENT = _HERE / "component"
# The component's script, in this order: base.js holds what the others use, main.js the
# entry point (``export default``); each file is one job of the component.
JS_FILES = (
    "base.js",
    "layers.js",
    "charts.js",
    "pointer.js",
    "crosshair.js",
    "stepping.js",
    "play.js",
    "predict.js",
    "hand.js",
    "main.js",
)


def component_js() -> str:
    """The component's ES module: the files of ui/component/ joined in JS_FILES order."""
    return "\n".join((COMPONENT / name).read_text(encoding="utf-8") for name in JS_FILES)


_component = st.components.v2.component(
    "perceptron_playground.charts",
    html="",
    css=(COMPONENT / "chart.css").read_text(encoding="utf-8"),
    js=component_js(),
    # Plotly.js injects global CSS (drag cursors, hover labels) that a shadow root would hide.
    isolate_styles=False,
)


def charts(data: dict, *, key: str = CHARTS, **callbacks):
    """Mount the charts with ``data`` (figures, click ack, play frames) and return the result.

    What ``data`` holds and what the browser sends back is declared in ``ui.contract``.
    The browser reports the state values ``clicks`` (its queue of pending clicks) and
    ``view`` (the axis ranges after the learner panned or zoomed), and the triggers
    ``paused_at`` (stepping or Play paused at step k), ``key`` (0/1/E),
    ``history`` (the browser went Back/Forward to an address), ``fit`` (Fit view was
    pressed) and ``theme`` (the page shows another theme than ``data["theme"]``).
    ``callbacks`` are ``on_<name>=`` functions for each of them.
    """
    ensure_plotly_js()
    payload = dict(data, plotly_url=plotly_js_url())
    return _component(
        key=key,
        data=payload,
        default={"clicks": None, "view": None},
        **{f"{name}_change": fn for name, fn in callbacks.items()},
    )
