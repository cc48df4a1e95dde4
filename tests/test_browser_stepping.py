"""The browser owns step k (issue 12): stepping as a learner does it, in a real Chromium.

Every press is counted and drawn with no server round trip; when stepping pauses, the
step reaches the server, so the URL, a reload, Back/Forward and the other pages agree
with what the learner saw.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from perceptron import default_scenario
from perceptron.links import scenario_to_query_string
from tests.browser_support import (
    SETUPS,
    chart_points,
    data_to_page,
    open_app,
    wait_charts,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page(new_page):
    page = new_page("laptop")
    yield page
    assert not page.errors, page.errors


def shown_k(page) -> int:
    return int(page.evaluate("document.querySelector('.pp-root').dataset.k"))


def wait_k(page, k: int) -> None:
    """Wait until the chart shows step k; the chart may be remounting meanwhile (no root yet)."""
    page.wait_for_function(
        "k => document.querySelector('.pp-root')?.dataset.k === String(k)", arg=k
    )


def url_k(page) -> str | None:
    return page.evaluate("new URLSearchParams(location.search).get('k')")


def numbers(page) -> str:
    return page.locator(".pp-numbers").inner_text()


def settled(page) -> None:
    """Wait until stepping has paused long enough to be reported and the server is done."""
    page.wait_for_timeout(700)
    wait_idle(page)


def count_runs(page) -> list[int]:
    """Server messages of a rerun's size, collected from now on (see the websocket)."""
    sizes: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda f: sizes.append(len(f)) if len(f) > 2_000 else 0),
    )
    return sizes


def test_quick_presses_are_all_counted_and_drawn_without_the_server(page, server):
    runs = count_runs(page)
    open_app(page, server, "?pre=overlapping")
    runs.clear()
    for _ in range(10):
        page.keyboard.press("ArrowRight")  # nothing focused: the page's own shortcut
    assert shown_k(page) == 10  # drawn at once, before any server reply
    assert "Update 10" in numbers(page)
    assert runs == []  # no server run while stepping
    settled(page)
    assert shown_k(page) == 10 and url_k(page) == "10"
    assert 1 <= len(runs) <= 2  # one rerun when stepping paused (and its URL write)


def test_buttons_clicker_keys_and_the_scrubber_move_k(page, server):
    open_app(page, server, "?pre=overlapping")
    step = page.get_by_role("button", name="Step", exact=True)
    start = page.get_by_role("button", name="Start", exact=True)
    assert start.is_disabled() and page.get_by_role("button", name="Back", exact=True).is_disabled()
    step.click()
    step.click()
    assert shown_k(page) == 2
    page.keyboard.press("PageDown")  # a presentation clicker
    page.keyboard.press("PageUp")
    page.keyboard.press("PageUp")
    assert shown_k(page) == 1
    K = int(page.locator(".pp-scrub").get_attribute("max"))
    per_epoch = K // default_scenario().config.epochs  # per point: one update per point
    page.get_by_role("button", name="Epoch", exact=True).click()
    assert shown_k(page) == per_epoch  # from inside epoch 1 to its end
    page.keyboard.press("End")
    assert shown_k(page) == K and "Update" in numbers(page)
    assert step.is_disabled() and page.get_by_role("button", name="End", exact=True).is_disabled()
    settled(page)
    assert url_k(page) == str(K)
    # Back from the end, far from where the states were sent at first: still at once.
    page.keyboard.press("ArrowLeft")
    assert shown_k(page) == K - 1
    page.keyboard.press("Home")
    assert shown_k(page) == 0 and "Step 0 is the start" in numbers(page)
    # The scrubber, moved by keyboard: each arrow moves k by one.
    page.locator(".pp-scrub").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert shown_k(page) == 3
    settled(page)
    assert url_k(page) == "3"


def test_a_step_beyond_the_states_sent_comes_after_one_round_trip(page, server):
    open_app(page, server, "?pre=overlapping")
    scrub = page.locator(".pp-scrub")
    scrub.fill("250")  # far from step 0: its state was not sent
    wait_k(page, 250)
    wait_idle(page)
    wait_charts(page)
    assert "Update 250" in numbers(page)
    page.keyboard.press("ArrowRight")
    assert shown_k(page) == 251


def test_reload_back_forward_and_the_other_pages_keep_the_step(page, server):
    open_app(page, server, "?pre=overlapping")
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    settled(page)
    assert url_k(page) == "7"
    page.reload()
    wait_idle(page)
    wait_charts(page)
    assert shown_k(page) == 7 and "Update 7" in numbers(page)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    settled(page)
    assert url_k(page) == "12"
    page.go_back()
    wait_k(page, 7)
    page.go_forward()
    wait_k(page, 12)
    settled(page)
    page.get_by_role("link", name="Chain rule, step by step").click()
    wait_idle(page)
    box = page.locator("input[aria-label^='Step k (0 to']")
    assert box.input_value() == "12"


def test_a_phone_tap_on_step_moves_k(browser, server):
    context = browser.new_context(**SETUPS["phone"])
    page = context.new_page()
    s = default_scenario()
    open_app(page, server, scenario_to_query_string(s))
    step = page.get_by_role("button", name="Step", exact=True)
    step.scroll_into_view_if_needed()
    box = step.bounding_box()
    for _ in range(3):
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert shown_k(page) == 3
    # The icon-only buttons keep their names for a screen reader, and a finger's size.
    for name in ("Start", "Back", "Epoch", "End"):
        b = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert b["width"] >= 24 and b["height"] >= 24, name
    context.close()


# Counts, in the page, the frames in which Play's shown update changed (the test's own hook).
COUNT_FRAMES = """() => { window.testFrames = 0; let last = null;
  const tick = () => { const k = document.querySelector('.pp-root')?.dataset.playK;
    if (k !== last) { window.testFrames += 1; last = k; } requestAnimationFrame(tick); };
  tick(); }"""


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_play_with_reduced_motion_shows_still_pictures_at_the_chosen_speed(browser, server, motion):
    context = browser.new_context(**SETUPS["laptop"], reduced_motion=motion)
    page = context.new_page()
    open_app(page, server, "?pre=overlapping&ep=50")
    page.evaluate(COUNT_FRAMES)
    page.keyboard.press("p")
    page.wait_for_function("() => document.querySelector('.pp-root')?.dataset.playK")
    k0, f0 = page.evaluate("[Number(document.querySelector('.pp-root').dataset.playK), testFrames]")
    page.wait_for_timeout(3000)
    k1, f1 = page.evaluate("[Number(document.querySelector('.pp-root').dataset.playK), testFrames]")
    status = page.locator(".pp-status").inner_text()
    page.keyboard.press("p")
    assert 35 <= k1 - k0 <= 75  # the default 20 updates a second, either way
    if motion == "reduce":
        assert f1 - f0 <= 8, f1 - f0  # 2 pictures a second
        assert "reduced motion" in status
    else:
        assert f1 - f0 >= 30, f1 - f0  # every update drawn
        assert status == "Playing at 20 updates a second"
    context.close()


def test_a_screen_reader_hears_each_update_and_reads_what_each_chart_shows_now(page, server):
    """What assistive technology gets: each chart's accessible name and description (kept
    up to date as k moves) and a polite live region narrating the update stepped to."""
    expect = sync_api.expect
    open_app(page, server, "?pre=overlapping")
    data = page.get_by_role("figure", name="Data chart")
    expect(data).to_have_accessible_description(
        re.compile(r"^Step 0 of 400\. No decision boundary in view .*\. 0 of 20 points")
    )
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    said = page.locator(".pp-said")
    assert said.get_attribute("role") == "status" and said.get_attribute("aria-live") == "polite"
    assert re.match(
        r"Update 2 used point \d+, class [01], ŷ = [\d.]+: w1 (rose|fell)", said.inner_text()
    )
    expect(data).to_have_accessible_description(
        re.compile(
            r"^Step 2 of 400\. .*points on the right side.*Mean loss [\d.]+, down from 0\.693"
        )
    )
    page.keyboard.press("End")
    expect(data).to_have_accessible_description(re.compile(r"^Step 400 of 400\."))
    expect(page.get_by_role("figure", name="Loss chart")).to_have_accessible_description(
        re.compile(r"at step 400\.$")
    )
    expect(page.get_by_role("figure", name="Weights chart")).to_have_accessible_description(
        re.compile(r"^Weights and bias at step 400: w1 = ")
    )


def tab_to(page, selector: str, presses: int = 80) -> None:
    """Press Tab, as a keyboard user does, until ``selector`` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus by Tab")


def test_points_are_placed_and_removed_with_the_keyboard_alone(page, server):
    open_app(page, server, "?pre=overlapping&ep=2")
    before = chart_points(page)
    tab_to(page, ".pp-main")
    said = page.locator(".pp-said")
    x_range = page.evaluate("document.querySelector('.pp-main')._fullLayout.xaxis.range")
    middle = (x_range[0] + x_range[1]) / 2
    assert said.inner_text().startswith("Crosshair at (")
    assert page.locator(".pp-cross line").count() == 2  # the crosshair is drawn
    for key in ["Shift+ArrowRight", "Shift+ArrowRight", "ArrowUp", "ArrowUp"]:
        page.keyboard.press(key)
    assert shown_k(page) == 0  # arrows on the chart move the crosshair, not the step
    x1, x2 = page.evaluate("[window.__ppChart.cross.x1, window.__ppChart.cross.x2]")
    span = x_range[1] - x_range[0]
    assert x1 == pytest.approx(middle + span / 4, abs=0.01)
    assert f"Crosshair at ({x1:.2f}, {x2:.2f})".replace("-", "−") in said.inner_text()
    page.keyboard.press("1")  # class 1, by key, with the chart focused
    wait_idle(page)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => { const r = document.querySelector('.pp-main'); return r && r.data &&"
        " r.data.filter(t => t.uid === 'class1').map(t => t.x.length)[0] === n; }",
        arg=len(before["class1"]) + 1,
    )
    wait_idle(page)
    wait_charts(page)
    shown = chart_points(page)
    assert [x1, x2] in [[round(a, 2), round(b, 2)] for a, b in shown["class1"]]
    assert page.evaluate("document.activeElement?.matches('.pp-main')")  # focus kept
    page.keyboard.press("Delete")
    assert said.inner_text().startswith("Removed the point near (")
    page.wait_for_function(
        "n => document.querySelector('.pp-main')?.data?.filter(t => t.uid === 'class1')"
        ".map(t => t.x.length)[0] === n",
        arg=len(before["class1"]),
    )
    wait_idle(page)
    page.keyboard.press("Delete")  # nothing left under the crosshair
    assert said.inner_text().startswith("No point to remove at (")
    # Away from the chart, the arrow keys step again.
    page.keyboard.press("Tab")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    assert shown_k(page) == 1


def test_a_whole_lesson_by_keyboard_alone(page, server):
    """Place 6 points, step, play, open the chain-rule page at that step and take the
    Share link, with page.keyboard only (issue 16)."""
    empty = default_scenario().with_points(np.zeros((0, 2)), np.zeros(0)).replace(epochs=5)
    open_app(page, server, scenario_to_query_string(empty))
    tab_to(page, ".pp-main")
    moves = ["Shift+ArrowLeft", "Shift+ArrowUp", "Shift+ArrowRight"]
    for cls in ("0", "1"):
        page.keyboard.press(cls)
        wait_idle(page)
        for move in moves:
            page.keyboard.press(move)
            page.keyboard.press("Enter")
            wait_idle(page)
        moves = ["Shift+ArrowDown", "Shift+ArrowDown", "Shift+ArrowLeft"]
    page.wait_for_function(
        "() => { const d = document.querySelector('.pp-main')?.data || [];"
        " return d.filter(t => t.uid && t.uid.startsWith('class'))"
        ".reduce((n, t) => n + t.x.length, 0) === 6; }"
    )
    wait_idle(page)
    wait_charts(page)
    tab_to(page, ".pp-step[data-go=step]")
    for _ in range(3):
        page.keyboard.press("Enter")
    assert shown_k(page) == 3
    page.keyboard.press("p")  # Play, then pause
    page.wait_for_function("() => Number(document.querySelector('.pp-root')?.dataset.playK) > 5")
    page.keyboard.press("p")
    settled(page)
    k = shown_k(page)
    assert k > 5 and url_k(page) == str(k)
    tab_to(page, "a[href*='Derivation']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/Derivation**")
    wait_idle(page)
    assert page.locator("input[aria-label^='Step k (0 to']").input_value() == str(k)
    tab_to(page, "[data-testid=stPopover] button")
    page.keyboard.press("Enter")
    link = page.locator("[data-testid=stCode] code").first
    link.wait_for()
    assert f"k={k}" in link.inner_text()


def test_a_tap_on_the_chart_brings_no_crosshair_and_the_keys_still_step(browser, server):
    """A tap focuses the chart (a mouse click does not); the crosshair is for the keyboard."""
    context = browser.new_context(**SETUPS["phone"])
    page = context.new_page()
    open_app(page, server, "?pre=overlapping")
    page.locator(".pp-main").scroll_into_view_if_needed()
    x, y = data_to_page(page, 3, -4)
    page.touchscreen.tap(x, y)
    page.wait_for_timeout(1500)  # the tap's point is placed: the chart is drawn anew
    wait_idle(page)
    wait_charts(page)
    assert page.locator(".pp-cross line").count() == 0
    page.keyboard.press("ArrowRight")  # e.g. a tablet's keyboard
    assert shown_k(page) == 1
    context.close()


# Every control of the chart component, and the class picker above it.
TARGETS = ".pp-root button, .pp-root input, [data-testid=stButtonGroup] button"


def test_every_control_on_the_phone_is_a_finger_s_size(browser, server):
    """WCAG 2.5.8: targets of at least 24 × 24 CSS px on the phone layout."""
    context = browser.new_context(**SETUPS["phone"])
    page = context.new_page()
    open_app(page, server, "?pre=overlapping")
    boxes = page.evaluate(
        "sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent)"
        ".map(e => { const r = e.getBoundingClientRect();"
        " return [e.className || e.type, e.textContent.trim(), r.width, r.height]; })",
        TARGETS,
    )
    assert len(boxes) >= 9, boxes  # 5 step buttons, Play, Fit, the scrubber, the picker
    small = [b for b in boxes if b[2] < 24 or b[3] < 24]
    assert not small, small
    context.close()
