"""Challenges as people use them, in a real Chromium against a real server: an instructor
composes one and copies its link, which a fresh browser opens locked as intended; a phone
starts a ready one by touch; a keyboard alone starts one and composes one; a server under a
base path gives links that keep it.

    CHROMIUM=/usr/bin/chromium .venv/bin/python -m pytest tests/test_browser_challenges.py
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from perceptron.challenge_links import challenge_from_params
from perceptron.gallery import entry
from tests.browser_support import (
    chart_points,
    data_to_page,
    scroll_main,
    streamlit_server,
    wait_charts,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
sync_api = pytest.importorskip("playwright.sync_api")

BANNER = ".st-key-challenge_banner"
COMPOSED = ".st-key-composed_link [data-testid=stCode]"
SIDEBAR = "[data-testid=stSidebar]"


def params_of(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query, keep_blank_values=True))


def open_challenges(page, server: str) -> None:
    page.goto(f"{server}/Challenges")
    wait_idle(page)
    page.locator(COMPOSED).wait_for()


def composed_link(page) -> str:
    return page.locator(COMPOSED).locator("code").text_content().strip()


def wait_link_change(page, before: str) -> str:
    page.wait_for_function(
        "([sel, b]) => { const c = document.querySelector(sel + ' code');"
        " return c && c.textContent.trim() !== b; }",
        arg=[COMPOSED, before],
        timeout=15_000,
    )
    wait_idle(page)
    return composed_link(page)


def add(page, label: str, option: str) -> None:
    """Add ``option`` to the multiselect labelled ``label`` by typing it, as a person does."""
    page.get_by_label(label).click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``, as a person does: open, click."""
    box = page.get_by_role("combobox", name=label)
    for _ in range(3):  # a click while the page reruns can land on the old box
        box.click()
        try:
            page.get_by_role("option", name=option).click(timeout=5_000)
            return
        except sync_api.TimeoutError:
            wait_idle(page)
    raise AssertionError(f"could not choose {option!r} in {label!r}")


def banner_text(page) -> str:
    return page.locator(BANNER).inner_text()


def sidebar_input(page, label: str):
    return page.locator(SIDEBAR).get_by_label(label, exact=True)


def test_an_instructor_composes_a_challenge_and_a_fresh_browser_opens_it_locked(server, new_page):
    teacher = new_page("laptop")
    teacher.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    open_challenges(teacher, server)
    link = composed_link(teacher)
    teacher.get_by_label("Title (optional)").fill("Overshoot")
    teacher.get_by_label("Task: one line saying what to do").fill(
        "Make the mean loss rise: <b>not bold</b>."
    )
    teacher.get_by_label("Task: one line saying what to do").press("Enter")
    link = wait_link_change(teacher, link)
    choose(teacher, "Goal", "A learning rate that makes the loss rise")
    link = wait_link_change(teacher, link)
    add(teacher, "Fixed (shown, but the learner cannot change them)", "Number of epochs")
    link = wait_link_change(teacher, link)
    add(teacher, "Hidden (fixed, and left out of view)", "Training mode")
    link = wait_link_change(teacher, link)
    # Copy it with the code box's own button, as an instructor would.
    box = teacher.locator(COMPOSED)
    box.hover()
    box.get_by_role("button", name="Copy to clipboard").click()
    copied = teacher.evaluate("navigator.clipboard.readText()")
    assert copied == link and copied.startswith(server + "/?")
    _, ch, notes = challenge_from_params(params_of(copied))
    assert notes == [] and ch.title == "Overshoot" and ch.goal.kind == "loss_rises"
    assert ch.locked == {"points", "epochs", "mode"} and ch.hidden == {"mode"}

    learner = new_page("laptop")
    learner.goto(copied)
    wait_idle(learner)
    wait_charts(learner)
    banner = banner_text(learner)
    assert "Overshoot" in banner and "Make the mean loss rise: <b>not bold</b>." in banner
    assert "Find a learning rate that makes the mean loss rise." in banner
    assert "Not yet" in banner
    # Locked as intended: epochs shown but disabled, the mode left out, the rate free.
    assert sidebar_input(learner, "Epochs (passes over all points)").is_disabled()
    assert learner.locator(SIDEBAR).get_by_text("How updates are made").count() == 0
    assert sidebar_input(learner, "Exact learning rate").is_enabled()
    assert "Fixed by this challenge: number of epochs" in learner.locator(SIDEBAR).inner_text()
    # Under a challenge the point tools wait folded below the charts, disabled.
    learner.get_by_text("Points: undo, clear, presets").click()
    for name in ("Undo", "Clear", "Load"):
        assert learner.get_by_role("button", name=name, exact=True).is_disabled()
    # A click on the chart places no point: the browser refuses it and says why.
    scroll_main(learner, ".pp-main")
    wait_charts(learner)
    before = chart_points(learner)
    x, y = data_to_page(learner, 0.5, 0.5)
    learner.mouse.click(x, y)
    learner.locator(".pp-flash").get_by_text("a click on the chart adds or erases none").wait_for(
        timeout=15_000
    )
    wait_idle(learner)
    learner.wait_for_function(
        "(n) => { let k = 0; for (const t of document.querySelector('.pp-main').data)"
        " if (t.uid === 'class0' || t.uid === 'class1') k += (t.x || []).length;"
        " return k === n; }",
        arg=sum(len(v) for v in before.values()),
        timeout=15_000,
    )
    # The address keeps the challenge: a reload opens it again.
    learner.reload()
    wait_idle(learner)
    assert "Overshoot" in banner_text(learner)
    assert not teacher.errors and not learner.errors


def test_a_gallery_challenge_starts_on_a_phone_by_touch(server, new_page):
    phone = new_page("phone")
    open_challenges(phone, server)
    item = entry("xor")
    start = phone.locator(f".st-key-gallery_start_{item.slug} button")
    start.scroll_into_view_if_needed()
    box = start.bounding_box()
    phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    phone.locator(BANNER).wait_for(timeout=30_000)
    wait_idle(phone)
    assert urlsplit(phone.url).path.rstrip("/") == ""  # the Playground
    task = phone.locator(BANNER).get_by_text(item.challenge.task)
    task.wait_for()
    top = task.bounding_box()
    assert top["y"] >= 0 and top["y"] + top["height"] <= 844  # seen without scrolling
    assert params_of(phone.url)["c"] == "1"

    # Its link, opened on another phone (a fresh browser), shows the same task.
    link = server + "/" + item.query_string()
    other = new_page("phone")
    other.goto(link)
    wait_idle(other)
    task = other.locator(BANNER).get_by_text(item.challenge.task)
    task.wait_for()
    assert task.bounding_box()["y"] + task.bounding_box()["height"] <= 844
    assert not phone.errors and not other.errors


def tab_to(page, selector: str, text: str = "", limit: int = 120) -> int:
    """Press Tab until the focus is inside ``selector`` (on an element showing ``text``);
    return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(
            "([s, t]) => { const a = document.activeElement;"
            " return !!a && !!a.closest(s) && a.innerText.includes(t); }",
            [selector, text],
        ):
            return presses
    raise AssertionError(f"Tab never reached {selector} {text!r}")


def test_the_keyboard_alone_starts_a_ready_challenge_and_composes_one(server, new_page):
    page = new_page("laptop")
    open_challenges(page, server)
    # The first ready challenge: Tab to its Start button, Enter.
    first = entry("y-hat")
    tab_to(page, f".st-key-gallery_start_{first.slug}")
    page.keyboard.press("Enter")
    page.locator(BANNER).get_by_text(first.challenge.task).wait_for(timeout=30_000)
    wait_idle(page)
    # Leave it, from the keyboard too.
    tab_to(page, BANNER, "Leave the challenge")
    page.keyboard.press("Enter")
    page.locator(BANNER).wait_for(state="detached", timeout=15_000)
    wait_idle(page)

    # The composer: type a task, Tab on to "Try it", Enter.
    open_challenges(page, server)
    link = composed_link(page)
    tab_to(page, ".st-key-compose_task")
    page.keyboard.type("Keys only: get the loss below 0.3 in time.")
    page.keyboard.press("Tab")  # leaving the box commits it
    link = wait_link_change(page, link)
    assert params_of(link)["task"] == "Keys only: get the loss below 0.3 in time."
    tab_to(page, ".st-key-compose_try")
    page.keyboard.press("Enter")
    page.locator(BANNER).get_by_text("Keys only: get the loss below 0.3 in time.").wait_for(
        timeout=30_000
    )
    assert not page.errors


def test_links_keep_the_servers_base_path(new_page):
    with streamlit_server(("--server.baseUrlPath=workshop",)) as url:
        page = new_page("laptop")
        open_challenges(page, url)
        link = composed_link(page)
        assert link.startswith(url + "/?"), link
        gallery_link = page.locator(".st-key-gallery_entry_xor [data-testid=stCode] code")
        assert gallery_link.text_content().strip() == url + "/" + entry("xor").query_string()
        # A fresh browser opens it on this (fresh) server.
        other = new_page("laptop")
        other.goto(link)
        wait_idle(other)
        assert "Not yet" in banner_text(other)


def test_no_serious_accessibility_violation_in_the_banner_or_the_room_qr_code(server, new_page):
    """axe-core (see tests/test_browser_axe.py) on what the page table there does not open:
    a challenge's banner on the Playground, in both schemes, and the room's QR dialog."""
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_sync.Axe()

    def serious(page, state: str) -> list[str]:
        found = axe.run(page).response["violations"]
        return [
            f"{state}: {v['id']} ({v['impact']}): {v['nodes'][0]['html'][:160]}"
            for v in found
            if v["impact"] in ("serious", "critical")
        ]

    problems = []
    for scheme, slug in (("light", "xor"), ("dark", "xor"), ("light", "rate-fast")):
        page = new_page("laptop", color_scheme=scheme)
        page.goto(server + "/" + entry(slug).query_string())
        wait_idle(page)
        wait_charts(page)
        page.locator(BANNER).get_by_role("button", name="Leave the challenge").wait_for()
        problems += serious(page, f"Playground with the challenge {slug}, {scheme}")
    page = new_page("laptop")
    open_challenges(page, server)
    page.locator(".st-key-gallery_qr_xor button").click()
    page.get_by_role("dialog").get_by_role("img").wait_for()
    wait_idle(page)
    problems += serious(page, "Challenges, the room's QR code")
    assert not problems, "\n".join(problems)
