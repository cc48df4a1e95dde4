"""What it costs to say where float64 runs out, next to the run itself.

    .venv/bin/python benchmarks/bench_precision.py

For the largest runs the controls allow (epochs cut to training.max_epochs), prints
train() and precision() times (CPU seconds, best of three) and where the run stops
holding 4 digits. precision() runs once
per run (cached beside the run) on the pages that show it.
"""

import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from perceptron.precision import precision
from perceptron.training import TrainConfig, max_epochs, train

CASES = [
    # points, mode, batch size, epochs, learning rate
    (200, "stochastic", 1, 1_000, 1.0),
    (2_000, "stochastic", 1, 100, 1.0),
    (200, "minibatch", 2, 2_000, 1.0),
    (2_000, "minibatch", 40, 4_000, 1.0),
    (2_000, "minibatch", 400, 2_000, 1.0),
    (2_000, "batch", 2_000, 10_000, 1.0),
    (200, "minibatch", 8, 1_000, 10.0),
]


def best_of_three(work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(3):
        start = time.process_time()
        result = work()
        times.append(time.process_time() - start)
    return min(times), result


def main() -> None:
    rng = np.random.default_rng(0)
    print(f"{'case':<32} {'updates':>8} {'train s':>8} {'precision s':>12}  reliable until")
    for n, mode, size, epochs, rate in CASES:
        X = rng.normal(size=(n, 2)) * 3
        y = (X[:, 0] * X[:, 1] > 0).astype(int)  # XOR-like: cannot be separated
        config = TrainConfig(learning_rate=rate, epochs=epochs, mode=mode, batch_size=size)
        config = dataclasses.replace(config, epochs=min(epochs, max_epochs(n, config)))
        train_s, history = best_of_three(lambda c=config, X=X, y=y: train(X, y, c))
        precision_s, p = best_of_three(lambda h=history, X=X: precision(h, X))
        case = f"{n} pts {mode} {size} α={rate:g}"
        until = f"{p.reliable_until:,} (×{p.growth:.2f}/update after)" if p.runs_out else "all"
        print(f"{case:<32} {history.n_updates:>8,} {train_s:>8.3f} {precision_s:>12.3f}  {until}")


if __name__ == "__main__":
    main()
