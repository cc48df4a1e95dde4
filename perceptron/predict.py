"""Predict, then reveal: questions about one update of a run, their answers and the reasons.

Before update k the learner is asked one question about it; the answer and its reason,
in numbers, come only from ``reveal``, so a ``Question`` can be shown (or sent to a
browser) without giving anything away. The kinds, in the lecture's order of ideas:

- "w1", "w2", "b": will it go up or down? The update is w ← w − α·∂L/∂w, so it goes
  against the sign of ∂L/∂w: per point ∂L/∂w1 = −(y − ŷ)·x1, ∂L/∂b = −(y − ŷ); in the
  batch modes the mean of those terms over the points the update uses.
- "y_hat": will ŷ of one point rise or fall? ŷ = σ(z) rises exactly when z does.
- "boundary": will the boundary move toward that point or away from it? Its distance to
  the line w·x + b = 0 is |z|/‖w‖. Measured on the side the point was on before the
  update, the distance after is z_after/‖w_after‖ with the sign of z_before: smaller (or
  negative: the line passed over the point) means the boundary came toward the point,
  larger means it went away. A point on the line before (z = 0) can only stay or see the
  line go away. Asked only when w ≠ 0 before and after: without a w there is no line.
- "loss" (batch modes only): will the mean loss over the update's points fall or rise?
  Per point it always falls (z moves towards y), so there it would teach nothing.

The point of "y_hat" and "boundary" is the one the update uses (per point, or a batch of
one point) or, in the batch modes, the one of its points the neuron is most wrong about
(largest |y − ŷ|).

The truths are decided exactly: signs of float gradients, and distances compared as
exact fractions of the stored floats, so a tie is an honest "stays the same".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from perceptron.model import error_from_logit, logit, point_losses, sigmoid
from perceptron.training import History

# The lecture's order: how w1 affects L first, then w2 and b, then what an update does.
KINDS = ("w1", "w2", "b", "y_hat", "boundary", "loss")
UP, DOWN, SAME, TOWARD, AWAY = "up", "down", "same", "toward", "away"
# The first option goes on ↑, the second on ↓, the third on 0.
_OPTIONS = {
    "value": ((UP, "goes up"), (DOWN, "goes down"), (SAME, "stays the same")),
    "rise": ((UP, "rises"), (DOWN, "falls"), (SAME, "stays the same")),
    "boundary": ((TOWARD, "moves toward it"), (AWAY, "moves away from it"), (SAME, "stays as far")),
}
_OPTION_SET = {"w1": "value", "w2": "value", "b": "value", "y_hat": "rise", "loss": "rise"}


@dataclass(frozen=True)
class Question:
    """One question about update k, safe to show before the learner commits: no answer in it.

    ``point`` is the row of X it is about ("y_hat", "boundary"; per point also the others),
    or None. ``options`` are (id, label) pairs, e.g. ("up", "goes up"); ``text`` gives the
    numbers the learner needs and asks.
    """

    k: int
    kind: str
    point: int | None
    text: str
    options: tuple[tuple[str, str], ...]

    def option_ids(self) -> tuple[str, ...]:
        return tuple(option for option, _ in self.options)


@dataclass(frozen=True)
class Reveal:
    """The truth about a question: the right option, the reason in numbers, and the change.

    ``before`` and ``after`` are (w1, w2, b) around update k, for drawing what it did.
    """

    question: Question
    answer: str
    reason: str
    before: tuple[float, float, float]
    after: tuple[float, float, float]

    def is_right(self, given: str) -> bool:
        """Whether ``given`` (an option id) is the answer; ValueError if it is no option."""
        if given not in self.question.option_ids():
            options = ", ".join(self.question.option_ids())
            raise ValueError(f"an answer must be one of {options}, got {given!r}")
        return given == self.answer


@dataclass(frozen=True)
class Score:
    """How the learner is doing: ``right`` of ``total``, the current and the longest streak."""

    right: int
    total: int
    streak: int
    best_streak: int

    @property
    def text(self) -> str:
        """E.g. "7 of 9 right, 3 in a row"."""
        words = f"{self.right} of {self.total} right"
        return words + (f", {self.streak} in a row" if self.streak >= 2 else "")


def score(results: Iterable[bool]) -> Score:
    """The score of a sequence of committed answers, True for each right one, in order."""
    right = total = streak = best = 0
    for result in results:
        if not isinstance(result, bool | np.bool_):
            raise ValueError(f"each result must be True or False, got {result!r}")
        total += 1
        right += bool(result)
        streak = streak + 1 if result else 0
        best = max(best, streak)
    return Score(right, total, streak, best)


# --- which question ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Update:
    """Everything about update k that the questions need."""

    k: int
    rows: np.ndarray
    per_point: bool
    w_before: np.ndarray
    b_before: float
    w_after: np.ndarray
    b_after: float
    grad_w: np.ndarray
    grad_b: float
    lr: float
    log_loss: bool

    @property
    def states(self) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        before = (float(self.w_before[0]), float(self.w_before[1]), self.b_before)
        return before, (float(self.w_after[0]), float(self.w_after[1]), self.b_after)


def _update(history: History, k: int) -> _Update:
    """Update k of the run (ValueError naming k if there is no such update)."""
    rows = history.points_used(k)
    w_before, b_before = history.state(k - 1)
    w_after, b_after = history.state(k)
    return _Update(
        k=k,
        rows=rows,
        per_point=len(rows) == 1,  # per-point mode, or a batch of one point: the same update
        w_before=w_before,
        b_before=b_before,
        w_after=w_after,
        b_after=b_after,
        grad_w=history.grad_w[k - 1].copy(),
        grad_b=float(history.grad_b[k - 1]),
        lr=history.config.learning_rate,
        log_loss=getattr(history.config, "loss", "log") == "log",
    )


def _checked_data(history: History, X, y) -> tuple[np.ndarray, np.ndarray]:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if X.shape != (history.n_points, 2) or y.shape != (history.n_points,):
        raise ValueError(
            f"X and y must hold the run's {history.n_points} points, got shapes {X.shape} "
            f"and {y.shape}"
        )
    return X, y


def checked_kinds(ask: Iterable[str]) -> tuple[str, ...]:
    """``ask`` as question kinds in the lecture's order; ValueError naming any unknown."""
    ask = tuple(ask)
    unknown = [kind for kind in ask if kind not in KINDS]
    if unknown or not ask:
        raise ValueError(f"question kinds must be some of {', '.join(KINDS)}, got {ask!r}")
    return tuple(kind for kind in KINDS if kind in ask)


def _fits(kind: str, u: _Update) -> bool:
    """Whether a question of ``kind`` makes sense at this update."""
    if kind == "boundary":
        return _has_line(u.w_before) and _has_line(u.w_after)
    if kind == "loss":
        return not u.per_point and len(u.rows) > 1 and u.log_loss
    return True


def _has_line(w: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(w)) and np.any(w != 0))


def kinds_at(history: History, k: int, ask: Iterable[str] = KINDS) -> tuple[str, ...]:
    """The kinds of ``ask`` that make sense at update k, in the lecture's order."""
    u = _update(history, k)
    return tuple(kind for kind in checked_kinds(ask) if _fits(kind, u))


def choose_kind(
    history: History, k: int, *, seed: int = 0, first: int = 1, ask: Iterable[str] = KINDS
) -> str | None:
    """Which kind of question update k gets: deterministic given k, ``seed`` and ``first``.

    ``first`` is the update the learner started predicting at. From there the questions
    walk the lecture's order, one new kind per update (w1, w2, b, ŷ, the boundary, and
    the loss in the batch modes); after that each update draws one kind from
    ``default_rng([seed, k])``. A kind that makes no sense at k (the boundary while
    w = 0) gives way to the next that does, in the lecture's order; None when no kind of
    ``ask`` makes sense at k (then update k gets no question).
    """
    if not (_is_whole(seed) and seed >= 0 and _is_whole(first) and first >= 1):
        raise ValueError(f"seed must be a whole number ≥ 0 and first ≥ 1, got {seed!r}, {first!r}")
    u = _update(history, k)
    order = [kind for kind in checked_kinds(ask) if kind != "loss" or not u.per_point]
    if not order:
        return None
    i = k - first
    start = i if 0 <= i < len(order) else int(np.random.default_rng([seed, k]).integers(len(order)))
    fitting = (order[(start + step) % len(order)] for step in range(len(order)))
    return next((kind for kind in fitting if _fits(kind, u)), None)


def _is_whole(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


# --- the question --------------------------------------------------------------------------


def question(history: History, X, y, k: int, kind: str) -> Question:
    """The question of ``kind`` about update k of ``history`` (trained on X, y).

    Raises ValueError naming k, the kind, or why the kind makes no sense at k.
    """
    X, y = _checked_data(history, X, y)
    (kind,) = checked_kinds([kind])
    u = _update(history, k)
    if not _fits(kind, u):
        raise ValueError(f"a {kind!r} question makes no sense at update {k}: {_why_not(kind, u)}")
    point = _point_of(u, X, y) if kind in ("y_hat", "boundary") or u.per_point else None
    text = f"{_context(u, X, y, kind)} {_ask(kind, point)}"
    return Question(k, kind, point, text, _OPTIONS[_OPTION_SET.get(kind, kind)])


def question_for(
    history: History, X, y, k: int, *, seed: int = 0, first: int = 1, ask: Iterable[str] = KINDS
) -> Question | None:
    """The question update k gets by ``choose_kind``'s rule, or None when it gets none."""
    kind = choose_kind(history, k, seed=seed, first=first, ask=ask)
    return None if kind is None else question(history, X, y, k, kind)


def _why_not(kind: str, u: _Update) -> str:
    if kind == "boundary":
        return "w = 0 before or after it, so there is no boundary to move"
    if u.per_point or len(u.rows) < 2:
        return "it uses one point, whose own loss always falls"
    return "the loss question is about the log loss"


def _point_of(u: _Update, X: np.ndarray, y: np.ndarray) -> int:
    """The point the update uses, or of a batch the one with the largest |y − ŷ|."""
    if u.per_point:
        return int(u.rows[0])
    errors = np.abs(error_from_logit(logit(u.w_before, u.b_before, X[u.rows]), y[u.rows]))
    return int(u.rows[int(np.argmax(errors))])


def _describe_point(i: int, X: np.ndarray, y: np.ndarray, w, b) -> str:
    z = float(logit(w, b, X[i]))
    return (
        f"point #{i + 1}: class {int(y[i])}, x = ({_num(X[i, 0])}, {_num(X[i, 1])}), "
        f"ŷ = {_probability(z)}"
    )


def _context(u: _Update, X, y, kind: str) -> str:
    if u.per_point:
        point = _describe_point(int(u.rows[0]), X, y, u.w_before, u.b_before)
        return f"Update {u.k:,} uses {point}."
    group = "all" if len(u.rows) == len(y) else "these"
    used = f"Update {u.k:,} uses the mean gradient over {group} {len(u.rows):,} points"
    if group == "these":
        more = "…" if len(u.rows) > 12 else ""
        used += " (" + ", ".join(str(i + 1) for i in u.rows[:12]) + more + ")"
    if kind in ("y_hat", "boundary"):
        worst = _describe_point(_point_of(u, X, y), X, y, u.w_before, u.b_before)
        return f"{used}. Of these, the neuron is most wrong about {worst}."
    return used + "."


def _ask(kind: str, point: int | None) -> str:
    if kind in ("w1", "w2", "b"):
        return f"Will {kind} go up or down?"
    if kind == "y_hat":
        return f"Will ŷ for point #{point + 1} rise or fall?"
    if kind == "boundary":
        return f"Will the boundary move toward point #{point + 1} or away from it?"
    return "Will the mean loss over these points fall or rise?"


# --- the truth -----------------------------------------------------------------------------


def reveal(history: History, X, y, q: Question) -> Reveal:
    """The answer to ``q`` with its reason in numbers and the states around the update."""
    X, y = _checked_data(history, X, y)
    u = _update(history, q.k)
    if not _fits(q.kind, u):
        raise ValueError(f"a {q.kind!r} question makes no sense at update {q.k}")
    if q.kind in ("w1", "w2", "b"):
        answer, reason = _parameter_truth(q.kind, u, X, y)
    elif q.kind == "y_hat":
        answer, reason = _y_hat_truth(q.point, u, X, y)
    elif q.kind == "boundary":
        answer, reason = _boundary_truth(q.point, u, X)
    else:
        answer, reason = _loss_truth(u, X, y)
    return Reveal(q, answer, reason, *u.states)


def _way(value: float) -> str:
    """The way a parameter moves when its derivative is ``value``: against its sign."""
    return DOWN if value > 0 else UP if value < 0 else SAME


_WORDS = {UP: "goes up", DOWN: "goes down", SAME: "stays"}


def _parameter_truth(name: str, u: _Update, X, y) -> tuple[str, str]:
    index = {"w1": 0, "w2": 1}.get(name)
    slope = u.grad_b if index is None else float(u.grad_w[index])
    old, new = u.states[0][_NAMES.index(name)], u.states[1][_NAMES.index(name)]
    answer = _way(slope)
    move = f"so {name} ← {name} − α·∂L/∂{name} {_WORDS[answer]}: {_num(old)} → {_num(new)}."
    if u.per_point:
        i = int(u.rows[0])
        why = _one_point_slope(name, index, slope, float(y[i]), u, X[i])
    else:
        why = _mean_slope(name, index, slope, u, X, y)
    return answer, f"{why}, {move}"


_NAMES = ("w1", "w2", "b")


def _one_point_slope(name: str, index: int | None, slope: float, label: float, u, x) -> str:
    z = float(logit(u.w_before, u.b_before, x))
    error = float(error_from_logit(z, label))
    factor = "" if index is None else f"·{_factor(x[index])}"
    input_ = "" if index is None else f"·x{index + 1}"
    formula = f"∂L/∂{name} = −(y − ŷ){input_}"
    if not u.log_loss:
        return (
            f"∂L/∂{name} = {_signed(slope)} has the sign of −(y − ŷ){input_} = "
            f"−({int(label)} − {_probability(z)}){factor}, the other factors being positive"
        )
    if error == 0:
        return f"ŷ equals y to every digit float64 holds, so {formula} = 0"
    if index is not None and x[index] == 0:
        return f"x{index + 1} = 0, so {formula} = 0"
    filled = f"−({int(label)} − {_probability(z)}){factor}"
    return f"{formula} = {filled} = {_signed(slope)} {_cmp(slope)}"


def _mean_slope(name: str, index: int | None, slope: float, u: _Update, X, y) -> str:
    rows = u.rows
    errors = error_from_logit(logit(u.w_before, u.b_before, X[rows]), y[rows])
    terms = -errors if index is None else -errors * X[rows, index]
    term = "−(y − ŷ)" if index is None else f"−(y − ŷ)·x{index + 1}"
    low, high = int(np.argmin(terms)), int(np.argmax(terms))
    spread = (
        f"; its terms run from {_signed(terms[low])} (point #{rows[low] + 1}) to "
        f"{_signed(terms[high])} (point #{rows[high] + 1})"
        if len(rows) > 1
        else ""
    )
    if not u.log_loss:
        return f"∂L/∂{name} is the mean over {len(rows):,} points: {_signed(slope)} {_cmp(slope)}"
    return (
        f"∂L/∂{name} is the mean of {term} over the {len(rows):,} points{spread}; "
        f"the mean is {_signed(slope)} {_cmp(slope)}"
    )


def _cmp(value: float) -> str:
    return "> 0" if value > 0 else "< 0" if value < 0 else "= 0"


def _exact_z(w, b: float, x) -> Fraction:
    """z = w1·x1 + w2·x2 + b of the stored floats, with no rounding at all."""
    return (
        Fraction(float(w[0])) * Fraction(float(x[0]))
        + Fraction(float(w[1])) * Fraction(float(x[1]))
        + Fraction(float(b))
    )


def _sign(value: Fraction | float) -> int:
    return (value > 0) - (value < 0)


def _y_hat_truth(i: int, u: _Update, X, y) -> tuple[str, str]:
    x = X[i]
    z0, z1 = _exact_z(u.w_before, u.b_before, x), _exact_z(u.w_after, u.b_after, x)
    answer = {1: UP, -1: DOWN, 0: SAME}[_sign(z1 - z0)]
    moved = {UP: "rises", DOWN: "falls", SAME: "stays"}[answer]
    outcome = (
        f"z for point #{i + 1} goes from {_num(z0)} to {_num(z1)}, so ŷ = σ(z) {moved}: "
        f"{_probability(float(z0))} → {_probability(float(z1))}."
    )
    if u.per_point:
        error = float(error_from_logit(float(z0), y[i]))
        size = float(x[0]) ** 2 + float(x[1]) ** 2 + 1
        why = (
            f"Each derivative is −(y − ŷ) times an input, so the update changes z by "
            f"α·(y − ŷ)·(x1² + x2² + 1) = {_num(u.lr)}·({_signed(error)})·{_num(size)} = "
            f"{_signed(u.lr * error * size)}: it always moves z toward the point's class. "
        )
    else:
        dw = u.w_after - u.w_before
        db = u.b_after - u.b_before
        why = (
            f"The mean gradient changes z for point #{i + 1} by Δw1·x1 + Δw2·x2 + Δb = "
            f"({_signed(dw[0])})·{_factor(x[0])} + ({_signed(dw[1])})·{_factor(x[1])} + "
            f"({_signed(db)}) = {_signed(float(z1 - z0))}. "
        )
    return answer, why + outcome


def _boundary_truth(i: int, u: _Update, X) -> tuple[str, str]:
    x = X[i]
    z0, z1 = _exact_z(u.w_before, u.b_before, x), _exact_z(u.w_after, u.b_after, x)
    n0, n1 = _exact_norm2(u.w_before), _exact_norm2(u.w_after)
    d0, d1 = abs(float(z0)) / math.sqrt(n0), abs(float(z1)) / math.sqrt(n1)
    before = (
        f"Before the update point #{i + 1} is on the boundary (z = 0)"
        if z0 == 0
        else f"Before the update point #{i + 1} is |z|/‖w‖ = {_num(abs(z0))}/{_num(math.sqrt(n0))}"
        f" = {_num(d0)} from the boundary"
    )
    crossed = _sign(z0) * _sign(z1) < 0
    answer = _toward_or_away(z0, z1, n0, n1)
    if crossed:
        after = f"after it, it is {_num(d1)} beyond it, on the other side"
    elif z1 == 0:
        after = "after it, it is on the boundary"
    else:
        after = f"after it, {_num(abs(z1))}/{_num(math.sqrt(n1))} = {_num(d1)}"
        after += ", on the same side" if z0 != 0 else ""
    verdict = {
        TOWARD: "the boundary moved toward it" + (" and passed over it" if crossed else ""),
        AWAY: "the boundary moved away from it",
        SAME: "the boundary is exactly as far from it as before",
    }[answer]
    return answer, f"{before}; {after}: {verdict}."


def _exact_norm2(w) -> Fraction:
    return Fraction(float(w[0])) ** 2 + Fraction(float(w[1])) ** 2


def _toward_or_away(z0: Fraction, z1: Fraction, n0: Fraction, n1: Fraction) -> str:
    """Compare the distance after, on the side the point was on, with the distance before.

    d0 = |z0|/√n0 and d1 = sign(z0)·z1/√n1; squared (both sides ≥ 0) they compare exactly.
    """
    if z0 == 0:
        return SAME if z1 == 0 else AWAY
    side = _sign(z0)
    if side * z1 < 0:
        return TOWARD
    before, after = z0 * z0 * n1, z1 * z1 * n0  # d0² and d1², both times n0·n1
    return TOWARD if after < before else AWAY if after > before else SAME


def _loss_truth(u: _Update, X, y) -> tuple[str, str]:
    rows = u.rows
    before = float(np.mean(point_losses(u.w_before, u.b_before, X[rows], y[rows])))
    after = float(np.mean(point_losses(u.w_after, u.b_after, X[rows], y[rows])))
    answer = UP if after > before else DOWN if after < before else SAME
    moved = {UP: "it rose", DOWN: "it fell", SAME: "it stayed the same"}[answer]
    return answer, (
        f"The mean loss over these {len(rows):,} points went from {_num(before)} to "
        f"{_num(after)} after a step of α = {_num(u.lr)} against the mean gradient: {moved}."
    )


# --- numbers in text -------------------------------------------------------------------------


def _num(value) -> str:
    """3 significant digits with a true minus sign."""
    return f"{float(value):.3g}".replace("-", "−")


def _factor(value) -> str:
    """A number to multiply by: in brackets when negative, "·(−2)" but "·1.5"."""
    return f"({_num(value)})" if float(value) < 0 else _num(value)


def _signed(value) -> str:
    """3 significant digits with an explicit sign: +1.38, −0.69, 0."""
    value = float(value)
    return "0" if value == 0 else f"{value:+.3g}".replace("-", "−")


def _probability(z: float) -> str:
    """ŷ = σ(z) in 3 digits, written 1 − q when within 0.001 of 1 (q = σ(−z), exact)."""
    y_hat = sigmoid(z)
    if y_hat > 0.999:
        return f"1 − {_num(sigmoid(-z))}"
    return _num(y_hat)


def results(reveals: Sequence[Reveal], answers: Sequence[str]) -> list[bool]:
    """Whether each answer is right, for ``score``: the reveals and answers pair up in order."""
    if len(reveals) != len(answers):
        raise ValueError(f"one answer per reveal: {len(answers)} answers for {len(reveals)}")
    return [r.is_right(a) for r, a in zip(reveals, answers, strict=True)]
