"""A keyboard-only walk of every page in a real Chromium (WCAG 2.1.1, 2.1.2, 2.4.3, 2.4.7).

For each page (light theme; the Playground also in presenter mode) the test presses Tab,
and nothing else, until the focus comes back to the first element it stopped at (at most
160 presses), recording each stop: ``document.activeElement``, followed into shadow roots
and same-origin iframes (Streamlit 1.67 uses neither for these pages: its Components v2
chart lives in the page's own DOM). Then it checks:

- no trap: no stop holds the focus for more than two Tabs in a row, but a data grid
  (st.dataframe, st.data_editor: glide-data-grid's canvas) may take one Tab per column,
  as it does: Tab moves its selected cell along the row, then leaves the grid. Shift+Tab
  from the last stop visits the last stops in reverse;
- a visible focus indicator on every stop, by pixels rather than computed styles: Streamlit
  draws its rings with box-shadow on a wrapper, on the element itself, as a border colour
  or an outline, or (switches, radio buttons) on the label of a visually hidden input, and
  Plotly's and Streamlit's chart toolbars are hidden until hovered, so no single style
  property tells. The test takes a screenshot of the element's box (grown by 8 px, where
  rings go) focused, blurs it, takes the same screenshot again, and asserts that enough
  pixels changed by at least 40 of 255 in a colour channel (a faint tint such as
  Streamlit's 1.1:1 grey behind a focused switch does not count; CSS transitions are
  fast-forwarded: ``animations="disabled"``). A grid keeps its selected cell drawn when
  blurred, so for a grid the test asserts instead that each Tab inside it visibly moves
  the selected cell;
- every visible control is reachable: each element of the page that a Tab can stop at
  (links, buttons, inputs, summaries, ``tabindex >= 0``), not disabled, not hidden (inside
  a closed expander, a collapsed sidebar, a closed popover), was a stop; a group of radio
  buttons is one stop (arrow keys move within it);
- a sensible order: the sidebar's stops all come before the main area's, and within the
  main area each stop is below the one before (its top at most 10 px higher), or in a
  column to its right (starts where the one before ends: st.columns are read column by
  column, so the next column's first control sits higher than the last one's of the column
  before).

    CHROMIUM=/usr/bin/chromium .venv/bin/python -m pytest tests/test_browser_keyboard.py -s
"""

from __future__ import annotations

import io
import itertools
import os

import numpy as np
import pytest
from PIL import Image

from perceptron import default_scenario
from perceptron.links import scenario_to_query_string
from tests.browser_support import LAPTOP, PAGES, PROJECTOR, goto_page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]
sync_api = pytest.importorskip("playwright.sync_api")

# Step 5 of the default run: the Playground's back buttons are enabled too.
QUERY = scenario_to_query_string(default_scenario().replace(step=5))
MAX_TABS = 160
DEBUG = bool(os.environ.get("KBD_DEBUG"))

# The focused element (into shadow roots and iframes), described; its identity is a number
# kept in a WeakMap, so the same element is the same stop however often it is reached.
FOCUSED = """() => {
  let el = document.activeElement;
  while (el) {
    if (el.shadowRoot && el.shadowRoot.activeElement) {
      el = el.shadowRoot.activeElement; continue; }
    if (el.tagName === 'IFRAME' && el.contentDocument && el.contentDocument.activeElement
        && el.contentDocument.activeElement !== el.contentDocument.body) {
      el = el.contentDocument.activeElement; continue; }
    break;
  }
  if (!el || el === document.body) return null;
  window.__kbdLast = el;
  // A data grid (glide-data-grid) focuses its canvas or a cell of the table inside it.
  const canvas = el.closest('canvas');
  const cols = canvas ? +canvas.querySelector('[aria-colcount]').getAttribute('aria-colcount') : 0;
  el = canvas || el;
  const ids = window.__kbdIds || (window.__kbdIds = new WeakMap());
  if (!ids.has(el)) {
    window.__kbdNext = (window.__kbdNext || 0) + 1; ids.set(el, window.__kbdNext); }
  // A visually hidden input (a switch, a checkbox, a radio button) shows as its label.
  const label = el.tagName === 'INPUT' && el.closest('label');
  const r = (label && el.getBoundingClientRect().width < 20 ? label : el).getBoundingClientRect();
  const area = el.closest('[data-testid=stSidebar]') ? 'sidebar'
    : el.closest('[data-testid=stMain]') ? 'main' : 'top';
  const main = document.querySelector('[data-testid=stMain]');
  const top = r.top + (area === 'main' ? main.scrollTop : 0);
  const tid = el.closest('[data-testid]');
  return {id: ids.get(el), cols, area, tag: el.tagName.toLowerCase(),
          testid: tid ? tid.dataset.testid : null,
          name: (el.getAttribute('aria-label') || el.getAttribute('data-title')
                 || el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 50),
          left: r.left, right: r.right, top, vtop: r.top, bottom: r.bottom,
          width: r.width, height: r.height, vw: innerWidth, vh: innerHeight};
}"""

BLUR = "() => { const el = window.__kbdLast; el.blur(); }"
REFOCUS = "() => { const el = window.__kbdLast; el.focus({preventScroll: true});" \
    " return document.activeElement === el || !!el.getRootNode().activeElement; }"  # fmt: skip

# Every element a Tab can stop at that a person can see now, with whether the walk did.
REACHABLE = """() => {
  const ids = window.__kbdIds, seen = new Set(window.__kbdSeen);
  const sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const out = [], radios = new Map();
  for (const el of document.querySelectorAll(sel)) {
    if (el.tabIndex < 0 || el.disabled || el.closest('[inert]')) continue;
    if (el.type === 'hidden' || !el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const hit = ids.has(el) && seen.has(ids.get(el));
    const tid = el.closest('[data-testid]');
    const name = (el.getAttribute('aria-label') || el.getAttribute('data-title')
                  || el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
    // A group of radio buttons is one stop: arrow keys move within it.
    const group = el.type === 'radio' ? el.closest('[role=radiogroup]') || el.name
      : el.getAttribute('role') === 'radio' ? el.closest('[role=radiogroup]') : null;
    if (group) {
      const g = radios.get(group) || {hit: false, what: `radio group of "${name}"`};
      g.hit = g.hit || hit; radios.set(group, g); continue;
    }
    out.push({hit, what: `${el.tagName.toLowerCase()} ${tid ? tid.dataset.testid : ''} "${name}"`});
  }
  return out.concat([...radios.values()]);
}"""


@pytest.fixture(scope="module")
def tabs(browser):
    """One browser tab per window size, reused by every test."""
    opened = {}

    def tab(viewport: dict):
        if viewport["width"] not in opened:
            context = browser.new_context(viewport=viewport, color_scheme="light")
            opened[viewport["width"]] = (context, context.new_page())
        return opened[viewport["width"]][1]

    yield tab
    for context, _ in opened.values():
        context.close()


def changed_pixels(before: bytes, after: bytes) -> int:
    a = np.asarray(Image.open(io.BytesIO(before)).convert("RGB"), dtype=np.int16)
    b = np.asarray(Image.open(io.BytesIO(after)).convert("RGB"), dtype=np.int16)
    return int((np.abs(a - b).max(axis=2) > 40).sum())


def clip(stop: dict) -> dict:
    x0, y0 = max(stop["left"] - 8, 0), max(stop["vtop"] - 8, 0)
    x1, y1 = min(stop["right"] + 8, stop["vw"]), min(stop["bottom"] + 8, stop["vh"])
    return {"x": x0, "y": y0, "width": max(x1 - x0, 1), "height": max(y1 - y0, 1)}


def ring_shown(pg, stop: dict) -> tuple[int, int]:
    """(pixels that change when the focused element is blurred, pixels needed): the
    element's box and 8 px around it, clipped to the window; needed is half its perimeter
    (a 1 px ring along two sides), at most 60 (a ring around a small slider thumb)."""
    focused = pg.screenshot(clip=clip(stop), animations="disabled")
    pg.evaluate(BLUR)
    blurred = pg.screenshot(clip=clip(stop), animations="disabled")
    assert pg.evaluate(REFOCUS), f"could not give the focus back to {stop}"
    need = min((stop["width"] + stop["height"]), 60)
    return changed_pixels(focused, blurred), need


def walk(pg) -> tuple[list[dict], list[str]]:
    """Tab until the focus is back at the first stop; return the stops in order (a stop
    per Tab) and the problems seen on the way (traps, stops with no visible ring)."""
    pg.evaluate("() => { document.activeElement && document.activeElement.blur();"
                " window.__kbdSeen = []; }")  # fmt: skip
    stops, problems, checked = [], [], set()
    grid_shot = b""
    run = 0
    for _ in range(MAX_TABS):
        pg.keyboard.press("Tab")
        stop = pg.evaluate(FOCUSED)
        if stop is None:  # the browser's own controls, between the page's last and first
            stops.append(None)
            continue
        if stops and stops[0] and stop["id"] == stops[0]["id"]:
            break
        run = run + 1 if stops and stops[-1] and stop["id"] == stops[-1]["id"] else 1
        if run == 3 + stop["cols"]:  # a grid: a Tab for each cell of its row
            problems.append(
                f"trap: {stop['tag']} {stop['testid']} {stop['name']!r} holds the focus"
            )
        stops.append(stop)
        pg.evaluate("(id) => window.__kbdSeen.push(id)", stop["id"])
        if stop["tag"] == "canvas":
            # A data grid draws its focus as a selected cell, which stays drawn when the
            # grid is blurred (and a grid focused again by script no longer takes Tab
            # along its row): its indicator is that the selected cell visibly moves.
            shot = pg.screenshot(clip=clip(stop), animations="disabled")
            if run > 1 and run <= 1 + stop["cols"]:
                got = changed_pixels(grid_shot, shot)
                if got < 60:
                    problems.append(f"no visible move of the grid's selected cell ({got} px)")
            grid_shot = shot
        elif stop["id"] not in checked:
            checked.add(stop["id"])
            got, need = ring_shown(pg, stop)
            stop["ring"] = got
            if got < need:
                problems.append(
                    f"no visible focus: {stop['tag']} {stop['testid']} {stop['name']!r}"
                    f" ({got} of {need} pixels changed)"
                )
    else:
        problems.append(f"the focus did not come back to the first stop in {MAX_TABS} Tabs")
    return stops, problems


def order_problems(stops: list[dict]) -> list[str]:
    real = [s for s in stops if s]
    areas = [s["area"] for s in real]
    problems = []
    sidebar = [i for i, a in enumerate(areas) if a == "sidebar"]
    if "main" in areas and sidebar and max(sidebar) > areas.index("main"):
        problems.append("a sidebar stop comes after the main area's first stop")
    main = [s for s in real if s["area"] == "main" and s["testid"] != "stMain"]
    for a, b in itertools.pairwise(main):
        if a["id"] == b["id"]:
            continue
        if not (b["top"] >= a["top"] - 10 or b["left"] >= a["right"] - 10):
            problems.append(
                f"order: {b['name']!r} (top {b['top']:.0f}, left {b['left']:.0f})"
                f" after {a['name']!r} (top {a['top']:.0f}, right {a['right']:.0f})"
            )
    return problems


def backwards_problems(pg, stops: list[dict]) -> list[str]:
    """Shift+Tab from the last stop visits the last few elements in reverse. A data grid
    takes one Shift+Tab per cell, so elements are compared, not presses."""
    forward = []
    for s in stops:
        if s and (not forward or forward[-1] != s["id"]):
            forward.append(s["id"])
    want = forward[::-1][:5]
    # The walk ended with the focus back on the first stop: Shift+Tab goes to the last.
    got, names = [], []
    for _ in range(40):
        pg.keyboard.press("Shift+Tab")
        now = pg.evaluate(FOCUSED)
        if now is None:
            if got:
                break
            continue
        if not got or got[-1] != now["id"]:
            got.append(now["id"])
            names.append(now["name"])
        if len(got) == len(want):
            break
    if got != want:
        return [f"Shift+Tab went back through {names}, not the forward order reversed"]
    return []


def dump(name: str, stops: list[dict]) -> None:
    if not DEBUG:
        return
    print(f"\n== {name}")
    for i, s in enumerate(stops):
        if s is None:
            print(f"{i:3} (browser)")
            continue
        print(
            f"{i:3} {s['area']:7} {s['tag']:8} {str(s['testid'])[:24]:24} {s['name'][:40]!r:44}"
            f" top={s['top']:.0f} left={s['left']:.0f} cols={s['cols']} ring={s.get('ring')}"
        )


CASES = [(name, LAPTOP, QUERY) for name in PAGES] + [
    ("Playground", PROJECTOR, QUERY + "&present=1")
]


@pytest.mark.parametrize(
    ("name", "viewport", "query"),
    CASES,
    ids=[f"{n}{'-presenter' if 'present' in q else ''}" for n, _, q in CASES],
)
def test_every_control_is_reached_by_tab_with_a_visible_ring_in_order(
    server, tabs, name, viewport, query
):
    pg = tabs(viewport)
    goto_page(pg, server, name, query)
    stops, problems = walk(pg)
    dump(name, stops)
    missed = [c["what"] for c in pg.evaluate(REACHABLE) if not c["hit"]]
    problems += [f"never reached by Tab: {m}" for m in missed]
    problems += order_problems(stops)
    problems += backwards_problems(pg, stops)
    distinct = {s["id"] for s in stops if s}
    print(f"\n{name}{' (presenter)' if 'present' in query else ''}: {len(distinct)} stops")
    assert not problems, "\n".join(problems)
