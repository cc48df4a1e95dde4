"""The Playground's chart component: four Plotly.js charts drawn by the browser.

Streamlit's own ``st.plotly_chart`` cannot report a click on empty chart space and
rebuilds the chart (losing zoom) whenever its data changes, so the data chart, the loss
curve, the derivatives and the weights are drawn by this Components v2 component instead
(see ui/playground_chart.js and shared notes on click-to-place).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.keys import CHARTS
from ui.plotly_asset import ensure_plotly_js, plotly_js_url

_HERE = Path(__file__).resolve().parent

CSS = """
.pp-root { display: grid; grid-template-columns: minmax(0, 7fr) minmax(0, 5fr); gap: 0.75rem; }
@media (max-width: 900px) { .pp-root { grid-template-columns: minmax(0, 1fr); } }
.pp-plot { position: relative; }
.pp-main { width: 100%; cursor: crosshair; position: relative; z-index: 2; }
.pp-data .pp-shade, .pp-data .pp-under { position: absolute; left: 0; top: 0; z-index: 1; }
.pp-data .pp-under, .pp-data .pp-rings, .pp-data .pp-clicks { width: 100%; height: 100%; }
.pp-data .pp-shade { width: 100%; height: 100%; pointer-events: none; }
.pp-data .pp-under { pointer-events: none; overflow: hidden; }
.pp-data .pp-rings, .pp-data .pp-clicks, .pp-data .pp-cross {
  position: absolute; left: 0; top: 0; z-index: 3; pointer-events: none; overflow: hidden;
  width: 100%; height: 100%;
}
.pp-main:focus-visible { outline: 3px solid #E69F00; outline-offset: 3px; }
.pp-main:focus:not(:focus-visible) { outline: none; }
.pp-note {
  position: absolute; top: 0.6rem; left: 50%; transform: translateX(-50%); z-index: 4;
  background: var(--st-background-color, #fff); color: var(--st-text-color, #1b1f24);
  opacity: 0.92; padding: 0.2rem 0.6rem; border-radius: 0.4rem; pointer-events: none;
  font-size: 0.95rem; text-align: center; box-sizing: border-box;
}
.pp-presenter .pp-note { font-size: 1.2rem; }
.pp-probe {
  position: absolute; left: 56px; bottom: 50px; z-index: 4; pointer-events: none;
  font-size: 0.8rem; color: var(--st-text-color, #1b1f24);
  background: var(--st-background-color, #fff); opacity: 0.85; padding: 0 0.3rem;
  font-variant-numeric: tabular-nums;
}
/* A touch screen: one finger scrolls the page, two pan and zoom the chart (our handler). */
.pp-coarse .pp-main, .pp-coarse .pp-main .nsewdrag { touch-action: pan-x pan-y; }
.pp-probe:empty { display: none; }
.pp-overlay {
  position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; overflow: visible;
}
.pp-main .nsewdrag { cursor: crosshair !important; }
.pp-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.75rem; }
.pp-button {
  font: inherit; font-size: 1rem; padding: 0.35rem 0.9rem; border-radius: 0.5rem;
  display: inline-flex; align-items: center; gap: 0.4rem; min-height: 2.5rem; cursor: pointer;
  border: 1px solid var(--st-border-color, #ccc); background: transparent;
  color: var(--st-text-color, #1b1f24);
}
.pp-button svg { width: 1em; height: 1em; }
.pp-play { border-color: #0072B2; background: #0072B2; color: #fff; }
.pp-button:disabled { opacity: 0.45; cursor: not-allowed; }
.pp-button:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }
.pp-presenter .pp-button { font-size: 1.3rem; }
.pp-status { font-variant-numeric: tabular-nums; }
/* Read by screen readers, not shown: the charts' descriptions and the update narration. */
.pp-sr {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; margin: 0;
}
.pp-legend {
  display: flex; flex-wrap: wrap; gap: 0.1rem 0.7rem; font-size: 0.85rem;
}
.pp-presenter .pp-legend { font-size: 1.15rem; }
.pp-numbers {
  min-height: 8.7em; font-size: 0.9rem; line-height: 1.4; padding: 0.4rem 0.6rem;
  border: 1px solid var(--st-border-color, rgba(128, 128, 128, 0.4)); border-radius: 0.5rem;
  margin-bottom: 0.4rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere;
}
.pp-numbers p { margin: 0 0 0.15rem 0; }
.pp-presenter .pp-numbers { font-size: 1.1rem; }
.pp-legend-item { display: inline-flex; align-items: center; gap: 0.35rem; white-space: nowrap; }
.pp-stepbar { display: flex; gap: 0.4rem; margin-bottom: 0.35rem; }
.pp-step { flex: 1 1 0; justify-content: center; min-width: 2.75rem; }
.pp-primary { border-color: #0072B2; background: #0072B2; color: #fff; }
/* The scrubber keeps its size whatever its label says ("No run yet", k of K): a label
   that grew would move the chart under the learner's next click. */
.pp-scrub-row {
  display: flex; flex: 1 1 20rem; align-items: center; gap: 0.6rem;
  font-size: 0.9rem; font-variant-numeric: tabular-nums;
}
.pp-scrub-label {
  white-space: nowrap; flex: 0 0 13.5em; overflow: hidden; text-overflow: ellipsis;
}
.pp-scrub { flex: 1 1 auto; min-width: 6rem; accent-color: #0072B2; height: 1.5rem; }
.pp-presenter .pp-scrub-row { font-size: 1.15rem; }
.pp-numbers.pp-stale { opacity: 0.6; }
/* A phone: the step buttons show their icons only (their names stay for screen readers),
   so the buttons and the chart fit on the screen together; the numbers go below. */
@media (max-width: 640px) {
  .pp-step span {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
    white-space: nowrap;
  }
  .pp-step.pp-primary span { position: static; width: auto; height: auto; clip-path: none; }
  .pp-step { padding-left: 0.25rem; padding-right: 0.25rem; }
  .pp-scrub-row { flex-basis: 100%; }
}
.pp-legend-item svg { width: 1.1em; height: 1.1em; }
"""

_component = st.components.v2.component(
    "perceptron_playground.charts",
    html="",
    css=CSS,
    js=(_HERE / "playground_chart.js").read_text(encoding="utf-8"),
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
