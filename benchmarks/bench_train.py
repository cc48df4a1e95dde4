"""How long train() takes at the limits, and how it compares with the smallest loops.

    .venv/bin/python benchmarks/bench_train.py [--quick | --table] [--loss squared] [--l2 0.01]

- worst cases: the longest runs the controls allow, one per update rule and batch size,
  each as many updates as the limits let it make; every one should take ≤ 1 s
  (--table prints only this; --loss and --l2 time them for squared error or with L2
  regularisation, which take the general float loop even per point);

- batch: train() against a bare numpy loop (no history) over the same epochs;
- stochastic: train() against the lecture's loop on plain floats that records
  (w1, w2, b) after every update;
- memory: the tracemalloc peak of one train() at the limits.

Times are CPU seconds of this process (time.process_time), which other programs on a
shared machine barely move, unlike wall time; each is the best of three rounds (seven
with --quick), the two contenders taking turns. The other targets are set at the limits:
2,000 points, 1,000 epochs of batch descent (MAX_WORK), 200,000 stochastic updates; --quick keeps
the 2,000 points and runs a tenth of that. Exits with status 1 if a target is missed.
"""

import argparse
import math
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from perceptron.limits import MAX_POINTS, MAX_UPDATES
from perceptron.training import TrainConfig, count_updates, count_work, max_epochs, train

MAX_SECONDS = 1.0
MAX_RATIO = 2.0
MAX_PEAK_MIB = 32.0
ROUNDS = 3
# Quick runs last milliseconds, so a neighbour's burst of work can swamp one round.
QUICK_ROUNDS = 7
LEARNING_RATE = 0.1


def blobs(n: int):
    """Two overlapping clouds, as a classroom data set would be."""
    rng = np.random.default_rng(0)
    half = n // 2
    X = np.vstack([rng.normal(-1.0, 1.0, (half, 2)), rng.normal(1.0, 1.0, (n - half, 2))])
    return X, np.r_[np.zeros(half), np.ones(n - half)]


# The loss and λ of the worst cases (--loss, --l2); the other comparisons use the defaults.
OBJECTIVE = {"loss": "log", "l2": 0.0}


def longest_run(n: int, mode: str, batch_size: int = 1, shuffle: bool = False) -> TrainConfig:
    """The most epochs on n points that the limits allow for this update rule."""
    config = TrainConfig(mode=mode, batch_size=batch_size, shuffle=shuffle, seed=1)
    epochs = max_epochs(n, config)
    return TrainConfig(
        mode=mode, batch_size=batch_size, shuffle=shuffle, seed=1, epochs=epochs, **OBJECTIVE
    )


def worst_cases() -> dict[str, tuple[int, TrainConfig]]:
    """The longest runs the controls allow: name -> (points, config)."""
    cases = {
        "per point, 2,000 points": (MAX_POINTS, longest_run(MAX_POINTS, "stochastic")),
        "per point, 200 points": (200, longest_run(200, "stochastic")),
        "per point, 20 points, shuffled": (20, longest_run(20, "stochastic", shuffle=True)),
    }
    for size in (2, 10, 40, 64, 100, 200, 1000):
        cases[f"mini-batch of {size:,}"] = (MAX_POINTS, longest_run(MAX_POINTS, "minibatch", size))
    cases["mini-batch of 2, 20 points, shuffled"] = (20, longest_run(20, "minibatch", 2, True))
    cases["full batch, 2,000 points"] = (MAX_POINTS, longest_run(MAX_POINTS, "batch"))
    return cases


def bench_worst_cases(rounds: int) -> bool:
    """Prints case, updates and the best CPU seconds of train(); True if all ≤ MAX_SECONDS."""
    objective = f"{OBJECTIVE['loss']} loss, λ = {OBJECTIVE['l2']:g}"
    print(f"worst cases ({objective}): train() CPU seconds, best of {rounds}")
    print(f"    {'case':38s} {'updates':>9s} {'point visits':>13s} {'seconds':>8s}")
    slowest = 0.0
    for name, (n, config) in worst_cases().items():
        X, y = blobs(n)
        times, _ = best_times({"train": lambda X=X, y=y, c=config: train(X, y, c)}, rounds)
        updates, work = count_updates(n, config), count_work(n, config)
        slowest = max(slowest, times["train"])
        print(f"    {name:38s} {updates:9,d} {work:13,d} {times['train']:8.3f}")
    ok = slowest <= MAX_SECONDS
    print(f"    slowest {slowest:.3f} s   {verdict(ok)} (≤ {MAX_SECONDS:g} s)")
    return ok


def numpy_batch_loop(X, y, epochs):
    """Batch descent with nothing recorded: the least work these updates take."""
    w, b, n = np.zeros(2), 0.0, len(y)
    for _ in range(epochs):
        error = y - 1.0 / (1.0 + np.exp(-(X @ w + b)))
        w = w - LEARNING_RATE * (-(error @ X) / n)
        b = b - LEARNING_RATE * (-error.sum() / n)
    return w, b


def plain_float_loop(X, y, epochs):
    """The lecture's loop on plain floats, recording (w1, w2, b) after every update.

    y − ŷ is σ(−z) for class 1 and −σ(z) for class 0, as the core computes it (never
    1 − ŷ, which loses ŷ's digits near 1), so the updates are the same to the last bit.
    """
    rows = list(zip(X[:, 0].tolist(), X[:, 1].tolist(), y.tolist(), strict=True))
    lr, w1, w2, b, states = LEARNING_RATE, 0.0, 0.0, 0.0, []

    def sigma(v: float) -> float:
        if v >= 0.0:
            return 1.0 / (1.0 + math.exp(-v))
        e_v = math.exp(v)
        return e_v / (1.0 + e_v)

    for _ in range(epochs):
        for x1, x2, t in rows:
            z = w1 * x1 + w2 * x2 + b
            error = sigma(-z) if t == 1.0 else -sigma(z)
            w1 -= lr * (-error * x1)
            w2 -= lr * (-error * x2)
            b -= lr * (-error)
            states.append((w1, w2, b))
    return np.array(states)


def best_times(contenders: dict, rounds: int) -> tuple[dict, dict]:
    """Best CPU time of each contender over the rounds, taking turns; and last results."""
    times, results = {name: math.inf for name in contenders}, {}
    for _ in range(rounds):
        for name, run in contenders.items():
            start = time.process_time()
            results[name] = run()
            times[name] = min(times[name], time.process_time() - start)
    return times, results


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def compare(title: str, times: dict, reference: str, same: bool) -> bool:
    ratio = times["train"] / times[reference]
    ok = ratio <= MAX_RATIO and same
    print(
        f"{title}\n    CPU: train() {times['train']:.3f} s   {reference} {times[reference]:.3f} s"
        f"   ratio {ratio:.2f}x   same updates: {same}   {verdict(ok)} (≤ {MAX_RATIO}x)"
    )
    return ok


def bench_batch(n: int, epochs: int, rounds: int) -> bool:
    X, y = blobs(n)
    config = TrainConfig(mode="batch", learning_rate=LEARNING_RATE, epochs=epochs)
    contenders = {
        "train": lambda: train(X, y, config),
        "numpy loop": lambda: numpy_batch_loop(X, y, epochs),
    }
    times, results = best_times(contenders, rounds)
    history, (w, b) = results["train"], results["numpy loop"]
    same = np.allclose(history.w[-1], w, rtol=1e-9) and math.isclose(history.b[-1], b, rel_tol=1e-9)
    return compare(f"batch: {n:,} points x {epochs:,} epochs", times, "numpy loop", same)


def bench_stochastic(n: int, epochs: int, rounds: int) -> bool:
    X, y = blobs(n)
    config = TrainConfig(mode="stochastic", learning_rate=LEARNING_RATE, epochs=epochs)
    contenders = {
        "train": lambda: train(X, y, config),
        "float loop": lambda: plain_float_loop(X, y, epochs),
    }
    times, results = best_times(contenders, rounds)
    history, states = results["train"], results["float loop"]
    same = np.array_equal(np.column_stack([history.w, history.b])[1:], states)
    title = f"stochastic: {n:,} points x {epochs:,} epochs ({n * epochs:,} updates)"
    return compare(title, times, "float loop", same)


def peak_mib(X, y, config: TrainConfig) -> tuple[float, float]:
    """(tracemalloc peak in MiB, seconds) of one train() call."""
    tracemalloc.start()
    start = time.perf_counter()
    train(X, y, config)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak, seconds


def bench_memory(n: int, updates: int) -> bool:
    X, y = blobs(n)
    runs = {
        "stochastic": TrainConfig(epochs=updates // n, shuffle=True),
        "minibatch of 10": longest_run(n, "minibatch", 10),
        "minibatch of 40": longest_run(n, "minibatch", 40),
        "batch": longest_run(n, "batch"),
    }
    print(f"memory: peak of one train() on {n:,} points (wall time under tracemalloc)")
    ok = True
    for name, config in runs.items():
        peak, seconds = peak_mib(X, y, config)
        ok &= peak <= MAX_PEAK_MIB
        print(f"    {name:16s} {peak:6.2f} MiB   ({seconds:.2f} s)")
    print(f"    {verdict(ok)} (≤ {MAX_PEAK_MIB:g} MiB)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the work: a smoke test")
    parser.add_argument("--table", action="store_true", help="only the worst cases")
    parser.add_argument("--loss", default="log", choices=["log", "squared"], help="worst cases")
    parser.add_argument("--l2", type=float, default=0.0, help="λ of the worst cases")
    args = parser.parse_args()
    OBJECTIVE.update(loss=args.loss, l2=args.l2)
    if args.table:
        return 0 if bench_worst_cases(ROUNDS) else 1
    divisor, rounds = (10, QUICK_ROUNDS) if args.quick else (1, ROUNDS)
    n, updates = MAX_POINTS, MAX_UPDATES // divisor
    results = [
        bench_worst_cases(1 if args.quick else ROUNDS),
        bench_batch(n, longest_run(n, "batch").epochs // divisor, rounds),
        bench_stochastic(n, updates // n, rounds),
        bench_memory(n, updates),
    ]
    print("all targets met" if all(results) else "some targets missed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
