"""The Learning-rate race page's pieces: pick rates, run them side by side, judge each run."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from perceptron import History, Scenario, TrainConfig, boundary_segment, view_ranges
from perceptron.frames import sample_indices
from perceptron.race import RULE, Separation, Verdict, race_epochs, run_race, separation, verdict
from perceptron.settings import MODE_LABELS
from ui.common import chart_config, class_markers, fmt, layout
from ui.keys import RACE_LOG, RACE_RATES
from ui.page import presenter
from ui.style import BOTH_THEMES

RATE_OPTIONS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
DEFAULT_RATES = [0.01, 0.1, 1.0, 10.0]
MAX_RATES = 4
# One colour and one dash per runner, so the lines differ without colour too; none is a
# class colour (the boundaries chart shows both), all are readable in both themes.
RUNNER_COLORS = tuple(BOTH_THEMES[c] for c in ("green", "orange", "purple", "grey"))
RUNNER_DASHES = ("solid", "dash", "dot", "dashdot")
BADGES = {
    "converging": ("blue", ":material/check_circle:"),
    "oscillating": ("orange", ":material/swap_vert:"),
    "diverging": ("red", ":material/trending_up:"),
    "too slow": ("gray", ":material/hourglass_bottom:"),
}


@st.cache_data(max_entries=8, show_spinner="Running the race…")
def cached_race(X, y, config: TrainConfig, rates: tuple[float, ...]) -> list[History]:
    """``run_race``, cached on the points, the settings and the rates."""
    return run_race(X, y, config, rates)


def pick_rates() -> list[float]:
    """The multiselect of 2 to 4 learning rates, smallest first."""
    rates = st.multiselect(
        "Learning rates to race (2 to 4)",
        RATE_OPTIONS,
        default=DEFAULT_RATES,
        format_func=lambda r: f"α = {r:g}",
        max_selections=MAX_RATES,
        key=RACE_RATES,
    )
    return sorted(rates)


def race_config(s: Scenario, n_rates: int) -> TrainConfig | None:
    """The scenario's settings with the epochs cut to fit the update budget (said on the page)."""
    config = s.config
    try:
        epochs, note = race_epochs(len(s.y), config, n_rates)
    except ValueError as error:
        st.error(f"This race is too big to run: {error}. Use fewer points or larger batches.")
        return None
    if note:
        st.warning(note)
    return replace(config, epochs=epochs)


def settings_caption(s: Scenario, config: TrainConfig) -> None:
    """What every runner shares."""
    (w1, w2), b = config.start()
    st.caption(
        f"Every runner gets the same {len(s.y):,} points, the same start (w1 = {fmt(w1)}, "
        f"w2 = {fmt(w2)}, b = {fmt(b)}), updates made “{MODE_LABELS[config.mode]}”, "
        f"{config.epochs:,} epochs"
        + (f", batches of {config.batch_size}" if config.mode == "minibatch" else "")
        + ". Only α differs. Change the rest in the sidebar; load the “Overlapping blobs” "
        "preset on the Playground to see rates that bounce or climb."
    )


def verdict_row(rates, verdicts: list[Verdict]) -> None:
    """One column per runner: its rate, the verdict badge and the reason."""
    for col, rate, v in zip(st.columns(len(rates)), rates, verdicts, strict=True):
        color, icon = BADGES[v.label]
        col.markdown(f"**α = {rate:g}**")
        col.badge(v.label, icon=icon, color=color)
        col.caption(v.reason[0].upper() + v.reason[1:])


TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}
# A log loss axis labels at most this many powers of ten (one for each of 10⁻¹ … 10⁻¹⁸
# overlapped); fewer in presenter mode, whose text is bigger on a shorter chart.
MAX_LOG_TICKS = 6
MAX_LOG_TICKS_PRESENTER = 4


def log_dtick(values, max_ticks: int = MAX_LOG_TICKS) -> int:
    """Decades between labelled ticks, so a log axis over ``values`` has ≤ ``max_ticks``."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if not len(v):
        return 1
    decades = np.ceil(np.log10(v.max())) - np.floor(np.log10(v.min()))
    return max(1, int(np.ceil(decades / max_ticks)))


def loss_figure(rates, histories: list[History], log_y: bool) -> go.Figure:
    """Every runner's mean loss against the update number."""
    fig = go.Figure()
    for i, (rate, h) in enumerate(zip(rates, histories, strict=True)):
        idx = sample_indices(len(h.loss_steps))
        fig.add_trace(_line(h.loss_steps[idx], h.loss[idx], rate, i, "loss"))
    most = MAX_LOG_TICKS_PRESENTER if presenter() else MAX_LOG_TICKS
    dtick = log_dtick(np.concatenate([h.loss for h in histories]), most)
    log_axis = {"type": "log", "dtick": dtick, "exponentformat": "power"}
    fig.update_layout(_over_updates("Loss: mean L over all points", log_axis if log_y else {}))
    return fig


def norm_figure(rates, histories: list[History]) -> go.Figure:
    """Every runner's ‖w‖ = √(w1² + w2²) against the update number."""
    fig = go.Figure()
    for i, (rate, h) in enumerate(zip(rates, histories, strict=True)):
        idx = sample_indices(h.n_updates + 1)
        fig.add_trace(_line(idx, np.linalg.norm(h.w[idx], axis=1), rate, i, "‖w‖"))
    fig.update_layout(_over_updates("Size of the weights ‖w‖", {"rangemode": "tozero"}))
    return fig


def _over_updates(title: str, yaxis: dict) -> dict:
    """The layout of a chart of every runner against the update number, legend on top."""
    return layout(
        360,
        title={"text": title, "x": 0, "y": 0.98, "yanchor": "top"},
        xaxis={"title": {"text": "update k"}},
        yaxis=yaxis,
        legend=TOP_LEGEND,
        margin={"l": 60, "r": 20, "t": 80, "b": 50},
    )


def _line(x, y, rate: float, i: int, what: str) -> go.Scatter:
    return go.Scatter(
        x=x,
        y=y,
        mode="lines",
        name=f"α = {rate:g}",
        line={"color": RUNNER_COLORS[i], "dash": RUNNER_DASHES[i], "width": 2.5},
        hovertemplate=f"α = {rate:g}<br>update %{{x:,}}<br>{what} = %{{y:.4g}}<extra></extra>",
    )


def boundaries_figure(X, y, rates, histories: list[History], verdicts: list[Verdict]) -> go.Figure:
    """The points and every runner's final boundary (where ŷ = 0.5) on one chart."""
    x_range, y_range = view_ranges(X)
    runners = zip(rates, histories, verdicts, strict=True)
    fig = go.Figure(
        [
            *class_markers(X, y, size=9, outline=1, hover=True),
            *(_boundary(i, *runner, x_range, y_range) for i, runner in enumerate(runners)),
        ]
    )
    fig.update_layout(
        layout(
            520,
            title={"text": "Final boundaries (ŷ = 0.5)", "x": 0},
            xaxis={"title": {"text": "x1"}, "range": list(x_range), "constrain": "domain"},
            yaxis={
                "title": {"text": "x2"},
                "range": list(y_range),
                "scaleanchor": "x",
                "constrain": "domain",
            },
            legend={"orientation": "v", "x": 1.02, "y": 1, "xanchor": "left"},
        )
    )
    return fig


def _boundary(i: int, rate: float, h: History, v: Verdict, x_range, y_range) -> go.Scatter:
    """Runner i's final boundary across the view, named with its verdict."""
    w, b = h.state(h.n_updates)
    seg = boundary_segment(w, b, x_range, y_range)
    shown = " (outside the view)" if seg is None else ""
    return go.Scatter(
        x=[seg[0][0], seg[1][0]] if seg else [None],
        y=[seg[0][1], seg[1][1]] if seg else [None],
        mode="lines",
        name=f"α = {rate:g}: {v.label}{shown}",
        line={"color": RUNNER_COLORS[i], "dash": RUNNER_DASHES[i], "width": 3},
        hoverinfo="skip",
    )


def separable_note(rates, seps: list[Separation]) -> None:
    """Say which runs show the separable-data effect, or why none does."""
    growing = [(r, sep) for r, sep in zip(rates, seps, strict=True) if sep.unbounded]
    if growing:
        listed = ", ".join(
            f"α = {r:g} (‖w‖ {fmt(sep.norm_late)} → {fmt(sep.norm_end)}, +{sep.growth:.1%} in the "
            "last quarter)"
            for r, sep in growing
        )
        st.info(
            f"**The weights grow without bound** for {listed}. Every point is already on its "
            "own side, so the data are linearly separable, and then scaling w and b up makes "
            "every ŷ more confident and the loss smaller still. The loss creeps towards 0 but "
            "never reaches it, so gradient descent never stops: ‖w‖ keeps growing, ever more "
            "slowly, while the boundary itself hardly moves."
        )
    elif any(sep.all_correct for sep in seps):
        st.caption(
            "Some run gets every point right, but its ‖w‖ has (almost) stopped growing: the "
            "loss is so close to 0 that the updates have become tiny."
        )
    else:
        st.caption(
            "No run gets every point right, so the data (or these runs) are not separated: "
            "there is a best finite w, and ‖w‖ levels off instead of growing for ever."
        )


def race(s: Scenario) -> None:
    """The whole race: rates, the shared settings, verdicts, charts and the rule."""
    rates = pick_rates()
    if len(rates) < 2:
        st.info("Pick at least two learning rates to race.")
        return
    config = race_config(s, len(rates))
    if config is None:
        return
    settings_caption(s, config)
    X, y = np.asarray(s.X), np.asarray(s.y)
    histories = cached_race(X, y, config, tuple(rates))
    verdicts = [verdict(h.loss) for h in histories]
    verdict_row(rates, verdicts)
    log_y = st.toggle("Log-scale loss", value=True, key=RACE_LOG)
    left, right = st.columns(2)
    left.plotly_chart(
        loss_figure(rates, histories, log_y),
        width="stretch",
        config=chart_config(),
        alt="Loss curves of every learning rate, overlaid.",
    )
    right.plotly_chart(
        norm_figure(rates, histories),
        width="stretch",
        config=chart_config(),
        alt="The size of the weights ‖w‖ over the updates, every rate.",
    )
    separable_note(rates, [separation(h, X, y) for h in histories])
    st.plotly_chart(
        boundaries_figure(X, y, rates, histories, verdicts),
        width="stretch",
        config=chart_config(),
        alt="The points and the final decision boundary of every rate.",
    )
    st.header("How the verdict is decided")
    st.markdown(RULE)
