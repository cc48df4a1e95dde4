"""Shared test settings."""

import os

from hypothesis import settings

# CI replays the same examples every run (a clean clone has no example database): a red CI
# then means a change broke something, not that the search happened upon a new case.
# Locally the search stays random and remembers its failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
