"""The lineage manifest of a run: inputs and outputs with sha256, rows, rejects, corrections.

Nothing in it depends on the clock, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from memwall.imports import stage_files, stages_recorded
from memwall.sources import Catalog, sha256_file


def code_record(stage: str, package_dir: Path) -> dict:
    """The code that built the published tables: each source file `stage` depends on (its own
    import closure and that of every stage it records, `memwall.imports`) with its sha256,
    and one sha256 over all of them (path and bytes, in module order)."""
    pipeline = package_dir.parent
    files = stage_files(stage, pipeline)
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(pipeline).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return {
        "path": package_dir.as_posix(),
        "stages": [stage, *stages_recorded(stage, pipeline)],
        "sha256": digest.hexdigest(),
        "files": [{"path": p.as_posix(), "sha256": sha256_file(p)} for p in files],
    }


def lineage(
    *,
    catalog: Catalog,
    version: str,
    params: dict,
    registries: dict[str, Path],
    package: Path,
    stage: str,
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
            "code": code_record(stage, package),
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
