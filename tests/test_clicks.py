"""The browser's queue of numbered clicks turned into point edits, exactly once per click."""

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from perceptron.clicks import CLICK_DECIMALS, apply_clicks
from perceptron.limits import MAX_ABS_COORDINATE, MAX_POINTS

NO_POINTS = (np.zeros((0, 2)), np.zeros(0))


def add(seq, x1, x2, cls):
    return {"seq": seq, "op": "add", "x1": x1, "x2": x2, "cls": cls}


def erase(seq, index, x1, x2):
    return {"seq": seq, "op": "erase", "index": index, "x1": x1, "x2": x2}


def three_points():
    X = np.array([[0.5, 1.5], [-2.0, 3.25], [4.0, -1.0]])
    y = np.array([0.0, 1.0, 0.0])
    return X, y


# ---------------------------------------------------------------- adding and erasing


def test_adds_points_in_click_order_with_their_class():
    items = [add(1, 0.25, -1.5, 0), add(2, 3.0, 2.0, 1), add(3, -4.0, 0.0, 1)]
    result = apply_clicks(*NO_POINTS, items, 0)
    assert_array_equal(result.X, [[0.25, -1.5], [3.0, 2.0], [-4.0, 0.0]])
    assert_array_equal(result.y, [0.0, 1.0, 1.0])
    assert result.last_seq == 3
    assert result.messages == []


def test_adds_after_the_existing_points():
    X, y = three_points()
    result = apply_clicks(X, y, [add(1, 1.0, 1.0, 1)], 0)
    assert_array_equal(result.X, np.vstack([X, [[1.0, 1.0]]]))
    assert_array_equal(result.y, [0.0, 1.0, 0.0, 1.0])


def test_erase_removes_the_point_at_its_index():
    X, y = three_points()
    result = apply_clicks(X, y, [erase(1, 1, -2.0, 3.25)], 0)
    assert_array_equal(result.X, X[[0, 2]])
    assert_array_equal(result.y, y[[0, 2]])
    assert result.messages == []


def test_add_then_erase_in_one_queue_leaves_the_others():
    items = [add(1, 1.0, 2.0, 0), add(2, 3.0, 4.0, 1), erase(3, 0, 1.0, 2.0)]
    result = apply_clicks(*NO_POINTS, items, 0)
    assert_array_equal(result.X, [[3.0, 4.0]])
    assert_array_equal(result.y, [1.0])


def test_coordinates_are_rounded_to_the_click_decimals():
    assert CLICK_DECIMALS == 3
    result = apply_clicks(*NO_POINTS, [add(1, 1.23456, -0.0004999, 1)], 0)
    assert_array_equal(result.X, [[1.235, -0.0]])
    result = apply_clicks(*NO_POINTS, [add(1, -2.71828, 3.14159, 0)], 0)
    assert_array_equal(result.X, [[-2.718, 3.142]])


def test_integer_coordinates_and_float_class_are_accepted():
    result = apply_clicks(*NO_POINTS, [add(1, 2, -3, 1.0), add(2, 0, 0, 0.0)], 0)
    assert_array_equal(result.X, [[2.0, -3.0], [0.0, 0.0]])
    assert_array_equal(result.y, [1.0, 0.0])
    assert result.X.dtype == np.float64 and result.y.dtype == np.float64


# ---------------------------------------------------------------- exactly once


def test_replaying_the_same_queue_adds_nothing_twice():
    items = [add(1, 1.0, 1.0, 0), add(2, 2.0, 2.0, 1)]
    first = apply_clicks(*NO_POINTS, items, 0)
    again = apply_clicks(first.X, first.y, items, first.last_seq)
    assert_array_equal(again.X, first.X)
    assert_array_equal(again.y, first.y)
    assert again.last_seq == first.last_seq == 2
    assert again.messages == []


def test_queue_overlapping_the_last_ack_applies_only_the_new_clicks():
    first = apply_clicks(*NO_POINTS, [add(s, s, 0.0, 0) for s in (1, 2, 3)], 0)
    assert first.last_seq == 3
    # The browser sent again clicks 2 and 3 (not yet acknowledged on its side) plus 4, 5.
    overlap = [add(s, s, 0.0, 1) for s in (2, 3, 4, 5)]
    second = apply_clicks(first.X, first.y, overlap, first.last_seq)
    assert_array_equal(second.X[:, 0], [1, 2, 3, 4, 5])
    assert_array_equal(second.y, [0, 0, 0, 1, 1])
    assert second.last_seq == 5


def test_erase_replayed_does_not_remove_a_second_point():
    X = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]])  # two points at the same spot
    y = np.array([0.0, 0.0, 1.0])
    items = [erase(7, 0, 1.0, 1.0)]
    first = apply_clicks(X, y, items, 6)
    again = apply_clicks(first.X, first.y, items, first.last_seq)
    assert len(first.y) == len(again.y) == 2
    assert_array_equal(again.X, [[1.0, 1.0], [2.0, 2.0]])


def test_a_click_number_repeated_in_one_queue_is_applied_once():
    items = [add(1, 1.0, 1.0, 0), add(1, 1.0, 1.0, 0)]
    result = apply_clicks(*NO_POINTS, items, 0)
    assert_array_equal(result.X, [[1.0, 1.0]])
    assert result.last_seq == 1


def test_clicks_at_or_below_last_seq_are_ignored():
    result = apply_clicks(*NO_POINTS, [add(s, s, s, 0) for s in (3, 4, 5)], 4)
    assert_array_equal(result.X, [[5.0, 5.0]])
    assert result.last_seq == 5


def test_empty_queue_keeps_last_seq_and_points():
    X, y = three_points()
    result = apply_clicks(X, y, [], 12)
    assert result.last_seq == 12
    assert_array_equal(result.X, X)
    assert_array_equal(result.y, y)


def test_out_of_order_items_are_applied_by_number():
    items = [erase(3, 0, 1.0, 1.0), add(2, 2.0, 2.0, 1), add(1, 1.0, 1.0, 0)]
    result = apply_clicks(*NO_POINTS, items, 0)
    # Sorted: add (1,1), add (2,2), erase (1,1): only (2,2) remains, no complaint.
    assert_array_equal(result.X, [[2.0, 2.0]])
    assert_array_equal(result.y, [1.0])
    assert result.last_seq == 3
    assert result.messages == []


# ---------------------------------------------------------------- erase fallbacks


def test_erase_with_stale_index_falls_back_to_coordinates():
    X, y = three_points()
    # The browser thought (4, -1) was row 0; it is row 2.
    result = apply_clicks(X, y, [erase(1, 0, 4.0, -1.0)], 0)
    assert_array_equal(result.X, X[:2])
    assert_array_equal(result.y, y[:2])
    assert result.messages == []


def test_erase_with_index_out_of_range_falls_back_to_coordinates():
    X, y = three_points()
    for index in (99, -1, None, "1", 1.0):
        result = apply_clicks(X, y, [erase(1, index, -2.0, 3.25)], 0)
        assert_array_equal(result.X, X[[0, 2]], err_msg=f"index={index!r}")


def test_erase_removes_only_one_of_two_points_at_the_same_spot():
    X = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0])
    result = apply_clicks(X, y, [erase(1, 2, 1.0, 1.0)], 0)
    assert_array_equal(result.X, [[1.0, 1.0], [0.0, 0.0]])
    assert_array_equal(result.y, [0.0, 1.0])


def test_erase_of_a_vanished_point_says_so():
    X, y = three_points()
    result = apply_clicks(X, y, [erase(1, 0, 9.0, 9.0)], 0)
    assert_array_equal(result.X, X)
    assert result.messages == ["That point was already removed."]
    assert result.last_seq == 1  # acknowledged all the same, so the browser stops pending it


def test_erase_with_no_points_or_unreadable_coordinates_says_so():
    result = apply_clicks(*NO_POINTS, [erase(1, 0, 1.0, 1.0)], 0)
    assert result.messages == ["There was no point there to remove."]
    X, y = three_points()
    result = apply_clicks(X, y, [erase(1, 0, "0.5", 1.5)], 0)
    assert_array_equal(result.X, X)
    assert result.messages == ["There was no point there to remove."]


# ---------------------------------------------------------------- limits and bad items


def test_point_limit_adds_nothing_and_says_so():
    X, y = three_points()
    result = apply_clicks(X, y, [add(1, 0.0, 0.0, 1), add(2, 1.0, 1.0, 1)], 0, max_points=3)
    assert_array_equal(result.X, X)
    assert result.messages == ["The playground holds at most 3 points; remove some first."]
    assert result.last_seq == 2


def test_point_limit_stops_at_exactly_the_limit():
    result = apply_clicks(*NO_POINTS, [add(s, s, 0.0, 0) for s in (1, 2, 3)], 0, max_points=2)
    assert_array_equal(result.X, [[1.0, 0.0], [2.0, 0.0]])
    assert len(result.messages) == 1


def test_default_limit_is_max_points():
    X = np.zeros((MAX_POINTS, 2))
    y = np.zeros(MAX_POINTS)
    result = apply_clicks(X, y, [add(1, 1.0, 1.0, 0)], 0)
    assert len(result.y) == MAX_POINTS
    assert result.messages == [
        f"The playground holds at most {MAX_POINTS:,} points; remove some first."
    ]


def test_erase_works_at_the_limit():
    X = np.arange(6.0).reshape(3, 2)
    y = np.zeros(3)
    result = apply_clicks(X, y, [erase(1, 1, 2.0, 3.0), add(2, 9.0, 9.0, 1)], 0, max_points=3)
    assert_array_equal(result.X, [[0.0, 1.0], [4.0, 5.0], [9.0, 9.0]])


def test_malformed_adds_are_skipped_with_one_message():
    bad = [
        add(1, float("nan"), 0.0, 0),
        add(2, float("inf"), 0.0, 0),
        add(3, 2 * MAX_ABS_COORDINATE, 0.0, 0),
        add(4, "1.0", 0.0, 0),
        add(5, True, 0.0, 0),
        add(6, 1.0, 0.0, 2),
        add(7, 1.0, 0.0, True),
        add(8, 1.0, 0.0, "1"),
        add(9, None, None, None),
        {"seq": 10, "op": "move", "x1": 1.0, "x2": 1.0, "cls": 0},
        {"seq": 11},
    ]
    result = apply_clicks(*NO_POINTS, bad, 0)
    assert result.X.shape == (0, 2) and result.y.shape == (0,)
    assert result.messages == ["A click could not be read and was ignored."]
    assert result.last_seq == 11


def test_items_without_a_usable_number_are_skipped():
    items = [
        {"op": "add", "x1": 1.0, "x2": 1.0, "cls": 0},
        add(-3, 1.0, 1.0, 0),
        add(2.0, 1.0, 1.0, 0),
        add("2", 1.0, 1.0, 0),
        add(True, 1.0, 1.0, 0),
        add(None, 1.0, 1.0, 0),
        "add",
        None,
        [1, 2],
    ]
    result = apply_clicks(*NO_POINTS, items, 0)
    assert result.X.shape == (0, 2)
    assert result.last_seq == 0


def test_non_list_queues_do_nothing():
    X, y = three_points()
    for items in (None, {}, "[]", 3, {"seq": 1, "op": "add", "x1": 0, "x2": 0, "cls": 0}):
        result = apply_clicks(X, y, items, 5)
        assert_array_equal(result.X, X)
        assert result.last_seq == 5
        assert result.messages == []


def test_inputs_are_not_changed():
    X, y = three_points()
    X_before, y_before = X.copy(), y.copy()
    items = [add(2, 1.0, 1.0, 1), erase(1, 0, 0.5, 1.5), erase(3, 5, 4.0, -1.0)]
    items_before = json.dumps(items)
    result = apply_clicks(X, y, items, 0)
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
    assert json.dumps(items) == items_before
    assert result.X is not X and result.y is not y
    assert_array_equal(result.X, [[-2.0, 3.25], [1.0, 1.0]])


def test_read_only_inputs_are_accepted():
    X, y = three_points()
    X.setflags(write=False)
    y.setflags(write=False)
    result = apply_clicks(X, y, [erase(1, 0, 0.5, 1.5), add(2, 0.0, 0.0, 1)], 0)
    assert_array_equal(result.X, [[-2.0, 3.25], [4.0, -1.0], [0.0, 0.0]])


# ---------------------------------------------------------------- anything the browser sends

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)
# Items that look like clicks get far enough to exercise add and erase; any field may be odd.
plausible_number = st.floats(-10, 10) | st.integers(-10, 10) | json_scalars
click_like = st.fixed_dictionaries(
    {"seq": st.integers(-2, 30) | json_scalars},
    optional={
        "op": st.sampled_from(["add", "erase"]) | json_values,
        "x1": plausible_number | json_values,
        "x2": plausible_number | json_values,
        "cls": st.sampled_from([0, 1, 0.0, 1.0]) | json_values,
        "index": st.integers(-3, 12) | json_values,
    },
)
queues = st.lists(click_like | json_values, max_size=12) | json_values


def assert_valid_points(X, y):
    assert X.ndim == 2 and X.shape[1] == 2 and X.dtype == np.float64
    assert y.shape == (len(X),) and y.dtype == np.float64
    assert np.all(np.isfinite(X))
    assert np.all(np.abs(X) <= MAX_ABS_COORDINATE)
    assert np.all((y == 0) | (y == 1))


@settings(max_examples=400, deadline=None)
@given(queue=queues, last_seq=st.integers(0, 20))
def test_any_json_queue_never_raises_and_keeps_points_valid(queue, last_seq):
    X, y = three_points()
    X_before, y_before = X.copy(), y.copy()
    result = apply_clicks(X, y, queue, last_seq, max_points=8)
    assert_valid_points(result.X, result.y)
    assert len(result.y) <= max(8, len(y))
    assert isinstance(result.last_seq, int) and result.last_seq >= last_seq
    assert all(isinstance(m, str) and m for m in result.messages)
    assert len(result.messages) == len(set(result.messages))
    assert_array_equal(X, X_before)
    assert_array_equal(y, y_before)
    # Replaying the same queue after its acknowledgement changes nothing.
    again = apply_clicks(result.X, result.y, queue, result.last_seq, max_points=8)
    assert_array_equal(again.X, result.X)
    assert_array_equal(again.y, result.y)
    assert again.last_seq == result.last_seq


# Beyond the largest float: float() of these raises OverflowError.
huge_integers = st.integers(2**1024, 2**1100) | st.integers(-(2**1100), -(2**1024))


@settings(max_examples=200, deadline=None)
@given(
    x1=st.integers() | huge_integers | st.floats(),
    x2=st.integers() | huge_integers | st.floats(),
    cls=st.integers() | huge_integers | st.floats() | st.booleans(),
    index=st.integers() | huge_integers,
)
def test_extreme_numbers_from_json_never_raise(x1, x2, cls, index):
    """json.loads turns long digit strings into unbounded ints; those must not crash."""
    X, y = three_points()
    for item in (add(1, x1, x2, cls), erase(1, index, x1, x2)):
        result = apply_clicks(X, y, [item], 0)
        assert_valid_points(result.X, result.y)


def test_a_huge_integer_coordinate_from_json_is_refused():
    item = json.loads('{"seq": 1, "op": "add", "x1": 1' + "0" * 400 + ', "x2": 0, "cls": 1}')
    result = apply_clicks(*NO_POINTS, [item], 0)
    assert result.X.shape == (0, 2)
    assert result.messages == ["A click could not be read and was ignored."]


@settings(max_examples=200, deadline=None)
@given(
    clicks=st.lists(
        st.tuples(st.floats(-50, 50), st.floats(-50, 50), st.sampled_from([0, 1])),
        max_size=15,
    ),
    split=st.integers(0, 15),
)
def test_adds_sent_in_two_overlapping_queues_equal_one_queue(clicks, split):
    items = [add(i + 1, x1, x2, c) for i, (x1, x2, c) in enumerate(clicks)]
    whole = apply_clicks(*NO_POINTS, items, 0)
    first = apply_clicks(*NO_POINTS, items[:split], 0)
    # The second queue repeats everything from the start (nothing acknowledged yet).
    second = apply_clicks(first.X, first.y, items, first.last_seq)
    assert_array_equal(second.X, whole.X)
    assert_array_equal(second.y, whole.y)
    expected = [[round(x1, CLICK_DECIMALS), round(x2, CLICK_DECIMALS)] for x1, x2, _ in clicks]
    assert_array_equal(whole.X, np.array(expected).reshape(-1, 2))
    assert_array_equal(whole.y, [float(c[2]) for c in clicks])
