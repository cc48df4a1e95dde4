"""The Derivation page's choice: which point, at which step, and the Case the walk-through
shows (its derivatives and their numerical checks)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from perceptron import History, PointDerivatives, Scenario, point_derivatives
from perceptron.gradcheck import NumericalDerivatives, numerical_derivatives
from ui import numbers, playground, state
from ui.keys import DERIVATION_FOLLOWS, DERIVATION_POINT, DERIVATION_STEP


@dataclass(frozen=True)
class Case:
    """Everything the derivation shows: step k, point i, its derivatives and their checks."""

    k: int
    i: int
    w: np.ndarray
    b: float
    x: np.ndarray
    y: float
    d: PointDerivatives
    check: NumericalDerivatives

    @property
    def squared(self) -> bool:
        """True when the run descends squared error rather than the log loss."""
        return self.d.kind == "squared"


def case(s: Scenario, history: History, i: int) -> Case:
    """The derivation of point i at the weights of step ``s.step``, for the run's loss and λ."""
    w, b = history.state(s.step)
    x, y = np.asarray(s.X[i]), float(s.y[i])
    objective = (s.config.loss, s.config.l2)
    return Case(
        s.step,
        i,
        w,
        b,
        x,
        y,
        point_derivatives(w, b, x, y, *objective),
        numerical_derivatives(w, b, x, y, *objective),
    )


# What one point asks of each parameter, ∂L/∂z·x, written as each loss makes it.
SLOPE_WORDS = {"log": "−(y−ŷ)", "squared": "(ŷ−y)·ŷ(1−ŷ)"}


def slope_words(loss: str, x: str = "") -> str:
    """A point's ∂L/∂w in words: "−(y−ŷ)·x1" (log loss), "(ŷ−y)·ŷ(1−ŷ)·x1" (squared)."""
    return SLOPE_WORDS[loss] + (f"·{x}" if x else "")


# ---------------------------------------------------------------- controls


def next_update_point(history: History, k: int) -> int:
    """The first point update k+1 uses (its only one, per point); point 0 at the last step."""
    return int(history.points_used(k + 1)[0]) if k < history.n_updates else 0


def _on_step() -> None:
    # None: the box was emptied or held a number beyond its limits (see ui.controls).
    if st.session_state[DERIVATION_STEP] is not None:
        playground.go_to(st.session_state[DERIVATION_STEP])


def controls(s: Scenario, history: History) -> int:
    """Step k and point pickers; returns the chosen point's row. Writes the shared step."""
    K, k = history.n_updates, s.step
    default = next_update_point(history, k)
    stale = st.session_state.get(DERIVATION_FOLLOWS) != hash(s)
    if stale or st.session_state.get(DERIVATION_POINT, -1) >= len(s.y):
        st.session_state[DERIVATION_POINT] = default
        st.session_state[DERIVATION_FOLLOWS] = hash(s)
    st.session_state[DERIVATION_STEP] = k
    used = set(history.points_used(k + 1).tolist()) if k < K else set()
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    left.number_input(
        f"Step k (0 to {K:,}): the weights after k updates",
        value=None,
        min_value=0,
        max_value=K,
        step=1,
        key=DERIVATION_STEP,
        on_change=_on_step,
        help="The same step as on the Playground: changing it here moves it there too.",
    )
    right.selectbox(
        "Point",
        options=range(len(s.y)),
        format_func=lambda i: _point_label(s, i, used),
        key=DERIVATION_POINT,
        help="Preselected: the point that update k+1 uses (the first of its batch). "
        "Any other point shows the step it alone would ask for.",
    )
    for line in numbers.precision_warning(state.run_precision(s), k):
        st.warning(line, icon=":material/warning:")
    return int(st.session_state[DERIVATION_POINT])


def _point_label(s: Scenario, i: int, used: set[int]) -> str:
    x1, x2 = s.X[i]
    label = f"point #{i + 1} ({x1:g}, {x2:g}), class {int(s.y[i])}"
    return label + (" · used by update k+1" if i in used else "")
