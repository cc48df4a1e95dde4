"""Reading and writing points files: exact round trips, forgiving form, plain refusals."""

import io
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from perceptron.limits import MAX_ABS_COORDINATE, MAX_POINTS
from perceptron.pointsfile import (
    MAX_FILE_BYTES,
    PointsFileError,
    read_points_csv,
    write_points_csv,
)

DATA = Path(__file__).parent / "data"


def read_bytes(data: bytes):
    return read_points_csv(io.BytesIO(data))


def refusal(data: bytes) -> str:
    with pytest.raises(PointsFileError) as err:
        read_bytes(data)
    return str(err.value)


class FakeUploadedFile(io.BytesIO):
    """Shaped like Streamlit's UploadedFile: a BytesIO with a name and a type."""

    def __init__(self, data: bytes, name: str = "points.csv"):
        super().__init__(data)
        self.name, self.type, self.size = name, "text/csv", len(data)


class ReadOnlyStream:
    """Neither seekable nor sized: records every read request."""

    def __init__(self, chunk: bytes):
        self.chunk, self.requests = chunk, []

    def read(self, size=-1):
        self.requests.append(size)
        return self.chunk * (size // len(self.chunk) + 1)


# ---- exact round trips -------------------------------------------------------------

coordinates = st.floats(-MAX_ABS_COORDINATE, MAX_ABS_COORDINATE, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 60).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n, 2), elements=coordinates),
            arrays(np.float64, (n,), elements=st.sampled_from([0.0, 1.0])),
        )
    )
)
def test_round_trip_is_bit_for_bit(data):
    X, y = data
    X_back, y_back = read_points_csv(io.StringIO(write_points_csv(X, y)))
    assert X_back.view(np.uint64).tolist() == X.view(np.uint64).tolist()
    assert y_back.tolist() == y.tolist()


def test_round_trip_of_awkward_values():
    X = np.array([[0.1, -0.0], [1e-300, 5e-324], [-MAX_ABS_COORDINATE, 1 / 3], [1e5, 2.5e-7]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    text = write_points_csv(X, y)
    X_back, y_back = read_bytes(text.encode())
    assert X_back.view(np.uint64).tolist() == X.view(np.uint64).tolist()
    assert np.signbit(X_back[0, 1])
    assert np.array_equal(y_back, y)


def test_written_text_is_plain_csv():
    text = write_points_csv([[0.1, 2.0], [-3.5, 1e-7]], [1, 0])
    assert text == "x1,x2,y\n0.1,2.0,1\n-3.5,1e-07,0\n"


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        ([[1.0, np.nan]], [0], "finite"),
        ([[1.0, 2e6]], [0], "within"),
        ([[1.0, 2.0]], [2], "labels"),
        ([[1.0, 2.0, 3.0]], [0], "shape"),
        ([[1.0, 2.0]], [0, 1], "one label per point"),
        (np.zeros((0, 2)), [], "there are none"),
        (np.zeros((MAX_POINTS + 1, 2)), np.zeros(MAX_POINTS + 1), "at most 2,000"),
    ],
)
def test_write_refuses_what_could_not_be_read_back(X, y, message):
    with pytest.raises(ValueError, match=message):
        write_points_csv(X, y)


# ---- forgiving about form -----------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"x1,x2,y\n0.5,-1.25,1\n3,0.004,0\n",
        b"x1,x2,y\n0.5,-1.25,1\n3,0.004,0",  # no final newline
        b"\xef\xbb\xbfx1,x2,y\r\n0.5,-1.25,1\r\n3,0.004,0\r\n",  # BOM and CRLF
        b"x1,x2,y\r0.5,-1.25,1\r3,0.004,0\r",  # old Mac line ends
        b" X1 , x2,Y \n 0.5 ,\t-1.25 , 1.0\n3, 4e-3 ,0.0\n\n\n  \n",  # spaces, 1.0 labels
        b"y,x2,x1\n1,-1.25,0.5\n0,0.004,3\n",  # columns in another order
        b"\n\nx1,x2,y\n\n0.5,-1.25,1\n\n3,0.004,0\n,,\n",  # blank lines anywhere
        b'x1,x2,y\n"0.5","-1.25","1"\n+3,.004,-0\n',  # quoted values, signs
        b"x1,x2,y,comment\n0.5,-1.25,1,hello\n3,0.004,0,\n",  # extra column ignored
    ],
)
def test_accepted_forms(data):
    X, y = read_bytes(data)
    assert np.array_equal(X, [[0.5, -1.25], [3.0, 0.004]])
    assert np.array_equal(y, [1.0, 0.0])
    assert X.dtype == y.dtype == np.float64
    assert not np.signbit(y).any(), "a '-0' label becomes 0.0"


def test_spreadsheet_export_fixture_opened_in_binary_mode():
    with open(DATA / "spreadsheet_export.csv", "rb") as file:
        X, y = read_points_csv(file)
    assert np.array_equal(X, [[0.5, -1.25], [3.0, 0.004], [-2.0, 0.0]])
    assert np.array_equal(y, [1.0, 0.0, 1.0])


def test_text_mode_file_and_string_io():
    with open(DATA / "spreadsheet_export.csv", encoding="utf-8") as file:
        X_text, _ = read_points_csv(file)
    X_string, y_string = read_points_csv(io.StringIO("x1,x2,y\n1,2,1\n"))
    assert len(X_text) == 3
    assert np.array_equal(X_string, [[1.0, 2.0]]) and np.array_equal(y_string, [1.0])


def test_uploaded_file_is_read_from_its_start_every_time():
    upload = FakeUploadedFile(b"x1,x2,y\n1,2,1\n")
    first = read_points_csv(upload)
    second = read_points_csv(upload)  # a rerun reading the same upload again
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])


def test_exactly_the_size_limit_is_accepted():
    head = b"x1,x2,y\n1,2,0\n"
    X, _ = read_bytes(head + b"\n" * (MAX_FILE_BYTES - len(head)))
    assert len(X) == 1


def test_exactly_the_point_limit_is_accepted():
    X, _ = read_bytes(b"x1,x2,y\n" + b"1,2,0\n" * MAX_POINTS)
    assert len(X) == MAX_POINTS


# ---- plain refusals -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"x1,x2,y\n1,2,0\n1,abc,1\n", r"Line 3: x2 is 'abc', not a number"),
        (b"x1,x2,y\n1,2,0\n\n1,2,1\nhello,2,1\n", r"Line 5: x1 is 'hello'"),
        (b"x1,x2,y\n1,nan,0\n", r"The point on line 2 is \(1, nan\); coordinates must be finite"),
        (b"x1,x2,y\n-inf,1,0\n", r"The point on line 2 is \(-inf, 1\); coordinates must be"),
        (b"x1,x2,y\n1,Infinity,0\n", r"The point on line 2 is \(1, inf\); coordinates"),
        (b"x1,x2,y\n1,1e999,0\n", r"The point on line 2 is \(1, inf\); coordinates must be"),
        (b"x1,x2,y\n1000000.5,1,0\n", r"line 2 is \(1000000\.5, 1\); .* within ±1,000,000\.$"),
        (b"x1,x2,y\n1,1_000,0\n", r"Line 2: x2 is '1_000', not a number"),
        (b"x1,x2,y\n1,0x10,0\n", r"Line 2: x2 is '0x10', not a number"),
        ("x1,x2,y\n1,١٢,0\n".encode(), r"Line 2: x2 is '١٢', not a number"),
        (b"x1,x2,y\n1,2,\n", r"Line 2: y is empty"),
        (b"x1,x2,y\n1,2,2\n", r"The point on line 2 has the label 2; labels must be 0 or 1"),
        (b"x1,x2,y\n1,2,0.5\n", r"The point on line 2 has the label 0\.5; labels must be 0"),
        (b"x1,x2,y\n1,2,yes\n", r"Line 2: y is 'yes', not a number"),
        (b"x1,x2,y\n1,2,0\n1,2\n", r"Line 3 has too few values: 2 where the header has 3"),
        (b"x1,x2,y\n1,2,0,7\n", r"Line 2 has too many values: 4 where the header has 3"),
        (b'x1,x2,y\n1,2,0\n1,"2,1\n3,4,0\n', r"Line 3 opens a quote mark \(\"\) that is never"),
        (b'x1,x2,y\n1,"2"3,1\n', r"Line 2 has a misplaced quote mark"),
        (b"x1,x2,y\n1," + b"9" * 200_000 + b",0\n", r"Line 2 has a value longer than"),
    ],
)
def test_bad_row_is_refused_with_its_line_number(data, expected):
    assert re.search(expected, refusal(data))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"x1,x2\n1,2\n", r"lacks the column y\."),
        (b"x1,label,x2\n1,2,0\n", r"lacks the column y\."),
        (b"a,b,c\n1,2,0\n", r"lacks the columns x1, x2 and y"),
        (b"x,y\n1,2\n", r"lacks the columns x1 and x2"),
        (b"1,2,0\n3,4,1\n", r"Line 1 looks like data; add the header line x1,x2,y"),
        (b"x1;x2;y\n1;2;0\n", r"separated by commas"),
        (b"x1,x2,y,X1\n1,2,0,3\n", r"names column 'x1' twice \(columns 1 and 4\)"),
        (b"y,x1,x2, Y \n", r"names column 'y' twice \(columns 1 and 4\)"),
    ],
)
def test_bad_header_is_refused_naming_the_columns(data, expected):
    assert re.search(expected, refusal(data))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty: no header and no points"),
        (b"\n\r\n  \n", "empty: no header and no points"),
        (b"\xef\xbb\xbf", "empty: no header and no points"),
        (b"x1,x2,y\n", "header but no points"),
        (b"x1,x2,y\n\n,,\n", "header but no points"),
        (b"x1,x2,y\n1,2,0\x00\n", "NUL bytes"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
        (b"x1,x2,y\n1,2,\xe90\n", r"not UTF-8 text: line 2 .*\(byte 13 of"),
        (b"x1,x2,y\r\n\xff", r"not UTF-8 text: line 2 .*\(byte 10 of"),
        ("x1,x2,y,café\n1,2,0,a\n".encode("cp1252"), r"not UTF-8 text: line 1 "),
        ("x1,x2,y\n1,2,0\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_bad_file_is_refused_in_plain_words(data, expected):
    assert re.search(expected, refusal(data))


@pytest.mark.parametrize("n", [MAX_POINTS + 1, 5_000])
def test_too_many_points_says_how_many_and_the_limit(n):
    message = refusal(b"x1,x2,y\n" + b"1,2,0\n" * n)
    assert message == f"The file: {n:,} points; at most 2,000 are allowed."


def test_one_byte_over_the_size_limit_is_refused():
    head = b"x1,x2,y\n1,2,0\n"
    message = refusal(head + b"\n" * (MAX_FILE_BYTES + 1 - len(head)))
    assert "larger than 1 MB" in message


def test_a_huge_stream_is_not_read_past_the_limit():
    stream = ReadOnlyStream(b"1,2,0\n" * 1000)
    with pytest.raises(PointsFileError, match="larger than 1 MB"):
        read_points_csv(stream)
    assert stream.requests == [MAX_FILE_BYTES + 1]


def test_text_with_a_lone_surrogate_is_refused():
    with pytest.raises(PointsFileError, match="not UTF-8"):
        read_points_csv(io.StringIO("x1,x2,y\n1,2,\ud800\n"))


def test_refusal_is_a_value_error():
    assert issubclass(PointsFileError, ValueError)


# ---- fuzzing: any bytes give points or a PointsFileError, nothing else ---------------


def check_any_outcome(data: bytes):
    try:
        X, y = read_bytes(data)
    except PointsFileError as err:
        assert str(err)
        return
    assert X.shape == (len(y), 2) and 1 <= len(y) <= MAX_POINTS
    assert np.all(np.abs(X) <= MAX_ABS_COORDINATE)
    assert set(y.tolist()) <= {0.0, 1.0}


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data):
    check_any_outcome(data)


csv_like = st.lists(
    st.text(alphabet=list('x12yY, \t\r\n".eE+-09naif;\ufeff\x00é'), max_size=40),
    max_size=8,
).map(lambda lines: ("x1,x2,y\n" + "\n".join(lines)).encode("utf-8"))


@settings(max_examples=500, deadline=None)
@given(st.one_of(csv_like, csv_like.map(lambda b: b[8:])))
def test_nearly_valid_csv(data):
    check_any_outcome(data)
