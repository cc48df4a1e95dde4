"""What the Challenges page hands out: a challenge's link to the Playground, its QR code (and
a large one for the room), and Start; used by the gallery and the composer alike.

A link opens the challenge (``perceptron.challenge_links``) on any device, on a fresh server
too. The QR code is drawn here by segno (pure Python) as a PNG: nothing is fetched or sent
anywhere.
"""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import segno
import streamlit as st

from perceptron.challenge_links import challenge_to_query_string
from perceptron.challenges import Challenge
from ui import challenge

# The page's own path (pages/5_Challenges.py): what its address ends with.
PAGE_PATH = "Challenges"
# A challenge's modes as the page names them (the gallery shows the part before the colon).
MODES = {
    "train": "Train: set the controls and step",
    "predict": "Predict each update first",
    "hand": "Fit by hand: set w1, w2, b",
}
# A QR code holds at most 2,331 characters of a link (version 40, error correction M);
# far fewer scan well across a room.
QR_GOOD_CHARS = 600


def app_url() -> str:
    """The Playground's address as this browser sees it, ending in "/" (see ``playground_url``)."""
    return playground_url(
        st.context.url, st.get_option("server.baseUrlPath"), st.get_option("server.port")
    )


def playground_url(page_url: str | None, base_path: str | None, port: int) -> str:
    """The Playground's address, ending in "/": this page's address ``page_url`` without its
    own path, so it keeps the server's base path (``server.baseUrlPath``) and whatever a
    proxy put before it. Without a browser (``page_url`` None: a test), the local server's."""
    if not page_url:
        base = (base_path or "").strip("/")
        return f"http://localhost:{port}/" + (f"{base}/" if base else "")
    parts = urlsplit(page_url)
    path = parts.path.rstrip("/")
    if path.endswith("/" + PAGE_PATH) or path == PAGE_PATH:
        path = path[: -len(PAGE_PATH)].rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}/"


def challenge_link(ch: Challenge) -> str:
    """The full link that opens ``ch`` on the Playground."""
    return app_url() + challenge_to_query_string(ch)


@st.cache_data(max_entries=64, show_spinner=False)
def qr_png(text: str, scale: int = 10) -> bytes | None:
    """``text`` as a QR code: a PNG, black on white with the standard 4-module quiet zone,
    ``scale`` pixels a module (larger than it is shown: a browser shrinks it smoothly, but
    would blur it when enlarging); None when the text is too long for any QR code."""
    try:
        code = segno.make(text, error="m", micro=False)
    except segno.DataOverflowError:
        return None
    uri = code.png_data_uri(scale=scale, border=4, dark="#000000", light="#FFFFFF")
    return base64.b64decode(uri.split(",", 1)[1])


def show_qr(link: str, what: str, width: int) -> None:
    """The QR code of ``link`` (``what`` says what it opens, for a screen reader)."""
    png = qr_png(link)
    if png is None:
        st.caption(
            f"This link is too long for a QR code ({len(link):,} characters). "
            "Fewer points make it shorter."
        )
        return
    st.image(png, width=width, alt=f"QR code of the link that opens {what}")
    if len(link) > QR_GOOD_CHARS:
        st.caption("A long link makes a dense QR code: scan it from close by.")


@st.dialog("Scan to open the challenge", width="large")
def room_qr(title: str, link: str) -> None:
    """A large QR code, for a room to scan from the projector."""
    st.text(title)
    with st.container(horizontal_alignment="center"):
        show_qr(link, f"the challenge {title}", width=440)  # fits a 1280×720 projector
    st.code(link, language=None, wrap_lines=True)


def start(ch: Challenge) -> None:
    """Open ``ch`` here and go to the Playground, where it starts."""
    challenge.open_challenge(ch)
    st.switch_page("app.py")
