"""The Data page's table of the points: shown, edited in place, and read back and checked."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from perceptron import Scenario
from perceptron.limits import MAX_ABS_COORDINATE
from perceptron.points import bad_points, checked_points, count_problem, point_problem
from perceptron.pointsfile import COLUMNS
from ui import challenge
from ui.data_page import apply_points
from ui.keys import POINTS_TABLE

VISIBLE_ROWS = 15
ROW_PIXELS = 35  # st.data_editor's default row height
MAX_LISTED_PROBLEMS = 5
# What the problem list says of an empty cell, by column.
EMPTY_CELL = {"x1": "x1 is empty", "x2": "x2 is empty", "y": "y is empty (choose 0 or 1)"}


def points_table(X: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """The points as a table: columns x1, x2 (float) and y (0/1), rows numbered from 1."""
    index = pd.RangeIndex(1, len(y) + 1, name="point")
    return pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "y": y.astype(np.int64)}, index=index)


def table_key(X: np.ndarray, y: np.ndarray) -> str:
    """The editor's widget key: new points, new editor, so old edits are never re-applied."""
    digest = hashlib.blake2b(X.tobytes() + y.tobytes(), digest_size=8).hexdigest()
    return POINTS_TABLE + digest


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
        column_config=_COLUMN_CONFIG,
        disabled=challenge.locked("points"),
        alt="Table of the points: x1, x2 and the class y of each point, one row per point.",
    )
    try:
        new_X, new_y = points_from_table(edited)
    except ValueError as problem:
        st.error(str(problem))
        return
    if np.array_equal(new_X, X) and np.array_equal(new_y, y):
        return
    refused = apply_points(new_X, new_y, new_view=False)
    if refused:
        st.error(f"The table's changes were not applied. {refused}")
        return
    st.rerun()


def _table_height(n: int) -> int:
    """Pixels for the header and up to VISIBLE_ROWS rows (with the empty row to add one)."""
    return ROW_PIXELS * (min(n + 1, VISIBLE_ROWS) + 1) + 3


def _coordinate_column(name: str, which: str, axis: str) -> dict:
    return st.column_config.NumberColumn(
        name,
        help=f"{which} input ({axis} axis on the Playground)",
        min_value=-MAX_ABS_COORDINATE,
        max_value=MAX_ABS_COORDINATE,
        required=True,
    )


_COLUMN_CONFIG = {
    "_index": st.column_config.NumberColumn("#", help="Row number", disabled=True),
    "x1": _coordinate_column("x1", "First", "horizontal"),
    "x2": _coordinate_column("x2", "Second", "vertical"),
    "y": st.column_config.SelectboxColumn(
        "y (class)",
        help="The label: 0 (● blue) or 1 (▲ orange)",
        options=[0, 1],
        format_func=lambda v: f"{v} {'●▲'[v]}",
        required=True,
    ),
}
