"""Challenges: ready challenges in the lecture's order, and a composer for your own."""

import streamlit as st

from ui import challenge_composer, challenge_gallery, page
from ui.controls import training_controls

page.start("Challenges")
st.title("Challenges")
st.markdown(
    "A challenge opens the Playground with its own points and settings, a one-line task and a "
    "goal that is checked as the learner works; the controls it fixes are locked. Its link "
    "holds all of it, so it opens the same way on any device, on a fresh server too."
)
training_controls()
challenge_gallery.gallery_section()
st.divider()
challenge_composer.composer_section()
page.finish()
