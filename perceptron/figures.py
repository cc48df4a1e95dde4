"""Plotly figures for the Playground, as plain dicts (fast to build, easy to test).

Every builder is pure: arrays in, a ``{"data": [...], "layout": {...}}`` dict out. The
browser only draws what these return. Traces carry a ``uid`` so the page's animation can
find the step-dependent ones (shading, boundary, misclassified, used, markers at k).
"""

from __future__ import annotations

import base64

import numpy as np

from perceptron.explain import UNDECIDED, WRONG, predicted_class, verdicts
from perceptron.geometry import boundary_segment, weight_arrow
from perceptron.model import point_losses, predict_proba
from perceptron.training import History

# Okabe-Ito colour-blind-safe pair, plus a marker shape per class so colour is never needed.
CLASS_COLORS = ("#0072B2", "#D55E00")
CLASS_SYMBOLS = ("circle", "triangle-up")
CLASS_NAMES = ("class 0", "class 1")
BIAS_COLOR = "#009E73"
USED_COLOR = "#E69F00"
# The Playground's charts in each of the app's themes (.streamlit/config.toml): Streamlit
# does not theme a custom component's Plotly charts, so every colour that meets the
# background is chosen here. The class colours and the used ring work on both.
THEMES = {
    "light": {
        "background": "#FFFFFF",
        "text": "#1B1F24",
        "grid": "rgba(0,0,0,0.12)",
        "axis": "#444444",
        "ink": "#222222",  # boundary, w arrow, loss line
        "misclassified": "#111111",
        "undecided": "#6B6B6B",
        "outline": "#FFFFFF",  # around markers
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
        "outline": "#0E1117",
        "step_line": "#9AA0AA",
        "shading": [[0.0, "#1D4F75"], [0.5, "#0E1117"], [1.0, "#7A3F12"]],
    },
}
SHADING_SCALE = THEMES["light"]["shading"]
BOUNDARY_COLOR = THEMES["light"]["ink"]
MISCLASSIFIED_COLOR = THEMES["light"]["misclassified"]
SERIES_MAX_POINTS = 1_000
GRID_SIZE = 40


def rounded(values, digits: int = 5) -> list[float]:
    """Values as a JSON-friendly list, to ``digits`` significant digits (keeps payloads small).

    Each value becomes the float nearest to its rounded decimal, as ``float(f"{v:.5g}")``
    would make it, but for a whole array at once: an integer n of ``digits`` digits
    divided (or multiplied) by an exact power of ten is rounded once, to that float.
    """
    v = np.asarray(values, dtype=float).ravel()
    if v.size <= 16:  # a few numbers: quicker one at a time than through numpy
        return [float(f"{x:.{digits}g}") for x in v.tolist()]
    out = v.copy()
    todo = np.flatnonzero(np.isfinite(v) & (v != 0))
    shift = digits - 1 - np.floor(np.log10(np.abs(v[todo])))
    exact = np.abs(shift) <= 22  # 10**22 is the largest power of ten a float holds exactly
    i, k = todo[exact], shift[exact]
    n = np.rint(v[i] * 10.0**k)
    over = np.abs(n) >= 10.0**digits  # log10 fell just short of a power of ten
    k[over] -= 1
    n[over] = np.rint(v[i[over]] * 10.0 ** k[over])
    out[i] = np.where(k >= 0, n / 10.0 ** np.abs(k), n * 10.0 ** np.abs(k))
    for j in todo[~exact]:  # tiny or huge: rare, one at a time
        out[j] = float(f"{v[j]:.{digits}g}")
    return out.tolist()


def sample_indices(count: int, max_points: int = SERIES_MAX_POINTS) -> np.ndarray:
    """At most ``max_points`` evenly spread indices of ``range(count)``, first and last included."""
    if count <= max_points:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, max_points).round().astype(int))


def base_layout(presenter: bool, height: int) -> dict:
    """Shared layout: sizes only, no colours (the theme supplies them, see THEME_BACKGROUNDS).

    Presenter mode enlarges every text and shrinks the height to fit a 1280×720 screen.
    Each text's size is set on its own: Streamlit's chart theme sizes the title, the axes'
    ticks and titles and the legend itself (12–16 px), which beats ``font.size``.
    """
    size = 20 if presenter else 14
    return {
        "height": int(height * (0.8 if presenter else 1.0)),
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


def data_legend(theme: str = "light") -> list[dict]:
    """The data chart's legend, drawn as HTML above the chart (a Plotly legend costs a
    redraw on every animation frame): one entry per mark, shape and colour as drawn."""
    t = THEMES[theme]
    return [
        {"label": CLASS_NAMES[0], "symbol": "circle", "color": CLASS_COLORS[0]},
        {"label": CLASS_NAMES[1], "symbol": "triangle", "color": CLASS_COLORS[1]},
        {"label": "boundary (ŷ = 0.5)", "symbol": "line", "color": t["ink"]},
        {"label": "w (normal to it)", "symbol": "arrow", "color": t["ink"]},
        {"label": "misclassified", "symbol": "ring", "color": t["misclassified"]},
        {"label": "undecided (ŷ = 0.5)", "symbol": "dashed-ring", "color": t["undecided"]},
        {"label": "used by update k", "symbol": "ring", "color": USED_COLOR},
    ]


def point_hover(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> list[str]:
    """One explanatory hover text per point: where it is, its label, ŷ and its own loss."""
    y_hat = predict_proba(w, b, X)
    losses = point_losses(w, b, X, y)
    predicted = predicted_class(y_hat)
    verdict = verdicts(y_hat, y)
    says = {
        UNDECIDED: "→ undecided (on the boundary)",
        WRONG: "→ predicted class {} (misclassified)",
    }
    return [
        f"point #{i + 1}: ({x1:.3g}, {x2:.3g}), class {int(t)}<br>"
        f"ŷ = σ(z) = {p:.3f} "
        + says.get(v, "→ predicted class {}").format(c)
        + f"<br>its loss L = {loss:.3f}"
        for i, ((x1, x2), t, p, loss, c, v) in enumerate(
            zip(X, y, y_hat, losses, predicted, verdict, strict=True)
        )
    ]


def grid_axes(x_range, y_range, size: int = GRID_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """The ŷ shading grid's x1 and x2 values: ``size`` of each, spanning the view."""
    return np.linspace(*x_range, size), np.linspace(*y_range, size)


def shading_grid(w, b, x_range, y_range, size: int = GRID_SIZE):
    """Grid axes and ŷ = σ(w1·x1 + w2·x2 + b) on it, shape (size, size), rows along x2.

    The browser evaluates the same σ on the same grid at every step it shows (the one
    formula it holds, checked against this one in tests/test_browser_contract.py)."""
    gx, gy = grid_axes(x_range, y_range, size)
    XX, YY = np.meshgrid(gx, gy)
    Z = predict_proba(w, b, np.column_stack([XX.ravel(), YY.ravel()])).reshape(size, size)
    return gx, gy, Z


def data_figure(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    b: float,
    view: tuple[tuple[float, float], tuple[float, float]],
    *,
    used: np.ndarray | None = None,
    view_key: str = "",
    presenter: bool = False,
    theme: str = "light",
) -> dict:
    """The data chart at one step.

    ``data``/``layout`` are the Plotly part: axes, the points by class with hover texts
    (ŷ and loss at this step), and the ŷ colour bar. ``overlay`` is what moves with the
    step, drawn by the browser on layers under and over the plot so a step needs no
    Plotly redraw: the ŷ shading grid, the boundary segment, the misclassified, undecided
    and used points, the weight arrow (normal to the boundary) or a note when there is no
    boundary. ``theme`` is "light" or "dark" (see ``THEMES``).
    """
    t = THEMES[theme]
    size = 16 if presenter else 11
    hover = point_hover(X, y, w, b) if len(X) else []
    traces = [_colour_bar_only(t)]
    for cls in (0, 1):
        mask = y == cls
        traces.append(
            {
                "type": "scatter",
                "uid": f"class{cls}",
                "name": CLASS_NAMES[cls],
                "mode": "markers",
                "x": rounded(X[mask, 0], 8),
                "y": rounded(X[mask, 1], 8),
                "marker": {
                    "symbol": CLASS_SYMBOLS[cls],
                    "color": CLASS_COLORS[cls],
                    "size": size,
                    "line": {"color": t["outline"], "width": 1.5},
                },
                "hovertext": [h for h, m in zip(hover, mask, strict=True) if m],
                "hoverinfo": "text",
            }
        )
    layout = _themed(base_layout(presenter, 600), t)
    # Room below for the x1 title under the tick labels, which grow in presenter mode.
    layout["margin"] = {"l": 50, "r": 10, "t": 10, "b": 70 if presenter else 56}
    layout["showlegend"] = False  # drawn as HTML, see data_legend()
    layout["plot_bgcolor"] = "rgba(0,0,0,0)"  # the shading layer shows through
    x_range, y_range = view
    axis = _axis_style(t) | {"zeroline": True, "constrain": "domain", "showgrid": True}
    layout.update(
        {
            "uirevision": view_key,
            "dragmode": "pan",
            "xaxis": axis | {"title": {"text": "x1", "standoff": 12}, "range": list(x_range)},
            "yaxis": axis
            | {
                "title": {"text": "x2", "standoff": 6},
                "range": list(y_range),
                "scaleanchor": "x",
                "scaleratio": 1,
            },
        }
    )
    overlay = step_overlay(X, y, w, b, view, used=used, theme=theme)
    overlay["style"] = {"marker_size": size, "line_width": 4 if presenter else 3}
    return {"data": traces, "layout": layout, "overlay": overlay}


def _themed(layout: dict, t: dict) -> dict:
    """``layout`` with the theme's text colour (the component's charts are not themed)."""
    font = dict(layout.get("font", {}), color=t["text"])
    return layout | {
        "font": font,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": t["background"],
    }


def _axis_style(t: dict) -> dict:
    return {
        "gridcolor": t["grid"],
        "zerolinecolor": t["axis"],
        "linecolor": t["axis"],
        "tickcolor": t["axis"],
    }


def _colour_bar_only(t: dict) -> dict:
    """An invisible heatmap whose only job is the ŷ colour bar beside the plot."""
    return {
        "type": "heatmap",
        "uid": "colour-bar",
        "x": [0, 1],
        "y": [0, 1],
        "z": [[0.0, 1.0], [1.0, 0.0]],
        "zmin": 0.0,
        "zmax": 1.0,
        "opacity": 0,
        "colorscale": t["shading"],
        "hoverinfo": "skip",
        "colorbar": {
            "title": {"text": "ŷ", "side": "top"},
            "x": 1.0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "top",
            "len": 0.55,
            "thickness": 12,
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "outlinecolor": t["axis"],
        },
    }


def step_overlay(X, y, w, b, view, *, used=None, theme: str = "light") -> dict:
    """The data chart's layers that stay while the step changes (see data_figure): the
    shading grid's axes, the colours and the overlay of step ``(w, b)`` as ``step``."""
    x_range, y_range = view
    t = THEMES[theme]
    gx, gy = grid_axes(x_range, y_range)
    return {
        "grid": {"x": rounded(gx, 8), "y": rounded(gy, 8)},
        "step": step_record(X, y, w, b, view, used=used),
        "colors": {
            "shading": t["shading"],
            "background": t["background"],
            "boundary": t["ink"],
            "misclassified": t["misclassified"],
            "undecided": t["undecided"],
            "used": USED_COLOR,
            "outline": t["outline"],
        },
    }


def step_record(X, y, w, b, view, *, used=None) -> dict:
    """What moves on the data chart at one step, as the browser draws it without redrawing
    the chart: w and b (for the ŷ shading, the one formula the browser evaluates, per
    pixel), the boundary's visible segment [x0, y0, x1, y1], the weight arrow
    [from x, from y, to x, to y] or a note when no boundary is in view, the misclassified
    and undecided points as bit masks (see ``point_mask``) and the rows update k used
    (none when it used all of them: every point would be ringed). Coordinates keep 6
    significant digits, a thousandth of a pixel."""
    x_range, y_range = view
    seg = boundary_segment(w, b, x_range, y_range)
    verdict = verdicts(predict_proba(w, b, X), y) if len(X) else np.zeros(0, str)
    arrow = weight_arrow(w, b, x_range, y_range) if seg is not None else None
    some = used is not None and len(used) < len(X)
    return {
        "w": rounded(w, 8),
        "b": rounded(b, 8)[0],
        "boundary": rounded([*seg[0], *seg[1]], 6) if seg else None,
        "arrow": None if arrow is None else rounded([*arrow[0], *arrow[1]], 6),
        "note": None if seg is not None else _no_boundary_note(w),
        "wrong": point_mask(verdict == WRONG),
        "undecided": point_mask(verdict == UNDECIDED),
        "used": [int(i) for i in used] if some else [],
    }


def point_mask(mask: np.ndarray) -> str:
    """A boolean per point as base64 of its bits, point i at bit i % 8 of byte i // 8:
    2,000 points in 336 characters, where a list of indices could take 5 per point."""
    packed = np.packbits(np.asarray(mask, dtype=bool), bitorder="little")
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _no_boundary_note(w) -> str:
    why = (
        "w = (0, 0): every point gets ŷ = σ(b)"
        if not np.any(w)
        else "the line lies outside this view"
    )
    return f"No decision boundary in view ({why})"


def _series_figure(
    title: str,
    xs,
    lines: list[tuple[str, np.ndarray, str]],
    k: int,
    at_k: list[float],
    presenter: bool,
    log_y: bool = False,
    theme: str = "light",
    unreliable_from: int | None = None,
) -> dict:
    t = THEMES[theme]
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "uid": f"line-{i}",
            "name": name,
            "x": rounded(xs, 8),
            "y": rounded(values),
            "line": {"color": color, "width": 2.5},
            "showlegend": len(lines) > 1,
            "hovertemplate": f"{name} = %{{y:.4g}} at step %{{x}}<extra></extra>",
        }
        for i, (name, values, color) in enumerate(lines)
    ]
    # The marker at step k is drawn by the browser over the chart (moving it then costs no
    # Plotly redraw): the step, and each line's value there (NaN before the first update).
    step = {
        "k": k,
        "points": [
            {"name": name, "y": float(f"{v:.6g}"), "color": color}
            for (name, _, color), v in zip(lines, at_k, strict=True)
            if np.isfinite(v)
        ],
    }
    layout = _themed(base_layout(presenter, 215), t)
    layout["font"] = {"size": 16 if presenter else 13, "color": t["text"]}
    layout.update(
        {
            "title": {
                "text": title,
                "x": 0,
                "y": 0.98,
                "yanchor": "top",
                "font": {"size": 18 if presenter else 15},
            },
            "legend": {
                "orientation": "h",
                "x": 1,
                "xanchor": "right",
                "y": 1.02,
                "yanchor": "bottom",
            },
            "margin": {"l": 55, "r": 10, "t": 40, "b": 25},
            "uirevision": "series",
            "xaxis": _axis_style(t) | {"hoverformat": "d"},
            "yaxis": _axis_style(t)
            | {"type": "log" if log_y else "linear", "exponentformat": "power"},
        }
    )
    if unreliable_from is not None:
        layout.update(_digits_lost(int(unreliable_from), int(xs[-1]), t))
    step["line"], step["outline"] = t["step_line"], t["outline"]
    return {"data": traces, "layout": layout, "step": step}


def _digits_lost(start: int, end: int, t: dict) -> dict:
    """Shapes and labels that grey out the steps from ``start`` on, where float64's
    rounding errors have grown past the digits shown (see ``perceptron.precision``)."""
    return {
        "shapes": [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": start,
                "x1": end,
                "y0": 0,
                "y1": 1,
                "fillcolor": t["grid"],
                "line": {"width": 0},
                "layer": "below",
            }
        ],
        "annotations": [
            {
                "text": "float64 digits used up",
                "x": start,
                "xref": "x",
                "xanchor": "left",
                "y": 1,
                "yref": "paper",
                "yanchor": "top",
                "showarrow": False,
                "bgcolor": t["background"],
                "font": {"color": t["text"], "size": 11},
            }
        ],
    }


def loss_figure(
    history: History,
    k: int,
    loss_at_k: float,
    *,
    log_y=False,
    presenter=False,
    theme="light",
    unreliable_from=None,
) -> dict:
    """Mean loss over all points at the recorded states, with the current step marked."""
    idx = sample_indices(len(history.loss_steps))
    return _series_figure(
        "Loss (mean L over all points) by step k",
        history.loss_steps[idx],
        [("loss", history.loss[idx], THEMES[theme]["ink"])],
        k,
        [loss_at_k],
        presenter,
        log_y=log_y,
        theme=theme,
        unreliable_from=unreliable_from,
    )


def derivatives_figure(
    history: History, k: int, *, presenter=False, theme="light", unreliable_from=None
) -> dict:
    """∂L/∂w1, ∂L/∂w2 and ∂L/∂b used by each update k = 1..K, with update k marked."""
    idx = sample_indices(history.n_updates)
    g = history.grad_w
    at_k = [g[k - 1, 0], g[k - 1, 1], history.grad_b[k - 1]] if k >= 1 else [np.nan] * 3
    return _series_figure(
        "Derivatives used by update k",
        idx + 1,
        [
            ("∂L/∂w1", g[idx, 0], CLASS_COLORS[0]),
            ("∂L/∂w2", g[idx, 1], CLASS_COLORS[1]),
            ("∂L/∂b", history.grad_b[idx], BIAS_COLOR),
        ],
        k,
        at_k,
        presenter,
        theme=theme,
        unreliable_from=unreliable_from,
    )


def weights_figure(
    history: History, k: int, *, presenter=False, theme="light", unreliable_from=None
) -> dict:
    """w1, w2 and b at every state 0..K, with step k marked."""
    idx = sample_indices(history.n_updates + 1)
    return _series_figure(
        "Weights and bias at step k",
        idx,
        [
            ("w1", history.w[idx, 0], CLASS_COLORS[0]),
            ("w2", history.w[idx, 1], CLASS_COLORS[1]),
            ("b", history.b[idx], BIAS_COLOR),
        ],
        k,
        [history.w[k, 0], history.w[k, 1], history.b[k]],
        presenter,
        theme=theme,
        unreliable_from=unreliable_from,
    )


# ---------------------------------------------------------------- colours for both themes
# The backgrounds of the app's two themes (.streamlit/config.toml). st.plotly_chart
# re-themes a chart in the browser when the user switches theme, without a rerun, so a
# mark on those charts must keep ≥ 3:1 contrast (WCAG 1.4.11) against both.
THEME_BACKGROUNDS = {"light": "#FFFFFF", "dark": "#0E1117"}
# Okabe-Ito hues that do: its orange darkened (#E69F00 is 2.3:1 on white), and a mid grey
# where black was (black is 1.1:1 on the dark background).
BOTH_THEMES = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "purple": "#CC79A7",
    "orange": "#B77E00",
    "grey": "#7F7F7F",
}


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
