"""The gallery: in the lecture's order, each link opens its challenge, each goal is reachable."""

from urllib.parse import parse_qs

import numpy as np
import pytest

from perceptron import train
from perceptron.challenge_links import challenge_from_params
from perceptron.gallery import LOSS_SETTING, available, entry, gallery
from perceptron.goals import check
from perceptron.predict import question_for, reveal
from perceptron.separation import separating_line
from perceptron.settings import BY_NAME

# Measured: the links are 215 to 331 characters (task texts with ŷ, −, · are most of it).
MAX_LINK_CHARS = 350
HAS_LOSS_SETTING = LOSS_SETTING in BY_NAME


def test_the_gallery_follows_the_lecture():
    ideas = [item.idea for item in gallery()]
    assert ideas == [
        "what ŷ means",
        "the sign of a derivative",
        "one update by hand",
        "the learning rate",
        "the learning rate",
        "XOR's limit",
        "squared error vs log loss",
    ]
    assert len(available()) >= 6
    assert len({item.slug for item in gallery()}) == len(gallery())
    for item in gallery():
        assert item.challenge.title and item.challenge.task and item.challenge.goal
    assert entry("xor").idea == "XOR's limit"
    with pytest.raises(ValueError, match="'nope'"):
        entry("nope")


@pytest.mark.parametrize("item", gallery(), ids=lambda item: item.slug)
def test_each_link_opens_the_same_challenge(item):
    query = item.query_string()
    assert len(query) <= MAX_LINK_CHARS
    scenario, ch, notes = challenge_from_params(parse_qs(query[1:], keep_blank_values=True))
    assert (scenario, ch, notes) == (item.challenge.scenario, item.challenge, [])


@pytest.mark.parametrize("item", gallery(), ids=lambda item: item.slug)
def test_no_goal_is_met_at_the_start(item):
    assert not check(item.challenge).done


def test_what_y_hat_means_is_done_by_a_separating_line():
    ch = entry("y-hat").challenge
    s = ch.scenario
    w, b = separating_line(s.X, s.y)
    result = check(ch, hand=ch.start_path().by_hand(w, b))
    assert result.done and result.text == "Done: every point is on its own side of the boundary."
    assert ch.is_locked("handfit_step") and ch.mode == "hand"


def test_the_sign_challenge_is_done_by_five_right_predictions():
    ch = entry("sign").challenge
    s = ch.scenario
    run = train(s.X, s.y, s.config)
    right, wrong = [], []
    for k in range(1, 6):
        q = question_for(run, s.X, s.y, k, seed=ch.question_seed, ask=ch.ask)
        assert q.kind in ("w1", "w2", "b")
        truth = reveal(run, s.X, s.y, q)
        right.append(truth.is_right(truth.answer))
        wrong.append(truth.is_right("up"))
    assert check(ch, results=right).done
    assert not check(ch, results=wrong).done


def test_one_update_by_hand_has_round_numbers_and_is_done_by_them():
    ch = entry("one-update").challenge
    run = train(ch.scenario.X, ch.scenario.y, ch.scenario.config)
    w, b = run.state(1)
    assert [*w, b] == [1.5, -0.5, 0.5]  # ŷ = 0.5, y − ŷ = 0.5, α = 1, x = (2, 1)
    assert check(ch, hand=ch.start_path().by_hand([1.5, -0.5], 0.5)).done
    assert check(ch, hand=ch.start_path().by_hand([1.5, -0.5], 0.0)).status == "not yet"


def test_fast_enough_needs_a_larger_learning_rate_but_not_too_large():
    ch = entry("rate-fast").challenge
    assert not ch.is_locked("learning_rate") and ch.is_locked("epochs")

    def outcome(lr):
        s = ch.enforce(ch.scenario.replace(learning_rate=lr, epochs=50))
        return check(ch, s.replace(step=s.n_updates()))

    assert outcome(0.1).status == "missed"
    assert outcome(1.0).done
    assert outcome(3.0).status == "missed"  # it overshoots and settles too high


def test_too_big_a_step_is_done_by_a_large_learning_rate_only():
    ch = entry("rate-rise").challenge
    s = ch.scenario
    assert check(ch, s.replace(step=s.n_updates())).status == "missed"
    big = s.replace(learning_rate=5.0)
    result = check(ch, big.replace(step=big.n_updates()))
    assert result.done and "rose from" in result.text


def test_xor_cannot_be_separated_and_the_claim_completes_it():
    ch = entry("xor").challenge
    path = ch.start_path()
    for angle in np.linspace(0, np.pi, 13):
        for b in (-1.5, -0.5, 0.0, 0.5, 1.5):
            path = path.by_hand([np.cos(angle), np.sin(angle)], b)
            assert not check(ch, hand=path).done
    result = check(ch, hand=path, claims_no_line=True)
    assert result.done and "crosses" in result.text


def test_squared_vs_log_is_done_with_the_log_loss():
    item = entry("squared")
    ch = item.challenge
    assert item.available is HAS_LOSS_SETTING
    assert HAS_LOSS_SETTING or "loss setting" in item.needs
    log = ch.scenario.replace(**{LOSS_SETTING: "log"}) if HAS_LOSS_SETTING else ch.scenario
    result = check(ch, log.replace(step=log.n_updates()))
    assert result.done and result.at <= 10


@pytest.mark.parametrize("factor", [1.0, 2.0])
def test_the_squared_error_cannot_do_it_in_time_by_a_plain_loop(factor):
    """The lecture's loop with L = (factor/2)·(y − ŷ)², whichever constant the setting uses:
    ∂L/∂w = −factor·(y − ŷ)·ŷ(1 − ŷ)·x, tiny where ŷ is sure and wrong."""
    s = entry("squared").challenge.scenario
    (w1, w2), b = s.config.start()
    w = np.array([w1, w2])
    for k in range(1, 11):
        x, label = s.X[(k - 1) % len(s.y)], s.y[(k - 1) % len(s.y)]
        y_hat = 1 / (1 + np.exp(-(x @ w + b)))
        slope = -factor * (label - y_hat) * y_hat * (1 - y_hat)
        w, b = w - s.config.learning_rate * slope * x, b - s.config.learning_rate * slope
        z = s.X @ w + b
        assert not np.all(np.where(s.y == 1, z > 0, z < 0)), k


@pytest.mark.skipif(not HAS_LOSS_SETTING, reason="waits for the loss setting (log or squared)")
def test_squared_vs_log_is_missed_with_the_squared_error():
    ch = entry("squared").challenge
    squared = ch.scenario
    assert getattr(squared.config, LOSS_SETTING) == "squared"
    assert check(ch, squared.replace(step=squared.n_updates())).status == "missed"
