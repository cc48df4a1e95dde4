"""Streamlit-side pieces shared by the pages: state, navigation, controls, the chart component.

Every page's first import is of this package, and this package imports everything the
pages use: the heavy libraries, the core and every ui module. So on a fresh server one
script thread imports it all, in one order, while the others wait for the package as a
whole: threads that each entered modules on their own could deadlock on import locks.
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
    chain_rule,
    chart,
    common,
    contract,
    contributions,
    controls,
    data_page,
    derivation,
    figures,
    keys,
    landscape,
    landscape_figures,
    nav,
    numbers,
    page,
    payload,
    plain_tables,
    playground,
    plotly_asset,
    points_editor,
    points_files,
    presets_gallery,
    race,
    state,
    style,
)

# Streamlit collects all garbage after every script run: frozen, the ~120,000 objects these
# imports keep alive for the server's life are not walked each time (walking them would be
# most of the server's CPU per click; benchmarks/bench_browser.py measures it).
gc.freeze()

__all__ = [
    "chain_rule",
    "chart",
    "common",
    "contract",
    "contributions",
    "controls",
    "data_page",
    "derivation",
    "figures",
    "keys",
    "landscape",
    "landscape_figures",
    "nav",
    "numbers",
    "page",
    "payload",
    "plain_tables",
    "playground",
    "plotly_asset",
    "points_editor",
    "points_files",
    "presets_gallery",
    "race",
    "state",
    "style",
]
