"""Shared fixtures of the history tests: the real 26 upstream versions, parsed once."""

from __future__ import annotations

import pytest
from historyrows import DATA, ROOT, row_context

from memwall.conventions import load_conventions
from memwall.history import build_history
from memwall.history_parse import load_versions


@pytest.fixture(scope="session")
def versions():
    return load_versions(ROOT / "raw" / "upstream" / "index.csv", "raw/upstream")


@pytest.fixture(scope="session")
def conventions():
    return load_conventions(DATA / "unit_conventions.yaml", DATA / "unit_conventions.schema.json")


@pytest.fixture(scope="session")
def built(versions, conventions):
    """(history, rejects, tables) of all 26 real versions."""
    return build_history(versions, ROOT, row_context(), conventions)
