"""Stage `export`: the published artifacts and the lineage manifest of the run.

Writes each table, provenance included, as Parquet (typed), JSON (records) and CSV
(spreadsheet-safe), and `lineage.json`: inputs and outputs with sha256, row counts, rejected
rows with reasons, corrections applied or stale, and the dataset version. Nothing in the
artifacts depends on the clock, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import polars as pl

from memwall.fields import TABLES
from memwall.rules import FORMULA_PATTERN
from memwall.sources import load_catalog, sha256_file


def csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells a spreadsheet would execute with an apostrophe."""
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_PATTERN))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def write_json(data: object, path: Path) -> None:
    """Stable JSON: sorted keys where they are dicts, two-space indent, final newline."""
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n",
        encoding="utf-8",
    )


def write_table(frame: pl.DataFrame, out: Path, name: str, formats: tuple[str, ...]) -> list[Path]:
    """Write one table in the given formats; returns the files written."""
    written = []
    if "parquet" in formats:
        frame.write_parquet(out / f"{name}.parquet", compression="zstd", statistics=True)
        written.append(out / f"{name}.parquet")
    if "json" in formats:
        write_json(frame.to_dicts(), out / f"{name}.json")
        written.append(out / f"{name}.json")
    if "csv" in formats:
        csv_safe(frame).write_csv(out / f"{name}.csv", date_format="%Y-%m-%d")
        written.append(out / f"{name}.csv")
    return written


def code_version(package_dir: Path) -> str:
    """sha256 over the package's source and data files (path and bytes, in path order)."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Export validated interim tables to `--out` and write the lineage manifest."""
    ap = argparse.ArgumentParser(prog="memwall.export", description=__doc__)
    ap.add_argument("--interim", type=Path, required=True)
    ap.add_argument("--sources", type=Path, required=True)
    ap.add_argument("--corrections", type=Path, required=True)
    ap.add_argument("--aliases", type=Path, required=True)
    ap.add_argument("--package", type=Path, required=True, help="pipeline/memwall")
    ap.add_argument("--version", required=True, help="dataset version")
    ap.add_argument("--gb-basis", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(args.sources)
    validation = json.loads((args.interim / "validation.json").read_text(encoding="utf-8"))
    outputs: list[Path] = []
    rows: dict[str, int] = {}
    for name in TABLES:
        frame = pl.read_parquet(args.interim / f"{name}.parquet")
        rows[name] = frame.height
        outputs += write_table(frame, out, name, ("parquet", "json", "csv"))
    provenance = pl.read_parquet(args.interim / "provenance.parquet")
    rows["provenance"] = provenance.height
    outputs += write_table(provenance, out, "provenance", ("parquet", "json", "csv"))
    ledger = pl.read_parquet(args.interim / "ledger.parquet")
    rejected = ledger.filter(pl.col("outcome") == "rejected").select(
        "source_id", "source", "line", "kind", "code", "reason", "text"
    )
    raw_rows = ledger.group_by("source_id", "outcome").len().sort("source_id", "outcome").to_dicts()
    corrections = json.loads((args.interim / "corrections.json").read_text(encoding="utf-8"))
    lineage = {
        "dataset": "memwall",
        "version": args.version,
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
            "params": {
                "normalize.gb_basis": args.gb_basis,
                "validate.latest_date": validation["latest_date"],
                "dataset.version": args.version,
            },
            "corrections": {
                "path": args.corrections.as_posix(),
                "sha256": sha256_file(args.corrections),
            },
            "aliases": {"path": args.aliases.as_posix(), "sha256": sha256_file(args.aliases)},
            "code": {"path": args.package.as_posix(), "sha256": code_version(args.package)},
        },
        "outputs": [{"path": p.as_posix(), "sha256": sha256_file(p)} for p in sorted(outputs)],
        "rows": rows,
        "raw_rows": {
            "total": validation["raw_rows"],
            "kept": validation["kept_rows"],
            "rejected": validation["rejected_rows"],
            "by_source": raw_rows,
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
    write_json(lineage, out / "lineage.json")
    print(f"export: {len(outputs)} files, rows {rows}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
