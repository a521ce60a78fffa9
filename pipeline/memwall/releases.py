"""The release record: `releases.yaml` maps each dataset version to the commit it was built at.

Git tags do not travel with every copy of a repository (a clone of branches, a mirror, an
archive); the record does, because it is a tracked file. `memwall.load(version=...)` resolves a
version through it, `python -m memwall.tools.release` appends to it, and
`python -m memwall.tools.release --tags` recreates the git tags from it. That commit's
`dvc.lock` holds the md5 of every artifact of the version, so its bytes can be checked
wherever they come from (a remote, the cache, a rebuild).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

FILE = "releases.yaml"
_VERSION = re.compile(r"^v\d+\.\d+\.\d+$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
HEADER = """\
# Dataset releases: each version and the commit it was built at (written by `make release`).
# That commit's dvc.lock records the md5 of every artifact of the version; tags are recreated
# from this file with `python -m memwall.tools.release --tags`.
"""


class ReleaseError(LookupError):
    """A malformed release record or a version it does not hold; the message says which."""


@dataclass(frozen=True)
class Release:
    version: str
    commit: str
    date: dt.date
    note: str = ""


def read(root: Path) -> list[Release]:
    """The releases recorded in `root/releases.yaml`, oldest first (none when absent)."""
    path = root / FILE
    if not path.is_file():
        return []
    return parse(path.read_text(encoding="utf-8"), str(path))


def parse(text: str, name: str = FILE) -> list[Release]:
    """Releases from the text of a release record; `ReleaseError` names what is wrong."""
    data = yaml.safe_load(text) or {}
    entries = data.get("releases") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ReleaseError(f"{name}: expected a mapping with a 'releases:' list")
    out: list[Release] = []
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise ReleaseError(f"{name}: release {i} is not a mapping")
        version, commit = str(entry.get("version", "")), str(entry.get("commit", ""))
        if not _VERSION.match(version):
            raise ReleaseError(f"{name}: release {i}: version {version!r} is not vX.Y.Z")
        if not _COMMIT.match(commit):
            raise ReleaseError(f"{name}: {version}: commit {commit!r} is not a full 40-hex id")
        date = entry.get("date")
        if not isinstance(date, dt.date):
            raise ReleaseError(f"{name}: {version}: date {date!r} is not YYYY-MM-DD")
        out.append(Release(version, commit, date, str(entry.get("note", "") or "")))
    versions = [r.version for r in out]
    if len(set(versions)) != len(versions):
        raise ReleaseError(f"{name}: a version is recorded twice")
    return out


def render(releases: list[Release]) -> str:
    """The text of a release record (stable: same releases -> same bytes)."""
    rows = []
    for r in releases:
        row = {"version": r.version, "commit": r.commit, "date": r.date}
        if r.note:
            row["note"] = r.note
        rows.append(row)
    body = yaml.safe_dump({"releases": rows}, sort_keys=False, allow_unicode=True, width=96)
    return HEADER + body


def find(releases: list[Release], version: str) -> Release | None:
    """The release of `version` ("v0.1.0" or "0.1.0"), or None."""
    wanted = version if version.startswith("v") else f"v{version}"
    return next((r for r in releases if r.version == wanted), None)
