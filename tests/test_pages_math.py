"""The Derivation, Landscape and Race pages driven headless with AppTest.

The numbers the pages print are compared with the core: ``point_derivatives`` for the
plugged-in values and ``train`` for the weights of the next step. The app starts on
the Playground (its entry script) and switches page, as a learner's browser would.
"""

import json
import re

import numpy as np
import pytest
from numpy.testing import assert_allclose
from streamlit.testing.v1 import AppTest

from perceptron import default_scenario, make_dataset, point_derivatives, train
from perceptron.links import scenario_to_params
from tests.app_messages import toasts
from ui.common import tex

DERIVATION = "pages/1_Derivation.py"
LANDSCAPE = "pages/2_Landscape.py"
RACE = "pages/3_Learning_rate_race.py"
# The pages print 4 significant digits.
FOUR_DIGITS = 5.01e-4
_NUMBER = r"-?\d+(?:\.\d+)?(?:\\times 10\^\{-?\d+\})?"


def open_page(path: str, scenario=None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    for key, value in scenario_to_params(scenario or default_scenario()).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path)
    return at.run()


def overlapping(**settings):
    X, y = make_dataset("overlapping", n=40, seed=2)
    return default_scenario().with_points(X, y).replace(preset="overlapping", **settings)


def number(text: str) -> float:
    """A number as ``tex`` prints it: 0.1234, -5, 6.449\\times 10^{-17}."""
    mantissa, _, exponent = text.partition(r"\times 10^{")
    return float(mantissa) * 10.0 ** int(exponent.rstrip("}") or 0)


def formulas(at) -> list[str]:
    """Every st.latex body, without the $$ … $$ that Streamlit wraps around it."""
    return [e.value.strip().strip("$").strip() for e in at.latex]


def latex_ending(at, start: str) -> str:
    """The LaTeX formula that begins with ``start``."""
    (body,) = [f for f in formulas(at) if f.startswith(start)]
    return body


def last_number(body: str) -> float:
    return number(re.findall(_NUMBER, body)[-1])


def no_exceptions(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


# ---------------------------------------------------------------- derivation


@pytest.fixture(scope="module")
def derivation():
    s = overlapping(step=7)
    history = train(s.X, s.y, s.config)
    return open_page(DERIVATION, s), s, history


def test_the_point_of_update_k_plus_1_is_preselected(derivation):
    at, _, history = derivation
    no_exceptions(at)
    assert at.selectbox(key="deriv_point").value == history.points_used(8)[0]
    assert at.number_input(key="deriv_step").value == 7


def test_plugged_in_values_equal_point_derivatives(derivation):
    at, s, history = derivation
    i = int(history.points_used(8)[0])
    d = point_derivatives(history.w[7], history.b[7], s.X[i], s.y[i])
    shown = {
        "z": last_number(latex_ending(at, "z =")),
        "y_hat": last_number(latex_ending(at, r"\hat y =")),
        "loss": last_number(latex_ending(at, "L(y")),
        "dL_dyhat": last_number(latex_ending(at, r"\frac{\partial L}{\partial \hat y}")),
        "dyhat_dw1": last_number(latex_ending(at, r"\frac{\partial \hat y}{\partial w_1}")),
        "dyhat_dw2": last_number(latex_ending(at, r"\frac{\partial \hat y}{\partial w_2}")),
        "dyhat_db": last_number(latex_ending(at, r"\frac{\partial \hat y}{\partial b}")),
    }
    products = [f for f in formulas(at) if f.startswith(r"\begin{aligned}\frac")]
    shown |= dict(zip(("dL_dw1", "dL_dw2", "dL_db"), map(last_number, products), strict=True))
    for name, value in shown.items():
        assert_allclose(value, getattr(d, name), rtol=FOUR_DIGITS, err_msg=name)
        if name != "y_hat":  # ŷ has the decimals that 1 − ŷ needs, maybe more than 4
            assert tex(getattr(d, name)) in " ".join(formulas(at)), name


def test_every_factor_has_a_passing_finite_difference_check(derivation):
    at, *_ = derivation
    checks = [m.value for m in at.markdown if m.value.startswith("**Finite-difference check:**")]
    assert len(checks) == 7
    digits = [int(re.search(r"agree to (\d+) significant digits", c).group(1)) for c in checks]
    assert min(digits) >= 6


def test_the_update_equals_the_next_step_of_the_run(derivation):
    at, _, history = derivation
    (lines,) = [f for f in formulas(at) if r"\leftarrow" in f]
    rows = lines.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r"\\")
    shown = [last_number(row) for row in rows]
    assert_allclose(shown, [*history.w[8], history.b[8]], rtol=FOUR_DIGITS, atol=1e-12)
    (success,) = at.success
    assert "This is exactly update 8" in success.value
    w1, w2, b = map(float, re.findall(r"= (-?[\d.e+-]+)[,:]", success.value)[:3])
    assert_allclose([w1, w2, b], [*history.w[8], history.b[8]], rtol=FOUR_DIGITS)


def test_another_point_says_which_point_the_update_uses(derivation):
    at, s, history = derivation
    used = int(history.points_used(8)[0])
    at.selectbox(key="deriv_point").set_value((used + 1) % len(s.y)).run()
    no_exceptions(at)
    assert not at.success
    assert any(f"uses point #{used + 1}, not this one" in i.value for i in at.info)


def test_changing_the_step_moves_the_shared_step_and_the_point():
    s = overlapping(step=3, shuffle=True, seed=5)
    history = train(s.X, s.y, s.config)
    at = open_page(DERIVATION, s)
    at.number_input(key="deriv_step").set_value(12).run()
    no_exceptions(at)
    assert at.session_state["scenario"].step == 12
    assert at.selectbox(key="deriv_point").value == history.points_used(13)[0]


def test_contributions_average_to_the_gradient(derivation):
    at, _, history = derivation
    (check,) = [
        d.value for d in at.dataframe if "mean of the column over all points" in d.value.index
    ]
    full = check.loc["mean of the column over all points"].astype(float).to_numpy()
    model = check.loc["∂L/∂w1, ∂L/∂w2, ∂L/∂b of the mean loss"].astype(float).to_numpy()
    assert_allclose(full, model, rtol=FOUR_DIGITS)
    used = check.loc["what update 8 used (Playground)"].astype(float).to_numpy()
    assert_allclose(used, [*history.grad_w[7], history.grad_b[7]], rtol=FOUR_DIGITS)


def test_the_contribution_chart_colours_misclassified_points(derivation):
    at, s, history = derivation
    (chart,) = at.get("plotly_chart")
    traces = {t["name"]: t for t in json.loads(chart.proto.spec)["data"]}
    assert set(traces) == {"misclassified", "correct"}
    z = s.X @ history.w[7] + history.b[7]
    wrong = int(np.sum((z >= 0) != (s.y == 1)))
    assert len(traces["misclassified"]["x"]) == wrong
    assert traces["misclassified"]["marker"]["color"] != traces["correct"]["marker"]["color"]


def test_batch_mode_shows_the_batch_mean_and_the_next_step():
    s = overlapping(step=4, mode="minibatch", batch_size=6)
    history = train(s.X, s.y, s.config)
    at = open_page(DERIVATION, s)
    no_exceptions(at)
    (lines,) = [f for f in formulas(at) if r"\leftarrow" in f]
    rows = lines.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r"\\")
    assert_allclose([last_number(r) for r in rows], [*history.w[5], history.b[5]], rtol=FOUR_DIGITS)
    (table,) = [d.value for d in at.dataframe if "derivative" in d.value.columns]
    assert_allclose(
        table["batch mean (update 5)"], [*history.grad_w[4], history.grad_b[4]], rtol=1e-12
    )


def test_a_saturated_point_is_explained():
    # Only beyond |z| ≈ 708 does float64 run out: ŷ(1 − ŷ) ≈ e^−|z| is then subnormal or 0.
    s = default_scenario().replace(init="custom", w0=(-300.0, 200.0), b0=-3.0)
    at = open_page(DERIVATION, s)
    at.selectbox(key="deriv_point").set_value(5).run()  # z = −798.4
    no_exceptions(at)
    assert any("float64 runs out of digits" in w.value for w in at.warning)
    checks = [m.value for m in at.markdown if m.value.startswith("**Finite-difference check:**")]
    assert any("cannot see the change" in c for c in checks)
    (lines,) = [f for f in formulas(at) if r"\leftarrow" in f]
    assert "NaN" not in lines and "infty" not in lines


def test_the_last_step_has_no_next_update():
    s = overlapping(epochs=1)
    s = s.replace(step=s.n_updates())
    at = open_page(DERIVATION, s)
    no_exceptions(at)
    assert any("last state of this run" in m.value for m in at.markdown)


# ---------------------------------------------------------------- landscape


@pytest.mark.parametrize("view", ["Map over w1, w2", "3-D surface", "Map over w1, b"])
def test_each_landscape_view_draws_its_chart(view):
    s = overlapping(step=20)
    at = AppTest.from_file("../app.py", default_timeout=30)
    for key, value in scenario_to_params(s).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(LANDSCAPE)
    at.session_state["ls_view"] = view
    at.run()
    no_exceptions(at)
    (chart,) = at.get("plotly_chart")
    figure = json.loads(chart.proto.spec)
    kinds = {t["type"] for t in figure["data"]}
    assert ("surface" in kinds) == (view == "3-D surface")
    assert ("contour" in kinds) == (view != "3-D surface")
    names = {t.get("name") for t in figure["data"]}
    assert "descent path" in names and "step k = 20" in names


def test_start_training_here_sets_the_starting_weights():
    at = open_page(LANDSCAPE, overlapping(step=5))
    at.number_input(key="ls_w1").set_value(1.5)
    at.number_input(key="ls_w2").set_value(-2.0)
    at.number_input(key="ls_b").set_value(0.25)
    (start,) = [b for b in at.button if b.label == "Start training here"]
    start.click().run()
    no_exceptions(at)
    s = at.session_state["scenario"]
    assert (s.config.init, s.config.w0, s.config.b0, s.step) == ("custom", (1.5, -2.0), 0.25, 0)
    assert any("now starts at w1 = 1.5" in m for m in toasts(at))  # flashed: a toast


# ---------------------------------------------------------------- race


def test_the_race_runs_every_rate_and_states_its_rule():
    s = overlapping(epochs=20)
    at = open_page(RACE, s)
    no_exceptions(at)
    assert len(at.get("plotly_chart")) == 3
    page = " ".join(m.value for m in at.markdown)
    for label in ("converging", "oscillating", "diverging", "too slow"):
        assert f"**{label}**" in page  # the rule lists every verdict
    loss_chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [t["name"] for t in loss_chart["data"]] == [f"α = {r:g}" for r in (0.01, 0.1, 1, 10)]


def test_the_race_names_the_verdicts_of_real_runs():
    X, y = make_dataset("overlapping", n=100, seed=0)
    at = open_page(RACE, default_scenario().with_points(X, y))
    boundaries = json.loads(at.get("plotly_chart")[2].proto.spec)
    names = [t["name"] for t in boundaries["data"] if t["name"].startswith("α")]
    assert names == ["α = 0.01: converging", "α = 0.1: converging", "α = 1: oscillating",
                     "α = 10: diverging"]  # fmt: skip


def test_the_race_says_when_the_weights_grow_without_bound():
    at = open_page(RACE)  # the default points are separable
    assert any("grow without bound" in i.value for i in at.info)


def test_a_race_over_budget_runs_fewer_epochs_and_says_so():
    X, y = make_dataset("overlapping", n=500, seed=1)
    at = open_page(RACE, default_scenario().with_points(X, y).replace(epochs=120))
    no_exceptions(at)
    (warning,) = at.warning
    assert "each run makes 100 epochs" in warning.value


def test_fewer_than_two_rates_asks_for_more():
    at = open_page(RACE)
    at.multiselect(key="race_rates").set_value([0.1]).run()
    assert any("at least two" in i.value for i in at.info)
    assert not at.get("plotly_chart")


# ---------------------------------------------------------------- no points


@pytest.mark.parametrize("path", [DERIVATION, LANDSCAPE, RACE])
def test_without_points_each_page_says_what_to_do(path):
    empty = default_scenario().with_points(np.zeros((0, 2)), np.zeros(0))
    at = open_page(path, empty)
    no_exceptions(at)
    assert any("no points yet" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.latex
