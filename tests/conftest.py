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


# Nothing leaves the machine: a request anywhere else than these is recorded in page.outside.
OWN_ADDRESSES = ("http://127.0.0.1", "data:", "blob:")


@pytest.fixture
def new_page(browser):
    """Makes pages, each in a fresh browser context (no cookies, no session: a fresh browser),
    set up as one of ``browser_support.SETUPS`` plus any context options. Each page records
    its script errors in ``page.errors`` and requests that leave the app's server in
    ``page.outside``; the contexts close after the test."""
    from tests.browser_support import SETUPS

    contexts = []

    def make(setup: str = "laptop", **extra):
        context = browser.new_context(**(SETUPS[setup] | extra))
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.outside = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on(
            "request",
            lambda r: None if r.url.startswith(OWN_ADDRESSES) else page.outside.append(r.url),
        )
        return page

    yield make
    for context in contexts:
        context.close()
