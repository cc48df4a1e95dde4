"""axe-core (the engine inside axe-playwright-python's wheel, so nothing comes from a CDN) on
every page of the app in a real Chromium: light and dark, presenter mode, and the
Playground with its Share popover and expanders open. No violation of impact "serious" or
"critical" may be left; every violation of any impact is printed (run with -s to read the
list). axe cannot see inside a chart: tests/test_palette.py checks the marks' contrast.

    CHROMIUM=/usr/bin/chromium .venv/bin/python -m pytest tests/test_browser_axe.py -s
"""

from __future__ import annotations

import pytest

from perceptron import default_scenario
from perceptron.links import scenario_to_query_string
from tests.browser_support import LAPTOP, PAGES, PROJECTOR, goto_page, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
sync_api = pytest.importorskip("playwright.sync_api")
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

# Step 5 of the default run: the pages show an update with its numbers, not step 0's zeros.
QUERY = scenario_to_query_string(default_scenario().replace(step=5))
BLOCKING = {"serious", "critical"}

# Streamlit's own markup that no page of ours can change. Each entry is (rule id, CSS
# selector of the one element it excuses); the violation must match both to be excused.
STREAMLIT_MARKUP: list[tuple[str, str]] = []

FOUND: list[tuple[str, str, str, int, str]] = []  # (state, rule, impact, count, one target)


@pytest.fixture(scope="module")
def axe():
    return axe_sync.Axe()


@pytest.fixture(scope="module")
def tabs(browser):
    """One browser tab per window size, reused by every test; the colour scheme is switched
    in place (Streamlit follows the system's scheme live), which spares a page load."""
    opened = {}

    def tab(viewport: dict):
        if viewport["width"] not in opened:
            context = browser.new_context(viewport=viewport)
            opened[viewport["width"]] = (context, context.new_page())
        page = opened[viewport["width"]][1]
        page.emulate_media(color_scheme="light")
        return page

    yield tab
    for context, _ in opened.values():
        context.close()


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield
    print("\naxe violations, every impact (state | rule | impact | count | one target):")
    for row in FOUND:
        print("  " + " | ".join(str(v) for v in row))


def open_expander(pg, title: str) -> None:
    summary = pg.locator("[data-testid=stExpander] summary", has_text=title)
    if summary.get_attribute("aria-expanded") != "true":
        summary.click()
    pg.wait_for_function(
        "(t) => Array.from(document.querySelectorAll('[data-testid=stExpander] details'))"
        ".some(d => d.open && d.querySelector('summary').innerText.includes(t))",
        arg=title,
    )
    wait_idle(pg)


def excused(rule: str, node: dict, pg) -> bool:
    matches = "([t, s]) => document.querySelector(t).matches(s)"
    return any(
        rule == r and pg.evaluate(matches, [node["target"][0], selector])
        for r, selector in STREAMLIT_MARKUP
    )


def violations(pg, axe, state: str) -> list[str]:
    """Run axe on the whole page; record every violation; return the serious and critical
    ones that no STREAMLIT_MARKUP entry excuses."""
    blocking = []
    for v in axe.run(pg).response["violations"]:
        nodes = [n for n in v["nodes"] if not excused(v["id"], n, pg)]
        row = (state, v["id"], v["impact"], len(v["nodes"]), " ".join(v["nodes"][0]["target"]))
        FOUND.append(row)
        if v["impact"] in BLOCKING and nodes:
            summary = nodes[0].get("failureSummary", "").replace("\n", " ")
            blocking.append(f"{state}: {v['id']} ({v['impact']}) x{len(nodes)}: "
                            f"{nodes[0]['html'][:160]} -> {summary[:240]}")  # fmt: skip
    return blocking


def in_both_schemes(pg, axe, state: str) -> list[str]:
    found = violations(pg, axe, f"{state}, light")
    pg.emulate_media(color_scheme="dark")
    pg.wait_for_function(
        "() => getComputedStyle(document.querySelector('[data-testid=stApp]'))"
        ".backgroundColor === 'rgb(14, 17, 23)'"
    )
    pg.wait_for_timeout(300)  # the charts redraw in the dark theme's colours
    return found + violations(pg, axe, f"{state}, dark")


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_has_no_serious_violation(server, tabs, axe, name):
    pg = tabs(LAPTOP)
    # The Playground as a newcomer first sees it (step 0, no query); the others at step 5.
    goto_page(pg, server, name, "" if name == "Playground" else QUERY)
    if name == "Playground":  # with its expander and the Share popover open
        open_expander(pg, "How to use this page")
        pg.get_by_role("button", name="Share this scenario").click()
        pg.locator("[data-testid=stPopoverBody] [data-testid=stCode]").wait_for()
        wait_idle(pg)
    if name == "Data":  # with the plain tables open
        open_expander(pg, "The points and the run as plain tables (for a screen reader)")
        pg.locator("[data-testid=stTable]").nth(1).wait_for()
    assert not (found := in_both_schemes(pg, axe, name)), "\n".join(found)


# Presenter mode where it changes more than text sizes and folded explanations (whose
# expanders the Playground covers): the Playground's order of parts, and the Derivation's
# formulas at 1.45 em, which could overflow their columns. The others cost a slow page load
# each (the Landscape takes 15 s or more on a busy 2-core machine) for markup seen above.
@pytest.mark.parametrize("name", ["Playground", "Derivation"])
def test_presenter_mode_has_no_serious_violation(server, tabs, axe, name):
    pg = tabs(PROJECTOR)
    goto_page(pg, server, name, QUERY + "&present=1")
    if name == "Playground":  # presenter mode folds these away; the sidebar is closed
        for title in ("What is this?", "Points: undo, clear, presets"):
            open_expander(pg, title)
    state = f"{name}, presenter"
    assert not (found := in_both_schemes(pg, axe, state)), "\n".join(found)


@pytest.mark.parametrize("mode", ["Predict each step", "Fit it by hand"])
def test_the_playgrounds_modes_have_no_serious_violation(server, tabs, axe, mode):
    """Predicting (a question answered and revealed, the next one asked) and fitting by hand
    (handles, halos, the downhill arrow, its own numbers and line chart)."""
    pg = tabs(LAPTOP)
    goto_page(pg, server, "Playground", QUERY)
    pg.get_by_role("radio", name=mode).click()
    pg.wait_for_function(
        "(m) => window.__ppChart && window.__ppChart.data && window.__ppChart.data.mode === m",
        arg={"Predict each step": "predict", "Fit it by hand": "hand"}[mode],
    )
    wait_idle(pg)
    if mode == "Predict each step":
        pg.locator(".pp-option").first.click()
        pg.locator(".pp-see").click()
        pg.locator(".pp-verdict").wait_for()
        wait_idle(pg)
    assert not (found := in_both_schemes(pg, axe, mode)), "\n".join(found)
