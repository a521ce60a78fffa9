"""The raw sources the dataset is built from (raw/sources.yaml), oldest first."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# upstream: a byte copy of the upstream README at a commit; contrib: a table contributed
# here in a pull request, citing its evidence.
KINDS = ("upstream", "contrib")


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


def load_catalog(path: Path) -> Catalog:
    """Read raw/sources.yaml; list order is precedence (later wins)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = tuple(
        Source(id=s["id"], path=s["path"], kind=s["kind"], rank=rank, meta=dict(s))
        for rank, s in enumerate(doc["sources"], start=1)
    )
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: source ids must be unique")
    for s in sources:
        if s.kind not in KINDS:
            raise ValueError(f"{path}: source {s.id}: kind must be one of {', '.join(KINDS)}")
        if s.kind == "contrib" and not s.meta.get("evidence"):
            raise ValueError(f"{path}: source {s.id}: a contrib source cites its evidence (URL)")
    return Catalog(sources, doc.get("licence", {}), " ".join(doc.get("citation", "").split()))


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
