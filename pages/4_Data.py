"""Data: the points as an editable table, CSV files in and out, and the presets gallery."""

import streamlit as st

from ui import data_page, page, state
from ui.controls import training_controls
from ui.plain_tables import plain_tables
from ui.points_editor import points_editor
from ui.points_files import downloads, upload_section
from ui.presets_gallery import presets_gallery

page.start("Data")
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
with table_column:
    st.header("Edit the points")
    st.caption(
        "Click a cell and type to change it. The **+** above the table (or the empty last row) "
        "adds a point; tick rows at the left, then the bin above the table deletes them."
    )
    points_editor(s)
with files_column:
    st.header("Load a CSV file")
    upload_section()
    st.header("Download")
    downloads(s)
plain_tables(s)

st.header("Presets")
st.caption(
    "Each preset teaches one thing about a single neuron. A preset replaces the points; a few "
    "also bring the settings their lesson needs, listed on their card."
)
presets_gallery(s)
page.finish()
