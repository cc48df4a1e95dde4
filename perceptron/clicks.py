"""Clicks on the data chart, as the browser queues them, turned into point edits.

The browser draws a clicked point at once and keeps it in a queue of numbered clicks
until the server acknowledges that number. This module applies a queue exactly once per
click (a click seen twice is skipped by its number) and never trusts what it is sent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from perceptron.limits import MAX_ABS_COORDINATE, MAX_POINTS

# Coordinates from a click are rounded by the browser to this many decimals.
CLICK_DECIMALS = 3


@dataclass(frozen=True)
class ClickResult:
    """Points after the clicks, the last click number applied, and messages for the user."""

    X: np.ndarray
    y: np.ndarray
    last_seq: int
    messages: list[str] = field(default_factory=list)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except OverflowError:  # JSON integers are unbounded: 1e400 written out in digits
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_ABS_COORDINATE else None


def _seq(item) -> int | None:
    seq = item.get("seq") if isinstance(item, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0 else None


def _erase(X, y, item) -> tuple[np.ndarray, np.ndarray, str | None]:
    x1, x2 = _number(item.get("x1")), _number(item.get("x2"))
    if x1 is None or x2 is None or len(X) == 0:
        return X, y, "There was no point there to remove."
    index = item.get("index")
    if not (
        isinstance(index, int) and 0 <= index < len(X) and X[index, 0] == x1 and X[index, 1] == x2
    ):
        # The list changed since the browser drew it: remove the point at those coordinates.
        hits = np.flatnonzero((X[:, 0] == x1) & (X[:, 1] == x2))
        if len(hits) == 0:
            return X, y, "That point was already removed."
        index = int(hits[0])
    keep = np.arange(len(X)) != index
    return X[keep], y[keep], None


def _add(X, y, item, max_points: int) -> tuple[np.ndarray, np.ndarray, str | None]:
    x1, x2 = _number(item.get("x1")), _number(item.get("x2"))
    cls = item.get("cls")
    if x1 is None or x2 is None or cls not in (0, 1) or isinstance(cls, bool):
        return X, y, "A click could not be read and was ignored."
    if len(X) >= max_points:
        return X, y, f"The playground holds at most {max_points:,} points; remove some first."
    point = np.array([[round(x1, CLICK_DECIMALS), round(x2, CLICK_DECIMALS)]])
    return np.vstack([X, point]), np.append(y, float(cls)), None


def apply_clicks(X, y, items, last_seq: int, *, max_points: int = MAX_POINTS) -> ClickResult:
    """Apply the clicks numbered above ``last_seq``, in order, to the points (X, y).

    Each item is a dict ``{"seq", "op": "add"|"erase", "x1", "x2", "cls"|"index"}``.
    Returns new arrays (the inputs are not changed) and the highest number applied, so
    the browser can stop showing those clicks as pending. Malformed items are skipped
    with a message; nothing here raises for any JSON the browser could send.
    """
    X = np.asarray(X, dtype=float).reshape(-1, 2)
    y = np.asarray(y, dtype=float).ravel()
    fresh = sorted(
        (
            item
            for item in (items if isinstance(items, list) else [])
            if (_seq(item) or 0) > last_seq
        ),
        key=_seq,
    )
    messages: list[str] = []
    newest = last_seq
    for item in fresh:
        if _seq(item) == newest:  # a number sent twice in one queue is still one click
            continue
        newest = _seq(item)
        if item.get("op") == "erase":
            X, y, problem = _erase(X, y, item)
        elif item.get("op") == "add":
            X, y, problem = _add(X, y, item, max_points)
        else:
            problem = "A click could not be read and was ignored."
        if problem and problem not in messages:
            messages.append(problem)
    return ClickResult(X, y, newest, messages)
