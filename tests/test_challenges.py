"""Challenges: validation naming the bad value, enforcing locks, and every goal check."""

import numpy as np
import pytest

from perceptron import loss, make_dataset, train
from perceptron.challenges import Challenge, controls
from perceptron.goals import (
    HAND_UPDATE_TOLERANCE,
    Goal,
    check,
    check_hand_update,
    check_handfit_loss_below,
    check_loss_below,
    check_loss_rises,
    check_predict_streak,
    check_separate,
    check_separate_run,
)
from perceptron.handfit import HandPath
from perceptron.landscape import mean_losses
from perceptron.scenario import Scenario
from perceptron.settings import SETTINGS
from perceptron.training import TrainConfig

X, Y = make_dataset("overlapping", n=10, seed=0)
SCENARIO = Scenario.of(X, Y, learning_rate=0.5, epochs=3)
XOR_X = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, 1.0]])
XOR_Y = np.array([1.0, 0.0, 1.0, 0.0])


def challenge(**changes):
    fields = {"scenario": SCENARIO, "task": "Do something.", **changes}
    return Challenge(**fields)


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "win"}, "a goal must be one of .*'win'"),
        ({"kind": "loss_below", "loss": 0.1}, "takes loss, updates, got \\['loss'\\]"),
        ({"kind": "loss_rises", "streak": 3}, "takes no parameters"),
        (
            {"kind": "predict_streak", "streak": 0},
            "streak must be a whole number from 1 to 100, got 0",
        ),
        ({"kind": "predict_streak", "streak": 2.0}, "got 2.0"),
        ({"kind": "handfit_loss_below", "loss": -1.0}, "loss must be a number .* got -1.0"),
        ({"kind": "handfit_loss_below", "loss": float("nan")}, "got nan"),
        ({"kind": "loss_below", "loss": 0.1, "updates": 10**6}, "updates .* got 1000000"),
        ({"kind": "separate", "streak": 2}, "separate takes no parameters"),
        ({"kind": "hand_update"}, "takes updates"),
    ],
)
def test_bad_goals_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Goal(**kwargs)


def test_goal_texts_and_modes():
    assert Goal("loss_below", loss=0.1, updates=30).text == (
        "Get the mean loss below 0.1 within 30 updates."
    )
    assert Goal("separate").modes == ("train", "predict", "hand")
    assert Goal("separate", updates=5).modes == ("train", "predict")
    assert Goal("predict_streak", streak=4).text == "Predict 4 updates in a row correctly."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"scenario": "points"}, "scenario must be a Scenario"),
        ({"task": ""}, "empty"),
        ({"task": "two\nlines"}, "one line"),
        ({"task": "x" * 201}, "at most 200 characters, got 201"),
        ({"title": 5}, "the title must be a string, got 5"),
        ({"mode": "race"}, "mode must be one of train, predict, hand, got 'race'"),
        ({"goal": "sep"}, "goal must be a Goal or None"),
        (
            {"goal": Goal("predict_streak", streak=3)},
            "checked in mode predict, not in mode 'train'",
        ),
        ({"mode": "hand", "goal": Goal("separate", updates=3)}, "mode train or predict"),
        ({"locked": {"speed"}}, "a control must be one of .*'speed'"),
        ({"hidden": "points"}, "the string 'points'"),
        ({"ask": ("w3",)}, "'w3'"),
        ({"question_seed": -1}, "question_seed .* got -1"),
    ],
)
def test_bad_challenges_are_named(changes, message):
    with pytest.raises(ValueError, match=message):
        challenge(**changes)


def test_hidden_controls_are_locked_too():
    ch = challenge(locked=["learning_rate"], hidden=["epochs"])
    assert ch.locked == {"learning_rate", "epochs"} and ch.hidden == {"epochs"}
    assert ch.is_locked("epochs") and ch.is_hidden("epochs") and not ch.is_hidden("learning_rate")
    with pytest.raises(ValueError, match="'lr'"):
        ch.is_locked("lr")


def test_the_controls_are_every_setting_and_two_more():
    assert controls() == (*(s.name for s in SETTINGS), "points", "handfit_step")


def test_enforce_resets_only_what_is_locked():
    ch = challenge(locked={"learning_rate", "w2_0", "points"})
    other_X, other_Y = make_dataset("xor", n=8, seed=1)
    learner = SCENARIO.replace(
        learning_rate=3.0, epochs=5, init="custom", w0=(1.0, 2.0), X=other_X, y=other_Y, step=4
    )
    kept = ch.enforce(learner)
    assert kept.config.learning_rate == 0.5 and kept.config.epochs == 5
    assert kept.config.w0 == (1.0, 0.0) and kept.config.init == "custom"
    assert np.array_equal(kept.X, X) and kept.step == 4
    assert challenge().enforce(learner) == learner


# --- run goals ------------------------------------------------------------------------------


def brute_losses(run, last):
    return [loss(*run.state(k), X, Y) for k in range(last + 1)]


def test_loss_below_is_done_at_the_first_update_under_the_target():
    run = train(X, Y, SCENARIO.config)
    losses = brute_losses(run, run.n_updates)
    target = (losses[5] + losses[4]) / 2 if losses[5] < losses[4] else losses[5] + 1e-9
    first = next(k for k, value in enumerate(losses) if value < target)
    result = check_loss_below(target, 25, run, X, Y, step=run.n_updates)
    assert result.done and result.at == first and f"after update {first}" in result.text
    early = check_loss_below(target, 25, run, X, Y, step=first - 1)
    assert early.status == "not yet" and f"At step {first - 1}" in early.text
    late = check_loss_below(target, first - 1, run, X, Y, step=first + 3)
    assert late.status == "missed" and f"By update {first - 1}" in late.text
    short = check_loss_below(1e-6, 10_000, run, X, Y, step=run.n_updates)
    assert short.status == "missed" and "The run ends after 30 updates" in short.text


def test_loss_goals_judge_the_loss_the_run_descends_and_its_chart_shows():
    """With squared error and λ > 0 the goal reads the run's own objective (the loss chart's),
    not the log loss: the banner and the chart never disagree."""
    from perceptron.model import objective

    run = train(X, Y, SCENARIO.replace(loss="squared", l2=0.01).config)
    shown = [objective(*run.state(k), X, Y, "squared", 0.01) for k in range(run.n_updates + 1)]
    log = brute_losses(run, run.n_updates)
    target = (shown[0] + shown[3]) / 2  # reached by the objective, never by the log loss here
    assert min(log) > target > min(shown)
    result = check_loss_below(target, 25, run, X, Y, step=run.n_updates)
    assert result.done and result.at == next(k for k, v in enumerate(shown) if v < target)
    assert f"{shown[result.at]:.3g}" in result.text


def test_loss_rises_compares_the_ends_of_epochs():
    # Per point at α = 0.05 on these points, single updates raise the mean loss now and
    # then, but it falls from every epoch's end to the next: not done.
    run = train(X, Y, TrainConfig(learning_rate=0.05, epochs=10))
    every = mean_losses(run.w, run.b, X, Y)
    assert np.any(every[1:] > every[:-1])
    result = check_loss_rises(run, X, Y, step=run.n_updates)
    assert result.status == "missed" and "from one epoch's end to the next" in result.text
    assert check_loss_rises(run, X, Y, step=0).status == "not yet"
    big = train(X, Y, TrainConfig(mode="batch", learning_rate=60.0, epochs=10))
    losses = mean_losses(big.w, big.b, X, Y)
    first = int(np.flatnonzero(losses[1:] > losses[:-1])[0]) + 1
    done = check_loss_rises(big, X, Y, step=big.n_updates)
    assert done.done and done.at == first and f"at update {first}" in done.text
    assert check_loss_rises(big, X, Y, step=first - 1).status == "not yet"


def test_separate_in_a_run_is_done_at_the_first_state_with_every_point_right():
    Xs, Ys = make_dataset("separable", n=12, seed=2)
    run = train(Xs, Ys, TrainConfig(epochs=5))
    right = [
        np.all(np.where(Ys == 1, Xs @ w + b > 0, Xs @ w + b < 0))
        for w, b in zip(run.w, run.b, strict=True)
    ]
    first = right.index(True)
    result = check_separate_run(run, Xs, Ys, step=run.n_updates, within=run.n_updates)
    assert result.done and result.at == first
    assert check_separate_run(run, Xs, Ys, step=first - 1, within=100).status == "not yet"
    assert check_separate_run(run, Xs, Ys, step=first - 1).status == "not yet"
    shown = check_separate_run(run, Xs, Ys, step=first + 1)  # without K: the state shown
    assert shown.done and shown.at == first + 1
    missed = check_separate_run(run, Xs, Ys, step=first + 5, within=first - 1)
    assert missed.status == "missed" and f"by update {first - 1}" in missed.text


# --- predict, hand-fit, separate ---------------------------------------------------------------


def test_predict_streak_is_done_on_the_answer_that_completes_it():
    answers = [True, False, True, True, True, False]
    result = check_predict_streak(3, answers)
    assert (
        result.done and result.at == 5 and result.text == "Done: 3 right in a row (4 of 6 right)."
    )
    result = check_predict_streak(4, answers)
    assert not result.done and result.text == (
        "0 right in a row so far; 4 in a row are needed (4 of 6 right in all)."
    )


def test_handfit_loss_below_must_be_by_hand():
    start = HandPath.starting_at([0.0, 0.0], 0.0)
    assert check_handfit_loss_below(0.6, start, X, Y).text == (
        "The mean loss is 0.693; the goal is below 0.6."
    )
    good = start.by_hand([1.5, 1.5], 0.0)
    assert loss(np.array([1.5, 1.5]), 0.0, X, Y) < 0.6
    assert check_handfit_loss_below(0.6, good, X, Y).done
    stepped = start
    for _ in range(30):
        stepped = stepped.by_step(X, Y, 1.0)
    result = check_handfit_loss_below(0.6, stepped, X, Y)
    assert result.status == "missed" and "30 gradient steps" in result.text


def test_hand_update_matches_within_the_tolerance_and_says_which_do_not():
    run = train(X, Y, SCENARIO.config)
    w, b = run.state(1)
    start = HandPath.starting_at(*run.state(0))
    near = start.by_hand(w + HAND_UPDATE_TOLERANCE / 2, b - HAND_UPDATE_TOLERANCE / 2)
    assert check_hand_update(1, run, near).done
    off = start.by_hand([w[0], w[1] + 0.1], b + 0.1)
    assert check_hand_update(1, run, off).text == (
        "Not yet: w1 matches; w2 and b are more than 0.01 away from their values after update 1."
    )
    stepped = start.by_hand([0.3, 0.3], 0).by_step(X, Y, 0.1).by_hand(w, b)
    assert check_hand_update(1, run, stepped).status == "missed"
    assert check_hand_update(99, run, near).text == "This run has only 30 updates, not 99."


def test_separate_by_hand_and_the_claim_that_no_line_can():
    assert check_separate([1.0, 0.0], 0.0, XOR_X, XOR_Y).text == (
        "Not yet: 2 of 4 points on the right side, 2 on the wrong side."
    )
    claim = check_separate([1.0, 0.0], 0.0, XOR_X, XOR_Y, claims_no_line=True)
    assert claim.done and claim.text.startswith("Done, and right: no straight line can do it.")
    assert "crosses" in claim.text
    Xs, Ys = make_dataset("separable", n=10, seed=0)
    wrong_claim = check_separate([0.0, 0.0], 0.0, Xs, Ys, claims_no_line=True)
    assert wrong_claim.status == "not yet" and "can put every point" in wrong_claim.text


def test_check_dispatches_by_mode_and_goal():
    assert check(challenge()) is None
    ch = challenge(goal=Goal("separate"), mode="hand", scenario=Scenario.of(XOR_X, XOR_Y))
    assert check(ch).status == "not yet"
    assert check(ch, claims_no_line=True).done
    ch = challenge(goal=Goal("loss_below", loss=0.6, updates=30))
    learner = SCENARIO.replace(step=30)
    assert check(ch, learner).done
    assert check(ch, learner, history=train(X, Y, SCENARIO.config)).done
    ch = challenge(goal=Goal("predict_streak", streak=2), mode="predict")
    assert check(ch, results=[True, True]).done
    ch = challenge(goal=Goal("hand_update", updates=1), mode="hand")
    w, b = train(X, Y, SCENARIO.config).state(1)
    assert check(ch, hand=ch.start_path().by_hand(w, b)).done
    ch = challenge(goal=Goal("handfit_loss_below", loss=0.6), mode="hand")
    assert check(ch, hand=ch.start_path().by_hand([1.5, 1.5], 0.0)).done
