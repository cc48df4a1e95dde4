"""The Learning-rate race page's pieces: race several rates, or the two losses at one rate,
on the same points and start; judge each run; say how large α may be for these points.

A race is a list of runners (``ui.race_runners``); this module holds the page's controls,
what every runner shares, the verdicts and the bound, and where the charts
(``ui.race_figures``) and what ‖w‖ shows (``ui.race_weights``) go.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import streamlit as st

from perceptron import Scenario, TrainConfig
from perceptron.accuracy import CORRECT
from perceptron.formatting import fmt
from perceptron.race import RULE, race_epochs, separation
from perceptron.settings import MODE_LABELS
from perceptron.stepsize import StepBound, step_bound
from ui.common import chart_config
from ui.keys import RACE_KIND, RACE_LOG, RACE_RATES
from ui.race_figures import boundaries_figure, loss_figure, loss_title, norm_figure
from ui.race_runners import LOSS_NAMES, Runner, cached_race, loss_runners, rate_runners
from ui.race_weights import penalised_note, reference_runner, separable_note

RATE_OPTIONS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
DEFAULT_RATES = [0.01, 0.1, 1.0, 10.0]
MAX_RATES = 4
KINDS = {"rates": "Learning rates", "losses": "The two losses, at one rate"}
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


# ---------------------------------------------------------------- verdicts and the bound


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
