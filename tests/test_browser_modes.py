"""Predict each step, and fit it by hand, done as people do them: keys with nothing
focused, a clicker's PageDown, taps on a phone, a mouse drag and a finger drag on the
data chart; each test checks what the page then shows."""

from __future__ import annotations

import pytest

from perceptron import Scenario, make_dataset
from perceptron.links import scenario_to_query_string
from tests.browser_support import data_to_page, open_app, rendered_after, scroll_main

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
sync_api = pytest.importorskip("playwright.sync_api")

X, Y = make_dataset("separable", n=20, seed=2)
QUERY = "?" + scenario_to_query_string(Scenario.of(X, Y, epochs=5)).lstrip("?")


def text(page, selector: str) -> str:
    return page.evaluate(f"document.querySelector('{selector}').innerText")


def shown(page, attr: str) -> int:
    return int(page.evaluate(f"document.querySelector('.pp-root').dataset.{attr}"))


def tap(page, locator) -> None:
    """A finger on what the person scrolled to."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def choose_mode(page, name: str, touch: bool = False) -> None:
    option = page.get_by_role("radio", name=name)
    rendered_after(page, lambda: tap(page, option) if touch else option.click())


def truth_at(page, k: int) -> dict:
    return page.evaluate(f"window.__ppChart.records.get({k}).truth")


# ---------------------------------------------------------------- predict, then reveal


def test_predict_by_keys_with_nothing_focused(server, new_page):
    page = new_page()
    open_app(page, server, QUERY)
    scroll_main(page, ".st-key-stepbar")
    choose_mode(page, "Predict each step")
    card = text(page, ".pp-ask")
    assert "Update 1 uses point" in card and "Will" in card
    truth = truth_at(page, 1)
    assert truth["reason"] not in page.evaluate("document.body.innerText")  # not before Step
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowDown")  # the second option
    chosen = page.locator(".pp-option[aria-pressed=true]")
    assert chosen.count() == 1 and "↓" in chosen.inner_text()
    rendered_after(page, lambda: page.keyboard.press("ArrowRight"))
    assert shown(page, "k") == 1
    verdict = text(page, ".pp-verdict")
    given = page.evaluate("window.__ppChart.data.predict.answers['1'][0]")
    right = given == truth["answer"]
    assert verdict.startswith("✓ Right" if right else "✗ Not this time")
    assert truth["reason"] in verdict
    assert text(page, ".pp-score") == ("1 of 1 right" if right else "0 of 1 right")
    page.wait_for_function("() => new URLSearchParams(location.search).get('k') === '1'")
    assert not page.errors


def test_predict_on_a_projector_with_a_clicker(server, new_page):
    page = new_page("projector")
    open_app(page, server, QUERY + "&present=1")
    choose_mode(page, "Predict each step")
    page.keyboard.press("ArrowUp")
    rendered_after(page, lambda: page.keyboard.press("PageDown"))
    assert shown(page, "k") == 1 and text(page, ".pp-score").endswith("of 1 right")
    box = page.locator(".pp-ask").bounding_box()
    assert box["y"] + box["height"] <= 720  # the question, the verdict and score on screen
    assert not page.errors


def test_predict_by_touch_on_a_phone(server, new_page):
    page = new_page("phone")
    open_app(page, server, QUERY)
    scroll_main(page, ".st-key-stepbar")
    choose_mode(page, "Predict each step", touch=True)
    tap(page, page.locator(".pp-option").first)
    assert page.locator(".pp-option").first.get_attribute("aria-pressed") == "true"
    see = page.locator(".pp-see")  # answered and stepped without scrolling back up
    rendered_after(page, lambda: tap(page, see))
    assert shown(page, "k") == 1
    assert text(page, ".pp-verdict").startswith(("✓ Right", "✗ Not this time"))
    assert not page.errors


def test_stepping_without_an_answer_shows_the_truth_unscored(server, new_page):
    page = new_page()
    open_app(page, server, QUERY)
    scroll_main(page, ".st-key-stepbar")
    choose_mode(page, "Predict each step")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.pp-root').dataset.k === '1'")
    assert text(page, ".pp-verdict").startswith("Update 1 was not predicted")
    assert text(page, ".pp-score") == ""


# ---------------------------------------------------------------- fit it by hand


def handles(page) -> list[list[float]]:
    return page.evaluate("window.__ppChart.data.hand.handles")


def loss_line(page) -> str:
    return next(line for line in text(page, ".pp-numbers").splitlines() if "Mean loss" in line)


def test_fit_by_hand_with_a_mouse_then_gradient_step_and_undo(server, new_page):
    page = new_page()
    open_app(page, server, QUERY)
    scroll_main(page, ".st-key-stepbar")
    choose_mode(page, "Fit it by hand")
    assert shown(page, "moves") == 0 and "Your weights" in text(page, ".pp-numbers")
    before = loss_line(page)
    p, q = handles(page)
    x0, y0 = data_to_page(page, *q)
    x1, y1 = data_to_page(page, q[0] + 1.5, q[1] + 2.0)

    def drag():
        page.mouse.move(x0, y0)
        page.mouse.down()
        for i in range(1, 9):
            page.mouse.move(x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * i / 8)
            page.wait_for_timeout(40)
        page.mouse.up()

    rendered_after(page, drag)
    page.wait_for_function("() => document.querySelector('.pp-root').dataset.moves === '1'")
    assert loss_line(page) != before
    w = page.evaluate("window.__ppChart.data.hand.record.w")
    b = page.evaluate("window.__ppChart.data.hand.record.b")
    # The new line goes through the handle that stayed and where the mouse let go.
    for point in (p, [q[0] + 1.5, q[1] + 2.0]):
        z = w[0] * point[0] + w[1] * point[1] + b
        assert abs(z) < 0.05 * (abs(w[0]) + abs(w[1])) * 8
    page.mouse.click(5, 300)  # nothing focused
    rendered_after(page, lambda: page.keyboard.press("ArrowRight"))
    page.wait_for_function("() => document.querySelector('.pp-root').dataset.moves === '2'")
    assert "1 by gradient step" in text(page, ".pp-numbers")
    rendered_after(page, lambda: page.keyboard.press("ArrowLeft"))
    page.wait_for_function("() => document.querySelector('.pp-root').dataset.moves === '1'")
    assert not page.errors


def test_fit_by_hand_with_a_finger_on_a_phone(server, new_page):
    page = new_page("phone")
    open_app(page, server, QUERY)
    scroll_main(page, ".st-key-stepbar")
    choose_mode(page, "Fit it by hand", touch=True)
    _, q = handles(page)
    x0, y0 = data_to_page(page, *q)
    x1, y1 = data_to_page(page, q[0] + 1.0, q[1] - 1.5)
    cdp = page.context.new_cdp_session(page)

    def drag():
        def touch(kind, x, y):
            points = [{"x": x, "y": y, "id": 1}] if kind != "touchEnd" else []
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", x0, y0)
        for i in range(1, 9):
            touch("touchMove", x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * i / 8)
            page.wait_for_timeout(40)
        touch("touchEnd", x1, y1)

    scroll = page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop")
    rendered_after(page, drag)
    page.wait_for_function("() => document.querySelector('.pp-root').dataset.moves === '1'")
    # The finger dragged the line; the page did not scroll under it.
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop") == scroll
    assert not page.errors


def test_fit_by_hand_from_the_keyboard(server, new_page):
    page = new_page()
    open_app(page, server, QUERY)
    scroll_main(page, ".st-key-stepbar")
    choose_mode(page, "Fit it by hand")
    w0 = page.evaluate("window.__ppChart.data.hand.record.w")
    page.locator(".pp-main").focus()
    rendered_after(page, lambda: page.keyboard.press("ArrowLeft"))  # turn the line
    page.wait_for_function("() => document.querySelector('.pp-root').dataset.moves === '1'")
    w1 = page.evaluate("window.__ppChart.data.hand.record.w")
    assert abs(w1[0] ** 2 + w1[1] ** 2 - (w0[0] ** 2 + w0[1] ** 2)) < 1e-6 * (1 + w0[0] ** 2)
    assert w1 != w0
    rendered_after(page, lambda: page.keyboard.press("+"))  # a larger w: a steeper ŷ
    page.wait_for_function("() => document.querySelector('.pp-root').dataset.moves === '2'")
    assert not page.errors
