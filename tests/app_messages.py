"""What the app tells the learner, read from AppTest.

``state.flash`` messages (and the link's notes) are shown as toasts, one icon per kind;
messages a page writes directly with ``st.error`` / ``st.warning`` / ``st.info`` stay in
``at.error`` / ``at.warning`` / ``at.info``.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

# The icon each kind of flashed message shows (ui/state.py's TOAST_STYLE).
TOAST_ICONS = {
    "info": ":material/info:",
    "warning": ":material/warning:",
    "error": ":material/error:",
}


def toasts(at: AppTest, kind: str | None = None) -> list[str]:
    """The texts of the toasts of ``at``'s last run: of one kind (told by its icon), or all."""
    found = list(at.toast)
    if kind is not None:
        found = [t for t in found if t.icon == TOAST_ICONS[kind]]
    return [t.value for t in found]
