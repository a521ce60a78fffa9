"""Shared fixtures: a built copy of the repo made by `dvc repro` once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

import sharedbuild
from support import copy_repo

# Property tests draw the same examples on every run (a CI run cannot fail on a draw the last
# run never made); `HYPOTHESIS_PROFILE=explore` draws new ones when hunting for bugs.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def validate_cache(tmp_path_factory) -> Path:
    """`memwall validate` runs of the session remember valid registries in a temporary
    directory, not the user's ~/.cache."""
    path = tmp_path_factory.mktemp("memwall-cache")
    os.environ["MEMWALL_CACHE_DIR"] = str(path)
    return path


# Fixtures whose tests need the shared build.
BUILD_FIXTURES = {"build_trace", "built_repo", "built_copy"}


def _common(config_or_factory) -> Path:
    """The directory every process of this test run shares: the base temporary directory of
    the main process (xdist workers have a subdirectory of it each)."""
    factory = getattr(config_or_factory, "_tmp_path_factory", config_or_factory)
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _needs_build(item) -> bool:
    return bool(BUILD_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected what will not run
def pytest_collection_modifyitems(session, config, items):
    """Files that need no build run first, while the build (started here, in the background,
    as soon as a collected test needs it) runs; then the files with a test that rebuilds (the
    longest), so that no worker starts one when the others are about done; a file's tests
    stay together and in order."""
    needing = {item.path for item in items if _needs_build(item)}
    rebuilding = {item.path for item in items if item.get_closest_marker("rebuilds")}
    items.sort(key=lambda item: (item.path in needing, item.path not in rebuilding))
    if needing:
        sharedbuild.start(_common(config))


@pytest.fixture(scope="session")
def build_trace(tmp_path_factory) -> tuple[Path, Path | str]:
    """(repo, strace log) of the one build of the test run, shared by every worker: started
    in the background at collection (tests/sharedbuild.py), waited for here."""
    return sharedbuild.wait(_common(tmp_path_factory))


@pytest.fixture(scope="session")
def built_repo(build_trace) -> Path:
    """A copy of the repo on which the real `dvc repro` has run once (shared, read-only)."""
    return build_trace[0]


@pytest.fixture
def built_copy(built_repo, tmp_path) -> Path:
    """A private copy of the built repo (git history, DVC cache, outputs, dvc.lock), for tests
    that change inputs and re-run only what the change touches, without building from scratch."""
    dest = tmp_path / "built"
    shutil.copytree(built_repo, dest, symlinks=True)
    return dest


@pytest.fixture
def fresh_repo(tmp_path) -> Path:
    """A copy of the repo, not built, for tests that change inputs or run stages themselves."""
    return copy_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (site and plots tests share it: two
    playwright instances cannot run in one process); a clear failure if it is absent."""
    from sitebrowser import CHROMIUM, MISSING_BROWSER, launch

    if not CHROMIUM.is_file():
        pytest.fail(MISSING_BROWSER, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
