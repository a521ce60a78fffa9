"""Site fixtures: the site of the hand-made inputs, the site `dvc repro` built (the shared
`built_repo`), and one headless Chromium per session."""

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
def browser():
    """One headless Debian Chromium for the whole session; a clear failure if it is absent."""
    from sitebrowser import CHROMIUM, MISSING_BROWSER, launch

    if not CHROMIUM.is_file():
        pytest.fail(MISSING_BROWSER, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
