"""The Learning-rate race page's pieces: race several rates, or the two losses at one rate,
on the same points and start; judge each run; say how large α may be for these points.

A race is a list of runners: each has a name ("α = 0.1", "squared error"), a run, the
verdict on its own loss curve, the curve the loss chart draws and the step-size bound
that holds for its settings (``perceptron.stepsize``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from perceptron import History, Scenario, TrainConfig, boundary_segment, view_ranges
from perceptron.accuracy import CORRECT
from perceptron.formatting import fmt
from perceptron.frames import sample_indices
from perceptron.race import (
    RULE,
    Separation,
    Verdict,
    log_loss_curve,
    race_epochs,
    run_loss_race,
    run_race,
    separation,
    verdict,
)
from perceptron.settings import MODE_LABELS
from perceptron.stepsize import StepBound, step_bound
from ui.common import chart_config, class_markers, layout
from ui.keys import RACE_KIND, RACE_LOG, RACE_RATES
from ui.page import presenter
from ui.style import BOTH_THEMES

RATE_OPTIONS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
DEFAULT_RATES = [0.01, 0.1, 1.0, 10.0]
MAX_RATES = 4
KINDS = {"rates": "Learning rates", "losses": "The two losses, at one rate"}
LOSS_NAMES = {"log": "log loss", "squared": "squared error"}
# One colour and one dash per runner, so the lines differ without colour too; none is a
# class colour (the boundaries chart shows both), all are readable in both themes.
RUNNER_COLORS = tuple(BOTH_THEMES[c] for c in ("green", "orange", "purple", "grey"))
RUNNER_DASHES = ("solid", "dash", "dot", "dashdot")
# The same run without the penalty, drawn on the ‖w‖ chart when λ > 0: its runner's colour,
# thinner, in a dash no runner uses.
REFERENCE_DASH = "longdash"
BADGES = {
    "converging": ("blue", ":material/check_circle:"),
    "oscillating": ("orange", ":material/swap_vert:"),
    "diverging": ("red", ":material/trending_up:"),
    "too slow": ("gray", ":material/hourglass_bottom:"),
}
BOUND_BADGES = {
    True: ("below the step-size bound", "green", ":material/check:"),
    False: ("above the step-size bound", "orange", ":material/warning:"),
}


@dataclass(frozen=True)
class Runner:
    """One run of a race: its name, the run, its verdict, what the loss chart draws of it
    (``steps``, ``curve``) and the step-size bound for its settings."""

    name: str
    rate: float
    history: History
    verdict: Verdict
    steps: np.ndarray
    curve: np.ndarray
    bound: StepBound

    @property
    def within_bound(self) -> bool:
        return self.bound.allows(self.rate)


@st.cache_data(max_entries=8, show_spinner="Running the race…")
def cached_race(X, y, config: TrainConfig, rates: tuple[float, ...]) -> list[History]:
    """``run_race``, cached on the points, the settings and the rates."""
    return run_race(X, y, config, rates)


@st.cache_data(max_entries=8, show_spinner="Running the race…")
def cached_loss_race(X, y, config: TrainConfig) -> list[History]:
    """``run_loss_race``, cached on the points and the settings."""
    return run_loss_race(X, y, config)


def just_below(alpha: float) -> float:
    """``alpha`` rounded down to 2 significant digits, and strictly below it."""
    power = math.floor(math.log10(alpha)) - 1
    kept = math.floor(alpha / 10.0**power) * 10.0**power
    if kept >= alpha:
        kept -= 10.0**power
    return float(f"{kept:.2g}")


def rate_options(config: TrainConfig, bound: StepBound) -> dict[float, str]:
    """The rates one can race, each with its label: the usual ones, the sidebar's α and the
    largest round α just below the step-size bound (to race it against one just above)."""
    labels = {r: f"α = {r:g}" for r in RATE_OPTIONS}
    lr = config.learning_rate
    below = just_below(bound.alpha) if bound.alpha > MIN_RATE else None
    if below is not None and below not in (lr,):
        labels[below] = f"α = {below:g} (just below the bound)"
    labels[lr] = f"α = {lr:g} (the sidebar's)"
    return dict(sorted(labels.items()))


# Below this a bound is not worth offering as a rate of its own.
MIN_RATE = 1e-3


def pick_rates(options: dict[float, str]) -> list[float]:
    """The multiselect of 2 to 4 learning rates, smallest first."""
    rates = st.multiselect(
        "Learning rates to race (2 to 4)",
        list(options),
        default=DEFAULT_RATES,
        format_func=options.get,
        max_selections=MAX_RATES,
        key=RACE_RATES,
        help="Besides the usual rates: the learning rate set in the sidebar, and the largest "
        "round α below the step-size bound for these points. Race that one against a rate "
        "just above the bound to see what the bound means.",
    )
    return sorted(rates)


def race_config(s: Scenario, n_runs: int) -> TrainConfig | None:
    """The scenario's settings with the epochs cut to fit the update budget (said on the page)."""
    config = s.config
    try:
        epochs, note = race_epochs(len(s.y), config, n_runs)
    except ValueError as error:
        st.error(f"This race is too big to run: {error}. Use fewer points or larger batches.")
        return None
    if note:
        st.warning(note)
    return replace(config, epochs=epochs)


def settings_caption(s: Scenario, config: TrainConfig, kind: str) -> None:
    """What every runner shares."""
    (w1, w2), b = config.start()
    shared = (
        f"the same loss ({LOSS_NAMES[config.loss]}), "
        if kind == "rates"
        else f"the same learning rate (α = {config.learning_rate:g}, set in the sidebar), "
    )
    differs = (
        "Only α differs. Change the rest in the sidebar; load the “Overlapping blobs” preset "
        "on the Playground to see rates that bounce or climb."
        if kind == "rates"
        else "Only the loss differs: each run lowers its own. The preset “A confident wrong "
        "start” (Data page) shows the difference within a few steps."
    )
    st.caption(
        f"Every runner gets the same {len(s.y):,} points, the same start (w1 = {fmt(w1)}, "
        f"w2 = {fmt(w2)}, b = {fmt(b)}), {shared}updates made “{MODE_LABELS[config.mode]}”, "
        f"{config.epochs:,} epochs"
        + (f", batches of {config.batch_size}" if config.mode == "minibatch" else "")
        + (f", L2 regularisation λ = {config.l2:g}" if config.l2 else "")
        + f". {differs}"
    )


# ---------------------------------------------------------------- the runners


def rate_runners(X, y, config: TrainConfig, rates: list[float]) -> list[Runner]:
    """One runner per learning rate; the loss chart draws each run's own objective."""
    bound = step_bound(X, config)
    return [
        Runner(f"α = {rate:g}", rate, h, verdict(h.loss), h.loss_steps, h.loss, bound)
        for rate, h in zip(rates, cached_race(X, y, config, tuple(rates)), strict=True)
    ]


def loss_runners(X, y, config: TrainConfig) -> list[Runner]:
    """The log loss and squared error at one rate; the loss chart measures both with the log
    loss (their own losses are in different units), the verdict judges each on its own."""
    rate = config.learning_rate
    return [
        Runner(
            LOSS_NAMES[h.config.loss],
            rate,
            h,
            verdict(h.loss),
            h.loss_steps,
            log_loss_curve(h),
            step_bound(X, h.config),
        )
        for h in cached_loss_race(X, y, config)
    ]


def verdict_row(runners: list[Runner]) -> None:
    """One column per runner: its name, the verdict and bound badges, the reason, and how
    many points it classifies right at the end."""
    for col, r in zip(st.columns(len(runners)), runners, strict=True):
        color, icon = BADGES[r.verdict.label]
        words, bound_color, bound_icon = BOUND_BADGES[r.within_bound]
        col.markdown(f"**{r.name}**")
        with col.container(horizontal=True, gap="small"):
            st.badge(r.verdict.label, icon=icon, color=color)
            st.badge(words, icon=bound_icon, color=bound_color)
        col.caption(r.verdict.reason[0].upper() + r.verdict.reason[1:] + " " + _final_tally(r))


def _final_tally(r: Runner) -> str:
    """How many points the run classifies right at its end, and from when all were right."""
    h = r.history
    right = h.counts[:, :, CORRECT].sum(axis=1)
    n = int(h.counts[-1].sum())
    last = int(right[-1])
    text = f"At the end {last:,} of {n:,} points are classified right ({last / n:.0%})"
    every = np.flatnonzero(right == n)
    if len(every) and last == n:
        text += f"; all of them first at update {int(h.loss_steps[every[0]]):,}"
    return text + "."


def bound_box(runners: list[Runner], kind: str) -> None:
    """How large α may be for these points, in words, and where each runner's α stands;
    the reasoning and the formula folded away."""
    with st.container(border=True):
        if kind == "rates":
            bound = runners[0].bound
            st.markdown(f"**How large may α be?** {bound.headline()} {_standing(runners)}")
            lines = [f"- {bound.compare(r.rate)}" for r in runners]
            details = f"{bound.sentence()}\n\n" + "\n".join(lines) + f"\n\n{_formula(bound)}"
        else:
            st.markdown("**How large may α be?** Each loss has its own bound on these points:")
            st.markdown(
                "\n".join(f"- **{r.name}**: {r.bound.headline()} {_standing([r])}" for r in runners)
            )
            details = "\n\n".join(
                f"**{r.name}**: {r.bound.sentence()} {r.bound.compare(r.rate)} {_formula(r.bound)}"
                for r in runners
            )
        with st.expander("Why, and the bound worked out for these points"):
            st.markdown(details)


def _standing(runners: list[Runner]) -> str:
    """Where the runners' α stand against their bound, in one short sentence."""
    below = [r for r in runners if r.within_bound]
    above = [r for r in runners if not r.within_bound]
    parts = []
    if below:
        parts.append(f"{_rates(below)} {'is' if len(below) == 1 else 'are'} below it")
    if above:
        parts.append(f"{_rates(above)} {'is' if len(above) == 1 else 'are'} above it")
    return "; ".join(parts) + "."  # it begins with "α", which stays lower case


def _rates(runners: list[Runner]) -> str:
    return "α = " + ", ".join(f"{r.rate:g}" for r in runners)


def _formula(bound: StepBound) -> str:
    return f"The bound worked out: {bound.formula}."


TOP_LEGEND = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}
# A log loss axis labels at most this many powers of ten (one for each of 10⁻¹ … 10⁻¹⁸
# overlapped); fewer in presenter mode, whose text is bigger on a shorter chart.
MAX_LOG_TICKS = 6
MAX_LOG_TICKS_PRESENTER = 4


def _decades(values) -> float:
    """How many powers of ten the positive finite ``values`` span, as a log axis rounds them."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if not len(v):
        return 0.0
    return float(np.ceil(np.log10(v.max())) - np.floor(np.log10(v.min())))


# A log axis over fewer decades than this would get one labelled tick, or none, with a tick
# per decade: Plotly's own ticks (0.7, 0.8, …) label it instead.
MIN_DECADES_FOR_DTICK = 2


def log_dtick(values, max_ticks: int = MAX_LOG_TICKS) -> int:
    """Decades between labelled ticks, so a log axis over ``values`` has ≤ ``max_ticks``."""
    return max(1, int(np.ceil(_decades(values) / max_ticks)))


def loss_title(kind: str, l2: float) -> str:
    if kind == "losses":
        return "Log loss of both runs (one yardstick)"
    return "Loss: mean L + (λ/2)‖w‖²" if l2 else "Loss: mean L over all points"


def loss_figure(runners: list[Runner], log_y: bool, title: str) -> go.Figure:
    """Every runner's loss curve against the update number."""
    fig = go.Figure()
    for i, r in enumerate(runners):
        idx = sample_indices(len(r.steps))
        fig.add_trace(_line(r.steps[idx], r.curve[idx], r.name, i, "loss"))
    most = MAX_LOG_TICKS_PRESENTER if presenter() else MAX_LOG_TICKS
    curves = np.concatenate([r.curve for r in runners])
    log_axis = {"type": "log", "exponentformat": "power"}
    if _decades(curves) >= MIN_DECADES_FOR_DTICK:  # fewer: Plotly labels 0.7, 0.8, … itself
        log_axis["dtick"] = log_dtick(curves, most)
    fig.update_layout(_over_updates(title, log_axis if log_y else {}))
    return fig


def norm_figure(runners: list[Runner], reference: tuple[int, History] | None) -> go.Figure:
    """Every runner's ‖w‖ = √(w1² + w2²) against the update number; with ``reference`` (a
    runner's index and its run without the penalty) that run too, for comparison."""
    fig = go.Figure()
    for i, r in enumerate(runners):
        idx = sample_indices(r.history.n_updates + 1)
        fig.add_trace(_line(idx, np.linalg.norm(r.history.w[idx], axis=1), r.name, i, "‖w‖"))
    if reference is not None:
        i, h = reference
        idx = sample_indices(h.n_updates + 1)
        name = f"{runners[i].name} with λ = 0"
        line = _line(idx, np.linalg.norm(h.w[idx], axis=1), name, i, "‖w‖")
        line.update(line={"dash": REFERENCE_DASH, "width": 1.5})
        fig.add_trace(line)
    fig.update_layout(_over_updates("Size of the weights ‖w‖", {"rangemode": "tozero"}))
    if reference is not None:  # one more entry: a fixed number a row keeps them clear of
        # the title (three short rate names, or two longer loss names)
        share = 0.33 if len(runners) > 2 else 0.5
        fig.update_layout(legend={"entrywidth": share, "entrywidthmode": "fraction"})
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


def _line(x, y, name: str, i: int, what: str) -> go.Scatter:
    return go.Scatter(
        x=x,
        y=y,
        mode="lines",
        name=name,
        line={"color": RUNNER_COLORS[i], "dash": RUNNER_DASHES[i], "width": 2.5},
        hovertemplate=f"{name}<br>update %{{x:,}}<br>{what} = %{{y:.4g}}<extra></extra>",
    )


def boundaries_figure(X, y, runners: list[Runner]) -> go.Figure:
    """The points and every runner's final boundary (where ŷ = 0.5) on one chart."""
    x_range, y_range = view_ranges(X)
    fig = go.Figure(
        [
            *class_markers(X, y, size=9, outline=1, hover=True),
            *(_boundary(i, r, x_range, y_range) for i, r in enumerate(runners)),
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


def _boundary(i: int, r: Runner, x_range, y_range) -> go.Scatter:
    """Runner i's final boundary across the view, named with its verdict."""
    w, b = r.history.state(r.history.n_updates)
    seg = boundary_segment(w, b, x_range, y_range)
    shown = " (outside the view)" if seg is None else ""
    return go.Scatter(
        x=[seg[0][0], seg[1][0]] if seg else [None],
        y=[seg[0][1], seg[1][1]] if seg else [None],
        mode="lines",
        name=f"{r.name}: {r.verdict.label}{shown}",
        line={"color": RUNNER_COLORS[i], "dash": RUNNER_DASHES[i], "width": 3},
        hoverinfo="skip",
    )


# ---------------------------------------------------------------- the ‖w‖ monitor


def separable_note(names: list[str], seps: list[Separation]) -> None:
    """Without a penalty: say which runs show the separable-data effect, or why none does."""
    growing = [(n, sep) for n, sep in zip(names, seps, strict=True) if sep.unbounded]
    if growing:
        listed = ", ".join(
            f"{n} (‖w‖ {fmt(sep.norm_late)} → {fmt(sep.norm_end)}, +{sep.growth:.1%} in the "
            "last quarter)"
            for n, sep in growing
        )
        st.info(
            f"**The weights grow without bound** for {listed}. Every point is already on its "
            "own side, so the data are linearly separable, and then scaling w and b up makes "
            "every ŷ more confident and the loss smaller still. The loss creeps towards 0 but "
            "never reaches it, so gradient descent never stops: ‖w‖ keeps growing, ever more "
            "slowly, while the boundary itself hardly moves. L2 regularisation (λ > 0 in the "
            "sidebar) stops it."
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


def reference_runner(runners: list[Runner]) -> int | None:
    """With λ > 0, the runner whose run is repeated without the penalty for comparison: the
    fastest converging one whose ‖w‖ has levelled off (else the closest to that; in a loss
    race, the log loss's); None if every run diverged."""
    calm = [i for i, r in enumerate(runners) if r.verdict.label != "diverging"]
    if not calm:
        return None

    def preference(i: int) -> tuple:
        r = runners[i]
        loss_is_log = r.history.config.loss == "log"
        level = norm_tail(r.history).state == "level"
        return loss_is_log, r.verdict.label == "converging", level, r.within_bound, r.rate

    return max(calm, key=preference)


@dataclass(frozen=True)
class NormTail:
    """‖w‖ over the last quarter of a run: where it was (``late``), its lowest and highest,
    and where it ended."""

    late: float
    low: float
    high: float
    end: float

    @property
    def growth(self) -> float:
        return self.end / self.late - 1 if self.late else 0.0

    @property
    def state(self) -> str:
        """ "bouncing" (it swings by more than NORM_SWING of its top, back and forth),
        "moving" (it still grows or shrinks by more than NORM_MOVE) or "level"."""
        swing = self.high - self.low
        if swing > NORM_SWING * self.high and abs(self.end - self.late) < swing / 2:
            return "bouncing"
        return "moving" if abs(self.growth) > NORM_MOVE else "level"


# ‖w‖ is still moving when its last quarter changed it by more than this share; it bounces
# when it swings by more than NORM_SWING of its highest value there, without getting anywhere.
NORM_MOVE = 0.005
NORM_SWING = 0.05


def norm_tail(history: History) -> NormTail:
    """``NormTail`` of a run, from every state of its last quarter."""
    K = history.n_updates
    norms = np.linalg.norm(history.w[(3 * K) // 4 :], axis=1)
    return NormTail(float(norms[0]), float(norms.min()), float(norms.max()), float(norms[-1]))


def penalised_note(runners: list[Runner], reference: tuple[int, History] | None, X, y) -> None:
    """With λ > 0: does ‖w‖ level off, and how it compares with the same run without λ."""
    l2 = runners[0].history.config.l2
    tails = [(r, norm_tail(r.history)) for r in runners]
    by_state = {s: [(r, t) for r, t in tails if t.state == s] for s in ("level", "moving")}
    bouncing = [(r, t) for r, t in tails if t.state == "bouncing"]
    free = separation(reference[1], X, y) if reference is not None else None
    parts = [
        f"**With λ = {l2:g} the weights level off.**"
        if by_state["level"]
        else f"**With λ = {l2:g} the weights cannot grow for ever**, though these runs are "
        "too short to show them levelling off."
    ]
    if free is not None and free.all_correct:
        name = runners[reference[0]].name
        still = f", still growing by {free.growth:.1%} in its last quarter"
        parts.append(
            f"Without the penalty, {name} would push ‖w‖ to {fmt(free.norm_end)}"
            f"{still if free.unbounded else ''} (the thin long-dashed line): these points "
            "are separable, so the loss alone keeps rewarding larger weights. The penalty "
            "charges (λ/2)‖w‖² for them, so ‖w‖ stops where the two pulls balance."
        )
    else:
        parts.append(
            "The penalty charges (λ/2)‖w‖² for large weights, so ‖w‖ stops where the pull of "
            "the points and the pull of the penalty balance."
        )
    if by_state["level"]:
        parts.append("Levelled off: " + _norms(by_state["level"]) + ".")
    if by_state["moving"]:
        parts.append("Still on the way: " + _norms(by_state["moving"]) + ".")
    if bouncing:
        swings = [f"{r.name} between ‖w‖ = {fmt(a.low)} and {fmt(a.high)}" for r, a in bouncing]
        parts.append("Bouncing, the steps too large to settle: " + ", ".join(swings) + ".")
    st.info(" ".join(parts))


def _norms(pairs) -> str:
    return ", ".join(
        f"{r.name} at ‖w‖ = {fmt(t.end)} ({t.growth:+.1%} in the last quarter)" for r, t in pairs
    )


# ---------------------------------------------------------------- the page body


def pick_kind() -> str:
    """Race learning rates or the two losses."""
    kind = st.segmented_control(
        "Race",
        list(KINDS),
        format_func=KINDS.get,
        default="rates",
        key=RACE_KIND,
        required=True,
    )
    return kind or "rates"


def race(s: Scenario) -> None:
    """The whole race: what races, the shared settings, the bound, verdicts, charts, rule."""
    kind = pick_kind()
    X, y = np.asarray(s.X), np.asarray(s.y)
    options = rate_options(s.config, step_bound(X, s.config))
    rates = pick_rates(options) if kind == "rates" else []
    if kind == "rates" and len(rates) < 2:
        st.info("Pick at least two learning rates to race.")
        return
    runs = len(rates) if kind == "rates" else 2
    config = race_config(s, runs + (1 if s.config.l2 else 0))
    if config is None:
        return
    settings_caption(s, config, kind)
    runners = rate_runners(X, y, config, rates) if kind == "rates" else loss_runners(X, y, config)
    bound_box(runners, kind)
    verdict_row(runners)
    charts(s, config, runners, kind)
    st.header("How the verdict is decided")
    st.markdown(RULE)


def charts(s: Scenario, config: TrainConfig, runners: list[Runner], kind: str) -> None:
    """The loss and ‖w‖ charts side by side, what ‖w‖ shows, and the final boundaries."""
    X, y = np.asarray(s.X), np.asarray(s.y)
    log_y = st.toggle("Log-scale loss", value=True, key=RACE_LOG)
    reference = None
    if config.l2 and (i := reference_runner(runners)) is not None:
        free = replace(runners[i].history.config, l2=0.0)
        reference = (i, cached_race(X, y, free, (runners[i].rate,))[0])
    left, right = st.columns(2)
    left.plotly_chart(
        loss_figure(runners, log_y, loss_title(kind, config.l2)),
        width="stretch",
        config=chart_config(),
        alt="Loss curves of every runner, overlaid.",
    )
    right.plotly_chart(
        norm_figure(runners, reference),
        width="stretch",
        config=chart_config(),
        alt="The size of the weights ‖w‖ over the updates, every runner.",
    )
    if kind == "losses":
        st.caption(
            "Each run lowers its own loss, and the two are in different units (squared error "
            "is never above ½), so the loss chart measures both runs with the log loss"
            + (" (without the penalty)" if config.l2 else "")
            + ". The verdicts judge each run on its own loss."
        )
    if config.l2:
        penalised_note(runners, reference, X, y)
    else:
        separable_note([r.name for r in runners], [separation(r.history, X, y) for r in runners])
    st.plotly_chart(
        boundaries_figure(X, y, runners),
        width="stretch",
        config=chart_config(),
        alt="The points and the final decision boundary of every runner.",
    )
