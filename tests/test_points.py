"""The one check of labelled points: its rules and its words, wherever the points come from."""

import io

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from perceptron import MAX_POINTS, PointsFileError, read_points_csv
from perceptron.points import bad_points, checked_points, count_problem, point_problem
from ui.points_editor import points_from_table

COORDINATES = "is (1000000.5, 2); coordinates must be finite numbers within ±1,000,000"
LABEL = "has the label 0.5; labels must be 0 or 1"


def test_bad_points_flags_what_the_check_refuses():
    X = np.array([[0, 0], [np.nan, 0], [0, np.inf], [1e6, -1e6], [1e6 + 1, 0], [1, 1]])
    y = np.array([0, 1, 0, 1, 0, 0.5])
    assert_array_equal(bad_points(X, y), [False, True, True, False, True, True])


@pytest.mark.parametrize(
    ("point", "words"), [((1e6 + 0.5, 2, 1), COORDINATES), ((1, 2, 0.5), LABEL)]
)
def test_every_reader_of_points_says_the_same_words(point, words):
    x1, x2, label = point
    assert point_problem(x1, x2, label, "point 3") == f"point 3 {words}"
    with pytest.raises(ValueError) as from_link:
        checked_points([[0, 0], [x1, x2]], [0, label], "the link")
    assert str(from_link.value) == f"the link: point 2 {words}"
    table = pd.DataFrame({"x1": [x1], "x2": [x2], "y": [label]}, index=pd.RangeIndex(7, 8))
    with pytest.raises(ValueError) as from_table:
        points_from_table(table)
    assert str(from_table.value).endswith(f"- row 7 {words}")
    with pytest.raises(PointsFileError) as from_file:
        read_points_csv(io.StringIO(f"x1,x2,y\n\n{x1!r},{x2},{label}\n"))
    assert str(from_file.value) == f"The point on line 3 {words}."


def test_count_problem_says_how_many_and_the_limit():
    assert count_problem(MAX_POINTS) is None
    assert count_problem(2_345) == "2,345 points; at most 2,000 are allowed"
