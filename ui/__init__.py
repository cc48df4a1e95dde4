"""Streamlit-side pieces shared by the pages: state, navigation, controls, the chart component.

Every page's first import is of this package (``from ui import ...``), and this package
imports everything the pages use: the heavy libraries, the core and every ui module. So
on a fresh server, whose first visitors' script threads arrive together, one thread
imports it all, in one order, while the others wait for this package as a whole. Threads
that each entered modules on their own instead took module locks in different orders:
they deadlocked, or were handed a partially initialised module ("cannot import name
'Scenario' from partially initialized module", "partially initialized module 'pandas'
has no attribute 'Series'").
"""

import gc

import numpy
import pandas
import plotly.graph_objects
import plotly.io

import perceptron  # noqa: F401 - the whole core, once, before any ui module

# Building one figure touches plotly's lazily loaded validators, templates and JSON engine.
plotly.io.to_json(plotly.graph_objects.Figure(plotly.graph_objects.Scatter(x=[0], y=[0])))
pandas.DataFrame({"x": numpy.zeros(1)}).to_csv()

from ui import (  # noqa: E402 - after the libraries they use
    chart,
    common,
    contract,
    controls,
    data_page,
    derivation,
    figures,
    keys,
    landscape,
    nav,
    numbers,
    page,
    payload,
    playground,
    plotly_asset,
    race,
    state,
    style,
)

# Streamlit collects garbage after every script run (runner.postScriptGC): a full collection
# walks every tracked object, and the ~120,000 that these imports leave alive for the life of
# the server made it most of the server's CPU per click (about 60 ms per run here; a click
# runs the script twice). Freezing them keeps the per-run collection, for what a run leaves
# behind, at about 1 ms (benchmarks/bench_browser.py: server CPU per click).
gc.freeze()

__all__ = [
    "chart",
    "common",
    "contract",
    "controls",
    "data_page",
    "derivation",
    "figures",
    "keys",
    "landscape",
    "nav",
    "numbers",
    "page",
    "payload",
    "playground",
    "plotly_asset",
    "race",
    "state",
    "style",
]
