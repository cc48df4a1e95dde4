"""Playground speed in headless Chromium against a real server (issue 3's targets).

Prints, for 200 points and 1,000 epochs:
- warm first chart: a later visitor's page load -> data chart drawn, target <= 3 s;
- click -> point drawn (in the browser: event time to the next frame), target <= 100 ms;
- click -> point confirmed by the server;
- Step -> painted (the key's event time to the frame showing the step: the layers, the
  four charts' marks and the numbers), target <= 50 ms median, <= 100 ms p95; also at
  2,000 points; 10 quick presses counted exactly;
- Play: updates shown per second at speed 20 and 100, target >= 20, and frames per second;
- what the server sends while stepping (nothing: the browser owns k) and after a pause;
- server time per pause rerun (AppTest, script only).

Run: .venv/bin/python benchmarks/bench_browser.py   (CHROMIUM=/path to choose a browser)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from perceptron import Scenario, make_dataset  # noqa: E402
from perceptron.links import scenario_to_query_string  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHARTS_DRAWN,
    cpu_seconds,
    data_to_page,
    launch_browser,
    streamlit_process,
    wait_charts,
    wait_idle,
)


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def measures(page, name: str) -> list[float]:
    """The page's User Timing measures of ``name`` (input event -> frame), in ms."""
    return page.evaluate(f"performance.getEntriesByName('{name}').map(e => e.duration)")


# Counts the frames in which Play's shown update changed (injected by the benchmark only).
COUNT_PLAY_FRAMES = """() => { window.benchFrames = 0; let last = null;
  const tick = () => { const k = document.querySelector('.pp-root')?.dataset.playK;
    if (k !== last) { window.benchFrames += 1; last = k; } requestAnimationFrame(tick); };
  tick(); }"""


def rendered(page) -> str:
    return page.evaluate("document.querySelector('.pp-root').dataset.rendered")


def scenario(mode: str) -> Scenario:
    X, y = make_dataset("overlapping", n=200, seed=0)
    return Scenario.of(X, y, epochs=1000, mode=mode, preset="overlapping")


def bench_first_chart(browser, url) -> None:
    """A visitor after the first (imports and Plotly.js warm on the server): page load to
    the data chart drawn, read in the page (performance.now() counts from navigation)."""
    times = []
    for visit in range(6):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(url)
        drawn = page.wait_for_function(
            f"() => ({CHARTS_DRAWN})() && performance.now()", polling="raf", timeout=60_000
        )
        if visit:  # the first visit warms the server
            times.append(drawn.json_value())
        context.close()
    print(
        f"warm first chart (page load -> data chart drawn): median "
        f"{statistics.median(times) / 1000:4.2f} s, max {max(times) / 1000:4.2f} s over "
        f"{len(times)} visitors (target <= 3 s)"
    )


def bench_clicks(page, url, pid: int) -> None:
    page.goto(url)
    wait_idle(page)
    wait_charts(page)
    confirm = []
    cpu0 = cpu_seconds(pid)
    for i in range(15):
        x, y = data_to_page(page, -4 + 0.5 * i, 4 - 0.4 * i)
        before = rendered(page)
        t0 = time.perf_counter()
        page.mouse.click(x, y)
        page.wait_for_function(
            "(b) => document.querySelector('.pp-root').dataset.rendered !== b", arg=before
        )
        confirm.append((time.perf_counter() - t0) * 1000)
        wait_idle(page)
        page.wait_for_timeout(400)  # two clicks within ~300 ms are a double-click to Plotly
    cpu_ms = (cpu_seconds(pid) - cpu0) * 1000 / 15
    drawn = measures(page, "pp-click")
    print(
        f"click -> point drawn:     median {statistics.median(drawn):6.1f} ms, "
        f"p95 {pct(drawn, 0.95):6.1f} ms, max {max(drawn):6.1f} ms (n={len(drawn)}; target <= 100)"
    )
    print(
        f"click -> server confirmed: median {statistics.median(confirm):6.1f} ms, "
        f"p95 {pct(confirm, 0.95):6.1f} ms; server CPU per click {cpu_ms:5.1f} ms (from /proc; "
        "target <= 60)"
    )


def shown_k(page) -> int:
    return int(page.evaluate("document.querySelector('.pp-root').dataset.k"))


def bench_steps(page, url, s: Scenario, name: str) -> None:
    """Step presses, measured in the page: the key's event time to the frame that shows the
    new step (all four charts' marks, the layers and the numbers), and what reaches the
    server while stepping (nothing until it pauses)."""
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(len(f))))
    page.goto(url + "/" + scenario_to_query_string(s))
    wait_idle(page)
    wait_charts(page)
    page.evaluate("performance.clearMeasures('pp-step')")
    frames.clear()
    k0 = shown_k(page)
    for _ in range(30):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(80)  # a brisk learner: no pause of 300 ms, so no report
    during = sum(frames)
    times = measures(page, "pp-step")
    page.wait_for_timeout(600)
    wait_idle(page)
    after = sum(frames) - during
    print(
        f"Step -> painted ({name}): median {statistics.median(times):5.1f} ms, "
        f"p95 {pct(times, 0.95):5.1f} ms over {len(times)} presses (target median <= 50, "
        f"p95 <= 100); k {k0} -> {shown_k(page)}; server bytes while stepping "
        f"{during / 1024:.1f} KB, after the pause {after / 1024:.1f} KB (one rerun)"
    )
    k0 = shown_k(page)
    t0 = time.perf_counter()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    pressed = (time.perf_counter() - t0) * 1000
    page.wait_for_timeout(600)
    wait_idle(page)
    k1 = shown_k(page)
    url_k = page.evaluate("new URLSearchParams(location.search).get('k')")
    print(f"  10 presses in {pressed:.0f} ms: shown k {k0} -> {k1}, URL k={url_k}")


def bench_play(page, speed: int) -> None:
    page.evaluate(COUNT_PLAY_FRAMES)
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => document.querySelector('.pp-root').dataset.playK")
    k0 = int(page.evaluate("document.querySelector('.pp-root').dataset.playK"))
    f0 = page.evaluate("window.benchFrames")
    t0 = time.perf_counter()
    page.wait_for_timeout(4000)
    k1 = int(page.evaluate("document.querySelector('.pp-root').dataset.playK"))
    f1 = page.evaluate("window.benchFrames")
    dt = time.perf_counter() - t0
    page.keyboard.press("p")
    print(
        f"Play at speed {speed:4d}: {(k1 - k0) / dt:6.1f} updates/s shown, "
        f"{(f1 - f0) / dt:5.1f} frames/s (target >= 20 updates/s)"
    )


def set_speed(page, speed: int) -> None:
    """Choose the Play speed on the page's select slider with the keyboard."""
    slider = page.get_by_role("slider", name="Play speed (updates / s)")
    slider.focus()
    current = int(slider.get_attribute("aria-valuenow") or 20)
    from ui.playground import PLAY_SPEEDS

    steps = PLAY_SPEEDS.index(speed) - PLAY_SPEEDS.index(current)
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowRight" if steps > 0 else "ArrowLeft")
    wait_idle(page)


def bench_server_rerun() -> None:
    from streamlit.testing.v1 import AppTest

    for mode in ("stochastic", "batch"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.session_state["scenario"] = scenario(mode)
        at.run()
        times = []
        for k in range(1, 11):
            t0 = time.perf_counter()
            # What the browser's report of a pause at step k does (see ui.playground).
            at.session_state["scenario"] = at.session_state["scenario"].replace(step=k * 7)
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
        print(
            f"server time per pause rerun ({mode:10s}, AppTest; none per Step): median "
            f"{statistics.median(times):6.1f} ms, max {max(times):6.1f} ms"
        )


def main() -> None:
    print("Perceptron Playground browser benchmark: 200 points, 1,000 epochs")
    with streamlit_process() as (url, server), sync_playwright() as p:
        browser = launch_browser(p)
        bench_first_chart(browser, url)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        bench_clicks(page, url, server.pid)
        for mode in ("stochastic", "batch"):
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            bench_steps(page, url, scenario(mode), f"200 points, {mode:10s}")
        X, y = make_dataset("overlapping", n=2_000, seed=1)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        bench_steps(page, url, Scenario.of(X, y, epochs=100), "2,000 points, stochastic")
        for speed in (20, 100):
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.goto(url + "/" + scenario_to_query_string(scenario("stochastic")))
            wait_idle(page)
            wait_charts(page)
            set_speed(page, speed)
            bench_play(page, speed)
        browser.close()
    bench_server_rerun()


if __name__ == "__main__":
    main()
