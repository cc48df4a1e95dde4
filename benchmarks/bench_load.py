"""A workshop on one server: N learners, each clicking or stepping every two seconds.

One server, one headless Chromium, N browser contexts (N separate Streamlit sessions)
driven at once with Playwright's async API. After every session has opened the
Playground, each learner acts every PERIOD_S seconds (starting at a random moment within
the first period), ACTIONS times, alternating:

- a click that places a point: measured in the page (User Timing ``pp-click``: the
  release to the frame that draws it) and to the server's answer (the data chart's class
  traces hold one more point: retrained, redrawn);
- a Step press (the Right arrow): measured in the page (``pp-step``: the key's event to
  the frame showing the step) and to the server knowing it (the address's ``k``, written
  after the ~300 ms pause that reports the step).

Server CPU is read from /proc/<pid>/stat (user + system time of the server process only,
so the browsers' CPU is not in it) over the acting phase, as cores busy (CPU seconds per
wall second) and CPU milliseconds per action. Errors: a wait that times out, an exception
box, a JavaScript error, a step other than the one pressed to. The server's peak
resident memory is sampled throughout. Every loop is bounded; the script ends by itself.

Run: .venv/bin/python benchmarks/bench_load.py [N ...]   (default 10 30 60)
All N browsers share this machine's cores with the server: on a 2-core machine the
browsers' own drawing slows the in-page figures as N grows; the server CPU figure is the
one that says what a real workshop (one browser per laptop) costs the server.
"""

from __future__ import annotations

import asyncio
import random
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
    cpu_seconds,
    rss_mib,
    streamlit_process,
)

LEVELS = (10, 30, 60)
PERIOD_S = 2.0
ACTIONS = 10  # per learner: 5 clicks and 5 steps
QUERY = "?ep=5"  # the default 20 points, 5 epochs
ACTION_TIMEOUT_S = 60
OPEN_TIMEOUT_S = 300
OPEN_AT_ONCE = 10  # sessions opened together (a room arriving, in waves)
POINT_COUNT = (
    f"() => {{ const p = ({CHART_POINTS})();"
    " return (p.class0 || []).length + (p.class1 || []).length; }"
)
URL_K = "() => new URLSearchParams(location.search).get('k')"
SHOWN_K = "document.querySelector('.pp-root')?.dataset.k"


@dataclass
class Results:
    click_drawn: list[float] = field(default_factory=list)
    click_confirmed: list[float] = field(default_factory=list)
    step_drawn: list[float] = field(default_factory=list)
    step_reported: list[float] = field(default_factory=list)
    late: list[float] = field(default_factory=list)  # how late an action started, s
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


async def last_measure(page, name: str) -> float:
    return await page.evaluate(
        f"() => {{ const e = performance.getEntriesByName('{name}'); return e.length"
        " ? e[e.length - 1].duration : NaN; }"
    )


async def open_session(browser, url: str, results: Results):
    context = await browser.new_context(viewport={"width": 1400, "height": 1300})
    page = await context.new_page()
    page.on("pageerror", lambda e: results.errors.append(f"page error: {e}"))
    await page.goto(url + "/" + QUERY, timeout=OPEN_TIMEOUT_S * 1000)
    await wait_js(page, IDLE, timeout_s=OPEN_TIMEOUT_S)
    await wait_js(page, CHARTS_DRAWN, timeout_s=OPEN_TIMEOUT_S)
    await asyncio.sleep(0.5)  # the chart's first resize
    return page


async def click(page, session: int, i: int, results: Results) -> None:
    target = [-4.0 + 1.6 * (i % 6), -3.5 + 0.12 * (session % 60)]  # apart per session
    x, y = await page.evaluate(DATA_TO_PAGE, target)
    count = await page.evaluate(POINT_COUNT)
    t0 = time.perf_counter()
    await page.mouse.click(x, y)
    await wait_js(page, f"() => ({POINT_COUNT})() > {count}")
    results.click_confirmed.append((time.perf_counter() - t0) * 1000)
    results.click_drawn.append(await last_measure(page, "pp-click"))
    await wait_js(page, IDLE)


async def step(page, results: Results) -> int:
    """One Step press; returns the step it showed (placing a point starts the run anew)."""
    k = int(await page.evaluate(SHOWN_K)) + 1
    t0 = time.perf_counter()
    await page.keyboard.press("ArrowRight")
    await wait_js(page, f"() => ({URL_K})() === '{k}'")
    results.step_reported.append((time.perf_counter() - t0) * 1000)
    results.step_drawn.append(await last_measure(page, "pp-step"))
    return k


async def learner(page, session: int, results: Results) -> None:
    start = time.perf_counter() + random.uniform(0, PERIOD_S)
    k = 0
    for i in range(ACTIONS):
        due = start + i * PERIOD_S
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        else:
            results.late.append(-wait)
        try:
            if i % 2 == 0:
                await click(page, session, i, results)
            else:
                k = await step(page, results)
        except Exception as error:  # counted and reported
            results.errors.append(f"learner {session} action {i}: {type(error).__name__}")
    await wait_js(page, IDLE)
    boxes = await page.locator("[data-testid=stException]").count()
    if boxes:
        results.errors.append(f"learner {session}: {boxes} exception box(es) on the page")
    shown = await page.evaluate(SHOWN_K)
    if shown != str(k):
        results.errors.append(f"learner {session}: step {shown} shown, {k} pressed to")


async def level(browser, url: str, n: int, pid: int, sampler: RssSampler) -> dict:
    results = Results()
    sampler.reset()
    t_open = time.perf_counter()
    pages = []
    for first in range(0, n, OPEN_AT_ONCE):
        wave = range(first, min(n, first + OPEN_AT_ONCE))
        pages += await asyncio.gather(*(open_session(browser, url, results) for _ in wave))
    opened_s = time.perf_counter() - t_open
    cpu0, t0 = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(learner(page, i, results) for i, page in enumerate(pages)))
    wall, cpu = time.perf_counter() - t0, cpu_seconds(pid) - cpu0
    peak = sampler.peak
    for page in pages:
        await page.context.close()
    await asyncio.sleep(1.0)
    actions = len(results.click_confirmed) + len(results.step_reported)
    return {
        "results": results,
        "opened_s": opened_s,
        "wall": wall,
        "cores": cpu / wall,
        "cpu_per_action_ms": 1000 * cpu / max(actions, 1),
        "peak": peak,
    }


def pct(values: list[float], q: float) -> float:
    values = [v for v in values if v == v]  # drop NaN (no measure)
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pair(values: list[float]) -> str:
    return f"{pct(values, 0.5):6.0f} {pct(values, 0.95):6.0f}"


def row(n: int, m: dict) -> str:
    r: Results = m["results"]
    return (
        f"{n:4d} | {pair(r.click_drawn)} | {pair(r.click_confirmed)} | {pair(r.step_drawn)}"
        f" | {pair(r.step_reported)} | {m['cores']:5.2f} {m['cpu_per_action_ms']:6.0f}"
        f" | {len(r.errors):4d} | {m['peak']:5.0f} | {len(r.late):3d} late,"
        f" opened in {m['opened_s']:.0f} s, acted for {m['wall']:.0f} s"
    )


async def main(levels) -> None:
    random.seed(0)
    with streamlit_process() as (url, proc):
        sampler = RssSampler(proc.pid)
        idle = rss_mib(proc.pid)
        async with async_playwright() as p:
            path = chromium_path()
            browser = await p.chromium.launch(
                args=CHROMIUM_ARGS, **({"executable_path": path} if path else {})
            )
            # One learner first, so the table measures load rather than the first imports.
            await level(browser, url, 1, proc.pid, sampler)
            print(
                f"server RSS idle {idle:.0f} MiB; each learner acts every {PERIOD_S:g} s, "
                f"{ACTIONS} times (clicks and steps alternating); times in ms (p50 p95)"
            )
            print(
                "   N | click→drawn   | click→server  | Step→drawn    | Step→server   "
                "| cores ms/act | errs | RSS MiB"
            )
            for n in levels:
                measured = await level(browser, url, n, proc.pid, sampler)
                print(row(n, measured), flush=True)
                for error in measured["results"].errors[:5]:
                    print(f"       {error}")
            await browser.close()
        sampler.stop()


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]] or LEVELS))
