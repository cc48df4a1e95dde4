"""What every page does first and last: config, shared state, navigation, messages, URL."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.nav import sidebar_nav


def start(title: str, icon: str = ":material/scatter_plot:") -> None:
    """Set up a page: its config, the session's shared state, navigation and messages."""
    st.set_page_config(page_title=f"{title} · Perceptron Playground", page_icon=icon, layout="wide")
    state.init()
    sidebar_nav()
    with st.sidebar:
        st.toggle(
            "Presenter mode",
            key=state.PRESENTER,
            help="For a projector: bigger text and markers, explanations folded away. "
            "Keys: Right/PageDown step, Left/PageUp back, P play/pause.",
        )
    state.show_messages()


def finish() -> None:
    """Keep the URL in step with the scenario, so reload and shared links reproduce it."""
    state.sync_url()
