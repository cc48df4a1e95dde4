"""A challenge's goal and its check: what the learner is to achieve, and whether they have.

Goals, each checked by a pure function that says what happened and why:

- loss_below(L, K): the run's loss falls below L at some update ≤ K (train, predict);
- loss_rises: the run's loss rises from one epoch's end to the next (train, predict);
- predict_streak(N): N answers right in a row (predict);
- handfit_loss_below(L): a hand-set state with mean loss below L, by hand alone (hand);
- separate, optionally within K updates: no point on the wrong side, nor undecided; the
  learner may instead claim that no line can do it, which completes it when true (any
  mode; in "hand" the hand-set line counts, otherwise the state shown, or with K the
  run's states up to the step shown and update K);
- hand_update(k): set w1, w2, b by hand to the run's state after update k, each within
  HAND_UPDATE_TOLERANCE, with no gradient steps (hand): one update worked out on paper.

The run-based goals judge the loss the run descends and its loss chart shows: its loss
(log or squared) plus λ's penalty, so the banner and the chart agree. The run-based goals
with a K look at the states from the start up to the step shown (and
K), so the moment the learner steps onto the winning update is the moment the goal is
done; K ≤ MAX_GOAL_UPDATES keeps that quick for any run the app allows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from perceptron.explain import counts_sentence
from perceptron.handfit import HandPath, hand_fit
from perceptron.landscape import CHUNK, mean_losses
from perceptron.model import predict_proba
from perceptron.predict import score
from perceptron.separation import overlap
from perceptron.training import History, train, updates_per_epoch

if TYPE_CHECKING:  # a Challenge holds a Goal: perceptron.challenges imports this module
    from perceptron.challenges import Challenge
    from perceptron.scenario import Scenario

# The modes a challenge opens in (``perceptron.challenges``); each goal is checked in some.
CHALLENGE_MODES = ("train", "predict", "hand")

GOAL_KINDS = (
    "loss_below",
    "loss_rises",
    "predict_streak",
    "handfit_loss_below",
    "separate",
    "hand_update",
)
# Goal parameters: the loss target L, the updates K (or the update k to match), the streak N.
GOAL_NEEDS = {
    "loss_below": {"loss", "updates"},
    "loss_rises": set(),
    "predict_streak": {"streak"},
    "handfit_loss_below": {"loss"},
    "separate": set(),
    "hand_update": {"updates"},
}
GOAL_MAY = {"separate": {"updates"}}
_MODES_OF = {
    "loss_below": ("train", "predict"),
    "loss_rises": ("train", "predict"),
    "predict_streak": ("predict",),
    "handfit_loss_below": ("hand",),
    "separate": CHALLENGE_MODES,
    "hand_update": ("hand",),
}
# Limits of the goal parameters: a target below 1e-6 takes more updates than a run has,
# above 10 every start meets it; K within what the checks compute in a blink.
MIN_GOAL_LOSS, MAX_GOAL_LOSS = 1e-6, 10.0
MAX_GOAL_UPDATES = 10_000
MAX_STREAK = 100


@dataclass(frozen=True)
class GoalParameter:
    """What a goal parameter may be: from ``low`` to ``high``, a whole number or not;
    ``noun`` names it in a sentence ("The goal's loss target '2x' is not a number")."""

    noun: str
    low: float
    high: float
    whole: bool


GOAL_PARAMETERS = {
    "loss": GoalParameter("loss target", MIN_GOAL_LOSS, MAX_GOAL_LOSS, whole=False),
    "updates": GoalParameter("number of updates", 1, MAX_GOAL_UPDATES, whole=True),
    "streak": GoalParameter("streak", 1, MAX_STREAK, whole=True),
}
HAND_UPDATE_TOLERANCE = 0.01
DONE, NOT_YET, MISSED = "done", "not yet", "missed"


@dataclass(frozen=True)
class Goal:
    """What the learner is to achieve: ``kind`` (one of GOAL_KINDS) and its parameters.

    loss: the target L; updates: K, the updates allowed (or for "hand_update" the update
    to reproduce); streak: N. Each kind takes exactly its parameters ("separate" may
    take K); ValueError names a missing, extra or out-of-range one.
    """

    kind: str
    loss: float | None = None
    updates: int | None = None
    streak: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in GOAL_KINDS:
            raise ValueError(f"a goal must be one of {', '.join(GOAL_KINDS)}, got {self.kind!r}")
        given = {name for name in GOAL_PARAMETERS if getattr(self, name) is not None}
        needs, may = GOAL_NEEDS[self.kind], GOAL_MAY.get(self.kind, set())
        if not needs <= given <= needs | may:
            takes = ", ".join(sorted(needs)) or "no parameters"
            raise ValueError(f"the goal {self.kind} takes {takes}, got {sorted(given)}")
        for name in GOAL_PARAMETERS:
            if getattr(self, name) is not None:
                object.__setattr__(self, name, _checked(name, getattr(self, name)))

    @property
    def modes(self) -> tuple[str, ...]:
        """The challenge modes this goal can be checked in."""
        return (
            ("train", "predict")
            if self.kind == "separate" and self.updates
            else _MODES_OF[self.kind]
        )

    @property
    def text(self) -> str:
        """The goal as a sentence, e.g. "Get the mean loss below 0.1 within 30 updates"."""
        L, K, N = _short(self.loss or 0), self.updates, self.streak
        return {
            "loss_below": f"Get the mean loss below {L} within {K} updates.",
            "loss_rises": "Find a learning rate that makes the mean loss rise.",
            "predict_streak": f"Predict {N} updates in a row correctly.",
            "handfit_loss_below": f"By hand, get the mean loss below {L}.",
            "separate": "Get every point on its own side"
            + (f" within {K} updates." if K else ", or show that no line can."),
            "hand_update": f"Set w1, w2 and b by hand to their values after update {K}.",
        }[self.kind]


def _checked(name: str, value) -> float | int:
    """``value`` as goal parameter ``name``; ValueError "the goal's <name> must be ..." if not."""
    p = GOAL_PARAMETERS[name]
    if p.whole:
        ok = isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)
        allowed = f"a whole number from {p.low} to {p.high:,}"
    else:
        ok = isinstance(value, int | float | np.floating) and not isinstance(value, bool)
        ok = ok and math.isfinite(value)
        allowed = f"a number from {p.low:g} to {p.high:g}"
    if not (ok and p.low <= value <= p.high):
        raise ValueError(f"the goal's {name} must be {allowed}, got {value!r}")
    return int(value) if p.whole else float(value)


def _short(value: float) -> str:
    return f"{value:.6g}"


# --- checking a goal -----------------------------------------------------------------------


@dataclass(frozen=True)
class GoalResult:
    """Whether the goal is met: ``status`` "done", "not yet" or "missed" (this attempt can no
    longer meet it: change something and run again, or start over), and why, in words.
    ``at`` is the update (or the answer, for a streak) at which it was met."""

    status: str
    text: str
    at: int | None = None

    @property
    def done(self) -> bool:
        return self.status == DONE


def check(
    challenge: Challenge,
    scenario: Scenario | None = None,
    *,
    history: History | None = None,
    results: Sequence[bool] = (),
    hand: HandPath | None = None,
    claims_no_line: bool = False,
) -> GoalResult | None:
    """Check ``challenge``'s goal against what the learner did; None when it has no goal.

    scenario: the learner's scenario now (its points, settings and the step shown);
    default the challenge's own. history: its run, ``train(scenario.X, scenario.y,
    scenario.config)`` (computed when not given). results: the predict answers so far,
    True for each right one. hand: the hand-fit path (default: at the start).
    claims_no_line: the learner says no line can separate the points ("separate" only).
    """
    goal = challenge.goal
    if goal is None:
        return None
    s = challenge.scenario if scenario is None else scenario
    X, y = s.X, s.y
    if challenge.mode == "hand" and goal.kind != "hand_update":
        path = hand or HandPath.starting_at(*s.config.start())
        if goal.kind == "handfit_loss_below":
            return check_handfit_loss_below(goal.loss, path, X, y)
        return check_separate(*path.current, X, y, claims_no_line=claims_no_line)
    if goal.kind == "predict_streak":
        return check_predict_streak(goal.streak, results)
    run = history if history is not None else train(X, y, s.config)
    if goal.kind == "hand_update":
        path = hand or HandPath.starting_at(*s.config.start())
        return check_hand_update(goal.updates, run, path)
    if goal.kind == "loss_below":
        return check_loss_below(goal.loss, goal.updates, run, X, y, s.step)
    if goal.kind == "loss_rises":
        return check_loss_rises(run, X, y, s.step)
    return check_separate_run(run, X, y, s.step, goal.updates, claims_no_line=claims_no_line)


def _num(value: float) -> str:
    return f"{float(value):.3g}".replace("-", "−")


def _run_losses(run: History, states: np.ndarray, X, y) -> np.ndarray:
    """What the run's loss chart shows at ``states``: its loss plus λ's penalty."""
    config = run.config
    return mean_losses(run.w[states], run.b[states], X, y, loss=config.loss, l2=config.l2)


def check_loss_below(target: float, within: int, run: History, X, y, step: int) -> GoalResult:
    """Done at the first state k ≤ min(step, within) whose mean loss is below ``target``."""
    last = min(step, within, run.n_updates)
    losses = _run_losses(run, np.arange(last + 1), X, y)
    hits = np.flatnonzero(losses < target)
    L = _short(target)
    if hits.size:
        k = int(hits[0])
        when = "already at the start" if k == 0 else f"after update {k:,}"
        return GoalResult(
            DONE,
            f"Done: {when} the mean loss is {_num(losses[k])}, below {L}, within the "
            f"{within:,} updates allowed.",
            k,
        )
    best = _num(losses.min())
    if step < min(within, run.n_updates):
        return GoalResult(
            NOT_YET,
            f"At step {step:,} the mean loss is {_num(losses[-1])}; the goal is below {L} by "
            f"update {within:,}.",
        )
    ending = (
        f"The run ends after {run.n_updates:,} updates"
        if run.n_updates < within
        else f"By update {within:,}"
    )
    return GoalResult(
        MISSED,
        f"{ending} the mean loss got down to {best} at best, not below {L}. Change what you "
        "can and run it again.",
    )


def check_loss_rises(run: History, X, y, step: int) -> GoalResult:
    """Done when the mean loss at one epoch's end is above the one before (state 0 first).

    Compared at epoch ends: within an epoch of per-point or mini-batch updates each update
    serves only some points and may raise the others' loss at any learning rate.
    """
    per_epoch = max(1, updates_per_epoch(run.n_points, run.config))
    ends = np.arange(0, min(step, run.n_updates) + 1, per_epoch)
    losses = _run_losses(run, ends, X, y)
    rises = np.flatnonzero(losses[1:] > losses[:-1] * (1 + 1e-12))
    if rises.size:
        e = int(rises[0]) + 1
        return GoalResult(
            DONE,
            f"Done: the mean loss rose from {_num(losses[e - 1])} at "
            f"{_when(ends[e - 1], per_epoch)} to {_num(losses[e])} at {_when(ends[e], per_epoch)}:"
            " steps this big jump past the low point and up the other side.",
            int(ends[e]),
        )
    apart = "from one update to the next" if per_epoch == 1 else "from one epoch's end to the next"
    if step < run.n_updates:
        if len(ends) == 1:
            return GoalResult(
                NOT_YET,
                f"At the start the mean loss is {_num(losses[0])}; step on and watch it "
                f"{apart.replace('from', 'change from', 1)}.",
            )
        return GoalResult(
            NOT_YET,
            f"So far the mean loss has only fallen (or held) {apart}: "
            f"{_num(losses[0])} at the start, {_num(losses[-1])} at {_when(ends[-1], per_epoch)}.",
        )
    return GoalResult(
        MISSED,
        f"Over the whole run the mean loss never rose {apart}: it went from {_num(losses[0])} to "
        f"{_num(losses[-1])}. With this learning rate every step went downhill; try another.",
    )


def _when(state: int, per_epoch: int) -> str:
    if state == 0:
        return "the start"
    if per_epoch == 1:
        return f"update {state:,}"
    return f"the end of epoch {state // per_epoch:,} (update {state:,})"


def check_predict_streak(streak: int, results: Sequence[bool]) -> GoalResult:
    """Done once ``streak`` answers in a row were right."""
    s = score(results)
    if s.best_streak >= streak:
        run, at = 0, 0
        for at, result in enumerate(results, 1):  # noqa: B007
            run = run + 1 if result else 0
            if run == streak:
                break
        return GoalResult(DONE, f"Done: {streak} right in a row ({s.text}).", at)
    return GoalResult(
        NOT_YET,
        f"{s.streak} right in a row so far; {streak} in a row are needed ({s.text} in all).",
    )


def _by_hand_only(path: HandPath) -> str | None:
    steps = path.gradient_steps
    if steps == 0:
        return None
    moves = "a gradient step" if steps == 1 else f"{steps:,} gradient steps"
    return f"the path holds {moves}, and this goal is for your hands alone: start over to try again"


def check_handfit_loss_below(target: float, path: HandPath, X, y) -> GoalResult:
    """Done when the hand-set state has mean loss below ``target`` and no gradient step helped."""
    fit = hand_fit(*path.current, X, y)
    L, loss = _short(target), _num(fit.loss)
    if fit.loss < target:
        problem = _by_hand_only(path)
        if problem:
            return GoalResult(MISSED, f"The mean loss is {loss}, below {L}, but {problem}.")
        return GoalResult(DONE, f"Done by hand: the mean loss is {loss}, below {L}.")
    return GoalResult(NOT_YET, f"The mean loss is {loss}; the goal is below {L}.")


def check_hand_update(k: int, run: History, path: HandPath) -> GoalResult:
    """Done when the hand-set (w1, w2, b) is within HAND_UPDATE_TOLERANCE of the run's state k."""
    if k > run.n_updates:
        return GoalResult(MISSED, f"This run has only {run.n_updates:,} updates, not {k:,}.")
    w, b = run.state(k)
    target = (float(w[0]), float(w[1]), b)
    mine = path.states[-1]
    close = [abs(a - t) <= HAND_UPDATE_TOLERANCE for a, t in zip(mine, target, strict=True)]
    names = ("w1", "w2", "b")
    tol = _short(HAND_UPDATE_TOLERANCE)
    if all(close):
        problem = _by_hand_only(path)
        if problem:
            return GoalResult(MISSED, f"The values match update {k:,}, but {problem}.")
        values = ", ".join(f"{n} = {_num(v)}" for n, v in zip(names, target, strict=True))
        return GoalResult(
            DONE, f"Done: {values} after update {k:,}, and yours match within {tol}.", k
        )
    right = [n for n, ok in zip(names, close, strict=True) if ok]
    wrong = [n for n, ok in zip(names, close, strict=True) if not ok]
    got = f"{_and(right)} {'matches' if len(right) == 1 else 'match'}; " if right else ""
    return GoalResult(
        NOT_YET,
        f"Not yet: {got}{_and(wrong)} {'is' if len(wrong) == 1 else 'are'} more than {tol} "
        f"away from {'its value' if len(wrong) == 1 else 'their values'} after update {k:,}.",
    )


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _all_right(w, b: float, X, y) -> bool:
    z = X @ np.asarray(w, dtype=np.float64) + b
    return bool(np.all(np.where(y == 1, z > 0, z < 0)))


def _no_line(X, y) -> GoalResult:
    found = overlap(X, y)
    if found is None:
        return GoalResult(
            NOT_YET,
            "Not so: a straight line can put every point on its own side here. Keep looking.",
        )
    return GoalResult(DONE, f"Done, and right: no straight line can do it. {found.text}")


def check_separate(w, b: float, X, y, *, claims_no_line: bool = False) -> GoalResult:
    """Done when (w, b) puts every point on its own side, or the learner rightly claims that
    no line can (the reason then names points whose shapes overlap)."""
    w = np.asarray(w, dtype=np.float64)
    if _all_right(w, b, X, y):
        return GoalResult(DONE, "Done: every point is on its own side of the boundary.")
    if claims_no_line:
        return _no_line(X, y)
    sentence = counts_sentence(predict_proba(w, b, X), y)
    return GoalResult(NOT_YET, f"Not yet: {sentence}.")


def check_separate_run(
    run: History, X, y, step: int, within: int | None = None, *, claims_no_line: bool = False
) -> GoalResult:
    """With ``within`` K: done at the first state up to the step shown and update K with
    every point on its own side. Without: done when the state shown has. Or done by a
    right claim that no line can do it."""
    last = min(step, run.n_updates, within if within is not None else step)
    first = last if within is None else 0
    k = _first_separating(run, X, y, first, last)
    if k is not None:
        when = "already at the start" if k == 0 else f"after update {k:,}"
        return GoalResult(DONE, f"Done: {when} every point is on its own side.", k)
    if claims_no_line:
        return _no_line(X, y)
    w, b = run.state(last)
    sentence = counts_sentence(predict_proba(w, b, X), y)
    if within is not None and (last == within or last == run.n_updates):
        ending = (
            f"by update {last:,}" if last == within else f"when the run ends, at update {last:,}"
        )
        return GoalResult(MISSED, f"Missed: {ending}, {sentence}.")
    return GoalResult(NOT_YET, f"Not yet: at step {last:,}, {sentence}.")


def _first_separating(run: History, X, y, first: int, last: int) -> int | None:
    """The first state from ``first`` to ``last`` with every point on its own side."""
    rows = max(1, CHUNK // max(1, len(y)))
    for start in range(first, last + 1, rows):
        stop = min(last + 1, start + rows)
        z = run.w[start:stop] @ X.T + run.b[start:stop, None]
        right = np.all(np.where(y == 1, z > 0, z < 0), axis=1)
        if right.any():
            return start + int(np.argmax(right))
    return None
