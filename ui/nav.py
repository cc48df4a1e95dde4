"""Sidebar navigation with plain page names (Streamlit's own list would say "app")."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent

# (file relative to the app folder, label, icon); pages appear in this order.
PAGES = [
    ("app.py", "Playground", ":material/scatter_plot:"),
]


def sidebar_nav() -> None:
    with st.sidebar:
        st.markdown("### Perceptron Playground")
        for path, label, icon in PAGES:
            if (ROOT / path).exists():
                st.page_link(path, label=label, icon=icon)
        st.divider()
