"""Add a raw file under raw/ byte for byte, with its origin, to raw/sources.yaml.

The origin is what a reader needs to fetch the same bytes again and to credit them: the
repository, the commit and its time (UTC), the URL of the file at that commit, the licence,
the citation, the sha256 (computed here, never typed) and notes on how the bytes were
obtained. Running the same command twice writes the same bytes; a raw file whose bytes
differ from the new ones is never overwritten unless asked (`--force`).

    python -m memwall.tools.snapshot upstream --index ../shared/upstream/index.csv --seq 11
    python -m memwall.tools.snapshot upstream --index ../shared/upstream/index.csv --all
    python -m memwall.tools.snapshot add ../shared/epoch/ml_hardware.csv \\
        raw/epoch/ml_hardware.csv --id epoch-ml-hardware --kind reference \\
        --repository https://github.com/sr3-k/data --repo-path ml_hardware.csv \\
        --commit d62de22b9128a2598b039c06346e350f918b3810 --committed 2025-12-14 \\
        --licence-id CC-BY-4.0 --citation 'Epoch AI, "Data on Machine Learning Hardware" (2024)'

Exit codes: 0 done, 2 refused (unsafe path, differing bytes, invalid origin).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import jsonschema
import yaml

from memwall.registry import RegistryError, load_checked
from memwall.sources import SCHEMA

# Upstream's repository and the file every snapshot of its history is a version of.
UPSTREAM_REPOSITORY = "https://github.com/amirgholami/ai_and_memory_wall"
UPSTREAM_FILE = "README.md"
# Keys of an entry, in the order they are written.
ENTRY_KEYS = (
    "id",
    "path",
    "kind",
    "repository",
    "commit",
    "committed",
    "url",
    "licence",
    "citation",
    "sha256",
    "note",
    "retrieved",
    "evidence",
)
_SAFE_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")


class SnapshotError(Exception):
    """A snapshot that must not be written; the message says why and what to do."""


@dataclass(frozen=True)
class Origin:
    """Where a raw file comes from; `None` fields are left out of its entry."""

    id: str
    kind: str
    repository: str | None = None
    commit: str | None = None
    committed: str | None = None
    url: str | None = None
    licence: dict | None = None
    citation: str | None = None
    note: str | None = None
    retrieved: str | None = None
    evidence: str | None = None


def raw_destination(root: Path, dest: str) -> Path:
    """The file `dest` (relative, posix, under raw/) inside `root`, or `SnapshotError`.

    Each part of the path may hold only letters, digits, '.', '_' and '-' and may not
    start with '.' or '-'; the resolved file must stay inside root/raw (no symlink out).
    """
    parts = PurePosixPath(dest).parts
    if dest.startswith("/") or len(parts) < 2 or parts[0] != "raw":
        raise SnapshotError(f"{dest}: a raw file goes under raw/ (a relative path raw/...)")
    bad = [p for p in parts if not _SAFE_PART.match(p)]
    if bad:
        raise SnapshotError(
            f"{dest}: unsafe name {bad[0]!r}: use letters, digits, '.', '_' and '-' only, "
            "not starting with '.' or '-'"
        )
    raw = (root / "raw").resolve()
    target = (root / dest).resolve()
    if raw not in target.parents:
        raise SnapshotError(f"{dest}: resolves outside raw/ ({target})")
    return root / dest


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_source(path: Path) -> bytes:
    """The bytes of a file to snapshot, or `SnapshotError`."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read ({exc.strerror or exc})") from None


def refuse_if_changed(target: Path, data: bytes, force: bool) -> None:
    """`SnapshotError` when `target` holds other bytes and replacing was not asked for."""
    if not force and target.exists() and target.read_bytes() != data:
        raise SnapshotError(
            f"{target}: already holds different bytes (raw snapshots are immutable; add the "
            "new version as a new file, or pass --force to replace it)"
        )


def copy_raw(data: bytes, target: Path, force: bool = False) -> None:
    """Write `data` to `target`, unless the same bytes are already there."""
    refuse_if_changed(target, data, force)
    if not (target.exists() and target.read_bytes() == data):
        _write_atomically(target, data)


def entry_for(origin: Origin, path: str, sha256: str) -> dict:
    """The sources.yaml entry of a snapshot: the origin's fields in `ENTRY_KEYS` order."""
    values = {**vars(origin), "path": path, "sha256": sha256}
    return {k: values[k] for k in ENTRY_KEYS if values.get(k) is not None}


def upsert(catalog: dict, entry: dict) -> dict:
    """The catalog with `entry` added, or merged into the entry with the same id.

    Fields the new entry does not give (a hand-written `note`) are kept. A new entry goes
    after the last one of its kind committed no later than it (so upstream versions stay
    in commit order, which is merge precedence), or at the end when none is of its kind.
    """
    sources = [dict(s) for s in catalog.get("sources", [])]
    for s in sources:
        if s["path"] == entry["path"] and s["id"] != entry["id"]:
            raise SnapshotError(f"{entry['path']}: already listed as source {s['id']!r}")
    at = next((n for n, s in enumerate(sources) if s["id"] == entry["id"]), None)
    if at is not None:
        merged = {**sources[at], **entry}
        sources[at] = {k: merged[k] for k in (*ENTRY_KEYS, *merged) if k in merged}
    else:
        same = [n for n, s in enumerate(sources) if s["kind"] == entry["kind"]]
        when = entry.get("committed", "")
        earlier = [n for n in same if sources[n].get("committed", "") <= when]
        if earlier:
            place = earlier[-1] + 1
        elif same:
            place = same[0]
        else:
            place = len(sources)
        sources.insert(place, entry)
    return {**catalog, "sources": sources}


class _Dumper(yaml.SafeDumper):
    """Block style with list items indented under their key, as the file is written by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def render(header: str, catalog: dict) -> str:
    """The text of sources.yaml: the leading comment block, then the catalog."""
    body = yaml.dump(
        catalog, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88, indent=2
    )
    return header + body


def header_of(text: str) -> str:
    """The leading comment block of a YAML text (comment and blank lines before the data)."""
    out = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        out.append(line)
    return "".join(out)


def add(root: Path, sources: Path, items: list[tuple[Path, str, Origin]], force: bool) -> str:
    """Copy each (file, raw/ path, origin) and write its entry; returns the new sources.yaml.

    Everything is checked before anything is written: destinations, bytes already there,
    and the new catalog against the schema.
    """
    text = sources.read_text(encoding="utf-8")
    catalog = load_checked(sources, SCHEMA)
    planned = []
    for src, dest, origin in items:
        target, data = raw_destination(root, dest), read_source(src)
        refuse_if_changed(target, data, force)
        catalog = upsert(catalog, entry_for(origin, dest, sha256_bytes(data)))
        planned.append((target, data))
    new_text = render(header_of(text), catalog)
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    errors = sorted(validator.iter_errors(yaml.safe_load(new_text)), key=lambda e: list(e.path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path)
        raise SnapshotError(f"origin not valid for sources.yaml: {where}: {errors[0].message}")
    for target, data in planned:
        copy_raw(data, target, force)
    if new_text != text:
        _write_atomically(sources, new_text.encode("utf-8"))
    return new_text


def upstream_items(
    index: Path, seqs: list[int] | None, catalog: dict, repository: str = UPSTREAM_REPOSITORY
) -> list[tuple[Path, str, Origin]]:
    """Snapshots of upstream's README versions listed in `index` (seq, file, commit,
    committed_utc, subject); `seqs` None means all. Licence and citation are the catalog's
    own (the dataset's licence and citation are upstream's)."""
    with index.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_seq = {int(r["seq"]): r for r in rows}
    missing = sorted(set(seqs or ()) - set(by_seq))
    if missing:
        raise SnapshotError(f"{index}: no version {missing[0]} (it lists 1 to {len(rows)})")
    items = []
    for seq in sorted(by_seq if seqs is None else set(seqs)):
        row = by_seq[seq]
        commit = row["commit"]
        retrieved = (
            f'{UPSTREAM_FILE} at {commit[:7]} ("{row["subject"]}"), version {seq} of '
            f"upstream's history; a byte-for-byte copy of {row['file']} from the snapshot "
            "of that history."
        )
        origin = Origin(
            id=f"upstream-v{seq:02d}",
            kind="upstream",
            repository=repository,
            commit=commit,
            committed=row["committed_utc"],
            url=f"{repository}/blob/{commit}/{UPSTREAM_FILE}",
            licence=dict(catalog["licence"]),
            citation=" ".join(catalog["citation"].split()),
            retrieved=retrieved,
        )
        items.append((index.parent / row["file"], f"raw/upstream/{row['file']}", origin))
    return items


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m memwall.tools.snapshot", description=__doc__)
    ap.formatter_class = argparse.RawDescriptionHelpFormatter
    ap.add_argument("--root", type=Path, default=Path("."), help="repository root")
    ap.add_argument(
        "--sources", type=Path, default=None, help="catalog (default: ROOT/raw/sources.yaml)"
    )
    ap.add_argument("--force", action="store_true", help="replace a raw file whose bytes differ")
    sub = ap.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upstream", help="upstream README versions from the snapshot index")
    up.add_argument("--index", type=Path, required=True, help="index.csv of the versions")
    which = up.add_mutually_exclusive_group(required=True)
    which.add_argument("--seq", type=int, action="append", help="a version number (repeat)")
    which.add_argument("--all", action="store_true", help="every version in the index")
    up.add_argument("--repository", default=UPSTREAM_REPOSITORY)
    one = sub.add_parser("add", help="one file with its origin given as arguments")
    one.add_argument("file", type=Path, help="the file to copy")
    one.add_argument("dest", help="where it goes: raw/<dir>/<name>")
    one.add_argument("--id", required=True)
    one.add_argument("--kind", required=True)
    one.add_argument("--repository")
    one.add_argument("--commit")
    one.add_argument("--committed", help="commit time in UTC (or the date when only it is known)")
    one.add_argument("--url", help="URL of the file at the commit (default: from --repo-path)")
    one.add_argument("--repo-path", help="the file's path in a GitHub repository")
    one.add_argument("--licence-id", help="SPDX id, e.g. CC-BY-4.0")
    one.add_argument("--licence-url")
    one.add_argument("--licence-file", help="a copy of the licence under raw/")
    one.add_argument("--citation")
    one.add_argument("--note", help="what the file holds")
    one.add_argument("--retrieved", help="how the bytes were obtained")
    one.add_argument("--evidence", help="for contrib: where its numbers come from")
    return ap


def _origin_from(args: argparse.Namespace) -> Origin:
    url = args.url
    if url is None and args.repo_path and args.repository and args.commit:
        url = f"{args.repository.rstrip('/')}/blob/{args.commit}/{args.repo_path}"
    licence = {
        k: v
        for k, v in (
            ("id", args.licence_id),
            ("file", args.licence_file),
            ("url", args.licence_url),
        )
        if v
    }
    return Origin(
        id=args.id,
        kind=args.kind,
        repository=args.repository,
        commit=args.commit,
        committed=args.committed,
        url=url,
        licence=licence or None,
        citation=args.citation,
        note=args.note,
        retrieved=args.retrieved,
        evidence=args.evidence,
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point: add snapshots and write raw/sources.yaml; refusals exit 2."""
    args = _parser().parse_args(argv)
    root = args.root
    sources = args.sources or root / "raw" / "sources.yaml"
    try:
        if args.command == "upstream":
            catalog = load_checked(sources, SCHEMA)
            seqs = None if args.all else args.seq
            items = upstream_items(args.index, seqs, catalog, args.repository)
        else:
            items = [(args.file, args.dest, _origin_from(args))]
        add(root, sources, items, args.force)
    except (SnapshotError, RegistryError) as exc:
        print(f"snapshot: error: {exc}", file=sys.stderr)
        return 2
    for _, dest, origin in items:
        print(f"snapshot: {origin.id}: {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
