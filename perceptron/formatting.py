"""A number as the app writes it in text: ``fmt`` with 4 significant digits (e-notation when
tiny or huge), ``text_number`` the same for plain text, with a true minus and ×10ⁿ."""

from __future__ import annotations

import math

SHOWN_DIGITS = 4


def fmt(v: float, digits: int = SHOWN_DIGITS) -> str:
    """A number as the pages print it: ``digits`` significant digits, or e-notation when
    tiny or huge."""
    v = float(v) + 0.0  # "+ 0.0" turns −0.0 into 0.0, which would print as "-0"
    if not math.isfinite(v):
        return "nan" if math.isnan(v) else ("∞" if v > 0 else "−∞")
    if v == 0 or 1e-4 <= abs(v) < 1e6:
        return f"{v:.{digits}g}"
    return f"{v:.{digits - 1}e}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def text_number(v: float) -> str:
    """``fmt(v)`` for plain text: e-notation as ×10 with a superscript power, − as minus."""
    text = fmt(v)
    if "e" in text and text != "nan":
        mantissa, exponent = text.split("e")
        text = f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return text.replace("-", "−")
