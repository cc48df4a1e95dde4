"""Issue 14 on the four math pages, driven headless with AppTest: each page follows the
run's loss (log loss or squared error) and λ, with the numbers the core computes.

- chain rule: squared error's factor ŷ(1 − ŷ) that stays, with numbers; a confident
  mistake under both losses; the penalty's λ·w when λ > 0 and nowhere when λ = 0;
- landscape: the grid of the chosen objective; the learner's moves by hand when present;
- race: the step-size bound and each rate against it; the two losses racing at one rate;
  the ‖w‖ monitor levelling off under λ;
- data: a preset's settings on its card and applied with its points; the history file.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from streamlit.testing.v1 import AppTest

from perceptron import default_scenario, gradient, point_derivatives, train
from perceptron.handfit import HandPath
from perceptron.landscape import loss_grid, loss_grid_bias, mean_losses
from perceptron.links import scenario_to_params
from perceptron.model import predict_proba
from perceptron.race import log_loss_curve, run_loss_race
from perceptron.scenario import preset_scenario
from perceptron.stepsize import step_bound
from tests.app_messages import toasts
from tests.test_pages_math import (
    DERIVATION,
    FOUR_DIGITS,
    LANDSCAPE,
    RACE,
    formulas,
    last_number,
    latex_ending,
    no_exceptions,
    open_page,
    overlapping,
)
from ui import keys, landscape
from ui.chain_rule_beyond import confident_mistake
from ui.common import tex
from ui.landscape_figures import HAND_NAME
from ui.points_editor import table_key
from ui.points_files import history_csv

APP = "../app.py"


def squared(**settings):
    return overlapping(step=7, loss="squared", **settings)


def case_point(at, s):
    """(w, b, x, y) of the point the Derivation page follows at step k."""
    history = train(s.X, s.y, s.config)
    i = int(at.selectbox(key=keys.DERIVATION_POINT).value)
    w, b = history.state(s.step)
    return w, b, s.X[i], float(s.y[i]), history


def checks(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**Finite-difference check:**")]


def passing(check: str) -> bool:
    found = re.search(r"agree to (\d+) significant digits|identical", check)
    return bool(found) and (found.group(1) is None or int(found.group(1)) >= 6)


# ---------------------------------------------------------------- chain rule


@pytest.fixture(scope="module")
def squared_page():
    s = squared()
    at = open_page(DERIVATION, s)
    no_exceptions(at)
    return at, s


def test_squared_error_shows_the_factor_that_stays_with_its_numbers(squared_page):
    at, s = squared_page
    w, b, x, y, _ = case_point(at, s)
    d = point_derivatives(w, b, x, y, "squared")
    assert d.kind == "squared"
    assert_allclose(last_number(latex_ending(at, r"\begin{aligned}L(y")), d.loss, rtol=FOUR_DIGITS)
    slope = latex_ending(at, r"\frac{\partial L}{\partial \hat y}")
    assert r"= \hat y - y" in slope
    assert_allclose(last_number(slope), d.dL_dyhat, rtol=FOUR_DIGITS)
    dz = latex_ending(at, r"\begin{aligned}\frac{\partial L}{\partial z}")
    assert r"(\hat y - y)\,\hat y(1 - \hat y)" in dz and tex(d.dyhat_db) in dz
    assert_allclose(last_number(dz), d.dL_dz, rtol=FOUR_DIGITS)
    chain = r"&= \frac{\partial L}{\partial \hat y}\cdot"
    products = [f for f in formulas(at) if f.startswith(r"\begin{aligned}") and chain in f]
    assert len(products) == 3
    for body, value in zip(products, (d.dL_dw1, d.dL_dw2, d.dL_db), strict=True):
        assert rf"\cdot{tex(d.dyhat_db)}" in body  # ŷ(1 − ŷ) as a factor, with its number
        assert r"\cancel" not in body  # nothing cancels
        assert_allclose(last_number(body), value, rtol=FOUR_DIGITS)
    assert any("ŷ(1 − ŷ) stays" in h.value for h in at.header)


def test_every_squared_error_derivative_has_a_passing_finite_difference_check(squared_page):
    at, _ = squared_page
    found = checks(at)
    # four factors, ∂L/∂z, three products, the confident mistake's two
    assert len(found) == 10
    assert all(passing(c) for c in found), found


def test_the_log_loss_page_still_cancels_and_offers_the_other_loss():
    at = open_page(DERIVATION, overlapping(step=7))
    no_exceptions(at)
    products = [f for f in formulas(at) if f.startswith(r"\begin{aligned}\frac{\partial L}")]
    assert all(r"\cancel{\hat y(1 - \hat y)}" in p for p in products)
    assert not any(s.value.startswith("A confident mistake") for s in at.subheader)
    assert any("Squared error" in c.value for c in at.caption)


def test_a_confident_mistake_is_compared_under_both_losses_side_by_side():
    s = preset_scenario("wrong_start")  # squared error; every point sure and wrong at step 0
    at = open_page(DERIVATION, s)
    no_exceptions(at)
    assert [h.value for h in at.main.subheader] == [
        "A confident mistake: squared error against the log loss"
    ]
    w, b = s.config.start()
    X, y = np.asarray(s.X), np.asarray(s.y)
    z = X @ w + b
    expected = int(np.argmax(np.abs(z)))  # every point is wrong here: the surest
    from ui.derivation import case as derivation_case

    c = derivation_case(s, train(X, y, s.config), 0)
    assert confident_mistake(c, X, y) == expected
    log = point_derivatives(w, b, X[expected], y[expected], "log")
    sq = point_derivatives(w, b, X[expected], y[expected], "squared")
    side = r"\begin{aligned}\frac{\partial L}{\partial w_1} &= "
    (log_line,) = [f for f in formulas(at) if f.startswith(side + "-(y")]
    (sq_line,) = [f for f in formulas(at) if f.startswith(side + r"(\hat y - y)")]
    assert r"-(y - \hat y)" in log_line and r"\hat y(1 - \hat y)" in sq_line
    assert_allclose(last_number(log_line), log.dL_dw1, rtol=FOUR_DIGITS)
    assert_allclose(last_number(sq_line), sq.dL_dw1, rtol=FOUR_DIGITS)
    ratio = abs(log.dL_dw1 / sq.dL_dw1)
    assert ratio > 100  # a tiny gradient where the log loss gives a large one
    (why,) = [m.value for m in at.markdown if "times smaller" in m.value]
    assert f"**{ratio:,.3g} times smaller**" in why
    assert all(passing(c) for c in checks(at)[-2:])


def test_without_a_mistake_the_comparison_says_so():
    s = default_scenario().replace(loss="squared", step=400)  # separable: all right at the end
    history = train(s.X, s.y, s.config)
    assert np.all((predict_proba(*history.state(400), s.X) > 0.5) == (s.y == 1))
    at = open_page(DERIVATION, s)
    no_exceptions(at)
    assert any("no point is on the wrong side" in m.value for m in at.markdown)


@pytest.mark.parametrize("loss", ["log", "squared"])
def test_the_penalty_term_is_shown_with_its_numbers_when_lambda_is_positive(loss):
    s = overlapping(step=7, loss=loss, l2=0.02)
    at = open_page(DERIVATION, s)
    no_exceptions(at)
    w, b, x, y, history = case_point(at, s)
    d = point_derivatives(w, b, x, y, loss, 0.02)
    for j, dJ, dL in ((1, d.dJ_dw1, d.dL_dw1), (2, d.dJ_dw2, d.dL_dw2)):
        line = latex_ending(at, rf"\begin{{aligned}}\frac{{\partial J}}{{\partial w_{j}}}")
        assert rf"+ \lambda w_{j}" in line and r"0.02\cdot" in line
        assert_allclose(last_number(line), dJ, rtol=FOUR_DIGITS)
        assert tex(dL) in line
    assert_allclose(
        last_number(latex_ending(at, r"\frac{\partial J}{\partial b}")), d.dL_db, rtol=FOUR_DIGITS
    )
    objective = latex_ending(at, r"\begin{aligned}J &= L")
    assert_allclose(last_number(objective), d.loss + d.penalty, rtol=FOUR_DIGITS)
    assert [h.value for h in at.header][4:6] == [
        "5 · Add the penalty's slope, λ·w",
        "6 · The update",
    ]
    # the update uses ∂J and equals the run's next step
    (lines,) = [f for f in formulas(at) if r"\leftarrow" in f]
    assert r"\partial J" in lines
    rows = lines.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r"\\")
    k = s.step
    assert_allclose([last_number(r) for r in rows], [*history.w[k + 1], history.b[k + 1]],
                    rtol=FOUR_DIGITS)  # fmt: skip
    assert all(passing(c) for c in checks(at))


def test_no_penalty_term_at_lambda_0():
    at = open_page(DERIVATION, overlapping(step=7, loss="squared"))
    no_exceptions(at)
    assert not any(r"\lambda" in f or r"\partial J" in f for f in formulas(at))
    assert "5 · The update" in [h.value for h in at.header]
    assert not any("penalty" in h.value for h in at.header)


def test_a_batch_update_with_the_penalty_adds_lambda_w_once():
    s = overlapping(step=4, mode="minibatch", batch_size=6, loss="squared", l2=0.02)
    history = train(s.X, s.y, s.config)
    at = open_page(DERIVATION, s)
    no_exceptions(at)
    (table,) = [d.value for d in at.dataframe if "derivative" in d.value.columns]
    w = history.w[4]
    assert_allclose(table["+ λ·w (b: 0)"], [0.02 * w[0], 0.02 * w[1], 0.0])
    used = [*history.grad_w[4], history.grad_b[4]]
    assert_allclose(table["∂J: what update 5 used"], used, rtol=1e-12)
    assert_allclose(table["batch mean (update 5)"] + table["+ λ·w (b: 0)"], used, rtol=1e-12)


def test_the_contributions_follow_the_loss_and_add_the_penalty_once():
    s = squared(l2=0.02)
    history = train(s.X, s.y, s.config)
    at = open_page(DERIVATION, s)
    (check,) = [
        d.value for d in at.dataframe if "mean of the column over all points" in d.value.index
    ]
    assert list(check.columns) == ["(ŷ−y)·ŷ(1−ŷ)·x1", "(ŷ−y)·ŷ(1−ŷ)·x2", "(ŷ−y)·ŷ(1−ŷ)"]
    w, b = history.state(s.step)
    dL = gradient(w, b, s.X, s.y, "squared")
    dJ = gradient(w, b, s.X, s.y, "squared", 0.02)
    row = check.loc["∂L/∂w1, ∂L/∂w2, ∂L/∂b of the mean loss"].astype(float).to_numpy()
    assert_allclose(row, [*dL[0], dL[1]], rtol=FOUR_DIGITS)
    row = check.loc["∂J/∂w1, ∂J/∂w2, ∂J/∂b: the mean plus λ·w"].astype(float).to_numpy()
    assert_allclose(row, [*dJ[0], dJ[1]], rtol=FOUR_DIGITS)
    row = check.loc["what update 8 used (Playground)"].astype(float).to_numpy()
    assert_allclose(row, check.loc["that mean plus λ·w"].astype(float).to_numpy(),
                    rtol=FOUR_DIGITS)  # fmt: skip
    assert any("total pull" in m.value for m in at.markdown)


# ---------------------------------------------------------------- landscape


def open_landscape(s, view=landscape.VIEWS[0], hand=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in scenario_to_params(s).items():
        at.query_params[key] = value
    at.run()
    if hand is not None:
        at.session_state[keys.HAND_PATH] = hand
    at.switch_page(LANDSCAPE)
    at.session_state[keys.LANDSCAPE_VIEW] = view
    at.run()
    no_exceptions(at)
    return at


def figure(at, i=0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def arr(value):
    """A Plotly array from the figure JSON (a list, or numpy's base64 ``bdata``)."""
    if isinstance(value, dict):
        import base64

        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value, dtype=float)


def grid_of(at) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(w1 axis, second axis, objective per cell) of the map on show."""
    fig = figure(at)
    (contour,) = [t for t in fig["data"] if t["type"] == "contour"]
    (hover,) = [t for t in fig["data"] if t.get("name") == "grid"]
    across, up = arr(contour["x"]), arr(contour["y"])
    return across, up, arr(hover["customdata"]).reshape(len(up), len(across))


@pytest.mark.parametrize("over_bias", [False, True])
def test_the_landscape_grid_is_the_chosen_objective_and_differs_between_losses(over_bias):
    view = landscape.VIEWS[2 if over_bias else 0]
    grids = {}
    for loss, l2 in (("log", 0.0), ("squared", 0.0), ("squared", 0.02)):
        s = overlapping(step=20, loss=loss, l2=l2)
        history = train(s.X, s.y, s.config)
        w, b = history.state(20)
        at = open_landscape(s, view)
        across, up, Z = grid_of(at)
        if over_bias:
            expected = loss_grid_bias(s.X, s.y, across, up, float(w[1]), loss=loss, l2=l2)
        else:
            expected = loss_grid(s.X, s.y, across, up, b, loss=loss, l2=l2)
        assert_allclose(Z, expected, rtol=1e-12)
        if l2:  # the penalty (λ/2)(w1² + w2²) on top of the loss alone, cell by cell
            G1, G2 = np.meshgrid(across, up)
            G2 = np.full_like(G1, w[1]) if over_bias else G2
            alone = (loss_grid_bias if over_bias else loss_grid)(
                s.X, s.y, across, up, float(w[1]) if over_bias else b, loss=loss
            )
            assert_allclose(Z - alone, 0.5 * l2 * (G1**2 + G2**2), rtol=1e-9, atol=1e-15)
        grids[loss, l2] = (across, up, Z)
    log, sq, _ = grids.values()
    assert sq[2].max() <= 0.5 < log[2].max()  # squared error never exceeds ½
    assert not np.allclose(log[2], sq[2])


def test_the_landscape_says_what_squared_error_and_the_penalty_do():
    at = open_landscape(overlapping(step=5, loss="squared", l2=0.01))
    text = " ".join(m.value for m in at.markdown)
    assert "Squared error is not convex" in text and "plateaus" in text
    assert "The penalty (λ = 0.01) adds a bowl" in text
    assert figure(at)["data"][0]["colorbar"]["title"]["text"].startswith("J = mean loss")
    assert "mean squared error + (λ/2)(w1² + w2²) over all points" in " ".join(
        c.value for c in at.caption
    )
    at = open_landscape(overlapping(step=5))
    text = " ".join(m.value for m in at.markdown)
    assert "not convex" not in text and "adds a bowl" not in text


HAND = HandPath.starting_at([1.0, -0.5], 0.3).by_hand([1.5, 1.0], 0.2).by_hand([0.5, 2.0], -1.0)


@pytest.mark.parametrize("view", landscape.VIEWS)
def test_the_moves_by_hand_are_drawn_on_every_view_when_present(view):
    s = overlapping(step=20)
    at = open_landscape(s, view, hand=HAND)
    data = figure(at)["data"]
    (line,) = [t for t in data if t.get("name") == HAND_NAME and t.get("showlegend", True)]
    (marks,) = [t for t in data if t.get("name") == HAND_NAME and "markers" in t["mode"]]
    w, b = HAND.arrays()
    assert_allclose(arr(marks["x"]), w[:, 0])  # a diamond at each state set by hand
    assert_allclose(arr(marks["y"]), b if view == landscape.VIEWS[2] else w[:, 1])
    assert line["line"]["dash"] == "dash" and marks["marker"]["symbol"] == "diamond"
    run_path = [t for t in data if t.get("name") == "descent path"]
    assert all(t["line"]["color"] != line["line"]["color"] for t in run_path)
    if view == landscape.VIEWS[1]:  # the line lies on the surface: through spots between moves
        assert line["type"] == "scatter3d" and len(arr(line["x"])) > len(w)
        b_k = train(s.X, s.y, s.config).b[20]  # the slice's b
        spots = np.column_stack([arr(marks["x"]), arr(marks["y"])])
        lift = arr(marks["z"]) - mean_losses(spots, np.full(len(w), b_k), s.X, s.y)
        assert lift[0] > 0
        assert_allclose(lift, lift[0])  # each diamond sits just above the surface
    captions = " ".join(c.value for c in at.caption)
    assert "Fit it by hand" in captions


def test_without_moves_by_hand_no_hand_path_is_drawn():
    at = open_landscape(overlapping(step=20))
    assert not any(t.get("name") == HAND_NAME for t in figure(at)["data"])
    assert "Fit it by hand" not in " ".join(c.value for c in at.caption)


def test_the_landscape_keys_are_declared_in_ui_keys():
    assert {n: keys.LANDSCAPE_START + n for n in ("w1", "w2", "b")} == landscape.START_KEYS
    assert landscape.PICK_KEYS == (keys.LANDSCAPE_PICK + "w", keys.LANDSCAPE_PICK + "b")
    X, y = np.zeros((1, 2)), np.ones(1)
    assert table_key(X, y).startswith(keys.POINTS_TABLE)


# ---------------------------------------------------------------- race


def badges(at) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value]


def test_the_race_shows_the_bound_and_marks_each_rate_against_it():
    s = overlapping(epochs=20, mode="batch")
    at = open_page(RACE, s)
    no_exceptions(at)
    bound = step_bound(s.X, s.config)
    page = " ".join(m.value for m in at.markdown)
    assert f"**How large may α be?** {bound.headline()}" in page
    assert bound.sentence() in page
    for rate in (0.01, 0.1, 1.0, 10.0):
        assert bound.compare(rate) in page
    marks = [b for b in badges(at) if "step-size bound" in b]
    expected = ["below" if bound.allows(r) else "above" for r in (0.01, 0.1, 1.0, 10.0)]
    assert [("below" if "below" in m else "above") for m in marks] == expected
    assert "below" in expected and "above" in expected


def test_the_step_edge_preset_races_just_below_the_bound_against_just_above():
    s = preset_scenario("step_edge")  # full batch, log loss, α = 1.05 in the sidebar
    bound = step_bound(s.X, s.config)
    assert 0.93 < bound.alpha < 1.05
    at = open_page(RACE, s)
    options = at.multiselect(key=keys.RACE_RATES).options
    assert "α = 0.93 (just below the bound)" in options
    assert "α = 1.05 (the sidebar's)" in options
    at.multiselect(key=keys.RACE_RATES).set_value([0.93, 1.05]).run()
    no_exceptions(at)
    boundaries = figure(at, 2)
    names = [t["name"] for t in boundaries["data"] if t["name"].startswith("α")]
    assert names == ["α = 0.93: converging", "α = 1.05: oscillating"]
    marks = [b for b in badges(at) if "step-size bound" in b]
    assert ["below" in m for m in marks] == [True, False]
    page = " ".join(m.value for m in at.markdown)
    assert "α = 0.93 is below it; α = 1.05 is above it." in page


def test_the_two_losses_race_at_one_rate_and_both_are_shown():
    s = preset_scenario("wrong_start")
    at = open_page(RACE, s)
    at.segmented_control(key=keys.RACE_KIND).set_value("losses").run()
    no_exceptions(at)
    assert not at.multiselect  # one rate: the sidebar's
    loss_chart, norm_chart, boundaries = (figure(at, i) for i in range(3))
    assert [t["name"] for t in loss_chart["data"]] == ["log loss", "squared error"]
    assert loss_chart["layout"]["title"]["text"] == "Log loss of both runs (one yardstick)"
    histories = run_loss_race(s.X, s.y, s.config)
    for trace, h in zip(loss_chart["data"], histories, strict=True):
        assert_allclose(arr(trace["y"]), log_loss_curve(h), rtol=1e-12)
    assert [t["name"] for t in norm_chart["data"]] == ["log loss", "squared error"]
    names = [t["name"] for t in boundaries["data"] if "loss" in t["name"] or "error" in t["name"]]
    assert names == ["log loss: converging", "squared error: too slow"]
    tallies = [c.value for c in at.caption if "classified right" in c.value]
    assert "all of them first at update 2." in tallies[0]
    assert "all of them first at update 25." in tallies[1]
    page = " ".join(m.value for m in at.markdown)
    assert "Each loss has its own bound" in page


def test_with_lambda_the_weights_level_off_against_the_same_run_without_it():
    s = default_scenario().replace(l2=0.01)  # separable points
    at = open_page(RACE, s)
    no_exceptions(at)
    (note,) = [i.value for i in at.info if "λ = 0.01" in i.value]
    assert note.startswith("**With λ = 0.01 the weights level off.**")
    assert "α = 1 at ‖w‖ = 3.037" in note  # levelled off ...
    assert "Without the penalty, α = 1 would push ‖w‖ to 5.772, still growing" in note
    norm = figure(at, 1)
    (reference,) = [t for t in norm["data"] if t["name"] == "α = 1 with λ = 0"]
    free = train(s.X, s.y, s.config.__class__(learning_rate=1.0))
    assert_allclose(arr(reference["y"])[-1], np.linalg.norm(free.w[-1]), rtol=1e-12)
    assert not any("grow without bound" in i.value for i in at.info)


# ---------------------------------------------------------------- data


def open_data(s=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/4_Data.py")
    at.run()
    if s is not None:
        at.session_state[keys.SCENARIO] = s
        at.run()
    no_exceptions(at)
    return at


def test_a_preset_card_lists_its_settings_and_using_it_applies_them():
    at = open_data(default_scenario().replace(l2=0.01, epochs=40))
    captions = [c.value for c in at.caption]
    assert (
        "**Its settings, loaded with it:** squared error · full batch · α = 2 · 25 epochs · "
        "no L2 penalty · start at w1 = −3, w2 = 0, b = 0" in captions
    )
    at.button(key=keys.PRESET_USE + "wrong_start").click().run()
    no_exceptions(at)
    s = at.session_state[keys.SCENARIO]
    assert s == preset_scenario("wrong_start", default_scenario().replace(l2=0.01, epochs=40))
    (toast,) = toasts(at)
    assert toast.startswith("Loaded “A confident wrong start”: 20 points. It also changed")
    for change in ("loss: log loss → squared error", "epochs: 40 → 25",
                   "L2 regularisation: λ = 0.01 → off (λ = 0)",
                   "start: w1 = 0, w2 = 0, b = 0 → w1 = −3, w2 = 0, b = 0"):  # fmt: skip
        assert change in toast
    assert at.button(key=keys.PRESET_USE + "wrong_start").disabled
    # Undo gives the points back; the settings stay, as the toast said
    at.button[0].click().run()
    assert at.session_state[keys.SCENARIO].config.loss == "squared"


def test_a_preset_without_settings_keeps_the_learners():
    at = open_data(default_scenario().replace(loss="squared", l2=0.01))
    at.button(key=keys.PRESET_USE + "xor").click().run()
    s = at.session_state[keys.SCENARIO]
    assert (s.config.loss, s.config.l2, s.preset) == ("squared", 0.01, "xor")


def test_the_history_download_has_accuracy_and_counts_and_says_so():
    s = default_scenario().replace(l2=0.01)
    at = open_data(s)
    caption = " ".join(c.value for c in at.caption)
    assert (
        "the accuracy and, per class, how many points are correct, wrong and undecided" in caption
    )
    assert "with the penalty (λ = 0.01) and without it (data_loss)" in caption
    assert "for the log loss and the L2 penalty λ = 0.01" in caption
    frame = pd.read_csv(io.StringIO(history_csv(train(s.X, s.y, s.config))))
    for column in ("accuracy", "data_loss", "correct_0", "wrong_1", "undecided_0"):
        assert column in frame.columns
    assert frame["accuracy"].iloc[-1] == 1.0
