"""The Data page driven headless with AppTest, plus its pure helpers.

The page is opened through the app (``switch_page``) as a learner would reach it, so the
sidebar's links resolve. Table edits are fed in the way the browser sends them: as the
editor's edited_rows / added_rows / deleted_rows, by row position.
"""

import io
import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from streamlit.testing.v1 import AppTest

from perceptron import (
    MAX_UPDATES,
    PRESETS,
    PointsFileError,
    Scenario,
    TrainConfig,
    default_scenario,
    make_dataset,
    read_points_csv,
    train,
    write_points_csv,
)
from tests.app_messages import toasts
from ui.keys import UPLOAD_MODE
from ui.points_editor import points_from_table, points_table, table_key
from ui.points_files import APPEND, REPLACE, history_csv, plain, read_upload

GOOD_FILE = b"x1,x2,y\n1.5,-2,0\n0.25,3,1\n-4,0.5,1\n"
GOOD_X = np.array([[1.5, -2.0], [0.25, 3.0], [-4.0, 0.5]])
GOOD_Y = np.array([0.0, 1.0, 1.0])
BAD_FILE = b"x1,x2,y\n1,2,0\n3,**four**,1\n"


def open_page(scenario: Scenario | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    at.switch_page("pages/4_Data.py")
    at.run()
    if scenario is not None:
        at.session_state["scenario"] = scenario
        at.run()
    assert not at.exception
    return at


def points(at) -> tuple[np.ndarray, np.ndarray]:
    s = at.session_state["scenario"]
    return s.X, s.y


def unescaped(text: str) -> str:
    """Markdown text as it shows on screen (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", text)


def messages(elements) -> list[str]:
    return [unescaped(e.value) for e in elements]


def upload(at, name: str, content: bytes, mode: str = REPLACE) -> AppTest:
    at.radio(key=UPLOAD_MODE).set_value(mode)
    at.file_uploader[0].upload(name, content, "text/csv")
    at.run()
    assert not at.exception
    return at


def edit_table(at, edits: dict) -> AppTest:
    """Send the editor the edits a learner made in the browser, then rerun."""
    (editor,) = at.data_editor
    at.session_state[editor.key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []} | edits
    at.run()
    assert not at.exception
    return at


# ---------------------------------------------------------------- first view


def test_the_page_shows_the_shared_points_in_an_editable_table():
    s = default_scenario()
    at = open_page()
    assert [t.value for t in at.title] == ["Data: table, files, presets"]
    (editor,) = at.data_editor
    assert editor.editing_mode == "dynamic"
    pd.testing.assert_frame_equal(editor.value, points_table(s.X, s.y), check_index_type=False)
    n1 = int(s.y.sum())
    assert any(
        f"{len(s.y)} points" in m.value and f"{n1} of class 1" in m.value for m in at.markdown
    )
    assert not at.error


def test_downloads_are_offered_for_the_points_the_history_and_the_script():
    at = open_page()
    buttons = at.get("download_button")
    assert [b.label for b in buttons] == [
        "Points (CSV)",
        "Training history (CSV)",
        "Standalone NumPy script (.py)",
    ]
    assert not any(b.proto.disabled for b in buttons)


def test_without_points_the_downloads_are_disabled_and_the_page_says_why():
    at = open_page(default_scenario().replace(X=np.zeros((0, 2)), y=np.zeros(0)))
    assert all(b.proto.disabled for b in at.get("download_button"))
    assert messages(at.info) == ["The downloads need at least one point."]
    assert any(m.value.startswith("**No points yet**") for m in at.markdown)
    assert len(at.data_editor[0].value) == 0


# ---------------------------------------------------------------- upload


def test_a_good_file_replaces_the_points_and_says_so():
    at = upload(open_page(), "points.csv", GOOD_FILE)
    X, y = points(at)
    assert_array_equal(X, GOOD_X)
    assert_array_equal(y, GOOD_Y)
    assert messages(at.success) == ["Loaded 3 points from points.csv."]
    assert len(at.data_editor[0].value) == 3
    # The whole page, drawn after the file was read, already counts the new points.
    assert any(m.value.startswith("**3 points**") for m in at.markdown)
    assert any("3 points)" in c.value for c in at.sidebar.caption)
    assert at.session_state["scenario"].step == 0


def test_a_file_is_read_once_even_though_every_rerun_delivers_it_again():
    at = upload(open_page(), "points.csv", GOOD_FILE)
    at.radio(key=UPLOAD_MODE).set_value(APPEND)
    at.run()
    at.run()
    assert_array_equal(points(at)[0], GOOD_X)
    assert messages(at.success) == ["Loaded 3 points from points.csv."]


def test_append_mode_adds_the_file_after_the_current_points():
    s = default_scenario()
    at = upload(open_page(), "more.csv", GOOD_FILE, APPEND)
    X, y = points(at)
    assert_array_equal(X, np.vstack([s.X, GOOD_X]))
    assert_array_equal(y, np.concatenate([s.y, GOOD_Y]))
    assert messages(at.success) == [
        f"Added 3 points from more.csv to the {len(s.y)} already here: {len(s.y) + 3} in all."
    ]


def test_a_bad_file_shows_the_core_message_and_keeps_the_points():
    s = default_scenario()
    with pytest.raises(PointsFileError) as core:
        read_points_csv(io.BytesIO(BAD_FILE))
    at = upload(open_page(), "bad.csv", BAD_FILE)
    (error,) = messages(at.error)
    assert str(core.value) in error
    assert error.startswith("bad.csv was not loaded.")
    X, y = points(at)
    assert_array_equal(X, s.X)
    assert_array_equal(y, s.y)
    assert not at.session_state["undo_stack"]


def test_appending_beyond_the_point_limit_is_refused():
    X, y = make_dataset("separable", n=1_990)
    at = open_page(default_scenario().replace(X=X, y=y, epochs=1))
    big = write_points_csv(X[:20], y[:20]).encode()
    at = upload(at, "twenty.csv", big, APPEND)
    (error,) = messages(at.error)
    assert "its 20 points and the 1,990 already here make 2,010 points; at most 2,000" in error
    assert_array_equal(points(at)[0], X)


def test_a_file_that_would_make_the_run_too_long_is_refused():
    X, y = make_dataset("separable", n=2_000)
    at = open_page(default_scenario().replace(epochs=1_000))
    at = upload(at, "big.csv", write_points_csv(X, y).encode())
    (error,) = messages(at.error)
    assert f"2,000,000 updates; the limit is {MAX_UPDATES:,}" in error
    assert len(points(at)[1]) == len(default_scenario().y)


# ---------------------------------------------------------------- the table


def test_table_edits_apply_once_and_undo_brings_the_old_points_back():
    s = default_scenario()
    edits = {
        "edited_rows": {0: {"x1": 3.5}, 1: {"y": 1 - int(s.y[1])}},
        "deleted_rows": [2],
        "added_rows": [{"x1": -1.25, "x2": 4.0, "y": 1}],
    }
    at = edit_table(open_page(), edits)
    X, y = points(at)
    expected_X = np.vstack([[3.5, s.X[0, 1]], s.X[1:2], s.X[3:], [[-1.25, 4.0]]])
    expected_y = np.concatenate([s.y[:1], [1 - s.y[1]], s.y[3:], [1.0]])
    assert_array_equal(X, expected_X)
    assert_array_equal(y, expected_y)
    assert at.data_editor[0].key == table_key(X, y)
    at.run()  # the new editor starts without the old edits: nothing is applied twice
    assert_array_equal(points(at)[0], expected_X)
    (undo,) = [b for b in at.button if b.label.startswith("Undo")]
    undo.click().run()
    assert_array_equal(points(at)[0], s.X)


def test_invalid_rows_are_reported_and_nothing_is_applied():
    s = default_scenario()
    edits = {
        "edited_rows": {0: {"x1": 2e6}, 4: {"x2": None}},
        "added_rows": [{"x1": 1.0}],
    }
    at = edit_table(open_page(), edits)
    (error,) = messages(at.error)
    assert "not applied yet" in error
    assert f"row 1 is (2000000, {float(s.X[0, 1])!r}); coordinates must be finite" in error
    assert "row 5: x2 is empty" in error
    assert f"row {len(s.y) + 1}: x2 is empty; y is empty (choose 0 or 1)" in error
    assert_array_equal(points(at)[0], s.X)
    at.run()  # the learner's edits stay in the editor, so the message stays until fixed
    assert len(at.error) == 1


# ---------------------------------------------------------------- presets gallery


def test_every_preset_has_a_card_with_a_thumbnail_and_what_it_teaches():
    at = open_page()
    assert len(at.get("plotly_chart")) == len(PRESETS)
    captions = [c.value for c in at.caption]
    for preset in PRESETS.values():
        assert preset.description in captions
    assert [at.button(key=f"use_{name}").label for name in PRESETS] == ["Use these points"] * len(
        PRESETS
    )


def test_a_gallery_button_replaces_the_points_with_that_preset():
    at = open_page()
    at.button(key="use_xor").click().run()
    assert not at.exception, [e.value for e in at.exception]
    X, y = make_dataset("xor")
    s = at.session_state["scenario"]
    assert_array_equal(s.X, X)
    assert_array_equal(s.y, y)
    assert s.preset == "xor"
    assert list(map(unescaped, toasts(at))) == [
        "Loaded “XOR”: 100 points. Undo brings the old ones back."
    ]
    assert at.button(key="use_xor").disabled
    assert at.button(key="use_xor").label == "These are the current points"


def test_a_preset_that_would_make_the_run_too_long_is_refused():
    at = open_page(default_scenario().replace(epochs=10_000))
    at.button(key="use_rings").click().run()
    (error,) = map(unescaped, toasts(at, "error"))
    assert error.startswith("“Concentric rings” was not loaded.")
    assert_array_equal(points(at)[0], default_scenario().X)


# ---------------------------------------------------------------- pure helpers


def test_points_from_table_reads_back_what_points_table_wrote():
    X, y = make_dataset("outlier")
    got_X, got_y = points_from_table(points_table(X, y))
    assert_array_equal(got_X, X)
    assert_array_equal(got_y, y)


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ({"x1": [1.0], "x2": [np.nan], "y": [0]}, "row 1: x2 is empty"),
        ({"x1": [1.0], "x2": [2.0], "y": [2]}, "row 1 has the label 2; labels must be 0 or 1"),
        ({"x1": [1.0], "x2": [2.0], "y": [None]}, "row 1: y is empty (choose 0 or 1)"),
        ({"x1": [-1e6 - 1], "x2": [0.0], "y": [1]}, "row 1 is (-1000001, 0); coordinates must"),
    ],
)
def test_points_from_table_names_each_bad_row(rows, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        points_from_table(pd.DataFrame(rows, index=pd.RangeIndex(1, 2)))


def test_points_from_table_lists_a_few_problems_and_counts_the_rest():
    table = pd.DataFrame({"x1": [np.nan] * 8, "x2": [0.0] * 8, "y": [0] * 8})
    with pytest.raises(ValueError) as problem:
        points_from_table(table)
    assert str(problem.value).count("x1 is empty") == 5
    assert str(problem.value).endswith("- and 3 more")


def test_points_from_table_refuses_too_many_rows():
    table = pd.DataFrame({"x1": np.zeros(2_001), "x2": np.zeros(2_001), "y": np.zeros(2_001)})
    with pytest.raises(ValueError, match="The table: 2,001 points; at most 2,000 are allowed"):
        points_from_table(table)


def named(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def test_read_upload_replaces_appends_and_refuses_without_touching_the_points():
    X, y = np.array([[9.0, 9.0]]), np.array([0.0])
    replaced = read_upload(named(GOOD_FILE, "a.csv"), X, y, append=False)
    assert_array_equal(replaced.X, GOOD_X)
    appended = read_upload(named(GOOD_FILE, "a.csv"), X, y, append=True)
    assert_array_equal(appended.X, np.vstack([X, GOOD_X]))
    assert_array_equal(appended.y, np.concatenate([y, GOOD_Y]))
    refused = read_upload(named(b"", "empty.csv"), X, y, append=True)
    assert (refused.X, refused.kind) == (None, "error")
    assert (
        refused.message == "empty.csv was not loaded. The file is empty: no header and no points."
    )
    assert_array_equal(X, [[9.0, 9.0]])


def test_plain_shows_markdown_and_latex_characters_as_written():
    text = "a **b** _c_ `d` [e](f) $g$ <h> 1. #i \\j"
    assert unescaped(plain(text)) == text
    assert "**" not in plain(text) and "$g$" not in plain(text)


def test_history_csv_holds_every_state_of_the_run():
    s = default_scenario().replace(mode="minibatch", batch_size=3, epochs=4)
    history = train(s.X, s.y, s.config)
    frame = pd.read_csv(io.StringIO(history_csv(history)))
    assert list(frame.columns) == list(history.to_frame().columns)
    assert len(frame) == history.n_updates + 1
    assert_array_equal(frame[["w1", "w2"]].to_numpy(), history.w)
    assert_array_equal(frame["b"].to_numpy(), history.b)


def test_the_plain_tables_show_every_point_and_the_run_around_step_k():
    X, y = make_dataset("overlapping", n=12, seed=2)
    at = open_page(Scenario.of(X, y, epochs=3, step=20))
    assert not at.table  # nothing is built while the box is closed
    at.session_state["plain_tables"] = True  # the learner opens it
    at.run()
    points_shown, run_shown, verdicts_shown = (t.value for t in at.table)
    assert points_shown["point"].tolist() == list(range(1, 13))
    assert_array_equal(points_shown[["x1", "x2"]].to_numpy(), X)
    assert_array_equal(points_shown["y"].to_numpy(), y)
    history = train(X, y, TrainConfig(epochs=3))
    assert run_shown["step"].tolist() == list(range(10, 31))
    assert run_shown["point"].tolist() == (history.point[9:30] + 1).tolist()
    assert_array_equal(run_shown["w1"].to_numpy(), history.w[10:31, 0])
    assert_array_equal(run_shown["b"].to_numpy(), history.b[10:31])
    assert any("steps 10 to 30" in m.value for m in at.markdown)
    # how well it classifies, in a table of its own (one table would scroll sideways)
    assert verdicts_shown.columns[:3].tolist() == ["step", "accuracy", "correct_0"]
    assert "accuracy" not in run_shown.columns
    expected = history.to_frame().iloc[10:31]
    assert_array_equal(verdicts_shown["accuracy"].to_numpy(), expected["accuracy"].to_numpy())
    assert_array_equal(verdicts_shown["wrong_1"].to_numpy(), expected["wrong_1"].to_numpy())
