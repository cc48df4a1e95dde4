"""What every page does first and last: config, shared state, navigation, messages, URL."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import challenge, keys, state
from ui.nav import sidebar_nav

# Every page. On a phone (narrow window) the titles shrink; the Playground's step buttons
# go icon-only in the chart component's own CSS (ui/chart.py).
#
# Contrast (WCAG 2.1 AA, checked by tests/test_browser_axe.py) in whichever theme is shown,
# also after a switch in the settings menu, so the rules derive colours from the inherited
# text colour (currentColor) instead of naming the theme's:
# - captions: Streamlit fades them with opacity 0.6, 4.4:1 on white; 0.75 is 7:1 there and
#   9:1 in the dark theme;
# - text on the primary colour (primary buttons, multiselect tags): white on the light
#   theme's #0072B2 (5.2:1), but black on the dark theme's #56B4E9 (9:1, white is 2.3:1).
#   The lch() picks white where the page's text is dark and black where it is light;
# - KaTeX draws 2 px past a formula's right edge (its vlist's margin-right: -2px), which
#   made each shrink-wrapped formula a scrollable region that a keyboard cannot reach.
#
# Keyboard focus (WCAG 2.4.7, tests/test_browser_keyboard.py): Streamlit 1.67 shows no
# focus on a page link (only its hover tint, the same as the current page's) and only a
# 1.1:1 grey tint behind a switch, checkbox or radio option, whose input is visually
# hidden. They get a ring in the text colour (on the label: what a person sees of such an
# input); the link's own colour is the browser's link blue, its text's is the theme's.
# The same for the buttons of a table's toolbar (Streamlit: none), which must show too.
BASE_CSS = """
<style>
[data-testid="stPageLink-NavLink"]:focus-visible,
[data-testid="stApp"] label:has(input[type="checkbox"]:focus-visible),
[data-testid="stApp"] label:has(input[type="radio"]:focus-visible) {
  outline: 2px solid currentColor; outline-offset: 2px;
}
[data-testid="stPageLink-NavLink"]:focus-visible { color: inherit; }
[data-testid="stBaseButton-elementToolbar"]:focus-visible {
  outline: 2px solid currentColor; outline-offset: 1px;
}
/* A table's toolbar shows on hover only: it stayed invisible under keyboard focus. */
[data-testid="stElementToolbar"]:focus-within { opacity: 1; }
/* A code box's copy button (a shared link's) is hidden unless hovered, and a hidden button
   cannot take the keyboard's focus: keep it there, faint until hovered or focused. */
[data-testid="stCode"] :has([data-testid="stElementToolbarButton"]),
[data-testid="stCode"] [data-testid="stElementToolbarButton"],
[data-testid="stCode"] [data-testid="stElementToolbarButton"] * { visibility: visible !important; }
[data-testid="stCode"] :has(> * > [data-testid="stElementToolbarButton"]) {
  opacity: 0.55 !important;
}
[data-testid="stCode"]:hover :has(> * > [data-testid="stElementToolbarButton"]),
[data-testid="stCode"] :has(> * > [data-testid="stElementToolbarButton"]):focus-within {
  opacity: 1 !important;
}
/* A collapsed sidebar is only moved off screen: its controls kept taking the focus. Hidden
   once its 0.3 s slide has ended (visibility is delayed); shown at once when it opens. */
[data-testid="stSidebar"][data-collapsed="true"] {
  visibility: hidden;
  transition: transform 0.3s, min-width 0.3s, max-width 0.3s, visibility 0s 0.3s;
}
/* Widget labels set visibility: visible themselves (label_visibility), with their help
   buttons inside; so do the help buttons of captions. */
[data-testid="stSidebar"][data-collapsed="true"] [data-testid="stWidgetLabel"],
[data-testid="stSidebar"][data-collapsed="true"] [data-testid="stTooltipHoverTarget"] {
  visibility: hidden; transition: visibility 0s 0.3s;
}
[data-testid="stCaptionContainer"] { opacity: 0.75; }
[data-testid="stApp"] button[kind="primary"], [data-testid="stApp"] [data-tag] {
  color: lch(from currentColor calc((50 - l) * 1000) 0 0);
}
[data-testid="stApp"] [data-tag] > * { color: inherit; }
/* A segmented control's chosen option under the mouse (the mode and class pickers): its
   primary-coloured text on Streamlit's darker hover tint fell to 3.9:1. Darker where the
   primary is dark (the light theme), lighter where it is light (the dark theme). */
[data-testid="stApp"] button[data-variant="segmented_control"][data-selected="true"]:hover p {
  color: lch(from currentColor calc(l + (l - 60) * 0.8) c h);
}
.katex-display { padding-right: 2px; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] h1 { font-size: 2rem; }
}
</style>
"""

# Presenter mode: bigger text for a projector (charts enlarge themselves, see ui/style.py).
# The top padding keeps the first row (the step buttons) clear of Streamlit's 60 px header.
PRESENTER_CSS = """
<style>
[data-testid="stMainBlockContainer"] {
  padding-top: 4.25rem; padding-bottom: 1rem; max-width: 100%;
}
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stMainBlockContainer"] label p,
[data-testid="stMainBlockContainer"] [data-testid="stText"] { font-size: 1.3rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.4rem; }
[data-testid="stMainBlockContainer"] button p { font-size: 1.2rem; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
.katex { font-size: 1.45em; }
</style>
"""


def presenter() -> bool:
    return bool(st.session_state.get(keys.PRESENTER))


# The tab's icon is a file of ours: a ":material/...:" icon would be fetched from Google.
ICON = Path(__file__).resolve().parent / "icon.png"


def start(title: str, icon: Path = ICON) -> None:
    """Set up a page: its config, the session's shared state, navigation, messages, and the
    open challenge's banner (first in the main area, so it never pushes a chart down)."""
    state.init()
    st.session_state[keys.CHALLENGE_CHECKED] = False
    st.set_page_config(
        page_title=f"{title} · Perceptron Playground",
        page_icon=str(icon),
        layout="wide",
        initial_sidebar_state="collapsed" if presenter() else "auto",
    )
    sidebar_nav()
    with st.sidebar:
        share_box()
        st.toggle(
            "Presenter mode",
            key=keys.PRESENTER,
            help="For a projector: bigger text and markers, explanations folded away, "
            "sidebar closed. Keys: Right/PageDown step, Left/PageUp back, P play/pause.",
        )
    st.html(BASE_CSS)
    if presenter():
        st.html(PRESENTER_CSS)
    state.show_messages()
    challenge.banner()


def share_link(with_presenter: bool) -> str:
    """The URL of this page that reproduces the whole scenario (points, settings, step),
    and the open challenge with it."""
    return (st.context.url or "") + state.address_query(with_presenter)


def share_box() -> None:
    """A Share button: the link to copy, and what it holds.

    The box sits in the sidebar, outside the Playground's stepping fragment, whose reruns
    do not redraw it; so its content is made when it opens (``on_change="rerun"``), from
    the scenario as it is then: the step the learner stopped at, however they got there.
    """
    box = st.popover(
        "Share this scenario",
        icon=":material/link:",
        width="stretch",
        key=keys.SHARE_BOX,
        on_change="rerun",
    )
    with box:
        if not box.open:
            return
        also = ", and the challenge you are doing" if state.challenge() else ""
        st.markdown(
            f"Anyone who opens this link sees **the same points, settings and step**{also}, "
            "on a fresh server too. It also stays in your address bar as you work."
        )
        present = st.checkbox("Open it in presenter mode", key=keys.SHARE_PRESENTER)
        link = share_link(present)
        st.code(link, language=None, wrap_lines=True)
        s = state.scenario()
        st.caption(f"{len(s.y):,} points, step {s.step:,}: {len(link):,} characters.")


def explain(markdown: str, title: str = "Explanation") -> None:
    """Explanatory text: shown as is, or folded into an expander in presenter mode."""
    if presenter():
        with st.expander(title, expanded=False):
            st.markdown(markdown)
    else:
        st.markdown(markdown)


def finish() -> None:
    """Check the open challenge's goal if the page did not, and keep the URL in step with
    the scenario, so reload and shared links reproduce it."""
    challenge.check_unless_checked()
    state.sync_url()
