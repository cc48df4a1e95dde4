"""Speed of the math pages' core work: the loss landscape grid and a 4-rate race.

    .venv/bin/python benchmarks/bench_math_pages.py

- landscape: ``loss_grid`` on an 80 × 80 grid over 200 and over 2,000 points (the
  Landscape page computes one such grid per open tab, then caches it);
- race: 4 learning rates on 200 points × 100 epochs, per point (80,000 updates), plus
  the verdicts and separation checks the page computes afterwards.

Each figure is the median of several runs, after one warm-up.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from perceptron import TrainConfig, make_dataset  # noqa: E402
from perceptron.landscape import loss_grid  # noqa: E402
from perceptron.race import run_race, separation, verdict  # noqa: E402

RATES = (0.01, 0.1, 1.0, 10.0)


def median_seconds(work, repeats: int) -> float:
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_landscape(n: int) -> None:
    X, y = make_dataset("overlapping", n=n, seed=0)
    axis = np.linspace(-4, 4, 80)
    seconds = median_seconds(lambda: loss_grid(X, y, axis, axis, 0.0), repeats=7)
    print(f"landscape 80×80 grid, {n:>5,} points: {seconds * 1e3:7.1f} ms")


def bench_race() -> None:
    X, y = make_dataset("overlapping", n=200, seed=0)
    config = TrainConfig(epochs=100, mode="stochastic")

    def race():
        runs = run_race(X, y, config, RATES)
        return [(verdict(h.loss), separation(h, X, y)) for h in runs]

    seconds = median_seconds(race, repeats=5)
    updates = len(RATES) * 200 * 100
    verdicts = ", ".join(f"α={r:g}: {v.label}" for r, (v, _) in zip(RATES, race(), strict=True))
    print(
        f"race 4 rates × 200 points × 100 epochs per point ({updates:,} updates): "
        f"{seconds * 1e3:7.1f} ms  [{verdicts}]"
    )


if __name__ == "__main__":
    bench_landscape(200)
    bench_landscape(2_000)
    bench_race()
