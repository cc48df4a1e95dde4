"""Challenges an instructor hands out: a scenario, what the learner may change, a goal, a task.

A ``Challenge`` opens in one of three modes (``CHALLENGE_MODES``): "train" (set the
controls and step through the run), "predict" (answer a question before each update, see
``perceptron.predict``) or "hand" (set w1, w2 and b by hand, see ``perceptron.handfit``).
Its goal, and how a goal is checked, are in ``perceptron.goals``.

Controls a challenge can lock (fixed at the challenge's value) or hide (not shown, and so
also fixed): every setting of ``perceptron.settings.SETTINGS`` by its name, and
"points" (placing and erasing points, presets, the table, files) and "handfit_step"
(the hand-fit mode's one-click gradient step).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass, field

from perceptron.goals import CHALLENGE_MODES, Goal
from perceptron.handfit import HandPath
from perceptron.limits import MAX_SEED
from perceptron.predict import KINDS, checked_kinds
from perceptron.scenario import Scenario
from perceptron.settings import BY_NAME, SETTINGS
from perceptron.training import TrainConfig

NON_SETTING_CONTROLS = {
    "points": "the points: placing, erasing, presets, the table and files",
    "handfit_step": "the hand-fit mode's gradient step",
}
MAX_TASK_CHARS, MAX_TITLE_CHARS = 200, 60


def controls() -> tuple[str, ...]:
    """Every control a challenge can lock or hide: the settings, then the others."""
    return (*(setting.name for setting in SETTINGS), *NON_SETTING_CONTROLS)


def breaks_the_line(char: str) -> bool:
    """A control character, or a line or paragraph separator: what one line may not hold."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def one_line_problem(text, limit: int) -> str | None:
    """What keeps ``text`` from being a one-line text of at most ``limit`` characters."""
    if not isinstance(text, str):
        return f"must be a string, got {text!r}"
    if len(text) > limit:
        return f"must be at most {limit} characters, got {len(text)}"
    if any(map(breaks_the_line, text)):
        return f"must be one line without control characters, got {text[:40]!r}"
    return None


@dataclass(frozen=True)
class Challenge:
    """A challenge: the scenario it opens, the task, the goal, and what the learner may change.

    scenario: the points and settings it starts from. task: one line, at most
    MAX_TASK_CHARS characters, what to do. goal: a Goal, or None (nothing is checked).
    mode: one of CHALLENGE_MODES, one the goal can be checked in. title: at most
    MAX_TITLE_CHARS, may be empty (both texts are kept without spaces at their ends).
    locked, hidden: names from ``controls()``; a hidden control is also locked (what
    the learner cannot see they cannot change). ask: the question kinds of the predict
    mode; question_seed: the seed of their choice, so a room answering together gets the
    same questions.
    """

    scenario: Scenario
    task: str
    goal: Goal | None = None
    mode: str = "train"
    title: str = ""
    locked: frozenset[str] = field(default_factory=frozenset)
    hidden: frozenset[str] = field(default_factory=frozenset)
    ask: tuple[str, ...] = KINDS
    question_seed: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.scenario, Scenario):
            raise ValueError(f"scenario must be a Scenario, got {self.scenario!r}")
        for name, limit in (("task", MAX_TASK_CHARS), ("title", MAX_TITLE_CHARS)):
            problem = one_line_problem(getattr(self, name), limit)
            if problem:
                raise ValueError(f"the {name} {problem}")
            object.__setattr__(self, name, getattr(self, name).strip())
        if not self.task:
            raise ValueError("the task must say what to do, got an empty text")
        self._check_mode_and_goal()
        locked, hidden = _controls("locked", self.locked), _controls("hidden", self.hidden)
        object.__setattr__(self, "locked", locked | hidden)
        object.__setattr__(self, "hidden", hidden)
        object.__setattr__(self, "ask", checked_kinds(self.ask))
        seed = self.question_seed
        if not (isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed <= MAX_SEED):
            raise ValueError(
                f"question_seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}"
            )

    def _check_mode_and_goal(self) -> None:
        if self.mode not in CHALLENGE_MODES:
            raise ValueError(f"mode must be one of {', '.join(CHALLENGE_MODES)}, got {self.mode!r}")
        if self.goal is not None and not isinstance(self.goal, Goal):
            raise ValueError(f"goal must be a Goal or None, got {self.goal!r}")
        if self.goal is not None and self.mode not in self.goal.modes:
            raise ValueError(
                f"the goal {self.goal.kind} is checked in mode {' or '.join(self.goal.modes)}, "
                f"not in mode {self.mode!r}"
            )

    def is_locked(self, control: str) -> bool:
        """Whether the learner may not change ``control`` (a name from ``controls()``)."""
        return _control(control) in self.locked

    def is_hidden(self, control: str) -> bool:
        return _control(control) in self.hidden

    def enforce(self, scenario: Scenario) -> Scenario:
        """``scenario`` with every locked setting, and the points if locked, set back to the
        challenge's: what the app keeps whatever the learner or an address tries."""
        mine = self.scenario.config
        values = {f.name: getattr(scenario.config, f.name) for f in dataclasses.fields(TrainConfig)}
        for name in self.locked & set(BY_NAME):
            row = BY_NAME[name]
            if row.index is None:
                values[row.field] = row.value_in(mine)
            else:
                pair = list(values[row.field])
                pair[row.index] = row.value_in(mine)
                values[row.field] = tuple(pair)
        enforced = scenario.replace(config=TrainConfig(**values))
        if "points" in self.locked:
            enforced = enforced.replace(
                X=self.scenario.X, y=self.scenario.y, preset=self.scenario.preset
            )
        return enforced.replace(step=min(enforced.step, enforced.n_updates()))

    def start_path(self) -> HandPath:
        """A hand-fit path at the scenario's starting weights."""
        return HandPath.starting_at(*self.scenario.config.start())


def _control(name) -> str:
    if name not in controls():
        raise ValueError(f"a control must be one of {', '.join(controls())}, got {name!r}")
    return name


def _controls(what: str, names) -> frozenset[str]:
    if isinstance(names, str):
        raise ValueError(f"{what} must be a collection of control names, got the string {names!r}")
    try:
        return frozenset(_control(name) for name in names)
    except TypeError:
        raise ValueError(f"{what} must be a collection of control names, got {names!r}") from None
