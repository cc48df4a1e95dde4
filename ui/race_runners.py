"""A race's runners: each run of the Learning-rate race with its name, its verdict, the curve
the loss chart draws and the step-size bound (``perceptron.stepsize``) for its settings;
one per learning rate, or the two losses at one rate. The runs are cached on their inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from perceptron import History, TrainConfig
from perceptron.race import Verdict, log_loss_curve, run_loss_race, run_race, verdict
from perceptron.stepsize import StepBound, step_bound

LOSS_NAMES = {"log": "log loss", "squared": "squared error"}


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
