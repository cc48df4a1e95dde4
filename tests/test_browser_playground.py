"""The Playground in a real Chromium against a real `streamlit run` server."""

from __future__ import annotations

import time

import pytest

from perceptron import Scenario, make_dataset
from perceptron.links import scenario_to_query_string
from tests.browser_support import (
    chart_points,
    choose_tool,
    data_to_page,
    open_app,
    rendered_after,
    streamlit_server,
    wait_charts,
    wait_idle,
)
from ui.nav import PAGES as NAV_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    context.close()


def boundary(page) -> list[list[float]]:
    """The boundary segment the data chart shows now (its drawn layer, Play included)."""
    return page.evaluate(
        "() => { const b = window.__ppChart.overlay.boundary; return [b.x, b.y]; }"
    )


def axis_span(page) -> tuple[float, float]:
    return tuple(
        page.evaluate(
            "() => { const l = document.querySelector('.pp-main')._fullLayout;"
            " return [l.xaxis.range[1] - l.xaxis.range[0], l.yaxis.range[1] - l.yaxis.range[0]]; }"
        )
    )


def near(points, target, span) -> bool:
    return any(
        abs(x - target[0]) <= 0.01 * span[0] and abs(y - target[1]) <= 0.01 * span[1]
        for x, y in points
    )


def test_clicks_place_points_of_the_selected_class_where_clicked(page, server):
    open_app(page, server)
    span = axis_span(page)
    before = chart_points(page)
    x, y = data_to_page(page, 2.345, 3.21)
    rendered_after(page, lambda: page.mouse.click(x, y))
    after = chart_points(page)
    assert len(after["class0"]) == len(before["class0"]) + 1
    assert len(after["class1"]) == len(before["class1"])
    assert near(after["class0"], (2.345, 3.21), span)

    choose_tool(page, "Class 1")
    x, y = data_to_page(page, -3.5, -4.25)
    rendered_after(page, lambda: page.mouse.click(x, y))
    after1 = chart_points(page)
    assert len(after1["class1"]) == len(before["class1"]) + 1
    assert near(after1["class1"], (-3.5, -4.25), span)
    assert not page.errors


def test_fast_clicks_all_land_once(page, server):
    open_app(page, server)
    n_before = sum(len(v) for v in chart_points(page).values())
    targets = [(-4.0 + i, 4.5 - 0.5 * i) for i in range(8)]
    for tx, ty in targets:
        x, y = data_to_page(page, tx, ty)
        page.mouse.click(x, y)
        page.wait_for_timeout(40)
    page.wait_for_function(
        "(n) => { const g = document.querySelector('.pp-main'); if (!g || !g.data) return false;"
        " let c = 0; for (const t of g.data)"
        " if (t.uid === 'class0' || t.uid === 'class1') c += t.x.length; return c >= n; }",
        arg=n_before + len(targets),
        timeout=20_000,
    )
    time.sleep(1.0)
    wait_idle(page)
    points = chart_points(page)
    assert sum(len(v) for v in points.values()) == n_before + len(targets)
    span = axis_span(page)
    for target in targets:
        assert near(points["class0"], target, span)
    assert page.locator(".pp-pending").count() == 0


def test_erase_removes_the_clicked_point_and_undo_restores_it(page, server):
    open_app(page, server)
    points = chart_points(page)["class1"]
    choose_tool(page, "Erase")
    x, y = data_to_page(page, *points[0])
    rendered_after(page, lambda: page.mouse.click(x, y))
    assert len(chart_points(page)["class1"]) == len(points) - 1
    rendered_after(page, lambda: page.get_by_role("button", name="Undo").click())
    assert len(chart_points(page)["class1"]) == len(points)


def test_step_moves_the_boundary_and_keys_step(page, server):
    open_app(page, server)
    assert boundary(page) == [[], []]  # w = 0 at step 0: no boundary yet
    assert "No decision boundary" in page.locator(".pp-note").inner_text()
    rendered_after(page, lambda: page.get_by_role("button", name="Step", exact=False).first.click())
    first = boundary(page)
    assert len(first[0]) == 2
    rendered_after(page, lambda: page.keyboard.press("ArrowRight"))
    rendered_after(page, lambda: page.keyboard.press("PageDown"))
    third = boundary(page)
    assert third != first
    assert "Update 3" in page.locator(".pp-numbers").inner_text()
    rendered_after(page, lambda: page.keyboard.press("ArrowLeft"))
    assert "Update 2" in page.locator(".pp-numbers").inner_text()


def test_a_pan_adds_no_point_and_survives_a_rerun(page, server):
    open_app(page, server)
    n_before = sum(len(v) for v in chart_points(page).values())
    x0, y0 = data_to_page(page, 0.0, 0.0)
    x1, y1 = data_to_page(page, 2.0, 0.0)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y0, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()
    panned = page.evaluate("document.querySelector('.pp-main')._fullLayout.xaxis.range")
    assert panned[0] == pytest.approx(-8.5, abs=0.3)
    rendered_after(page, lambda: page.get_by_role("button", name="Step", exact=False).first.click())
    assert page.evaluate(
        "document.querySelector('.pp-main')._fullLayout.xaxis.range"
    ) == pytest.approx(panned, abs=1e-6)
    assert sum(len(v) for v in chart_points(page).values()) == n_before


def test_play_animates_and_pause_reports_the_step(page, server):
    s = Scenario.of(*make_dataset("overlapping", n=40, seed=1), epochs=20, preset="overlapping")
    open_app(page, server, scenario_to_query_string(s))
    start = boundary(page)
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => document.querySelector('.pp-status').textContent.startsWith('Playing')"
    )
    page.wait_for_timeout(800)
    assert boundary(page) != start
    rendered_after(page, lambda: page.keyboard.press("p"))
    k = int(page.evaluate("new URL(location.href).searchParams.get('k')"))
    assert k > 5


def test_a_shared_link_opens_the_same_points_and_step(browser, server):
    X, y = make_dataset("imbalanced", n=30, seed=4)
    s = Scenario.of(X, y, learning_rate=0.5, epochs=5, step=7, preset="imbalanced")
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    pg = context.new_page()
    open_app(pg, server, scenario_to_query_string(s))
    shown = chart_points(pg)
    assert sorted(map(tuple, shown["class0"] + shown["class1"])) == sorted(map(tuple, X.tolist()))
    assert "Update 7" in pg.locator(".pp-numbers").inner_text()
    context.close()


# Each page and what shows that it rendered: (CSS selector, how many at least).
PAGE_CONTENT = {
    "": (".pp-main .main-svg", 1),  # the Playground's own chart
    "Derivation": (".katex", 10),  # the formulas, with numbers
    "Landscape": (".js-plotly-plot", 1),
    "Learning_rate_race": (".js-plotly-plot", 3),  # loss, ‖w‖, boundaries
    "Data": ("[data-testid=stDataFrame], [data-testid=stDataEditor]", 1),
    "Challenges": (".st-key-gallery [data-testid=stImage]", 6),  # a QR code per challenge
}


@pytest.mark.parametrize("path", list(PAGE_CONTENT))
def test_every_page_opens_from_a_deep_link_on_a_fresh_server(browser, path):
    """A link straight to a page, as the first request a new server gets, renders it whole."""
    with streamlit_server() as url:
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{url}/{path}?lr=0.5&k=3")
        wait_idle(pg)
        assert pg.get_by_test_id("stException").count() == 0
        assert pg.locator("h1").count() >= 1
        links = pg.locator("[data-testid=stPageLink]")
        links.nth(len(NAV_PAGES) - 1).wait_for()  # our own navigation: every page listed once
        assert links.count() == len(NAV_PAGES)
        assert "lr=0.5" in pg.url and "k=3" in pg.url  # the shared state came through the link
        selector, at_least = PAGE_CONTENT[path]
        pg.locator(selector).nth(at_least - 1).wait_for(timeout=30_000)
        assert not errors
        context.close()


def test_the_app_works_under_a_base_url_path(browser):
    """Community Cloud and reverse proxies serve apps below a path: Plotly.js must still load."""
    with streamlit_server(("--server.baseUrlPath=workshop",)) as url:
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        pg = context.new_page()
        pg.goto(url + "/")
        wait_idle(pg)
        wait_charts(pg)
        assert sum(len(v) for v in chart_points(pg).values()) == 20
        context.close()


def test_presenter_mode_fits_a_1280x720_projector(browser, server):
    """The step buttons, update k's numbers, the data chart and the loss chart are all on
    screen at 1280×720, the sidebar is closed, and the keys a clicker sends work."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    open_app(pg, server, "?present=1&k=3")
    step = pg.get_by_role("button", name="Step", exact=False).first.bounding_box()
    main = pg.locator(".pp-main .main-svg").first.bounding_box()
    loss = pg.locator(".pp-series").first.bounding_box()
    numbers = pg.locator(".pp-numbers").bounding_box()
    assert step["y"] >= 0 and step["y"] + step["height"] <= 720
    assert main["y"] >= 0 and main["y"] + main["height"] <= 720
    assert numbers["y"] >= 0 and numbers["y"] + numbers["height"] <= 720
    assert loss["y"] + loss["height"] <= 720
    assert pg.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "true"
    font = pg.evaluate("getComputedStyle(document.querySelector('.pp-legend')).fontSize")
    assert float(font.removesuffix("px")) >= 18
    rendered_after(pg, lambda: pg.keyboard.press("PageDown"))
    assert "k=4" in pg.url
    context.close()


def test_back_forward_and_reload_keep_the_scenario(page, server):
    """Every change is a browser history entry: Back shows the previous step, Forward the
    next, and a reload keeps the current one."""
    open_app(page, server)

    def shown_step() -> int:
        return page.evaluate("window.__ppChart.data.k")

    for _ in range(3):
        rendered_after(page, lambda: page.keyboard.press("ArrowRight"))
    assert shown_step() == 3
    rendered_after(page, page.go_back)
    assert shown_step() == 2
    rendered_after(page, page.go_back)
    assert shown_step() == 1
    rendered_after(page, page.go_forward)
    assert shown_step() == 2
    page.reload()
    wait_idle(page)
    wait_charts(page)
    assert shown_step() == 2
    assert "k=2" in page.url
