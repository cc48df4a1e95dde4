"""Plotly.js for the chart component, served by Streamlit's static file serving.

The chart component draws only 2-D traces, so it loads plotly.js's cartesian bundle,
kept in ``ui/vendor/`` (the same plotly.js version as the plotly package's; see the README
there), about a third the size of the full one. It is copied next to the app once, into
``static/``, which Streamlit serves at ``app/static/``; nothing comes from a CDN.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import streamlit as st

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
FILE_NAME = "plotly-cartesian.min.js"
SOURCE = Path(__file__).resolve().parent / "vendor" / FILE_NAME


def ensure_plotly_js() -> None:
    """Copy the bundle into static/ unless an identical copy is already there."""
    target = STATIC_DIR / FILE_NAME
    if target.exists() and target.stat().st_size == SOURCE.stat().st_size:
        return
    STATIC_DIR.mkdir(exist_ok=True)
    # Each caller copies into its own temporary file: sessions starting at once on a fresh
    # checkout (or two servers sharing it) must not write into, or rename, each other's copy.
    fd, partial = tempfile.mkstemp(dir=STATIC_DIR, prefix=f".{FILE_NAME}.", suffix=".part")
    os.close(fd)
    try:
        shutil.copyfile(SOURCE, partial)
        os.replace(partial, target)  # atomic: a concurrent session never serves half a file
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def plotly_js_url() -> str:
    """The URL the browser loads Plotly.js from, honouring server.baseUrlPath."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"{prefix}/app/static/{FILE_NAME}?v={bundle_version()}"


def bundle_version(path: Path = SOURCE) -> str:
    """The plotly.js version a bundle's header names ("plotly.js (cartesian ...) v4.1.1")."""
    with path.open(encoding="utf-8") as f:
        header = f.read(300)
    return header.split(" v", 1)[1].split()[0]
