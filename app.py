"""Perceptron Playground: place points, train one neuron, and step through gradient descent."""

import streamlit as st

from ui import challenge, page, playground
from ui.controls import training_controls

HOW_TO = (
    "- **Place points:** pick *Class 0* or *Class 1* (keys 0 and 1) and click or tap "
    "anywhere in the chart. *Erase* (key E) removes the point you click. Undo and Clear "
    "work on the points. Placing points never moves the view: drag to pan (two fingers "
    "on a phone, where a pinch zooms), and *Fit view* fits it to the points. Without a "
    "mouse, Tab to the chart: the arrow keys move a crosshair (Shift: farther), Enter "
    "places a point there and Delete removes one.\n"
    "- **Train:** the settings in the sidebar define the run; "
    "any change restarts it at step 0.\n"
    "- **Step through it:** *Step* makes one update (Right arrow or a clicker's PageDown), "
    "*Back* undoes one (Left / PageUp), *Start* (Home) and *End* (End) go to the first and "
    "the last step, *Epoch* to the end of this epoch, the slider under the chart scrubs, "
    "and *Play* (or P) animates the run. Stepping happens in your browser, so it is "
    "instant; the address and the Share link catch up when you stop.\n"
    "- **Predict, or fit by hand:** above the chart, *Predict each step* asks what the next "
    "update will do before each Step (answer with ↑ or ↓, then Step to see why), and keeps "
    "score; *Fit it by hand* lets you drag the boundary's handles or the arrow w yourself "
    "(or, with the chart focused, turn it with ← →, shift it with ↑ ↓, scale w with + −), "
    "shows the loss and which way is downhill, and Step takes one gradient step from there.\n"
    "- **Read the charts:** the shading is ŷ, the probability of class 1; solid rings mark "
    "misclassified points and dashed rings undecided ones (ŷ = 0.5 exactly, on the "
    "boundary); the orange ring marks the point the current update used; the arrow is the "
    "weight vector w, which always points across the boundary toward ŷ > 0.5. The box "
    "beside the chart (under it on a phone) writes update k out with its numbers. A grey "
    "band on the loss, derivative and weight charts marks the steps where a run's rounding errors "
    "have outgrown the 4 digits shown (a learning rate too large for the points)."
)


def introduction() -> None:
    st.title("Perceptron Playground")
    page.explain(
        "One neuron, two inputs: **ŷ = σ(w1·x1 + w2·x2 + b)**. Click the chart to place "
        "points, then **Step** through gradient descent and watch the boundary (where ŷ = 0.5) "
        "move.",
        title="What is this?",
    )
    with st.expander("How to use this page", expanded=False):
        st.markdown(HOW_TO)


page.start("Playground")
training_controls()
if page.presenter() or challenge.current() is not None:
    # On a projector, or under a challenge's banner, the charts and the step buttons come
    # first; the rest waits below.
    playground.stepping_view()
    with st.expander("Points: undo, clear, presets", expanded=False):
        playground.point_tools()
    introduction()
else:
    introduction()
    playground.point_tools()
    playground.stepping_view()
page.finish()
