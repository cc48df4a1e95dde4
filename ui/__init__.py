"""Streamlit-side pieces shared by the pages: state, navigation, controls, the chart component.

Every page's first import is this package, and it imports the heavy libraries, the core and
every ui module, in one order. A fresh server's first visitors arrive on several script
threads at once; one import order makes them wait for each other rather than lock each
other out (tests/test_safety.py imports the pages from many threads at once).
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
    chain_rule_beyond,
    chain_rule_formulas,
    chain_rule_update,
    challenge,
    challenge_composer,
    challenge_gallery,
    challenge_share,
    chart,
    common,
    contract,
    contributions,
    controls,
    data_page,
    derivation,
    figures,
    hand_mode,
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
    predict_mode,
    presets_gallery,
    race,
    race_figures,
    race_runners,
    race_weights,
    state,
    style,
)

# Streamlit collects garbage after every script run (runner.postScriptGC), and a full
# collection walks every tracked object: the ~120,000 these imports leave alive for the
# server's life cost ~60 ms a run. Frozen, they are not walked; what runs leave still is.
gc.freeze()

__all__ = [
    "chain_rule",
    "chain_rule_beyond",
    "chain_rule_formulas",
    "chain_rule_update",
    "challenge",
    "challenge_composer",
    "challenge_gallery",
    "challenge_share",
    "chart",
    "common",
    "contract",
    "contributions",
    "controls",
    "data_page",
    "derivation",
    "figures",
    "hand_mode",
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
    "predict_mode",
    "presets_gallery",
    "race",
    "race_figures",
    "race_runners",
    "race_weights",
    "state",
    "style",
]
