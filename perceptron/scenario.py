"""The whole state a shared link reproduces: the points, the run's settings, the step shown.

The app keeps one ``Scenario`` in session state; ``perceptron.links`` turns it into a
link's query parameters and back.
"""

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from perceptron.datasets import PRESETS, make_dataset
from perceptron.points import checked_points
from perceptron.training import TrainConfig, count_updates

DEFAULT_PRESET = "separable"
DEFAULT_N_POINTS = 20
DEFAULT_POINTS_SEED = 0

_CONFIG_FIELDS = frozenset(field.name for field in dataclasses.fields(TrainConfig))


@dataclass(frozen=True, eq=False)
class Scenario:
    """Points, how to train on them, and the step shown: everything a link reproduces.

    ``X`` has shape ``(n, 2)`` and ``y`` shape ``(n,)``, float64 with labels 0.0/1.0,
    stored as read-only copies (so a Scenario never changes under anyone); ``==``
    compares them element by element and the rest by value. ``config`` is the run;
    ``step`` the update shown (0 is the start); ``preset`` names the preset the points
    came from, or is empty. Raises ValueError if the points are malformed.
    """

    X: np.ndarray
    y: np.ndarray
    config: TrainConfig = field(default_factory=TrainConfig)
    step: int = 0
    preset: str = ""

    def __post_init__(self):
        X, y = checked_points(self.X, self.y)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        if not isinstance(self.config, TrainConfig):
            raise ValueError(f"config must be a TrainConfig, got {self.config!r}")
        step, preset = self.step, self.preset
        if not isinstance(step, int | np.integer) or isinstance(step, bool | np.bool_):
            raise ValueError(f"step must be a whole number, got {step!r}")
        if not isinstance(preset, str):
            raise ValueError(f"preset must be a string, got {preset!r}")
        object.__setattr__(self, "step", int(step))

    @classmethod
    def of(cls, X, y, *, step: int = 0, preset: str = "", **settings: Any) -> "Scenario":
        """A Scenario of these points whose config has the given settings, else defaults."""
        return cls(X, y, TrainConfig(**settings), step, preset)

    def __eq__(self, other):
        if not isinstance(other, Scenario):
            return NotImplemented
        return (
            np.array_equal(self.X, other.X)
            and np.array_equal(self.y, other.y)
            and self._rest() == other._rest()
        )

    def __hash__(self):
        return hash((self.X.tobytes(), self.y.tobytes(), self._rest()))

    def _rest(self) -> tuple:
        return self.config, self.step, self.preset

    def n_updates(self) -> int:
        """How many weight updates training these points with these settings makes."""
        return count_updates(len(self.y), self.config)

    def replace(self, **changes: Any) -> "Scenario":
        """A copy with the given changes: Scenario fields or settings of its config."""
        settings = {name: changes.pop(name) for name in list(changes) if name in _CONFIG_FIELDS}
        if settings:
            changes["config"] = dataclasses.replace(changes.get("config", self.config), **settings)
        return dataclasses.replace(self, **changes)

    def with_points(self, X: np.ndarray, y: np.ndarray) -> "Scenario":
        """A copy with new points ``X`` ``(n, 2)`` and labels ``y`` ``(n,)``."""
        return self.replace(X=X, y=y)


@functools.cache
def default_points() -> tuple[np.ndarray, np.ndarray]:
    """The points at first start: 20 of the "separable" preset (read-only)."""
    X, y = make_dataset(DEFAULT_PRESET, n=DEFAULT_N_POINTS, seed=DEFAULT_POINTS_SEED)
    return checked_points(X, y)


def default_scenario() -> Scenario:
    """The state at first start: the default points and default settings."""
    X, y = default_points()
    return Scenario(X, y, preset=DEFAULT_PRESET)


def preset_scenario(name: str, current: Scenario | None = None, seed: int = 0) -> Scenario:
    """The preset ``name`` loaded over ``current`` (default: the default scenario): its
    points (default size, drawn with ``seed``), its ``settings`` applied over the current
    ones (a preset without settings keeps every setting), step 0. Raises ValueError for an
    unknown name."""
    X, y = make_dataset(name, seed=seed)
    base = default_scenario() if current is None else current
    return base.replace(X=X, y=y, preset=name, step=0, **PRESETS[name].settings)
