"""The release record: versions resolve to commits from a tracked file, tags are recreated
from it, and a version no remote holds is rebuilt and checked against its dvc.lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sys

import polars as pl
import pytest
import yaml

import memwall
from memwall import rebuild, releases
from support import REPO, run

GIT = ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t"]


def test_the_record_round_trips_byte_for_byte():
    text = (REPO / releases.FILE).read_text(encoding="utf-8")
    assert releases.render(releases.parse(text)) == text


def test_every_recorded_commit_is_in_this_repository_with_a_dvc_lock():
    """A record pointing at a commit the history lacks would be a version that does not exist."""
    for r in releases.read(REPO):
        lock = run(["git", "show", f"{r.commit}:dvc.lock"], REPO).stdout
        assert rebuild.locked_md5(lock, "processed/models.parquet") is not None, r.version
        day = run(["git", "show", "-s", "--format=%cs", r.commit], REPO).stdout.strip()
        assert dt.date.fromisoformat(day) == r.date, r.version


def test_changelog_presents_only_recorded_versions():
    recorded = {r.version for r in releases.read(REPO)}
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    headed = {line[3:].split()[0] for line in changelog.splitlines() if line.startswith("## v")}
    assert headed <= recorded


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"version": "0.1", "commit": "a" * 40, "date": "2026-01-01"}, "not vX.Y.Z"),
        ({"version": "v0.1.0", "commit": "d950c00", "date": "2026-01-01"}, "full 40-hex"),
        ({"version": "v0.1.0", "commit": "a" * 40, "date": "soon"}, "YYYY-MM-DD"),
    ],
)
def test_a_malformed_record_says_what_is_wrong(entry, message):
    text = yaml.safe_dump({"releases": [entry]}).replace("'2026-01-01'", "2026-01-01")
    with pytest.raises(releases.ReleaseError, match=message):
        releases.parse(text)


def test_release_records_head_and_tags_are_recreated_in_a_clone(fresh_repo, tmp_path):
    (fresh_repo / releases.FILE).unlink(missing_ok=True)
    run([*GIT, "commit", "-qam", "no releases yet"], fresh_repo, check=False)
    head = run(["git", "rev-parse", "HEAD"], fresh_repo).stdout.strip()
    tool = [sys.executable, "-m", "memwall.tools.release"]
    made = run(tool, fresh_repo).stdout.split()
    version = made[0]
    declared = sorted(yaml.safe_load((fresh_repo / "dvc.yaml").read_text())["artifacts"])
    assert made == [version, *(f"{a}@{version}" for a in declared)]
    (recorded,) = releases.read(fresh_repo)
    assert (recorded.version, recorded.commit) == (version, head)
    assert run(tool, fresh_repo, check=False).returncode == 2  # dirty: record not committed
    run([*GIT, "add", "-A"], fresh_repo)
    run([*GIT, "commit", "-qm", f"record {version}"], fresh_repo)
    clone = tmp_path / "clone"
    run(["git", "clone", "-q", str(fresh_repo), str(clone)], tmp_path)
    run(["git", "tag", "-d", *made], clone)
    assert run([*tool, "--tags"], clone).stdout.split() == made
    assert run(["git", "rev-parse", f"{version}^{{commit}}"], clone).stdout.strip() == head


@pytest.mark.rebuilds
def test_load_at_a_version_no_remote_holds_rebuilds_and_verifies(built_copy, monkeypatch):
    """The copy's cache is emptied and its remote does not exist: the only way to the bytes is
    a rebuild of the recorded commit, accepted because its md5 is the dvc.lock's. (The history
    table: its stage needs four of the pipeline's stages, the other tables ten; the README's
    test loads models and memory of v0.1.0 the same way.)"""
    repo = built_copy
    built = (repo / "processed/history.parquet").read_bytes()
    (repo / releases.FILE).unlink()  # the copy's history lacks the recorded commits
    run([*GIT, "add", "-A"], repo)
    run([*GIT, "commit", "-qm", "built", "--allow-empty"], repo)
    run([sys.executable, "-m", "memwall.tools.release"], repo)
    run([*GIT, "add", "-A"], repo)
    run([*GIT, "commit", "-qm", "record"], repo)
    shutil.rmtree(repo / ".dvc" / "cache", ignore_errors=True)
    monkeypatch.chdir(repo)
    version = releases.read(repo)[0].version
    table = memwall.load("history", version=version)
    assert table.equals(pl.read_parquet(repo / "processed/history.parquet"))
    md5 = hashlib.md5(built).hexdigest()
    assert rebuild.cache_file(repo, md5).read_bytes() == built  # the next read is a cache hit


def test_a_rebuild_that_differs_from_dvc_lock_is_refused(built_copy):
    """A commit whose dvc.lock records other bytes (here: a tampered md5) is not accepted.
    (The output of the first stage: refusing needs the rebuild, not the whole pipeline.)"""
    lock = built_copy / "dvc.lock"
    text = lock.read_text(encoding="utf-8")
    stage, md5 = rebuild.locked_md5(text, "interim/cells.parquet")
    assert stage == "parse"
    lock.write_text(text.replace(md5, "f" * 32), encoding="utf-8")
    run([*GIT, "add", "-A"], built_copy)
    run([*GIT, "commit", "-qm", "tampered lock"], built_copy)
    with pytest.raises(rebuild.RebuildError, match=r"dvc\.lock records f{32}"):
        rebuild.rebuild(built_copy, "HEAD", "interim/cells.parquet", log=sys.stderr)
