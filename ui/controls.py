"""The training settings in the sidebar: every widget writes one field of the scenario.

A change that the core refuses (or that would exceed the run limit) is not applied; the
learner sees why and the previous value stays.
"""

from __future__ import annotations

import streamlit as st

from perceptron.limits import (
    MAX_ABS_INITIAL_PARAMETER,
    MAX_EPOCHS,
    MAX_LEARNING_RATE,
    MAX_POINTS,
    MAX_SEED,
    MAX_UPDATES,
    MAX_WORK,
    MIN_LEARNING_RATE,
)
from ui import state

LR_CHOICES = (
    0.001,
    0.002,
    0.005,
    0.01,
    0.02,
    0.05,
    0.1,
    0.2,
    0.5,
    1.0,
    2.0,
    5.0,
    10.0,
    20.0,
    50.0,
    100.0,
)
MODE_LABELS = {
    "stochastic": "Per point (as in the lecture)",
    "batch": "Full batch",
    "minibatch": "Mini-batch",
}
INIT_LABELS = {"zeros": "Zeros", "random": "Random", "custom": "Typed"}


def _nearest_choice(value: float) -> float:
    return min(LR_CHOICES, key=lambda c: abs(c - value) / c)


def _apply(field: str, key: str, convert=lambda v: v) -> None:
    """on_change callback: copy widget ``key`` into scenario ``field`` if the run stays valid."""
    value = st.session_state.get(key)
    if value is None:
        return
    current = state.scenario()
    try:
        candidate = current.replace(**{field: convert(value)}, step=0)
        updates = candidate.n_updates() if len(candidate.y) else 0
    except ValueError as error:
        state.flash(f"That setting was not applied: {error}.", "error")
        return
    if updates > MAX_UPDATES:
        state.flash(
            f"That would make {updates:,} updates; one run can make at most {MAX_UPDATES:,}. "
            "Use fewer epochs, fewer points, or batch / larger mini-batches.",
            "error",
        )
        return
    visits = candidate.epochs * len(candidate.y)
    if visits > MAX_WORK:
        state.flash(
            f"That would visit {visits:,} points ({candidate.epochs:,} epochs × "
            f"{len(candidate.y):,} points); one run can visit at most {MAX_WORK:,}, so that "
            "it trains within a second. Use fewer epochs or fewer points.",
            "error",
        )
        return
    state.set_scenario(candidate)


def _apply_number(field: str, key: str) -> None:
    """on_change callback of a number input: ``_apply``, or say why nothing was applied.

    The number inputs have no default (value=None): Streamlit turns a number beyond a
    widget's limits (say "1e30" typed into Epochs) into the widget's default, which would
    otherwise be its minimum. None instead keeps the setting; the next run shows it again.
    """
    if st.session_state.get(key) is None:
        _not_a_number()
    else:
        _apply(field, key)


def _not_a_number() -> None:
    state.flash(
        "That setting was not applied: the box was empty or its number was outside the "
        "allowed range.",
        "error",
    )


def _seed_widgets() -> None:
    """Show the scenario's values in the widgets (also after a page switch or a link)."""
    s = state.scenario()
    values = {
        "lr_choice": _nearest_choice(s.learning_rate),
        "lr_exact": s.learning_rate,
        "epochs": s.epochs,
        "mode": s.mode,
        "batch_size": s.batch_size,
        "shuffle": s.shuffle,
        "seed": s.seed,
        "init": s.init,
        "init_seed": s.init_seed,
        "w1_0": s.w0[0],
        "w2_0": s.w0[1],
        "b_0": s.b0,
    }
    for key, value in values.items():
        st.session_state[f"ctl_{key}"] = value


def training_controls() -> None:
    """Render the sidebar's training settings."""
    _seed_widgets()
    s = state.scenario()
    with st.sidebar:
        st.subheader("Training settings")
        st.select_slider(
            "Learning rate α (log scale)",
            options=LR_CHOICES,
            key="ctl_lr_choice",
            on_change=_apply,
            args=("learning_rate", "ctl_lr_choice"),
            help="How far each update moves the weights: w ← w − α·∂L/∂w.",
        )
        st.number_input(
            "Exact learning rate",
            value=None,
            min_value=MIN_LEARNING_RATE,
            max_value=MAX_LEARNING_RATE,
            step=0.01,
            format="%.4g",
            key="ctl_lr_exact",
            on_change=_apply_number,
            args=("learning_rate", "ctl_lr_exact"),
        )
        st.number_input(
            "Epochs (passes over all points)",
            value=None,
            min_value=1,
            max_value=MAX_EPOCHS,
            step=1,
            key="ctl_epochs",
            on_change=_apply_number,
            args=("epochs", "ctl_epochs"),
        )
        st.radio(
            "How updates are made",
            options=list(MODE_LABELS),
            format_func=MODE_LABELS.get,
            key="ctl_mode",
            on_change=_apply,
            args=("mode", "ctl_mode"),
            help="Per point: one update after each point, in order (the lecture's loop). "
            "Full batch: one update per epoch with the mean derivative over all points. "
            "Mini-batch: one update per group of points.",
        )
        if s.mode == "minibatch":
            st.number_input(
                "Mini-batch size",
                value=None,
                min_value=1,
                max_value=MAX_POINTS,
                step=1,
                key="ctl_batch_size",
                on_change=_apply_number,
                args=("batch_size", "ctl_batch_size"),
            )
        st.toggle(
            "Shuffle the points each epoch",
            key="ctl_shuffle",
            on_change=_apply,
            args=("shuffle", "ctl_shuffle"),
        )
        if s.shuffle:
            st.number_input(
                "Shuffle seed",
                0,
                MAX_SEED,
                value=None,
                step=1,
                key="ctl_seed",
                on_change=_apply_number,
                args=("seed", "ctl_seed"),
            )
        _initial_weight_controls(s)
        _run_size(s)


def _initial_weight_controls(s) -> None:
    st.segmented_control(
        "Starting weights",
        options=list(INIT_LABELS),
        format_func=INIT_LABELS.get,
        key="ctl_init",
        on_change=_apply,
        args=("init", "ctl_init"),
    )
    if s.init == "random":
        st.number_input(
            "Seed for the random start",
            0,
            MAX_SEED,
            value=None,
            step=1,
            key="ctl_init_seed",
            on_change=_apply_number,
            args=("init_seed", "ctl_init_seed"),
        )
    elif s.init == "custom":
        cols = st.columns(3)
        for col, (label, key, field) in zip(
            cols, [("w1", "w1_0", 0), ("w2", "w2_0", 1), ("b", "b_0", None)], strict=True
        ):
            col.number_input(
                label,
                value=None,
                min_value=-MAX_ABS_INITIAL_PARAMETER,
                max_value=MAX_ABS_INITIAL_PARAMETER,
                step=0.1,
                format="%.4g",
                key=f"ctl_{key}",
                on_change=_apply_custom_weight,
                args=(field, f"ctl_{key}"),
            )
    w, b = s.initial_weights()
    st.caption(f"Start: w1 = {w[0]:.4g}, w2 = {w[1]:.4g}, b = {b:.4g}")


def _apply_custom_weight(index: int | None, key: str) -> None:
    s = state.scenario()
    value = st.session_state.get(key)
    if index is None:
        _apply_number("b0", key)
    elif value is None:
        _not_a_number()
    else:
        w0 = list(s.w0)
        w0[index] = value
        st.session_state["ctl_w0_pair"] = tuple(w0)
        _apply("w0", "ctl_w0_pair")


def _run_size(s) -> None:
    n = len(s.y)
    if n == 0:
        st.caption("No points yet: place some on the chart.")
        return
    total = s.n_updates()
    per_epoch = total // s.epochs
    st.caption(
        f"This run: **{total:,} updates** ({s.epochs:,} epochs × {per_epoch:,} per epoch, "
        f"{n:,} points). Limits: {MAX_UPDATES:,} updates, and {MAX_WORK:,} point visits "
        f"(epochs × points; this run: {s.epochs * n:,})."
    )
