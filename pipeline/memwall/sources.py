"""The raw sources the dataset is built from (raw/sources.yaml), oldest first."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from memwall.registry import RegistryError, line_of, load_checked

# The schema declares the kinds of source (upstream: a byte copy of an upstream file at a
# commit; reference: an external reference snapshot such as Epoch AI's; contrib: a table
# contributed here in a pull request, citing its evidence) and what each must record.
SCHEMA = Path(__file__).parent / "data" / "sources.schema.json"


@dataclass(frozen=True)
class Source:
    """One raw markdown file; a higher `rank` is a newer statement and wins merges."""

    id: str
    path: str
    kind: str
    rank: int
    meta: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Catalog:
    """sources.yaml as a whole: the sources plus licence and citation of the data."""

    sources: tuple[Source, ...]
    licence: dict
    citation: str

    def as_of(self) -> dt.datetime | None:
        """The newest commit time among the sources, in UTC (a bare date counts as its
        midnight): when the data were as they are here; None when no source records one."""
        times = []
        for s in self.sources:
            if "committed" in s.meta:
                when = dt.datetime.fromisoformat(str(s.meta["committed"]).replace("Z", "+00:00"))
                times.append(when if when.tzinfo else when.replace(tzinfo=dt.UTC))
        return max(times, default=None)


def load_catalog(path: Path) -> Catalog:
    """Read raw/sources.yaml checked against its schema; list order is precedence (later
    wins). `RegistryError` says where the file is wrong."""
    doc = load_checked(path, SCHEMA)
    sources = tuple(
        Source(id=s["id"], path=s["path"], kind=s["kind"], rank=rank, meta=dict(s))
        for rank, s in enumerate(doc["sources"], start=1)
    )
    for key in ("id", "path"):
        first: dict[str, int] = {}
        for n, s in enumerate(doc["sources"]):
            if s[key] in first:
                raise RegistryError(
                    path,
                    line_of(path, ["sources", n, key]),
                    f"sources[{n}].{key}: {s[key]!r} is listed twice "
                    f"(first at line {line_of(path, ['sources', first[s[key]], key])})",
                )
            first[s[key]] = n
    return Catalog(sources, doc.get("licence", {}), " ".join(doc.get("citation", "").split()))


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
