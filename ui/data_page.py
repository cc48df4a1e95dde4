"""The Data page's pieces: the points table, CSV upload, downloads and the presets gallery.

Every change to the points goes through ``state.set_points`` (undoable, restarts the run
at step 0) and only after it is checked; a refused change leaves the points as they were
and says why in plain words.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from perceptron import (
    MAX_POINTS,
    MAX_UPDATES,
    MAX_WORK,
    PRESETS,
    History,
    PointsFileError,
    Scenario,
    make_dataset,
    read_points_csv,
    write_points_csv,
)
from perceptron.datasets import COORD_LIMIT
from perceptron.export import SCRIPT_FILE_NAME, standalone_script
from perceptron.limits import MAX_ABS_COORDINATE
from perceptron.points import bad_points, checked_points, count_problem, point_problem
from perceptron.pointsfile import COLUMNS
from ui import keys, state
from ui.common import chart_config
from ui.keys import PLAIN_TABLES, PRESET_THUMB, PRESET_USE, UPLOAD, UPLOAD_DONE, UPLOAD_MODE
from ui.style import CLASS_COLORS, CLASS_SYMBOLS

REPLACE, APPEND = "replaces the current points", "adds to the current points"
MAX_FILE_MB = 1
VISIBLE_ROWS = 15
ROW_PIXELS = 35  # st.data_editor's default row height
MAX_LISTED_PROBLEMS = 5
# What the problem list says of an empty cell, by column.
EMPTY_CELL = {"x1": "x1 is empty", "x2": "x2 is empty", "y": "y is empty (choose 0 or 1)"}
GALLERY_COLUMNS = 3
# Characters that Markdown (or Streamlit's $…$ LaTeX) would read as formatting.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~])")


def plain(text: str) -> str:
    """``text`` escaped so that Markdown shows it exactly as written."""
    return _MARKDOWN.sub(r"\\\1", text)


def update_limit_problem(s: Scenario, X: np.ndarray, y: np.ndarray) -> str | None:
    """Why training on these points with ``s``'s settings is not allowed, or None."""
    updates = s.replace(X=X, y=y, step=0).n_updates() if len(y) else 0
    if updates > MAX_UPDATES:
        return (
            f"With {len(y):,} points and the current settings one run would make {updates:,} "
            f"updates; the limit is {MAX_UPDATES:,}. Lower the epochs (or use mini-batches) "
            "in the sidebar first."
        )
    if s.config.epochs * len(y) > MAX_WORK:
        return (
            f"With {len(y):,} points and {s.config.epochs:,} epochs one run would visit "
            f"{s.config.epochs * len(y):,} points; the limit is {MAX_WORK:,} (epochs × points), so "
            "that a run trains within a second. Lower the epochs in the sidebar first."
        )
    return None


def _apply(X: np.ndarray, y: np.ndarray, *, preset: str = "", new_view: bool = True) -> str | None:
    """Set the points unless the run would be too long; returns the refusal, or None."""
    problem = update_limit_problem(state.scenario(), X, y)
    if problem is None:
        state.set_points(X, y, preset=preset, new_view=new_view)
    return problem


def summary(s: Scenario) -> str:
    """One line in words: how many points of each class, and where they came from."""
    if len(s.y) == 0:
        return "**No points yet**: add rows to the table, load a file or pick a preset below."
    n1 = int(np.sum(s.y == 1))
    n0 = len(s.y) - n1
    counts = f"**{len(s.y):,} points**: {n0:,} of class 0 (● blue) and {n1:,} of class 1 (▲ orange)"
    source = f", from the preset “{PRESETS[s.preset].title}”" if s.preset in PRESETS else ""
    return counts + source + "."


def undo_button() -> None:
    """Undo for the points, as on the Playground (shared undo history)."""
    st.button(
        "Undo last change to the points",
        icon=":material/undo:",
        on_click=_undo,
        disabled=not st.session_state[keys.UNDO],
        help="Brings back the points from before the last change, made on any page.",
    )


def _undo() -> None:
    state.undo()
    state.flash("The points are back as they were before the last change.", "info")


# ---------------------------------------------------------------- the table


def points_table(X: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """The points as a table: columns x1, x2 (float) and y (0/1), rows numbered from 1."""
    index = pd.RangeIndex(1, len(y) + 1, name="point")
    return pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "y": y.astype(np.int64)}, index=index)


def table_key(X: np.ndarray, y: np.ndarray) -> str:
    """The editor's widget key: new points, new editor, so old edits are never re-applied."""
    digest = hashlib.blake2b(X.tobytes() + y.tobytes(), digest_size=8).hexdigest()
    return f"points_table_{digest}"


def points_from_table(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The points of an edited table as read-only ``X`` ``(n, 2)`` and ``y`` ``(n,)``.

    Raises ValueError in plain words: too many rows, or a list of the rows with empty
    cells or values the check of points refuses, each row named by its number.
    """
    too_many = count_problem(len(table))
    if too_many:
        raise ValueError(
            f"The table: {too_many}. Delete some rows; until then the points stay as they were."
        )
    x1, x2, labels = (pd.to_numeric(table[c], errors="coerce").to_numpy(float) for c in COLUMNS)
    X = np.column_stack([x1, x2])
    bad = np.flatnonzero(bad_points(X, labels))
    if bad.size:
        listed = [_row_problem(table.index[i], *X[i], labels[i]) for i in bad[:MAX_LISTED_PROBLEMS]]
        raise ValueError(_problem_list(listed, len(bad)))
    return checked_points(X, labels, "The table")


def _row_problem(row, x1: float, x2: float, label: float) -> str:
    """What is wrong with one row, in words: its empty cells, else what the check says."""
    values = (x1, x2, label)
    empty = [EMPTY_CELL[name] for name, v in zip(COLUMNS, values, strict=True) if np.isnan(v)]
    if empty:
        return f"row {row}: {'; '.join(empty)}"
    return point_problem(x1, x2, label, f"row {row}")


def _problem_list(listed: list[str], count: int) -> str:
    """The first few of ``count`` problems as a Markdown list, and how many more there are."""
    lines = [f"- {p}" for p in listed]
    lines += [f"- and {count - len(listed):,} more"] if count > len(listed) else []
    intro = (
        "The table's changes are not applied yet, so the points stay as they were. "
        "Fill in or correct these cells, or delete their rows:"
    )
    return intro + "\n\n" + "\n".join(lines)


def points_editor(s: Scenario) -> None:
    """The editable table; a valid edit replaces the points, an invalid one is only reported."""
    X, y = np.asarray(s.X), np.asarray(s.y)
    edited = st.data_editor(
        points_table(X, y),
        key=table_key(X, y),
        num_rows="dynamic",
        hide_index=False,
        height=_table_height(len(y)),
        column_config=_COLUMNS,
        alt="Table of the points: x1, x2 and the class y of each point, one row per point.",
    )
    try:
        new_X, new_y = points_from_table(edited)
    except ValueError as problem:
        st.error(str(problem))
        return
    if np.array_equal(new_X, X) and np.array_equal(new_y, y):
        return
    refused = _apply(new_X, new_y, new_view=False)
    if refused:
        st.error(f"The table's changes were not applied. {refused}")
        return
    st.rerun()


def _table_height(n: int) -> int:
    """Pixels for the header and up to VISIBLE_ROWS rows (with the empty row to add one)."""
    return ROW_PIXELS * (min(n + 1, VISIBLE_ROWS) + 1) + 3


_COLUMNS = {
    "_index": st.column_config.NumberColumn("#", help="Row number", disabled=True),
    "x1": st.column_config.NumberColumn(
        "x1",
        help="First input (horizontal axis on the Playground)",
        min_value=-MAX_ABS_COORDINATE,
        max_value=MAX_ABS_COORDINATE,
        required=True,
    ),
    "x2": st.column_config.NumberColumn(
        "x2",
        help="Second input (vertical axis on the Playground)",
        min_value=-MAX_ABS_COORDINATE,
        max_value=MAX_ABS_COORDINATE,
        required=True,
    ),
    "y": st.column_config.SelectboxColumn(
        "y (class)",
        help="The label: 0 (● blue) or 1 (▲ orange)",
        options=[0, 1],
        format_func=lambda v: f"{v} {'●▲'[v]}",
        required=True,
    ),
}


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
    refused = _apply(outcome.X, outcome.y)
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
    st.download_button(
        "Points (CSV)",
        "" if empty else write_points_csv(s.X, s.y),
        file_name="points.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        disabled=empty,
    )
    st.caption("x1, x2, y: opens in a spreadsheet and loads back here unchanged.")
    st.download_button(
        "Training history (CSV)",
        # Deferred: a long run's table is only written out when someone asks for it.
        "" if run is None else (lambda: history_csv(run)),
        file_name="training_history.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        disabled=empty,
    )
    st.caption("One row per step: w1, w2, b, the derivatives ∂L/∂w1, ∂L/∂w2, ∂L/∂b and the loss.")
    st.download_button(
        "Standalone NumPy script (.py)",
        "" if empty else standalone_script(s),
        file_name=SCRIPT_FILE_NAME,
        mime="text/x-python",
        on_click="ignore",
        icon=":material/code:",
        disabled=empty,
    )
    st.caption(
        "The lecture's update loop with these points, settings and starting weights. "
        "Needs only NumPy; prints the same final w1, w2, b and loss as this app."
    )
    if empty:
        st.info("The downloads need at least one point.")


# ---------------------------------------------------------------- plain tables

# The editor above draws on a canvas, which a screen reader cannot read: these are HTML
# tables. Rows of the run around the step the Playground shows, the rest in the CSV.
HISTORY_ROWS_AROUND = 10


def plain_tables(s: Scenario) -> None:
    """The points and the run near step k as plain tables, made when their box opens."""
    box = st.expander(
        "The points and the run as plain tables (for a screen reader)",
        key=PLAIN_TABLES,
        on_change="rerun",
    )
    with box:
        if not box.open:
            return
        if len(s.y) == 0:
            st.info("There are no points yet.")
            return
        st.table(
            points_table(s.X, s.y).reset_index(),
            hide_index=True,
            alt=f"The {len(s.y):,} points: number, x1, x2 and class y of each.",
        )
        run = state.history(s)
        lo = max(0, s.step - HISTORY_ROWS_AROUND)
        hi = min(run.n_updates, s.step + HISTORY_ROWS_AROUND)
        st.markdown(
            f"**The run, steps {lo:,} to {hi:,}** of {run.n_updates:,}, around step {s.step:,} "
            "(the step the Playground shows; the CSV above has every step):"
        )
        rows = run.to_frame().iloc[lo : hi + 1]
        if "point" in rows:  # numbered from 1, as on the Playground
            rows = rows.assign(point=rows["point"] + 1)
        st.table(
            rows,
            hide_index=True,
            alt=f"Steps {lo:,} to {hi:,} of the run: weights, derivatives and loss of each.",
        )


# ---------------------------------------------------------------- presets gallery


@st.cache_data(show_spinner=False)
def preset_thumbnail(name: str) -> go.Figure:
    """A small static scatter of the preset's default points, by class colour and shape."""
    X, y = make_dataset(name)
    fig = go.Figure()
    for cls in (0, 1):
        mask = y == cls
        fig.add_trace(
            go.Scatter(
                x=X[mask, 0],
                y=X[mask, 1],
                mode="markers",
                marker={
                    "color": CLASS_COLORS[cls],
                    "symbol": CLASS_SYMBOLS[cls],
                    "size": 6,
                    "line": {"color": "#FFFFFF", "width": 0.5},
                },
                hoverinfo="skip",
            )
        )
    axis = {
        "range": [-COORD_LIMIT - 0.3, COORD_LIMIT + 0.3],
        "showticklabels": False,
        "showgrid": False,
        "zeroline": True,
        "zerolinecolor": "rgba(127,127,127,0.5)",  # a faint cross in either theme
        "fixedrange": True,
    }
    fig.update_layout(
        height=190,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        showlegend=False,
        xaxis=axis,
        yaxis=axis | {"scaleanchor": "x"},
    )
    return fig


def _use_preset(name: str) -> None:
    X, y = make_dataset(name)
    refused = _apply(X, y, preset=name)
    if refused:
        state.flash(f"“{PRESETS[name].title}” was not loaded. {refused}", "error")
        return
    state.flash(
        f"Loaded “{PRESETS[name].title}”: {len(y):,} points. Undo brings the old ones back.",
        "success",
    )


def presets_gallery(s: Scenario) -> None:
    """Every preset as a card: thumbnail, what it teaches, and a button to use its points."""
    names = list(PRESETS)
    for start in range(0, len(names), GALLERY_COLUMNS):
        row = st.columns(GALLERY_COLUMNS)
        for column, name in zip(row, names[start : start + GALLERY_COLUMNS], strict=False):
            with column.container(border=True):
                _preset_card(name, s)


def _preset_card(name: str, s: Scenario) -> None:
    preset = PRESETS[name]
    X, y = make_dataset(name)
    st.markdown(f"**{preset.title}** · {len(y):,} points")
    st.plotly_chart(
        preset_thumbnail(name),
        key=PRESET_THUMB + name,
        config=chart_config(displayModeBar=False, staticPlot=True),
        alt=f"The {preset.title} preset: class 0 as blue dots, class 1 as orange triangles.",
    )
    st.caption(preset.description)
    current = np.array_equal(X, s.X) and np.array_equal(y, s.y)
    st.button(
        "These are the current points" if current else "Use these points",
        key=PRESET_USE + name,
        on_click=_use_preset,
        args=(name,),
        disabled=current,
        type="secondary" if current else "primary",
        width="stretch",
    )
