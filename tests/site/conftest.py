"""Site fixtures: the site of the hand-made inputs, the site `dvc repro` built (the shared
`built_repo`). The headless Chromium (`browser`) is shared by all tests: tests/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitedata import small_inputs

from memwall.site import build_site


@pytest.fixture(scope="session")
def small_site(tmp_path_factory) -> Path:
    """The site of the hand-made inputs with every optional section."""
    tmp = tmp_path_factory.mktemp("small")
    build_site(small_inputs(tmp), tmp / "site")
    return tmp / "site"


@pytest.fixture(scope="session")
def real_site(built_repo) -> Path:
    """The site the `site` stage of the session's `dvc repro` wrote (reports/site)."""
    site = built_repo / "reports" / "site"
    assert (site / "index.html").is_file(), "dvc repro wrote no reports/site/index.html"
    return site


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory) -> Path:
    """The site of the hand-made inputs with two rows to a table's page (models: 2 pages)."""
    tmp = tmp_path_factory.mktemp("paged")
    build_site(small_inputs(tmp), tmp / "site", rows_per_page=2)
    return tmp / "site"
