"""Preset two-class data sets, each chosen to teach one thing about a single neuron.

Every generator draws from ``np.random.default_rng(seed)``, so a seed (which a shareable
link carries) reproduces the exact points. Class 1 is the class the neuron should score
above 0.5.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from perceptron.limits import MAX_POINTS

# Largest accepted noise: beyond it every preset is a shapeless cloud piling up
# against the [-5, 5] box.
MAX_NOISE = 2.0
# Presets stay inside this box so the default view shows all of them.
COORD_LIMIT = 5.0
# Coordinates are rounded to this many decimals: they print tidily and a CSV or a
# shareable link carries them exactly, with no 0.30000000000000004 surprises.
DECIMALS = 3


@dataclass(frozen=True)
class Preset:
    """A named data set and what it teaches.

    ``settings`` are the training settings its lesson needs (``TrainConfig`` fields and
    values, e.g. a loss, a learning rate, a start), applied over the learner's own when
    the preset is loaded (``perceptron.scenario.preset_scenario``); most presets need
    none and leave every setting as it is.
    """

    name: str
    title: str
    description: str
    linearly_separable: bool | None  # None: depends on noise and seed
    default_n: int
    default_noise: float
    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "separable",
            "Linearly separable",
            "Two clouds with a clear gap between them. One straight line splits them "
            "perfectly, so training can drive the error on every point towards zero.",
            True,
            100,
            0.7,
        ),
        Preset(
            "overlapping",
            "Overlapping blobs",
            "Two clouds that overlap. No line gets every point right, so the best the "
            "neuron can do is a boundary through the overlap with honest, middling "
            "probabilities there.",
            None,
            100,
            1.3,
        ),
        Preset(
            "outlier",
            "Separable plus an outlier",
            "Two separable clouds plus one far-off point that carries the other class's "
            "label. Its large error drags the boundary towards it: one bad label can "
            "tilt the whole line.",
            None,
            60,
            0.6,
        ),
        Preset(
            "imbalanced",
            "Imbalanced classes",
            "Nine points in ten belong to class 0. Calling everything class 0 already "
            "scores 90% accuracy, so watch whether the few class 1 points are learned.",
            None,
            100,
            0.9,
        ),
        Preset(
            "xor",
            "XOR",
            "Opposite corners share a class. No single straight line can separate them, "
            "so one neuron cannot learn XOR; it takes a hidden layer.",
            False,
            100,
            0.5,
        ),
        Preset(
            "rings",
            "Concentric rings",
            "A small disc of class 1 inside a ring of class 0. The boundary would have "
            "to be a circle, so one neuron cannot separate them: its boundary is a "
            "straight line.",
            False,
            120,
            0.3,
        ),
        Preset(
            "wrong_start",
            "A confident wrong start",
            "Every point starts confidently on the wrong side (ŷ near 1 for class 0): with "
            "squared error, whose derivative keeps the factor ŷ(1−ŷ), as small as 0.001 "
            "here, the steps barely move the boundary for twenty epochs, while the log "
            "loss turns it round in two steps.",
            True,
            20,
            0.6,
            MappingProxyType(
                {
                    "loss": "squared",
                    "mode": "batch",
                    "learning_rate": 2.0,
                    "epochs": 25,
                    "l2": 0.0,
                    "init": "custom",
                    "w0": (-3.0, 0.0),
                    "b0": 0.0,
                }
            ),
        ),
        Preset(
            "step_edge",
            "On the edge of the step size",
            "Each spot holds one point of each class, so the best neuron says ŷ = ½ "
            "everywhere, right where the log loss curves most: full-batch steps a little "
            "above the bound shown beside the learning rate (α = 1.05 here) keep flipping "
            "the neuron's verdict and the loss climbs back, while a little below it "
            "(α = 0.9) the loss falls at every step.",
            False,
            40,
            0.3,
            MappingProxyType(
                {
                    "loss": "log",
                    "mode": "batch",
                    "learning_rate": 1.05,
                    "epochs": 60,
                    "l2": 0.0,
                    "init": "custom",
                    "w0": (0.6, 0.3),
                    "b0": -1.6,
                }
            ),
        ),
    )
}


def make_dataset(
    name: str, n: int | None = None, noise: float | None = None, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Draw the preset ``name`` with ``n`` points.

    Returns ``X`` of shape ``(n, 2)`` and ``y`` of shape ``(n,)``, both float64, with
    labels 0.0/1.0 and both classes present. ``noise`` is the standard deviation of
    the scatter around each class's shape; ``n`` and ``noise`` default to the preset's.
    Coordinates lie in [-5, 5] and are rounded to 3 decimals.
    """
    preset = _lookup(name)
    n = preset.default_n if n is None else _check_n(n)
    noise = preset.default_noise if noise is None else _check_noise(noise)
    rng = np.random.default_rng(_check_seed(seed))
    X, y = _GENERATORS[name](rng, n, noise)
    order = rng.permutation(n)  # so classes are interleaved, as in a real file
    X = np.clip(X[order], -COORD_LIMIT, COORD_LIMIT)
    # "+ 0.0" turns -0.0 into 0.0, which would otherwise print as "-0.0".
    return np.round(X, DECIMALS) + 0.0, y[order].astype(np.float64)


def _lookup(name) -> Preset:
    if not isinstance(name, str) or name not in PRESETS:
        valid = ", ".join(PRESETS)
        raise ValueError(f"unknown data set {name!r}; choose one of: {valid}")
    return PRESETS[name]


def _check_n(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise ValueError(f"n must be a whole number, got {n!r}")
    if not 2 <= n <= MAX_POINTS:
        raise ValueError(f"n must be between 2 and {MAX_POINTS:,} points, got {n}")
    return int(n)


def _check_noise(noise) -> float:
    if isinstance(noise, bool) or not isinstance(noise, int | float | np.integer | np.floating):
        raise ValueError(f"noise must be a number, got {noise!r}")
    if not (math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
        raise ValueError(f"noise must be between 0 and {MAX_NOISE}, got {noise!r}")
    return float(noise)


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number ≥ 0, got {seed!r}")
    return int(seed)


def _split(n: int, minority_share: float = 0.5) -> tuple[int, int]:
    """Counts (class 0, class 1), each at least 1 when n ≥ 2."""
    n1 = min(max(1, round(n * minority_share)), n - 1)
    return n - n1, n1


def _labels(n0: int, n1: int) -> np.ndarray:
    return np.concatenate([np.zeros(n0), np.ones(n1)])


def _rotate(along, across, angle) -> np.ndarray:
    """Points given in a frame turned by ``angle``: ``across`` runs along the normal."""
    c, s = math.cos(angle), math.sin(angle)
    return np.column_stack([along * -s + across * c, along * c + across * s])


def _separable_clouds(rng, n0, n1, noise, angle):
    """Two clouds on either side of the line through the origin with normal ``angle``.

    Each point's distance to the line is folded back at ``gap`` so no point crosses,
    whatever the noise; rounding to 3 decimals moves a point by < 0.001, far less.
    Along and across are capped at 3.5, so every point lies within radius 4.95 < 5.
    """
    gap, centre, cap = 0.3, 1.5, 3.5
    n = n0 + n1
    side = np.where(_labels(n0, n1) == 1, 1.0, -1.0)
    across = np.abs(centre + noise * rng.standard_normal(n) - gap) + gap
    along = np.clip(1.5 * rng.standard_normal(n), -cap, cap)
    return _rotate(along, side * np.minimum(across, cap), angle)


def _separable(rng, n, noise):
    n0, n1 = _split(n)
    X = _separable_clouds(rng, n0, n1, noise, rng.uniform(0, 2 * math.pi))
    return X, _labels(n0, n1)


def _outlier(rng, n, noise):
    """Separable clouds plus one class 1 point at least 1 unit beyond every class 0 point.

    With n = 2 the clouds are a single class 0 point, so both classes are still present.
    """
    n0, n1 = _split(n - 1)
    angle = rng.uniform(0, 2 * math.pi)
    clouds = _separable_clouds(rng, n0, n1, noise, angle)
    outlier = _rotate(np.zeros(1), np.array([-4.5]), angle)
    return np.vstack([clouds, outlier]), np.append(_labels(n0, n1), 1.0)


def _blobs(rng, counts, centres, noise):
    parts = [c + noise * rng.standard_normal((k, 2)) for k, c in zip(counts, centres, strict=True)]
    return np.vstack(parts)


def _overlapping(rng, n, noise):
    n0, n1 = _split(n)
    X = _blobs(rng, (n0, n1), (np.array([-1.0, -1.0]), np.array([1.0, 1.0])), noise)
    return X, _labels(n0, n1)


def _imbalanced(rng, n, noise):
    n0, n1 = _split(n, minority_share=0.1)
    X = _blobs(rng, (n0, n1), (np.array([-1.0, -0.5]), np.array([1.8, 1.2])), noise)
    return X, _labels(n0, n1)


def _xor(rng, n, noise):
    """Class 1 in the (+,+) and (-,-) corners, class 0 in the other two.

    Each class alternates between its two corners, so even four points show the
    pattern; the shuffle in make_dataset hides the alternation.
    """
    n0, n1 = _split(n)
    corner_sign = np.concatenate([np.resize([1.0, -1.0], n0), np.resize([1.0, -1.0], n1)])
    x1 = 2.0 * corner_sign
    x2 = np.where(_labels(n0, n1) == 1, x1, -x1)
    return np.column_stack([x1, x2]) + noise * rng.standard_normal((n, 2)), _labels(n0, n1)


def _rings(rng, n, noise):
    """Class 1 in a disc of radius about 1, class 0 on a ring of radius about 3.5."""
    n0, n1 = _split(n)
    inner = rng.uniform(0, 1.0, n1)
    radius = np.concatenate([np.full(n0, 3.5), inner]) + noise * rng.standard_normal(n)
    angle = rng.uniform(0, 2 * math.pi, n)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X, _labels(n0, n1)


def _wrong_start(rng, n, noise):
    """Separable clouds split by the vertical axis: class 1 right (x1 ≥ 0.3), class 0 left.

    Fixed so that the preset's start, w = (−3, 0), b = 0, is wrong about every point
    whatever the seed: z = −3·x1 is at most −0.9 for class 1 and at least 0.9 for class 0.
    """
    n0, n1 = _split(n)
    return _separable_clouds(rng, n0, n1, noise, 0.0), _labels(n0, n1)


def _both_at_every_spot(rng, n, noise):
    """n // 2 spots around a ring (centre (2, 1.5), radius 1.8, jittered by ``noise``), each
    with one point of each class; an odd n adds one more class 1 point at the first spot.

    With both classes at every spot no line tells them apart: the best neuron is w = 0,
    b = 0 (ŷ = ½ everywhere), where every z is 0 and the log loss curves the most, so the
    full-batch step-size bound is exactly where descent stops settling.
    """
    m = max(1, n // 2)
    angle = 2 * math.pi * np.arange(m) / m + rng.uniform(0, 2 * math.pi)
    spots = np.column_stack([2.0 + 1.8 * np.cos(angle), 1.5 + 1.8 * np.sin(angle)])
    spots = spots + noise * rng.standard_normal((m, 2))
    X, y = np.repeat(spots, 2, axis=0), np.tile([0.0, 1.0], m)
    if n % 2:
        X, y = np.vstack([X, spots[:1]]), np.append(y, 1.0)
    return X, y


_GENERATORS: dict[str, Callable] = {
    "separable": _separable,
    "overlapping": _overlapping,
    "outlier": _outlier,
    "imbalanced": _imbalanced,
    "xor": _xor,
    "rings": _rings,
    "wrong_start": _wrong_start,
    "step_edge": _both_at_every_spot,
}
