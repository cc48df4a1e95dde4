"""Every formula the Chain-rule page renders with numbers reads correctly as written.

Each ``st.latex`` body is split at its "=" signs; every piece made only of numbers and
operators is parsed back (as a reader would read it: precedence, parentheses, ×10^k)
and evaluated in 400-digit decimals. It must equal the number the line ends with, to the
4 significant digits the page prints. A missing parenthesis ("1 − 1 − q"), a wrong sign,
a missing factor, a log of a negative number or raw e-notation makes it fail: for either
loss and with or without L2 regularisation (squared error's ½(ŷ − y)² and ŷ(1 − ŷ) that
stays, the penalty's λ·w).
"""

import re
from decimal import Decimal, localcontext

import numpy as np
import pytest

from perceptron import default_scenario, point_derivatives
from tests.test_pages_math import DERIVATION, formulas, no_exceptions, open_page
from ui.chain_rule_formulas import prob
from ui.common import tex

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

    def power(self, base: Decimal) -> Decimal:
        """``base`` raised to a following ^{n} or ^n (a whole n), if there is one."""
        if self.peek() != "^":
            return base
        self.take()
        exponent = self.group("{", "}") if self.peek() == "{" else number(self.take())
        if exponent != exponent.to_integral_value():
            raise NotNumeric(f"a power that is not whole: {exponent}")
        return base ** int(exponent)

    def signed(self) -> Decimal:
        if self.peek() == "-":
            self.take()
            return -self.signed()
        return self.power(self.atom())

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
    """The lines of an aligned block; a line that begins with "=" goes on with the one
    before it (one chain of equalities written over several lines)."""
    body = body.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}")
    out: list[str] = []
    for row in (r.replace("&", "").strip() for r in body.split(r"\\")):
        if row.startswith("=") and out:
            out[-1] += " " + row
        else:
            out.append(row)
    return out


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
        (r"\frac{1}{2}\cdot((1 - 3\times 10^{-5}) - 0)^{2}", 0.5 * (1 - 3e-5) ** 2),
        (r"0.1163 + \frac{0.01}{2}\cdot(0.5^{2} + (-0.3)^{2})", 0.1163 + 0.005 * 0.34),
        (r"-(0.3)^{2}", -0.09),  # the square binds tighter than the sign, as on paper
    ],
)
def test_the_reader_reads_as_a_person_would(text, value):
    assert float(evaluate(text)) == pytest.approx(value, rel=1e-6)


def test_a_chain_of_equalities_may_go_on_over_several_lines():
    body = r"\begin{aligned}a &= 0.5\cdot2\\ &= 1\\b &\leftarrow 3 - 1 = 2\end{aligned}"
    assert rows(body) == [r"a = 0.5\cdot2 = 1", r"b \leftarrow 3 - 1 = 2"]
    assert [(p, float(v), float(r)) for p, v, r in numeric_equalities(body)] == [
        (r" 0.5\cdot2 ", 1.0, 1.0),
        (" 3 - 1 ", 2.0, 2.0),
    ]


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


STARTS = [
    ((20.0, 20.0), 20),  # issue 11's scenario: every ŷ within 1e-17 of its label
    ((5.0, 5.0), 0),  # class 1: 0.999 < ŷ < 1, written 1 − q
    ((-5.0, -5.0), 0),  # class 0 with ŷ ≈ 1 − 1e-13: 1 − ŷ is tiny
    ((3.0, 1.0), 0),  # 0.98 < ŷ < 0.999 and ordinary values
    ((0.3, -0.2), 0),  # ordinary: ŷ near 0.5
]
# The loss and λ of each run below: the lecture's, squared error, and both with a penalty.
OBJECTIVES = [("log", 0.0), ("squared", 0.0), ("log", 0.02), ("squared", 0.02)]


@pytest.mark.parametrize(("loss", "l2"), OBJECTIVES)
@pytest.mark.parametrize(("w0", "step"), STARTS)
def test_every_formula_with_numbers_reads_correctly(w0, step, loss, l2):
    at = open_page(DERIVATION, four_points(w0, step, epochs=20, loss=loss, l2=l2))
    counts = []
    for i in range(4):
        at.selectbox(key="deriv_point").set_value(i).run()
        no_exceptions(at)
        counts.append(assert_reads_correctly(at))
    # z, ŷ, L, ∂L/∂ŷ, the factors, products and the update; squared error adds ∂L/∂z and
    # the confident mistake's two lines, the penalty J and ∂J/∂w1, ∂J/∂w2, ∂J/∂b.
    least = 10 + (3 if loss == "squared" else 0) + (4 if l2 else 0)
    assert min(counts) >= least


# --- a wrong formula must fail ----------------------------------------------------------


def misread(body: str) -> list[str]:
    """The numeric pieces of ``body`` that do not equal their line's result."""
    return [
        piece
        for piece, value, result in numeric_equalities(body)
        if abs(value - result) > Decimal(RTOL) * abs(result)
    ]


SQUARED_START = ((3.0, 1.0), 0.0)  # w, b; with λ = 0.02, λ·w1 = 0.06 dominates ∂J/∂w1


@pytest.fixture(scope="module")
def squared_with_penalty():
    """Point 1 ((1, 1), class 1) on the squared-error, λ = 0.02 page at w = (3, 1), b = 0:
    z = 4, ŷ(1 − ŷ) ≈ 0.018, so leaving that factor out changes a product 57-fold, and
    λ·w1 = 0.06 against ∂L/∂w1 ≈ −0.0003, so a wrong sign on it shows."""
    at = open_page(DERIVATION, four_points(SQUARED_START[0], 0, loss="squared", l2=0.02))
    at.selectbox(key="deriv_point").set_value(0).run()
    no_exceptions(at)
    w, b = SQUARED_START
    return formulas(at), point_derivatives(np.array(w), b, (1.0, 1.0), 1.0, "squared", 0.02)


def the(bodies: list[str], start: str) -> str:
    (body,) = [b for b in bodies if b.startswith(start)]
    return body


def test_the_squared_error_lines_read_correctly_and_fail_when_broken(squared_with_penalty):
    bodies, d = squared_with_penalty
    loss = the(bodies, r"\begin{aligned}L(y")
    assert not misread(loss)
    assert misread(loss.replace(r"\frac{1}{2}\cdot", "", 1))  # the ½ left out
    assert misread(loss.replace("^{2}", "", 2))  # not squared
    factor = rf"\cdot{tex(d.dyhat_db)}"  # ŷ(1 − ŷ) as a number
    lines = [the(bodies, r"\begin{aligned}\frac{\partial L}{\partial z}")]
    # the three products and, beside the log loss's, the comparison's squared-error line
    lines += [
        b
        for b in bodies
        if b.startswith(r"\begin{aligned}\frac{\partial L}{\partial w")
        or b.startswith(r"\begin{aligned}\frac{\partial L}{\partial b}")
        if r"\hat y(1 - \hat y)" in b
    ]
    assert len(lines) == 5
    for body in lines:
        assert factor in body and not misread(body), body
        # ŷ(1 − ŷ) left out, as if it had cancelled as with the log loss: must not read right
        assert misread(body.replace(factor, "", 1)), body
        # ŷ − y written y − ŷ: the sign flips
        flipped = body.replace(f"{prob(d, True)} - 1", f"1 - {prob(d, True)}", 1)
        assert flipped != body and misread(flipped), body


def test_the_penalty_lines_read_correctly_and_fail_with_a_wrong_sign(squared_with_penalty):
    bodies, d = squared_with_penalty
    for j in (1, 2):
        line = the(bodies, rf"\begin{{aligned}}\frac{{\partial J}}{{\partial w_{j}}}")
        assert r"\lambda w_" in line and not misread(line)
    # λ·w1 = 0.06 dominates ∂J/∂w1
    line = the(bodies, r"\begin{aligned}\frac{\partial J}{\partial w_1}")
    assert line.endswith(f"= {tex(d.dJ_dw1)}" + r"\end{aligned}")
    assert misread(line.replace(" + 0.02", " - 0.02", 1))  # the penalty's slope subtracted
    assert misread(line.replace(r"0.02\cdot3 =", "0.02 =", 1))  # λ without the w1
    objective = the(bodies, r"\begin{aligned}J &= L")
    assert not misread(objective)
    assert misread(objective.replace(r"\frac{0.02}{2}", "0.02", 1))  # the ½ of (λ/2) left out
    update = the(bodies, r"\begin{aligned}w_1")
    assert r"\partial J" in update and not misread(update)  # the batch mean of ∂J
