"""Streamlit-side pieces shared by the pages: state, navigation, controls, the chart component.

Every page imports this package first. Importing the heavy libraries here, fully, makes
their first import happen once, under this package's import lock: plotly imports pandas
and its own submodules lazily, and two script threads importing them at the same moment
on a fresh server could otherwise see a partially initialised module ("partially
initialized module 'pandas' has no attribute 'Series'"). Our own core comes in the same
way: the ui modules import perceptron and its submodules from several places, and two
script threads entering it from two of them deadlocked on its import locks ("cannot import
name 'Scenario' from partially initialized module").
"""

import numpy
import pandas
import plotly.graph_objects
import plotly.io

import perceptron  # noqa: F401 - the whole core, once, before any ui module

# Building one figure touches plotly's lazily loaded validators, templates and JSON engine.
plotly.io.to_json(plotly.graph_objects.Figure(plotly.graph_objects.Scatter(x=[0], y=[0])))
pandas.DataFrame({"x": numpy.zeros(1)}).to_csv()
