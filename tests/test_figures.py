"""The Playground's figure dicts (ui.figures) and the numbers they draw (perceptron.frames),
checked against the neuron computed here by hand."""

import base64
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from perceptron import TrainConfig, make_dataset, train
from perceptron.frames import GRID_SIZE, SERIES_MAX_POINTS, rounded, sample_indices, shading_grid
from perceptron.geometry import view_ranges
from ui.figures import data_figure, derivatives_figure, loss_figure, point_hover, weights_figure
from ui.style import Look, base_layout

BOX = ((-6.0, 6.0), (-5.5, 6.5))
# A value written with d significant digits is within half a unit of its d-th digit.
FIVE_DIGITS = 5.01e-5
FOUR_DIGITS = 5.01e-4
SIX_DIGITS = 5.01e-6


def sigma(z):
    """The textbook 1 / (1 + e^-z); inputs here keep |z| small enough not to overflow."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def log_loss(y, p):
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def trace(fig, uid):
    """A Plotly trace of the figure, or the boundary of its step (drawn by the browser)."""
    if uid == "boundary":
        seg = step(fig)["boundary"]
        return {"x": [seg[0], seg[2]], "y": [seg[1], seg[3]]} if seg else {"x": [], "y": []}
    (found,) = [t for t in fig["data"] if t.get("uid") == uid]
    return found


def step(fig) -> dict:
    """The step record the data figure was drawn at (perceptron.frames.step_record)."""
    return fig["overlay"]["step"]


def ringed(fig, X, layer) -> np.ndarray:
    """The points a ring layer marks: "misclassified" and "undecided" are bit masks over
    the points, "used" their rows."""
    value = step(fig)["wrong" if layer == "misclassified" else layer]
    if layer == "used":
        return X[value].reshape(-1, 2)
    bits = np.unpackbits(np.frombuffer(base64.b64decode(value), np.uint8), bitorder="little")
    return X[bits[: len(X)].astype(bool)]


def points_of(t):
    return np.column_stack([t["x"], t["y"]]).reshape(-1, 2)


@pytest.fixture(scope="module")
def data():
    X, y = make_dataset("overlapping", n=40, seed=3)
    return X, y


# ---------------------------------------------------------------- data figure: boundary


@pytest.mark.parametrize(
    ("w", "b"),
    [
        ((0.7, -1.9), 1.3),
        ((1.0, 1.0), 0.0),
        ((2.0, 0.0), -3.0),
        ((0.0, -0.5), 1.0),
        ((-3e-3, 1e-3), 2e-3),
    ],
)
def test_boundary_endpoints_lie_on_the_line_and_on_the_view_edges(w, b):
    X, y = np.zeros((0, 2)), np.zeros(0)
    fig = data_figure(X, y, np.array(w), b, BOX)
    line = trace(fig, "boundary")
    assert len(line["x"]) == len(line["y"]) == 2
    (x0, x1), (y0, y1) = BOX
    scale = abs(w[0]) * 6.5 + abs(w[1]) * 6.5 + abs(b)
    for px, py in zip(line["x"], line["y"], strict=True):
        # Sent with 6 significant digits, a thousandth of a pixel.
        assert abs(w[0] * px + w[1] * py + b) <= 1e-5 * scale
        assert x0 <= px <= x1 and y0 <= py <= y1
        distance_to_edge = min(abs(px - x0), abs(px - x1), abs(py - y0), abs(py - y1))
        assert distance_to_edge <= 1e-9
    assert math.dist(*zip(line["x"], line["y"], strict=True)) > 1.0


def test_no_boundary_when_w_is_zero_says_why():
    fig = data_figure(np.zeros((0, 2)), np.zeros(0), np.zeros(2), 0.7, BOX)
    line = trace(fig, "boundary")
    assert line["x"] == [] and line["y"] == []
    note = step(fig)["note"]
    assert "No decision boundary" in note
    assert "w = (0, 0)" in note
    assert step(fig)["arrow"] is None


def test_boundary_outside_the_view_says_so():
    fig = data_figure(np.zeros((0, 2)), np.zeros(0), np.array([1.0, 0.0]), -100.0, BOX)
    assert trace(fig, "boundary")["x"] == []
    assert "outside this view" in step(fig)["note"]


@pytest.mark.parametrize(("w", "b"), [((0.7, -1.9), 1.3), ((-2.0, 0.5), -4.0), ((0.0, 1.0), 2.0)])
def test_weight_arrow_starts_on_the_boundary_and_points_along_w(w, b):
    fig = data_figure(np.zeros((0, 2)), np.zeros(0), np.array(w), b, BOX)
    arrow = step(fig)["arrow"]
    assert step(fig)["note"] is None
    start = np.array(arrow[:2])
    tip = np.array(arrow[2:])
    # Sent with 6 significant digits, a thousandth of a pixel.
    assert abs(np.dot(w, start) + b) <= 1e-5 * (np.linalg.norm(w) * 10 + abs(b))
    (x0, x1), (y0, y1) = BOX
    assert x0 <= start[0] <= x1 and y0 <= start[1] <= y1
    d = tip - start
    assert abs(d[0] * w[1] - d[1] * w[0]) <= 1e-5 * np.linalg.norm(d) * np.linalg.norm(w)
    assert np.dot(d, w) > 0
    # The tip lies on the side the neuron calls class 1.
    assert sigma(np.dot(w, tip) + b) > 0.5


# ---------------------------------------------------------------- data figure: shading


@pytest.mark.parametrize(("w", "b"), [((2.0, -0.5), 0.3), ((-0.4, 1.1), -1.7), ((0.0, 0.0), 0.9)])
def test_shading_is_y_hat_at_each_grid_point(w, b):
    # The browser evaluates σ on this grid at the step's w and b (the JS is checked
    # against shading_grid in tests/test_browser_contract.py).
    fig = data_figure(np.zeros((0, 2)), np.zeros(0), np.array(w), b, BOX)
    gx, gy, _ = shading_grid(np.array(w), b, *BOX)
    assert_allclose(fig["overlay"]["grid"]["x"], gx, rtol=1e-7)
    assert_allclose(fig["overlay"]["grid"]["y"], gy, rtol=1e-7)
    assert len(gx) == len(gy) == GRID_SIZE
    assert_allclose(step(fig)["w"], w, rtol=1e-7)
    assert step(fig)["b"] == pytest.approx(b, rel=1e-7)
    # The colour scale runs over ŷ from 0 to 1, white at 0.5, as the colour bar says.
    scale = fig["overlay"]["colors"]["shading"]
    assert [v for v, _ in scale] == [0.0, 0.5, 1.0] and scale[1][1] == "#FFFFFF"
    (bar,) = [t for t in fig["data"] if t["uid"] == "colour-bar"]
    assert (bar["zmin"], bar["zmax"], bar["colorscale"]) == (0.0, 1.0, scale)


def test_shading_grid_matches_the_formula_before_rounding():
    gx, gy, Z = shading_grid(np.array([1.5, -2.0]), 0.25, (-1.0, 3.0), (0.0, 2.0), size=7)
    assert_array_equal(gx, np.linspace(-1, 3, 7))
    assert_array_equal(gy, np.linspace(0, 2, 7))
    assert_allclose(Z, sigma(1.5 * gx[None, :] - 2.0 * gy[:, None] + 0.25), rtol=1e-14)


# ---------------------------------------------------------------- data figure: points


def test_class_traces_hold_exactly_each_class_in_order(data):
    X, y = data
    fig = data_figure(X, y, np.array([0.3, -0.2]), 0.1, view_ranges(X))
    assert_array_equal(points_of(trace(fig, "class0")), X[y == 0])
    assert_array_equal(points_of(trace(fig, "class1")), X[y == 1])
    assert len(trace(fig, "class0")["x"]) + len(trace(fig, "class1")["x"]) == len(X)


def test_misclassified_ring_marks_exactly_the_wrong_predictions(data):
    X, y = data
    w, b = np.array([1.2, -0.8]), 0.3
    fig = data_figure(X, y, w, b, view_ranges(X))
    wrong = (sigma(X @ w + b) >= 0.5) != (y == 1)
    assert 0 < wrong.sum() < len(y)  # the check means something
    assert_array_equal(ringed(fig, X, "misclassified"), X[wrong])


def test_a_point_on_the_boundary_is_undecided_not_misclassified():
    X = np.array([[1.0, -1.0], [2.0, -2.0], [3.0, 1.0], [-3.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    fig = data_figure(X, y, np.array([1.0, 1.0]), 0.0, BOX)
    # ŷ = 0.5 exactly at the first two points: undecided, whatever their class; the last
    # (z = −2, class 1) is the only wrong one.
    assert_array_equal(ringed(fig, X, "undecided"), [[1.0, -1.0], [2.0, -2.0]])
    assert_array_equal(ringed(fig, X, "misclassified"), [[-3.0, 1.0]])
    hover = point_hover(X, y, np.array([1.0, 1.0]), 0.0)
    assert ["undecided" in h and "predicted class" not in h for h in hover] == [
        True,
        True,
        False,
        False,
    ]
    assert "predicted class 0 (misclassified)" in hover[3]


def test_used_ring_marks_the_points_of_the_update(data):
    X, y = data
    for used in (np.array([7]), np.array([3, 0, 12])):
        fig = data_figure(X, y, np.array([0.3, 0.4]), 0.0, view_ranges(X), used=used)
        assert_array_equal(ringed(fig, X, "used"), X[used])
    assert step(data_figure(X, y, np.ones(2), 0.0, view_ranges(X)))["used"] == []
    # An update over every point rings none: all would be ringed.
    fig = data_figure(X, y, np.ones(2), 0.0, view_ranges(X), used=np.arange(len(X)))
    assert step(fig)["used"] == []


def test_hover_text_gives_each_points_y_hat_and_loss(data):
    X, y = data
    w, b = np.array([0.9, -0.6]), -0.2
    fig = data_figure(X, y, w, b, view_ranges(X))
    p = sigma(X @ w + b)
    losses = log_loss(y, p)
    for cls in (0, 1):
        texts = trace(fig, f"class{cls}")["hovertext"]
        rows = np.flatnonzero(y == cls)
        assert len(texts) == len(rows)
        for text, i in zip(texts, rows, strict=True):
            assert text.startswith(f"point #{i + 1}: ")
            assert f"class {cls}" in text
            assert f"ŷ = σ(z) = {p[i]:.3f}" in text
            assert f"predicted class {int(p[i] >= 0.5)}" in text
            assert f"its loss L = {losses[i]:.3f}" in text
            assert ("misclassified" in text) == ((p[i] >= 0.5) != (y[i] == 1))


def test_point_hover_for_a_hand_computed_point():
    # z = 2·1 − 1·3 + 0.5 = −0.5; ŷ = σ(−0.5) = 0.3775; class 1, so L = −ln 0.3775 = 0.9741.
    (text,) = point_hover(np.array([[1.0, 3.0]]), np.array([1.0]), np.array([2.0, -1.0]), 0.5)
    assert text == (
        "point #1: (1, 3), class 1<br>ŷ = σ(z) = 0.378 → predicted class 0 (misclassified)"
        "<br>its loss L = 0.974"
    )


def test_no_points_still_draws_shading_and_boundary():
    fig = data_figure(
        np.zeros((0, 2)), np.zeros(0), np.array([1.0, 2.0]), 0.0, view_ranges(np.zeros((0, 2)))
    )
    for uid in ("class0", "class1"):
        assert trace(fig, uid)["x"] == []
    assert step(fig)["wrong"] == step(fig)["undecided"] == "" and step(fig)["used"] == []
    assert len(trace(fig, "boundary")["x"]) == 2
    json.dumps(fig, allow_nan=False)


def test_data_figure_is_plain_json(data):
    X, y = data
    fig = data_figure(X, y, np.array([0.3, -0.2]), 0.1, view_ranges(X), used=np.array([1]))
    assert json.loads(json.dumps(fig, allow_nan=False)) == fig


def test_data_figure_does_not_change_its_inputs(data):
    X, y = data
    X0, y0, w = X.copy(), y.copy(), np.array([0.3, -0.2])
    data_figure(X, y, w, 0.1, view_ranges(X), used=np.array([2]))
    assert_array_equal(X, X0)
    assert_array_equal(y, y0)
    assert_array_equal(w, [0.3, -0.2])


# ---------------------------------------------------------------- series figures


@pytest.fixture(scope="module")
def run(data):
    X, y = data
    return X, y, train(X, y, TrainConfig(learning_rate=0.5, epochs=5))  # 200 updates, all kept


@pytest.fixture(scope="module")
def long_run():
    X, y = make_dataset("separable", n=100, seed=2)
    return X, y, train(X, y, TrainConfig(learning_rate=0.2, epochs=30))  # 3,000 updates


def mean_loss(X, y, w, b):
    return float(np.mean(log_loss(y, sigma(X @ w + b))))


def step_marker(fig, j):
    """The browser draws the marker at k from fig["step"]: x = k, y = line j's value there."""
    point = fig["step"]["points"][j]
    return {"x": [fig["step"]["k"]], "y": [point["y"]], "color": point["color"]}


def line_points(fig, i):
    t = trace(fig, f"line-{i}")
    return np.array(t["x"]), np.array(t["y"])


@pytest.mark.parametrize("k", [0, 1, 37, 200])
def test_loss_figure_marks_the_loss_at_k(run, k):
    X, y, h = run
    expected = mean_loss(X, y, h.w[k], h.b[k])
    fig = loss_figure(h, k, expected)
    marker = step_marker(fig, 0)
    assert marker["x"] == [k]
    assert_allclose(marker["y"], [expected], rtol=SIX_DIGITS)
    assert fig["step"]["k"] == k


def test_loss_line_is_the_mean_loss_at_each_state(run):
    X, y, h = run
    xs, ys = line_points(loss_figure(h, 0, 0.0), 0)
    assert_array_equal(xs, np.arange(h.n_updates + 1))
    expected = [mean_loss(X, y, h.w[s], h.b[s]) for s in xs.astype(int)]
    assert_allclose(ys, expected, rtol=FIVE_DIGITS)


def test_loss_line_of_a_long_run_is_sampled_with_first_and_last(long_run):
    X, y, h = long_run
    fig = loss_figure(h, 5, mean_loss(X, y, h.w[5], h.b[5]), log_y=True)
    xs, ys = line_points(fig, 0)
    assert len(xs) <= SERIES_MAX_POINTS
    assert xs[0] == 0 and xs[-1] == h.n_updates
    assert np.all(np.diff(xs) > 0)
    expected = [mean_loss(X, y, h.w[s], h.b[s]) for s in xs.astype(int)]
    assert_allclose(ys, expected, rtol=FIVE_DIGITS)
    assert fig["layout"]["yaxis"]["type"] == "log"


@pytest.mark.parametrize("k", [1, 2, 41, 200])
def test_derivatives_figure_marks_the_gradient_of_update_k(run, k):
    X, y, h = run
    fig = derivatives_figure(h, k)
    # Independent: stochastic update k used point (k−1) mod n at state k−1.
    i = (k - 1) % len(y)
    error = y[i] - sigma(X[i] @ h.w[k - 1] + h.b[k - 1])
    expected = [-error * X[i, 0], -error * X[i, 1], -error]
    for j in range(3):
        marker = step_marker(fig, j)
        assert marker["x"] == [k]
        assert_allclose(marker["y"], [expected[j]], rtol=SIX_DIGITS, atol=1e-15)
    assert fig["step"]["k"] == k


def test_derivatives_figure_has_no_marker_at_step_0(run):
    fig = derivatives_figure(run[2], 0)
    assert (fig["step"]["k"], fig["step"]["points"]) == (0, [])


def test_derivative_lines_put_update_k_at_x_equal_k(long_run):
    _, _, h = long_run
    fig = derivatives_figure(h, 10)
    for j, values in enumerate((h.grad_w[:, 0], h.grad_w[:, 1], h.grad_b)):
        xs, ys = line_points(fig, j)
        assert xs[0] == 1 and xs[-1] == h.n_updates and len(xs) <= SERIES_MAX_POINTS
        assert_allclose(ys, values[xs.astype(int) - 1], rtol=FIVE_DIGITS, atol=1e-15)


@pytest.mark.parametrize("k", [0, 1, 123, 200])
def test_weights_figure_marks_w_and_b_at_k(run, k):
    _, _, h = run
    fig = weights_figure(h, k)
    for j, value in enumerate((h.w[k, 0], h.w[k, 1], h.b[k])):
        marker = step_marker(fig, j)
        assert marker["x"] == [k]
        assert_allclose(marker["y"], [value], rtol=SIX_DIGITS, atol=1e-15)
    assert fig["step"]["k"] == k


def test_weight_lines_follow_the_update_rule(run):
    X, y, h = run
    fig = weights_figure(h, 0)
    xs, w1 = line_points(fig, 0)
    _, w2 = line_points(fig, 1)
    _, b = line_points(fig, 2)
    assert_array_equal(xs, np.arange(h.n_updates + 1))
    # Replay the lecture's loop independently.
    w, bias, lr = np.zeros(2), 0.0, 0.5
    states = [(w[0], w[1], bias)]
    for k in range(h.n_updates):
        i = k % len(y)
        error = y[i] - sigma(X[i] @ w + bias)
        w, bias = w + lr * error * X[i], bias + lr * error
        states.append((w[0], w[1], bias))
    states = np.array(states)
    assert_allclose(w1, states[:, 0], rtol=FIVE_DIGITS, atol=1e-12)
    assert_allclose(w2, states[:, 1], rtol=FIVE_DIGITS, atol=1e-12)
    assert_allclose(b, states[:, 2], rtol=FIVE_DIGITS, atol=1e-12)


# ---------------------------------------------------------------- helpers


@settings(max_examples=300, deadline=None)
@given(count=st.integers(0, 5_000), max_points=st.integers(2, 1_500))
def test_sample_indices_spread_evenly_with_first_and_last(count, max_points):
    idx = sample_indices(count, max_points)
    if count <= max_points:
        assert_array_equal(idx, np.arange(count))
        return
    assert idx[0] == 0 and idx[-1] == count - 1
    assert len(idx) <= max_points
    assert np.all(np.diff(idx) > 0)
    # Evenly spread: no gap much wider than the even spacing.
    assert np.diff(idx).max() <= math.ceil((count - 1) / (max_points - 1)) + 1


def test_sample_indices_default_limit():
    idx = sample_indices(200_001)
    assert len(idx) == SERIES_MAX_POINTS
    assert (idx[0], idx[-1]) == (0, 200_000)


def test_rounded_keeps_five_significant_digits():
    assert rounded([123456.7, 0.000123456, -9.87654321, 0.0, 42.0]) == [
        123460.0,
        0.00012346,
        -9.8765,
        0.0,
        42.0,
    ]
    assert rounded(np.array([[1.23456789]]), digits=3) == [1.23]
    assert all(type(v) is float for v in rounded(np.arange(3)))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300))
)
def test_rounded_is_within_half_a_unit_of_the_fifth_digit(values):
    out = rounded(values)
    assert len(out) == len(values)
    assert_allclose(out, np.array(values, dtype=float).reshape(-1), rtol=FIVE_DIGITS, atol=0)
    assert rounded(out) == out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=50),
    st.integers(min_value=1, max_value=9),
)
def test_rounded_gives_the_float_of_the_rounded_decimal(values, digits):
    # The reference: Python's own decimal rounding, one value at a time.
    assert rounded(values, digits) == [float(f"{v:.{digits}g}") for v in values]


# ---------------------------------------------------------------- payload size


@pytest.mark.parametrize("mode", ["stochastic", "batch"])
def test_four_figures_for_200_points_and_1000_epochs_stay_small(mode):
    X, y = make_dataset("overlapping", n=200, seed=1)
    h = train(X, y, TrainConfig(epochs=1_000, mode=mode))
    assert h.n_updates == (200_000 if mode == "stochastic" else 1_000)
    k = h.n_updates // 2
    w, b = h.state(k)
    used = h.points_used(k)
    figures = [
        data_figure(X, y, w, b, view_ranges(X), used=used),
        loss_figure(h, k, mean_loss(X, y, w, b)),
        derivatives_figure(h, k),
        weights_figure(h, k),
    ]
    size = len(json.dumps(figures, allow_nan=False))
    assert size < 300_000, f"{size:,} bytes"


def test_base_layout_sets_no_colours_and_sizes_every_text():
    for presenter, least in ((False, 12), (True, 18)):
        layout = base_layout(Look(presenter=presenter), 300)
        assert "plot_bgcolor" not in layout
        sizes = [
            layout["font"]["size"],
            layout["title"]["font"]["size"],
            layout["legend"]["font"]["size"],
            *(layout[a]["tickfont"]["size"] for a in ("xaxis", "yaxis")),
            *(layout[a]["title"]["font"]["size"] for a in ("xaxis", "yaxis")),
        ]
        assert min(sizes) >= least
