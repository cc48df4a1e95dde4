"""Loss landscape: the mean loss over the weights, the run's path on it, a new start."""

import streamlit as st

from ui import landscape, page
from ui.common import has_points
from ui.controls import training_controls
from ui.state import history, scenario

page.start("Loss landscape")
st.title("The loss landscape")
st.markdown(
    "Every choice of weights gives one value of the mean loss L. Drawn over all choices, "
    "L is a landscape, and gradient descent walks downhill on it: each update steps "
    "against the gradient, across the contour lines. Here is that landscape for your points, "
    "with the path your run took: for the loss chosen in the sidebar, plus the L2 penalty "
    "when λ > 0."
)
training_controls()
s = scenario()
if has_points(s):
    landscape.seed_start(s)
    landscape.views(s, history(s))
    landscape.start_controls()
page.finish()
