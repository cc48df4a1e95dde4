"""The Data page's plain tables: the points and the run near step k as HTML tables.

The editor draws on a canvas, which a screen reader cannot read; these are HTML tables,
made only while their box is open.
"""

from __future__ import annotations

import streamlit as st

from perceptron import History, Scenario
from perceptron.accuracy import COUNT_COLUMNS
from ui import state
from ui.keys import PLAIN_TABLES
from ui.points_editor import points_table

# Rows of the run either side of the step the Playground shows; the CSV has every step.
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
        _run_near_step(s, state.history(s))


def _run_near_step(s: Scenario, run: History) -> None:
    lo = max(0, s.step - HISTORY_ROWS_AROUND)
    hi = min(run.n_updates, s.step + HISTORY_ROWS_AROUND)
    st.markdown(
        f"**The run, steps {lo:,} to {hi:,}** of {run.n_updates:,}, around step {s.step:,} "
        "(the step the Playground shows; the CSV above has every step), in two tables: the "
        "weights, derivatives and loss, then how well the neuron classifies."
    )
    rows = run.to_frame().iloc[lo : hi + 1]
    if "point" in rows:  # numbered from 1, as on the Playground
        rows = rows.assign(point=rows["point"] + 1)
    # One table of every column would be wider than the page, and a region that scrolls
    # sideways cannot be reached by keyboard: two narrower tables instead.
    verdicts = ["accuracy", *COUNT_COLUMNS]
    st.table(
        rows.drop(columns=verdicts),
        hide_index=True,
        alt=f"Steps {lo:,} to {hi:,} of the run: weights, derivatives and loss of each.",
    )
    st.table(
        rows[["step", *verdicts]],
        hide_index=True,
        alt=f"Steps {lo:,} to {hi:,} of the run: accuracy, and per class the points correct, "
        "wrong and undecided (ŷ = 0.5), at each.",
    )
