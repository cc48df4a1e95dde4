"""Plotly.js for the chart component, served by Streamlit's static file serving.

The copy shipped inside the plotly package is used (no internet needed); it is copied
next to the app once, into ``static/``, which Streamlit serves at ``app/static/``.
"""

from __future__ import annotations

import shutil
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
    partial = target.with_suffix(".part")
    shutil.copyfile(source, partial)
    partial.replace(target)  # atomic: a concurrent session never serves half a file


def plotly_js_url() -> str:
    """The URL the browser loads Plotly.js from, honouring server.baseUrlPath."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"{prefix}/app/static/{FILE_NAME}?v={plotly.__version__}"
