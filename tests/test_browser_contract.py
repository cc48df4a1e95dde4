"""The boundary between Python and the chart component: declared once, kept by both sides.

- what ``chart_data`` builds has exactly the keys ``ui.contract`` declares, and the JS
  reads no key it does not declare;
- the one formula the browser evaluates (σ, for the ŷ shading) and the point masks it
  decodes agree with ``perceptron`` over many random cases, run in Chromium itself.
"""

import base64
import re
import typing

import numpy as np
import pytest

from perceptron import default_scenario, make_dataset
from perceptron.frames import point_mask, shading_grid
from perceptron.links import scenario_to_params
from tests.test_app_playground import component_data, open_app
from ui import contract
from ui.chart import component_js

JS = component_js()
CODE = re.sub(r"//[^\n]*", "", JS)  # the JS without its comments


def declared(kind) -> set[str]:
    return set(typing.get_type_hints(kind))


def test_play_frames_keep_the_contract():
    at = open_app(k="3")
    at.session_state["autoplay"] = True  # what Play's report asks for
    data = component_data(at.run())
    assert data["autoplay"] and data["frames"][0]["k"] == 3
    for frame in data["frames"]:
        assert set(frame) == declared(contract.Frame), frame["k"]


@pytest.mark.parametrize("params", [{}, {"k": "3"}, {"pre": "xor", "mode": "batch"}])
def test_the_payload_has_exactly_the_declared_keys(params):
    data = component_data(open_app(**params))
    assert set(data) == declared(contract.Payload)
    assert data["version"] == contract.VERSION
    assert data["records"] and data["frames"] == []  # frames come when Play asks
    for record in data["records"]:
        assert set(record) == declared(contract.StepRecord), record["k"]
    for frame in data["frames"]:
        assert set(frame) == declared(contract.Frame), frame["k"]
    ks = [r["k"] for r in data["records"]]
    assert ks == sorted(set(ks)) and 0 in ks and data["n_updates"] in ks and data["k"] in ks


def test_with_no_points_the_payload_still_keeps_the_contract():
    s = default_scenario().with_points(np.zeros((0, 2)), np.zeros(0))
    data = component_data(open_app(**scenario_to_params(s)))
    assert set(data) == declared(contract.Payload)
    (record,) = data["records"]
    assert set(record) == declared(contract.StepRecord)


def test_the_browser_reads_only_declared_keys():
    payload = declared(contract.Payload)
    record = declared(contract.StepRecord)
    reads = {
        "payload": set(re.findall(r"(?<![.\w])(?:state\.data|data|d)\.([a-z_]+)", CODE)),
        "record": set(re.findall(r"\b(?:rec|frame)\.([a-z_]+)", CODE)),
    }
    assert reads["payload"] and reads["record"]
    # Array and DOM members read through the same names are not payload keys.
    builtin = {"length", "map", "filter", "forEach", "slice", "dataset"}
    assert reads["payload"] - builtin <= payload, reads["payload"] - payload
    assert reads["record"] - builtin <= record, reads["record"] - record


def test_the_page_ships_no_test_hooks():
    """The only global the component sets is its own state (kept across remounts); timing
    goes through the browser's User Timing, which the benchmarks read."""
    globals_set = set(re.findall(r"window\.(\w+)\s*=(?!=)", CODE))
    assert globals_set == {"__ppChart"}, globals_set
    assert "performance.measure(" in CODE


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def js(browser):
    """The component's own functions, loaded into a blank page; the test (not the page)
    exposes the few it checks."""
    page = browser.new_page()
    page.set_content("<html><body></body></html>")
    source = JS + "\nwindow.__checked = { sigmoid, shadingValues, maskPoints };\n"
    page.add_script_tag(content=source, type="module")
    page.wait_for_function("() => window.__checked !== undefined")
    yield page
    page.close()


@pytest.mark.browser
def test_the_browser_shading_is_the_cores_y_hat(js):
    rng = np.random.default_rng(7)
    for case in range(60):
        scale = 10.0 ** rng.uniform(-3, 2.5)  # up to |z| of several hundred
        w, b = rng.normal(size=2) * scale, float(rng.normal() * scale)
        x0, y0 = rng.uniform(-50, 50, size=2)
        view = ((x0, x0 + rng.uniform(0.1, 40)), (y0, y0 + rng.uniform(0.1, 40)))
        gx, gy, expected = shading_grid(w, b, *view)
        got = js.evaluate(
            "([g, w, b]) => window.__checked.shadingValues(g, w, b)",
            [{"x": gx.tolist(), "y": gy.tolist()}, w.tolist(), b],
        )
        # z = w1·x1 + w2·x2 + b rounds in its last bit either way; e^z carries that
        # rounding times |z| (up to ~700 here): 1e-13 of ŷ.
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0, err_msg=str(case))


@pytest.mark.browser
def test_the_browser_sigmoid_keeps_both_tails(js):
    z = np.concatenate([np.linspace(-745, 745, 301), [-40.0, -1e-9, 0.0, 1e-9, 40.0]])
    from perceptron.model import sigmoid

    got = js.evaluate("(zs) => zs.map((z) => window.__checked.sigmoid(z))", z.tolist())
    np.testing.assert_allclose(got, sigmoid(z), rtol=1e-13, atol=0)


@pytest.mark.browser
def test_the_browser_reads_the_point_masks_as_perceptron_writes_them(js):
    rng = np.random.default_rng(3)
    X, _ = make_dataset("overlapping", n=2000, seed=1)
    for n in (0, 1, 7, 8, 9, 200, 2000):
        mask = rng.random(n) < rng.uniform(0, 1)
        text = point_mask(mask)
        assert base64.b64decode(text) is not None
        got = js.evaluate("([m, X]) => window.__checked.maskPoints(m, X)", [text, X[:n].tolist()])
        np.testing.assert_array_equal(
            np.column_stack([got["x"], got["y"]]).reshape(-1, 2), X[:n][mask]
        )
