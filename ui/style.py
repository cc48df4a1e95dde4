"""How every chart on every page looks: colours per theme, sizes per audience, one layout.

``Look`` is what a chart depends on besides its data: the theme the page shows and
whether a projector is the audience (presenter mode). ``look()`` reads both for this run,
and ``base_layout`` turns a Look into the sizes every figure starts from.

Colours: charts drawn by Streamlit (``st.plotly_chart``) take the theme's text, grid and
background from Streamlit, which re-themes them in the browser when the learner switches
the theme in the settings menu (no rerun happens then); so their marks use colours that
hold 3:1 on both backgrounds (``BOTH_THEMES``, WCAG 1.4.11). The Playground's charts are
drawn by our own component, which Streamlit does not theme: they take every colour from
``THEMES[look.theme]``, and the component asks for a rerun when the theme changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui import page, state

# Okabe-Ito colour-blind-safe pair, plus a marker shape per class so colour is never needed.
CLASS_COLORS = ("#0072B2", "#D55E00")
CLASS_SYMBOLS = ("circle", "triangle-up")
CLASS_NAMES = ("class 0", "class 1")
BIAS_COLOR = "#009E73"
USED_COLOR = "#E69F00"
# The Playground's charts in each of the app's themes (.streamlit/config.toml). The class
# colours and the used ring work on both.
THEMES = {
    "light": {
        "background": "#FFFFFF",
        "text": "#1B1F24",
        "grid": "rgba(0,0,0,0.12)",
        "axis": "#444444",
        "ink": "#222222",  # boundary, w arrow, loss line
        "misclassified": "#111111",
        "undecided": "#6B6B6B",
        # Around markers: dark in the light theme, light in the dark one, so a point stands
        # out (≥ 3:1) on the ŷ shading at its strongest, whatever its own colour.
        "outline": "#1B1F24",
        "step_line": "#777777",
        # Diverging scale centred at ŷ = 0.5: pale class-0 blue, white, pale vermillion.
        "shading": [[0.0, "#6AAED6"], [0.5, "#FFFFFF"], [1.0, "#F4A261"]],
    },
    "dark": {
        "background": "#0E1117",
        "text": "#F0F2F6",
        "grid": "rgba(255,255,255,0.14)",
        "axis": "#B8BEC8",
        "ink": "#F0F2F6",
        "misclassified": "#FFFFFF",
        "undecided": "#A8ADB5",
        "outline": "#E6E9EF",
        "step_line": "#9AA0AA",
        "shading": [[0.0, "#1D4F75"], [0.5, "#0E1117"], [1.0, "#7A3F12"]],
    },
}
# How strongly the ŷ shading covers the plot's background (the browser paints it so).
SHADING_OPACITY = 0.7
# The backgrounds of the app's two themes (.streamlit/config.toml).
THEME_BACKGROUNDS = {name: colors["background"] for name, colors in THEMES.items()}
# Okabe-Ito hues readable on both themes' backgrounds, for the charts Streamlit themes: its
# orange darkened (#E69F00 is 2.3:1 on white), and a mid grey where black was (black is
# 1.1:1 on the dark background).
BOTH_THEMES = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "purple": "#CC79A7",
    "orange": "#B77E00",
    "grey": "#7F7F7F",
}


@dataclass(frozen=True)
class Look:
    """What a chart depends on besides its data: the theme and the audience.

    Presenter mode is for a 1280×720 projector: every text bigger, marks bolder, charts
    shorter so the step buttons, the numbers and a chart fit on one screen.
    """

    theme: str = "light"
    presenter: bool = False

    @property
    def colors(self) -> dict:
        """The Playground's colours in this theme (see THEMES)."""
        return THEMES[self.theme]

    @property
    def text(self) -> int:
        """Body text of a chart, px."""
        return 20 if self.presenter else 14

    @property
    def small_text(self) -> int:
        """Text of the Playground's three small line charts, px (their titles: +2)."""
        return 16 if self.presenter else 13

    @property
    def marker(self) -> int:
        """A point's marker size on the data chart, px."""
        return 16 if self.presenter else 11

    @property
    def line(self) -> int:
        """The boundary's and the arrow's width, px."""
        return 4 if self.presenter else 3

    def height(self, px: int) -> int:
        """A chart's height: ``px`` at a desk, 80 % of it on a projector."""
        return int(px * (0.8 if self.presenter else 1.0))


DESK = Look()  # a learner at a laptop, light theme


def look() -> Look:
    """The look of this run's charts: the theme the page shows, and presenter mode."""
    return Look(state.theme(), page.presenter())


def base_layout(look: Look, height: int) -> dict:
    """The layout every figure starts from: sizes only, no colours.

    Each text's size is set on its own: Streamlit's chart theme sizes the title, the axes'
    ticks and titles and the legend itself (12–16 px), which beats ``font.size``.
    """
    size = look.text
    return {
        "height": look.height(height),
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "font": {"size": size},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "title": {"font": {"size": size + 2}},
        "xaxis": {"tickfont": {"size": size - 2}, "title": {"font": {"size": size}}},
        "yaxis": {"tickfont": {"size": size - 2}, "title": {"font": {"size": size}}},
        "legend": {
            "orientation": "h",
            "y": -0.12,
            "yanchor": "top",
            "x": 0,
            "font": {"size": size - 1},
        },
        "hoverlabel": {"font": {"size": size}},
    }


def component_layout(look: Look, height: int) -> dict:
    """``base_layout`` with the colours the Playground's component needs (Streamlit does
    not theme it): the theme's text on a transparent paper and the theme's plot area."""
    layout = base_layout(look, height)
    layout["font"] = dict(layout["font"], color=look.colors["text"])
    layout["plot_bgcolor"] = look.colors["background"]
    return layout


def axis_style(look: Look) -> dict:
    """The Playground's axis colours in ``look``'s theme."""
    t = look.colors
    return {
        "gridcolor": t["grid"],
        "zerolinecolor": t["axis"],
        "linecolor": t["axis"],
        "tickcolor": t["axis"],
    }


def merged(base: dict, extra: dict) -> dict:
    """``base`` updated with ``extra`` key by key, so ``xaxis={"title": ...}`` keeps the
    shared tick and title sizes instead of replacing them."""
    out = dict(base)
    for key, value in extra.items():
        both_dicts = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = merged(out[key], value) if both_dicts else value
    return out


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of "#rgb" or "#rrggbb", 0 (black) to 1 (white)."""
    h = color.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    if len(h) != 6:
        raise ValueError(f"color must be #rgb or #rrggbb, got {color!r}")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1 (none) to 21 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
