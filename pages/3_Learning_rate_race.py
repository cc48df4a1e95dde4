"""Learning-rate race: several rates on the same points and start, judged side by side."""

import streamlit as st

from ui import page, race
from ui.common import has_points
from ui.controls import training_controls
from ui.state import scenario

page.start("Learning-rate race")
st.title("Learning-rate race")
st.markdown(
    "The learning rate α sets how far each update moves: w ← w − α·∂L/∂w. Too small and "
    "the loss crawls down; too large and the steps overshoot, so the loss bounces or even "
    "climbs. Race a few rates on your points and see which one wins, and how large α may be "
    "for them. Or race the log loss against squared error at one rate."
)
training_controls()
s = scenario()
if has_points(s):
    race.race(s)
page.finish()
