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
    landscape,
    nav,
    page,
    playground,
    plotly_asset,
    race,
    state,
)

__all__ = [
    "chart",
    "common",
    "contract",
    "controls",
    "data_page",
    "derivation",
    "landscape",
    "nav",
    "page",
    "playground",
    "plotly_asset",
    "race",
    "state",
]
