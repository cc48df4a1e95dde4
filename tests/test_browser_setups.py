"""What a learner, an instructor and a phone visitor do in their first minutes, done as they
do it (taps, keys with nothing focused, the sidebar toggled, a dark scheme), in a real
Chromium against a real server; each test checks what the page then shows."""

from __future__ import annotations

import re
import time

import pytest

from perceptron import Scenario, make_dataset
from perceptron.links import scenario_to_query_string
from tests.browser_support import (
    SETUPS,
    chart_points,
    data_to_page,
    main_scroll,
    open_app,
    rendered_after,
    scroll_main,
    shown_tool,
    wait_charts,
    wait_idle,
)
from ui.style import contrast_ratio, relative_luminance

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
sync_api = pytest.importorskip("playwright.sync_api")


def ranges(page) -> list[list[float]]:
    return page.evaluate(
        "() => { const l = document.querySelector('.pp-main')._fullLayout;"
        " return [l.xaxis.range.slice(), l.yaxis.range.slice()]; }"
    )


def has_point(points, x, y, tol=0.02) -> bool:
    return any(abs(px - x) <= tol and abs(py - y) <= tol for px, py in points)


def numbers_text(page) -> str:
    return page.locator(".pp-numbers").inner_text()


def step_in_numbers(page) -> int:
    m = re.search(r"Update ([\d,]+)", numbers_text(page))
    return int(m.group(1).replace(",", "")) if m else 0


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        "(sel) => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; }",
        selector,
    )


def tap(page, x: float, y: float) -> None:
    page.touchscreen.tap(x, y)


SMALL = Scenario.of(*make_dataset("separable", n=12, seed=1))


# ---------------------------------------------------------------- 1. phone taps


def test_a_tap_places_the_point_where_it_lands_and_keeps_the_view(new_page, server):
    page = new_page("phone")
    open_app(page, server)
    scroll_main(page, ".st-key-stepbar")
    view = ranges(page)
    for x, y in [(-3, 2), (3.5, -4), (-6, 6)]:  # the last one beyond the home square
        px, py = data_to_page(page, x, y)
        rendered_after(page, lambda px=px, py=py: tap(page, px, py))
        assert has_point(chart_points(page)["class0"], x, y), (x, y, chart_points(page))
        assert ranges(page) == view  # a tap never changes the view
    # Erase by tap: the point just placed goes.
    page.get_by_role("radio", name="Erase").tap()
    page.wait_for_function("() => window.__ppChart.data.tool === 'erase'")
    px, py = data_to_page(page, -3, 2)
    rendered_after(page, lambda: tap(page, px, py))
    assert not has_point(chart_points(page)["class0"], -3, 2)
    assert not page.errors and not page.outside


def test_a_two_finger_pinch_zooms_about_the_fingers(new_page, server):
    page = new_page("phone")
    open_app(page, server)
    scroll_main(page, ".st-key-stepbar")
    (x0, x1), _ = ranges(page)
    cx, cy = data_to_page(page, 1, 1)
    cdp = page.context.new_cdp_session(page)

    def touch(kind, spread):
        points = [{"x": cx - spread, "y": cy, "id": 1}, {"x": cx + spread, "y": cy, "id": 2}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", 40)
    for spread in range(45, 85, 5):
        touch("touchMove", spread)
        page.wait_for_timeout(30)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(500)
    (z0, z1), (w0, w1) = ranges(page)
    assert (z1 - z0) == pytest.approx((x1 - x0) / 2, rel=0.05)  # fingers spread 2×
    assert z0 < 1 < z1 and w0 < 1 < w1  # around the point between the fingers
    wait_idle(page)
    assert len(chart_points(page)["class0"]) == 10  # a pinch places nothing
    assert not page.errors


# ---------------------------------------------------------------- 2. share link


def share_link(page) -> str:
    page.get_by_text("Share this scenario").click()
    code = page.locator("[data-testid=stPopoverBody] code").first
    code.wait_for(timeout=15_000)
    link = code.inner_text().strip()
    page.keyboard.press("Escape")
    return link


@pytest.mark.parametrize("setup", ["laptop", "projector"])
def test_the_share_link_holds_the_step_whatever_moved_it(new_page, server, browser, setup):
    query = "?present=1" if setup == "projector" else ""
    page = new_page(setup)
    open_app(page, server, query)
    for _ in range(4):
        rendered_after(page, lambda: page.keyboard.press("PageDown"))  # a clicker
    rendered_after(page, lambda: page.get_by_role("button", name=re.compile("^Step")).click())
    rendered_after(page, lambda: page.keyboard.press("ArrowRight"))
    rendered_after(page, lambda: page.keyboard.press("ArrowRight"))
    assert step_in_numbers(page) == 7
    if setup == "projector":
        page.locator("[data-testid=stExpandSidebarButton]").click()
    link = share_link(page)
    assert re.search(r"[?&]k=7(&|$)", link), link
    fresh = new_page(setup)
    fresh.goto(link)
    wait_idle(fresh)
    wait_charts(fresh)
    assert step_in_numbers(fresh) == 7
    assert not page.errors and not fresh.errors


# ---------------------------------------------------------------- 3. keys 0 / 1 / E


def test_keys_pick_the_class_with_nothing_focused_and_it_survives_a_page_visit(new_page, server):
    page = new_page("laptop")
    open_app(page, server)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("1")
    page.wait_for_function("() => window.__ppChart.data.cls === 1", timeout=15_000)
    wait_idle(page)
    assert "Class 1" in shown_tool(page)
    scroll_main(page, ".st-key-stepbar")
    px, py = data_to_page(page, -4, 4)
    rendered_after(page, lambda: page.mouse.click(px, py))
    assert has_point(chart_points(page)["class1"], -4, 4)
    page.get_by_role("link", name="Chain rule, step by step").click()
    wait_idle(page)
    page.get_by_role("link", name="Playground").click()
    wait_idle(page)
    wait_charts(page)
    assert "Class 1" in shown_tool(page)
    page.keyboard.press("e")
    page.wait_for_function("() => window.__ppChart.data.tool === 'erase'", timeout=15_000)
    wait_idle(page)
    assert "Erase" in shown_tool(page)
    page.keyboard.press("0")
    page.wait_for_function(
        "() => window.__ppChart.data.tool === 'add' && window.__ppChart.data.cls === 0"
    )
    assert not page.errors


# ---------------------------------------------------------------- 4 and 7. nothing moves


def test_after_clear_every_click_lands_and_neither_page_nor_view_moves(new_page, server):
    page = new_page("laptop")
    open_app(page, server)
    scroll_main(page, ".st-key-stepbar")
    before = main_scroll(page)
    rendered_after(page, lambda: page.get_by_role("button", name="Clear", exact=True).click())
    view = ranges(page)
    # Aimed at fixed spots near the edges of the view, 300 ms apart, as a learner does.
    (x0, x1), (y0, y1) = view
    aims = [
        (x0 + f * (x1 - x0), y0 + g * (y1 - y0))
        for f, g in [(0.06, 0.5), (0.94, 0.5), (0.5, 0.06), (0.5, 0.94), (0.1, 0.1), (0.9, 0.9)]
    ]
    spots = [data_to_page(page, x, y) for x, y in aims]
    for px, py in spots:
        page.mouse.click(px, py)
        page.wait_for_timeout(300)
    page.wait_for_function(
        "() => window.__ppChart.pending.length === 0 && window.__ppChart.data.anim.X.length === 6",
        timeout=20_000,
    )
    wait_idle(page)
    wait_charts(page)
    placed = chart_points(page)["class0"]
    span = x1 - x0
    assert all(has_point(placed, x, y, tol=0.01 * span) for x, y in aims), placed
    assert ranges(page) == view
    assert abs(main_scroll(page) - before) < 2
    # Fit view asks for it: now the view fits the points.
    rendered_after(page, lambda: page.get_by_role("button", name="Fit view").click())
    assert ranges(page) != view
    assert not page.errors


# ---------------------------------------------------------------- 5. container size


def test_charts_follow_the_sidebar_in_presenter_mode(new_page, server):
    page = new_page("projector")
    open_app(page, server, "?present=1")

    def fits() -> bool:
        return page.evaluate(
            "() => { const root = document.querySelector('.pp-root').getBoundingClientRect();"
            " return [...document.querySelectorAll('.pp-main, .pp-series')].every(g => {"
            " const r = g.querySelector('.main-svg').getBoundingClientRect();"
            " return r.right <= root.right + 1 && r.height > 100"
            " && Math.abs(r.width - g.parentElement.getBoundingClientRect().width) < 2; }); }"
        )

    assert fits()
    for _ in range(2):
        page.locator("[data-testid=stExpandSidebarButton]").click()
        page.wait_for_timeout(800)
        assert fits()
        page.locator("[data-testid=stSidebarCollapseButton] button").click()
        page.wait_for_timeout(800)
        assert fits()
    page.set_viewport_size({"width": 900, "height": 700})
    page.wait_for_timeout(800)
    assert fits()
    assert not page.errors


# ---------------------------------------------------------------- 6. dark


def hex_of(css: str) -> str:
    """ "rgb(14, 17, 23)" (a computed style) as "#0e1117"."""
    return "#" + "".join(f"{int(v):02x}" for v in re.findall(r"\d+", css)[:3])


def test_the_playground_follows_a_dark_scheme(new_page, server):
    page = new_page("dark")
    open_app(page, server)
    look = page.evaluate(
        "() => { const main = document.querySelector('.pp-main');"
        " const c = document.querySelector('.pp-shade').getContext('2d');"
        " const xa = main._fullLayout.xaxis, ya = main._fullLayout.yaxis;"
        " const dpr = devicePixelRatio;"
        " const px = c.getImageData((xa._offset + 4) * dpr, (ya._offset + ya._length / 2) * dpr,"
        " 1, 1).data;"
        " return { shade: `rgb(${px[0]},${px[1]},${px[2]})`,"
        " page: getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor,"
        " ticks: [...document.querySelectorAll('.pp-plot .xtick text, .pp-plot .ytick text,"
        " .pp-plot .gtitle')].map(t => getComputedStyle(t).fill),"
        " legend: [...document.querySelectorAll('.pp-legend svg [stroke]:not([fill^=\"#\"])')]"
        ".map(e => e.getAttribute('stroke')) }; }"
    )
    page_bg = hex_of(look["page"])
    assert relative_luminance(page_bg) < 0.05
    assert relative_luminance(hex_of(look["shade"])) < 0.2  # the plot area is dark, not white
    assert look["ticks"] and all(contrast_ratio(hex_of(t), page_bg) >= 4.5 for t in look["ticks"])
    marks = [h.lower() for h in look["legend"] if h.lower() != page_bg]  # outlines are page-bg
    assert marks and all(contrast_ratio(h, page_bg) >= 3 for h in marks), marks
    assert not page.errors and not page.outside


# ---------------------------------------------------------------- 8. nothing to a cloud


def test_no_chart_offers_to_upload_it_and_nothing_is_fetched_elsewhere(new_page, server):
    page = new_page("laptop")
    open_app(page, server)
    for g in page.locator(".pp-main, .pp-series").all():
        g.hover()
    titles = page.evaluate(
        "() => [...document.querySelectorAll('.modebar-btn')].map(b => b.dataset.title)"
    )
    assert titles and "download plot as a png" in [t.lower() for t in titles]
    assert not [t for t in titles if "share" in t.lower() or "cloud" in t.lower()]
    assert not page.outside


# ---------------------------------------------------------------- 9. undecided


def test_at_step_0_every_point_is_undecided_not_misclassified(new_page, server):
    page = new_page("laptop")
    open_app(page, server)
    ov = page.evaluate("() => window.__ppChart.overlay")
    assert ov["misclassified"]["x"] == [] and len(ov["undecided"]["x"]) == 20
    dashed = page.locator(".pp-rings circle[stroke-dasharray]").count()
    assert dashed == 20
    assert "20 undecided" in numbers_text(page)
    texts = page.evaluate(
        "() => document.querySelector('.pp-main').data.flatMap(t => t.hovertext || [])"
    )
    assert all("undecided" in t and "predicted class" not in t for t in texts)


# ---------------------------------------------------------------- 13-15. layout


@pytest.mark.parametrize("setup", ["laptop", "projector", "phone"])
def test_step_its_numbers_and_the_chart_are_in_view_together(new_page, server, setup):
    page = new_page(setup)
    open_app(page, server, "?present=1" if setup == "projector" else "")
    scroll_main(page, ".st-key-stepbar")
    go = (
        (lambda: tap(page, *box_centre(page, "Step")))
        if setup == "phone"
        else (lambda: page.keyboard.press("PageDown"))
    )
    rendered_after(page, go)
    assert step_in_numbers(page) == 1
    assert in_viewport(page, ".pp-step[data-go=step]")
    assert in_viewport(page, ".pp-main .nsewdrag")  # the whole plot area
    if setup != "phone":  # on a phone the numbers follow the chart, a scroll away
        assert in_viewport(page, ".pp-numbers")
    # Nothing overflows the page sideways (the update's equations wrap).
    assert page.evaluate(
        "() => { const m = document.querySelector('[data-testid=stMain]');"
        " return m.scrollWidth <= m.clientWidth + 1; }"
    )
    if setup == "projector":  # the header covers no part of the step buttons
        assert page.evaluate(
            "() => { const b = document.querySelector('.pp-step[data-go=step]')"
            ".getBoundingClientRect(); const h = document.querySelector("
            "'[data-testid=stHeader]').getBoundingClientRect(); return b.top >= h.bottom; }"
        )
    assert not page.errors


def box_centre(page, name: str) -> tuple[float, float]:
    box = page.get_by_role("button", name=re.compile(f"^{name}")).first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_presenter_axis_title_note_and_play_read_right(new_page, server):
    page = new_page("projector")
    empty = scenario_to_query_string(Scenario.of(SMALL.X[:0], SMALL.y[:0]))
    open_app(page, server, empty + "&present=1")
    play = page.locator(".pp-play")
    assert play.is_disabled()  # nothing to play without points
    assert play.locator("svg").count() == 1  # a drawn icon, not an emoji glyph
    boxes = page.evaluate(
        "() => { const g = document.querySelector('.pp-main');"
        " const r = (e) => { const b = e.getBoundingClientRect();"
        " return [b.left, b.top, b.right, b.bottom]; };"
        " const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis, gr = g.getBoundingClientRect();"
        " return { title: r(g.querySelector('.g-xtitle text')),"
        " ticks: [...g.querySelectorAll('.xtick text')].map(r),"
        " note: r(document.querySelector('.pp-note')),"
        " plot: [gr.left + xa._offset, gr.top + ya._offset,"
        " gr.left + xa._offset + xa._length, gr.top + ya._offset + ya._length] }; }"
    )

    def overlap(a, b) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    assert not any(overlap(boxes["title"], t) for t in boxes["ticks"])
    note, plot = boxes["note"], boxes["plot"]
    assert plot[0] <= note[0] and note[2] <= plot[2] and plot[1] <= note[1]  # inside the plot
    assert not page.errors


# ---------------------------------------------------------------- first minutes, end to end


@pytest.mark.parametrize("setup", list(SETUPS))
def test_first_minutes(new_page, server, setup):
    """Place points, switch class by key, step, play, share the link, open it afresh."""
    query = "?present=1" if setup == "projector" else ""
    page = new_page(setup)
    open_app(page, server, query)
    if setup != "projector":  # there the point tools are folded below the charts
        rendered_after(page, lambda: page.get_by_role("button", name="Clear", exact=True).click())
    scroll_main(page, ".st-key-stepbar")
    place = (lambda x, y: tap(page, x, y)) if setup == "phone" else page.mouse.click
    for key, points in (("0", [(-2, 1), (-3, -1)]), ("1", [(2, -1), (3, 1)])):
        page.keyboard.press(key)
        page.wait_for_function(f"() => window.__ppChart.data.cls === {key}", timeout=15_000)
        wait_idle(page)
        for x, y in points:
            px, py = data_to_page(page, x, y)
            rendered_after(page, lambda px=px, py=py: place(px, py))
    shown = chart_points(page)
    assert has_point(shown["class0"], -2, 1) and has_point(shown["class1"], 3, 1)
    for _ in range(3):
        rendered_after(page, lambda: page.keyboard.press("PageDown"))
    page.keyboard.press("p")  # Play, then pause
    page.wait_for_function("() => Number(document.querySelector('.pp-root')?.dataset.playK) > 3")
    time.sleep(0.3)
    rendered_after(page, lambda: page.keyboard.press("p"))
    k = step_in_numbers(page)
    assert k > 3
    if setup == "projector":
        page.locator("[data-testid=stExpandSidebarButton]").click()
    elif setup == "phone":
        page.locator("[data-testid=stExpandSidebarButton]").tap()
    link = share_link(page)
    assert f"k={k}" in link
    fresh = new_page(setup)
    fresh.goto(link)
    wait_idle(fresh)
    wait_charts(fresh)
    assert step_in_numbers(fresh) == k
    assert chart_points(fresh) == chart_points(page)
    assert not page.errors and not fresh.errors
    assert not page.outside and not fresh.outside
