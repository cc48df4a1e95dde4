"""The chain-rule page's last step: the gradient-descent update with the point's numbers,
compared with the Playground's update k+1 (per point, or the batch's mean)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from perceptron import History, Scenario
from perceptron.formatting import fmt
from ui.common import paren, tex
from ui.derivation import Case, next_update_point, slope_words


def _update_lines(old_w, old_b: float, lr: float, grads, new_w, new_b: float, of: str) -> str:
    names = ("w_1", "w_2", "b")
    old = (old_w[0], old_w[1], old_b)
    new = (new_w[0], new_w[1], new_b)
    lines = [
        rf"{n} &\leftarrow {n} - \alpha\,\frac{{\partial {of}}}{{\partial {n}}} = {tex(o)} - "
        rf"{tex(lr)}\cdot{paren(g)} = {tex(v)}"
        for n, o, g, v in zip(names, old, grads, new, strict=True)
    ]
    return r"\begin{aligned}" + r"\\".join(lines) + r"\end{aligned}"


def update(c: Case, s: Scenario, history: History) -> None:
    """The last step: the gradient-descent step, compared with the Playground's step k+1."""
    st.header(f"{6 if c.d.l2 else 5} · The update")
    lr = s.config.learning_rate
    grads = (c.d.dJ_dw1, c.d.dJ_dw2, c.d.dJ_db)
    new_w = c.w - lr * np.array(grads[:2])
    new_b = c.b - lr * grads[2]
    of = "J" if c.d.l2 else "L"
    if c.k == history.n_updates:
        st.markdown(
            f"Step {c.k:,} is the last state of this run, so there is no update k+1 to compare "
            f"with. Here is the step this point alone would ask for, with α = {fmt(lr)}:"
        )
        st.latex(_update_lines(c.w, c.b, lr, grads, new_w, new_b, of))
        return
    if s.config.mode == "stochastic":
        _per_point_update(c, history, lr, grads, new_w, new_b)
    else:
        _batch_update(c, history, lr)


def _per_point_update(c: Case, history: History, lr: float, grads, new_w, new_b) -> None:
    st.markdown(f"Per-point mode: each update uses one point's derivatives, with α = {fmt(lr)}:")
    st.latex(_update_lines(c.w, c.b, lr, grads, new_w, new_b, "J" if c.d.l2 else "L"))
    used = next_update_point(history, c.k)
    next_w, next_b = history.state(c.k + 1)
    if used != c.i:
        st.info(
            f"Update k+1 = {c.k + 1:,} uses point #{used + 1}, not this one, so the step above "
            "is the one this point *would* ask for. Pick the point marked “used by update k+1” "
            "to reproduce the Playground exactly."
        )
        return
    gap = max(abs(new_w[0] - next_w[0]), abs(new_w[1] - next_w[1]), abs(new_b - next_b))
    same = "identical to the last digit" if gap == 0 else f"the largest difference is {gap:.1e}"
    st.success(
        f"This is exactly update {c.k + 1:,}. The Playground's step {c.k + 1:,} has "
        f"w1 = {fmt(next_w[0])}, w2 = {fmt(next_w[1])}, b = {fmt(next_b)}: the same numbers "
        f"as computed here ({same})."
    )


def _batch_update(c: Case, history: History, lr: float) -> None:
    used = history.points_used(c.k + 1)
    m = len(used)
    inside = c.i in used
    slope = slope_words(c.d.kind, "x")
    st.markdown(
        f"This run makes each update with the **mean** of {slope} over a batch: update "
        f"{c.k + 1:,} averages over {m:,} points, so each point's share is its own "
        f"derivative divided by {m:,}. "
        + ("The penalty's λ·w is added once, to the mean. " if c.d.l2 else "")
        + (f"Point #{c.i + 1} is in this batch." if inside else "This point is **not** in it.")
    )
    st.dataframe(_batch_frame(c, history, slope, m, inside), hide_index=True, width="stretch")
    next_w, next_b = history.state(c.k + 1)
    mean = (*history.grad_w[c.k], history.grad_b[c.k])
    st.latex(_update_lines(c.w, c.b, lr, mean, next_w, next_b, "J" if c.d.l2 else "L"))
    st.success(
        f"With the batch mean, the update gives exactly the Playground's step {c.k + 1:,}: "
        f"w1 = {fmt(next_w[0])}, w2 = {fmt(next_w[1])}, b = {fmt(next_b)}."
    )


def _batch_frame(c: Case, history: History, slope: str, m: int, inside: bool) -> pd.DataFrame:
    """This point's derivatives, its share of the batch mean, and what the update used."""
    mine = (c.d.dL_dw1, c.d.dL_dw2, c.d.dL_db)
    used = np.array([*history.grad_w[c.k], history.grad_b[c.k]])
    k1 = f"{c.k + 1:,}"
    columns = {
        "derivative": ["∂L/∂w1", "∂L/∂w2", "∂L/∂b"],
        f"this point: {slope}": mine,
        f"its share (÷ {m:,})": [v / m if inside else 0.0 for v in mine],
    }
    if not c.d.l2:
        return pd.DataFrame(columns | {f"batch mean (update {k1})": used})
    decay = np.array([c.d.dR_dw1, c.d.dR_dw2, 0.0])
    return pd.DataFrame(
        columns
        | {
            f"batch mean (update {k1})": used - decay,
            "+ λ·w (b: 0)": decay,
            f"∂J: what update {k1} used": used,
        }
    )
