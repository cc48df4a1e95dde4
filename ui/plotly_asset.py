"""Plotly.js for the chart component, served by Streamlit's static file serving.

The copy shipped inside the plotly package is used (no internet needed); it is copied
next to the app once, into ``static/``, which Streamlit serves at ``app/static/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import plotly
import streamlit as st

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
FILE_NAME = "plotly.min.js"


def ensure_plotly_js() -> None:
    """Copy plotly.min.js into static/ unless an identical copy is already there."""
    source = Path(plotly.__file__).parent / "package_data" / FILE_NAME
    target = STATIC_DIR / FILE_NAME
    if target.exists() and target.stat().st_size == source.stat().st_size:
        return
    STATIC_DIR.mkdir(exist_ok=True)
    # Each caller copies into its own temporary file: sessions starting at once on a fresh
    # checkout (or two servers sharing it) must not write into, or rename, each other's copy.
    fd, partial = tempfile.mkstemp(dir=STATIC_DIR, prefix=f".{FILE_NAME}.", suffix=".part")
    os.close(fd)
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)  # atomic: a concurrent session never serves half a file
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def plotly_js_url() -> str:
    """The URL the browser loads Plotly.js from, honouring server.baseUrlPath."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"{prefix}/app/static/{FILE_NAME}?v={plotly.__version__}"
