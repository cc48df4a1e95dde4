"""The Data page's files: points loaded from a CSV file, and the downloads (the points, the
run's history, a standalone NumPy script)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import streamlit as st

from perceptron import (
    MAX_POINTS,
    History,
    PointsFileError,
    Scenario,
    read_points_csv,
    write_points_csv,
)
from perceptron.export import SCRIPT_FILE_NAME, standalone_script
from perceptron.points import count_problem
from ui import challenge, state
from ui.data_page import apply_points
from ui.keys import UPLOAD, UPLOAD_DONE, UPLOAD_MODE

REPLACE, APPEND = "replaces the current points", "adds to the current points"
MAX_FILE_MB = 1
# Characters that Markdown (or Streamlit's $…$ LaTeX) would read as formatting.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~])")
# Each download: its button's label, the file's name and type, the icon, and a caption.
DOWNLOADS = (
    (
        "Points (CSV)",
        "points.csv",
        "text/csv",
        ":material/download:",
        "x1, x2, y: opens in a spreadsheet and loads back here unchanged.",
    ),
    (
        "Training history (CSV)",
        "training_history.csv",
        "text/csv",
        ":material/download:",
        "One row per step: w1, w2, b, the derivatives the update used, the loss, the accuracy "
        "and, per class, how many points are correct, wrong and undecided (ŷ = 0.5).",
    ),
    (
        "Standalone NumPy script (.py)",
        SCRIPT_FILE_NAME,
        "text/x-python",
        ":material/code:",
        "The lecture's update loop with these points, settings and starting weights. "
        "Needs only NumPy; prints the same final w1, w2, b and loss as this app.",
    ),
)


def plain(text: str) -> str:
    """``text`` escaped so that Markdown shows it exactly as written."""
    return _MARKDOWN.sub(r"\\\1", text)


# ---------------------------------------------------------------- upload


@dataclass(frozen=True)
class UploadOutcome:
    """What reading one uploaded file did: the new points (None if refused) and a message."""

    X: np.ndarray | None
    y: np.ndarray | None
    kind: str  # "success" or "error"
    message: str


def read_upload(file, X: np.ndarray, y: np.ndarray, append: bool) -> UploadOutcome:
    """The points after loading ``file`` (with ``.name``) into the current ``X``, ``y``.

    Replaces the points, or appends to them when ``append``; refuses (points unchanged)
    a file the core cannot read, with its message, or an append beyond MAX_POINTS.
    """
    try:
        file_X, file_y = read_points_csv(file)
    except PointsFileError as problem:
        return UploadOutcome(None, None, "error", f"{file.name} was not loaded. {problem}")
    count = f"{len(file_y):,} point{'s' if len(file_y) != 1 else ''}"
    if not append:
        return UploadOutcome(file_X, file_y, "success", f"Loaded {count} from {file.name}.")
    total = len(y) + len(file_y)
    too_many = count_problem(total)
    if too_many:
        message = (
            f"{file.name} was not added: its {count} and the {len(y):,} already here make "
            f"{too_many}. Load it to replace them instead, or delete some points first."
        )
        return UploadOutcome(None, None, "error", message)
    message = f"Added {count} from {file.name} to the {len(y):,} already here: {total:,} in all."
    return UploadOutcome(np.vstack([X, file_X]), np.concatenate([y, file_y]), "success", message)


def upload_section() -> None:
    """Choose replace/append, pick a CSV file; each file is read once and the result shown."""
    st.radio("Loading a file…", (REPLACE, APPEND), key=UPLOAD_MODE)
    file = st.file_uploader(
        "CSV file with the columns x1, x2 and y",
        type="csv",
        key=UPLOAD,
        max_upload_size=MAX_FILE_MB,
        # A callback runs before the page is drawn, so every part of it shows the new points.
        on_change=_on_upload,
        disabled=challenge.locked("points"),
        help=f"One point per row, y is 0 or 1; at most {MAX_POINTS:,} points and 1 MB. "
        "A file downloaded from this page loads back as it was.",
    )
    done = st.session_state.get(UPLOAD_DONE)
    if file is not None and done is not None and done[0] == file.file_id:
        _, kind, message = done
        getattr(st, kind)(plain(message))


def _on_upload() -> None:
    """Read a newly chosen file and keep what happened, under its file_id.

    This runs once per new file; the reruns that deliver the same file again do not call it.
    """
    file = st.session_state.get(UPLOAD)
    if file is None:
        return
    st.session_state[UPLOAD_DONE] = (file.file_id, *_load(file, state.scenario()))


def _load(file, s: Scenario) -> tuple[str, str]:
    """Read ``file`` into the points (replace or append); returns (kind, message)."""
    append = st.session_state.get(UPLOAD_MODE) == APPEND
    outcome = read_upload(file, np.asarray(s.X), np.asarray(s.y), append)
    if outcome.X is None:
        return outcome.kind, outcome.message
    refused = apply_points(outcome.X, outcome.y)
    if refused:
        return "error", f"{file.name} was not loaded. {refused}"
    return outcome.kind, outcome.message


# ---------------------------------------------------------------- downloads


def history_csv(run: History) -> str:
    """Every state of the run as CSV: step, epoch, w1, w2, b, the derivatives and the loss."""
    return run.to_frame().to_csv(index=False)


def downloads(s: Scenario) -> None:
    """The points, the run's history and a standalone script, as files."""
    empty = len(s.y) == 0
    run = None if empty else state.history(s)
    contents = ("", "", "") if run is None else _contents(s, run)
    captions = (DOWNLOADS[0][4], history_caption(s, run), script_caption(s))
    for (label, name, mime, icon, _), data, caption in zip(
        DOWNLOADS, contents, captions, strict=True
    ):
        st.download_button(
            label,
            data,
            file_name=name,
            mime=mime,
            on_click="ignore",
            icon=icon,
            disabled=empty,
        )
        st.caption(caption)
    if empty:
        st.info("The downloads need at least one point.")


def history_caption(s: Scenario, run: History | None) -> str:
    """What the history file holds for this run, in words."""
    caption = DOWNLOADS[1][4]
    if s.config.l2:
        caption = caption.replace(
            "the loss,",
            f"the loss with the penalty (λ = {s.config.l2:g}) and without it (data_loss),",
        )
    if run is not None and len(run.loss_steps) < run.n_updates + 1:
        caption += (
            f" This run is long, so the loss, the accuracy and the counts are in "
            f"{len(run.loss_steps):,} of its {run.n_updates + 1:,} rows, spread evenly; the "
            "other rows leave them empty."
        )
    return caption


def script_caption(s: Scenario) -> str:
    """What the script does for this run, in words: its loss and λ too."""
    loss = "squared error" if s.config.loss == "squared" else "the log loss"
    penalty = f" and the L2 penalty λ = {s.config.l2:g}" if s.config.l2 else ""
    return (
        f"The lecture's update loop with these points, settings and starting weights, for "
        f"{loss}{penalty}. Needs only NumPy; prints the same final w1, w2, b and loss as "
        "this app."
    )


def _contents(s: Scenario, run: History) -> tuple:
    """What each download holds; the history is deferred: a long run's table is only
    written out when someone asks for it."""
    return write_points_csv(s.X, s.y), (lambda: history_csv(run)), standalone_script(s)
