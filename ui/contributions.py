"""Every point's share of the gradient at step k: the table, the bars, and the check that
their mean is the gradient the update used (the end of the Derivation page)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from perceptron import History, Scenario, gradient
from perceptron.explain import WRONG, verdicts
from perceptron.model import error_from_logit, logit, predict_proba
from ui.common import chart_config, fmt, layout
from ui.keys import DERIVATION_COLUMN
from ui.style import BOTH_THEMES

# Readable in both themes; misclassified bars are also hatched, so colour is not needed.
MISCLASSIFIED_COLOR = BOTH_THEMES["purple"]
CORRECT_COLOR = BOTH_THEMES["grey"]
MEAN_COLOR = BOTH_THEMES["orange"]
# Beyond this many bars the point labels under the bar chart are left out.
MAX_BAR_LABELS = 60


def contributions_frame(s: Scenario, history: History) -> pd.DataFrame:
    """One row per point at the weights of step k: y, ŷ, misclassified, −(y−ŷ)·x1, ·x2, −(y−ŷ)."""
    w, b = history.state(s.step)
    X, y = np.asarray(s.X), np.asarray(s.y)
    z = logit(w, b, X)
    y_hat = predict_proba(w, b, X)
    error = -error_from_logit(z, y)  # −(y − ŷ), without 1 − a rounded ŷ
    used = np.zeros(len(y), bool)
    if s.step < history.n_updates:
        used[history.points_used(s.step + 1)] = True
    return pd.DataFrame(
        {
            "point": np.arange(1, len(y) + 1),
            "x1": X[:, 0],
            "x2": X[:, 1],
            "y": y.astype(int),
            "ŷ": y_hat,
            "misclassified": verdicts(y_hat, y) == WRONG,  # ŷ = 0.5 is undecided, not wrong
            "−(y−ŷ)·x1": error * X[:, 0],
            "−(y−ŷ)·x2": error * X[:, 1],
            "−(y−ŷ)": error,
            "in update k+1": used,
        }
    )


_COLUMNS = ("−(y−ŷ)·x1", "−(y−ŷ)·x2", "−(y−ŷ)")


def every_point(s: Scenario, history: History) -> None:
    """Every point's −(y−ŷ)·x at step k: table, bars, and the check that they average out right."""
    st.header("Every point's share of the gradient")
    frame = contributions_frame(s, history)
    st.markdown(_who_pulls(frame, s.step))
    _mean_check(s, history, frame)
    component = st.segmented_control(
        "Show in the chart",
        options=list(_COLUMNS),
        default=_COLUMNS[2],
        key=DERIVATION_COLUMN,
        required=True,
    )
    st.plotly_chart(
        contributions_figure(frame, component or _COLUMNS[2]),
        width="stretch",
        config=chart_config(),
        alt=f"Bar chart of each point's {component} at step {s.step}, misclassified points "
        "hatched.",
    )
    st.dataframe(
        frame.sort_values("−(y−ŷ)", key=np.abs, ascending=False),
        hide_index=True,
        width="stretch",
        height=320,
        column_config=_TABLE_COLUMNS,
    )


_TABLE_COLUMNS = {
    "point": st.column_config.NumberColumn("point #", format="#%d"),
    "ŷ": st.column_config.NumberColumn(format="%.4f"),
    **{c: st.column_config.NumberColumn(format="%.4g") for c in _COLUMNS},
}


def _who_pulls(frame: pd.DataFrame, k: int) -> str:
    """How many points are misclassified, and their share of the total error, in words."""
    wrong = frame["misclassified"]
    weight = frame["−(y−ŷ)"].abs()
    share = weight[wrong].sum() / weight.sum() if weight.sum() > 0 else 0.0
    undecided = int((frame["ŷ"] == 0.5).sum())
    return (
        f"At step k = {k:,} each point asks for its own change, −(y − ŷ)·x. "
        f"**{int(wrong.sum())} of {len(frame)} points are misclassified**"
        + (f" ({undecided} undecided, ŷ = 0.5 exactly)" if undecided else "")
        + ", and they carry "
        f"**{share:.0%}** of the total error |y − ŷ|: wrong points pull hardest, points that are "
        "already right and confident barely pull at all. Sort the table by any column."
    )


def _mean_check(s: Scenario, history: History, frame: pd.DataFrame) -> None:
    w, b = history.state(s.step)
    grad_w, grad_b = gradient(w, b, np.asarray(s.X), np.asarray(s.y))
    rows = {
        "mean of the column over all points": [frame[c].mean() for c in _COLUMNS],
        "∂L/∂w1, ∂L/∂w2, ∂L/∂b of the mean loss": [grad_w[0], grad_w[1], grad_b],
    }
    if s.step < history.n_updates:
        used = frame["in update k+1"]
        rows[f"mean over the points update {s.step + 1:,} uses ({int(used.sum()):,})"] = [
            frame.loc[used, c].mean() for c in _COLUMNS
        ]
        rows[f"what update {s.step + 1:,} used (Playground)"] = [
            *history.grad_w[s.step],
            history.grad_b[s.step],
        ]
    check = pd.DataFrame(rows, index=list(_COLUMNS)).T
    st.markdown(
        "**Check:** the mean of each column is the gradient of the mean loss, the direction "
        "a full-batch update follows; the mean over the points an update uses is what that "
        "update used."
    )
    st.dataframe(check.map(fmt).rename_axis("quantity"), width="stretch")


# The two kinds of bars: misclassified (hatched) and correct.
_BARS = ((True, "misclassified", MISCLASSIFIED_COLOR, "/"), (False, "correct", CORRECT_COLOR, ""))


def contributions_figure(frame: pd.DataFrame, column: str) -> go.Figure:
    """Bars of one contribution column, sorted, misclassified points hatched, the mean dashed."""
    ordered = frame.sort_values(column, ascending=False)
    fig = go.Figure(
        [
            _bars(ordered[ordered["misclassified"] == wrong], column, name, color, hatch)
            for wrong, name, color, hatch in _BARS
        ]
    )
    mean = float(frame[column].mean())
    fig.add_hline(
        y=mean,
        line={"dash": "dash", "color": MEAN_COLOR, "width": 2},
        annotation_text=f"mean = {fmt(mean)}",
        annotation_position="top right",
    )
    fig.update_layout(_bars_layout(column, [f"#{p}" for p in ordered["point"]]))
    return fig


def _bars(part: pd.DataFrame, column: str, name: str, color: str, hatch: str) -> go.Bar:
    return go.Bar(
        x=[f"#{p}" for p in part["point"]],
        y=part[column],
        name=name,
        marker={"color": color, "pattern": {"shape": hatch}},
        customdata=np.column_stack([part["y"], part["ŷ"]]),
        hovertemplate="point %{x}: class %{customdata[0]}, ŷ = %{customdata[1]:.3f}"
        f"<br>{column} = %{{y:.4g}}<extra></extra>",
    )


def _bars_layout(column: str, labels: list[str]) -> dict:
    """Points along x in ``labels``' order (named while there are few), ``column`` up."""
    return layout(
        340,
        title={"text": f"{column} for each point, largest first", "x": 0},
        xaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            "showticklabels": len(labels) <= MAX_BAR_LABELS,
            "title": {"text": "point"},
        },
        yaxis={"title": {"text": column}, "zeroline": True},
        bargap=0.15,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
