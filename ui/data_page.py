"""What the Data page's parts share: the summary line, Undo, and how new points are applied.

Every change to the points goes through ``apply_points`` (undoable, restarts the run at
step 0) and only after it is checked; a refused change leaves the points as they were
and says why in plain words. A preset goes through ``apply_preset``: its points the same
way, and its suggested settings over the learner's (``perceptron.preset_scenario``).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from perceptron import MAX_UPDATES, MAX_WORK, PRESETS, Scenario
from perceptron.scenario import preset_scenario
from ui import challenge, keys, state


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


def apply_points(
    X: np.ndarray, y: np.ndarray, *, preset: str = "", new_view: bool = True
) -> str | None:
    """Set the points unless the run would be too long; returns the refusal, or None."""
    problem = update_limit_problem(state.scenario(), X, y)
    if problem is None:
        state.set_points(X, y, preset=preset, new_view=new_view)
    return problem


def apply_preset(name: str) -> tuple[Scenario, str | None]:
    """Load preset ``name``: its points (undoable) and its settings over the current ones,
    unless the run would be too long. Returns the scenario from before, and the refusal
    or None."""
    before = state.scenario()
    new = preset_scenario(name, before)
    problem = update_limit_problem(new, np.asarray(new.X), np.asarray(new.y))
    if problem is None:
        state.set_points(new.X, new.y, preset=name, new_view=True)
        state.set_scenario(new)
    return before, problem


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
        disabled=not st.session_state[keys.UNDO] or challenge.locked("points"),
        help="Brings back the points from before the last change, made on any page.",
    )


def _undo() -> None:
    state.undo()
    state.flash("The points are back as they were before the last change.", "info")
