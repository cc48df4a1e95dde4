"""A real `streamlit run` server and headless Chromium for the browser tests and benchmarks.

Chromium: $CHROMIUM if set (make test sets it via scripts/ensure_chromium.sh), else a
system /usr/bin/chromium, else Playwright's own download.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    return path or None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(extra_args: tuple[str, ...] = (), root: Path = ROOT) -> Iterator[str]:
    """Start the app on a free port; yield its base URL; stop it afterwards."""
    with streamlit_process(extra_args, root) as (url, _):
        yield url


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (Linux /proc), in seconds: the server's
    own work, whatever the browsers on the same machine use."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


@contextlib.contextmanager
def streamlit_process(
    extra_args: tuple[str, ...] = (), root: Path = ROOT, log_file: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start the app in ``root`` (this checkout, or a copy: see ``copy_app``) on a free port;
    yield (base URL, server process); stop it afterwards. The server's output goes to
    ``log_file`` if given."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(root / "app.py"),
        "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
        "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
        "--server.runOnSave=false", *extra_args,
    ]  # fmt: skip
    log = open(log_file or os.devnull, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    base_path = next((a.split("=", 1)[1].strip("/") for a in extra_args if "baseUrlPath" in a), "")
    url = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    try:
        _wait_healthy(url, proc)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def copy_app(target: Path) -> Path:
    """A fresh checkout of the app in ``target``: its code and config, no static/ or caches."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("app.py", "pages", "ui", "perceptron", ".streamlit"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)
    return target


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r,
        ):
            if r.read().decode().strip() == "ok":
                return
        time.sleep(0.2)
    raise TimeoutError("streamlit did not become healthy")


def launch_browser(playwright):
    path = chromium_path()
    kwargs = {"executable_path": path} if path else {}
    return playwright.chromium.launch(args=CHROMIUM_ARGS, **kwargs)


IDLE = (
    "() => { const app = document.querySelector('[data-testid=stApp]');"
    " return !!app && app.dataset.testScriptState === 'notRunning'"
    " && app.dataset.testConnectionState === 'CONNECTED'"
    " && document.querySelector('[data-testid=stMainBlockContainer] h1') !== null; }"
)


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the page shows content and the Streamlit script has finished.

    The content check matters on a fresh server, where the app reports "notRunning" once
    before its first run; the second look, 150 ms later, lets a rerun that was about to
    start (a widget callback, a component event) begin first.
    """
    for _ in range(2):
        page.wait_for_function(IDLE, timeout=timeout)
        page.wait_for_timeout(150)
    page.wait_for_function(IDLE, timeout=timeout)


CHARTS_DRAWN = (
    "() => { const g = document.querySelector('.pp-main');"
    " return g && g._fullLayout && document.querySelector('.pp-root')?.dataset.rendered; }"
)


# The data chart's box and plot area on the page.
DATA_CHART_BOX = (
    "() => { const g = document.querySelector('.pp-main');"
    " const r = g.getBoundingClientRect();"
    " const x = g._fullLayout.xaxis, y = g._fullLayout.yaxis;"
    " return [r.left, r.top, r.width, x._offset, x._length, y._offset, y._length]; }"
)
# At least n of Streamlit's own Plotly charts (st.plotly_chart) in the main area, each drawn.
PLOTLY_CHARTS_DRAWN = (
    "(n) => { const g = document.querySelectorAll('[data-testid=stMain] .js-plotly-plot');"
    " return g.length >= n && Array.from(g).every(x => x._fullLayout); }"
)


def wait_still(page, script: str, settle: float, timeout: float | None = None) -> None:
    """Wait until what ``script`` returns (read every 50 ms) has not changed for ``settle``
    seconds, or ``timeout`` seconds have passed."""
    last, stable_since = None, time.monotonic()
    deadline = stable_since + timeout if timeout is not None else float("inf")
    while time.monotonic() - stable_since < settle and time.monotonic() < deadline:
        now = page.evaluate(script)
        if now != last:
            last, stable_since = now, time.monotonic()
        time.sleep(0.05)


def wait_charts(page, timeout: float = 30_000) -> None:
    """Wait until the chart component has drawn and its geometry stopped changing."""
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout)
    wait_still(page, DATA_CHART_BOX, 0.3)


# Page pixel of data coordinates [x, y] on the data chart.
DATA_TO_PAGE = (
    "([x, y]) => { const g = document.querySelector('.pp-main');"
    " const r = g.getBoundingClientRect();"
    " const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis;"
    " return [r.left + xa._offset + xa.l2p(x), r.top + ya._offset + ya.l2p(y)]; }"
)


def data_to_page(page, x: float, y: float) -> tuple[float, float]:
    """Page pixel of data coordinates (x, y) on the data chart."""
    return tuple(page.evaluate(DATA_TO_PAGE, [x, y]))


# The points each class trace of the data chart shows, as {uid: [[x, y], ...]}.
CHART_POINTS = (
    "() => { const out = {}; for (const t of document.querySelector('.pp-main').data) {"
    " if (t.uid === 'class0' || t.uid === 'class1')"
    " out[t.uid] = (t.x || []).map((x, i) => [x, t.y[i]]); }"
    " return out; }"
)


def chart_points(page) -> dict[str, list[list[float]]]:
    """The points each class trace of the data chart shows, as {uid: [[x, y], ...]}."""
    return page.evaluate(CHART_POINTS)


def open_app(page, url: str, query: str = "") -> None:
    """Open the Playground (``query``: "?k=3&..." or "") and wait until its charts are drawn."""
    page.goto(url + "/" + query)
    wait_idle(page)
    wait_charts(page)


def rendered_after(page, action, timeout: float = 15_000) -> None:
    """Run ``action`` and wait until the charts show the server's answer to it."""
    before = page.evaluate("document.querySelector('.pp-root').dataset.rendered")
    action()
    page.wait_for_function(  # a full rerun may mount the charts anew: .pp-root comes and goes
        "(b) => { const r = document.querySelector('.pp-root');"
        " return r && r.dataset.rendered && r.dataset.rendered !== b; }",
        arg=before,
        timeout=timeout,
    )
    wait_idle(page)
    wait_charts(page)


def choose_tool(page, name: str) -> None:
    """Pick "Class 0", "Class 1" or "Erase" and wait until the chart component knows it.

    The script state alone is no sign: right after the click it still says "notRunning"
    because the rerun has not begun, and a chart click then would use the old tool.
    """
    page.get_by_role("radio", name=name).click()
    tool, cls = {"Class 0": ("add", 0), "Class 1": ("add", 1), "Erase": ("erase", 0)}[name]
    page.wait_for_function(
        "([tool, cls]) => { const d = window.__ppChart && window.__ppChart.data;"
        " return d && d.tool === tool && (tool === 'erase' || d.cls === cls); }",
        arg=[tool, cls],
        timeout=15_000,
    )
    wait_idle(page)


# The four ways people use the app (../shared/notes/four-setups.md), as Playwright contexts.
SETUPS = {
    "laptop": {"viewport": {"width": 1366, "height": 768}},
    "projector": {"viewport": {"width": 1280, "height": 720}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "dark": {"viewport": {"width": 1366, "height": 768}, "color_scheme": "dark"},
}


LAPTOP = SETUPS["laptop"]["viewport"]
PROJECTOR = SETUPS["projector"]["viewport"]
# URL path of each page and how many Plotly charts it draws.
PAGES = {"Playground": ("", 0), "Derivation": ("Derivation", 1), "Landscape": ("Landscape", 1),
         "Learning_rate_race": ("Learning_rate_race", 3), "Data": ("Data", 6),
         "Challenges": ("Challenges", 0)}  # fmt: skip


def goto_page(page, server: str, name: str, query: str) -> None:
    """Open the page ``name`` of PAGES with ``query`` and wait until it is drawn: the chart
    component on the Playground, its Plotly charts on the others."""
    path, charts = PAGES[name]
    page.goto(f"{server}/{path}{query}")
    wait_idle(page)
    if name == "Playground":
        wait_charts(page)
    else:
        page.wait_for_function(PLOTLY_CHARTS_DRAWN, arg=charts, timeout=30_000)
    page.wait_for_timeout(300)  # Plotly's first resize


def scroll_main(page, selector: str, below_header: float = 64) -> None:
    """Scroll the app's main area (it scrolls, not the window) so ``selector`` sits just
    under Streamlit's header, as a person scrolls to the part they work with."""
    page.evaluate(
        "([sel, gap]) => { const m = document.querySelector('[data-testid=stMain]');"
        " m.scrollTop += document.querySelector(sel).getBoundingClientRect().top - gap; }",
        [selector, below_header],
    )
    page.wait_for_timeout(200)


def main_scroll(page) -> float:
    return page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop")


def shown_tool(page) -> str:
    """The class picker's selected option as the learner sees it ("● Class 0"...)."""
    return page.evaluate(
        "() => { const b = document.querySelector('.st-key-tool [role=radio][aria-checked=true]');"
        " return b ? b.innerText.trim() : ''; }"
    )
