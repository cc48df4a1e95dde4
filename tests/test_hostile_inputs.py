"""Whatever a user types or sends, no exception reaches the page and the app stays usable.

Three ways in: the link's query parameters (any name, any value, on any page as the first
page opened), the number boxes (at and beyond their limits), and the events the chart
component and the Landscape map send back (arbitrary JSON, as a crafted client could send).
Driven headless with AppTest; the examples are kept few because one app run takes ~0.3 s.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.runtime.state.query_params import sanitize_query_string
from streamlit.testing.v1 import AppTest

from perceptron import MAX_POINTS, Scenario, default_scenario, scenario_from_params
from perceptron.links import PARAM_KEYS
from perceptron.pointcodec import pack_points
from tests.app_messages import toasts

APP = "../app.py"
PAGES = {
    "app.py": "Perceptron Playground",
    "pages/1_Derivation.py": "The derivation, with your numbers",
    "pages/2_Landscape.py": "The loss landscape",
    "pages/3_Learning_rate_race.py": "Learning-rate race",
    "pages/4_Data.py": "Data: table, files, presets",
}
NOT_APPLIED = "That setting was not applied"
HOSTILE_SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def open_at(page: str, params: dict[str, str] | None = None) -> AppTest:
    """The app opened by a link straight to ``page`` (the first page a new session runs)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page != "app.py":
        at.switch_page(page)
    return at.run()


# ---------------------------------------------------------------- query parameters

NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "$$\\frac{1}{0}$$ **bold** [link](javascript:alert(1))",
    "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "1e309", "-1e-400", "-0", "0x10",
    "1_000", "١٢", "٣.٥", "１２", "0.5 ", " 7", "+3", "", " ", "%00", "\x00", "\n", "🙂" * 50,
    "../../etc/passwd", "1; DROP TABLE points", "true", "FALSE", "point", "MINI", "custom",
    "separable", "xor", "2", "1.0", "01",
]  # fmt: skip
NAMES = [*sorted(PARAM_KEYS), "present", "embed", "page", "<b>x</b>", "ünïcødé", "x" * 1000]


@st.composite
def packed_points(draw) -> str:
    """A valid ``pts`` value, or one with a character flipped, cut or padded."""
    n = draw(st.integers(0, 30))
    coordinate = st.one_of(
        st.floats(-10, 10, allow_nan=False), st.sampled_from([-1e6, 1e6, 0.0, 1e-6, 123456.789])
    )
    X = np.array([[draw(coordinate), draw(coordinate)] for _ in range(n)]).reshape(-1, 2)
    y = np.array([draw(st.integers(0, 1)) for _ in range(n)])
    text = pack_points(X, y)
    damage = draw(st.sampled_from(["none", "flip", "cut", "pad"]))
    if damage == "flip" and text:
        i = draw(st.integers(0, len(text) - 1))
        text = text[:i] + draw(st.sampled_from("A_-z9")) + text[i + 1 :]
    elif damage == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "pad":
        text += draw(st.sampled_from(["=", "==", "A", "%3D", "!"]))
    return text


values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.floats().map(repr),
    st.integers(-(2**70), 2**70).map(str),
    st.builds(lambda c, n: c * n, st.sampled_from("9A-_<é"), st.sampled_from([65, 40_001, 90_000])),
    packed_points(),
)
names = st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=20))


@settings(HOSTILE_SETTINGS, max_examples=40)
@given(
    params=st.dictionaries(names, values, max_size=8),
    first=st.sampled_from(sorted(PAGES)),
    second=st.sampled_from(sorted(PAGES)),
)
@example(
    params={"lr": "<script>alert(1)</script>", "k": "9" * 90_000}, first="app.py", second="app.py"
)
@example(params={"b": "<" * 200_000}, first="app.py", second="app.py")
@example(params={"v": "2", "pts": "A" * 40_001}, first="pages/2_Landscape.py", second="app.py")
@example(
    params={"ep": "10000", "lr": "10", "mode": "point", "k": "199999", "present": "1"},
    first="pages/3_Learning_rate_race.py",
    second="pages/1_Derivation.py",
)
def test_any_link_opens_any_page_without_an_exception(params, first, second):
    at = open_at(first, params)
    no_exception(at)
    assert titles(at) == [PAGES[first]]
    # The link's readable parts were kept, the rest fell back: the scenario the core decodes.
    # (Streamlit drops a query string longer than 512 Ki characters as a whole.)
    seen = params if sanitize_query_string(urlencode(params)) else {}
    expected, notes = scenario_from_params(seen) if seen else (default_scenario(), [])
    assert at.session_state["scenario"] == expected
    # The link's notes are toasts; a page's own warnings (the race's) stay on the page.
    shown = toasts(at, "warning") + [w.value for w in at.warning]
    assert all(note in toasts(at, "warning") for note in notes)
    for text in shown:  # a note echoes only letters, digits and . + - (see links.echo)
        assert "<" not in text and "\n" not in text and "javascript:" not in text.lower()
    at.switch_page(second).run()
    no_exception(at)
    assert titles(at) == [PAGES[second]]
    assert at.session_state["scenario"] == expected
    if second == "app.py" and len(expected.y):
        assert at.get("bidi_component")  # the charts are there


def test_a_full_size_link_opens_every_page():
    """The largest link there is: 2,000 points at the limits, 10 times the run budget asked."""
    rng = np.random.default_rng(0)
    X = np.round(rng.uniform(-1e6, 1e6, (MAX_POINTS, 2)), 6)
    y = rng.integers(0, 2, MAX_POINTS)
    params = {"pts": pack_points(X, y), "lr": "10", "ep": "10000", "k": "99999999", "mode": "mini"}
    params["bs"] = "1"
    at = open_at("app.py", params)
    no_exception(at)
    s = at.session_state["scenario"]
    assert len(s.y) == MAX_POINTS and s.step == s.n_updates() <= 200_000
    assert any("more than the 200,000 allowed" in w for w in toasts(at, "warning"))
    for page in PAGES:
        at.switch_page(page).run()
        no_exception(at)
        assert titles(at) == [PAGES[page]]


# ---------------------------------------------------------------- number boxes

#: (widget key, scenario field, link that shows the box, smallest, largest, a value within)
NUMBER_BOXES = [
    ("ctl_learning_rate", "learning_rate", {}, 0.001, 100.0, 0.5),
    ("ctl_epochs", "epochs", {}, 1, 10_000, 7),
    ("ctl_batch_size", "batch_size", {"mode": "mini"}, 1, MAX_POINTS, 3),
    ("ctl_seed", "seed", {"shuf": "1"}, 0, 2**32 - 1, 12345),
    ("ctl_init_seed", "init_seed", {"init": "random"}, 0, 2**32 - 1, 99),
    ("ctl_w1_0", "w0", {"init": "custom"}, -1e4, 1e4, 2.5),
    ("ctl_w2_0", "w0", {"init": "custom"}, -1e4, 1e4, -2.5),
    ("ctl_b_0", "b0", {"init": "custom"}, -1e4, 1e4, 0.75),
    ("ctl_l2", "l2", {}, 0.0, 0.02, 0.005),
]


def field_value(s: Scenario, key: str, field: str):
    if field == "w0":
        return s.config.w0[0 if key == "ctl_w1_0" else 1]
    return getattr(s.config, field)


def type_into(at: AppTest, key: str, value) -> AppTest:
    return at.number_input(key=key).set_value(value).run()


@pytest.mark.parametrize(("key", "field", "link", "low", "high", "inside"), NUMBER_BOXES)
def test_number_boxes_take_their_limits_and_refuse_beyond(key, field, link, low, high, inside):
    at = open_at("app.py", link)
    before = at.session_state["scenario"]
    whole = isinstance(low, int)
    beyond = [low - 1 if whole else low - abs(low) * 1e-3 - 1e-9, high + 1, 10**30, -(10**30)]
    if not whole:
        beyond += [math.inf, -math.inf, math.nan]
    for value in beyond:
        type_into(at, key, value)
        no_exception(at)
        # Regression: Streamlit turns an out-of-range number into the box's default, which
        # was its minimum: "1e30" typed into Epochs made 1 epoch, into w1 made w1 = -10000.
        assert at.session_state["scenario"] == before, value
        assert any(NOT_APPLIED in e for e in toasts(at, "error")), value
        assert at.number_input(key=key).value == field_value(before, key, field)
    for value in (low, high, inside):
        type_into(at, key, value)
        no_exception(at)
        s = at.session_state["scenario"]
        assert field_value(s, key, field) == value
        assert s.step == 0 and not at.error and not toasts(at, "error")


@pytest.mark.parametrize("value", [10**30, -(10**30), math.inf, math.nan, -1e4 - 1])
def test_the_landscape_start_boxes_refuse_beyond_their_limits(value):
    at = open_at("pages/2_Landscape.py")
    box = at.number_input(key="ls_w1")
    before = box.value
    type_into(at, "ls_w1", value)
    no_exception(at)
    # Regression: beyond the limits the box became -10000 (its minimum), sign flipped.
    assert at.number_input(key="ls_w1").value == before
    (start,) = [b for b in at.button if b.label == "Start training here"]
    start.click().run()
    no_exception(at)
    assert at.session_state["scenario"].config.w0[0] == before


@pytest.mark.parametrize("value", [10**30, -1])
def test_the_derivation_step_box_refuses_beyond_its_limits(value):
    at = open_at("pages/1_Derivation.py", {"k": "5"})
    type_into(at, "deriv_step", value)
    no_exception(at)
    assert at.session_state["scenario"].step == 5  # not reset to step 0
    type_into(at, "deriv_step", 7)
    assert at.session_state["scenario"].step == 7


# ---------------------------------------------------------------- component events


def _event_script(event_key: str, event) -> None:
    """Stand-in page: the Playground's state, then one event from the browser, handled."""
    import streamlit as st

    from ui import playground, state

    state.init()
    st.session_state["charts"] = {event_key: event}
    st.session_state["playground_mode"] = {"predicted": "predict", "hand": "hand"}.get(
        event_key, "train"
    )
    handler = {
        "clicks": playground._on_clicks,
        "paused_at": playground._on_paused_at,
        "key": playground._on_key,
        "predicted": playground._on_predicted,
        "hand": playground._on_hand,
    }[event_key]
    handler()
    playground.stepping_view()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


def _event(key: str):
    fields = {
        "clicks": {"client": json_values | st.text(max_size=8), "items": json_values},
        "paused_at": {"k": json_values | st.integers(-(2**70), 2**70), "resume": json_values},
        "key": {"key": json_values | st.sampled_from(["PageDown", "PageUp", "Home", "End", "e"])},
        "predicted": {
            "k": json_values | st.integers(-(2**70), 2**70),
            "given": json_values | st.sampled_from(["up", "down", "same", "toward"]),
        },
        "hand": {
            "op": json_values | st.sampled_from(["preview", "move", "nudge", "step", "undo"]),
            "drag": json_values | st.sampled_from(["line", "arrow"]),
            "p": json_values | st.lists(st.floats(), min_size=2, max_size=2),
            "q": json_values | st.lists(st.floats(), min_size=2, max_size=2),
            "how": json_values | st.sampled_from(["rotate", "shift", "scale"]),
            "amount": json_values | st.floats(),
        },
    }[key]
    return st.one_of(json_values, st.fixed_dictionaries({}, optional=fields))


@HOSTILE_SETTINGS
@given(data=st.data(), key=st.sampled_from(["clicks", "paused_at", "key", "predicted", "hand"]))
def test_any_event_from_the_chart_component_is_handled(data, key):
    event = data.draw(_event(key))
    at = AppTest.from_function(_event_script, args=(key, event), default_timeout=30).run()
    no_exception(at)
    s = at.session_state["scenario"]
    assert 0 <= s.step <= s.n_updates() and len(s.y) <= MAX_POINTS


def _pick_script(selection) -> None:
    """Stand-in for a click on the Landscape's map: the selection state the browser sent."""
    import streamlit as st

    from ui import landscape, state

    s = state.init()
    landscape.seed_start(s)
    st.session_state[landscape.PICK_KEYS[0]] = selection
    landscape._on_pick(landscape.PICK_KEYS[0], False)
    st.write(landscape._start_spot())


@HOSTILE_SETTINGS
@given(
    selection=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"selection": st.fixed_dictionaries({"points": st.lists(json_values, max_size=3)})}
        ),
        st.builds(
            lambda x, y: {"selection": {"points": [{"x": x, "y": y}]}},
            json_values | st.floats(),
            json_values | st.floats(),
        ),
    )
)
def test_any_selection_from_the_landscape_map_is_handled(selection):
    at = AppTest.from_function(_pick_script, args=(selection,), default_timeout=30).run()
    no_exception(at)
    spot = at.session_state
    for key in ("ls_w1", "ls_w2", "ls_b"):
        assert math.isfinite(spot[key]) and abs(spot[key]) <= 1e4


# ---------------------------------------------------------------- switching pages


def test_switching_pages_between_every_run_keeps_the_state():
    at = open_at("app.py", {"k": "3", "lr": "0.5"})
    expected = at.session_state["scenario"]
    for page in [*PAGES, *reversed(PAGES), "app.py", "pages/4_Data.py", "app.py"]:
        at.switch_page(page).run()
        no_exception(at)
        assert titles(at) == [PAGES[page]]
        assert at.session_state["scenario"] == expected


# ---------------------------------------------------------------- rapid repeated clicks


def _repeated_clicks_script() -> None:
    """Four quick Undo clicks with nothing to undo: their callbacks run before one page run."""
    import streamlit as st

    from ui import playground, state

    state.init()
    if not st.session_state.get("clicked"):
        st.session_state["clicked"] = True
        for _ in range(4):
            playground._undo()
    state.show_messages()


def test_repeated_clicks_show_their_message_once():
    """Regression: each click queued its own copy, and the stack of identical messages at the
    top of the page pushed the buttons down under the pointer of a quick clicker."""
    at = AppTest.from_function(_repeated_clicks_script, default_timeout=30).run()
    no_exception(at)
    assert toasts(at, "info") == ["Nothing to undo."]
