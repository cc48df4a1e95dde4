"""The Playground under load: N people clicking and stepping at the same time.

One server, one headless Chromium, N browser contexts (N separate Streamlit sessions)
driven at once with Playwright's async API. Each session opens the Playground, places
CLICKS points by clicking the data chart, then makes STEPS steps with the Right arrow key.
Measured per action, from the input event to the page showing the server's answer:

- click -> point confirmed: the data chart's class traces hold one more point;
- Step -> charts re-rendered: the chart component's ``.pp-root`` ``data-rendered`` changes.

Errors: an action that times out (ACTION_TIMEOUT_S), an exception box on the page, or a
JavaScript error. The server's resident memory (RSS) is sampled throughout. Every loop is
bounded; the script ends by itself. Target: 0 errors at N = 20.

Run: .venv/bin/python benchmarks/bench_load.py [N ...]   (default 1 5 10 20)
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from tests.browser_support import (  # noqa: E402
    CHART_POINTS,
    CHARTS_DRAWN,
    CHROMIUM_ARGS,
    DATA_TO_PAGE,
    IDLE,
    chromium_path,
    rss_mib,
    streamlit_process,
)

LEVELS = (1, 5, 10, 20)
CLICKS = 5
STEPS = 10
QUERY = "?ep=5"  # the default 20 points, 5 epochs: 100 updates, room for every Step
ACTION_TIMEOUT_S = 60
OPEN_TIMEOUT_S = 180
# Two clicks closer than ~350 ms on one spot are a double-click to Plotly; these are apart.
CLICK_GAP_S = 0.4
RENDERED = "() => { const r = document.querySelector('.pp-root'); return r && r.dataset.rendered; }"
POINT_COUNT = (
    f"() => {{ const p = ({CHART_POINTS})();"
    " return (p.class0 || []).length + (p.class1 || []).length; }"
)


@dataclass
class Results:
    click_ms: list[float] = field(default_factory=list)
    step_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class RssSampler:
    """The server's RSS every 0.2 s in a thread; ``peak`` since the last ``reset``."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, rss_mib(self.pid))

    def reset(self) -> None:
        self.peak = rss_mib(self.pid)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


async def wait_js(page, expression: str, arg=None, timeout_s: float = ACTION_TIMEOUT_S):
    await page.wait_for_function(expression, arg=arg, timeout=timeout_s * 1000)


async def open_session(browser, url: str, results: Results):
    context = await browser.new_context(viewport={"width": 1400, "height": 1300})
    page = await context.new_page()
    page.on("pageerror", lambda e: results.errors.append(f"page error: {e}"))
    await page.goto(url + "/" + QUERY, timeout=OPEN_TIMEOUT_S * 1000)
    await wait_js(page, IDLE, timeout_s=OPEN_TIMEOUT_S)
    await wait_js(page, CHARTS_DRAWN, timeout_s=OPEN_TIMEOUT_S)
    await asyncio.sleep(0.5)  # the chart's first resize
    return page


async def click_points(page, session: int, results: Results) -> None:
    for i in range(CLICKS):
        target = [-4.0 + 1.6 * i, -3.5 + 0.4 * session]  # a different spot per session and click
        x, y = await page.evaluate(DATA_TO_PAGE, target)
        count = await page.evaluate(POINT_COUNT)
        t0 = time.perf_counter()
        await page.mouse.click(x, y)
        try:
            await wait_js(page, f"() => ({POINT_COUNT})() > {count}")
            results.click_ms.append((time.perf_counter() - t0) * 1000)
        except Exception as error:  # counted and reported
            results.errors.append(f"session {session} click {i}: {type(error).__name__}")
        await asyncio.sleep(CLICK_GAP_S)


async def step(page, session: int, results: Results) -> None:
    for i in range(STEPS):
        before = await page.evaluate(RENDERED)
        t0 = time.perf_counter()
        await page.keyboard.press("ArrowRight")
        try:
            await wait_js(page, "(b) => { const r = document.querySelector('.pp-root');"
                          " return r && r.dataset.rendered && r.dataset.rendered !== b; }",
                          arg=before)  # fmt: skip
            results.step_ms.append((time.perf_counter() - t0) * 1000)
        except Exception as error:  # counted and reported
            results.errors.append(f"session {session} step {i}: {type(error).__name__}")


async def session_work(page, session: int, results: Results) -> None:
    await click_points(page, session, results)
    await step(page, session, results)
    await wait_js(page, IDLE)
    shown = await page.locator("[data-testid=stException]").count()
    if shown:
        results.errors.append(f"session {session}: {shown} exception box(es) on the page")
    k = await page.evaluate("window.__ppChart.data.k")
    if not 1 <= k <= STEPS:
        results.errors.append(f"session {session}: step {k} after {STEPS} Right presses")


async def level(browser, url: str, n: int, sampler: RssSampler) -> tuple[Results, float, float]:
    results = Results()
    sampler.reset()
    pages = await asyncio.gather(*(open_session(browser, url, results) for _ in range(n)))
    await asyncio.gather(*(session_work(page, i, results) for i, page in enumerate(pages)))
    peak = sampler.peak
    for page in pages:
        await page.context.close()
    await asyncio.sleep(1.0)
    return results, peak, rss_mib(sampler.pid)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def row(n: int, r: Results, peak: float, after: float, seconds: float) -> str:
    clicks, steps = r.click_ms, r.step_ms
    return (
        f"{n:4d} | {pct(clicks, 0.5):16.0f} {pct(clicks, 0.95):5.0f}"
        f" | {pct(steps, 0.5):16.0f} {pct(steps, 0.95):5.0f} | {len(r.errors):6d}"
        f" | {peak:8.0f} {after:6.0f}   ({seconds:.0f} s, {len(clicks)} clicks, {len(steps)} steps)"
    )


async def main(levels) -> None:
    with streamlit_process() as (url, proc):
        sampler = RssSampler(proc.pid)
        idle = rss_mib(proc.pid)
        async with async_playwright() as p:
            path = chromium_path()
            browser = await p.chromium.launch(
                args=CHROMIUM_ARGS, **({"executable_path": path} if path else {})
            )
            # One session first, so the table measures load rather than the first imports.
            await level(browser, url, 1, sampler)
            print(f"server RSS idle {idle:.0f} MiB; {CLICKS} clicks + {STEPS} steps per session")
            print(
                "   N | click→confirmed p50   p95 | Step→rendered p50   p95 | errors | "
                "RSS peak  after (MiB)"
            )
            for n in levels:
                t0 = time.perf_counter()
                results, peak, after = await level(browser, url, n, sampler)
                seconds = time.perf_counter() - t0
                print(row(n, results, peak, after, seconds), flush=True)
                for error in results.errors[:5]:
                    print(f"       {error}")
            await browser.close()
        sampler.stop()


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]] or LEVELS))
