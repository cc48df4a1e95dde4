"""Predict, then reveal: every answer checked against an independent computation."""

import dataclasses
import math

import numpy as np
import pytest

from perceptron import make_dataset, train
from perceptron.model import point_losses, sigmoid
from perceptron.predict import (
    KINDS,
    Question,
    choose_kind,
    kinds_at,
    question,
    question_for,
    results,
    reveal,
    score,
)
from perceptron.training import TrainConfig

X12, Y12 = make_dataset("overlapping", n=12, seed=0)
RUNS = {
    "stochastic": TrainConfig(mode="stochastic", epochs=3, learning_rate=0.5),
    "minibatch": TrainConfig(mode="minibatch", batch_size=5, epochs=4, learning_rate=2.0),
    "batch": TrainConfig(mode="batch", epochs=15, learning_rate=60.0),
    "random start": TrainConfig(init="random", init_seed=4, epochs=2, learning_rate=3.0),
}


def run(name):
    return train(X12, Y12, RUNS[name])


def batch_loss(w, b, rows):
    return float(np.mean(point_losses(np.asarray(w), b, X12[rows], Y12[rows])))


def finite_difference(h, k, index):
    """∂(mean loss over update k's points)/∂(w1, w2 or b) at the state before update k."""
    w, b = h.state(k - 1)
    rows = h.points_used(k)
    theta = np.array([*w, b])
    step = 1e-6 * max(1.0, abs(theta[index]))
    up, down = theta.copy(), theta.copy()
    up[index] += step
    down[index] -= step
    return (batch_loss(up[:2], up[2], rows) - batch_loss(down[:2], down[2], rows)) / (2 * step)


def brute_distance(w, b, p):
    """Distance from p to the line w·x + b = 0 via the foot of the perpendicular, and the side."""
    w, p = np.asarray(w, dtype=float), np.asarray(p, dtype=float)
    foot = p - (w @ p + b) / (w @ w) * w
    return float(np.linalg.norm(p - foot)), np.sign(w @ p + b)


def every_question(h):
    for k in range(1, h.n_updates + 1):
        for kind in kinds_at(h, k):
            yield question(h, X12, Y12, k, kind)


@pytest.mark.parametrize("name", list(RUNS))
def test_parameter_answers_agree_with_finite_differences_of_the_loss(name):
    h = run(name)
    checked = 0
    for q in every_question(h):
        if q.kind not in ("w1", "w2", "b"):
            continue
        slope = finite_difference(h, q.k, ("w1", "w2", "b").index(q.kind))
        if abs(slope) < 1e-6:
            continue
        truth = reveal(h, X12, Y12, q)
        assert truth.answer == ("down" if slope > 0 else "up"), (q.k, q.kind, slope)
        moved = (
            truth.after[("w1", "w2", "b").index(q.kind)]
            - truth.before[("w1", "w2", "b").index(q.kind)]
        )
        assert np.sign(moved) == (-1 if slope > 0 else 1)
        checked += 1
    assert checked > 10


@pytest.mark.parametrize("name", list(RUNS))
def test_y_hat_and_boundary_answers_agree_with_brute_force_geometry(name):
    h = run(name)
    seen, compared = set(), 0
    for q in every_question(h):
        if q.kind not in ("y_hat", "boundary"):
            continue
        truth = reveal(h, X12, Y12, q)
        w0, b0 = np.array(truth.before[:2]), truth.before[2]
        w1, b1 = np.array(truth.after[:2]), truth.after[2]
        p = X12[q.point]
        if q.kind == "y_hat":
            rise = sigmoid(p @ w1 + b1) - sigmoid(p @ w0 + b0)
            if abs(rise) > 1e-12:
                assert truth.answer == ("up" if rise > 0 else "down")
        else:
            d0, side0 = brute_distance(w0, b0, p)
            d1, side1 = brute_distance(w1, b1, p)
            signed_after = d1 if side1 == side0 or side1 == 0 else -d1
            if side0 != 0 and abs(signed_after - d0) > 1e-9:
                assert truth.answer == ("toward" if signed_after < d0 else "away"), q.k
                compared += 1
        seen.add((q.kind, truth.answer))
    assert ("y_hat", "up") in seen and compared > 3


def test_the_loss_question_follows_the_mean_loss_of_the_batch():
    h = run("batch")
    answers = set()
    for k in range(1, h.n_updates + 1):
        q = question(h, X12, Y12, k, "loss")
        truth = reveal(h, X12, Y12, q)
        before = batch_loss(*h.state(k - 1), h.points_used(k))
        after = batch_loss(*h.state(k), h.points_used(k))
        assert truth.answer == ("up" if after > before else "down")
        answers.add(truth.answer)
    assert answers == {"up", "down"}  # α = 60 overshoots now and then


def test_a_point_the_boundary_passes_over_counts_as_toward_and_is_said():
    # Class 1 at (1, 0), wrong side of w = (1, 0), b = −2: a big step carries the line past it.
    h = train(
        [[1.0, 0.0]],
        [1],
        TrainConfig(init="custom", w0=(1.0, 0.0), b0=-2.0, learning_rate=20, epochs=1),
    )
    truth = reveal(h, [[1.0, 0.0]], [1], question(h, [[1.0, 0.0]], [1], 1, "boundary"))
    assert truth.answer == "toward" and "passed over it" in truth.reason


def test_a_point_on_the_boundary_can_only_see_it_go_away():
    X, y = [[0.0, 1.0]], [1]
    h = train(X, y, TrainConfig(init="custom", w0=(1.0, 0.0), b0=0.0, epochs=1))
    truth = reveal(h, X, y, question(h, X, y, 1, "boundary"))
    assert truth.answer == "away" and "on the boundary (z = 0)" in truth.reason


def test_exact_zeros_are_an_honest_no_change():
    X, y = [[0.0, 2.0]], [1]
    h = train(X, y, TrainConfig(epochs=1))
    truth = reveal(h, X, y, question(h, X, y, 1, "w1"))
    assert truth.answer == "same" and "x1 = 0" in truth.reason
    # So sure that y − ŷ is 0 in float64: nothing moves at all.
    X, y = [[1.0, 0.0]], [1]
    h = train(X, y, TrainConfig(init="custom", w0=(1000.0, 0.0), b0=0.0, epochs=1))
    for kind in ("w1", "b", "y_hat", "boundary"):
        truth = reveal(h, X, y, question(h, X, y, 1, kind))
        assert truth.answer == "same", kind
    assert "every digit" in reveal(h, X, y, question(h, X, y, 1, "b")).reason


def test_the_reason_shows_the_lectures_formula_with_its_numbers():
    X, y = [[-2.0, 1.0]], [1]
    h = train(X, y, TrainConfig(init="custom", w0=(0.25, 0.0), b0=0.0, epochs=1))
    q = question(h, X, y, 1, "w1")
    assert q.text == (
        "Update 1 uses point #1: class 1, x = (−2, 1), ŷ = 0.378. Will w1 go up or down?"
    )
    y_hat = sigmoid(-0.5)
    slope = -(1 - y_hat) * -2.0
    truth = reveal(h, X, y, q)
    assert truth.reason == (
        f"∂L/∂w1 = −(y − ŷ)·x1 = −(1 − 0.378)·(−2) = +{slope:.3g} > 0, so "
        f"w1 ← w1 − α·∂L/∂w1 goes down: 0.25 → {0.25 - 0.1 * slope:.3g}."
    )
    assert truth.answer == "down" and truth.is_right("down") and not truth.is_right("up")


def test_batch_reasons_speak_of_the_mean():
    h = run("batch")
    truth = reveal(h, X12, Y12, question(h, X12, Y12, 1, "b"))
    assert "mean of −(y − ŷ) over the 12 points" in truth.reason
    q = question(h, X12, Y12, 2, "y_hat")
    assert "most wrong about point" in q.text
    assert "The mean gradient changes z" in reveal(h, X12, Y12, q).reason


def test_a_question_holds_no_answer():
    assert {f.name for f in dataclasses.fields(Question)} == {
        "k",
        "kind",
        "point",
        "text",
        "options",
    }
    h = run("stochastic")
    by_kind = {}
    for q in every_question(h):
        by_kind.setdefault(q.kind, set()).add(q.options)
        for word in ("goes up", "goes down", "rises", "falls", "→", "toward it"):
            assert word not in q.text
    assert all(len(options) == 1 for options in by_kind.values())  # options never vary


def test_no_boundary_question_while_w_is_zero():
    h = run("stochastic")
    assert "boundary" not in kinds_at(h, 1)
    with pytest.raises(ValueError, match="no boundary"):
        question(h, X12, Y12, 1, "boundary")
    with pytest.raises(ValueError, match="loss"):
        question(h, X12, Y12, 2, "loss")


def test_the_questions_walk_the_lectures_order_then_draw_by_seed():
    h = run("stochastic")
    walk = [choose_kind(h, k, first=2) for k in range(2, 7)]
    assert walk == ["w1", "w2", "b", "y_hat", "boundary"]
    hb = run("batch")
    assert [choose_kind(hb, k) for k in range(1, 7)] == [*KINDS[:4], "boundary", "loss"]
    later = [choose_kind(h, k, seed=1) for k in range(6, h.n_updates + 1)]
    assert later == [choose_kind(h, k, seed=1) for k in range(6, h.n_updates + 1)]
    assert later != [choose_kind(h, k, seed=2) for k in range(6, h.n_updates + 1)]
    assert set(later) == set(KINDS[:5])
    signs = [choose_kind(h, k, ask=("b", "w2", "w1")) for k in range(1, h.n_updates + 1)]
    assert signs[:3] == ["w1", "w2", "b"] and set(signs) == {"w1", "w2", "b"}
    assert choose_kind(h, 1, ask=("boundary",)) is None
    assert question_for(h, X12, Y12, 1, ask=("boundary",)) is None
    assert question_for(h, X12, Y12, 1).kind == "w1"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda h: choose_kind(h, 0), "k must be a whole number from 1"),
        (lambda h: choose_kind(h, 1, seed=-1), "seed must be"),
        (lambda h: choose_kind(h, 1, first=0), "first"),
        (lambda h: choose_kind(h, 1, ask=("w3",)), "'w3'"),
        (lambda h: question(h, X12[:3], Y12[:3], 1, "w1"), r"\(3, 2\)"),
        (lambda h: question(h, X12, Y12, 1, "slope"), "'slope'"),
    ],
)
def test_bad_requests_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call(run("stochastic"))


def test_an_answer_must_be_an_option():
    h = run("stochastic")
    truth = reveal(h, X12, Y12, question(h, X12, Y12, 1, "w1"))
    with pytest.raises(ValueError, match="'sideways'"):
        truth.is_right("sideways")
    with pytest.raises(ValueError, match="one answer per reveal"):
        results([truth], [])
    assert results([truth, truth], ["up", "down"]) == [truth.answer == "up", truth.answer == "down"]


def test_score_counts_right_answers_and_streaks():
    s = score([True, True, False, True, True, True, False, True, True])
    assert (s.right, s.total, s.streak, s.best_streak) == (7, 9, 2, 3)
    assert s.text == "7 of 9 right, 2 in a row"
    assert score([]).text == "0 of 0 right"
    assert score([True]).text == "1 of 1 right"
    with pytest.raises(ValueError, match="'yes'"):
        score([True, "yes"])


def test_a_perfect_learner_is_always_right():
    h = run("minibatch")
    outcome = []
    for k in range(1, h.n_updates + 1):
        q = question_for(h, X12, Y12, k, seed=3)
        truth = reveal(h, X12, Y12, q)
        outcome.append(truth.is_right(truth.answer))
    assert score(outcome).best_streak == h.n_updates
    assert math.isclose(len(outcome), h.n_updates)
