"""Challenges in the app, driven headless with AppTest: a link opens one on every page with
its banner and locks, a damaged link keeps what it can, the composer's link round-trips,
and a goal met is announced once."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from perceptron import Scenario, make_dataset
from perceptron.challenge_links import challenge_from_params, challenge_to_params
from perceptron.challenges import Challenge
from perceptron.gallery import available, entry
from perceptron.goals import Goal
from perceptron.separation import separating_line
from perceptron.settings import SETTINGS
from tests.app_messages import toasts
from ui import challenge_share
from ui.challenge import NO_GOAL
from ui.controls import widget_key

PAGES = [
    None,
    "pages/1_Derivation.py",
    "pages/2_Landscape.py",
    "pages/3_Learning_rate_race.py",
    "pages/4_Data.py",
    "pages/5_Challenges.py",
]
DONE_ICON = ":material/check_circle:"


def open_link(params: dict[str, str], page: str | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def open_entry(slug: str, page: str | None = None) -> AppTest:
    return open_link(challenge_to_params(entry(slug).challenge), page)


def params_of(link: str) -> dict[str, str]:
    """A link's query parameters, blank ones too (as the browser and Streamlit keep them)."""
    return dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))


def banner_texts(at: AppTest) -> list[str]:
    """What the banner says in plain text (title, task, status): st.text elements."""
    return [t.value for t in at.main.text]


def badges(at: AppTest) -> list[str]:
    return [m.value for m in at.main.markdown if "-badge[" in m.value]


def goal_and_status(at: AppTest) -> tuple[str, str]:
    """The banner's goal and status as the learner reads them: ("Get the mean loss ...",
    "Not yet: At step 0 ...")."""
    (line,) = [b for b in badges(at) if re.search(r": (Not yet|Done|Missed)\]", b)]
    goal, badge, sentence = re.fullmatch(
        r"\*\*Goal:\*\* (.*) :\w+-badge\[:material/\w+: ([^\]]+)\] (.*)", line
    ).groups()
    unescape = lambda text: re.sub(r"\\(.)", r"\1", text)  # noqa: E731
    return unescape(goal), f"{badge}: " + unescape(sentence)


def status(at: AppTest) -> str:
    return goal_and_status(at)[1]


def sidebar_control(at: AppTest, name: str):
    """The sidebar widget of setting ``name``, or None when it is not shown."""
    key = "ctl_lr_choice" if name == "learning_rate" else widget_key(next(
        s for s in SETTINGS if s.name == name
    ))  # fmt: skip
    found = [w for w in at.sidebar if getattr(w, "key", None) == key]
    return found[0] if found else None


def done_toasts(at: AppTest) -> list[str]:
    """The "Challenge done!" toasts of the last run, as the learner reads them."""
    said = [t.value for t in at.toast if t.icon == DONE_ICON and "done" in t.value.lower()]
    return [re.sub(r"\\(.)", r"\1", text) for text in said]


# ---------------------------------------------------------------- a link opens it


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "Playground")
def test_a_challenge_link_opens_on_every_page_with_its_banner_and_locks(page):
    ch = entry("rate-fast").challenge
    at = open_entry("rate-fast", page)
    assert at.session_state["challenge"] == ch
    assert at.session_state["playground_mode"] == "train"
    texts = banner_texts(at)
    assert ch.title in texts and ch.task in texts
    assert goal_and_status(at) == (
        ch.goal.text,
        "Not yet: At step 0 the mean loss is 0.693; the goal is below 0.5 by update 10.",
    )
    # The learning rate is the learner's; everything else is fixed, and says so.
    assert not sidebar_control(at, "learning_rate").disabled
    assert sidebar_control(at, "epochs").disabled
    assert sidebar_control(at, "mode").disabled
    assert any("Fixed by this challenge" in c.value for c in at.sidebar.caption)
    # The address keeps the challenge: a reload opens it again.
    _scenario, again, notes = challenge_from_params(dict(at.query_params))
    assert again == ch and notes == []


def test_the_banner_shows_link_texts_as_plain_text():
    s = entry("rate-fast").challenge.scenario
    sly = Challenge(s, "**Bold?** <b>no</b> [link](javascript:x)", title="<i>t</i> _x_")
    at = open_link(challenge_to_params(sly))
    texts = banner_texts(at)
    assert "**Bold?** <b>no</b> [link](javascript:x)" in texts and "<i>t</i> _x_" in texts
    assert not [m for m in at.markdown if "<b>" in m.value or "javascript" in m.value]


def test_hidden_controls_are_left_out_and_locked_points_refuse_edits():
    ch = entry("xor").challenge  # hides every setting, fixes the points
    at = open_entry("xor")
    assert at.session_state["playground_mode"] == "hand"
    for setting in SETTINGS:
        assert sidebar_control(at, setting.name) is None, setting.name
    assert not [c for c in at.sidebar.caption if c.value.startswith("Start: w1")]
    assert any("keeps them out of view" in c.value for c in at.sidebar.caption)
    for label in ("Undo", "Clear", "Load"):
        (button,) = [b for b in at.main.button if b.label == label]
        assert button.disabled
    assert at.selectbox(key="preset_choice").disabled
    assert ch.is_locked("points")


# A disabled control cannot be used in a browser (nor in AppTest); what a stale page could
# still send is driven here from a tiny script that calls the page's own handlers.
def _handler_script():
    import streamlit as st

    from ui import challenge, controls, playground, state

    state.init()  # what ui.page.start does, without the navigation (a script has no pages)
    st.session_state["challenge_checked"] = False
    challenge.banner()
    call = st.session_state.pop("test_call", None)
    if call == "clicks":
        item = {"seq": 1, "op": "add", "x1": 1.0, "x2": 1.0, "cls": 1}
        st.session_state["charts"] = {"clicks": {"client": "tab", "items": [item]}}
        playground._on_clicks()
    elif call in ("clear", "undo", "load"):
        {"clear": playground._clear, "undo": playground._undo, "load": playground._load_preset}[
            call
        ]()
    elif call == "epochs":
        st.session_state["ctl_epochs"] = 500
        controls._apply("epochs", "ctl_epochs")
    elif call == "points":
        state.set_points(state.scenario().X[:2], state.scenario().y[:2])
    state.show_messages()
    challenge.check_unless_checked()
    state.sync_url()


def handler_app(slug: str) -> AppTest:
    at = AppTest.from_function(_handler_script, default_timeout=30)
    for key, value in challenge_to_params(entry(slug).challenge).items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("call", ["clear", "undo", "load", "points", "clicks"])
def test_locked_points_refuse_every_edit_with_a_message(call):
    at = handler_app("rate-fast")
    before = at.session_state["scenario"]
    at.session_state["test_call"] = call
    at.run()
    assert not at.exception
    assert at.session_state["scenario"] == before
    assert any("points" in t and "this challenge" in t.lower() for t in toasts(at, "warning"))
    if call == "clicks":  # acknowledged, so the browser drops them
        assert at.session_state["click_ack"] == {"client": "tab", "seq": 1}
        assert any("a click on the chart adds or erases none" in t for t in toasts(at, "warning"))


def test_a_locked_setting_is_not_applied_whatever_reaches_the_server():
    at = handler_app("rate-fast")
    epochs = at.session_state["scenario"].config.epochs
    at.session_state["test_call"] = "epochs"
    at.run()
    assert at.session_state["scenario"].config.epochs == epochs
    # The learning rate is the learner's.
    at = open_entry("rate-fast")
    at.number_input(key="ctl_learning_rate").set_value(1.0).run()
    assert at.session_state["scenario"].config.learning_rate == 1.0


# The browser's Back and Forward reach the server as the component's history event, which
# AppTest cannot fire: ui.state.follow_address is driven from a tiny script instead.
def _address_script():
    import streamlit as st

    from ui import challenge, state

    state.init()  # what ui.page.start does, without the navigation (a script has no pages)
    st.session_state["challenge_checked"] = False
    query = st.session_state.pop("test_address", None)
    if query is not None:  # the Playground then reruns the page (RERUN_PAGE)
        state.follow_address(query)
    challenge.banner()
    challenge.check_unless_checked()
    state.sync_url()


def follow(at: AppTest, params: dict[str, str]) -> AppTest:
    at.session_state["test_address"] = "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return at.run()


def test_an_address_cannot_change_what_the_challenge_fixes():
    ch = entry("rate-fast").challenge
    at = AppTest.from_function(_address_script, default_timeout=30)
    for key, value in challenge_to_params(ch).items():
        at.query_params[key] = value
    at.run()
    assert at.session_state["challenge"] == ch
    edited = challenge_to_params(ch) | {"ep": "400", "mode": "point", "lr": "2"}
    at = follow(at, {k: v.replace(" ", "+") for k, v in edited.items()})
    s = at.session_state["scenario"]
    assert s.config.epochs == ch.scenario.config.epochs and s.config.mode == "batch"
    assert s.config.learning_rate == 2.0  # the learner's to change
    assert at.session_state["challenge"] == ch  # the same attempt goes on
    # The address is written over with what holds.
    assert dict(at.query_params)["ep"] == challenge_to_params(ch)["ep"]


def test_back_before_the_challenge_closes_it_and_forward_opens_it_again():
    ch = entry("rate-fast").challenge
    at = AppTest.from_function(_address_script, default_timeout=30)
    for key, value in challenge_to_params(ch).items():
        at.query_params[key] = value
    at.run()
    plain = {k: v for k, v in challenge_to_params(ch).items() if k in ("v", "pts")}
    at = follow(at, plain)
    assert at.session_state["challenge"] is None
    assert not banner_texts(at)
    at = follow(at, {k: v.replace(" ", "+") for k, v in challenge_to_params(ch).items()})
    assert at.session_state["challenge"] == ch
    assert ch.task in banner_texts(at)


# ---------------------------------------------------------------- damaged links


def test_a_damaged_challenge_link_names_what_it_cannot_read_and_keeps_the_rest():
    ch = entry("rate-fast").challenge
    params = challenge_to_params(ch)
    damaged = params | {"gl": "lots", "lock": params["lock"] + ".zz", "m": "dance"}
    at = open_link(damaged)
    notes = " ".join(toasts(at, "warning"))
    assert "'lots' is not a number" in notes and "no goal to check" in notes
    assert "control 'zz' is unknown" in notes
    assert "'dance'" in notes
    opened = at.session_state["challenge"]
    assert opened.task == ch.task and opened.goal is None and opened.locked == ch.locked
    assert NO_GOAL in banner_texts(at)
    assert sidebar_control(at, "epochs").disabled
    assert np.array_equal(at.session_state["scenario"].X, ch.scenario.X)


def test_a_link_of_an_unknown_challenge_format_opens_its_points_without_it():
    params = challenge_to_params(entry("rate-fast").challenge) | {"c": "9"}
    at = open_link(params)
    assert at.session_state["challenge"] is None
    assert any("challenge format '9'" in t for t in toasts(at, "warning"))
    assert not banner_texts(at)


# ---------------------------------------------------------------- the goal, announced once


def test_a_goal_met_by_hand_is_announced_once_and_stays_done():
    ch = entry("y-hat").challenge
    at = open_entry("y-hat")
    assert not done_toasts(at) and not at.get("balloons")
    w, b = separating_line(ch.scenario.X, ch.scenario.y)
    at.session_state["hand_path"] = ch.start_path().by_hand(w, b)
    at.run()
    (said,) = done_toasts(at)
    assert said == "Challenge done! Every point is on its own side of the boundary."
    assert at.get("balloons")
    assert status(at) == "Done: Every point is on its own side of the boundary."
    at.run()
    at.switch_page("pages/1_Derivation.py").run()
    assert not done_toasts(at) and not at.get("balloons")
    assert status(at).startswith("Done:")
    # The line moved off again: the attempt stays done.
    at.session_state["hand_path"] = ch.start_path()
    at.switch_page("app.py").run()
    assert status(at).startswith("Done:") and not done_toasts(at)
    # Start over: a new attempt, announced again when done again.
    next(b for b in at.main.button if b.label == "Start over").click().run()
    assert status(at).startswith("Not yet:")
    at.session_state["hand_path"] = ch.start_path().by_hand(w, b)
    at.run()
    assert len(done_toasts(at)) == 1


def test_a_goal_met_by_training_is_done_at_the_step_shown():
    ch = entry("rate-fast").challenge
    at = open_entry("rate-fast")
    at.number_input(key="ctl_learning_rate").set_value(1.0).run()
    assert not done_toasts(at)
    s = at.session_state["scenario"]
    at.session_state["scenario"] = s.replace(step=10)
    at.run()
    (said,) = done_toasts(at)
    assert "below 0.5, within the 10 updates allowed" in said
    assert ch.goal.kind == "loss_below"


def test_a_predict_streak_is_done_by_the_answers():
    at = open_entry("sign")
    assert at.session_state["playground_mode"] == "predict"
    at.session_state["predict_log"] = [True, False, True, True, True, True]
    at.run()
    assert not done_toasts(at)
    at.session_state["predict_log"] = [True, False, True, True, True, True, True]
    at.run()
    assert "5 right in a row" in done_toasts(at)[0]


def claim(at: AppTest) -> AppTest:
    return next(b for b in at.main.button if b.label == "No line can do it").click().run()


def test_claiming_that_no_line_can_completes_xor_but_not_a_separable_set():
    at = claim(open_entry("xor"))
    (said,) = done_toasts(at)
    assert "no straight line can do it" in said
    assert not [b for b in at.main.button if b.label == "No line can do it"]
    at = claim(open_entry("y-hat"))
    assert not done_toasts(at)
    assert any(t.startswith("Not so: a straight line can") for t in [t.value for t in at.toast])
    assert status(at).startswith("Not yet:")


def test_leaving_the_challenge_unlocks_and_clears_the_address():
    at = open_entry("rate-fast")
    next(b for b in at.main.button if b.label == "Leave the challenge").click().run()
    assert at.session_state["challenge"] is None
    assert not banner_texts(at)
    assert not sidebar_control(at, "epochs").disabled
    assert "c" not in dict(at.query_params) and "task" not in dict(at.query_params)
    assert any("left the challenge" in t for t in toasts(at, "info"))


def test_the_share_box_link_holds_the_challenge():
    ch = entry("rate-fast").challenge
    at = open_entry("rate-fast")
    at.session_state["share_box"] = True
    at.run()
    (link,) = [c.value for c in at.code if "pts=" in c.value]
    _, shared, notes = challenge_from_params(params_of(link))
    assert shared == ch and notes == []


# ---------------------------------------------------------------- the Challenges page


def test_the_gallery_lists_every_ready_challenge_with_a_working_link():
    at = open_link({}, "pages/5_Challenges.py")
    starts = [b for b in at.main.button if b.label == "Start this challenge"]
    assert len(starts) == len(available()) >= 6
    links = [c.value for c in at.main.code]
    for item in available():
        (link,) = [x for x in links if f"task={item.query_string().split('task=')[1][:30]}" in x]
        assert link == "http://localhost:8501/" + item.query_string()
        _, ch, notes = challenge_from_params(params_of(link))
        assert ch == item.challenge and notes == []
    assert len(at.get("image")) >= len(available())  # a QR code each


def test_start_this_challenge_opens_it_on_the_playground():
    at = open_link({}, "pages/5_Challenges.py")
    at.button(key="gallery_start_xor").click().run()
    assert not at.exception
    assert at.session_state["challenge"] == entry("xor").challenge
    assert entry("xor").challenge.task in banner_texts(at)
    assert "Undo" in [b.label for b in at.main.button]  # the Playground's point tools


def composed_link(at: AppTest) -> str:
    return at.main.code[-1].value


def test_the_composers_link_round_trips():
    at = open_link({}, "pages/5_Challenges.py")
    at.text_input(key="compose_title").input("Overshoot").run()
    at.text_input(key="compose_task").input("Make the loss <rise> *now*.").run()
    at.selectbox(key="compose_goal").select("loss_rises").run()
    at.multiselect(key="compose_locked").set_value(["epochs", "points"]).run()
    at.multiselect(key="compose_hidden").set_value(["seed"]).run()
    link = composed_link(at)
    assert link.startswith("http://localhost:8501/?")
    _scenario, ch, notes = challenge_from_params(params_of(link))
    want = Challenge(
        at.session_state["scenario"].replace(step=0),
        "Make the loss <rise> *now*.",
        Goal("loss_rises"),
        title="Overshoot",
        locked=frozenset({"epochs", "points"}),
        hidden=frozenset({"seed"}),
    )
    assert ch == want and notes == []
    # Try it: the challenge opens here, on the Playground.
    at.button(key="compose_try").click().run()
    assert at.session_state["challenge"] == want
    assert "Make the loss <rise> *now*." in banner_texts(at)


def test_the_composer_draws_a_preset_and_sets_a_predict_goal():
    at = open_link({}, "pages/5_Challenges.py")
    at.radio(key="compose_mode").set_value("predict").run()
    at.selectbox(key="compose_goal").select("predict_streak").run()
    at.number_input(key="compose_streak").set_value(4).run()
    at.radio(key="compose_points").set_value("preset").run()
    at.selectbox(key="compose_preset").select("overlapping").run()
    at.number_input(key="compose_n").set_value(12).run()
    at.number_input(key="compose_seed").set_value(3).run()
    at.multiselect(key="compose_ask").set_value(["w1", "b"]).run()
    _, ch, notes = challenge_from_params(params_of(composed_link(at)))
    X, _y = make_dataset("overlapping", n=12, seed=3)
    assert notes == [] and ch.mode == "predict" and ch.goal == Goal("predict_streak", streak=4)
    assert np.array_equal(ch.scenario.X, X) and ch.scenario.preset == "overlapping"
    assert ch.ask == ("w1", "b")
    # No task written: the goal's sentence stands in, and the composer says so.
    assert ch.task == "Predict 4 updates in a row correctly."
    assert any("No task written" in c.value for c in at.main.caption)


def test_the_composer_says_what_is_missing():
    at = open_link({}, "pages/5_Challenges.py")
    at.selectbox(key="compose_goal").select("").run()
    assert [w.value for w in at.main.warning] == ["Write the task: one line saying what to do."]
    assert "compose_try" not in [b.key for b in at.main.button]


def test_the_playground_url_keeps_the_base_path_and_drops_the_page():
    url = challenge_share.playground_url
    assert url("http://h:8501/Challenges", "", 8501) == "http://h:8501/"
    assert url("https://x.io/base/Challenges/", "base", 80) == "https://x.io/base/"
    assert url("https://proxy.io/user/a/Challenges", "", 80) == "https://proxy.io/user/a/"
    assert url(None, "/pp/", 8600) == "http://localhost:8600/pp/"
    assert url(None, "", 8501) == "http://localhost:8501/"


def test_a_challenge_opened_with_changes_made_keeps_them_in_the_address():
    """The address holds the learner's scenario with the challenge's own keys."""
    ch = entry("rate-fast").challenge
    at = open_entry("rate-fast")
    at.number_input(key="ctl_learning_rate").set_value(0.7).run()
    s, again, _ = challenge_from_params(dict(at.query_params))
    assert s.config.learning_rate == 0.7
    assert again == dataclasses.replace(ch, scenario=s)
    assert isinstance(s, Scenario)


def test_after_leaving_a_started_challenge_undo_brings_back_ones_own_points():
    at = open_link({}, "pages/5_Challenges.py")
    mine = at.session_state["scenario"]
    at.button(key="gallery_start_xor").click().run()
    assert at.session_state["challenge_attempt"] == 1
    assert len(at.session_state["scenario"].y) == 4
    at.switch_page("app.py").run()  # AppTest's next runs would run the Challenges page again
    next(b for b in at.main.button if b.label == "Leave the challenge").click().run()
    next(b for b in at.main.button if b.label == "Undo").click().run()
    assert np.array_equal(at.session_state["scenario"].X, mine.X)


def test_the_composer_keeps_its_choices_across_a_visit_to_another_page():
    at = open_link({}, "pages/5_Challenges.py")
    at.text_input(key="compose_title").input("Kept").run()
    at.selectbox(key="compose_goal").select("loss_rises").run()
    at.switch_page("pages/1_Derivation.py").run()
    at.switch_page("pages/5_Challenges.py").run()
    assert at.text_input(key="compose_title").value == "Kept"
    assert at.selectbox(key="compose_goal").value == "loss_rises"


def test_fixed_points_and_start_leave_the_data_and_landscape_controls_disabled():
    """A challenge that fixes the points and the start: every other way to change them is
    shown disabled, not left to be quietly undone."""
    at = open_entry("rate-fast", "pages/4_Data.py")
    (editor,) = at.dataframe  # the points' table editor
    assert editor.proto.editing_mode and editor.proto.disabled
    uploads = at.get("file_uploader")
    assert uploads and all(u.proto.disabled for u in uploads)
    undo = [b for b in at.button if "Undo last change" in b.label]
    assert undo and undo[0].disabled
    uses = [b for b in at.button if b.label in ("Use these points", "These are the current points")]
    assert uses and all(b.disabled for b in uses)
    at = open_entry("rate-fast", "pages/2_Landscape.py")
    starts = [n for n in at.number_input if n.label.startswith("start ")]
    assert len(starts) == 3 and all(n.disabled for n in starts)
    (here,) = [b for b in at.button if b.label == "Start training here"]
    assert here.disabled
