"""Shared fixtures: a built copy of the repo made by `dvc repro` once per session."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import settings

from stagereads import STRACE, TRACE_ARGS, untraceable
from support import copy_repo, run

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


def _build(root: Path) -> tuple[Path, Path | str]:
    """A copy of the repo under `root` built by the real `dvc repro`, under strace when it
    can trace here (the log says which files each stage read); else (repo, why not) and the
    build runs untraced, so only the data-deps test is affected."""
    dest = copy_repo(root / "built")
    why_not = untraceable()
    if why_not:
        run(["dvc", "repro"], dest)
        return dest, why_not
    log = root / "repro.strace"
    run([STRACE, *TRACE_ARGS, "-o", str(log), "dvc", "repro"], dest)
    return dest, log


@pytest.fixture(scope="session")
def build_trace(tmp_path_factory, worker_id) -> tuple[Path, Path | str]:
    """(repo, strace log) of the one build of the test run. With pytest-xdist the workers
    share it: the first to ask builds it under a file lock in their common temporary
    directory, the others wait and read where it is."""
    if worker_id == "master":  # not under xdist
        return _build(tmp_path_factory.mktemp("build"))
    common = tmp_path_factory.getbasetemp().parent
    with FileLock(str(common / "build.lock")):
        done = common / "build.json"
        if not done.is_file():
            root = common / "build"
            root.mkdir()
            repo, log = _build(root)
            done.write_text(json.dumps([str(repo), str(log)]), encoding="utf-8")
        repo, log = json.loads(done.read_text(encoding="utf-8"))
    return Path(repo), (Path(log) if log.endswith(".strace") else log)


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
