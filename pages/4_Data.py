"""Data: the points as an editable table, CSV files in and out, and the presets gallery."""

import streamlit as st

from ui import data_page, page, state
from ui.controls import training_controls

page.start("Data", ":material/table:")
st.title("Data: table, files, presets")
st.markdown(
    "The points the neuron trains on, shared with every page: a change here restarts the run "
    "at step 0 on the Playground. Edit them in the table, load or save a CSV file, take the "
    "run away as a NumPy script, or start again from a preset."
)
training_controls()
s = state.scenario()
st.markdown(data_page.summary(s))
data_page.undo_button()

table_column, files_column = st.columns([3, 2], gap="large")
# The file is read first, so that the table below already shows the points it loaded.
with files_column:
    st.subheader("Load a CSV file")
    data_page.upload_section(s)
with table_column:
    st.subheader("Edit the points")
    st.caption(
        "Click a cell to change it. Add a point with the + row at the bottom; delete one by "
        "ticking the box at its left and pressing the bin icon above the table."
    )
    data_page.points_editor(state.scenario())
with files_column:
    st.subheader("Download")
    data_page.downloads(state.scenario())

st.subheader("Presets")
st.caption("Each preset teaches one thing about a single neuron. A preset replaces the points.")
data_page.presets_gallery(state.scenario())
page.finish()
