"""The Challenges page's gallery: the ready challenges (``perceptron.gallery``) in the
lecture's order, each with its link, its QR code and Start."""

from __future__ import annotations

import streamlit as st

from perceptron.gallery import GalleryEntry, gallery
from ui import keys
from ui.challenge_share import MODES, challenge_link, room_qr, show_qr, start


def gallery_section() -> None:
    """The ready challenges in the lecture's order, each with its link and QR code."""
    st.header("Ready challenges")
    st.markdown(
        "In the order of the lecture's ideas. **Start** one here, or hand out its link or QR "
        "code: it opens the challenge on any phone or laptop, with the task shown and the "
        "fixed controls locked."
    )
    with st.container(key=keys.GALLERY):
        for number, item in enumerate(gallery(), 1):
            _entry(number, item)


def _entry(number: int, item: GalleryEntry) -> None:
    ch = item.challenge
    with st.container(border=True, key=keys.GALLERY_ENTRY + item.slug):
        text, code = st.columns([3, 1], gap="medium")
        with text:
            st.subheader(f"{number}. {ch.title}", anchor=False)
            st.caption(f"The idea: {item.idea} · {MODES[ch.mode].split(':')[0]}")
            st.text(ch.task)
            if ch.goal is not None:
                st.markdown(f"**Goal:** {ch.goal.text}")
            if not item.available:
                st.caption(f"Not in this version of the app: it needs {item.needs}.")
                return
            link = challenge_link(ch)
            with st.container(horizontal=True):
                if st.button(
                    "Start this challenge",
                    key=keys.GALLERY_START + item.slug,
                    type="primary",
                    icon=":material/play_arrow:",
                ):
                    start(ch)
                if st.button(
                    "QR code for the room",
                    key=keys.GALLERY_QR + item.slug,
                    icon=":material/qr_code_2:",
                ):
                    room_qr(ch.title, link)
            st.code(link, language=None, wrap_lines=True)
        with code:
            show_qr(link, f"the challenge {ch.title}", width=160)
