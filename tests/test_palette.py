"""Every colour the Derivation, Landscape, Race and Data charts draw is readable on both
themes' backgrounds (WCAG 2: ≥ 3:1 for marks and lines, ≥ 4.5:1 for text), and every
st.plotly_chart there gets the shared config without "Share chart..."."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import contributions, keys, landscape, landscape_figures, race_figures
from ui.style import BOTH_THEMES, CLASS_COLORS, THEME_BACKGROUNDS, contrast_ratio

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = {
    "pages/1_Derivation.py": 1,
    "pages/2_Landscape.py": 1,
    "pages/3_Learning_rate_race.py": 3,
    "pages/4_Data.py": 6,
}
# Area fills: their colour scales lie under the marks, not on the page background.
AREA_TRACES = {"contour", "heatmap", "surface"}


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFF", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#0072B2", "#FFFFFF") == pytest.approx(
        contrast_ratio("#FFFFFF", "#0072B2")
    )
    with pytest.raises(ValueError, match="'blue'"):
        contrast_ratio("blue", "#FFFFFF")


def on(color: str, background: str) -> str:
    """``color`` ("#rrggbb", "rgb(...)", "rgba(...)") as drawn over ``background``, as #rrggbb."""
    if color.startswith("#"):
        return color
    r, g, b, *alpha = (float(v) for v in re.findall(r"[\d.]+", color))
    a = alpha[0] if alpha else 1.0
    bg = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(a * c + (1 - a) * d):02X}" for c, d in zip((r, g, b), bg, strict=True)
    )


def readable(color: str, needed: float) -> bool:
    return all(contrast_ratio(on(color, bg), bg) >= needed for bg in THEME_BACKGROUNDS.values())


@pytest.mark.parametrize(
    "color",
    [
        *CLASS_COLORS,
        *BOTH_THEMES.values(),
        *race_figures.RUNNER_COLORS,
        contributions.MISCLASSIFIED_COLOR,
        contributions.CORRECT_COLOR,
        contributions.MEAN_COLOR,
        landscape_figures.PATH_CASING,
        landscape_figures.NOW_COLOR,
        landscape_figures.START_COLOR,
    ],
)
def test_page_mark_colours_have_3_to_1_on_both_themes(color):
    assert readable(color, 3), {n: contrast_ratio(color, bg) for n, bg in THEME_BACKGROUNDS.items()}


def test_runner_colours_are_distinct_and_not_class_colours():
    assert len(set(race_figures.RUNNER_COLORS)) == len(race_figures.RUNNER_COLORS)
    assert not set(race_figures.RUNNER_COLORS) & set(CLASS_COLORS)


def page_charts(path: str, **session) -> list:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["k"] = "5"
    at.run()
    for key, value in session.items():
        at.session_state[key] = value
    at.switch_page(path).run()
    assert not at.exception
    return at.get("plotly_chart")


def trace_colours(trace: dict) -> list[str]:
    """The colours a person sees of one trace: its line, its markers' fill and outline."""
    mode = trace.get("mode", "")
    line, marker = trace.get("line", {}), trace.get("marker", {})
    colours = [line["color"]] if "color" in line and ("lines" in mode or not mode) else []
    if "markers" in mode or trace["type"] == "bar":
        if isinstance(marker.get("color"), str):
            colours.append(marker["color"])
        outline = marker.get("line", {})
        if outline.get("width", 0) >= 1 and isinstance(outline.get("color"), str):
            colours.append(outline["color"])
    return colours


def font_colours(node, key: str = "") -> list[str]:
    """Every font colour set anywhere in ``node`` (the theme's template left out)."""
    if isinstance(node, dict):
        own = [node["color"]] if key.endswith("font") and isinstance(node.get("color"), str) else []
        return own + [c for k, v in node.items() if k != "template" for c in font_colours(v, k)]
    if isinstance(node, list):
        return [c for v in node for c in font_colours(v, key)]
    return []


@pytest.mark.parametrize(
    ("path", "session"),
    [
        ("pages/1_Derivation.py", {}),
        ("pages/2_Landscape.py", {}),
        ("pages/2_Landscape.py", {keys.LANDSCAPE_VIEW: landscape.VIEWS[1]}),
        ("pages/2_Landscape.py", {keys.LANDSCAPE_VIEW: landscape.VIEWS[2]}),
        ("pages/3_Learning_rate_race.py", {}),
        ("pages/4_Data.py", {}),
    ],
)
def test_every_drawn_colour_is_readable_on_both_themes(path, session):
    """Walk the figures the page sends: no plot background of its own, every legend-visible
    trace and every shape readable (≥ 3:1), every font colour set ≥ 4.5:1, on both themes."""
    charts = page_charts(path, **session)
    assert len(charts) >= PAGES[path]
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        layout = spec["layout"]
        assert "plot_bgcolor" not in layout  # the theme's own
        assert layout.get("paper_bgcolor", "rgba(0,0,0,0)") == "rgba(0,0,0,0)"
        traces = [t for t in spec["data"] if t["type"] not in AREA_TRACES]
        shown = [t for t in traces if t.get("showlegend", True)]
        for trace in shown:
            colours = trace_colours(trace)
            # In each theme some part of the mark stands out: its fill or its outline.
            for bg in THEME_BACKGROUNDS.values():
                best = max((contrast_ratio(on(c, bg), bg) for c in colours), default=0)
                assert best >= 3, (path, trace.get("name"), colours, bg)
        names = {t.get("name") for t in shown}
        for trace in traces:  # not in the legend: invisible, or drawn over a legend trace
            hidden = trace.get("marker", {}).get("opacity") == 0 or trace.get("opacity") == 0
            assert trace.get("showlegend", True) or hidden or trace.get("name") in names
        for shape in layout.get("shapes", []):
            assert readable(shape["line"]["color"], 3), (path, shape)
        for colour in font_colours(spec):
            assert readable(colour, 4.5), (path, colour)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_chart_gets_the_shared_config_without_share_chart(path):
    for chart in page_charts(path):
        assert chart.proto.theme == "streamlit"  # follows the active theme in the browser
        config = json.loads(chart.proto.config)
        assert "sendChartToCloud" in config["modeBarButtonsToRemove"]
        assert config["showSendToCloud"] is False
        assert "toImage" not in config.get("modeBarButtonsToRemove", [])  # PNG download kept


def _painted(color: str, background: str, opacity: float) -> str:
    """``color`` painted at ``opacity`` over ``background``, as the browser blends them."""
    rgb = [[int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)] for c in (color, background)]
    mixed = (round(opacity * a + (1 - opacity) * b) for a, b in zip(*rgb, strict=True))
    return "#" + "".join(f"{v:02X}" for v in mixed)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_point_stands_out_on_the_shading_at_its_strongest(theme):
    """A point's fill or its outline keeps 3:1 (WCAG 1.4.11) against the ŷ shading where it
    is darkest or lightest (ŷ = 0 and ŷ = 1), as the browser paints it over the plot."""
    from ui.style import SHADING_OPACITY, THEMES

    t = THEMES[theme]
    for _, stop in t["shading"]:
        shade = _painted(stop, t["background"], SHADING_OPACITY)
        for color in CLASS_COLORS:
            best = max(contrast_ratio(color, shade), contrast_ratio(t["outline"], shade))
            assert best >= 3, (theme, stop, color, best)
