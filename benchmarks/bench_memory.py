"""Server memory with 1 and with 10 browser sessions at the largest allowed run.

Each session opens its own scenario (2,000 points, 100 epochs, per-point updates: 200,000
updates, the limit), with different points so no two share a cached run: the worst case
for a Community Cloud app serving a workshop. Prints the server's RSS (MiB).

Run: .venv/bin/python benchmarks/bench_memory.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from perceptron import Scenario, make_dataset  # noqa: E402
from perceptron.links import scenario_to_query_string  # noqa: E402
from tests.browser_support import (  # noqa: E402
    launch_browser,
    rss_mib,
    streamlit_process,
    wait_charts,
    wait_idle,
)


def largest_run(seed: int) -> str:
    X, y = make_dataset("overlapping", n=2_000, seed=seed)
    return scenario_to_query_string(
        Scenario.of(X, y, epochs=100, step=100_000, preset="overlapping")
    )


def open_session(browser, url: str, seed: int):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(url + "/" + largest_run(seed), timeout=120_000)
    wait_idle(page, timeout=120_000)
    wait_charts(page, timeout=120_000)
    page.keyboard.press("ArrowRight")
    wait_idle(page, timeout=120_000)
    return context


def main() -> None:
    with streamlit_process() as (url, proc), sync_playwright() as p:
        browser = launch_browser(p)
        print(f"server RSS after start:              {rss_mib(proc.pid):7.1f} MiB")
        contexts = [open_session(browser, url, 0)]
        one = rss_mib(proc.pid)
        print(f"server RSS with  1 session (largest): {one:7.1f} MiB")
        contexts += [open_session(browser, url, seed) for seed in range(1, 10)]
        ten = rss_mib(proc.pid)
        print(
            f"server RSS with 10 sessions:          {ten:7.1f} MiB "
            f"(+{(ten - one) / 9:.1f} MiB per extra session)"
        )
        for c in contexts:
            c.close()
        browser.close()


if __name__ == "__main__":
    main()
