"""Plotly.js is copied into static/ exactly once and whole, even by many sessions at once."""

import re
import threading
from pathlib import Path

import plotly

from tests.test_app_playground import component_data, open_app
from ui import plotly_asset

SOURCE = plotly_asset.SOURCE


def test_concurrent_first_sessions_all_get_a_whole_copy(tmp_path, monkeypatch):
    """Regression: on a fresh checkout, sessions that started at once shared one ".part" file;
    the first renamed it away and the others failed with FileNotFoundError."""
    errors: list[BaseException] = []
    for trial in range(3):
        static = tmp_path / f"static{trial}"
        monkeypatch.setattr(plotly_asset, "STATIC_DIR", static)
        start = threading.Barrier(8)

        def first_visit(start=start):
            start.wait()
            try:
                plotly_asset.ensure_plotly_js()
            except BaseException as error:  # collected, asserted below
                errors.append(error)

        threads = [threading.Thread(target=first_visit) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert (static / plotly_asset.FILE_NAME).read_bytes() == SOURCE.read_bytes()
        assert [p.name for p in static.iterdir()] == [plotly_asset.FILE_NAME]  # no leftovers


def test_an_identical_copy_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(plotly_asset, "STATIC_DIR", tmp_path)
    plotly_asset.ensure_plotly_js()
    target = tmp_path / plotly_asset.FILE_NAME
    stamp = target.stat().st_mtime_ns
    plotly_asset.ensure_plotly_js()
    assert target.stat().st_mtime_ns == stamp


def test_the_bundle_is_the_plotly_packages_plotly_js():
    """The vendored cartesian bundle must match the figures the plotly package describes."""
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert plotly_asset.bundle_version() == plotly_asset.bundle_version(full)
    assert plotly_asset.plotly_js_url().endswith(f"?v={plotly_asset.bundle_version()}")


def test_the_bundle_has_every_trace_type_the_component_draws():
    data = component_data(open_app(pre="overlapping"))
    drawn = {
        t.get("type", "scatter") for fig in [data["main"], *data["series"]] for t in fig["data"]
    }
    bundle = SOURCE.read_text(encoding="utf-8")
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))
    assert drawn and drawn <= registered, drawn - registered
    assert "scatter3d" not in registered  # a partial bundle indeed
