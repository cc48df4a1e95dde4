"""The Derivation, Landscape, Race and Data pages' charts in a real Chromium: they follow a
dark or light colour scheme with readable contrast, never offer "Share chart...", and are
projector-sized in presenter mode. Screenshots go to /tmp/shots_pages/ to be looked at."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from perceptron import default_scenario
from perceptron.links import scenario_to_query_string
from tests.browser_support import (
    LAPTOP,
    PLOTLY_CHARTS_DRAWN,
    PROJECTOR,
    wait_idle,
    wait_still,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
sync_api = pytest.importorskip("playwright.sync_api")

SHOTS = Path("/tmp/shots_pages")
# Each page and how many Plotly charts it shows with the default points.
PAGES = {"Derivation": 1, "Landscape": 1, "Learning_rate_race": 3, "Data": 6}
QUERY = scenario_to_query_string(default_scenario().replace(step=5))
# Every Plotly chart's box on the page and the size Plotly laid it out at.
CHART_BOXES = (
    "() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => {"
    " const r = g.getBoundingClientRect(); return [r.width, r.height,"
    " g._fullLayout.width, g._fullLayout.height]; })"
)
# Streamlit's chart theme draws axis ticks and titles in this grey in the light theme:
# 3.7:1 on white, below the 4.5:1 for text. No one colour reaches 4.5:1 on both themes, and
# only the theme's own colours follow a theme switch made in the settings menu (no rerun).
STREAMLIT_LIGHT_AXIS_TEXT = "rgb(128, 132, 149)"

# Everything a page's Plotly charts show, read from the drawn chart: the page's background,
# each chart's plot background, every text with its colour and size, the colours of every
# trace and shape a person sees (legend-visible traces and lines), the mode-bar buttons.
CHARTS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  const page = getComputedStyle(app).backgroundColor;
  return Array.from(document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')).map(g => {
    const fl = g._fullLayout;
    const bg = g.querySelector('.main-svg rect.bg');
    const texts = Array.from(g.querySelectorAll('.main-svg text'))
      .filter(t => t.textContent.trim() && t.getBBox().width > 0)
      .map(t => ({text: t.textContent, fill: getComputedStyle(t).fill,
                  size: parseFloat(getComputedStyle(t).fontSize)}));
    const traces = g._fullData.filter(t => t.visible === true && t.showlegend !== false
        && (t.opacity === undefined || t.opacity > 0)).map(t => {
      const colours = [];
      const mode = t.mode || '';
      if (t.line && t.line.color && (mode.includes('lines') || t.type === 'bar'))
        colours.push(t.line.color);
      if (t.marker && (mode.includes('markers') || t.type === 'bar')) {
        if (typeof t.marker.color === 'string') colours.push(t.marker.color);
        if (t.marker.line && t.marker.line.width >= 1 && typeof t.marker.line.color === 'string')
          colours.push(t.marker.line.color);
      }
      return {name: t.name, type: t.type, colours};
    });
    const shapes = (fl.shapes || []).map(s => s.line && s.line.color).filter(Boolean);
    const buttons = Array.from(g.querySelectorAll('.modebar-btn'))
      .map(b => [b.getAttribute('data-title'), b.getAttribute('data-attr'), b.dataset.val]);
    return {page, paper: fl.paper_bgcolor, plot: fl.plot_bgcolor,
            rect: bg ? getComputedStyle(bg).fill : null, texts, traces, shapes, buttons,
            has_3d: !!fl.scene};
  });
}"""


def rgba(text: str) -> tuple[float, float, float, float]:
    """A CSS/Plotly colour ("#abc", "#aabbcc", "rgb(...)", "rgba(...)") as r, g, b in 0..255, a."""
    text = text.strip()
    if text.startswith("#"):
        h = text[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0
    if text == "transparent":
        return 0, 0, 0, 0.0
    parts = [float(v) for v in re.findall(r"[\d.]+", text)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def over(top: str, below: tuple) -> tuple:
    """``top`` composited over the opaque colour ``below``."""
    r, g, b, a = rgba(top)
    return (*(a * c + (1 - a) * d for c, d in zip((r, g, b), below[:3], strict=True)), 1.0)


def luminance(rgb) -> float:
    def linear(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def plot_background(chart: dict) -> tuple:
    """What lies behind the marks: the plot colour over the paper over the page."""
    return over(chart["plot"], over(chart["paper"], rgba(chart["page"])))


def wait_charts_settled(page, count: int, timeout: float = 30.0) -> None:
    """Wait until ``count`` Plotly charts are drawn and their boxes stopped changing."""
    page.wait_for_function(PLOTLY_CHARTS_DRAWN, arg=count, timeout=timeout * 1000)
    wait_still(page, CHART_BOXES, 0.4, timeout)


def open_page(
    browser, server, name: str, scheme: str, viewport: dict, present: bool = False, query=QUERY
):
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    pg = context.new_page()
    pg.goto(f"{server}/{name}{query}" + ("&present=1" if present else ""))
    wait_idle(pg)
    wait_charts_settled(pg, PAGES[name])
    return context, pg


def shoot(pg, name: str) -> None:
    """The window as a person first sees it, then each chart (the page scrolls inside)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"))
    charts = pg.locator("[data-testid=stMain] [data-testid=stPlotlyChart]")
    for i in range(min(charts.count(), 3)):
        charts.nth(i).scroll_into_view_if_needed()
        pg.wait_for_timeout(300)
        charts.nth(i).screenshot(path=str(SHOTS / f"{name}_chart{i + 1}.png"))
    pg.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")


@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("name", list(PAGES))
def test_charts_follow_the_colour_scheme_with_readable_contrast(browser, server, name, scheme):
    context, pg = open_page(browser, server, name, scheme, LAPTOP)
    shoot(pg, f"{name}_{scheme}")
    assert_readable(pg.evaluate(CHARTS), name, scheme)
    context.close()


# Squared error and L2 regularisation (issue 14): the race then draws a run without the
# penalty for comparison, the landscape another objective, the chain-rule page more.
SQUARED_L2 = scenario_to_query_string(default_scenario().replace(step=5, loss="squared", l2=0.01))


@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("name", ["Landscape", "Learning_rate_race"])
def test_squared_error_and_l2_charts_stay_readable(browser, server, name, scheme):
    context, pg = open_page(browser, server, name, scheme, LAPTOP, query=SQUARED_L2)
    shoot(pg, f"{name}_squared_l2_{scheme}")
    charts = pg.evaluate(CHARTS)
    assert_readable(charts, name, scheme)
    if name == "Learning_rate_race":  # the ‖w‖ chart has the run without λ
        names = [t["name"] for t in charts[1]["traces"]]
        assert any(n.endswith("with λ = 0") for n in names), names
    context.close()


def assert_readable(charts: list, name: str, scheme: str) -> None:
    """Every chart's plot area is the page's, and its texts, traces and shapes readable."""
    assert len(charts) >= PAGES[name]
    for chart in charts:
        page_bg = rgba(chart["page"])
        bg = plot_background(chart)
        # The plot area is the page's own background, not a white (or black) box on it.
        assert contrast(bg, page_bg) < 1.2, (name, chart["plot"], chart["page"])
        if chart["rect"]:
            assert contrast(over(chart["rect"], page_bg), page_bg) < 1.2, chart["rect"]
        if scheme == "dark":
            assert luminance(bg) < 0.05, (name, chart["plot"])
        for t in chart["texts"]:
            ratio = contrast(over(t["fill"], bg), bg)
            needed = 3 if t["fill"] == STREAMLIT_LIGHT_AXIS_TEXT else 4.5
            assert ratio >= needed, (name, t["text"], t["fill"], round(ratio, 2))
        for trace in chart["traces"]:
            best = max((contrast(over(c, bg), bg) for c in trace["colours"]), default=0)
            assert best >= 3, (name, trace["name"], trace["colours"], round(best, 2))
        for colour in chart["shapes"]:
            ratio = contrast(over(colour, bg), bg)
            assert ratio >= 3, (name, "shape", colour, round(ratio, 2))


@pytest.mark.parametrize("name", list(PAGES))
def test_no_chart_offers_to_upload_it_and_png_download_stays(browser, server, name):
    context, pg = open_page(browser, server, name, "dark", LAPTOP)
    for chart in pg.evaluate(CHARTS):
        titles = [title for title, _, _ in chart["buttons"]]
        assert "Share chart..." not in titles
        assert not any("sendChartToCloud" in str(b) for b in chart["buttons"])
        if titles:  # a chart with a mode bar keeps its camera button
            assert "Download plot as a PNG" in titles
    assert pg.locator("[data-title='Share chart...']").count() == 0
    context.close()


@pytest.mark.parametrize("name", ["Derivation", "Landscape", "Learning_rate_race"])
def test_presenter_mode_makes_every_chart_text_projector_sized(browser, server, name):
    context, pg = open_page(browser, server, name, "light", PROJECTOR, present=True)
    shoot(pg, f"{name}_presenter")
    for chart in pg.evaluate(CHARTS):
        small = [(t["text"], t["size"]) for t in chart["texts"] if t["size"] < 16]
        assert not small, (name, small[:8])
    context.close()


# The loss ticks' boxes on the race's loss chart, top to bottom: [text, top, bottom].
LOSS_TICKS = """() => {
  const chart = document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')[0];
  return Array.from(chart.querySelectorAll('.ytick text')).map(t => {
    const r = t.getBoundingClientRect(); return [t.textContent, r.top, r.bottom]; })
    .sort((a, b) => a[1] - b[1]);
}"""


@pytest.mark.parametrize("present", [False, True])
def test_race_uses_the_controls_words_and_its_log_ticks_do_not_overlap(browser, server, present):
    """A long run on separable points takes the loss down to ~10⁻¹⁸: one label per decade
    piled up. The caption names the update mode as the sidebar does."""
    long_run = default_scenario().replace(epochs=300, mode="batch")
    context = browser.new_context(viewport=PROJECTOR if present else LAPTOP)
    pg = context.new_page()
    query = scenario_to_query_string(long_run) + ("&present=1" if present else "")
    pg.goto(f"{server}/Learning_rate_race{query}")
    wait_idle(pg)
    wait_charts_settled(pg, 3)
    main = pg.get_by_test_id("stMain").inner_text()
    assert "Full batch" in main and "“batch”" not in main
    ticks = pg.evaluate(LOSS_TICKS)
    assert len(ticks) >= 3, ticks
    for (a, _, a_bottom), (b, b_top, _) in itertools.pairwise(ticks):
        assert a_bottom <= b_top, (a, b, ticks)
    context.close()
