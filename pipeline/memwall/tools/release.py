"""Release a dataset version: record it in releases.yaml, and tag it.

    python -m memwall.tools.release          # record v<dataset.version> at HEAD, tag it
    python -m memwall.tools.release --tags   # recreate the tags of every recorded release

`releases.yaml` (tracked, so every clone has it) maps each version to its commit and date;
commit it after releasing. The plain tag (`v0.1.0`) is what people cite and pass to
`dvc get --rev`; the artifact tags (`models@v0.1.0`, GTO's format) are what
`dvc artifacts get REPO models --rev v0.1.0` looks up for each `artifacts:` entry of that
commit's dvc.yaml. Tags are local (git does not push them by default); the record is not, and
`--tags` rebuilds them in any clone. HEAD must be committed with a dvc.lock matching the
workspace.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

import yaml

from memwall import config, releases


def release_tags(repo: Path, version: str | None = None, commit: str = "HEAD") -> list[str]:
    """`vX.Y.Z` then `<artifact>@vX.Y.Z` for each artifact of dvc.yaml at `commit`, sorted;
    the version defaults to params.yaml's `dataset.version`."""
    if version is None:
        version = f"v{config.params(repo)['dataset']['version']}"
    dvcyaml = yaml.safe_load(_git(repo, "show", f"{commit}:dvc.yaml")) or {}
    return [version, *(f"{name}@{version}" for name in sorted(dvcyaml.get("artifacts") or {}))]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


def _tag(repo: Path, tags: list[str], commit: str, existing: set[str]) -> list[str]:
    made = []
    for tag in tags:
        if tag not in existing:
            _git(repo, "tag", "-a", tag, commit, "-m", f"memwall dataset {tag}")
            made.append(tag)
    return made


def recreate_tags(repo: Path) -> list[str]:
    """Create the tags of every release in releases.yaml that git does not have yet."""
    existing = set(_git(repo, "tag", "--list").split())
    made = []
    for r in releases.read(repo):
        made += _tag(repo, release_tags(repo, r.version, r.commit), r.commit, existing)
    return made


def main(argv: list[str] | None = None) -> int:
    """Record and tag the release at HEAD (or, with --tags, recreate recorded tags)."""
    ap = argparse.ArgumentParser(prog="memwall.tools.release", description=__doc__)
    ap.add_argument("--repo", type=Path, default=Path("."))
    ap.add_argument("--tags", action="store_true", help="recreate tags from releases.yaml")
    args = ap.parse_args(argv)
    repo: Path = args.repo
    try:
        recorded = releases.read(repo)
    except releases.ReleaseError as exc:
        print(f"release: error: {exc}", file=sys.stderr)
        return 2
    if args.tags:
        print("\n".join(recreate_tags(repo)) or "release: every recorded tag exists")
        return 0
    if _git(repo, "status", "--porcelain", "--untracked-files=no"):
        print("release: commit first (git status is not clean)", file=sys.stderr)
        return 2
    tags = release_tags(repo)
    if releases.find(recorded, tags[0]) is not None:
        print(f"release: {tags[0]} is recorded already in {releases.FILE}", file=sys.stderr)
        return 2
    existing = set(_git(repo, "tag", "--list").split())
    if clash := [t for t in tags if t in existing]:
        print(f"release: tags exist already: {', '.join(clash)}", file=sys.stderr)
        return 2
    commit = _git(repo, "rev-parse", "HEAD")
    date = dt.date.fromisoformat(_git(repo, "show", "-s", "--format=%cs", "HEAD"))
    record = [*recorded, releases.Release(tags[0], commit, date)]
    (repo / releases.FILE).write_text(releases.render(record), encoding="utf-8")
    for tag in _tag(repo, tags, commit, existing):
        print(tag)
    print(f"release: recorded {tags[0]} in {releases.FILE}; commit it", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
