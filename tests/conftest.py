"""Shared test settings."""

import os

import pytest
from hypothesis import settings

# CI replays the same examples every run (a clean clone has no example database): a red CI
# then means a change broke something, not that the search happened upon a new case.
# Locally the search stays random and remembers its failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# One real server and one Chromium per browser-test module (each module gets its own).
@pytest.fixture(scope="module")
def server():
    from tests.browser_support import streamlit_server

    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.browser_support import launch_browser

    with sync_api.sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()
