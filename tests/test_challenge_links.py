"""Challenge links: round trips, old links untouched, and damaged parts named, the rest kept."""

from urllib.parse import parse_qs

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perceptron.challenge_links import (
    CHALLENGE_KEYS,
    challenge_from_params,
    challenge_to_params,
    challenge_to_query_string,
)
from perceptron.challenges import MAX_TASK_CHARS, Challenge, controls
from perceptron.goals import GOAL_KINDS, GOAL_MAY, GOAL_NEEDS, Goal
from perceptron.links import PARAM_KEYS, scenario_from_params, scenario_to_params
from perceptron.predict import KINDS
from perceptron.scenario import Scenario, default_scenario
from perceptron.settings import SETTINGS
from tests.test_scenario import V1_LINK, V1_SCENARIO, assert_valid, scenarios

BASE = Challenge(
    V1_SCENARIO,
    "Get the loss below 0.2 in time.",
    Goal("loss_below", loss=0.2, updates=40),
    title="A test",
    locked=frozenset({"learning_rate", "points"}),
    hidden=frozenset({"seed"}),
)


def decode(params):
    return challenge_from_params(params)


def test_a_challenge_round_trips_with_no_notes():
    params = challenge_to_params(BASE)
    assert params["c"] == "1" and params["g"] == "loss" and params["gl"] == "0.2"
    assert params["lock"] == "lr.pts" and params["hide"] == "seed"
    assert list(params)[-1] == "pts"
    assert decode(params) == (V1_SCENARIO, BASE, [])


def test_all_stands_for_every_setting():
    every = frozenset(setting.name for setting in SETTINGS)
    ch = Challenge(default_scenario(), "Watch.", locked=every | {"handfit_step"})
    params = challenge_to_params(ch)
    assert params["lock"] == "all.gs"
    assert decode(params)[1] == ch
    assert decode({**params, "lock": "ALL"})[1].locked == every


def test_the_query_string_parses_back():
    query = challenge_to_query_string(BASE)
    assert query.startswith("?v=1&")
    assert decode(parse_qs(query[1:], keep_blank_values=True)) == (V1_SCENARIO, BASE, [])


def test_scenario_links_are_untouched():
    assert decode(V1_LINK) == (V1_SCENARIO, None, [])
    assert decode({}) == (default_scenario(), None, [])
    # A scenario link that ignores the challenge keys still opens the scenario.
    assert scenario_from_params(challenge_to_params(BASE)) == (V1_SCENARIO, [])


def test_challenge_keys_are_their_own():
    assert not CHALLENGE_KEYS & PARAM_KEYS and "present" not in CHALLENGE_KEYS
    full = Challenge(
        V1_SCENARIO, "t", Goal("predict_streak", streak=3), "predict", "x",
        frozenset({"epochs"}), frozenset({"seed"}), ("w1",), 5,
    )  # fmt: skip
    assert set(challenge_to_params(full)) - PARAM_KEYS <= CHALLENGE_KEYS
    assert {"m", "gn", "q", "qs", "ti"} <= set(challenge_to_params(full))


@st.composite
def challenges(draw):
    scenario = draw(scenarios(max_points=12))
    kind = draw(st.sampled_from([None, *GOAL_KINDS]))
    goal = None
    if kind is not None:
        wanted = GOAL_NEEDS[kind] | (GOAL_MAY.get(kind, set()) if draw(st.booleans()) else set())
        values = {
            "loss": draw(st.floats(1e-6, 10.0)),
            "updates": draw(st.integers(1, 10_000)),
            "streak": draw(st.integers(1, 100)),
        }
        goal = Goal(kind, **{name: values[name] for name in wanted})
    modes = goal.modes if goal else ("train", "predict", "hand")
    names = st.frozensets(st.sampled_from(controls()))
    line = st.characters(blacklist_categories=("Cc", "Zl", "Zp", "Cs"))
    task = draw(st.text(line, min_size=1, max_size=MAX_TASK_CHARS))
    return Challenge(
        scenario,
        task if task.strip() else "x",  # a challenge keeps its texts without end spaces
        goal,
        draw(st.sampled_from(modes)),
        draw(
            st.text(st.characters(blacklist_categories=("Cc", "Zl", "Zp", "Cs")), max_size=60)
        ).strip(),
        draw(names),
        draw(names),
        tuple(draw(st.lists(st.sampled_from(KINDS), min_size=1, unique=True))),
        draw(st.integers(0, 2**32 - 1)),
    )


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(challenges())
def test_every_challenge_round_trips(ch):
    params = challenge_to_params(ch)
    assert decode(params) == (ch.scenario, ch, [])
    query = challenge_to_query_string(ch)
    assert decode(parse_qs(query[1:], keep_blank_values=True))[1] == ch


LINK = challenge_to_params(BASE)

DAMAGED = [
    ({"c": "2"}, "challenge format '2'", lambda ch: ch is None),
    ({"g": "win"}, "The goal 'win' is not one of loss, rise, streak", lambda ch: ch.goal is None),
    (
        {"gl": "abc"},
        "loss target 'abc' is not a number; the challenge has no goal",
        lambda ch: ch.goal is None,
    ),
    ({"gl": "99"}, "above the largest allowed; using 10", lambda ch: ch.goal.loss == 10.0),
    ({"gk": "0"}, "below the smallest allowed; using 1", lambda ch: ch.goal.updates == 1),
    ({"gk": None}, "needs its number of updates (gk)", lambda ch: ch.goal is None),
    ({"m": "fly"}, "mode 'fly' is not one of train, predict, hand", lambda ch: ch.mode == "train"),
    ({"m": "hand"}, "checked in the train mode; using it", lambda ch: ch.mode == "train"),
    ({"g": "streak", "gn": "4"}, "checked in the predict mode", lambda ch: ch.mode == "predict"),
    (
        {"lock": "lr.warp.pts"},
        "locked control 'warp' is unknown",
        lambda ch: ch.locked == {"learning_rate", "points", "seed"},
    ),
    ({"lock": "x." * 150}, "too long", lambda ch: ch.locked == {"seed"}),
    ({"hide": "a.z"}, "hidden controls 'a', 'z' are unknown", lambda ch: ch.hidden == frozenset()),
    ({"task": "line\none"}, "line breaks", lambda ch: ch.task == "line one"),
    (
        {"task": "y" * 500},
        "longer than 200",
        lambda ch: len(ch.task) == 200 and ch.task.endswith("…"),
    ),
    (
        {"task": None},
        "no task text; showing this instead: Get the mean loss",
        lambda ch: ch.task.startswith("Get the mean loss below 0.2"),
    ),
    ({"ti": "t" * 99}, "title is longer than 60", lambda ch: len(ch.title) == 60),
    ({"q": "w1.sideways"}, "question kind 'sideways' is unknown", lambda ch: ch.ask == ("w1",)),
    (
        {"q": "nope"},
        "No question kind in 'nope' is known; asking every kind",
        lambda ch: ch.ask == KINDS,
    ),
    ({"qs": "-4"}, "out of range; using 0", lambda ch: ch.question_seed == 0),
    ({"qs": "x"}, "question seed 'x' is not a whole number", lambda ch: ch.question_seed == 0),
]


@pytest.mark.parametrize(("change", "note", "holds"), DAMAGED)
def test_each_damaged_part_is_named_and_the_rest_kept(change, note, holds):
    params = {**LINK, **{k: v for k, v in change.items() if v is not None}}
    for key in [k for k, v in change.items() if v is None]:
        del params[key]
    scenario, ch, notes = decode(params)
    assert scenario == V1_SCENARIO
    assert len(notes) == 1 and note in notes[0], notes
    assert holds(ch)
    if ch is not None:
        assert ch.title == BASE.title or "ti" in change
        assert ch.scenario == V1_SCENARIO


def test_damaged_scenario_parts_keep_the_challenge():
    scenario, ch, notes = decode({**LINK, "lr": "fast", "pts": "@@"})
    assert ch is not None and ch.goal == BASE.goal and len(notes) == 2
    assert scenario == ch.scenario and scenario.config.learning_rate == 0.1


hostile = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "nan", "inf", "-1", "1e999", "0x1", "all", "<b>", "loss", "sep",
                     "w1.w2", "pts.gs", "hand", "predict", "١", "9" * 30]),
)  # fmt: skip


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(CHALLENGE_KEYS)), hostile))
def test_edited_challenge_links_never_raise(edits):
    scenario, ch, notes = decode({**LINK, **edits})
    assert_valid(scenario)
    assert all(isinstance(note, str) and "<" not in note for note in notes)
    assert ch is None or isinstance(ch, Challenge)


@settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from([*sorted(CHALLENGE_KEYS), "v", "lr", "pts"]), st.lists(hostile, max_size=3)
    )
)
def test_links_built_from_nothing_never_raise(params):
    scenario, _, _ = decode({"c": "1", **params})
    assert_valid(scenario)


def test_a_challenge_scenario_keeps_its_link_format():
    scenario = Scenario.of(np.array([[0.5, 1.0]]), [1])
    ch = Challenge(scenario, "One point.")
    params = challenge_to_params(ch)
    assert {k: v for k, v in params.items() if k in PARAM_KEYS} == scenario_to_params(scenario)
