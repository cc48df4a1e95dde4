"""What crosses between Python and the Playground's chart component, declared once.

Python sends one ``Payload`` per run of the stepping fragment; ui/component/*.js
reads only the keys declared here (tests/test_browser_contract.py checks both sides).
The browser owns the current step k while the learner steps: it moves through the
``records`` it was sent and tells Python where it stopped with a ``paused_at`` event.
Coordinates are data units (x1, x2) unless a line says otherwise; steps are whole
numbers 0..K, state k being the weights after update k.
"""

from __future__ import annotations

from typing import Literal, TypedDict

# Raised when a key is added, removed or changes its meaning.
VERSION = 4


class Frame(TypedDict):
    """What Play shows of state k, computed by perceptron/ (see
    ``perceptron.frames.step_record``) and ui.playground (the marks)."""

    k: int  # the step
    w: list[float]  # [w1, w2] after update k: with b, the ŷ shading (σ per grid cell)
    b: float  # the bias after update k
    boundary: list[float] | None  # [x0, y0, x1, y1]: the boundary's visible segment
    arrow: list[float] | None  # [x0, y0, x1, y1]: the weight arrow, from the boundary
    note: str | None  # why no boundary is drawn, when there is none in view
    wrong: str  # misclassified points: base64 bit mask, point i at bit i % 8 of byte i // 8
    undecided: str  # points with ŷ = 0.5 exactly, the same kind of mask
    used: list[int]  # rows update k used, ringed; empty when it used every point
    marks: list[list[float | None]]  # per line chart, its lines' values at k (None: none)


class Question(TypedDict):
    """A question about the next update, asked before the learner steps (no answer in it)."""

    kind: str  # what it asks about: "w1", "w2", "b", "y_hat", "boundary" or "loss"
    text: str  # the question, with the numbers the learner needs
    options: list[tuple[str, str]]  # (id, label): ↑ answers the first, ↓ the second, = the third
    point: int | None  # the row of X it is about (ringed while asked), or None


class Truth(TypedDict):
    """What update k did, for the question asked about it."""

    answer: str  # the id of the right option
    reason: str  # why, in numbers


class StepRecord(Frame):
    """Everything the component shows of state k while the learner steps."""

    numbers: list[list[tuple[str, bool]]] | None  # update k in words: lines of (text, bold)
    alt: list[str]  # what the data, loss, derivative and weight charts show at k, in words
    said: str  # update k in plain words, for the live region when the learner steps to k
    tally: str  # accuracy at k, and per class the points correct, wrong and undecided
    ask: Question | None  # predict mode: the question about update k + 1 (None: none fits)
    truth: Truth | None  # predict mode: the answer about update k (None at k = 0)


class Predict(TypedDict):
    """Predict mode: the learner's score and this run's revealed answers."""

    score: str  # e.g. "7 of 9 right, 3 in a row"; "" before the first answer
    answers: dict[str, list]  # str(k): [option id given, right or not], update k revealed


class Hand(TypedDict):
    """Hand-fit mode: the weights the learner set, and what they do."""

    record: dict  # the state on show as a StepRecord's Frame part (k = 0, no marks)
    handles: list[list[float]] | None  # two points [x1, x2] on the boundary to drag it by
    downhill: list[float] | None  # [x0, y0, x1, y1]: the way −∂L/∂w points, from w's tip
    numbers: list[list[tuple[str, bool]]]  # the weights, the loss, the gradient: (text, bold)
    halo: list[float]  # each point's part of the loss, relative to the largest (0 to 1)
    moves: int  # the learner's moves so far (Back undoes the last)
    preview: bool  # the state on show is a drag under way, not yet a move


class Overlay(TypedDict):
    """The data chart's layers that stay while k changes."""

    grid: dict[str, list[float]]  # {"x": [...], "y": [...]}: the shading grid's axes
    step: dict  # the state Python rendered, as ``perceptron.frames.step_record`` makes it
    colors: dict[str, object]  # shading scale, background, boundary, rings, outline
    style: dict[str, float]  # marker_size and line_width in px


class Payload(TypedDict):
    """One render of the component."""

    version: int  # VERSION
    main: dict  # the data chart: Plotly data and layout, and its ``overlay`` (Overlay)
    series: list[dict]  # loss, derivatives and weights charts: Plotly data, layout, step
    records: list[StepRecord]  # states k can move to at once: around k, 0, K, epoch ends
    frames: list[Frame]  # Play's states from k, every ``stride`` updates; only with autoplay
    k: int  # the step Python rendered
    n_updates: int  # K
    per_epoch: int  # updates per epoch: Epoch goes to the next multiple of it (0: no run)
    speed: int  # Play's updates per second
    anim: dict  # X, y (the points) and x_range, y_range (the view) for clicks and probe
    tool: Literal["add", "erase"]  # what a click on the chart does
    cls: int  # the class a click adds
    round: int  # clicks are rounded to 1/round in each coordinate
    colors: list[str]  # the two classes' colours
    legend: list[dict]  # the data chart's HTML legend entries
    marker_size: int  # px
    ack: dict  # {"client", "seq"}: the last click batch Python applied
    autoplay: bool  # start Play at once: Play was pressed, or reached its frames' end
    presenter: bool
    theme: Literal["light", "dark"]
    render_id: str  # changes every render; the browser tests wait for it
    series_key: str  # same key: the line charts keep their lines, only the marks move
    main_key: str  # same key: the data chart keeps its Plotly part
    plotly_url: str  # where the page serves Plotly.js (never a CDN)
    mode: Literal["train", "predict", "hand"]  # watch it train, predict each step, fit by hand
    predict: Predict | None  # predict mode's score and answers (None in the other modes)
    hand: Hand | None  # hand-fit mode's state (None in the other modes)
    points_locked: str  # why a click places nothing (the open challenge fixes the points); ""


class PausedAt(TypedDict):
    """``paused_at`` event: the browser stopped at step k (stepping paused ~300 ms, Play
    paused or reached its last frame, or a step outside ``records`` was asked for)."""

    k: int
    resume: bool  # Play goes on from k once Python has sent the next frames
    t: int  # ms since the epoch: makes each event new


class Clicks(TypedDict):
    """``clicks`` state: every click not yet acknowledged, oldest first."""

    client: str  # this browser tab's id
    items: list[dict]  # {"seq", "op": "add" | "erase", "x1", "x2", "cls"}


class KeyPress(TypedDict):
    """``key`` event: 0, 1 or e pressed with nothing focused (choose the tool)."""

    key: Literal["0", "1", "e"]
    t: int


class HistoryMove(TypedDict):
    """``history`` event: the browser went Back/Forward to this address."""

    query: str  # location.search
    t: int


class ViewChange(TypedDict):
    """``view`` state: the learner panned or zoomed the data chart."""

    x: list[float]  # [min, max] of x1
    y: list[float]  # [min, max] of x2
    t: int


class FitRequest(TypedDict):
    """``fit`` event: the Fit view button."""

    t: int


class ThemeSeen(TypedDict):
    """``theme`` event: the page shows this theme, not the one the payload was made for."""

    theme: Literal["light", "dark"]
    t: int


class Predicted(TypedDict):
    """``predicted`` event: the learner answered ``given`` about update k, then stepped to it."""

    k: int
    given: str  # an option id of the question about update k
    t: int


class HandMove(TypedDict):
    """``hand`` event: a move in hand-fit mode. Coordinates are data units."""

    op: Literal["preview", "move", "nudge", "step", "undo", "reset"]
    drag: Literal["line", "arrow"]  # preview/move: the boundary through p and q, or the
    # weight arrow from p (its base, on the boundary) to q (its tip)
    p: list[float]
    q: list[float]
    how: Literal["rotate", "shift", "scale"]  # nudge: turn (radians), shift (fraction of
    amount: float  # the view's width, along w) or scale w and b (a factor)
    t: int


EVENTS = {
    "paused_at": PausedAt,
    "clicks": Clicks,
    "key": KeyPress,
    "history": HistoryMove,
    "view": ViewChange,
    "fit": FitRequest,
    "theme": ThemeSeen,
    "predicted": Predicted,
    "hand": HandMove,
}
