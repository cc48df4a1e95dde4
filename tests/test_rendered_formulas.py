"""Every formula the Chain-rule page renders with numbers reads correctly as written.

Each ``st.latex`` body is split at its "=" signs; every piece made only of numbers and
operators is parsed back (as a reader would read it: precedence, parentheses, ×10^k)
and evaluated in 400-digit decimals. It must equal the number the line ends with, to the
4 significant digits the page prints. A missing parenthesis ("1 − 1 − q"), a wrong sign,
a log of a negative number or raw e-notation makes it fail.
"""

import math
import re
from decimal import Decimal, localcontext

import numpy as np
import pytest

from perceptron import default_scenario
from tests.test_pages_math import DERIVATION, formulas, no_exceptions, open_page, overlapping
from ui.common import paren, tex

# 4 printed digits on each number, and a few numbers per line.
RTOL = 5e-3
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:\\times 10\^\{-?\d+\})?)|(?P<op>\\frac|\\ln|\\cdot|\\infty"
    r"|\\left\(|\\right\)|[-+(){}^e]))"
)


class NotNumeric(ValueError):
    """The piece holds a symbol (ŷ, w_1, …), not only numbers."""


def tokens(text: str) -> list[str]:
    out, at = [], 0
    text = text.strip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if not match or match.end() == at:
            raise NotNumeric(text[at:])
        out.append(match.group().strip())
        at = match.end()
    return out


class Reader:
    """Recursive descent over the tokens: sums of products of signed atoms."""

    def __init__(self, toks: list[str]):
        self.toks, self.at = toks, 0

    def peek(self) -> str | None:
        return self.toks[self.at] if self.at < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise NotNumeric(f"expected {expected!r}, got {tok!r}")
        self.at += 1
        return tok

    def expression(self) -> Decimal:
        value = self.product()
        while self.peek() in ("+", "-"):
            value = value + self.product() if self.take() == "+" else value - self.product()
        return value

    def product(self) -> Decimal:
        value = self.signed()
        while self.peek() == r"\cdot":
            self.take()
            value *= self.signed()
        return value

    def signed(self) -> Decimal:
        if self.peek() == "-":
            self.take()
            return -self.signed()
        return self.atom()

    def group(self, opening: str, closing: str) -> Decimal:
        self.take(opening)
        value = self.expression()
        self.take(closing)
        return value

    def atom(self) -> Decimal:
        tok = self.peek()
        if tok == "(":
            return self.group("(", ")")
        if tok == r"\left(":
            return self.group(r"\left(", r"\right)")
        if tok == "{":
            return self.group("{", "}")
        if tok == r"\frac":
            self.take()
            return self.group("{", "}") / self.group("{", "}")
        if tok == r"\ln":
            self.take()
            argument = self.signed()
            if argument <= 0:
                raise ValueError(f"the logarithm of {argument}, which is not positive")
            return argument.ln()
        if tok == "e":
            self.take()
            self.take("^")
            return self.group("{", "}").exp()
        if tok == r"\infty":
            self.take()
            return Decimal("Infinity")
        return number(self.take())


def number(tok: str) -> Decimal:
    if not tok[0].isdigit():
        raise NotNumeric(tok)
    mantissa, _, exponent = tok.partition(r"\times 10^{")
    return Decimal(mantissa) * Decimal(10) ** int(exponent.rstrip("}") or 0)


def evaluate(piece: str) -> Decimal:
    """The value of a LaTeX piece made of numbers; NotNumeric if it holds a symbol."""
    with localcontext() as context:
        context.prec = 400
        reader = Reader(tokens(piece))
        value = reader.expression()
        if reader.peek() is not None:
            raise NotNumeric(reader.peek())
        return value


def rows(body: str) -> list[str]:
    body = body.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}")
    return [row.replace("&", "") for row in body.split(r"\\")]


def numeric_equalities(body: str) -> list[tuple[str, Decimal, Decimal]]:
    """(piece, its value, the line's result) for each numbers-only piece before the result."""
    found = []
    for row in rows(body):
        pieces = [p.replace(r"\leftarrow", "=") for p in row.split("=")]
        pieces = [q for p in pieces for q in p.split("=")]
        try:
            result = evaluate(pieces[-1])
        except NotNumeric:
            continue
        for piece in pieces[:-1]:
            try:
                found.append((piece, evaluate(piece), result))
            except NotNumeric:
                continue
    return found


def assert_reads_correctly(at) -> int:
    """Every numeric piece on the page equals its line's result; returns how many."""
    count = 0
    for body in formulas(at):
        assert "NaN" not in body, body
        for piece, value, result in numeric_equalities(body):
            close = abs(value - result) <= Decimal(RTOL) * abs(result)
            assert close or value == result, f"{piece!r} is {float(value):.6g}, shown {result}"
            count += 1
    return count


# --- the parser itself ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (r"-(1 - (1 - 3.609\times 10^{-7}))\cdot(-0.262)", 3.609e-7 * 0.262),
        (r"-(1 - 1 - 3.609\times 10^{-7})\cdot(-0.262)", -3.609e-7 * 0.262),
        (r"-\ln(1 - (1 - 6.217\times 10^{-15}))", 32.711489),
        (r"\frac{1}{1 + e^{-(-2)}}", 0.1192029),
        (r"20 - 1\cdot(-2.124\times 10^{-18})", 20.0),
    ],
)
def test_the_reader_reads_as_a_person_would(text, value):
    assert float(evaluate(text)) == pytest.approx(value, rel=1e-6)


def test_the_reader_refuses_what_does_not_read():
    with pytest.raises(ValueError, match="not positive"):
        evaluate(r"-\ln(1 - 1 - 6.217\times 10^{-15})")
    with pytest.raises(NotNumeric):
        evaluate("1\\cdot(-1.054e-52)")  # raw e-notation is not a number a reader sees
    with pytest.raises(NotNumeric):
        evaluate(r"-\ln \hat y")


# --- the page --------------------------------------------------------------------------

FOUR_POINTS_X = [[1.0, 1.0], [1.5, 0.5], [-3.0, -3.0], [-2.5, -3.5]]


def four_points(w0, step=0, **settings):
    s = default_scenario().with_points(np.array(FOUR_POINTS_X), np.array([1.0, 1.0, 0.0, 0.0]))
    s = s.replace(init="custom", w0=w0, b0=0.0, learning_rate=1.0, mode="batch", **settings)
    return s.replace(step=step)


@pytest.mark.parametrize(
    ("w0", "step"),
    [
        ((20.0, 20.0), 20),  # issue 11's scenario: every ŷ within 1e-17 of its label
        ((5.0, 5.0), 0),  # class 1: 0.999 < ŷ < 1, written 1 − q
        ((-5.0, -5.0), 0),  # class 0 with ŷ ≈ 1 − 1e-13: 1 − ŷ is tiny
        ((3.0, 1.0), 0),  # 0.98 < ŷ < 0.999 and ordinary values
        ((0.3, -0.2), 0),  # ordinary: ŷ near 0.5
    ],
)
def test_every_formula_with_numbers_reads_correctly(w0, step):
    at = open_page(DERIVATION, four_points(w0, step, epochs=20))
    counts = []
    for i in range(4):
        at.selectbox(key="deriv_point").set_value(i).run()
        no_exceptions(at)
        counts.append(assert_reads_correctly(at))
    assert min(counts) >= 10  # z, ŷ, L, ∂L/∂ŷ, the factors, products and the update


def test_the_playground_latex_helper_typesets_tiny_numbers():
    assert tex(-1.054e-52) == r"-1.054\times 10^{-52}"
    assert paren(-1.054e-52) == r"(-1.054\times 10^{-52})"
    assert float(evaluate(rf"1\cdot{paren(-1.054e-52)}")) == pytest.approx(-1.054e-52)


def test_the_ordinary_derivation_page_reads_correctly():
    at = open_page(DERIVATION, overlapping(step=7))
    assert assert_reads_correctly(at) >= 10


def test_a_class_1_point_near_1_does_not_read_minus_ln_1():
    # Issue 11, item 5: ŷ rounded to 4 digits gave "−ln 1 = 3.609×10⁻⁷".
    at = open_page(DERIVATION, four_points((5.0, 5.0)))
    at.selectbox(key="deriv_point").set_value(0).run()
    (line,) = [f for f in formulas(at) if f.startswith("L(y")]
    assert r"-\ln 1 =" not in line and r"\ln (1 - " in line


def test_the_sure_points_show_their_true_loss():
    # Issue 11's scenario at step 20: the old page showed "−ln 1 = 0" and ∂L/∂ŷ = NaN.
    at = open_page(DERIVATION, four_points((20.0, 20.0), 20, epochs=20))
    at.selectbox(key="deriv_point").set_value(0).run()
    (line,) = [f for f in formulas(at) if f.startswith("L(y")]
    assert float(evaluate(line.split("=")[-1])) == pytest.approx(math.exp(-40), rel=RTOL)
    (slope,) = [f for f in formulas(at) if f.startswith(r"\frac{\partial L}{\partial \hat y}")]
    assert slope.endswith("= -1")


def test_a_z_whose_terms_cancel_is_written_with_the_digits_that_add_up():
    # Issue 11: 4-digit weights gave a z line that adds up to 6.8e-4 while z is −1.26e-4.
    s = default_scenario().with_points(np.array([[2.35, 1.23], [-1.0, -1.0]]), np.array([1, 0]))
    s = s.replace(init="custom", w0=(1.2345, -2.3587), b0=0.0, step=0)
    at = open_page(DERIVATION, s)
    at.selectbox(key="deriv_point").set_value(0).run()
    line = next(f for f in formulas(at) if f.startswith("z ="))
    assert r"1.2345\cdot2.35" in line  # the weight with its fifth digit
    assert assert_reads_correctly(at) >= 10
    assert any("nearly cancel" in c.value for c in at.caption)


def test_the_chain_rule_page_warns_where_float64_has_run_out():
    from tests.test_app_playground import chaotic

    at = open_page(DERIVATION, chaotic(step=200))
    assert any("digits have run out" in w.value for w in at.warning)
    at = open_page(DERIVATION, chaotic(step=20))
    assert not any("digits have run out" in w.value for w in at.warning)
