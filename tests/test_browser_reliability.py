"""Reliability in a real Chromium: many users at once, each alone, and impatient ones.

- Concurrent first visits: ten sessions open every page of a just-started server at the
  same moment (a fresh copy of the app, so even static/plotly-cartesian.min.js is made then).
- Session isolation: three users edit points, settings and steps at the same time; each
  sees only their own, and a newcomer sees the defaults.
- Rapid clicks: every button pressed ten times in quick succession; the page settles.
- Switching pages mid-run: during Play, and right after a Step, a sidebar link is followed.
"""

from __future__ import annotations

import os
import re
import time
from urllib.parse import parse_qs

import numpy as np
import pytest

from perceptron import Scenario, make_dataset
from perceptron.links import scenario_to_query_string
from perceptron.pointcodec import unpack_points
from tests.browser_support import (
    chart_points,
    choose_tool,
    copy_app,
    data_to_page,
    open_app,
    rendered_after,
    streamlit_process,
    wait_charts,
    wait_idle,
)
from ui import plotly_asset

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]
sync_api = pytest.importorskip("playwright.sync_api")

VIEWPORT = {"width": 1400, "height": 1300}
# Path, title and the least number of Plotly charts each page draws.
PAGES = {
    "": ("Perceptron Playground", 4),
    "Derivation": ("The derivation, with your numbers", 1),
    "Landscape": ("The loss landscape", 1),
    "Learning_rate_race": ("Learning-rate race", 3),
    "Data": ("Data: table, files, presets", 0),
}
SLOW = 90_000  # ms: ten first runs at once on two busy cores take a while
# Each round starts one more fresh server (~50 s here); more rounds make the race likelier.
FRESH_SERVER_ROUNDS = int(os.environ.get("PP_FRESH_SERVER_ROUNDS", "1"))


def new_page(browser):
    """A page in a context of its own (its own cookies: a separate Streamlit session)."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def close(*pages) -> None:
    for page in pages:
        page.context.close()


def no_exception(page) -> None:
    shown = [e.inner_text() for e in page.get_by_test_id("stException").all()]
    assert shown == [] and page.errors == []


STEPS = ("Start", "Back", "Step", "Epoch", "End")


def button(page, name: str):
    """The page's own button labelled ``name``: a step button of the chart component, or
    a Streamlit button (its text also holds the icon's name)."""
    if name in STEPS:
        return page.locator(f".pp-step[data-go={name.lower()}]")
    return (
        page.get_by_test_id("stMainBlockContainer")
        .locator("button[data-testid^=stBaseButton]")
        .filter(has_text=re.compile(rf"{name}[←→]?$"), visible=True)  # icon, label, shortcut
    )


def url_scenario(page) -> dict[str, str]:
    """The page's query parameters, read in the page: after many quick history.pushState
    calls Playwright's ``page.url`` can lag behind the address the page really has."""
    query = page.evaluate("location.search").removeprefix("?")
    return {k: v[-1] for k, v in parse_qs(query).items()}


def shown_k(page) -> int:
    """The step the chart component shows (the browser's own, see ui/contract.py)."""
    return int(page.evaluate("document.querySelector('.pp-root').dataset.k"))


def settle(page, quiet: float = 1.0, timeout: float = 60) -> None:
    """Wait until no script has run and the charts have not redrawn for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    state = None
    calm_since = time.monotonic()
    while time.monotonic() < deadline:
        now = page.evaluate(
            "() => { const a = document.querySelector('[data-testid=stApp]');"
            " const r = document.querySelector('.pp-root');"
            " return [a.dataset.testScriptState, a.dataset.testConnectionState,"
            " r ? r.dataset.rendered : null]; }"
        )
        if now != state or now[0] != "notRunning":
            state, calm_since = now, time.monotonic()
        elif time.monotonic() - calm_since >= quiet:
            wait_idle(page)
            return
        time.sleep(0.1)
    raise TimeoutError(f"the page did not settle: {state}")


# ---------------------------------------------------------------- 1. concurrent first visits


PAGE_STATE = (
    "() => { const a = document.querySelector('[data-testid=stApp]');"
    " const h = document.querySelector('[data-testid=stMainBlockContainer] h1');"
    " return [a && a.dataset.testScriptState, a && a.dataset.testConnectionState,"
    " h && h.textContent, document.querySelectorAll('.js-plotly-plot').length,"
    " [...document.querySelectorAll('[data-testid=stException]')]"
    ".map(e => e.innerText.slice(0, 600))]; }"
)


def wait_rendered(pages, timeout: float) -> None:
    """Wait until every (path, page) shows its title, has finished its run and drawn its
    charts; on timeout, say where each page got to."""
    deadline = time.monotonic() + timeout
    while True:
        states = [page.evaluate(PAGE_STATE) for _, page in pages]
        done = [
            s[0] == "notRunning" and s[1] == "CONNECTED" and s[2] == PAGES[path][0]
            and s[3] >= PAGES[path][1]
            for (path, _), s in zip(pages, states, strict=True)
        ]  # fmt: skip
        if all(done) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert all(done), [
        (path or "Playground", s) for (path, _), s in zip(pages, states, strict=True)
    ]


@pytest.mark.parametrize("round_", range(1, FRESH_SERVER_ROUNDS + 1))
def test_concurrent_first_visits_render_every_page(browser, tmp_path, round_):
    """Ten sessions at once, two on each page, are a fresh server's very first visitors.

    Each round uses a new server on a fresh copy of the app: its script threads import
    numpy, pandas and plotly for the first time together, and copy Plotly.js together.
    """
    root = copy_app(tmp_path / "app")
    log = tmp_path / "server.log"
    with streamlit_process(root=root, log_file=log) as (url, _):
        pages = [(path, new_page(browser)) for path in list(PAGES) * 2]
        for path, page in pages:  # start every navigation before waiting for any
            page.goto(f"{url}/{path}", wait_until="commit")
        wait_rendered(pages, SLOW / 1000)
        for path, page in pages:
            wait_idle(page)
            if path == "":
                wait_charts(page)
                assert sum(len(v) for v in chart_points(page).values()) == 20
            no_exception(page)
        close(*(page for _, page in pages))
    server_output = log.read_text()
    assert "Traceback" not in server_output and "partially initialized" not in server_output
    assert sorted(p.name for p in (root / "static").iterdir()) == [plotly_asset.FILE_NAME]


# ---------------------------------------------------------------- 2. session isolation


def near(point, target, tolerance: float = 0.1) -> bool:
    """Within ``tolerance`` (a click lands on a whole pixel, ~1/40 of a unit here)."""
    return abs(point[0] - target[0]) <= tolerance and abs(point[1] - target[1]) <= tolerance


def click_at(page, x: float, y: float) -> None:
    rendered_after(page, lambda: page.mouse.click(*data_to_page(page, x, y)))


def test_sessions_never_see_each_others_points_settings_or_steps(browser, server):
    a, b, c = (new_page(browser) for _ in range(3))
    for page in (a, b, c):
        page.goto(server + "/", wait_until="commit")
    for page in (a, b, c):
        wait_idle(page)
        wait_charts(page)
    # Interleaved, so every change happens while the other sessions are live.
    rendered_after(a, lambda: button(a, "Clear").click())
    choose_tool(b, "Class 1")
    exact = c.get_by_role("spinbutton", name="Exact learning rate")
    exact.fill("0.5")
    rendered_after(c, lambda: exact.press("Enter"))
    click_at(a, 1.25, 2.5)
    click_at(b, -3.75, 3.5)
    rendered_after(c, lambda: button(c, "Epoch").click())
    click_at(a, -2.5, -1.25)
    for _ in range(3):
        rendered_after(b, lambda: b.keyboard.press("ArrowRight"))

    settle(a), settle(b), settle(c)
    default = 20
    seen = {page: chart_points(page) for page in (a, b, c)}
    assert seen[a]["class1"] == [] and len(seen[a]["class0"]) == 2
    assert near(seen[a]["class0"][0], (1.25, 2.5)) and near(seen[a]["class0"][1], (-2.5, -1.25))
    assert len(seen[b]["class0"]) + len(seen[b]["class1"]) == default + 1
    assert any(near(p, (-3.75, 3.5)) for p in seen[b]["class1"])
    assert not any(near(p, (-3.75, 3.5)) for p in seen[a]["class1"] + seen[c]["class1"])
    assert sum(map(len, seen[c].values())) == default
    assert [shown_k(p) for p in (a, b, c)] == [0, 3, 20]
    assert [url_scenario(p).get("lr") for p in (a, b, c)] == [None, None, "0.5"]
    for page in (a, b, c):
        X, _ = unpack_points(url_scenario(page)["pts"])
        assert len(X) == sum(map(len, seen[page].values()))
        no_exception(page)

    newcomer = new_page(browser)
    open_app(newcomer, server)
    assert sum(map(len, chart_points(newcomer).values())) == default
    assert shown_k(newcomer) == 0 and "lr" not in url_scenario(newcomer)
    close(a, b, c, newcomer)


# ---------------------------------------------------------------- 3. rapid clicks


def hammer(page, name: str, times: int = 10) -> None:
    """Click where the button ``name`` is, ``times`` times in quick succession, as a person
    would: the same spot each time, whatever the page does in between (a message appearing
    at the top moves the buttons, and a later click may land on something else)."""
    box = button(page, name).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for _ in range(times):
        page.mouse.click(x, y)
        page.wait_for_timeout(30)


def consistent(page) -> tuple[int, int]:
    """The settled page agrees with itself: charts, URL and step text. Returns (k, points)."""
    settle(page)
    no_exception(page)
    wait_charts(page)
    params = url_scenario(page)
    k = int(params.get("k", 0))
    n_points = sum(map(len, chart_points(page).values()))
    X, _ = unpack_points(params["pts"])
    assert shown_k(page) == k and len(X) == n_points
    assert page.locator(".pp-pending").count() == 0
    return k, n_points


def test_every_button_pressed_ten_times_fast_leaves_a_consistent_page(browser, server):
    page = new_page(browser)
    open_app(page, server, "?ep=5")  # 20 points × 5 epochs = 100 updates
    # The stepper: no message appears, so every click lands on its button.
    hammer(page, "Step")
    k, _ = consistent(page)
    assert 1 <= k <= 10
    hammer(page, "Back")
    assert consistent(page)[0] < k
    hammer(page, "Epoch")
    k, _ = consistent(page)
    assert k % 20 == 0 and 20 <= k <= 100
    hammer(page, "End")
    assert consistent(page) == (100, 20)
    hammer(page, "Start")
    assert consistent(page) == (0, 20)
    # The point tools say what they did at the top of the page, which moves the page.
    hammer(page, "Clear")
    assert consistent(page)[1] == 0
    hammer(page, "Undo")
    assert consistent(page)[1] in (0, 20)
    hammer(page, "Load")  # the preset picker's choice, "separable", in full
    assert consistent(page)[1] in (0, 20, len(make_dataset("separable")[1]))
    hammer(page, "Undo")
    consistent(page)
    page.locator("h1").click()  # keys go to the page, not to a focused widget
    for key in ("ArrowRight", "End", "ArrowLeft", "Home", "PageDown"):
        for _ in range(10):
            page.keyboard.press(key)
        consistent(page)
    close(page)


def test_a_burst_of_end_after_start_ends_at_the_end(browser, server):
    """Regression: the scrubber's value was rewritten by the server every run, so a click
    sent before the browser drew the new step reported the old value as a scrubber move,
    and its callback took the step back: End clicked quickly often ended at step 0."""
    page = new_page(browser)
    open_app(page, server, "?ep=5")
    for _ in range(3):
        hammer(page, "End")
        assert consistent(page) == (100, 20)
        rendered_after(page, lambda: button(page, "Start").click())
    close(page)


# ---------------------------------------------------------------- 4. switching pages mid-run


def follow_link(page, label: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=label).click()


def test_leaving_during_play_or_a_rerun_and_coming_back(browser, server):
    X, y = make_dataset("overlapping", n=20, seed=5)
    s = Scenario.of(X, y, epochs=3, preset="overlapping")  # 60 updates: Play ends off the page
    page = new_page(browser)
    open_app(page, server, scenario_to_query_string(s))
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => document.querySelector('.pp-status').textContent.startsWith('Playing')"
    )
    follow_link(page, "Loss landscape")
    page.locator("h1", has_text="The loss landscape").wait_for()
    page.wait_for_timeout(4_000)  # Play's run ends meanwhile, in the page left behind
    settle(page)
    no_exception(page)
    assert page.locator("h1").inner_text() == "The loss landscape"

    follow_link(page, "Playground")
    page.locator("h1", has_text="Perceptron Playground").wait_for()
    k, n = consistent(page)
    assert 0 <= k <= 60 and n == 20

    # Leave right after a Step, before the pause would tell the server, several times
    # over: the step is told as the link is pressed, and the other page opens at it.
    for label, title in [
        ("Chain rule, step by step", "The derivation, with your numbers"),
        ("Learning-rate race", "Learning-rate race"),
        ("Data: table, files, presets", "Data: table, files, presets"),
    ]:
        button(page, "Step").click(force=True)
        follow_link(page, label)
        page.locator("h1", has_text=title).wait_for()
        settle(page)
        no_exception(page)
        assert url_scenario(page).get("k") == str(k + 1), label
        follow_link(page, "Playground")
        page.locator("h1", has_text="Perceptron Playground").wait_for()
        k2, n2 = consistent(page)
        assert n2 == 20 and k2 == k + 1
        k = k2
        k = k2
    close(page)


def test_a_number_typed_beyond_its_limits_is_refused_in_the_browser(browser, server):
    """Regression: "1e400" typed as the learning rate made it 0.001, as w1 made it −10000."""
    page = new_page(browser)
    open_app(page, server, "?init=custom&lr=0.5")
    for label, typed in [("Exact learning rate", "1e400"), ("w1", "1e400"), ("w1", "-1e400")]:
        box = page.get_by_role("spinbutton", name=label, exact=True)
        box.fill(typed)
        box.press("Enter")
        page.get_by_text("That setting was not applied").wait_for()
        settle(page)
        no_exception(page)
        params = url_scenario(page)
        assert params.get("lr") == "0.5" and "w1" not in params
    assert np.isclose(
        float(page.get_by_role("spinbutton", name="Exact learning rate").input_value()), 0.5
    )
    close(page)


def test_the_arrow_keys_step_right_after_choosing_a_class_and_placing_a_point(browser, server):
    """Regression: Plotly cancels mousedown, so the class picker kept the focus after a click
    on the chart and swallowed the Right arrow: Step's own shortcut did nothing."""
    page = new_page(browser)
    open_app(page, server)
    choose_tool(page, "Class 1")
    click_at(page, -3.75, 3.5)
    rendered_after(page, lambda: page.keyboard.press("ArrowRight"))
    assert shown_k(page) == 1
    rendered_after(page, lambda: page.keyboard.press("ArrowLeft"))
    assert shown_k(page) == 0
    close(page)
