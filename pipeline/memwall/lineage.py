"""The lineage manifest of a run: inputs and outputs with sha256, rows, rejects, corrections.

Nothing in it depends on the clock, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from memwall.sources import Catalog, sha256_file


def code_version(package_dir: Path) -> str:
    """sha256 over the package's source and data files (path and bytes, in path order)."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def lineage(
    *,
    catalog: Catalog,
    version: str,
    params: dict,
    registries: dict[str, Path],
    package: Path,
    outputs: list[Path],
    rows: dict[str, int],
    validation: dict,
    ledger: pl.DataFrame,
    corrections: list[dict],
) -> dict:
    """The manifest: `params` as recorded ("normalize.gb_basis": ...), `registries` by name
    ("corrections": path), `outputs` the files written, `validation` the gate's summary,
    `ledger` every raw row kept or rejected, `corrections` the normalize stage's report."""
    rejected = ledger.filter(pl.col("outcome") == "rejected").select(
        "source_id", "source", "line", "kind", "code", "reason", "text"
    )
    by_source = ledger.group_by("source_id", "outcome").len().sort("source_id", "outcome")
    return {
        "dataset": "memwall",
        "version": version,
        "citation": catalog.citation,
        "licence": catalog.licence,
        "inputs": {
            "sources": [
                {
                    "id": s.id,
                    "path": s.path,
                    "kind": s.kind,
                    "sha256": sha256_file(Path(s.path)),
                    **{k: s.meta[k] for k in ("commit", "committed", "url") if k in s.meta},
                }
                for s in catalog.sources
            ],
            "params": params,
            **{
                name: {"path": path.as_posix(), "sha256": sha256_file(path)}
                for name, path in registries.items()
            },
            "code": {"path": package.as_posix(), "sha256": code_version(package)},
        },
        "outputs": [{"path": p.as_posix(), "sha256": sha256_file(p)} for p in sorted(outputs)],
        "rows": rows,
        "raw_rows": {
            "total": validation["raw_rows"],
            "kept": validation["kept_rows"],
            "rejected": validation["rejected_rows"],
            "by_source": by_source.to_dicts(),
        },
        "rejected": rejected.to_dicts(),
        "corrections": [
            {
                "id": c["id"],
                "action": c["action"],
                "status": c["status"],
                "applied": len(c["applied"]),
                "stale": c["stale"],
            }
            for c in corrections
        ],
        "corrected_cells": sum(len(c["applied"]) for c in corrections),
    }
