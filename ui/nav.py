"""Sidebar navigation with plain page names (Streamlit's own list would say "app")."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent

# (file relative to the app folder, label, icon); pages appear in this order.
PAGES = [
    ("app.py", "Playground", ":material/scatter_plot:"),
    ("pages/1_Derivation.py", "Chain rule, step by step", ":material/functions:"),
    ("pages/2_Landscape.py", "Loss landscape", ":material/landscape:"),
    ("pages/3_Learning_rate_race.py", "Learning-rate race", ":material/speed:"),
    ("pages/4_Data.py", "Data: table, files, presets", ":material/table:"),
    # Last: the pages before it follow the lecture, and a challenge draws on all of them.
    ("pages/5_Challenges.py", "Challenges", ":material/flag:"),
]


def sidebar_nav() -> None:
    with st.sidebar:
        st.markdown("### Perceptron Playground")
        for path, label, icon in PAGES:
            if (ROOT / path).exists():
                st.page_link(path, label=label, icon=icon)
        st.divider()
