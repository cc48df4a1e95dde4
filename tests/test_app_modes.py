"""The Playground's predict and hand-fit modes, driven headless: what the browser is sent
and what each of the learner's moves does, against the core computed here."""

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose
from streamlit.testing.v1 import AppTest

from perceptron import Scenario, make_dataset, train
from perceptron.geometry import line_through, rotate_boundary, weight_arrow
from perceptron.handfit import gradient_step, hand_fit
from perceptron.links import scenario_to_params
from perceptron.predict import question_for, reveal
from tests.app_messages import toasts

X, Y = make_dataset("overlapping", n=30, seed=3)
SCENARIO = Scenario.of(X, Y, epochs=5, mode="stochastic")


def data(at) -> dict:
    return json.loads(at.get("bidi_component")[0].proto.json)


def _event_script(event_key: str, event, mode: str, challenge=None) -> None:
    """Stand-in page: the Playground in ``mode``, then one event from the browser."""
    import streamlit as st

    from ui import playground, state

    state.init()
    st.session_state["playground_mode"] = mode
    if challenge is not None:
        st.session_state["challenge"] = challenge
    if event is not None:
        st.session_state["charts"] = {event_key: event}
        {"predicted": playground._on_predicted, "hand": playground._on_hand}[event_key]()
    playground.stepping_view()


def page(mode: str, key: str = "hand", event=None, step: int = 0, challenge=None) -> AppTest:
    at = AppTest.from_function(
        _event_script, args=(key, event, mode, challenge), default_timeout=30
    )
    for k, v in scenario_to_params(SCENARIO.replace(step=step)).items():
        at.query_params[k] = v
    return at.run()


# ---------------------------------------------------------------- predict, then reveal


def test_predict_mode_asks_about_the_next_update_and_tells_the_truth_about_this_one():
    at = page("predict", step=2)
    assert not at.exception
    d = data(at)
    assert d["mode"] == "predict" and d["predict"] == {"score": "", "answers": {}}
    run = train(X, Y, SCENARIO.config)
    for rec in d["records"]:
        k = rec["k"]
        asked = question_for(run, X, Y, k + 1, first=3) if k < run.n_updates else None
        if asked is None:
            assert rec["ask"] is None
        else:
            assert rec["ask"]["text"] == asked.text and rec["ask"]["kind"] == asked.kind
            # Nothing in the question gives the answer away.
            truth = reveal(run, X, Y, asked)
            assert truth.reason not in json.dumps(rec["ask"])
        if k >= 1:
            q = question_for(run, X, Y, k, first=3)
            assert rec["truth"] == {
                "answer": reveal(run, X, Y, q).answer,
                "reason": reveal(run, X, Y, q).reason,
            }
        else:
            assert rec["truth"] is None


def test_other_modes_send_no_questions():
    d = data(page("train", step=2))
    assert d["mode"] == "train" and d["predict"] is None and d["hand"] is None
    assert all(r["ask"] is None and r["truth"] is None for r in d["records"])


def test_an_answer_is_scored_once_and_its_step_taken():
    run = train(X, Y, SCENARIO.config)
    q = question_for(run, X, Y, 1, first=1)
    right = reveal(run, X, Y, q).answer
    wrong = next(o for o in q.option_ids() if o != right)
    at = page("predict", "predicted", {"k": 1, "given": wrong, "t": 1})
    assert at.session_state["predict_log"] == [False]
    assert at.session_state["scenario"].step == 1  # the learner stepped to see it
    d = data(at)
    assert d["predict"]["answers"] == {"1": [wrong, False]}
    assert d["predict"]["score"] == "0 of 1 right"


def test_an_answer_that_is_no_option_is_ignored():
    at = page("predict", "predicted", {"k": 1, "given": "sideways", "t": 1})
    assert not at.exception
    log = at.session_state.get("predict_log", [])
    assert log == []
    assert at.session_state["scenario"].step == 1  # the step is taken all the same


# ---------------------------------------------------------------- fit by hand


def hand(at) -> dict:
    return data(at)["hand"]


def test_hand_mode_starts_from_the_state_on_show_with_its_numbers():
    run = train(X, Y, SCENARIO.config)
    at = page("hand", step=4)
    assert not at.exception
    h = hand(at)
    w, b = run.state(4)
    fit = hand_fit(w, b, X, Y)
    text = " ".join(part for line in h["numbers"] for part, _ in line)
    assert f"{fit.loss:.4g}" in text and "Your weights" in text
    assert h["moves"] == 0 and h["handles"] is not None and h["downhill"] is not None
    assert max(h["halo"]) == 1.0 and len(h["halo"]) == len(Y)
    series = data(at)["series"]
    assert len(series) == 1 and "moves" in series[0]["layout"]["title"]["text"]


def test_dragging_a_handle_puts_the_boundary_through_both_handles():
    at = page("hand", step=4)
    w, _b = train(X, Y, SCENARIO.config).state(4)
    p, q = hand(at)["handles"]
    moved = [q[0] + 1.0, q[1] - 0.5]
    at = page("hand", "hand", {"op": "move", "drag": "line", "p": p, "q": moved, "t": 1}, step=4)
    h = hand(at)
    assert h["moves"] == 1 and not h["preview"]
    new_w, new_b = line_through(p, moved, float(np.hypot(*w)), like=w)
    assert_allclose(h["record"]["w"], new_w, rtol=1e-6)
    assert h["record"]["b"] == pytest.approx(new_b, rel=1e-6)


def test_a_preview_shows_numbers_without_a_move():
    at = page("hand", step=4)
    p, _q = hand(at)["handles"]
    at = page(
        "hand", "hand", {"op": "preview", "drag": "line", "p": p, "q": [0, 0], "t": 1}, step=4
    )
    h = hand(at)
    assert h["preview"] and h["moves"] == 0


def test_dragging_the_arrow_turns_the_line_about_its_base():
    at = page("hand", step=4)
    w, b = train(X, Y, SCENARIO.config).state(4)
    view = data(at)["anim"]["x_range"], data(at)["anim"]["y_range"]
    base, tip = weight_arrow(w, b, *view)
    event = {"op": "move", "drag": "arrow", "p": list(base), "q": [tip[0] + 1, tip[1]], "t": 1}
    h = hand(page("hand", "hand", event, step=4))
    new_w, new_b = np.asarray(h["record"]["w"]), h["record"]["b"]
    assert float(new_w @ np.asarray(base)) + new_b == pytest.approx(0, abs=1e-5)  # base on it


def test_a_key_turns_the_boundary_about_its_visible_middle():
    at = page("hand", step=4)
    w, b = train(X, Y, SCENARIO.config).state(4)
    (x0, y0), (x1, y1) = (hand(at)["record"]["boundary"][:2], hand(at)["record"]["boundary"][2:])
    h = hand(page("hand", "hand", {"op": "nudge", "how": "rotate", "amount": 0.1, "t": 1}, step=4))
    new_w, _new_b = rotate_boundary(w, b, 0.1, ((x0 + x1) / 2, (y0 + y1) / 2))
    assert_allclose(h["record"]["w"], new_w, rtol=1e-4)
    assert h["moves"] == 1


def test_step_takes_one_gradient_step_at_the_runs_learning_rate():
    w, b = train(X, Y, SCENARIO.config).state(4)
    h = hand(page("hand", "hand", {"op": "step", "t": 1}, step=4))
    new_w, new_b = gradient_step(w, b, X, Y, SCENARIO.config.learning_rate)
    assert_allclose(h["record"]["w"], new_w, rtol=1e-7)
    assert h["record"]["b"] == pytest.approx(new_b)
    assert h["moves"] == 1


def test_a_challenge_without_gradient_steps_refuses_one_and_says_why():
    from perceptron.challenges import Challenge
    from perceptron.goals import Goal

    challenge = Challenge(
        SCENARIO, "Fit it yourself", Goal("handfit_loss_below", loss=0.3), mode="hand",
        locked=("handfit_step",),
    )  # fmt: skip
    at = page("hand", "hand", {"op": "step", "t": 1}, step=4, challenge=challenge)
    assert hand(at)["moves"] == 0
    assert any("gradient steps" in t for t in toasts(at))
