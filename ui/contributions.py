"""Every point's share of the gradient at step k: the table, the bars, and the check that
their mean is the gradient the update used (the end of the Derivation page).

Each point asks for ∂L/∂z·x: −(y−ŷ)·x with the log loss, (ŷ−y)·ŷ(1−ŷ)·x with squared
error. With λ > 0 the update adds the penalty's λ·w once, to the mean, not per point.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from perceptron import History, Scenario, gradient
from perceptron.explain import WRONG, verdicts
from perceptron.formatting import fmt
from perceptron.model import dL_dz_from_logit, logit, predict_proba
from ui.common import chart_config, layout
from ui.derivation import slope_words
from ui.keys import DERIVATION_COLUMN
from ui.style import BOTH_THEMES

# Readable in both themes; misclassified bars are also hatched, so colour is not needed.
MISCLASSIFIED_COLOR = BOTH_THEMES["purple"]
CORRECT_COLOR = BOTH_THEMES["grey"]
MEAN_COLOR = BOTH_THEMES["orange"]
# Beyond this many bars the point labels under the bar chart are left out.
MAX_BAR_LABELS = 60
# The chart's choice: which parameter's column it shows (what z is multiplied by).
PARAMETERS = {"w1": "x1", "w2": "x2", "b": ""}


def columns_of(loss: str) -> dict[str, str]:
    """Each parameter's column name: "−(y−ŷ)·x1", … for the log loss, "(ŷ−y)·ŷ(1−ŷ)·x1", …
    for squared error."""
    return {name: slope_words(loss, x) for name, x in PARAMETERS.items()}


def contributions_frame(s: Scenario, history: History) -> pd.DataFrame:
    """One row per point at the weights of step k: y, ŷ, misclassified, and what the point
    asks of w1, w2 and b (∂L/∂z·x1, ∂L/∂z·x2, ∂L/∂z for the run's loss)."""
    w, b = history.state(s.step)
    X, y = np.asarray(s.X), np.asarray(s.y)
    z = logit(w, b, X)
    y_hat = predict_proba(w, b, X)
    slope = dL_dz_from_logit(z, y, s.config.loss)  # never from 1 − a rounded ŷ
    used = np.zeros(len(y), bool)
    if s.step < history.n_updates:
        used[history.points_used(s.step + 1)] = True
    names = columns_of(s.config.loss)
    return pd.DataFrame(
        {
            "point": np.arange(1, len(y) + 1),
            "x1": X[:, 0],
            "x2": X[:, 1],
            "y": y.astype(int),
            "ŷ": y_hat,
            "misclassified": verdicts(y_hat, y) == WRONG,  # ŷ = 0.5 is undecided, not wrong
            names["w1"]: slope * X[:, 0],
            names["w2"]: slope * X[:, 1],
            names["b"]: slope,
            "in update k+1": used,
        }
    )


def every_point(s: Scenario, history: History) -> None:
    """Every point's ∂L/∂z·x at step k: table, bars, and the check that they average out right."""
    st.header("Every point's share of the gradient")
    frame = contributions_frame(s, history)
    names = columns_of(s.config.loss)
    st.markdown(_who_pulls(frame, s, history, names["b"]))
    _mean_check(s, history, frame, list(names.values()))
    chosen = st.segmented_control(
        "Show in the chart",
        options=list(PARAMETERS),
        format_func=names.get,
        default="b",
        key=DERIVATION_COLUMN,
        required=True,
    )
    column = names[chosen or "b"]
    st.plotly_chart(
        contributions_figure(frame, column),
        width="stretch",
        config=chart_config(),
        alt=f"Bar chart of each point's {column} at step {s.step}, misclassified points hatched.",
    )
    st.dataframe(
        frame.sort_values(names["b"], key=np.abs, ascending=False),
        hide_index=True,
        width="stretch",
        height=320,
        column_config=_table_columns(names.values()),
    )


def _table_columns(names) -> dict:
    return {
        "point": st.column_config.NumberColumn("point #", format="#%d"),
        "ŷ": st.column_config.NumberColumn(format="%.4f"),
        **{c: st.column_config.NumberColumn(format="%.4g") for c in names},
    }


def _share_of_wrong(frame: pd.DataFrame, pull: np.ndarray) -> float:
    """The misclassified points' share of the total |pull|."""
    total = pull.sum()
    return float(pull[frame["misclassified"].to_numpy()].sum() / total) if total > 0 else 0.0


def _who_pulls(frame: pd.DataFrame, s: Scenario, history: History, column: str) -> str:
    """How many points are misclassified, and their share of the total pull, in words."""
    wrong = frame["misclassified"]
    share = _share_of_wrong(frame, frame[column].abs().to_numpy())
    undecided = int((frame["ŷ"] == 0.5).sum())
    if not wrong.any():
        return (
            f"At step k = {s.step:,} each point asks for its own change, {column}·x. **No "
            f"point is misclassified**"
            + (f" ({undecided} undecided, ŷ = 0.5 exactly)" if undecided else "")
            + ": the pull comes from points that are right but not yet sure of it, and the "
            "surer a point is, the less it pulls. Sort the table by any column."
        )
    head = (
        f"At step k = {s.step:,} each point asks for its own change, {column}·x. "
        f"**{int(wrong.sum())} of {len(frame)} points are misclassified**"
        + (f" ({undecided} undecided, ŷ = 0.5 exactly)" if undecided else "")
    )
    if s.config.loss == "log":
        return head + (
            f", and they carry **{share:.0%}** of the total error |y − ŷ|: wrong points pull "
            "hardest, points that are already right and confident barely pull at all. Sort "
            "the table by any column."
        )
    w, b = history.state(s.step)
    z = logit(w, b, np.asarray(s.X))
    log_share = _share_of_wrong(frame, np.abs(dL_dz_from_logit(z, np.asarray(s.y), "log")))
    versus = (
        f" (with the log loss they would carry {log_share:.0%})"
        if f"{log_share:.0%}" != f"{share:.0%}"
        else ""
    )
    return head + (
        f", and they carry **{share:.0%}** of the total pull |{column}|{versus}: with squared "
        "error a point the neuron is sure about pulls weakly, whether it is right or wrong. "
        "Sort the table by any column."
    )


def _mean_check(s: Scenario, history: History, frame: pd.DataFrame, columns: list[str]) -> None:
    X, y, config = np.asarray(s.X), np.asarray(s.y), s.config
    w, b = history.state(s.step)
    grad_w, grad_b = gradient(w, b, X, y, config.loss)
    decay = [config.l2 * w[0], config.l2 * w[1], 0.0]
    rows = {
        "mean of the column over all points": [frame[c].mean() for c in columns],
        "∂L/∂w1, ∂L/∂w2, ∂L/∂b of the mean loss": [grad_w[0], grad_w[1], grad_b],
    }
    if config.l2:
        rows["the penalty's λ·w1, λ·w2 (b: 0)"] = decay
        rows["∂J/∂w1, ∂J/∂w2, ∂J/∂b: the mean plus λ·w"] = [*(grad_w + decay[:2]), grad_b]
    if s.step < history.n_updates:
        used = frame["in update k+1"]
        mean = [frame.loc[used, c].mean() for c in columns]
        rows[f"mean over the points update {s.step + 1:,} uses ({int(used.sum()):,})"] = mean
        if config.l2:
            rows["that mean plus λ·w"] = np.add(mean, decay).tolist()
        rows[f"what update {s.step + 1:,} used (Playground)"] = [
            *history.grad_w[s.step],
            history.grad_b[s.step],
        ]
    check = pd.DataFrame(rows, index=columns).T
    st.markdown(_check_words(config.l2))
    st.dataframe(check.map(fmt).rename_axis("quantity"), width="stretch")


def _check_words(l2: float) -> str:
    words = (
        "**Check:** the mean of each column is the gradient of the mean loss, the direction "
        "a full-batch update follows; the mean over the points an update uses is what that "
        "update used"
    )
    if l2:
        return words + (
            f", once the penalty's λ·w is added (λ = {fmt(l2)}): it belongs to the weights, "
            "not to any point, so it is added to the mean once."
        )
    return words + "."


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
