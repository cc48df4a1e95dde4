"""Numeric extremes through the UI: every page, every chart payload, every number shown.

Each extreme scenario (the largest learning rate for the most epochs, points a million
apart, a single point, one class only, duplicate points, a saturated start) is put into
the session and every page is opened with it. What the browser would receive must hold
only finite numbers (no NaN or Infinity literals in any JSON), no text may show a
non-finite number except where the Derivation page explains floating-point saturation,
and the race must call a run "diverging" exactly when its loss ended higher than it began.
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import replace

import numpy as np
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from perceptron import MAX_UPDATES, Scenario, make_dataset, train
from perceptron.model import loss
from perceptron.race import race_epochs

APP = "../app.py"
PAGES = [
    "pages/1_Derivation.py",
    "pages/2_Landscape.py",
    "pages/3_Learning_rate_race.py",
    "pages/4_Data.py",
    "app.py",
]
RACE_RATES = (0.01, 0.1, 1.0, 10.0)  # the race page's default rates
NON_FINITE_TEXT = re.compile(r"\b(?:nan|inf|infinity)\b|∞|\\infty", re.IGNORECASE)
# The Derivation page shows ∂L/∂ŷ = −(y−ŷ)/(ŷ(1−ŷ)) and its product with ∂ŷ/∂w literally,
# to explain why the code never computes them when ŷ rounds to 0 or 1 (its warning says so).
SATURATION_WARNING = "rounds to exactly"
SATURATION_PLACES = (
    r"\frac{\partial L}{\partial \hat y} = -\frac{y - \hat y}",
    "before cancelling",
    SATURATION_WARNING,
)


def separable(n=20):
    return make_dataset("separable", n=n, seed=0)


def far_apart():
    """The overlapping blobs stretched to ±1e6 (the coordinate limit)."""
    X, y = make_dataset("overlapping", n=40, seed=3)
    return np.clip(np.round(X * 2.5e5), -1e6, 1e6), y


SEPARABLE = separable()
CORNERS = (np.array([[-1e6, -1e6], [1e6, 1e6], [1e6, -1e6], [-1e6, 1e6]]), np.array([0, 1, 1, 0]))
DUPLICATES = (np.array([[1.0, 1.0]] * 6 + [[-2.0, 0.5]] * 3), np.array([0, 0, 0, 1, 1, 1, 1, 1, 1]))

EXTREMES = {
    "lr 10, batch, 10,000 epochs": Scenario.of(
        *SEPARABLE, learning_rate=10, epochs=10_000, mode="batch"
    ),
    "lr 10, per point, the update limit": Scenario.of(*SEPARABLE, learning_rate=10, epochs=10_000),
    "lr 10, mini-batches of 1, shuffled": Scenario.of(
        *SEPARABLE, learning_rate=10, epochs=10_000, mode="minibatch", batch_size=1, shuffle=True
    ),
    "points a million apart": Scenario.of(*far_apart(), learning_rate=10, epochs=2_000),
    "corners at ±1e6": Scenario.of(*CORNERS, learning_rate=10, epochs=10_000, mode="batch"),
    "a single point": Scenario.of(
        np.array([[3.0, -1.0]]), np.array([1]), learning_rate=10, epochs=10_000
    ),
    "one class only": Scenario.of(SEPARABLE[0][:8], np.zeros(8), learning_rate=10, epochs=5_000),
    "duplicate points, both labels": Scenario.of(*DUPLICATES, learning_rate=10, epochs=3_000),
    "all points at the origin": Scenario.of(
        np.zeros((4, 2)), np.array([0, 1, 0, 1]), learning_rate=10
    ),
    "saturated start at ±1e4": Scenario.of(
        *SEPARABLE, init="custom", w0=(1e4, -1e4), b0=1e4, learning_rate=10, epochs=500
    ),
}


# ---------------------------------------------------------------- what the page holds


def _reject_constant(name: str):
    raise ValueError(f"non-finite literal {name} in JSON")


def non_finite_in_json(text: str) -> list[str]:
    """Where the JSON ``text`` holds a non-finite number (NaN/Infinity literal or in bdata)."""
    return _non_finite(json.loads(text, parse_constant=_reject_constant), "")


def _non_finite(value, path: str, allowed=lambda text: False) -> list[str]:
    """Paths in ``value`` to non-finite numbers, and to text showing one unless ``allowed``."""
    if isinstance(value, dict):
        found = []
        if isinstance(value.get("bdata"), str) and "dtype" in value:  # a numpy array, base64
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if array.dtype.kind == "f" and not np.all(np.isfinite(array)):
                found.append(path)
        for key, item in value.items():
            found += _non_finite(item, f"{path}/{key}", allowed)
        return found
    if isinstance(value, list):
        return [
            p for i, item in enumerate(value) for p in _non_finite(item, f"{path}[{i}]", allowed)
        ]
    if isinstance(value, float) and not math.isfinite(value):
        return [path]
    if isinstance(value, str) and NON_FINITE_TEXT.search(value) and not allowed(value):
        return [f"{path}: {value[:160]!r}"]
    return []


def elements(node) -> list:
    found = []
    for child in getattr(node, "children", {}).values():
        found += elements(child) if isinstance(child, Block) else [child]
    return found


def problems(at: AppTest, page: str) -> list[str]:
    """Every exception, non-finite number in a payload, or non-finite number in text."""
    found = [f"exception: {e.value}" for e in at.exception]
    saturated = any(SATURATION_WARNING in w.value for w in at.warning)

    def explains_saturation(text: str) -> bool:
        return (
            saturated
            and page.endswith("Derivation.py")
            and any(place in text for place in SATURATION_PLACES)
        )

    for element in elements(at._tree):
        kind = getattr(element, "type", "")
        if kind == "bidi_component":
            found += [f"chart data {p}" for p in non_finite_in_json(element.proto.json)]
            continue
        if kind == "plotly_chart":
            found += [f"plotly figure {p}" for p in non_finite_in_json(element.proto.spec)]
            continue
        found += _non_finite(MessageToDict(element.proto), kind, explains_saturation)
    return found


def open_with(s: Scenario) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.session_state["scenario"] = s
    return at.run()


# ---------------------------------------------------------------- every page, every extreme


@pytest.mark.parametrize("name", EXTREMES)
def test_every_page_shows_only_finite_numbers(name):
    s = EXTREMES[name]
    assert s.n_updates() <= MAX_UPDATES
    at = open_with(s)
    K = s.n_updates()
    for k in sorted({0, 1, K // 2, K - 1, K}):
        at.session_state["scenario"] = s.replace(step=k)
        at.run()
        assert problems(at, "app.py") == [], (name, k)
        data = json.loads(at.get("bidi_component")[0].proto.json)
        assert data["k"] == k and data["n_updates"] == K
    for page in PAGES:
        at.switch_page(page).run()
        assert problems(at, page) == [], (name, page)
        assert at.session_state["scenario"] == s.replace(step=K)


def test_the_derivation_explains_a_saturated_point():
    """The one place a non-finite number may show: ∂L/∂ŷ when ŷ rounds to exactly 0 or 1."""
    at = open_with(EXTREMES["saturated start at ±1e4"].replace(step=0))
    at.switch_page("pages/1_Derivation.py").run()
    assert any(SATURATION_WARNING in w.value for w in at.warning)
    assert problems(at, "pages/1_Derivation.py") == []
    # The derivatives the update uses stay finite: −(y − ŷ)·x, computed directly.
    update = [f.value for f in at.latex if r"\leftarrow" in f.value]
    assert update and not NON_FINITE_TEXT.search(update[0])


# ---------------------------------------------------------------- the race's verdicts


def expected_diverging(s: Scenario, rate: float) -> bool:
    """The rule's first clause, checked on an independent run: loss at the end > 1.05 × start."""
    config = s.config
    epochs, _ = race_epochs(len(s.y), config, len(RACE_RATES))
    run = train(s.X, s.y, replace(config, learning_rate=rate, epochs=epochs))
    first = loss(*run.state(0), s.X, s.y)
    last = loss(*run.state(run.n_updates), s.X, s.y)
    return not math.isfinite(last) or last > 1.05 * first


@pytest.mark.parametrize(
    "name", ["points a million apart", "corners at ±1e6", "lr 10, per point, the update limit"]
)
def test_the_race_says_diverging_exactly_where_the_loss_climbed(name):
    s = EXTREMES[name]
    at = open_with(s)
    at.switch_page("pages/3_Learning_rate_race.py").run()
    assert problems(at, "race") == []
    boundaries = json.loads(at.get("plotly_chart")[2].proto.spec)
    shown = {
        float(t["name"].split(":")[0].removeprefix("α = ")): t["name"].split(": ")[1]
        for t in boundaries["data"]
        if t["name"].startswith("α")
    }
    assert sorted(shown) == list(RACE_RATES)
    expected = {rate: expected_diverging(s, rate) for rate in RACE_RATES}
    for rate, label in shown.items():
        assert label.startswith("diverging") == expected[rate], (rate, label)
    if name == "points a million apart":
        assert expected[10.0]  # the far-apart overlapping blobs do blow up at α = 10


def test_the_check_itself_finds_non_finite_numbers():
    nan_array = base64.b64encode(np.array([1.0, np.nan]).tobytes()).decode()
    assert non_finite_in_json(json.dumps({"x": {"bdata": nan_array, "dtype": "f8"}})) == ["/x"]
    assert non_finite_in_json('{"text": "loss = nan"}') == ["/text: 'loss = nan'"]
    assert non_finite_in_json('{"text": "no information lost, all finite"}') == []
    with pytest.raises(ValueError, match="Infinity"):
        non_finite_in_json('{"y": [1, Infinity]}')
