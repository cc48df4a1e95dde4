"""Read and write points as CSV text with the columns x1, x2 and y.

Reading is strict about values and forgiving about form. Columns are found by header
name, in any order, ignoring case and surrounding spaces; once x1, x2 and y are all
present, any other columns are ignored (spreadsheets often add a notes column). A
byte-order mark, CRLF or CR line ends, spaces around values, blank lines and a missing
final newline are all fine. Anything else that is wrong raises ``PointsFileError`` with
a plain message naming the line, counted from 1 with the header as line 1: the number
an editor or a spreadsheet shows beside it. This module turns text into numbers; what
numbers make a point is ``perceptron.points``'s to check and to say.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from perceptron.limits import MAX_POINTS
from perceptron.points import checked_points, count_problem, point_problem

MAX_FILE_BYTES = 1_000_000
COLUMNS = ("x1", "x2", "y")
# Plain decimal notation, or NaN and infinity as float() writes them (the check of points
# refuses those with its own words). float() alone would also take "1_000" and non-ASCII
# digits such as "١٢", none of which a person means as a coordinate.
_NUMBER = re.compile(
    r"[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?|nan|inf|infinity)", re.IGNORECASE
)


class PointsFileError(ValueError):
    """The file cannot be read as points; the message says why in plain words."""


def read_points_csv(file) -> tuple[np.ndarray, np.ndarray]:
    """Read points from a CSV file-like object opened in binary or text mode.

    Accepts what ``st.file_uploader`` returns, ``open(path, "rb")`` or ``io.StringIO``;
    reading starts at the beginning if the object can seek. Returns ``X`` of shape
    ``(n, 2)`` and ``y`` of shape ``(n,)``, both float64, labels 0.0/1.0.
    Raises ``PointsFileError`` for anything that is not a valid points file.
    """
    records = _records(_read_text(file))
    header = _read_header(next(records, None))
    X, y = [], []
    for line, fields in records:
        if len(y) == MAX_POINTS:  # the rest are only counted, not read
            n = MAX_POINTS + 1 + sum(1 for _ in records)
            raise PointsFileError(f"The file: {count_problem(n)}.")
        x1, x2, label = _parse_row(fields, header, line)
        X.append((x1, x2))
        y.append(label)
    if not y:
        raise PointsFileError("The file has a header but no points below it.")
    return np.array(X, dtype=np.float64), np.array(y, dtype=np.float64)


def _read_text(file) -> str:
    """The whole file as text, refusing files that are too big or not UTF-8 text."""
    if getattr(file, "seekable", lambda: False)():
        file.seek(0)
    # Read one byte past the limit: enough to know the file is too big without
    # loading all of it.
    chunk = file.read(MAX_FILE_BYTES + 1)
    # Text-mode input is encoded back to bytes so one set of checks covers both;
    # "surrogatepass" keeps lone surrogates, which the strict decode below refuses.
    data = chunk.encode("utf-8", "surrogatepass") if isinstance(chunk, str) else bytes(chunk)
    if len(data) > MAX_FILE_BYTES:
        raise PointsFileError(
            f"The file is larger than 1 MB ({MAX_FILE_BYTES:,} bytes); "
            f"a file of {MAX_POINTS:,} points is far smaller."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise PointsFileError("The file is saved as UTF-16 text; save it as UTF-8 CSV.")
    if b"\x00" in data:
        raise PointsFileError("The file contains NUL bytes: it looks binary, not CSV text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # The "x" stands for the bad byte, so a break just before it still counts.
        line = len((data[: err.start] + b"x").splitlines())
        raise PointsFileError(
            f"The file is not UTF-8 text: line {line} has a byte that UTF-8 cannot "
            f"read (byte {err.start + 1:,} of the file). Save it as UTF-8 CSV."
        ) from None
    return text


class _Header(NamedTuple):
    """Column index of x1, x2 and y, and how many columns every row must have."""

    x1: int
    x2: int
    y: int
    width: int


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) for each non-blank CSV record.

    A record's line number is the line it starts on (a quoted value may span lines).
    The csv module's own errors become PointsFileError.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise PointsFileError(_csv_error_message(err, line)) from None
        # Rows of only spaces or commas are what spreadsheets leave below the data.
        if any(f.strip() for f in fields):
            yield line, fields


def _csv_error_message(err: csv.Error, line: int) -> str:
    if "field limit" in str(err):
        return f"Line {line} has a value longer than {csv.field_size_limit():,} characters."
    if "end of data" in str(err):
        return f'Line {line} opens a quote mark (") that is never closed.'
    return f'Line {line} has a misplaced quote mark ("); quote whole values only.'


def _read_header(record: tuple[int, list[str]] | None) -> _Header:
    """Find x1, x2 and y in the first non-blank line."""
    if record is None:
        raise PointsFileError("The file is empty: no header and no points.")
    line, fields = record
    names = [f.strip().lower() for f in fields]
    for name in COLUMNS:
        where = [str(i + 1) for i, n in enumerate(names) if n == name]
        if len(where) > 1:
            raise PointsFileError(
                f"The header on line {line} names column {name!r} twice (columns "
                f"{' and '.join(where)}); each of x1, x2 and y must appear once."
            )
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise PointsFileError(_missing_message(fields, missing, line))
    return _Header(*(names.index(name) for name in COLUMNS), width=len(names))


def _missing_message(fields: list[str], missing: list[str], line: int) -> str:
    names = " and ".join(missing) if len(missing) < 3 else "x1, x2 and y"
    columns = "column" if len(missing) == 1 else "columns"
    hint = "The first line must be a header naming the columns x1, x2 and y."
    if all(_NUMBER.fullmatch(f.strip()) for f in fields):
        hint = f"Line {line} looks like data; add the header line x1,x2,y above it."
    elif len(fields) == 1 and any(sep in fields[0] for sep in ";\t"):
        hint = "Columns must be separated by commas, not semicolons or tabs."
    return f"The header on line {line} lacks the {columns} {names}. {hint}"


def _parse_row(fields: list[str], header: _Header, line: int) -> tuple[float, float, float]:
    if len(fields) != header.width:
        size = "few" if len(fields) < header.width else "many"
        raise PointsFileError(
            f"Line {line} has too {size} values: {len(fields)} where the header "
            f"has {header.width} columns."
        )
    x1, x2, label = (
        _number(fields[column], name, line)
        for column, name in zip(header[:3], COLUMNS, strict=True)
    )
    problem = point_problem(x1, x2, label, f"The point on line {line}")
    if problem:
        raise PointsFileError(f"{problem}.")
    return x1, x2, label + 0.0  # + 0.0 turns a "-0" label into 0.0


def _number(text: str, column: str, line: int) -> float:
    text = text.strip()
    if not text:
        raise PointsFileError(f"Line {line}: {column} is empty.")
    if not _NUMBER.fullmatch(text):
        raise PointsFileError(f"Line {line}: {column} is {_shorten(text)!r}, not a number.")
    return float(text)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def write_points_csv(X, y) -> str:
    """CSV text with header ``x1,x2,y`` that ``read_points_csv`` reads back exactly.

    Coordinates are written with ``repr``, Python's shortest form that parses back to
    the same float bit for bit; labels are written as 0 and 1. Refuses (ValueError)
    data that reading would refuse, so every file written can be read.
    """
    X, y = _check_writable(X, y)
    lines = ["x1,x2,y"]
    lines += [
        f"{a!r},{b!r},{int(label)}" for (a, b), label in zip(X.tolist(), y.tolist(), strict=True)
    ]
    return "\n".join(lines) + "\n"


def _check_writable(X, y) -> tuple[np.ndarray, np.ndarray]:
    if len(checked_points(X, y, "points to write")[1]) == 0:
        raise ValueError("points to write: there are none; a file holds 1 or more")
    # The values as given, -0.0 included: the file is bit-exact.
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
