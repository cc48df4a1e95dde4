"""The Playground page driven headless with AppTest: what the learner sees after each action.

Reference numbers come from ``perceptron.train`` on the same points and settings, and
update 1 (from w = 0, b = 0, where ŷ = 1/2 everywhere) is also worked out by hand.
"""

import json
import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from streamlit.testing.v1 import AppTest

from perceptron import MAX_UPDATES, Scenario, default_scenario, make_dataset, train
from tests.app_messages import toasts
from ui.payload import FRAMES_PER_WINDOW

# The page prints numbers with 4 significant digits.
FOUR_DIGITS = 5.01e-4
PAYLOAD_LIMIT = 300_000


def open_app(**params) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def button(at, label):
    (found,) = [b for b in at.button if label in b.label]
    return found


STEPS = ("Start", "Back", "Step", "Epoch", "End")


def press(at, label) -> AppTest:
    """A press of a Streamlit button, or of one of the chart component's step buttons.

    A step button is the browser's: it shows the target step's record from the payload
    (no server run), and when stepping pauses it reports the step, which Python takes as
    the scenario's step. AppTest cannot fire the component's callback, so the report is
    made here by setting the step the callback sets."""
    if label not in STEPS:
        return button(at, label).click().run()
    data = component_data(at)
    k, K = data["k"], data["n_updates"]
    target = {
        "Start": 0,
        "Back": max(0, k - 1),
        "Step": min(K, k + 1),
        "Epoch": min(K, (k // data["per_epoch"] + 1) * data["per_epoch"]),
        "End": K,
    }[label]
    record(at, target)  # the browser has it: it shows it at once
    return browse_to(at, target)


def browse_to(at, k: int) -> AppTest:
    """What the browser's ``paused_at`` report of step k does (see ui.playground)."""
    at.session_state["scenario"] = scenario(at).replace(step=k)
    return at.run()


def record(at, k: int | None = None) -> dict:
    """The payload's record of step k (the step Python rendered by default)."""
    data = component_data(at)
    k = data["k"] if k is None else k
    (found,) = [r for r in data["records"] if r["k"] == k]
    return found


def by_label(elements, label):
    (found,) = [e for e in elements if e.label == label]
    return found


def component_data(at) -> dict:
    (chart,) = at.get("bidi_component")
    return json.loads(chart.proto.json)


def class_points(at, cls) -> np.ndarray:
    (t,) = [t for t in component_data(at)["main"]["data"] if t["uid"] == f"class{cls}"]
    return np.column_stack([t["x"], t["y"]]).reshape(-1, 2)


def update_text(at) -> str:
    """Update k's numbers as the chart component shows them: one line each, **bold** parts
    marked again with ``**``, the lines joined with newlines."""
    lines = record(at)["numbers"]
    return "\n".join(
        "".join(f"**{text}**" if bold else text for text, bold in line) for line in lines
    )


def step_0_text(n: int) -> str:
    """What step 0 of the default start (w = 0, b = 0: ŷ = 1/2 at every point) reads."""
    return (
        f"**Step 0 is the start:** w1 = 0, w2 = 0, b = 0; 0 of {n} points on the right side, "
        f"{n} undecided (ŷ = 0.5).\nPress **Step** (or the Right arrow) to make the first update."
    )


WEIGHT_LINE = re.compile(
    r"∂L/∂(?P<name>w1|w2|b) = (?P<formula>.+?) = \*\*(?P<grad>\S+)\*\*, "
    r"so (?P=name) ← (?P<before>\S+) − (?P<lr>\S+) · (?P<sub>\S+) = \*\*(?P<after>\S+)\*\*"
)
FORMULAS = {"w1": "−(y−ŷ)·x1", "w2": "−(y−ŷ)·x2", "b": "−(y−ŷ)"}
SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def number(text: str) -> float:
    """A number as the lines print it: "-" or "−" for minus, e-notation as "e" or ×10ⁿ."""
    text = text.replace("−", "-")
    if "×10" in text:
        mantissa, power = text.split("×10")
        text = f"{mantissa}e{power.translate(SUPERSCRIPTS)}"
    return float(text)


def latex_updates(at) -> dict[str, tuple[float, float, float, float]]:
    """{name: (before, α, ∂L/∂name, after)} read from the update's lines, one per weight:
    "∂L/∂w1 = −(y−ŷ)·x1 = … = **g**, so w1 ← before − α · g = **after**"."""
    lines = update_text(at).split("\n")
    rows = [m for m in map(WEIGHT_LINE.fullmatch, lines) if m]
    assert [r["name"] for r in rows] == ["w1", "w2", "b"], lines
    assert lines[-3:] == [r.string for r in rows], lines  # the last three lines
    shown = {}
    for r in rows:
        name, grad = r["name"], r["grad"]
        # The formula is the point's, or its mean over the batch.
        assert r["formula"].split(" = ")[0] in (FORMULAS[name], f"mean of {FORMULAS[name]}")
        # The derivative put into the update is the one just worked out, in parentheses
        # when negative.
        assert r["sub"] == (f"({grad})" if grad.startswith(("-", "−")) else grad), r.string
        shown[name] = tuple(map(number, (r["before"], r["lr"], grad, r["after"])))
    return shown


def assert_update_matches(at, history, k, lr):
    """The lines of update k show history's numbers (there are no metrics any more)."""
    shown = latex_updates(at)
    before = (*history.w[k - 1], history.b[k - 1])
    after = (*history.w[k], history.b[k])
    grads = (*history.grad_w[k - 1], history.grad_b[k - 1])
    for j, name in enumerate(("w1", "w2", "b")):
        expected = (before[j], lr, grads[j], after[j])
        assert_allclose(shown[name], expected, rtol=FOUR_DIGITS, atol=1e-12, err_msg=name)
    assert not at.metric and not at.latex


def scenario(at) -> Scenario:
    return at.session_state["scenario"]


@pytest.fixture(scope="module")
def default_run():
    s = default_scenario()
    return s, train(s.X, s.y, s.config)


# ---------------------------------------------------------------- first view


def test_default_page_shows_the_title_and_step_0(default_run):
    s, history = default_run
    at = open_app()
    assert not at.exception
    assert [t.value for t in at.title] == ["Perceptron Playground"]
    assert update_text(at) == step_0_text(len(s.y))
    assert not at.latex and not at.metric
    assert not at.error and not at.warning
    assert not toasts(at, "error") and not toasts(at, "warning")
    assert not at.slider  # the step buttons and the scrubber are the chart component's
    assert_array_equal(class_points(at, 0), s.X[s.y == 0])
    assert_array_equal(class_points(at, 1), s.X[s.y == 1])
    data = component_data(at)
    assert (data["k"], data["n_updates"]) == (0, history.n_updates)


# ---------------------------------------------------------------- stepping


def test_step_shows_update_1_with_the_numbers_of_the_run(default_run):
    s, history = default_run
    at = press(open_app(), "Step")
    assert not at.exception
    assert scenario(at).step == 1
    i = int(history.point[0])
    assert i == 0
    x1, x2 = s.X[i]
    text = update_text(at)
    assert text.startswith(f"**Update 1** (epoch 1) used **point #{i + 1}** at ")
    assert f"({x1:.4g}, {x2:.4g}) with label y = {int(s.y[i])}" in text
    assert "ŷ = σ(z) = **0.5000**" in text  # w = 0, b = 0: z = 0 at every point
    assert "its loss L = 0.6931" in text  # ln 2
    assert_update_matches(at, history, 1, 0.1)
    # By hand: from zero, ∂L/∂w = −(y − 1/2)·x, ∂L/∂b = −(y − 1/2), w_new = −α·∂L/∂w.
    grad = -(s.y[i] - 0.5) * np.array([x1, x2, 1.0])
    shown = latex_updates(at)
    assert_allclose([shown[n][2] for n in ("w1", "w2", "b")], grad, rtol=FOUR_DIGITS)
    assert_allclose([shown[n][3] for n in ("w1", "w2", "b")], -0.1 * grad, rtol=FOUR_DIGITS)
    data = component_data(at)
    assert data["k"] == 1
    assert record(at)["used"] == [i]  # the orange ring is on that point
    assert at.query_params["k"] == "1"  # the link reproduces the step


def test_back_returns_to_step_0():
    at = press(press(open_app(), "Step"), "Back")
    assert not at.exception
    assert scenario(at).step == 0
    assert update_text(at) == step_0_text(len(scenario(at).y))  # no update's numbers


def test_end_goes_to_the_last_update(default_run):
    s, history = default_run
    K = history.n_updates
    at = press(open_app(), "End")
    assert scenario(at).step == K
    i = int(history.point[K - 1])
    assert update_text(at).startswith(
        f"**Update {K:,}** (epoch {s.config.epochs}) used **point #{i + 1}**"
    )
    assert_update_matches(at, history, K, 0.1)


def test_epoch_goes_to_the_end_of_each_epoch(default_run):
    s, history = default_run
    n = len(s.y)
    at = press(open_app(), "Epoch")
    assert scenario(at).step == n
    assert update_text(at).startswith(f"**Update {n}** (epoch 1) used **point #{n}**")
    assert_update_matches(at, history, n, 0.1)
    at = press(press(at, "Back"), "Epoch")  # from inside epoch 1, forward to its end
    assert scenario(at).step == n
    at = press(at, "Epoch")
    assert update_text(at).startswith(f"**Update {2 * n}** (epoch 2)")


# ---------------------------------------------------------------- settings


def test_changing_the_learning_rate_restarts_and_retrains(default_run):
    s, _ = default_run
    at = press(press(open_app(), "Step"), "Step")
    assert scenario(at).step == 2
    by_label(at.number_input, "Exact learning rate").set_value(0.5).run()
    assert not at.exception
    assert scenario(at).step == 0
    assert update_text(at).startswith("**Step 0 is the start:**")
    assert by_label(at.select_slider, "Learning rate α (log scale)").value == 0.5
    assert at.query_params["lr"] == "0.5"
    fast = train(s.X, s.y, s.replace(learning_rate=0.5).config)
    at = press(press(at, "Step"), "Step")
    assert_update_matches(at, fast, 2, 0.5)
    shown = latex_updates(at)
    assert shown["w1"][1] == 0.5
    assert_allclose(shown["b"][3], fast.b[2], rtol=FOUR_DIGITS)


def test_batch_mode_shows_the_mean_over_all_points(default_run):
    s, _ = default_run
    at = open_app()
    by_label(at.radio, "How updates are made").set_value("batch").run()
    assert not at.exception
    batch = train(s.X, s.y, s.replace(mode="batch").config)
    assert batch.n_updates == s.config.epochs
    assert component_data(at)["n_updates"] == s.config.epochs
    at = press(at, "Step")
    text = update_text(at)
    n = len(s.y)
    assert text.startswith(
        f"**Update 1** (epoch 1) used the **mean over m = {n} points** (all of them)"
    )
    # From w = 0, b = 0 every ŷ is 0.500: no point is on either side yet.
    assert f": 0 of {n} points on the right side, {n} undecided (ŷ = 0.5); " in text
    assert "mean |y − ŷ| = 0.500." in text
    assert_update_matches(at, batch, 1, 0.1)
    # By hand: the mean of −(y − 1/2)·x over all points.
    r = -(s.y - 0.5)
    expected = [np.mean(r * s.X[:, 0]), np.mean(r * s.X[:, 1]), np.mean(r)]
    shown = latex_updates(at)
    assert_allclose([shown[n][2] for n in ("w1", "w2", "b")], expected, rtol=FOUR_DIGITS)
    at = press(at, "End")
    assert update_text(at).startswith(
        f"**Update {s.config.epochs}** (epoch {s.config.epochs}) used the **mean"
    )


def test_minibatch_mode_shows_the_short_last_batch_and_rings_its_points(default_run):
    s, _ = default_run
    at = open_app()
    by_label(at.radio, "How updates are made").set_value("minibatch").run()
    by_label(at.number_input, "Mini-batch size").set_value(8).run()
    assert not at.exception
    history = train(s.X, s.y, s.replace(mode="minibatch", batch_size=8).config)
    assert history.n_updates == 3 * s.config.epochs  # 20 points: batches of 8, 8 and 4
    at = press(at, "Epoch")
    assert scenario(at).step == 3
    text = update_text(at)
    assert text.startswith("**Update 3** (epoch 1) used the **mean over m = 4 points**:")
    assert "(all of them)" not in text
    assert_update_matches(at, history, 3, 0.1)
    assert record(at)["used"] == [16, 17, 18, 19]


def test_play_frames_start_at_the_current_step(default_run):
    _, history = default_run
    at = press(press(open_app(), "Step"), "Step")
    assert component_data(at)["frames"] == []  # a pause in stepping: no Play frames
    at.session_state["autoplay"] = True  # what Play's report asks for (resume)
    frames = component_data(at.run())["frames"]
    ks = [f["k"] for f in frames]
    # At 20 updates/s every update is a frame, a window of FRAMES_PER_WINDOW of them.
    last = min(history.n_updates, 2 + FRAMES_PER_WINDOW)
    assert ks == list(range(2, last + 1))
    # Frames travel with 8 significant digits: enough to draw, small to send.
    assert_allclose([f["w"] for f in frames], history.w[ks], rtol=1e-7, atol=1e-12)
    assert_allclose([f["b"] for f in frames], history.b[ks], rtol=1e-7, atol=1e-12)


def test_a_run_over_the_update_limit_is_refused_and_the_old_value_kept():
    at = open_app()
    at.selectbox[0].set_value("separable")
    at = press(at, "Load")
    n = len(scenario(at).y)
    at = press(press(press(at, "Step"), "Step"), "Step")
    by_label(at.number_input, "Epochs (passes over all points)").set_value(10_000).run()
    assert not at.exception
    (error,) = toasts(at, "error")
    assert f"not applied: this run would make {n * 10_000:,} updates" in error
    assert f"the limit is {MAX_UPDATES:,}" in error
    assert scenario(at).config.epochs == 20
    assert by_label(at.number_input, "Epochs (passes over all points)").value == 20
    assert component_data(at)["n_updates"] == 20 * n
    assert scenario(at).step == 3  # the run was not touched
    at.run()
    assert not toasts(at, "error")  # said once


# ---------------------------------------------------------------- points


def test_a_preset_with_settings_says_them_as_its_card_on_the_data_page_does():
    at = open_app()
    by_label(at.selectbox, "Start from a preset").set_value("wrong_start")
    at = press(at, "Load")
    (toast,) = [t for t in toasts(at, "info") if t.startswith("Loaded “A confident wrong start”")]
    assert toast.endswith(
        " It sets squared error · full batch · α = 2 · 25 epochs · no L2 penalty · "
        "start at w1 = −3, w2 = 0, b = 0."
    )


def test_preset_load_replaces_the_points_and_undo_restores_them(default_run):
    s, _ = default_run
    at = press(open_app(), "Step")
    by_label(at.selectbox, "Start from a preset").set_value("xor")
    at = press(at, "Load")
    assert not at.exception
    X, y = make_dataset("xor", seed=0)
    assert_array_equal(class_points(at, 0), X[y == 0])
    assert_array_equal(class_points(at, 1), X[y == 1])
    assert any(i.startswith("Loaded “XOR”") for i in toasts(at, "info"))
    assert scenario(at).step == 0
    assert update_text(at).startswith("**Step 0 is the start:**")
    at = press(at, "Undo")
    assert not at.exception
    assert_array_equal(class_points(at, 0), s.X[s.y == 0])
    assert_array_equal(class_points(at, 1), s.X[s.y == 1])
    at = press(at, "Undo")
    assert toasts(at, "info") == ["Nothing to undo."]


def test_clear_empties_the_chart_and_asks_for_points(default_run):
    s, _ = default_run
    at = press(open_app(), "Clear")
    assert not at.exception
    assert "All points removed. Undo brings them back." in toasts(at, "info")
    assert update_text(at).startswith("**No points yet:** click or tap the chart")
    assert class_points(at, 0).size == class_points(at, 1).size == 0
    data = component_data(at)
    assert data["n_updates"] == 0 and data["frames"] == []
    assert [r["k"] for r in data["records"]] == [0]  # nothing to step to
    assert all("place points" in f["layout"]["title"]["text"] for f in data["series"])
    assert not at.latex
    assert update_text(at).startswith("**No points yet:**")  # no update's numbers
    at.run()  # a second run with no points is just as calm
    assert not at.exception
    at = press(at, "Undo")
    assert_array_equal(class_points(at, 0), s.X[s.y == 0])
    assert update_text(at).startswith("**Step 0 is the start:**")


def test_points_of_one_class_still_train():
    at = open_app()
    s = scenario(at)
    keep = s.y == 1
    at.session_state["scenario"] = s.replace(X=s.X[keep], y=s.y[keep])
    at = press(at.run(), "Step")
    assert not at.exception
    assert update_text(at).startswith("**Update 1**")


# ---------------------------------------------------------------- clicks on the chart
# AppTest cannot fire the component's on_clicks_change callback (setting
# session_state["charts"] changes the value but runs no callback), so the page's
# handler is driven here from a tiny script with the component's value in place.


def _click_handler_script():
    import streamlit as st

    from ui import playground, state

    state.init()
    queue = st.session_state.pop("test_queue", None)
    if queue is not None:
        st.session_state["charts"] = {"clicks": queue}
        playground._on_clicks()
    state.show_messages()


def click(at, queue) -> AppTest:
    at.session_state["test_queue"] = queue
    return at.run()


def test_clicks_are_added_once_and_acknowledged():
    at = AppTest.from_function(_click_handler_script, default_timeout=30).run()
    n = len(scenario(at).y)
    items = [{"seq": 1, "op": "add", "x1": 1.23456, "x2": -2.0, "cls": 1}]
    at = click(at, {"client": "tab-a", "items": items})
    assert not at.exception
    s = scenario(at)
    assert len(s.y) == n + 1
    assert_array_equal(s.X[-1], [1.235, -2.0])
    assert s.y[-1] == 1.0 and s.step == 0 and s.preset == ""
    assert at.session_state["click_ack"] == {"client": "tab-a", "seq": 1}
    # The same queue again (the ack has not reached the browser yet): nothing more.
    items.append({"seq": 2, "op": "add", "x1": 0.0, "x2": 0.0, "cls": 0})
    at = click(at, {"client": "tab-a", "items": items})
    assert len(scenario(at).y) == n + 2
    assert at.session_state["click_ack"] == {"client": "tab-a", "seq": 2}
    # A reloaded tab numbers its clicks from 1 again under a new client id.
    at = click(
        at, {"client": "tab-b", "items": [{"seq": 1, "op": "add", "x1": 3, "x2": 3, "cls": 0}]}
    )
    assert len(scenario(at).y) == n + 3
    assert at.session_state["click_ack"] == {"client": "tab-b", "seq": 1}
    assert not toasts(at, "warning")


def test_click_erase_of_a_vanished_point_warns_and_undo_restores():
    at = AppTest.from_function(_click_handler_script, default_timeout=30).run()
    X = scenario(at).X.copy()
    erase = {"seq": 1, "op": "erase", "index": 0, "x1": float(X[0, 0]), "x2": float(X[0, 1])}
    at = click(at, {"client": "c", "items": [erase]})
    assert_array_equal(scenario(at).X, X[1:])
    gone = dict(erase, seq=2, x1=99.0, x2=99.0)
    at = click(at, {"client": "c", "items": [erase, gone]})
    assert toasts(at, "warning") == ["That point was already removed."]
    assert_array_equal(scenario(at).X, X[1:])
    assert len(at.session_state["undo_stack"]) == 1  # only the real erase is undoable


@pytest.mark.parametrize("queue", [None, {}, {"client": 5, "items": []}, "junk", {"client": "c"}])
def test_malformed_click_state_changes_nothing(queue):
    at = AppTest.from_function(_click_handler_script, default_timeout=30).run()
    before = scenario(at)
    at = click(at, queue)
    assert not at.exception
    assert scenario(at) == before
    assert not toasts(at, "warning")


# ---------------------------------------------------------------- links


def test_link_opens_at_its_step_and_learning_rate():
    at = open_app(lr="0.5", ep="3", k="2")
    assert not at.exception and not at.warning and not toasts(at, "warning")
    s = scenario(at)
    assert (s.step, s.config.learning_rate, s.config.epochs) == (2, 0.5, 3)
    assert by_label(at.number_input, "Exact learning rate").value == 0.5
    assert component_data(at)["n_updates"] == 3 * len(s.y)
    history = train(s.X, s.y, s.config)
    assert update_text(at).startswith("**Update 2** (epoch 1) used **point #2**")
    assert_update_matches(at, history, 2, 0.5)
    assert at.query_params["lr"] == "0.5" and at.query_params["k"] == "2"


def test_malformed_link_warns_and_opens_with_defaults(default_run):
    s, _ = default_run
    at = open_app(lr="abc", pts="!!!")
    assert not at.exception
    warnings = toasts(at, "warning")
    assert any("'abc' is not a number" in w for w in warnings)
    assert any("points in the link are damaged" in w for w in warnings)
    assert scenario(at) == s
    assert by_label(at.number_input, "Exact learning rate").value == 0.1
    assert update_text(at).startswith("**Step 0 is the start:**")
    assert_array_equal(class_points(at, 0), s.X[s.y == 0])
    assert "lr" not in at.query_params  # the link is rewritten to what is shown
    assert at.query_params["pts"] != "!!!"
    at.run()
    assert not toasts(at, "warning")  # shown once


# ---------------------------------------------------------------- payload size


@pytest.mark.parametrize(("mode", "updates"), [("batch", 1_000), ("stochastic", 200_000)])
def test_component_payload_for_200_points_and_1000_epochs_is_small(mode, updates):
    X, y = make_dataset("overlapping", n=200, seed=1)
    at = open_app()
    at.session_state["scenario"] = Scenario.of(X, y, epochs=1_000, mode=mode)
    at.run()
    assert not at.exception
    assert component_data(at)["n_updates"] == updates
    sizes = [len(at.get("bidi_component")[0].proto.json)]
    at = press(at, "Step")
    sizes.append(len(at.get("bidi_component")[0].proto.json))
    at = press(at, "End")
    sizes.append(len(at.get("bidi_component")[0].proto.json))
    assert component_data(at)["n_updates"] == updates
    assert max(sizes) < PAYLOAD_LIMIT, sizes


def chaotic(step: int) -> Scenario:
    # Mini-batches of 8 at α = 10 on XOR: rounding errors grow about ×1.3 per update, and
    # float64 no longer holds 4 digits after update ~90 (see tests/test_precision.py).
    X, y = make_dataset("xor", n=40, seed=2)
    s = default_scenario().with_points(X, y).replace(preset="xor")
    return s.replace(learning_rate=10.0, mode="minibatch", batch_size=8, epochs=40, step=step)


def test_a_chaotic_run_says_where_its_digits_run_out():
    from perceptron.links import scenario_to_params
    from perceptron.precision import precision

    s = chaotic(step=200)
    p = precision(train(s.X, s.y, s.config), s.X)
    assert p.runs_out and p.reliable_until < 200
    at = open_app(**scenario_to_params(s))
    text = update_text(at)
    assert f"From update {p.reliable_until + 1:,} on" in text and "digits have run out" in text
    loss_chart = component_data(at)["series"][0]["layout"]
    (shade,) = loss_chart["shapes"]
    assert shade["x0"] == p.reliable_until + 1
    # Before that update the numbers are trusted and say nothing about it.
    at = open_app(**scenario_to_params(s.replace(step=p.reliable_until)))
    assert "digits have run out" not in update_text(at)


def test_an_ordinary_run_has_no_precision_warning_or_shading():
    at = open_app()
    press(at, "Step")
    assert "digits have run out" not in update_text(at)
    assert "shapes" not in component_data(at)["series"][0]["layout"]
