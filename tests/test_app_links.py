"""Shared links: a link opened on any page reproduces the scenario; the Share box gives it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from perceptron import Scenario, make_dataset
from perceptron.links import scenario_from_params, scenario_to_params
from tests.app_messages import toasts

PAGES = [
    None,
    "pages/1_Derivation.py",
    "pages/2_Landscape.py",
    "pages/3_Learning_rate_race.py",
    "pages/4_Data.py",
]


def shared() -> Scenario:
    X, y = make_dataset("imbalanced", n=30, seed=7)
    return Scenario.of(X, y, learning_rate=0.5, epochs=3, mode="batch", init="random",
                    init_seed=11, step=2, preset="imbalanced")  # fmt: skip


def open_link(params: dict[str, str], page: str | None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_a_link_opened_on_any_page_reproduces_the_scenario(page):
    s = shared()
    at = open_link(scenario_to_params(s), page)
    assert not at.exception
    assert at.session_state["scenario"] == s
    shown = toasts(at, "warning") + [w.value for w in at.warning]
    assert not [w for w in shown if "link" in w.lower()]
    # The URL the page keeps is the same scenario again (what a reload or a copy would give).
    again, notes = scenario_from_params(dict(at.query_params))
    assert again == s and notes == []


def test_the_share_box_gives_a_link_that_decodes_to_the_scenario():
    s = shared()
    at = open_link(scenario_to_params(s), None)
    assert not [c for c in at.code if "pts=" in c.value]  # the box is made when opened
    at.session_state["share_box"] = True  # the learner opens it
    at.run()
    (link,) = [c.value for c in at.code if "pts=" in c.value]
    params = dict(parse_qsl(urlsplit(link).query))
    decoded, notes = scenario_from_params(params)
    assert decoded == s and notes == []
    assert "present" not in params
    at.checkbox(key="share_presenter").check().run()
    (link,) = [c.value for c in at.code if "pts=" in c.value]
    assert dict(parse_qsl(urlsplit(link).query))["present"] == "1"


def test_a_link_with_bad_parts_keeps_the_good_ones_and_says_what_it_dropped():
    s = shared()
    params = scenario_to_params(s) | {"lr": "fast", "ep": "-4"}
    at = open_link(params, None)
    warnings = " ".join(toasts(at, "warning"))
    assert "learning rate" in warnings.lower() and "epoch" in warnings.lower()
    at.switch_page("pages/1_Derivation.py").run()
    assert not at.exception
    got = at.session_state["scenario"]
    assert np.array_equal(got.X, s.X) and got.config.mode == "batch" and got.config.init_seed == 11
    assert got.config.learning_rate == Scenario.of(s.X, s.y).config.learning_rate  # the default


def test_presenter_flag_in_a_link_turns_presenter_mode_on():
    at = open_link({"present": "1"}, None)
    assert at.session_state["presenter"] is True
    assert not at.exception
